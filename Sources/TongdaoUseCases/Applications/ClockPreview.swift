import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// A review clock computed from a timeline that is not stored (`POST /api/v1/clock/preview`):
/// what a reviewer or an enterprise asks before an event is recorded.
public struct ClockPreviewUseCases: Sendable {
    let platform: Platform

    /// One event of the timeline as sent.
    public struct EventInput: Sendable, Equatable {
        /// A `ClockEvent.Kind` code.
        public var type: String
        /// `YYYY-MM-DD`.
        public var on: String
        public var days: Int?

        public init(type: String, on: String, days: Int?) {
            self.type = type
            self.on = on
            self.days = days
        }
    }

    public struct Preview: Sendable, Equatable {
        public var reading: ReviewClock.Reading
        public var procedure: String
        public var version: String
        public var asOf: CivilDate
    }

    public static let maximumEvents = 1_000

    /// The clock of `events` (the first the acceptance) under the version of `procedure` in force on
    /// the day of acceptance, as of `asOf` (today when nil), explained segment by segment.
    public func preview(procedure code: String, events input: [EventInput], asOf text: String?) async throws -> Preview {
        var problems: [FieldProblem] = []
        var asOf = platform.clock.today()
        if let text {
            if let date = CivilDate(text) {
                asOf = date
            } else {
                problems.append(.init("asOf", "must be a date YYYY-MM-DD", chinese: "计算日应为 YYYY-MM-DD 格式的日期"))
            }
        }
        if input.isEmpty { problems.append(.init("events", "must hold at least the accepted event", chinese: "时间线至少包含受理事件")) }
        if input.count > Self.maximumEvents {
            problems.append(.init("events", "must hold at most \(Self.maximumEvents) events", chinese: "时间线至多 \(Self.maximumEvents) 个事件"))
        }
        var events: [ClockEvent] = []
        for (index, event) in input.prefix(Self.maximumEvents).enumerated() {
            let kind = ClockEvent.Kind(rawValue: event.type)
            let date = CivilDate(event.on)
            if kind == nil {
                problems.append(
                    .init(
                        "events[\(index)].type", "must be one of \(ClockEvent.Kind.allCases.map(\.rawValue).joined(separator: ", "))",
                        chinese: "事件类型无效"))
            }
            if date == nil { problems.append(.init("events[\(index)].on", "must be a date YYYY-MM-DD", chinese: "日期应为 YYYY-MM-DD")) }
            if let days = event.days, !(1...10_000).contains(days) {
                problems.append(.init("events[\(index)].days", "must be between 1 and 10000", chinese: "应为 1–10000 的工作日数"))
            }
            if let kind, let date { events.append(ClockEvent(kind, on: date, days: event.days)) }
        }
        guard problems.isEmpty else { throw UseCaseError.malformed(problems) }
        guard let procedure = try await ProcedureStore.procedure(code: code, on: platform.database) else {
            throw UseCaseError.invalid([
                .init("procedure", "no procedure has the code \(code.prefix(80)); see /api/v1/procedures", chinese: "没有该审评程序")
            ])
        }
        let accepted = events[0].on
        guard let version = procedure.version(inForceOn: accepted) else {
            throw UseCaseError.invalid([
                .init("procedure", "no version of \(procedure.code) was in force on \(accepted)", chinese: "受理日期时该程序尚未施行")
            ])
        }
        let calendar = try await platform.calendar()
        do {
            let reading = try ReviewClock.read(version: version, events: events, asOf: asOf, calendar: calendar)
            return Preview(reading: reading, procedure: procedure.code, version: version.version, asOf: asOf)
        } catch {
            throw UseCaseError.impossibleEvent(event: error.event, FieldProblem("events[\(error.index)]", error.reason, chinese: error.chinese))
        }
    }
}

extension Platform {
    public var clockPreview: ClockPreviewUseCases { ClockPreviewUseCases(platform: self) }
}
