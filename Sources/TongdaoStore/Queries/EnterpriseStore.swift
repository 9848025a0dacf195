import FluentKit
import Foundation
import TongdaoCore

/// The enterprise registry. Every read takes the caller's `ScopeFilter` and applies it in the query;
/// every write checks the record lands inside the caller's scope and appends its audit row in the
/// same transaction.
public enum EnterpriseStore {
    public enum Problem: Error, Equatable, CustomStringConvertible {
        /// Field problems: 422.
        case invalid([FieldProblem])
        /// The USCC is registered already: 409.
        case duplicateUSCC(String)
        /// The record would sit outside the caller's scope: 403.
        case outsideScope(field: String)

        public var description: String {
            switch self {
            case .invalid(let problems): problems.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
            case .duplicateUSCC(let uscc): "an enterprise with the unified social credit code \(uscc) is registered already"
            case .outsideScope(let field): "the \(field) is outside your scope"
            }
        }
    }

    /// The draft's own problems, then whether its district and park exist and fit together.
    public static func problems(with draft: EnterpriseDraft, on database: any Database) async throws -> [FieldProblem] {
        var problems = draft.problems()
        guard !problems.contains(where: { $0.field == "district" }) else { return problems }
        let district = try await RegionModel.find(draft.district, on: database)
        if district?.level != .district {
            problems.append(.init("district", "no Shanghai district has the code \(draft.district)", chinese: "没有代码为 \(draft.district) 的区"))
        }
        if let code = draft.park, !problems.contains(where: { $0.field == "park" }) {
            let park = try await RegionModel.find(code, on: database)
            if park?.level != .park {
                problems.append(.init("park", "no park has the code \(code)", chinese: "没有代码为 \(code) 的园区"))
            } else if park?.parentCode != draft.district {
                problems.append(.init("park", "the park \(code) is not in the district \(draft.district)", chinese: "该园区不在所选的区内"))
            }
        }
        return problems
    }

    /// Which field to blame when a location falls outside a scope.
    private static func scopeField(for scope: ScopeFilter) -> String {
        switch scope {
        case .everything, .districts: "district"
        case .park: "park"
        case .enterprise: "uscc"
        }
    }

    public static func create(_ draft: EnterpriseDraft, scope: ScopeFilter, by actor: AuditActor, on database: any Database) async throws
        -> EnterpriseModel
    {
        let problems = try await problems(with: draft, on: database)
        guard problems.isEmpty else { throw Problem.invalid(problems) }
        guard scope.admits(draft.location) else { throw Problem.outsideScope(field: scopeField(for: scope)) }
        return try await database.transaction { db in
            // Checked regardless of scope: a USCC registered elsewhere is still taken. Saying so reveals
            // only that a company is on the register, which its licence makes public anyway.
            guard try await EnterpriseModel.query(on: db).filter(\.$uscc == draft.uscc).first() == nil else {
                throw Problem.duplicateUSCC(draft.uscc)
            }
            let model = EnterpriseModel(draft)
            try await model.create(on: db)
            try await Audit.record(
                "enterprise.create", entityType: "enterprise", entityID: try model.requireID().uuidString,
                before: nil, after: try Audit.json(draft), by: actor, on: db)
            return model
        }
    }

    /// The enterprise with this id if the scope admits it; nil for one that is missing or out of
    /// scope alike.
    public static func find(id: UUID, scope: ScopeFilter, on database: any Database) async throws -> EnterpriseModel? {
        try await EnterpriseModel.query(on: database).filter(\.$id == id).scoped(to: scope).first()
    }

    /// Replaces an enterprise's fields (the USCC never changes) after checking the result still lies in
    /// the caller's scope; records before and after.
    public static func update(
        _ model: EnterpriseModel, to proposed: EnterpriseDraft, scope: ScopeFilter, by actor: AuditActor, on database: any Database
    ) async throws {
        var proposed = proposed
        proposed.uscc = model.uscc
        let draft = proposed
        let problems = try await problems(with: draft, on: database)
        guard problems.isEmpty else { throw Problem.invalid(problems) }
        guard scope.admits(draft.location) else { throw Problem.outsideScope(field: scopeField(for: scope)) }
        let before = model.draft
        guard before != draft else { return }
        try await database.transaction { db in
            model.apply(draft)
            try await model.update(on: db)
            if before.location != draft.location {
                // Products and census declarations carry their enterprise's location for scoping: move them with it.
                try await ProductModel.query(on: db).filter(\.$enterprise.$id == model.requireID())
                    .set(\.$district, to: draft.district).set(\.$park, to: draft.park).update()
                try await CensusIntentionModel.query(on: db).filter(\.$enterprise.$id == model.requireID())
                    .set(\.$district, to: draft.district).set(\.$park, to: draft.park).update()
                try await ApplicationModel.query(on: db).filter(\.$enterprise.$id == model.requireID())
                    .set(\.$district, to: draft.district).set(\.$park, to: draft.park).update()
            }
            try await Audit.record(
                "enterprise.update", entityType: "enterprise", entityID: try model.requireID().uuidString,
                before: try Audit.json(before), after: try Audit.json(draft), by: actor, on: db)
        }
    }

    /// What a list may be narrowed to, on top of the caller's scope.
    public struct ListFilter: Sendable, Equatable {
        public var district: String?
        public var park: String?
        /// Part of the name, or the start of the USCC.
        public var text: String?

        public init(district: String? = nil, park: String? = nil, text: String? = nil) {
            self.district = district
            self.park = park
            self.text = text
        }
    }

    /// Enterprises in the scope, by name then USCC, `limit` at a time.
    public static func list(
        _ filter: ListFilter, scope: ScopeFilter, limit: Int, after cursor: PageCursor? = nil, on database: any Database
    ) async throws -> (items: [EnterpriseModel], next: PageCursor?) {
        let query = EnterpriseModel.query(on: database).scoped(to: scope)
        if let district = filter.district { query.filter(\.$district == district) }
        if let park = filter.park { query.filter(\.$park == park) }
        if let text = filter.text, !text.isEmpty {
            query.group(.or) { $0.filter(TextSearch.contains("name", text)).filter(TextSearch.contains("uscc", text.uppercased(), prefix: true)) }
        }
        if let cursor, cursor.parts.count == 2 {
            let (name, uscc) = (cursor.parts[0], cursor.parts[1])
            query.group(.or) { or in
                or.filter(\.$name > name).group(.and) { $0.filter(\.$name == name).filter(\.$uscc > uscc) }
            }
        }
        let page = try await query.sort(\.$name).sort(\.$uscc).page(limit: limit)
        return (page.rows, page.more ? page.rows.last.map { PageCursor([$0.name, $0.uscc]) } : nil)
    }
}
