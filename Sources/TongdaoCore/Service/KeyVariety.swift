import Foundation

// The key-varieties service list (在研重点品种服务清单, issue 20 item 1): a product under development
// enters with its reason, proposed by a district, a park or a station and confirmed by the
// regulator; it gets a station, a responsible officer, optionally a counsellor named by the national
// sub-centre and, for a major project, a task force (专班); and a service plan of milestones for the
// steps ahead, each with a due date, in the order of the steps.

/// Why a product is on the list.
public enum KeyVarietyReason: String, LabelledCode {
    /// 重点领域（高端医疗装备、人工智能等）
    case keyArea = "key_area"
    /// 重大项目
    case majorProject = "major_project"
    /// 国内首创
    case firstInCountry = "first_in_country"
    /// 国际领先
    case internationalLeading = "international_leading"
    /// 临床急需
    case urgentClinicalNeed = "urgent_clinical_need"
    /// 其他
    case other

    public var label: String {
        switch self {
        case .keyArea: "重点领域"
        case .majorProject: "重大项目"
        case .firstInCountry: "国内首创"
        case .internationalLeading: "国际领先"
        case .urgentClinicalNeed: "临床急需"
        case .other: "其他"
        }
    }
}

/// Where an entry stands.
public enum KeyVarietyStatus: String, LabelledCode {
    /// 待确认
    case proposed
    /// 已列入
    case confirmed
    /// 未列入
    case declined

    public var label: String {
        switch self {
        case .proposed: "待市局确认"
        case .confirmed: "已列入"
        case .declined: "未列入"
        }
    }
}

/// A step ahead of a product on its way to market, in the order the steps come.
public enum ServiceStep: String, LabelledCode, Comparable {
    /// 注册检验
    case registrationTesting = "registration_testing"
    /// 临床试验
    case clinicalTrial = "clinical_trial"
    /// 注册申报与技术审评
    case review
    /// 注册质量管理体系核查
    case qmsInspection = "qms_inspection"
    /// 生产许可
    case productionLicence = "production_licence"

    public var label: String {
        switch self {
        case .registrationTesting: "注册检验"
        case .clinicalTrial: "临床试验"
        case .review: "注册申报与技术审评"
        case .qmsInspection: "注册质量管理体系核查"
        case .productionLicence: "生产许可"
        }
    }

    var order: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    public static func < (lhs: ServiceStep, rhs: ServiceStep) -> Bool { lhs.order < rhs.order }
}

/// One milestone of a service plan.
public struct ServiceMilestone: Sendable, Equatable {
    public var step: ServiceStep
    public var title: String
    public var dueOn: CivilDate
    public var doneOn: CivilDate?

    public init(step: ServiceStep, title: String, dueOn: CivilDate, doneOn: CivilDate? = nil) {
        self.step = step
        self.title = title
        self.dueOn = dueOn
        self.doneOn = doneOn
    }

    public func overdue(today: CivilDate) -> Bool { doneOn == nil && today > dueOn }

    /// What is wrong with a plan, each at its milestone's field: a step twice
    /// (`milestones[N].step`), or a milestone due before the milestone of the step before it
    /// (`milestones[N].dueOn`) — the steps follow one another, so their due dates do too.
    public static func problems(_ plan: [ServiceMilestone]) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        var seen: Set<ServiceStep> = []
        for (index, milestone) in plan.enumerated() where !seen.insert(milestone.step).inserted {
            problems.append(FieldProblem("milestones[\(index)].step", "is in the plan already", chinese: "“\(milestone.step.label)”已在计划中"))
        }
        guard problems.isEmpty else { return problems }
        let ordered = plan.enumerated().sorted { $0.element.step < $1.element.step }
        for (previous, next) in zip(ordered, ordered.dropFirst()) where next.element.dueOn < previous.element.dueOn {
            problems.append(
                FieldProblem(
                    "milestones[\(next.offset)].dueOn",
                    "cannot be before the milestone of the step before it (\(previous.element.step.rawValue), \(previous.element.dueOn))",
                    chinese: "“\(next.element.step.label)”的完成期限不能早于前一环节“\(previous.element.step.label)”（\(previous.element.dueOn)）"))
        }
        return problems.sorted { $0.field < $1.field }
    }

    /// The plan as a row keeps it: JSON, days as text.
    public static func storedText(of plan: [ServiceMilestone]) -> String {
        (try? String(decoding: JSONEncoder().encode(plan.map(Stored.init)), as: UTF8.self)) ?? "[]"
    }

    public static func plan(storedText text: String) -> [ServiceMilestone] {
        ((try? JSONDecoder().decode([Stored].self, from: Data(text.utf8))) ?? []).compactMap(\.milestone)
    }

    private struct Stored: Codable {
        var step: String
        var title: String
        var due: String
        var done: String?

        init(_ milestone: ServiceMilestone) {
            step = milestone.step.rawValue
            title = milestone.title
            due = milestone.dueOn.description
            done = milestone.doneOn?.description
        }

        var milestone: ServiceMilestone? {
            guard let step = ServiceStep(rawValue: step), let due = CivilDate(due) else { return nil }
            return ServiceMilestone(step: step, title: title, dueOn: due, doneOn: done.flatMap(CivilDate.init))
        }
    }
}
