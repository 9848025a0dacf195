import Foundation
import TongdaoCore

/// An inspector as a form or a request body gives them: text as typed, every list whole (an update
/// replaces the employments, ties and trainings with those given).
public struct InspectorInput: Sendable, Equatable {
    /// The user account to link (its username), or none.
    public var username: String?
    public var name: String?
    public var categories: [String]
    public var specialties: [String]
    public var fullTime: Bool
    public var rank: String?
    public var capacityDays: String?
    public var active: Bool
    public var employments: [EmploymentInput]
    public var relationships: [RelationshipInput]
    public var trainings: [TrainingInput]

    public init(
        username: String? = nil, name: String?, categories: [String], specialties: [String], fullTime: Bool, rank: String?,
        capacityDays: String?, active: Bool = true, employments: [EmploymentInput] = [], relationships: [RelationshipInput] = [],
        trainings: [TrainingInput] = []
    ) {
        self.username = username
        self.name = name
        self.categories = categories
        self.specialties = specialties
        self.fullTime = fullTime
        self.rank = rank
        self.capacityDays = capacityDays
        self.active = active
        self.employments = employments
        self.relationships = relationships
        self.trainings = trainings
    }

    /// The most of each list one inspector keeps.
    static let maximumEmployments = 20
    static let maximumRelationships = 50
    static let maximumTrainings = 200
}

public struct EmploymentInput: Sendable, Equatable {
    public var employer: String?
    public var uscc: String?
    public var from: String?
    public var to: String?

    public init(employer: String?, uscc: String? = nil, from: String?, to: String? = nil) {
        self.employer = employer
        self.uscc = uscc
        self.from = from
        self.to = to
    }

    /// Nothing typed in the row (a form's spare row).
    public var isBlank: Bool { [employer, uscc, from, to].allSatisfy { ($0?.trimmingWhitespace() ?? "").isEmpty } }
}

public struct RelationshipInput: Sendable, Equatable {
    public var party: String?
    public var uscc: String?
    public var kind: String?
    public var declaredOn: String?
    public var note: String?

    public init(party: String?, uscc: String? = nil, kind: String?, declaredOn: String?, note: String? = nil) {
        self.party = party
        self.uscc = uscc
        self.kind = kind
        self.declaredOn = declaredOn
        self.note = note
    }

    public var isBlank: Bool { [party, uscc, kind, declaredOn, note].allSatisfy { ($0?.trimmingWhitespace() ?? "").isEmpty } }
}

public struct TrainingInput: Sendable, Equatable {
    public var on: String?
    public var course: String?
    /// Hours, whole or with one decimal (`3.5`).
    public var hours: String?

    public init(on: String?, course: String?, hours: String?) {
        self.on = on
        self.course = course
        self.hours = hours
    }

    public var isBlank: Bool { [on, course, hours].allSatisfy { ($0?.trimmingWhitespace() ?? "").isEmpty } }
}

extension InspectorInput {
    /// The profile the input describes, or every problem with it (each field named as the API names
    /// it: `employments[1].from`).
    func profile(today: CivilDate) throws -> InspectorProfile {
        var reader = FieldReader()
        let name = reader.text("name", name, label: "姓名", maximum: 40)
        let categories = reader.codes("categories", categories, label: "检查员类别", as: InspectorCategory.self)
        let specialties = reader.codes("specialties", specialties, label: "检查专业", as: InspectionSpecialty.self)
        let rank = reader.code("rank", rank, label: "组长或组员", as: InspectorRank.self)
        var capacity: Int?
        if let text = capacityDays?.trimmingWhitespace(), !text.isEmpty {
            if let days = Int(text) {
                capacity = reader.count("capacityDays", days, label: "年度可用检查天数", in: 0...366)
            } else {
                reader.problems.append(FieldProblem("capacityDays", "must be a whole number of days", chinese: "年度可用检查天数应为整数"))
            }
        } else {
            reader.problems.append(FieldProblem("capacityDays", "is required", chinese: "请填写年度可用检查天数"))
        }
        for (list, count, maximum, label) in [
            ("employments", employments.count, Self.maximumEmployments, "任职经历"),
            ("relationships", relationships.count, Self.maximumRelationships, "申报的利益关系"),
            ("trainings", trainings.count, Self.maximumTrainings, "培训记录"),
        ] where count > maximum {
            reader.problems.append(FieldProblem(list, "holds at most \(maximum)", chinese: "\(label)最多 \(maximum) 条"))
        }
        var employments: [InspectorEmployment] = []
        for (index, row) in self.employments.enumerated() where !row.isBlank {
            let field = "employments[\(index)]"
            let employer = reader.text("\(field).employer", row.employer, label: "任职单位", maximum: 100)
            let uscc = reader.uscc("\(field).uscc", row.uscc, label: "任职单位的统一社会信用代码")
            let from = reader.anyDay("\(field).from", row.from, label: "任职起始日期", required: true)
            let to = reader.anyDay("\(field).to", row.to, label: "任职结束日期")
            if let employer, let from { employments.append(InspectorEmployment(employer: PartyRef(name: employer, uscc: uscc), from: from, to: to)) }
        }
        var relationships: [InspectorRelationship] = []
        for (index, row) in self.relationships.enumerated() where !row.isBlank {
            let field = "relationships[\(index)]"
            let party = reader.text("\(field).party", row.party, label: "关联单位", maximum: 100)
            let uscc = reader.uscc("\(field).uscc", row.uscc, label: "关联单位的统一社会信用代码")
            let kind = reader.code("\(field).kind", row.kind, label: "关系类型", as: RelationshipKind.self)
            let declaredOn = reader.anyDay("\(field).declaredOn", row.declaredOn, label: "申报日期", required: true)
            let note = reader.text("\(field).note", row.note, label: "说明", maximum: 200, required: false)
            if let party, let kind, let declaredOn {
                relationships.append(InspectorRelationship(party: PartyRef(name: party, uscc: uscc), kind: kind, declaredOn: declaredOn, note: note))
            }
        }
        var trainings: [InspectorTraining] = []
        for (index, row) in self.trainings.enumerated() where !row.isBlank {
            let field = "trainings[\(index)]"
            let on = reader.anyDay("\(field).on", row.on, label: "培训日期", required: true)
            let course = reader.text("\(field).course", row.course, label: "培训课程", maximum: 100)
            var tenths: Int?
            if let text = row.hours?.trimmingWhitespace(), !text.isEmpty {
                tenths = InspectorTraining.tenths(of: text)
                if tenths == nil || !(1...2_000).contains(tenths ?? 0) {
                    reader.problems.append(
                        FieldProblem(
                            "\(field).hours", "must be hours between 0.1 and 200, with one decimal at most", chinese: "学时应在 0.1 至 200 之间，至多一位小数"))
                    tenths = nil
                }
            } else {
                reader.problems.append(FieldProblem("\(field).hours", "is required", chinese: "请填写学时"))
            }
            if let on, let course, let tenths { trainings.append(InspectorTraining(on: on, course: course, tenthsOfHours: tenths)) }
        }
        try reader.check()
        guard let name, let rank, let capacity else { throw UseCaseError.invalid(reader.problems) }
        let profile = InspectorProfile(
            name: name, categories: categories, specialties: specialties, fullTime: fullTime, rank: rank, capacityDays: capacity, active: active,
            employments: employments, relationships: relationships, trainings: trainings)
        // The rows are named by their places as typed; the profile keeps them in their order.
        let problems = profile.problems(today: today)
        guard problems.isEmpty else { throw UseCaseError.invalid(problems) }
        return profile.normalized
    }
}
