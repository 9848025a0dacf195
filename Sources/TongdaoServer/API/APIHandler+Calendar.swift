import TongdaoAPI
import TongdaoCore
import TongdaoUseCases
import Vapor

extension APIHandler {
    /// `GET /api/v1/calendar/days/{date}`
    func getCalendarDay(_ input: Operations.GetCalendarDay.Input) async throws -> Operations.GetCalendarDay.Output {
        let req = try RequestContext.require()
        let date = try ProblemDetails.date(input.path.date, field: "date")
        let calendar = try await req.platform.reference.calendar()
        let answer: WorkCalendar.Day
        do {
            answer = try calendar.day(date, provisional: input.query.provisional ?? false)
        } catch {
            throw ProblemDetails.calendar(error, field: "date")
        }
        let (kind, holiday): (Components.Schemas.DayKind, String?) =
            switch answer.kind {
            case .workday: (.workday, nil)
            case .weekend: (.weekend, nil)
            case .holiday(let name): (.holiday, name)
            case .adjustedWorkday(let name): (.adjustedWorkday, name)
            }
        return .ok(
            .init(
                body: .json(
                    .init(
                        date: date.description, workingDay: answer.isWorkingDay, kind: kind, holiday: holiday, provisional: answer.provisional))))
    }

    /// `GET /api/v1/calendar/add-working-days`
    func addWorkingDays(_ input: Operations.AddWorkingDays.Input) async throws -> Operations.AddWorkingDays.Output {
        let req = try RequestContext.require()
        // Types, the date format and 0…10000 are checked against the contract before this runs.
        let from = try ProblemDetails.date(input.query.from, field: "from")
        let days = input.query.days
        let calendar = try await req.platform.reference.calendar()
        do {
            let answer = try calendar.addingWorkingDays(days, to: from, provisional: input.query.provisional ?? false)
            return .ok(.init(body: .json(.init(from: from.description, days: days, date: answer.value.description, provisional: answer.provisional))))
        } catch {
            throw ProblemDetails.calendar(error, field: "days")
        }
    }

    /// `GET /api/v1/calendar/working-days-between`
    func workingDaysBetween(_ input: Operations.WorkingDaysBetween.Input) async throws -> Operations.WorkingDaysBetween.Output {
        let req = try RequestContext.require()
        let from = try ProblemDetails.date(input.query.from, field: "from")
        let to = try ProblemDetails.date(input.query.to, field: "to")
        let calendar = try await req.platform.reference.calendar()
        do {
            let answer = try calendar.workingDays(from: from, to: to, provisional: input.query.provisional ?? false)
            return .ok(
                .init(body: .json(.init(from: from.description, to: to.description, workingDays: answer.value, provisional: answer.provisional))))
        } catch {
            throw ProblemDetails.calendar(error, field: "to")
        }
    }
}

extension ProblemDetails {
    /// The answer to a calendar question that cannot be answered as asked.
    static func calendar(_ problem: WorkCalendar.Problem, field: String) -> ProblemDetails {
        switch problem {
        case .scheduleNotPublished(let year):
            var details = ProblemDetails(
                type: typeURI("calendar/schedule-not-published"), title: "Holiday schedule not published",
                status: .unprocessableEntity,
                detail:
                    "The State Council holiday schedule for \(year) is not loaded, so working days in \(year) are not known. Pass provisional=true to count weekends only."
            )
            details.year = year
            return details
        case .dateOutOfRange, .negativeCount:
            return .badRequest(field: field, problem.description)
        }
    }

    /// Parses a `YYYY-MM-DD` parameter or names it in a 400.
    static func date(_ text: String, field: String) throws(ProblemDetails) -> CivilDate {
        guard let date = CivilDate(text) else {
            throw .badRequest(
                field: field,
                "must be a date YYYY-MM-DD between \(CivilDate.supportedYears.lowerBound) and \(CivilDate.supportedYears.upperBound), not \(text.prefix(40))"
            )
        }
        return date
    }
}
