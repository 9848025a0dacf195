import Foundation

// The risk checklist of innovative products (创新药械上市后风险排查清单, issue 19 item 5): for every
// innovative or conditionally approved product on the market, its risk items (where each came from,
// the control suggested, who owns it, by when), the risk-consultation meetings (风险会商) that decide on
// them, a special supervision plan (专项方案), and the periodic risk evaluation reports due 60 days
// after each full year of the first registration cycle.

/// Where a risk came from.
public enum RiskSource: String, LabelledCode {
    case inspection
    case testing
    case adverseEvents = "adverse_events"
    case sampling
    case other

    public var label: String {
        switch self {
        case .inspection: "监督检查"
        case .testing: "检验检测"
        case .adverseEvents: "不良事件监测"
        case .sampling: "抽检"
        case .other: "其他"
        }
    }
}

/// Where a risk item stands.
public enum RiskItemStatus: String, LabelledCode {
    /// 待处置
    case open
    /// 控制中
    case controlling
    /// 已消除
    case closed

    public var label: String {
        switch self {
        case .open: "待处置"
        case .controlling: "控制中"
        case .closed: "已消除"
        }
    }
}

/// An event of a risk item's history.
public enum RiskItemEventKind: String, LabelledCode {
    case recorded
    case status
    case meeting

    public var label: String {
        switch self {
        case .recorded: "列入清单"
        case .status: "状态变更"
        case .meeting: "风险会商决定"
        }
    }
}

/// The periodic risk evaluation reports (定期风险评价报告) of a product's first registration cycle:
/// one for each full year after its approval, due 60 days after that year ends.
public enum PeriodicRiskReport {
    /// Years of the first registration cycle (a certificate is valid five years).
    public static let cycleYears = 5
    /// Days after a year's end the report is due.
    public static let daysAfterYear = 60

    /// One year's report: the period it covers and its due date.
    public struct Due: Sendable, Equatable {
        /// 1 for the first year after approval.
        public var year: Int
        public var from: CivilDate
        public var to: CivilDate
        public var dueOn: CivilDate
    }

    /// The reports of a cycle that began on `approvedOn`: year k covers approvedOn + (k−1) years to
    /// the day before approvedOn + k years (29 February counted as 28 February in other years), due
    /// 60 days after its last day.
    public static func schedule(approvedOn: CivilDate) -> [Due] {
        (1...cycleYears).map { year in
            let from = anniversary(of: approvedOn, years: year - 1)
            let to = anniversary(of: approvedOn, years: year).adding(days: -1)
            return Due(year: year, from: from, to: to, dueOn: to.adding(days: daysAfterYear))
        }
    }

    static func anniversary(of day: CivilDate, years: Int) -> CivilDate {
        let (year, month, date) = day.components
        let target = year + years
        return CivilDate(year: target, month: month, day: min(date, CivilDate.daysIn(month: month, year: target))) ?? day
    }

    /// Where one year's report stands today.
    public enum State: String, LabelledCode {
        /// The year has not ended.
        case upcoming
        /// The year has ended; the report is due and not yet late.
        case due
        /// Past its due date without a report.
        case overdue
        case submitted
        /// Submitted after its due date.
        case submittedLate = "submitted_late"

        public var label: String {
            switch self {
            case .upcoming: "未到期"
            case .due: "待提交"
            case .overdue: "逾期未交"
            case .submitted: "已提交"
            case .submittedLate: "逾期提交"
            }
        }
    }

    public static func state(of due: Due, submittedOn: CivilDate?, today: CivilDate) -> State {
        if let submittedOn { return submittedOn > due.dueOn ? .submittedLate : .submitted }
        if today > due.dueOn { return .overdue }
        return today > due.to ? .due : .upcoming
    }
}
