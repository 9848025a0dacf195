import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// One pair of a detection run, named.
public struct SignalRow: Sendable, Equatable {
    public var subject: String
    /// The product's name, or the sub-catalogue's code and name.
    public var subjectName: String
    public var term: EventTermRecord
    public var measures: Disproportionality
    public var methods: [SignalMethod]
    /// The pair's entry on the signal list, if it is on it.
    public var listed: UUID?
    public var listedStatus: SignalStatus?
}

/// A detection run: the window, the policy in force, the pairs.
public struct SignalDetectionRecord: Sendable, Equatable {
    public var level: SignalLevel
    public var from: CivilDate
    public var to: CivilDate
    public var reports: Int
    public var pairs: Int
    public var signals: Int
    public var policy: SignalPolicy
    public var rows: [SignalRow]
}

/// A version of the signal policy as a form types it.
public struct SignalPolicyInput: Sendable, Equatable {
    public var effectiveFrom: String?
    public var minimumCases: String?
    public var prrAtLeast: String?
    public var chiSquareAtLeast: String?
    public var rorLowerAbove: String?
    public var ic025Above: String?

    public init(
        effectiveFrom: String?, minimumCases: String?, prrAtLeast: String?, chiSquareAtLeast: String?, rorLowerAbove: String?, ic025Above: String?
    ) {
        self.effectiveFrom = effectiveFrom
        self.minimumCases = minimumCases
        self.prrAtLeast = prrAtLeast
        self.chiSquareAtLeast = chiSquareAtLeast
        self.rorLowerAbove = rorLowerAbove
        self.ic025Above = ic025Above
    }
}

/// A note of an assessment step.
public struct SignalNoteRecord: Sendable, Equatable {
    public var status: SignalStatus
    public var note: String
    public var by: String
    public var at: Date
}

/// A pair on the signal list.
public struct SignalRecord: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var version: Int
    public var level: SignalLevel
    public var subject: String
    public var subjectName: String
    public var term: EventTermRecord
    public var status: SignalStatus
    public var detectedOn: CivilDate
    public var from: CivilDate
    public var to: CivilDate
    public var table: ContingencyTable
    public var prr: Double
    public var chiSquare: Double
    public var rorLower: Double
    public var ic025: Double
    public var methods: [SignalMethod]
    public var listedBy: String
    public var notes: [SignalNoteRecord]
}

/// Signal detection in the platform (issue 19 item 3): every subject × term pair of a window read
/// into its measures under the signal policy in force; the signal list, each status change with its
/// note audited.
public struct SignalUseCases: Sendable {
    let platform: Platform

    /// The longest window a run may read.
    public static let maximumDays = 3_660

    /// Detects over the reports submitted from `from` to `to` (the last twelve months by default).
    public func detect(
        level: String? = nil, from: String? = nil, to: String? = nil, onlySignals: Bool = true, limit: Int = 200, by caller: Caller
    ) async throws -> SignalDetectionRecord {
        try caller.require(.readSignals)
        let window = try window(level: level, from: from, to: to)
        let db = platform.database
        let policy = try await policies().inForce
        let counts = try await SignalStore.counts(level: window.level, from: window.from, to: window.to, on: db)
        let run = SignalDetection.run(counts, policy: policy, onlySignals: onlySignals, limit: limit)
        let shown = run.top
        let names = try await subjectNames(Set(shown.map(\.subject)), level: window.level, on: db)
        let terms = try await TermNames.read(on: db)
        let listed = try await SignalStore.listed(level: window.level, on: db)
        return SignalDetectionRecord(
            level: window.level, from: window.from, to: window.to, reports: counts.total, pairs: run.pairs, signals: run.signals, policy: policy,
            rows: shown.map { finding in
                let entry = listed["\(finding.subject)|\(finding.term)"]
                return SignalRow(
                    subject: finding.subject, subjectName: names[finding.subject] ?? finding.subject, term: terms[finding.term],
                    measures: finding.measures, methods: finding.methods, listed: entry?.id,
                    listedStatus: entry.flatMap { SignalStatus(rawValue: $0.status) })
            })
    }

    /// A run's level and window read from the text as typed.
    private func window(level: String?, from: String?, to: String?) throws -> (level: SignalLevel, from: CivilDate, to: CivilDate) {
        var reader = FieldReader()
        let level = reader.code("level", level, label: "检测层级", as: SignalLevel.self, required: false) ?? .product
        let to = reader.anyDay("to", to, label: "截止日期") ?? platform.clock.today()
        let from = reader.anyDay("from", from, label: "起始日期") ?? to.adding(days: -365)
        if from > to { reader.problems.append(FieldProblem("from", "cannot be after the end", chinese: "起始日期不能晚于截止日期")) }
        if to.dayNumber - from.dayNumber > Self.maximumDays {
            reader.problems.append(FieldProblem("from", "the window is at most ten years", chinese: "检测期间不能超过十年"))
        }
        guard reader.problems.isEmpty else { throw UseCaseError.malformed(reader.problems) }
        return (level, from, to)
    }

