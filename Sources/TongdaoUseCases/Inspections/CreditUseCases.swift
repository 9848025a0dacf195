import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// A party's credit file as read: who it is, its events with their points, the grade explained.
public struct CreditFileRecord: Sendable, Equatable {
    public var kind: InspectionTargetKind
    public var id: UUID
    public var name: String
    public var assessment: CreditAssessment
    /// Whether the caller may record 告诫约谈 and 行政处罚 on it.
    public var mayRecord: Bool
}

/// A version of the credit policy as a form sends it: each figure as typed, the points by event kind code.
public struct CreditPolicyInput: Sendable, Equatable {
    public var effectiveFrom: String?
    public var base: String?
    public var years: String?
    public var gradeA: String?
    public var gradeB: String?
    public var gradeC: String?
    public var points: [String: String]

    public init(
        effectiveFrom: String?, base: String?, years: String?, gradeA: String?, gradeB: String?, gradeC: String?, points: [String: String]
    ) {
        self.effectiveFrom = effectiveFrom
        self.base = base
        self.years = years
        self.gradeA = gradeA
        self.gradeB = gradeB
        self.gradeC = gradeC
        self.points = points
    }
}

/// Credit files (信用档案, issue 18 item 5): for every enterprise and institution, the events of its
/// inspections, of the key-supervision list and those the regulator records, each worth the
/// policy's points; a grade A–D that explains itself. The party reads its own file.
public struct CreditUseCases: Sendable {
    let platform: Platform

    public func file(kind: String, id: UUID, by caller: Caller) async throws -> CreditFileRecord {
        try caller.require(.readCredit)
        let kind = try Self.kind(kind)
        let db = platform.database
        guard let party = try await CreditStore.party(kind: kind, id: id, on: db), Self.reads(caller, party) else {
            throw UseCaseError.notFound(kind == .enterprise ? .enterprise : .institution)
        }
        let events = try await CreditStore.events(of: id, today: platform.clock.today(), on: db)
        let versions = try await CreditStore.policies(on: db)
        return CreditFileRecord(
            kind: kind, id: id, name: party.name,
            assessment: CreditAssessment.assess(events, versions: versions, today: platform.clock.today()), mayRecord: caller.may(.recordCredit))
    }

    /// Every version of the credit policy (each in force from its day), and the one in force today:
    /// for whoever reads credit files (a party learns how its file is graded).
    public func policies(by caller: Caller) async throws -> (inForce: CreditPolicy, versions: [CreditPolicy]) {
        try caller.require(.readCredit)
        let versions = try await CreditStore.policies(on: platform.database)
        return (CreditPolicy.inForce(on: platform.clock.today(), among: versions), versions)
    }

    /// The same from a form: figures as typed (a blank point left at 0), each one not a whole
    /// number named at its field.
    public func setPolicy(_ input: CreditPolicyInput, by caller: Caller) async throws -> [CreditPolicy] {
        try caller.require(.writeProcedure)
        var reader = FieldReader()
        var points: [String: Int] = [:]
        for kind in CreditEventKind.allCases {
            points[kind.rawValue] =
                reader.wholeNumber("points.\(kind.rawValue)", input.points[kind.rawValue], label: "“\(kind.label)”的分值", blank: 0) ?? 0
        }
        func figure(_ field: String, _ value: String?, _ label: String) -> Int { reader.wholeNumber(field, value, label: label) ?? 0 }
        let policy = CreditPolicy(
            effectiveFrom: input.effectiveFrom?.trimmingWhitespace() ?? "", base: figure("base", input.base, "基础分"), points: points,
            years: figure("years", input.years, "计分年限"), gradeA: figure("gradeA", input.gradeA, "A 级最低分"),
            gradeB: figure("gradeB", input.gradeB, "B 级最低分"), gradeC: figure("gradeC", input.gradeC, "C 级最低分"))
        guard reader.problems.isEmpty else {
            throw UseCaseError.invalid(reader.problems + policy.problems(today: platform.clock.today()).filter { $0.field == "effectiveFrom" })
        }
        return try await setPolicy(policy, by: caller)
    }

    /// Puts a version of the credit policy in force from a day (today or later; one from the same
    /// day is replaced): `city_admin` only, audited. Each event keeps the points of the version in
    /// force on its day.
    public func setPolicy(_ policy: CreditPolicy, by caller: Caller) async throws -> [CreditPolicy] {
        try await platform.putPolicy(policy, key: PlatformSetting.Key.creditPolicy, audit: "settings.credit_policy", by: caller)
    }

    /// Records 告诫约谈 or 行政处罚 on a party's file (the regulator), with an audit row.
    public func record(kind: String, id: UUID, event: String?, on day: String?, detail: String?, by caller: Caller) async throws -> CreditFileRecord {
        try caller.require(.recordCredit)
        let partyKind = try Self.kind(kind)
        let today = platform.clock.today()
        var reader = FieldReader()
        let eventKind = reader.code("kind", event, label: "信用事件", as: CreditEventKind.self)
        if let eventKind, !eventKind.isRecordedByHand {
            reader.problems.append(
                FieldProblem("kind", "is read from inspections and the list, not recorded by hand", chinese: "该类事件由检查结论和重点监管名单自动记入，不能手工登记"))
        }
        let on = reader.day("occurredOn", day, label: "发生日期", today: today, required: true)
        let detail = reader.text("detail", detail, label: "事由", maximum: 500)
        let problems = reader.problems
        try await platform.write(by: caller) { write in
            guard let party = try await CreditStore.party(kind: partyKind, id: id, on: write.db) else {
                throw UseCaseError.notFound(partyKind == .enterprise ? .enterprise : .institution)
            }
            guard problems.isEmpty, let eventKind, let on, let detail else { throw UseCaseError.invalid(problems) }
            try await CreditStore.record(
                CreditEvent(kind: eventKind, on: on, detail: detail), of: party, by: caller.audit.name, now: write.now, on: write.db)
            try await write.audit(
                "credit.record", entityType: "credit", entityID: id.uuidString, before: nil,
                after: try Audit.json(["party": party.name, "kind": eventKind.rawValue, "on": on.description, "detail": detail]))
        }
        return try await file(kind: kind, id: id, by: caller)
    }

    /// Whether the caller reads this party's credit file (for the pages to link it; `file` decides again).
    public func reads(kind: InspectionTargetKind, id: UUID, uscc: String?, by caller: Caller) -> Bool {
        caller.may(.readCredit) && Self.reads(caller, CreditStore.Party(kind: kind, id: id, name: "", uscc: uscc, district: nil, park: nil))
    }

    /// The regulator's side and the inspectors read every file; an enterprise its own (by credit
    /// code), an institution's office its institution's.
    static func reads(_ caller: Caller, _ party: CreditStore.Party) -> Bool {
        switch caller.scope {
        case .city: true
        case .enterprise(let uscc): party.kind == .enterprise && party.uscc == uscc
        case .institution(let id): party.kind == .trialInstitution && party.id.uuidString == id
        default: false
        }
    }

    static func kind(_ text: String) throws -> InspectionTargetKind {
        guard let kind = InspectionTargetKind(rawValue: text) else {
            throw UseCaseError.malformed([FieldProblem("kind", "must be enterprise or trial_institution", chinese: "对象类型应为企业或临床试验机构")])
        }
        return kind
    }
}

extension Platform {
    public var credit: CreditUseCases { CreditUseCases(platform: self) }
}
