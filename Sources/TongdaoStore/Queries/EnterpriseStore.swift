import FluentKit
import Foundation
import TongdaoCore

/// The enterprise registry's rows. Every read takes the caller's `ScopeFilter` and applies it in the
/// query; writes are made inside a use case's transaction (`TongdaoUseCases`), which checks
/// permission, scope and the rules first and appends the audit row.
public enum EnterpriseStore {
    /// Whether the draft's district (and, with `checkingPark`, its park) exist and fit together; the
    /// draft's own rules are `EnterpriseDraft.problems`.
    public static func regionProblems(of draft: EnterpriseDraft, checkingPark: Bool, on database: any Database) async throws -> [FieldProblem] {
        var problems: [FieldProblem] = []
        let district = try await RegionModel.find(draft.district, on: database)
        if DeltaProvince(regionCode: draft.district)?.isPartner == true {
            // An enterprise of a partner province is placed in its city, or in the province where the
            // platform names none of its cities.
            if district.map({ [.city, .province].contains($0.level) }) != true {
                problems.append(
                    .init("district", "no city of a partner province has the code \(draft.district)", chinese: "没有代码为 \(draft.district) 的外省城市"))
            }
        } else if district?.level != .district {
            problems.append(.init("district", "no Shanghai district has the code \(draft.district)", chinese: "没有代码为 \(draft.district) 的区"))
        }
        if let code = draft.park, checkingPark {
            let park = try await RegionModel.find(code, on: database)
            if park?.level != .park {
                problems.append(.init("park", "no park has the code \(code)", chinese: "没有代码为 \(code) 的园区"))
            } else if park?.parentCode != draft.district {
                problems.append(.init("park", "the park \(code) is not in the district \(draft.district)", chinese: "该园区不在所选的区内"))
            }
        }
        return problems
    }

    /// The enterprise with this id if the scope admits it; nil for one that is missing or out of
    /// scope alike.
    public static func find(id: UUID, scope: ScopeFilter, on database: any Database) async throws -> EnterpriseModel? {
        try await EnterpriseModel.query(on: database).filter(\.$id == id).scoped(to: scope).first()
    }

    /// The enterprise registered under a USCC, whatever the scope (a USCC is unique on the register).
    public static func find(uscc: String, on database: any Database) async throws -> EnterpriseModel? {
        try await EnterpriseModel.query(on: database).filter(\.$uscc == uscc).first()
    }

    /// Enterprises by USCC, a thousand codes a query (for sheets that name many).
    public static func find(usccs: some Sequence<String>, on database: any Database) async throws -> [String: EnterpriseModel] {
        var found: [String: EnterpriseModel] = [:]
        for part in Array(Set(usccs)).sorted().chunked(TrialStore.valuesPerQuery) {
            for model in try await EnterpriseModel.query(on: database).filter(\.$uscc ~~ Array(part)).all() { found[model.uscc] = model }
        }
        return found
    }

    /// Inserts a checked draft.
    public static func insert(_ draft: EnterpriseDraft, on database: any Database) async throws -> EnterpriseModel {
        let model = EnterpriseModel(draft)
        try await model.create(on: database)
        return model
    }

    /// Replaces an enterprise's fields (never its USCC) as its next version (`RecordChanged` when
    /// another write changed it since it was read); when it moves, its products, census
    /// declarations and applications, which carry its location for scoping, move with it.
    public static func update(_ model: EnterpriseModel, to draft: EnterpriseDraft, on database: any Database) async throws {
        let moved = model.location != draft.location
        model.apply(draft)
        try await model.updateVersioned(on: database)
        guard moved else { return }
        let id = try model.requireID()
        try await ProductModel.query(on: database).filter(\.$enterprise.$id == id)
            .set(\.$district, to: draft.district).set(\.$park, to: draft.park).update()
        try await CensusIntentionModel.query(on: database).filter(\.$enterprise.$id == id)
            .set(\.$district, to: draft.district).set(\.$park, to: draft.park).update()
        try await ApplicationModel.query(on: database).filter(\.$enterprise.$id == id)
            .set(\.$district, to: draft.district).set(\.$park, to: draft.park).update()
    }

    /// The names of enterprises by id (for lists that show them beside their products).
    public static func names(of ids: some Sequence<UUID>, on database: any Database) async throws -> [UUID: String] {
        let unique = Array(Set(ids))
        guard !unique.isEmpty else { return [:] }
        var names: [UUID: String] = [:]
        for model in try await EnterpriseModel.query(on: database).filter(\.$id ~~ unique).all() { names[try model.requireID()] = model.name }
        return names
    }

    /// The names of enterprises by USCC (for the scopes of enterprise accounts).
    public static func names(ofUSCCs usccs: some Sequence<String>, on database: any Database) async throws -> [String: String] {
        let unique = Array(Set(usccs))
        guard !unique.isEmpty else { return [:] }
        var names: [String: String] = [:]
        for model in try await EnterpriseModel.query(on: database).filter(\.$uscc ~~ unique).all() { names[model.uscc] = model.name }
        return names
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
