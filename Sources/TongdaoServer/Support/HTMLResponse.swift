import Vapor

/// An HTML page as a response.
enum HTMLResponse {
    static func ok(_ html: String) -> Response { page(html, status: .ok) }

    /// A page answered with another status: a form shown again with its errors (422, 409, 403…).
    static func page(_ html: String, status: HTTPResponseStatus) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .html
        return Response(status: status, headers: headers, body: .init(string: html))
    }
}
