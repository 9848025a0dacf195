/// What the city sends a partner province's regulator to answer on the platform.
public enum DeltaNoticeKind: String, LabelledCode {
    /// 风险通报: a risk found in Shanghai that concerns a party or a product in the partner's province.
    case risk
    /// 协查请求: a request for the partner's help — an inspection, a check, records — with what it found.
    case assistance

    public var label: String {
        switch self {
        case .risk: "风险通报"
        case .assistance: "协查请求"
        }
    }
}

/// Where a notice stands.
public enum DeltaNoticeStatus: String, LabelledCode {
    case open, answered

    public var label: String {
        switch self {
        case .open: "待答复"
        case .answered: "已答复"
        }
    }
}

/// The rules of a notice's time limit: the answer due so many working days after it was sent (the
/// day sent not counted), amber with `amberWorkingDays` or fewer left, red once the day has passed.
public enum NoticeRules {
    /// The time limits a notice may set.
    public static let workingDays = 1...60
    /// Working days left at which an open notice turns amber.
    public static let amberWorkingDays = 2

    /// The day the answer is due: the `workingDays`-th working day after `sentOn` (provisional past
    /// the published schedules).
    public static func due(sentOn: CivilDate, workingDays: Int, calendar: WorkCalendar) -> CivilDate {
        (try? calendar.addingWorkingDays(workingDays, to: sentOn, provisional: true).value) ?? sentOn.adding(days: workingDays)
    }

    /// An open notice's level on `today`; an answered one has none.
    public static func level(dueOn: CivilDate, answered: Bool, today: CivilDate, calendar: WorkCalendar) -> ReviewClock.Level? {
        guard !answered else { return nil }
        if today > dueOn { return .red }
        let left = (try? calendar.workingDays(from: today, to: dueOn, provisional: true).value) ?? (dueOn.dayNumber - today.dayNumber)
        return left <= amberWorkingDays ? .amber : .green
    }
}