    /// The signal list (one status when given).
    public func list(status: String? = nil, by caller: Caller) async throws -> [SignalRecord] {
        try caller.require(.readSignals)
        var reader = FieldReader()
        let status = reader.code("status", status, label: "信号状态", as: SignalStatus.self, required: false)
        guard reader.problems.isEmpty else { throw UseCaseError.malformed(reader.problems) }
        return try await records(try await SignalStore.list(status: status, on: platform.database), notes: false, on: platform.database)
    }

    public func detail(id: UUID, by caller: Caller) async throws -> SignalRecord {
        try caller.require(.readSignals)
        guard let row = try await SignalStore.find(id: id, on: platform.database) else { throw UseCaseError.notFound(.signal) }
        return try await records([row], notes: true, on: platform.database)[0]
    }

    public static let listedAlready = FieldProblem("term", "this pair is on the signal list already", chinese: "该产品与事件术语的组合已在信号清单中")

    /// Puts a pair on the list with the figures of the window it was found in (the regulator).
    public func add(level: String?, subject: String?, term: String?, from: String?, to: String?, note: String?, by caller: Caller) async throws
        -> SignalRecord
    {
        try caller.require(.manageVigilance)
        var reader = FieldReader()
        let subject = reader.text("subject", subject, label: "检测对象", maximum: 64)
        let term = reader.text("term", term, label: "事件术语", maximum: 64)
        let note = reader.text("note", note, label: "说明", maximum: 2_000, required: false)
        guard reader.problems.isEmpty, let subject, let term else { throw UseCaseError.invalid(reader.problems) }
        let window = try window(level: level, from: from, to: to)
        let counts = try await SignalStore.counts(level: window.level, from: window.from, to: window.to, on: platform.database)
        let key = window.level == .product ? subject.uppercased() : subject
        let pair = SignalCounts(
            pairs: counts.pairs.filter { $0.subject == key && $0.term == term }, subjects: counts.subjects, terms: counts.terms, total: counts.total)
        guard let finding = SignalDetection.run(pair, policy: try await policies().inForce, onlySignals: false, limit: 1).top.first else {
            throw UseCaseError.invalid([FieldProblem("term", "has no report of the subject in the window", chinese: "该期间内没有该对象涉及该事件术语的报告")])
        }
        let subjectName = try await subjectNames([key], level: window.level, on: platform.database)[key] ?? key
        let today = platform.clock.today()
        return try await platform.write(by: caller, conflict: Self.listedAlready) { write in
            let model = try await SignalStore.insert(
                level: window.level, finding: finding, subjectName: subjectName, from: window.from, to: window.to, on: today, by: caller.audit.name,
                now: write.now, on: write.db)
            let id = try model.requireID()
            try await SignalStore.addNote(
                to: id, status: .new, note: note ?? "列入信号清单", by: caller.audit.name, at: write.now, on: write.db)
            try await write.audit(
                "signal.add", entityType: "signal", entityID: id.uuidString, before: nil,
                after: try Audit.json([
                    "subject": subjectName, "term": term, "prr": String(finding.measures.prr), "methods": model.methods,
                ]))
            return try await records([model], notes: true, on: write.db)[0]
        }
    }

    /// Moves a signal to its next status with the assessment's note, on the version read.
    public func changeStatus(id: UUID, status: String?, note: String?, expecting version: Int?, by caller: Caller) async throws -> SignalRecord {
        try caller.require(.manageVigilance)
        var reader = FieldReader()
        let status = reader.code("status", status, label: "信号状态", as: SignalStatus.self)
        let note = reader.text("note", note, label: "评估意见", maximum: 2_000)
        let problems = reader.problems
        return try await platform.write(by: caller) { write in
            guard let row = try await SignalStore.find(id: id, on: write.db) else { throw UseCaseError.notFound(.signal) }
            try row.check(basedOn: version, .signal)
            guard problems.isEmpty, let status, let note else { throw UseCaseError.invalid(problems) }
            let before = SignalStatus(rawValue: row.status) ?? .new
            guard before.next.contains(status) else {
                throw UseCaseError.invalid([
                    FieldProblem(
                        "status", "cannot move from \(before.rawValue) to \(status.rawValue)",
                        chinese: "信号当前为“\(before.label)”，不能改为“\(status.label)”")
                ])
            }
            row.status = status.rawValue
            try await row.updateVersioned(on: write.db)
            try await SignalStore.addNote(to: id, status: status, note: note, by: caller.audit.name, at: write.now, on: write.db)
            try await write.audit(
                "signal.status", entityType: "signal", entityID: id.uuidString, before: try Audit.json(["status": before.rawValue]),
                after: try Audit.json(["status": status.rawValue]))
            return try await records([row], notes: true, on: write.db)[0]
        }
    }

