import TongdaoHTML
import Vapor

/// The page a person sees when a request fails: what happened in Chinese, and the request ID.
enum ErrorPage {
    static func message(for status: HTTPResponseStatus) -> String {
        switch status.code {
        case 400: "请求有误，请检查后重试。"
        case 401: "请先登录。"
        case 403: "您没有访问此页面的权限。"
        case 404: "页面不存在。"
        case 413: "提交的内容过大（表单不超过 1 MB，调查表文件不超过 50 MB），未被接受。请缩短后重新提交。"
        case 429: "请求过于频繁，请稍后再试。"
        case 503: "服务暂时不可用，请稍后再试。"
        case 500...: "服务器内部错误。"
        default: "请求未能完成。"
        }
    }

    static func render(status: HTTPResponseStatus, detail: String?, requestID: String, viewer: Viewer? = nil) -> String {
        Layout.render(
            title: "出错了",
            section: nil,
            viewer: viewer,
            content: .section(
                .class("panel error-panel"),
                .h1(.text("\(status.code) · \(message(for: status))")),
                .unwrap(detail) { .p(.class("muted"), .text($0)) },
                .p(.class("muted"), .text("请求编号（联系技术支持时请提供）：\(requestID)")),
                .p(.a(.href(SiteURL.home.path), .text("返回首页")))
            )
        )
    }

    static func response(for request: Request, status: HTTPResponseStatus, detail: String?) -> Response {
        let html = render(status: status, detail: detail, requestID: request.effectiveRequestID, viewer: request.viewer)
        var headers = HTTPHeaders()
        headers.contentType = .html
        return Response(status: status, headers: headers, body: .init(string: html))
    }
}
