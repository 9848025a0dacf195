import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// An inspector as a reader of the pool sees them.
public struct InspectorRecord: Sendable, Equatable, Identifiable {
    public var id: UUID
    /// The linked account's username and 姓名, if the inspector has one.
    public var username: String?
    public var accountName: String?
    /// The profile; its employments and declared ties are empty unless `tiesShown`.
    public var profile: InspectorProfile
    /// Whether the reader may see the employments and declared ties (the pool's managers and the
    /// inspector themself): they decide whom an inspection may not have on its team.
    public var tiesShown: Bool
    public var version: Int
}

/// The pool counted, as its page heads it.
public struct InspectorPoolSummary: Sendable, Equatable {
    public var total: Int
    public var byCategory: [InspectorCategory: (all: Int, fullTime: Int)]

    public static func == (a: Self, b: Self) -> Bool {
        a.total == b.total && a.byCategory.mapValues { [$0.all, $0.fullTime] } == b.byCategory.mapValues { [$0.all, $0.fullTime] }
    }
}

/// The inspector pool (issue 18): the regulator keeps it; inspectors read it, and their own ties.
public struct InspectorUseCases: Sendable {
    let platform: Platform

    /// A list's filters as typed.
    public struct Filter: Sendable, Equatable {
        public var category: String?
        public var specialty: String?
        public var fullTime: Bool?
        public var rank: String?
        public var text: String?
        /// false: those who left the pool too.
        public var activeOnly: Bool

        public init(
            category: String? = nil, specialty: String? = nil, fullTime: Bool? = nil, rank: String? = nil, text: String? = nil,
            activeOnly: Bool = true
        ) {
            self.category = category
            self.specialty = specialty
            self.fullTime = fullTime
            self.rank = rank
            self.text = text
            self.activeOnly = activeOnly
        }
    }

    public func list(_ filter: Filter, limit: Int = 50, cursor: String? = nil, by caller: Caller) async throws -> Page<InspectorRecord> {
        try caller.require(.readInspectors)
        var reader = FieldReader()
        let category = reader.code("category", filter.category, label: "检查员类别", as: InspectorCategory.self, required: false)
        let specialty = reader.code("specialty", filter.specialty, label: "检查专业", as: InspectionSpecialty.self, required: false)
        let rank = reader.code("rank", filter.rank, label: "组长或组员", as: InspectorRank.self, required: false)
        guard reader.problems.isEmpty else { throw UseCaseError.malformed(reader.problems) }
        let stored = InspectorStore.Filter(
            category: category, specialty: specialty, fullTime: filter.fullTime, rank: rank, text: filter.text.map(TextRules.cleaned),
            active: filter.activeOnly ? true : nil)
        let page = try await InspectorStore.list(stored, limit: limit, after: try Cursor.parse(cursor, parts: 2), on: platform.database)
        return Page(items: try await records(page.rows, by: caller), next: page.next?.token)
    }

    public func find(id: UUID, by caller: Caller) async throws -> InspectorRecord {
        try caller.require(.readInspectors)
        guard let model = try await InspectorStore.find(id: id, on: platform.database) else { throw UseCaseError.notFound(.inspector) }
        return try await records([model], by: caller)[0]
    }

    /// The caller's own record in the pool, if their account is linked to one.
    public func mine(by caller: Caller) async throws -> InspectorRecord? {
        guard caller.may(.readInspectors), let userID = caller.userID,
            let model = try await InspectorStore.find(userID: userID, on: platform.database)
        else { return nil }
        return try await records([model], by: caller).first
    }

    public func summary(by caller: Caller) async throws -> InspectorPoolSummary {
        try caller.require(.readInspectors)
        return InspectorPoolSummary(
            total: try await InspectorStore.total(on: platform.database), byCategory: try await InspectorStore.counts(on: platform.database))
    }

    public func create(_ input: InspectorInput, by caller: Caller) async throws -> InspectorRecord {
        try caller.require(.manageInspectors)
        let profile = try input.profile(today: platform.clock.today())
        return try await platform.write(by: caller, conflict: Self.linkedAlready) { write in
            let account = try await linkedAccount(input.username, on: write.db)
            let model = try await InspectorStore.insert(profile, userID: account?.id, on: write.db)
            let id = try model.requireID()
            try await write.audit(
                "inspector.create", entityType: "inspector", entityID: id.uuidString, before: nil,
                after: try Audit.json(InspectorAudit(profile, username: account?.username)))
            return try await records([model], by: caller, on: write.db)[0]
        }
    }