    /// The signal policy: the version in force and every version (read with `vigilance.signal.read`).
    public func policies(by caller: Caller) async throws -> (inForce: SignalPolicy, versions: [SignalPolicy]) {
        try caller.require(.readSignals)
        return try await policies()
    }

    func policies() async throws -> (inForce: SignalPolicy, versions: [SignalPolicy]) {
        let versions = try await PolicyStore.versions(SignalPolicy.self, key: PlatformSetting.Key.signalPolicy, on: platform.database)
        return (SignalPolicy.inForce(on: platform.clock.today(), among: versions), versions)
    }

    /// The same from a form: every figure as typed, one that is not a number named at its field
    /// (with the date's problem, if any, so the page shows them all at once).
    public func setPolicy(_ input: SignalPolicyInput, by caller: Caller) async throws -> [SignalPolicy] {
        try caller.require(.writeProcedure)
        var reader = FieldReader()
        let minimumCases = reader.wholeNumber("minimumCases", input.minimumCases, label: "最少报告数") ?? 0
        func figure(_ field: String, _ value: String?, _ label: String) -> Double { reader.number(field, value, label: label) ?? 0 }
        let policy = SignalPolicy(
            effectiveFrom: input.effectiveFrom?.trimmingWhitespace() ?? "", minimumCases: minimumCases,
            prrAtLeast: figure("prrAtLeast", input.prrAtLeast, "PRR 阈值"),
            chiSquareAtLeast: figure("chiSquareAtLeast", input.chiSquareAtLeast, "χ² 阈值"),
            rorLowerAbove: figure("rorLowerAbove", input.rorLowerAbove, "ROR 置信下限阈值"), ic025Above: figure("ic025Above", input.ic025Above, "IC025 阈值"))
        guard reader.problems.isEmpty else {
            throw UseCaseError.invalid(reader.problems + policy.problems(today: platform.clock.today()).filter { $0.field == "effectiveFrom" })
        }
        return try await setPolicy(policy, by: caller)
    }

    /// Puts a version of the signal policy in force from a day (`city_admin`, audited).
    public func setPolicy(_ policy: SignalPolicy, by caller: Caller) async throws -> [SignalPolicy] {
        try await platform.putPolicy(policy, key: PlatformSetting.Key.signalPolicy, audit: "settings.signal_policy", by: caller)
    }

    // MARK: Parts

    private func subjectNames(_ subjects: Set<String>, level: SignalLevel, on db: any Database) async throws -> [String: String] {
        switch level {
        case .product:
            let ids = subjects.compactMap(UUID.init(uuidString:))
            guard !ids.isEmpty else { return [:] }
            let products = try await ProductModel.query(on: db).filter(\.$id ~~ ids).all()
            return Dictionary(products.compactMap { model in model.id.map { ($0.uuidString, model.name) } }, uniquingKeysWith: { a, _ in a })
        case .classification:
            return Dictionary(
                subjects.map { code in (code, ClassificationCode.subCatalogues[code].map { "\(code) \($0)" } ?? code) },
                uniquingKeysWith: { a, _ in a })
        }
    }

    func records(_ rows: [SignalModel], notes withNotes: Bool, on db: any Database) async throws -> [SignalRecord] {
        let terms = try await TermNames.read(on: db)
        var notes: [UUID: [SignalNoteModel]] = [:]
        if withNotes { for row in rows { notes[try row.requireID()] = try await SignalStore.notes(of: try row.requireID(), on: db) } }
        let names = try await People.labels(usernames: [], actors: rows.map(\.listedBy) + notes.values.flatMap { $0.map(\.actor) }, on: db)
        let today = platform.clock.today()
        return try rows.map { row in
            SignalRecord(
                id: try row.requireID(), version: row.version, level: SignalLevel(rawValue: row.level) ?? .product, subject: row.subject,
                subjectName: row.subjectName, term: terms[row.termCode], status: SignalStatus(rawValue: row.status) ?? .new,
                detectedOn: CivilDate(row.detectedOn) ?? today, from: CivilDate(row.windowFrom) ?? today, to: CivilDate(row.windowTo) ?? today,
                table: ContingencyTable(a: row.a, b: row.b, c: row.c, d: row.d), prr: row.prr, chiSquare: row.chiSquare, rorLower: row.rorLower,
                ic025: row.ic025, methods: row.methods.split(separator: ",").compactMap { SignalMethod(rawValue: String($0)) },
                listedBy: names[row.listedBy] ?? row.listedBy,
                notes: (notes[try row.requireID()] ?? []).map { note in
                    SignalNoteRecord(
                        status: SignalStatus(rawValue: note.status) ?? .new, note: note.note, by: names[note.actor] ?? note.actor, at: note.at)
                })
        }
    }
}

extension Platform {
    public var signals: SignalUseCases { SignalUseCases(platform: self) }
}
