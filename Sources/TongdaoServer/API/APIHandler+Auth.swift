import Foundation
import TongdaoAPI
import TongdaoCore
import TongdaoUseCases
import Vapor

extension APIHandler {
    /// `POST /api/v1/auth/tokens`
    func createToken(_ input: Operations.CreateToken.Input) async throws -> Operations.CreateToken.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let issued = try await req.platform.signIn.issueToken(username: body.username, password: body.password, from: req.signInOrigin)
        return .created(.init(body: .json(.init(token: issued.secret, expiresAt: issued.expiresAt))))
    }

    /// `DELETE /api/v1/auth/tokens/current`
    func revokeCurrentToken(_ input: Operations.RevokeCurrentToken.Input) async throws -> Operations.RevokeCurrentToken.Output {
        let req = try RequestContext.require()
        let caller = try req.requireCaller()
        if let tokenID = req.tokenID { try await req.platform.signIn.revokeToken(id: tokenID, by: caller) }
        return .noContent(.init())
    }

    /// `GET /api/v1/me`
    func getMe(_ input: Operations.GetMe.Input) async throws -> Operations.GetMe.Output {
        let caller = try RequestContext.require().requireCaller()
        guard let username = caller.username, let role = caller.role else { throw ProblemDetails.unauthorized() }
        return .ok(.init(body: .json(.init(username: username, role: try APIEnum.convert(role), scope: caller.scope.description))))
    }

    /// `PUT /api/v1/calendar/years/{year}`
    func putCalendarYear(_ input: Operations.PutCalendarYear.Input) async throws -> Operations.PutCalendarYear.Output {
        let req = try RequestContext.require()
        let caller = try req.requireCaller()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        _ = try await req.platform.settings.publishYear(
            input.path.year, holidays: body.holidays.map { .init(name: $0.name, first: $0.first, last: $0.last) },
            adjustedWorkdays: body.adjustedWorkdays.map { .init(date: $0.date, name: $0.name) }, source: "api", by: caller)
        return .ok(.init(body: .json(body)))
    }
}
