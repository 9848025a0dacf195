import Foundation
import TongdaoCore

/// An application as registered at acceptance, as a form or a client submits it: codes and text as
/// typed, read and checked by the use case.
public struct AcceptanceInput: Sendable, Equatable {
    public var productID: String
    public var procedure: String
    /// An `ApplicationAuthority` code.
    public var authority: String
    public var applicationNumber: String
    /// A `ReviewChannel` code.
    public var channel: String
    public var reviewer: String?
    public var responsibleOfficer: String?
    /// `YYYY-MM-DD`, not after today.
    public var acceptedOn: String

    public init(
        productID: String, procedure: String, authority: String, applicationNumber: String, channel: String, reviewer: String? = nil,
        responsibleOfficer: String? = nil, acceptedOn: String
    ) {
        self.productID = productID
        self.procedure = procedure
        self.authority = authority
        self.applicationNumber = applicationNumber
        self.channel = channel
        self.reviewer = reviewer
        self.responsibleOfficer = responsibleOfficer
        self.acceptedOn = acceptedOn
    }
}

/// An event of an application's review as the event form or `POST /api/v1/applications/{id}/events`
/// sends it: text as typed (blank counts as absent), read and checked by the use case.
public struct EventInput: Sendable, Equatable {
    /// An `ApplicationEventKind` code.
    public var type: String?
    /// `YYYY-MM-DD`, not after today.
    public var on: String?
    /// Working days of an extension, 1–10000.
    public var days: String?
    /// `approve` or `refuse`.
    public var decision: String?
    public var certificate: String?
    /// The id of the event a correction replaces.
    public var supersedes: String?
    public var reason: String?
    /// The reviewer's opinion or the inspection's findings: read by the regulator's roles only.
    public var note: String?
    /// For `qms_inspection_completed`: the production address inspected, and a `QMSOutcome` code.
    public var site: String?
    public var outcome: String?

    public init(
        type: String? = nil, on: String? = nil, days: String? = nil, decision: String? = nil, certificate: String? = nil,
        supersedes: String? = nil, reason: String? = nil, note: String? = nil, site: String? = nil, outcome: String? = nil
    ) {
        self.site = site
        self.outcome = outcome
        self.type = type
        self.on = on
        self.days = days
        self.decision = decision
        self.certificate = certificate
        self.supersedes = supersedes
        self.reason = reason
        self.note = note
    }

    /// The longest texts an event takes, in characters (the form's limits too).
    public static let noteLength = 4_000
    public static let reasonLength = 500
    public static let certificateLength = 40
    public static let siteLength = 200

    /// The event kind, if the type is one.
    var kind: ApplicationEventKind? { type.nonBlank.flatMap(ApplicationEventKind.init(rawValue:)) }

    /// The event, or every field problem at once (the lifecycle's own rules come after).
    func event(today: CivilDate) throws(UseCaseError) -> ApplicationEvent {
        var problems: [FieldProblem] = []
        let kind = self.kind
        if kind == nil {
            problems.append(
                FieldProblem("type", "must be one of \(ApplicationEventKind.allCases.map(\.rawValue).joined(separator: ", "))", chinese: "请选择事件"))
        }
        let date = on.nonBlank.flatMap { CivilDate($0) }
        if date == nil {
            problems.append(FieldProblem("on", "must be a date YYYY-MM-DD", chinese: "请填写日期（YYYY-MM-DD）"))
        } else if let date, date > today {
            problems.append(FieldProblem("on", "cannot be after today", chinese: "不能晚于今天"))
        }
        var days: Int?
        if let text = self.days.nonBlank {
            days = Int(text.trimmingWhitespace())
            if days.map({ !(1...10_000).contains($0) }) ?? true {
                problems.append(FieldProblem("days", "must be between 1 and 10000", chinese: "应为 1–10000 的工作日数"))
            }
        }
        var decision: ApprovalDecision?
        if let text = self.decision.nonBlank {
            decision = ApprovalDecision(rawValue: text)
            if decision == nil { problems.append(FieldProblem("decision", "must be approve or refuse", chinese: "请选择审批结论")) }
        }
        for (field, text, multiline, limit, chinese) in [
            ("reason", reason, false, Self.reasonLength, "理由"), ("note", note, true, Self.noteLength, "审评意见 / 核查发现"),
            ("certificate", certificate, false, Self.certificateLength, "注册证号"), ("site", site, false, Self.siteLength, "核查地址"),
        ] {
            if let text, text.count > limit {
                problems.append(FieldProblem(field, "must be at most \(limit) characters", chinese: "\(chinese)不超过 \(limit) 个字符"))
            } else if let problem = TextRules.problem(field, text, multiline: multiline) {
                problems.append(problem)
            }
        }
        var supersedes: UUID?
        if let text = self.supersedes.nonBlank {
            supersedes = UUID(uuidString: text)
            if supersedes == nil { problems.append(FieldProblem("supersedes", "must be an event id", chinese: "请选择要更正的事件")) }
        }
        var outcome: QMSOutcome?
        if let text = self.outcome.nonBlank {
            outcome = QMSOutcome(rawValue: text)
            if outcome == nil {
                problems.append(
                    FieldProblem(
                        "outcome", "must be one of \(QMSOutcome.allCases.map(\.rawValue).joined(separator: ", "))", chinese: "请选择核查结果"))
            }
        }
        if kind != .qmsInspectionCompleted {
            for (field, text, label) in [("site", site, "核查地址"), ("outcome", self.outcome, "核查结果")] where text.nonBlank != nil {
                problems.append(FieldProblem(field, "is recorded only with qms_inspection_completed", chinese: "只有“体系核查完成”记录\(label)"))
            }
        }
        guard problems.isEmpty, let kind, let date else { throw .invalid(problems) }
        return ApplicationEvent(
            kind, on: date, days: days, decision: decision, certificate: certificate.nonBlank, supersedes: supersedes, reason: reason.nonBlank,
            site: site.nonBlank?.trimmingWhitespace(), qmsOutcome: outcome)
    }
}
