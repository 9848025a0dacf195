import Foundation
import TongdaoCore
import TongdaoUseCases
import Vapor

/// A marketed product's UDI-DIs on its page: thin adapters over `platform.udi`.
enum UDIController {
    /// `GET /products/:id/udi`
    @Sendable static func page(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readProducts)
        return try await render(req, id: try id(req), typed: nil, viewer: viewer, caller: caller)
    }

    private static func render(
        _ req: Request, id: UUID, typed: TypedForm?, viewer: Viewer, caller: Caller, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let product = try await req.platform.products.find(id: id, by: caller)
        let records = try await req.platform.udi.list(product: id, by: caller)
        return HTMLResponse.page(UDIPages.page(product: product, records: records, typed: typed, viewer: viewer), status: status)
    }

    struct Form: Content {
        var di: String?
        var agency: String?
        var packaging: String?
        var quantity: String?
    }

    /// `POST /products/:id/udi`
    @Sendable static func add(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let id = try id(req)
        let form = try req.content.decode(Form.self)
        var quantity: Int?
        if let text = form.quantity?.trimmingWhitespace(), !text.isEmpty {
            guard let number = Int(text) else {
                let typed = TypedForm(
                    values: ["di": form.di ?? "", "agency": form.agency ?? "", "packaging": form.packaging ?? "", "quantity": text],
                    errors: ["quantity": "包装内数量应为整数"])
                return try await render(req, id: id, typed: typed, viewer: viewer, caller: caller, status: .unprocessableEntity)
            }
            quantity = number
        }
        do {
            _ = try await req.platform.udi.add(
                UDIInput(di: form.di, agency: form.agency, packaging: form.packaging, quantity: quantity), to: id, by: caller)
            return req.redirect(to: SiteURL.productUDI(id: id.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty {
            var typed = TypedForm(
                values: ["di": form.di ?? "", "agency": form.agency ?? "", "packaging": form.packaging ?? "", "quantity": form.quantity ?? ""],
                errors: refusal.fieldMessages)
            if let product = typed.errors["product"] { typed.message = product }
            return try await render(req, id: id, typed: typed, viewer: viewer, caller: caller, status: refusal.formStatus)
        }
    }

    /// `POST /products/:id/udi/:udi/remove`
    @Sendable static func remove(req: Request) async throws -> Response {
        let (_, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let id = try id(req)
        guard let udi = req.parameters.get("udi").flatMap(UUID.init(uuidString:)) else { throw UseCaseError.notFound(.udi) }
        try await req.platform.udi.remove(udi, from: id, by: caller)
        return req.redirect(to: SiteURL.productUDI(id: id.uuidString).path, redirectType: .normal)
    }

    private static func id(_ req: Request) throws -> UUID {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw UseCaseError.notFound(.product) }
        return id
    }
}
