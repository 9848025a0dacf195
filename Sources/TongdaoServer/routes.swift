import Fluent
import OpenAPIRuntime
import OpenAPIVapor
import TongdaoAPI
import Vapor

func routes(_ app: Application, readiness: Readiness, openAPI: OpenAPIDocument) throws {
    app.get(.constant(SiteURL.home.path.trimmingCharacters(in: ["/"])), use: HomeController.show)
    app.get("calendar", use: CalendarController.show)

    app.get("metrics") { req async -> Response in
        _ = await readiness.check(req.db, logger: req.logger)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/plain; version=0.0.4; charset=utf-8")
        return Response(status: .ok, headers: headers, body: .init(string: req.application.httpMetrics.text()))
    }
    app.get("openapi.yaml") { _ -> Response in
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "application/yaml; charset=utf-8")
        return Response(status: .ok, headers: headers, body: .init(data: openAPI.yaml))
    }
    app.get("openapi.json") { _ -> Response in
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(data: openAPI.json))
    }

    let transport = VaporTransport(routesBuilder: app)
    try APIHandler(readiness: readiness).registerHandlers(on: transport, serverURL: Servers.Server1.url())
}
