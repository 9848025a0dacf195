import Foundation

// Conditional-approval obligations (附条件批准, issue 19 item 4): each condition of an approval with
// its due date and the named officer following it; the registrant submits its evidence, the officer
// accepts it or returns it. Amber as the due date nears, red once it has passed; an obligation
// whose evidence came after its due date (or has not come by then) is overdue and counts on the
// registrant's credit file from the day after.

/// What a condition asks of the registrant.
public enum ObligationKind: String, LabelledCode {
    /// 完成确证性临床试验
    case confirmatoryTrial = "confirmatory_trial"
    /// 开展上市后研究
    case postMarketStudy = "post_market_study"
    /// 提交风险管理计划 / 定期报告
    case riskManagement = "risk_management"
    /// 补充提交资料
    case dataSubmission = "data_submission"
    /// 其他条件
    case other

    public var label: String {
        switch self {
        case .confirmatoryTrial: "完成确证性临床试验"
        case .postMarketStudy: "开展上市后研究"
        case .riskManagement: "风险管理计划或报告"
        case .dataSubmission: "补充提交资料"
        case .other: "其他条件"
        }
    }
}

/// Where an obligation stands.
public enum ObligationStatus: String, LabelledCode {
    /// 待履行: no evidence yet, or the last evidence returned.
    case open
    /// 待审核: evidence submitted, awaiting the officer.
    case submitted
    /// 已履行: evidence accepted.
    case fulfilled

    public var label: String {
        switch self {
        case .open: "待履行"
        case .submitted: "证据待审核"
        case .fulfilled: "已履行"
        }
    }
}

/// The officer's decision on submitted evidence.
public enum ObligationDecision: String, LabelledCode {
    case accept
    case `return`

    public var label: String {
        switch self {
        case .accept: "确认履行"
        case .return: "退回补充"
        }
    }
}

/// How an obligation looks today: on track, amber (the due date within `Obligation.amberDays`
/// calendar days), red (past it without evidence), or done.
public enum ObligationAlert: String, LabelledCode, Comparable {
    case none
    case amber
    case red
    case done

    public var label: String {
        switch self {
        case .none: "正常"
        case .amber: "临近到期"
        case .red: "已逾期"
        case .done: "已履行"
        }
    }

    private var rank: Int {
        switch self {
        case .red: 0
        case .amber: 1
        case .none: 2
        case .done: 3
        }
    }

    /// Red first, then amber, on track, done.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
}

/// An obligation's dates and state, and what follows from them.
public struct Obligation: Sendable, Equatable {
    /// Amber from so many calendar days before the due date.
    public static let amberDays = 30

    public var dueOn: CivilDate
    public var status: ObligationStatus
    /// The day the latest evidence was submitted (kept when it is returned).
    public var submittedOn: CivilDate?
    /// The day the evidence that was accepted had been submitted.
    public var satisfiedOn: CivilDate?

    public init(dueOn: CivilDate, status: ObligationStatus, submittedOn: CivilDate? = nil, satisfiedOn: CivilDate? = nil) {
        self.dueOn = dueOn
        self.status = status
        self.submittedOn = submittedOn
        self.satisfiedOn = satisfiedOn
    }

    /// The day it became overdue, if it has by `today`: the registrant's evidence is what counts
    /// (evidence submitted on the due date and accepted later is on time; evidence under review
    /// that came after the due date, or none by then, is overdue from the day after it).
    public func overdueSince(today: CivilDate) -> CivilDate? {
        let dayAfter = dueOn.adding(days: 1)
        switch status {
        case .fulfilled:
            return (satisfiedOn ?? dueOn) > dueOn ? dayAfter : nil
        case .submitted:
            if let submittedOn, submittedOn <= dueOn { return nil }
            return today > dueOn ? dayAfter : nil
        case .open:
            return today > dueOn ? dayAfter : nil
        }
    }

    /// Amber, red, on track or done, today.
    public func alert(today: CivilDate) -> ObligationAlert {
        if status == .fulfilled { return .done }
        if overdueSince(today: today) != nil { return .red }
        if status == .submitted { return .none }
        return dueOn.dayNumber - today.dayNumber <= Self.amberDays ? .amber : .none
    }

    /// Days left to the due date (negative once it has passed).
    public func daysLeft(today: CivilDate) -> Int { dueOn.dayNumber - today.dayNumber }
}

/// An event of an obligation's history.
public enum ObligationEventKind: String, LabelledCode {
    case set
    case evidence
    case accepted
    case returned

    public var label: String {
        switch self {
        case .set: "设定义务"
        case .evidence: "提交履行证据"
        case .accepted: "确认履行"
        case .returned: "退回补充"
        }
    }

    /// Whether its text is the evidence's or the officer's note on it (confidential).
    public var isConfidential: Bool { self == .evidence || self == .returned }
}
