import FluentKit
import FluentSQL
import Foundation
import SQLKit
import TongdaoCore

/// The inspector pool as stored: inspectors and their employments, declared ties and trainings.
/// No audit, transaction or permission here: those are the use case's.
public enum InspectorStore {
    public struct Filter: Sendable, Equatable {
        public var category: InspectorCategory?
        public var specialty: InspectionSpecialty?
        public var fullTime: Bool?
        public var rank: InspectorRank?
        /// Part of the name.
        public var text: String?
        /// In the pool (true), left it (false), or both (nil).
        public var active: Bool?

        public init(
            category: InspectorCategory? = nil, specialty: InspectionSpecialty? = nil, fullTime: Bool? = nil, rank: InspectorRank? = nil,
            text: String? = nil, active: Bool? = true
        ) {
            self.category = category
            self.specialty = specialty
            self.fullTime = fullTime
            self.rank = rank
            self.text = text
            self.active = active
        }
    }

    /// A page of inspectors by name.
    public static func list(_ filter: Filter, limit: Int, after: PageCursor?, on database: any Database) async throws -> (
        rows: [InspectorModel], next: PageCursor?
    ) {
        let query = InspectorModel.query(on: database)
        if let category = filter.category { query.filter(TextSearch.contains("categories", ",\(category.rawValue),")) }
        if let specialty = filter.specialty { query.filter(TextSearch.contains("specialties", ",\(specialty.rawValue),")) }
        if let fullTime = filter.fullTime { query.filter(\.$fullTime == fullTime) }
        if let rank = filter.rank { query.filter(\.$rank == rank.rawValue) }
        if let active = filter.active { query.filter(\.$active == active) }
        if let text = filter.text, !text.isEmpty { query.filter(TextSearch.contains("name", text)) }
        return try await query.pageByName(limit: limit, after: after)
    }

    public static func find(id: UUID, on database: any Database) async throws -> InspectorModel? {
        try await InspectorModel.find(id, on: database)
    }

    /// The inspector a user account is linked to.
    public static func find(userID: UUID, on database: any Database) async throws -> InspectorModel? {
        try await InspectorModel.query(on: database).filter(\.$userID == userID).first()
    }

    /// Each inspector's employments, declared ties and trainings.
    public static func details(of ids: [UUID], on database: any Database) async throws -> [UUID: Details] {
        var details: [UUID: Details] = [:]
        for part in Array(Set(ids)).chunked(TrialStore.valuesPerQuery) {
            let part = Array(part)
            for row in try await InspectorEmploymentModel.query(on: database).filter(\.$inspectorID ~~ part).sort(\.$from).all() {
                guard let from = CivilDate(row.from) else { continue }
                details[row.inspectorID, default: Details()].employments.append(
                    InspectorEmployment(
                        employer: PartyRef(name: row.employer, uscc: row.employerUSCC), from: from, to: row.to.flatMap(CivilDate.init)))
            }
            for row in try await InspectorRelationshipModel.query(on: database).filter(\.$inspectorID ~~ part).sort(\.$declaredOn).all() {
                guard let kind = RelationshipKind(rawValue: row.kind), let declaredOn = CivilDate(row.declaredOn) else { continue }
                details[row.inspectorID, default: Details()].relationships.append(
                    InspectorRelationship(party: PartyRef(name: row.party, uscc: row.partyUSCC), kind: kind, declaredOn: declaredOn, note: row.note))
            }
            for row in try await InspectorTrainingModel.query(on: database).filter(\.$inspectorID ~~ part).sort(\.$trainedOn).all() {
                guard let on = CivilDate(row.trainedOn) else { continue }
                details[row.inspectorID, default: Details()].trainings.append(
                    InspectorTraining(on: on, course: row.course, tenthsOfHours: row.tenthsOfHours))
            }
        }
        return details
    }

    public struct Details: Sendable, Equatable {
        public var employments: [InspectorEmployment] = []
        public var relationships: [InspectorRelationship] = []
        public var trainings: [InspectorTraining] = []
    }

    /// The stored inspector as a profile.
    public static func profile(of model: InspectorModel, _ details: Details?) -> InspectorProfile {
        InspectorProfile(
            name: model.name, categories: InspectorProfile.codes(model.categories), specialties: InspectorProfile.codes(model.specialties),
            fullTime: model.fullTime, rank: InspectorRank(rawValue: model.rank) ?? .member, capacityDays: model.capacityDays, active: model.active,
            employments: details?.employments ?? [], relationships: details?.relationships ?? [], trainings: details?.trainings ?? []
        ).normalized
    }

    /// Registers an inspector (inside the caller's transaction).
    public static func insert(_ profile: InspectorProfile, userID: UUID?, on database: any Database) async throws -> InspectorModel {
        let model = InspectorModel()
        set(profile, userID: userID, on: model)
        model.version = 1
        try await model.create(on: database)
        try await replaceDetails(of: try model.requireID(), with: profile, on: database)
        return model
    }

    /// Writes a changed profile as the inspector's next version (`RecordChanged` if another write
    /// moved it since it was read), its employments, ties and trainings replaced.
    public static func update(_ model: InspectorModel, to profile: InspectorProfile, userID: UUID?, on database: any Database) async throws {
        set(profile, userID: userID, on: model)
        try await model.updateVersioned(on: database, always: true)
        try await replaceDetails(of: try model.requireID(), with: profile, on: database)
    }

