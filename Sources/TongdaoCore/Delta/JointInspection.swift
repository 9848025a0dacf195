import Foundation

/// A partner province's inspector on a joint inspection's team (联合检查, 人员交叉参与): named by the
/// partner, with no account of Shanghai's.
public struct JointMember: Sendable, Equatable, Codable {
    public var name: String
    /// The inspector's body (by default the partner's regulator).
    public var organisation: String
    /// 职务或检查员资格, when given.
    public var title: String?

    public init(name: String, organisation: String, title: String? = nil) {
        self.name = name
        self.organisation = organisation
        self.title = title
    }
}

/// Where a partner's recorded inspection result stands with Shanghai.
public enum PartnerResultStatus: String, LabelledCode {
    /// 待认定: recorded by the partner, not yet decided.
    case recorded
    /// 已互认: Shanghai's plan counts it as its own inspection of the target.
    case recognised
    /// 不予互认: declined, with the reason.
    case declined

    public var label: String {
        switch self {
        case .recorded: "待认定"
        case .recognised: "已互认"
        case .declined: "不予互认"
        }
    }
}

/// The rules of joint inspections and of recognising results that need no database.
public enum JointRules {
    /// The most inspectors a partner sends to one joint inspection.
    public static let maximumMembers = 6

    /// Whether an inspection in `status` may still be made joint or change its partner's team: open and
    /// not yet past the visit (rectifying is after it).
    public static func takesTeam(_ status: InspectionStatus) -> Bool { status.isOpen && status != .rectifying }

    /// The inspection types a partner's result of a Shanghai enterprise may stand for: a production
    /// inspection and an inspection for cause (the trial institutions and licences are the city's).
    public static let recognisable: [InspectionType] = [.manufacturer, .forCause]

    /// Everything wrong with a partner's team, at `members[i].field`: one member at least (`members`),
    /// `maximumMembers` at most, each named, no name twice.
    public static func problems(members: [JointMember]) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if members.isEmpty {
            problems.append(FieldProblem("members", "needs at least one inspector", chinese: "请至少填写一名检查员"))
        } else if members.count > maximumMembers {
            problems.append(FieldProblem("members", "at most \(maximumMembers) inspectors", chinese: "一省派出的检查员不超过 \(maximumMembers) 名"))
        }
        var seen: Set<String> = []
        for (index, member) in members.enumerated() {
            let name = member.name.trimmingCharacters(in: .whitespacesAndNewlines)
            if name.isEmpty {
                problems.append(FieldProblem("members[\(index)].name", "is required", chinese: "第 \(index + 1) 名检查员：请填写姓名"))
            } else if !seen.insert(name).inserted {
                problems.append(FieldProblem("members[\(index)].name", "is named twice", chinese: "第 \(index + 1) 名检查员：“\(name)”重复"))
            }
            if member.organisation.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                problems.append(FieldProblem("members[\(index)].organisation", "is required", chinese: "第 \(index + 1) 名检查员：请填写所在单位"))
            }
        }
        return problems
    }

    /// Everything wrong with a partner's result's types: one at least, each among `recognisable`.
    public static func problems(types: [InspectionType]) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if types.isEmpty {
            problems.append(FieldProblem("types", "needs at least one type", chinese: "请选择检查类型"))
        } else if let other = types.first(where: { !recognisable.contains($0) }) {
            problems.append(
                FieldProblem(
                    "types", "\(other.rawValue) cannot be recognised from a partner",
                    chinese: "“\(other.label)”不在互认范围内：可互认的是\(recognisable.map(\.label).joined(separator: "、"))"))
        }
        return problems
    }

    /// What a recognised result says on the inspection it settles: who inspected, when, under which
    /// reference, and what it concluded.
    public static func basis(province: DeltaProvince, reference: String, completedOn: CivilDate, summary: String?) -> String {
        let head = "互认\(province.regulator)检查结果（\(reference)，\(completedOn.description) 完成）"
        guard let summary, !summary.isEmpty else { return head }
        return head + "：" + summary
    }
}
