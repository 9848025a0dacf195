import Foundation
import TongdaoCore
import TongdaoUseCases
import Vapor

/// `GET /api/v1/applications` answered with its JSON written by hand (`JSONBytes`): the same use
/// case as the generated handler (`APIHandler.listApplications`), the same page, without
/// Foundation's `JSONEncoder` over the generated types, which was most of the page's cost.
///
/// It runs after authentication and the contract's parameter checks, so the query it reads is one
/// the contract allows. A request it does not read exactly as the generated server would (no
/// caller, a parameter it does not know, one given twice or without a value, a `+` the generated
/// decoder reads as a space) goes on to the generated handler; the use case's refusals are thrown
/// to `ProblemMiddleware` as the handler's are.
struct ApplicationListResponder: AsyncMiddleware {
    static let path = "/api/v1/applications"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.method == .GET, request.url.path == Self.path, let caller = request.caller,
            let query = Query(request.url.query)
        else { return try await next.respond(to: request) }
        let page = try await request.platform.applications.list(query.filter, limit: query.limit, cursor: query.cursor, by: caller)
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(buffer: ByteBuffer(bytes: Self.json(page))))
    }

    /// The page as the contract's `ApplicationPage`: the members of each object in the order of
    /// their keys, optional ones left out when absent, as the generated types encode them.
    static func json(_ page: Page<ApplicationItem>) -> [UInt8] {
        var json = JSONBytes(capacity: 1_600 * page.items.count + 64)
        json.object { json in
            json.key("items")
            json.array(page.items) { json, item in application(item, into: &json) }
            json.member("nextCursor", page.next)
        }
        return json.bytes
    }

    private static func application(_ item: ApplicationItem, into json: inout JSONBytes) {
        let application = item.application
        json.object { json in
            json.member("acceptedOn", application.acceptedOn)
            json.member("applicationNumber", application.applicationNumber)
            json.member("authority", application.authority)
            json.member("certificate", application.certificate)
            json.member("channel", application.channel)
            if let clock = item.clock {
                json.key("clock")
                self.clock(clock, procedure: application.procedure, version: application.procedureVersion, asOf: item.asOf, into: &json)
            }
            json.member("district", application.district)
            json.member("enterpriseId", application.enterpriseID)
            json.member("id", application.id)
            json.member("park", application.park)
            json.member("procedure", application.procedure)
            json.member("procedureVersion", application.procedureVersion)
            json.member("productId", application.productID)
            json.member("responsibleOfficer", application.responsibleOfficer)
            json.member("reviewer", application.reviewer)
            json.member("status", application.status)
            json.member("uscc", application.uscc)
        }
    }

    private static func clock(_ reading: ReviewClock.Reading, procedure: String, version: String, asOf: CivilDate, into json: inout JSONBytes) {
        json.object { json in
            json.member("asOf", asOf)
            json.member("deadline", reading.deadline)
            if let inspection = reading.inspection {
                json.key("inspection")
                json.object { json in
                    json.member("completedOn", inspection.completedOn)
                    json.member("deadline", inspection.deadline)
                    json.member("late", inspection.late)
                    json.member("level", inspection.level)
                    json.member("limit", inspection.limit)
                    json.member("startBy", inspection.startBy)
                    json.member("startedOn", inspection.startedOn)
                    json.member("used", inspection.used)
                }
            }
            json.member("level", reading.level)
            json.member("limit", reading.limit)
            json.member("phase", reading.phase)
            json.member("procedure", procedure)
            json.member("provisional", reading.provisional)
            json.member("remaining", reading.remaining)
            json.member("restartedOn", reading.restartedOn)
            json.key("segments")
            json.array(reading.segments) { json, segment in
                json.object { json in
                    json.member("from", segment.from)
                    json.member("kind", segment.kind)
                    json.member("note", segment.note)
                    json.member("to", segment.to)
                    json.member("workingDays", segment.workingDays)
                }
            }
            json.member("state", reading.state)
            json.member("supplementDeadline", reading.supplementDeadline)
            json.member("supplementExpired", reading.supplementExpired)
            json.member("used", reading.used)
            json.member("version", version)
        }
    }

    /// The list's query parameters, as the generated server reads them; nil for a query it might
    /// read otherwise.
    struct Query {
        var filter = ApplicationUseCases.Filter()
        var limit = 50
        var cursor: String?

        init?(_ text: String?) {
            guard let text, !text.isEmpty else { return }
            guard !text.contains("+"), let items = URLComponents(string: "?" + text)?.queryItems else { return nil }
            var seen: Set<String> = []
            for item in items {
                guard let value = item.value, seen.insert(item.name).inserted else { return nil }
                switch item.name {
                case "limit":
                    guard let limit = Int(value) else { return nil }
                    self.limit = limit
                case "cursor": cursor = value
                case "district": filter.district = value
                case "park": filter.park = value
                case "product": filter.product = value
                case "procedure": filter.procedure = value
                case "reviewer": filter.reviewer = value
                case "responsible": filter.responsibleOfficer = value
                case "channel":
                    guard let channel = ReviewChannel(rawValue: value) else { return nil }
                    filter.channel = channel
                case "status":
                    guard let status = ApplicationStatus(rawValue: value) else { return nil }
                    filter.status = status
                case "level":
                    guard let level = ReviewClock.Level(rawValue: value) else { return nil }
                    filter.level = level
                case "overdue":
                    guard let overdue = Bool(value) else { return nil }
                    filter.overdue = overdue
                case "open":
                    guard let open = Bool(value) else { return nil }
                    filter.open = open
                case "sort":
                    guard value == "id" || value == "remaining" else { return nil }
                    filter.byRemaining = value == "remaining"
                default:
                    return nil
                }
            }
        }
    }
}
