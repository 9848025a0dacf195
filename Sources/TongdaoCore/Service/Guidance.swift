import Foundation

// Guidance records (一对一服务记录, issue 20 item 2): a station's session with an enterprise — when,
// how, who came, the topics (from the topic list held as data), the questions raised, the advice
// given, and follow-up items each with its owner and a due date counted in working days.

/// How a guidance session was held.
public enum GuidanceMode: String, LabelledCode {
    /// 现场
    case onSite = "on_site"
    /// 视频
    case video
    /// 电话
    case phone

    public var label: String {
        switch self {
        case .onSite: "现场"
        case .video: "视频"
        case .phone: "电话"
        }
    }
}

/// One follow-up item of a session: what is to be done, by whom, by when.
public struct GuidanceFollowUp: Sendable, Equatable {
    public var item: String
    /// Who does it (a name, or the enterprise).
    public var owner: String
    /// Working days after the session within which it is due.
    public var dueInWorkingDays: Int
    public var dueOn: CivilDate
    public var doneOn: CivilDate?

    public init(item: String, owner: String, dueInWorkingDays: Int, dueOn: CivilDate, doneOn: CivilDate? = nil) {
        self.item = item
        self.owner = owner
        self.dueInWorkingDays = dueInWorkingDays
        self.dueOn = dueOn
        self.doneOn = doneOn
    }

    /// Open and past its due date.
    public func overdue(today: CivilDate) -> Bool { doneOn == nil && today > dueOn }

    /// The follow-ups as a row keeps them: JSON, days as `YYYY-MM-DD`.
    public static func storedText(of items: [GuidanceFollowUp]) -> String {
        (try? String(decoding: JSONEncoder().encode(items.map(Stored.init)), as: UTF8.self)) ?? "[]"
    }

    public static func items(storedText text: String) -> [GuidanceFollowUp] {
        ((try? JSONDecoder().decode([Stored].self, from: Data(text.utf8))) ?? []).compactMap(\.followUp)
    }

    private struct Stored: Codable {
        var item: String
        var owner: String
        var days: Int
        var due: String
        var done: String?

        init(_ followUp: GuidanceFollowUp) {
            item = followUp.item
            owner = followUp.owner
            days = followUp.dueInWorkingDays
            due = followUp.dueOn.description
            done = followUp.doneOn?.description
        }

        var followUp: GuidanceFollowUp? {
            CivilDate(due).map { GuidanceFollowUp(item: item, owner: owner, dueInWorkingDays: days, dueOn: $0, doneOn: done.flatMap(CivilDate.init)) }
        }
    }
}