    /// Replaces an inspector's record (lists included) with the input, if it still has the version
    /// the change was made on.
    public func update(id: UUID, _ input: InspectorInput, expecting version: Int?, by caller: Caller) async throws -> InspectorRecord {
        try caller.require(.manageInspectors)
        let profile = try input.profile(today: platform.clock.today())
        return try await platform.write(by: caller, conflict: Self.linkedAlready) { write in
            guard let model = try await InspectorStore.find(id: id, on: write.db) else { throw UseCaseError.notFound(.inspector) }
            try model.check(basedOn: version, .inspector)
            let before = InspectorStore.profile(of: model, try await InspectorStore.details(of: [id], on: write.db)[id])
            let beforeAccount = try await account(of: model.userID, on: write.db)
            let account = try await linkedAccount(input.username, on: write.db)
            guard before != profile || beforeAccount?.id != account?.id else { return try await records([model], by: caller, on: write.db)[0] }
            try await InspectorStore.update(model, to: profile, userID: account?.id, on: write.db)
            try await write.audit(
                "inspector.update", entityType: "inspector", entityID: id.uuidString,
                before: try Audit.json(InspectorAudit(before, username: beforeAccount?.username)),
                after: try Audit.json(InspectorAudit(profile, username: account?.username)))
            return try await records([model], by: caller, on: write.db)[0]
        }
    }

    public static let linkedAlready = FieldProblem("username", "is linked to another inspector already", chinese: "该用户已关联其他检查员")

    /// The account a username names, which must be one that records inspections.
    private func linkedAccount(_ username: String?, on db: any Database) async throws -> (id: UUID, username: String)? {
        guard let name = username?.trimmingWhitespace(), !name.isEmpty else { return nil }
        guard let user = try await UserStore.find(username: name, on: db), let id = user.id else {
            throw UseCaseError.invalid([FieldProblem("username", "names no user", chinese: "没有该用户名的用户")])
        }
        guard AccessPolicy.allows(user.role, .recordInspections) else {
            throw UseCaseError.invalid([
                FieldProblem("username", "names a user whose role does not inspect", chinese: "该用户的角色不承担检查工作，不能关联为检查员")
            ])
        }
        return (id, user.username)
    }

    private func account(of userID: UUID?, on db: any Database) async throws -> UserModel? {
        guard let userID else { return nil }
        return try await UserModel.find(userID, on: db)
    }

    private func records(_ models: [InspectorModel], by caller: Caller, on db: (any Database)? = nil) async throws -> [InspectorRecord] {
        let db = db ?? platform.database
        let ids = try models.map { try $0.requireID() }
        let details = try await InspectorStore.details(of: ids, on: db)
        let users = try await UserModel.query(on: db).filter(\.$id ~~ models.compactMap(\.userID)).all()
        let accounts = Dictionary(users.compactMap { user in user.id.map { ($0, user) } }, uniquingKeysWith: { first, _ in first })
        return try models.map { model in
            let id = try model.requireID()
            let own = model.userID != nil && model.userID == caller.userID
            let shown = caller.may(.manageInspectors) || own
            var profile = InspectorStore.profile(of: model, details[id])
            if !shown {
                profile.employments = []
                profile.relationships = []
            }
            let account = model.userID.flatMap { accounts[$0] }
            return InspectorRecord(
                id: id, username: account?.username, accountName: account.map { $0.displayName.isEmpty ? $0.username : $0.displayName },
                profile: profile, tiesShown: shown, version: model.version)
        }
    }
}

/// What the audit row of an inspector's record keeps.
struct InspectorAudit: Encodable {
    var name: String
    var username: String?
    var categories: [String]
    var specialties: [String]
    var fullTime: Bool
    var rank: String
    var capacityDays: Int
    var active: Bool
    var employments: [String]
    var relationships: [String]
    var trainings: [String]

    init(_ profile: InspectorProfile, username: String?) {
        name = profile.name
        self.username = username
        categories = profile.categories.map(\.rawValue)
        specialties = profile.specialties.map(\.rawValue)
        fullTime = profile.fullTime
        rank = profile.rank.rawValue
        capacityDays = profile.capacityDays
        active = profile.active
        employments = profile.employments.map { "\($0.employer.name) \($0.employer.uscc ?? "") \($0.from)–\($0.to?.description ?? "")" }
        relationships = profile.relationships.map { "\($0.party.name) \($0.party.uscc ?? "") \($0.kind.rawValue) \($0.declaredOn)" }
        trainings = profile.trainings.map { "\($0.on) \($0.course) \($0.hoursText)" }
    }
}

extension Platform {
    public var inspectors: InspectorUseCases { InspectorUseCases(platform: self) }
}