    /// Registers many inspectors at once (generated data), as plain rows (`BulkInsert`).
    public static func insertInBulk(_ inspectors: [(profile: InspectorProfile, userID: UUID?)], now: Date, on database: any Database) async throws {
        var rows: [[BulkValue]] = [], employments: [[BulkValue]] = [], relationships: [[BulkValue]] = [], trainings: [[BulkValue]] = []
        for (profile, userID) in inspectors {
            let id = TimeOrderedID.make(now: now)
            let row: [any BulkWritable] = [
                id, userID, profile.name, InspectorProfile.stored(profile.categories), InspectorProfile.stored(profile.specialties), profile.fullTime,
                profile.rank.rawValue, profile.capacityDays, profile.active, 1, now, now,
            ]
            rows.append(row.map(\.bulkValue))
            for employment in profile.employments {
                let values: [any BulkWritable] = [
                    TimeOrderedID.make(now: now), id, employment.employer.name, employment.employer.uscc, employment.from, employment.to,
                ]
                employments.append(values.map(\.bulkValue))
            }
            for relationship in profile.relationships {
                let values: [any BulkWritable] = [
                    TimeOrderedID.make(now: now), id, relationship.party.name, relationship.party.uscc, relationship.kind.rawValue,
                    relationship.declaredOn, relationship.note,
                ]
                relationships.append(values.map(\.bulkValue))
            }
            for training in profile.trainings {
                let values: [any BulkWritable] = [TimeOrderedID.make(now: now), id, training.on, training.course, training.tenthsOfHours]
                trainings.append(values.map(\.bulkValue))
            }
        }
        try await BulkInsert.run(
            InspectorModel.schema,
            columns: [
                "id", "user_id", "name", "categories", "specialties", "full_time", "rank", "capacity_days", "active", "version", "created_at",
                "updated_at",
            ], rows: rows, on: database)
        try await BulkInsert.run(
            InspectorEmploymentModel.schema, columns: ["id", "inspector_id", "employer", "employer_uscc", "from_on", "to_on"], rows: employments,
            on: database)
        try await BulkInsert.run(
            InspectorRelationshipModel.schema, columns: ["id", "inspector_id", "party", "party_uscc", "kind", "declared_on", "note"],
            rows: relationships, on: database)
        try await BulkInsert.run(
            InspectorTrainingModel.schema, columns: ["id", "inspector_id", "trained_on", "course", "tenths_of_hours"], rows: trainings, on: database)
    }

    private static func set(_ profile: InspectorProfile, userID: UUID?, on model: InspectorModel) {
        model.userID = userID
        model.name = profile.name
        model.categories = InspectorProfile.stored(profile.categories)
        model.specialties = InspectorProfile.stored(profile.specialties)
        model.fullTime = profile.fullTime
        model.rank = profile.rank.rawValue
        model.capacityDays = profile.capacityDays
        model.active = profile.active
    }

    private static func replaceDetails(of id: UUID, with profile: InspectorProfile, on database: any Database) async throws {
        try await InspectorEmploymentModel.query(on: database).filter(\.$inspectorID == id).delete()
        try await InspectorRelationshipModel.query(on: database).filter(\.$inspectorID == id).delete()
        try await InspectorTrainingModel.query(on: database).filter(\.$inspectorID == id).delete()
        for employment in profile.employments {
            let row = InspectorEmploymentModel()
            row.inspectorID = id
            row.employer = employment.employer.name
            row.employerUSCC = employment.employer.uscc
            row.from = employment.from.description
            row.to = employment.to?.description
            try await row.create(on: database)
        }
        for relationship in profile.relationships {
            let row = InspectorRelationshipModel()
            row.inspectorID = id
            row.party = relationship.party.name
            row.partyUSCC = relationship.party.uscc
            row.kind = relationship.kind.rawValue
            row.declaredOn = relationship.declaredOn.description
            row.note = relationship.note
            try await row.create(on: database)
        }
        for training in profile.trainings {
            let row = InspectorTrainingModel()
            row.inspectorID = id
            row.trainedOn = training.on.description
            row.course = training.course
            row.tenthsOfHours = training.tenthsOfHours
            try await row.create(on: database)
        }
    }

    /// The pool counted: inspectors in it by category, and how many of them work full time.
    public static func counts(on database: any Database) async throws -> [InspectorCategory: (all: Int, fullTime: Int)] {
        guard let sql = database as? any SQLDatabase else { throw BulkInsertError.notSQL }
        var counts: [InspectorCategory: (all: Int, fullTime: Int)] = [:]
        for category in InspectorCategory.allCases {
            let rows = try await sql.select().column("full_time").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from(InspectorModel.schema).where("active", .equal, SQLBind(true))
                .where(SQLColumn("categories"), .like, SQLBind("%,\(category.rawValue),%"))
                .groupBy("full_time").rows()
            var count = (all: 0, fullTime: 0)
            for row in rows {
                let n = try row.int("n")
                count.all += n
                if try row.bool("full_time") { count.fullTime += n }
            }
            counts[category] = count
        }
        return counts
    }

    /// How many inspectors are in the pool.
    public static func total(on database: any Database) async throws -> Int {
        try await InspectorModel.query(on: database).filter(\.$active == true).count()
    }

    // MARK: Uploads

    /// Keeps a sheet uploaded on the page for its uploader's confirmation; returns its id.
    public static func stageUpload(username: String, filename: String, content: Data, now: Date, on db: any Database) async throws -> UUID {
        let upload = InspectorUploadModel()
        upload.id = TimeOrderedID.make(now: now)
        upload.username = username
        upload.filename = filename
        upload.content = content
        try await upload.create(on: db)
        return try upload.requireID()
    }

    /// An upload of `username`'s, if there is one with the id (anyone else's is the same as none).
    public static func upload(id: UUID, of username: String, on db: any Database) async throws -> InspectorUploadModel? {
        try await InspectorUploadModel.query(on: db).filter(\.$id == id).filter(\.$username == username).first()
    }
}
