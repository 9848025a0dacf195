import Fluent
import Foundation
import TongdaoAPI
import TongdaoCore
import TongdaoStore
import Vapor

extension APIHandler {
    /// `POST /api/v1/auth/tokens`
    func createToken(_ input: Operations.CreateToken.Input) async throws -> Operations.CreateToken.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let now = Date()
        let user = try await SignIn.verify(username: body.username, password: body.password, on: req, now: now)
        let token = Credentials.makeToken()
        let expiresAt = now.addingTimeInterval(TimeInterval(req.application.tongdaoConfiguration.tokenLifetime.components.seconds))
        let stored = APITokenModel(userID: try user.requireID(), digest: Credentials.digest(ofToken: token), expiresAt: expiresAt)
        try await UserStore.store(stored, for: user, by: SignIn.actor(for: user, on: req), on: req.db)
        return .created(.init(body: .json(.init(token: token, expiresAt: expiresAt))))
    }

    /// `DELETE /api/v1/auth/tokens/current`
    func revokeCurrentToken(_ input: Operations.RevokeCurrentToken.Input) async throws -> Operations.RevokeCurrentToken.Output {
        let req = try RequestContext.require()
        let user = try req.requireUser()
        if let tokenID = user.tokenID, let token = try await APITokenModel.find(tokenID, on: req.db) {
            try await UserStore.revoke(token, by: req.auditActor, on: req.db)
        }
        return .noContent(.init())
    }

    /// `GET /api/v1/me`
    func getMe(_ input: Operations.GetMe.Input) async throws -> Operations.GetMe.Output {
        let user = try RequestContext.require().requireUser()
        return .ok(
            .init(
                body: .json(
                    .init(username: user.username, role: .init(rawValue: user.role.rawValue) ?? .enterpriseUser, scope: user.scope.description))))
    }

    /// `PUT /api/v1/calendar/years/{year}`
    func putCalendarYear(_ input: Operations.PutCalendarYear.Input) async throws -> Operations.PutCalendarYear.Output {
        let req = try RequestContext.require()
        _ = try req.requireUser(allowedTo: .writeCalendarYear)
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let year = input.path.year
        guard CivilDate.supportedYears.contains(year) else { throw ProblemDetails.badRequest(field: "year", "must be between 1900 and 2999") }

        var errors: [ProblemDetails.FieldError] = []
        func date(_ text: String, _ field: String) -> CivilDate? {
            let value = CivilDate(text)
            if value == nil { errors.append(.init(field: field, message: "must be a date YYYY-MM-DD")) }
            return value
        }
        var holidays: [HolidaySchedule.Holiday] = []
        for (index, holiday) in body.holidays.enumerated() {
            let first = date(holiday.first, "holidays[\(index)].first"), last = date(holiday.last, "holidays[\(index)].last")
            if let first, let last { holidays.append(.init(name: holiday.name, first: first, last: last)) }
        }
        var workdays: [HolidaySchedule.AdjustedWorkday] = []
        for (index, workday) in body.adjustedWorkdays.enumerated() {
            if let day = date(workday.date, "adjustedWorkdays[\(index)].date") { workdays.append(.init(date: day, name: workday.name)) }
        }
        guard errors.isEmpty else { throw ProblemDetails.badRequest(errors) }

        let schedule: HolidaySchedule
        do {
            schedule = try HolidaySchedule(year: year, holidays: holidays, adjustedWorkdays: workdays)
        } catch {
            throw ProblemDetails.unprocessable(field: Self.field(for: error, holidays: holidays, workdays: workdays), error.description)
        }
        try await CalendarStore.save([schedule], source: "api", by: req.auditActor, on: req.db)
        return .ok(.init(body: .json(body)))
    }

    /// The request field a schedule problem is about.
    static func field(for problem: HolidaySchedule.Problem, holidays: [HolidaySchedule.Holiday], workdays: [HolidaySchedule.AdjustedWorkday])
        -> String
    {
        func holidayField(_ date: CivilDate) -> String? {
            if let index = holidays.firstIndex(where: { $0.first == date }) { return "holidays[\(index)].first" }
            if let index = holidays.firstIndex(where: { $0.last == date }) { return "holidays[\(index)].last" }
            return nil
        }
        func workdayField(_ date: CivilDate) -> String? {
            workdays.lastIndex { $0.date == date }.map { "adjustedWorkdays[\($0)].date" }
        }
        switch problem {
        case .dateOutsideYear(let date, _), .emptyName(let date):
            return holidayField(date) ?? workdayField(date) ?? "year"
        case .invertedRange(let first, _):
            return holidayField(first) ?? "holidays"
        case .overlappingHolidays(let date):
            return holidays.lastIndex { $0.first <= date && date <= $0.last }.map { "holidays[\($0)]" } ?? "holidays"
        case .adjustedWorkdayNotOnWeekend(let date), .bothHolidayAndWorkday(let date), .duplicateWorkday(let date):
            return workdayField(date) ?? "adjustedWorkdays"
        }
    }
}
