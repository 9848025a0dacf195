import FluentKit
import Foundation
import SQLKit
import TongdaoCore

/// Reads of the Delta's entrustment links (the writes are the use case's, on the models).
public enum DeltaStore {
    /// Keeps the links a reader reaches: the city's side every one; a partner province's regulator
    /// those involving its province; an enterprise those it is a party to; any other scope none.
    static func reached(_ query: QueryBuilder<DeltaLinkModel>, by scope: ScopeFilter) -> QueryBuilder<DeltaLinkModel> {
        switch scope {
        case .everything:
            query
        case .province(let province):
            involving(query, province)
        case .enterprise(let uscc):
            query.filter(\.$parties, .custom("LIKE"), "%,\(uscc),%")
        case .districts, .park, .institution:
            query.filter(\.$id == UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)))
        }
    }

    /// The links with a party in `province`.
    @discardableResult
    private static func involving(_ query: QueryBuilder<DeltaLinkModel>, _ province: DeltaProvince) -> QueryBuilder<DeltaLinkModel> {
        query.filter(\.$provinces, .custom("LIKE"), "%,\(province.rawValue),%")
    }

    /// Links in reach, narrowed by kind and by a province involved; the newest recorded first.
    public static func links(
        scope: ScopeFilter, kind: EntrustmentKind? = nil, province: DeltaProvince? = nil, limit: Int = 1_000, on database: any Database
    ) async throws -> [DeltaLinkModel] {
        let query = reached(DeltaLinkModel.query(on: database), by: scope)
        if let kind { query.filter(\.$kind == kind.rawValue) }
        if let province { involving(query, province) }
        return try await query.sort(\.$recordedOn, .descending).sort(\.$id, .descending).limit(limit).all()
    }

    /// One link, if the reader reaches it.
    public static func link(_ id: UUID, scope: ScopeFilter, on database: any Database) async throws -> DeltaLinkModel? {
        try await reached(DeltaLinkModel.query(on: database).filter(\.$id == id), by: scope).first()
    }

    /// The sites of links, in order.
    public static func sites(of links: [UUID], on database: any Database) async throws -> [DeltaLinkSiteModel] {
        guard !links.isEmpty else { return [] }
        var sites: [DeltaLinkSiteModel] = []
        for part in links.chunked(TrialStore.valuesPerQuery) {
            sites += try await DeltaLinkSiteModel.query(on: database).filter(\.$linkID ~~ Array(part)).all()
        }
        return sites.sorted { ($0.linkID.uuidString, $0.position) < ($1.linkID.uuidString, $1.position) }
    }

    /// A link's timeline, oldest first.
    public static func events(of link: UUID, on database: any Database) async throws -> [DeltaLinkEventModel] {
        try await DeltaLinkEventModel.query(on: database).filter(\.$linkID == link).sort(\.$occurredOn).sort(\.$id).all()
    }

    /// `,A,B,` for a set of codes, sorted: how `provinces` and `parties` are kept.
    public static func list(_ codes: some Sequence<String>) -> String {
        "," + Set(codes).sorted().joined(separator: ",") + ","
    }

    // MARK: Shares

    /// Shares a reader reaches: the city's side every one (withdrawn too); a partner province's
    /// regulator those shared with it and not withdrawn; any other scope none.
    public static func shares(scope: ScopeFilter, inspection: UUID? = nil, on database: any Database) async throws -> [DeltaShareModel] {
        guard let query = reached(DeltaShareModel.query(on: database), by: scope) else { return [] }
        if let inspection { query.filter(\.$inspectionID == inspection) }
        return try await query.sort(\.$sharedOn, .descending).sort(\.$id, .descending).limit(1_000).all()
    }

    /// One share, if the reader reaches it.
    public static func share(_ id: UUID, scope: ScopeFilter, on database: any Database) async throws -> DeltaShareModel? {
        try await reached(DeltaShareModel.query(on: database).filter(\.$id == id), by: scope)?.first()
    }

    /// Keeps the shares a reader reaches (the rule of `shares` and `share`); nil for a scope that reaches none.
    private static func reached(_ query: QueryBuilder<DeltaShareModel>, by scope: ScopeFilter) -> QueryBuilder<DeltaShareModel>? {
        switch scope {
        case .everything: query
        case .province(let province): query.filter(\.$province == province.rawValue).filter(\.$withdrawnOn == nil)
        case .districts, .park, .enterprise, .institution: nil
        }
    }

    /// The commitments on record, the latest signed first.
    public static func commitments(province: DeltaProvince? = nil, on database: any Database) async throws -> [DeltaCommitmentModel] {
        let query = DeltaCommitmentModel.query(on: database)
        if let province { query.filter(\.$province == province.rawValue) }
        return try await query.sort(\.$signedOn, .descending).sort(\.$id).all()
    }

    // MARK: Joint inspections and partners' results

    /// Joint inspections a reader reaches: the city's side every one; a partner province's regulator
    /// those made with it; any other scope none. Optionally of one inspection; the latest planned first.
    public static func joints(scope: ScopeFilter, inspection: UUID? = nil, on database: any Database) async throws -> [DeltaJointModel] {
        guard let query = partnered(DeltaJointModel.query(on: database), \.$province, by: scope) else { return [] }
        if let inspection { query.filter(\.$inspectionID == inspection) }
        return try await query.sort(\.$plannedOn, .descending).sort(\.$id, .descending).limit(1_000).all()
    }

    /// One joint inspection, if the reader reaches it.
    public static func joint(_ id: UUID, scope: ScopeFilter, on database: any Database) async throws -> DeltaJointModel? {
        try await partnered(DeltaJointModel.query(on: database).filter(\.$id == id), \.$province, by: scope)?.first()
    }

    /// The partners' inspectors of joint inspections, in order, by joint inspection.
    public static func members(of joints: [UUID], on database: any Database) async throws -> [UUID: [DeltaJointMemberModel]] {
        guard !joints.isEmpty else { return [:] }
        var members: [UUID: [DeltaJointMemberModel]] = [:]
        for part in joints.chunked(TrialStore.valuesPerQuery) {
            for member in try await DeltaJointMemberModel.query(on: database).filter(\.$jointID ~~ Array(part)).sort(\.$position).all() {
                members[member.jointID, default: []].append(member)
            }
        }
        return members
    }

    /// Partners' results a reader reaches: the city's side every one, a partner province's regulator
    /// its own; any other scope none. Optionally in one state; the latest carried out first.
    public static func results(
        scope: ScopeFilter, status: PartnerResultStatus? = nil, on database: any Database
    ) async throws -> [DeltaResultModel] {
        guard let query = partnered(DeltaResultModel.query(on: database), \.$province, by: scope) else { return [] }
        if let status { query.filter(\.$status == status.rawValue) }
        return try await query.sort(\.$completedOn, .descending).sort(\.$id, .descending).limit(1_000).all()
    }

    /// One partner's result, if the reader reaches it.
    public static func result(_ id: UUID, scope: ScopeFilter, on database: any Database) async throws -> DeltaResultModel? {
        try await partnered(DeltaResultModel.query(on: database).filter(\.$id == id), \.$province, by: scope)?.first()
    }

    /// Keeps the records of a partner province for its regulator, everything for the city's side;
    /// nil for a scope that reaches none.
    private static func partnered<M: Model>(
        _ query: QueryBuilder<M>, _ province: KeyPath<M, FieldProperty<M, String>>, by scope: ScopeFilter
    ) -> QueryBuilder<M>? {
        switch scope {
        case .everything: query
        case .province(let own): query.filter(province == own.rawValue)
        case .districts, .park, .enterprise, .institution: nil
        }
    }

    /// Whether an enterprise (by credit code) is a party to a link with a party in `province`: what
    /// lets that province's regulator inspect it and record the result.
    public static func isLinked(uscc: String, with province: DeltaProvince, on database: any Database) async throws -> Bool {
        let query = DeltaLinkModel.query(on: database).filter(\.$parties, .custom("LIKE"), "%,\(uscc),%")
        return try await involving(query, province).first() != nil
    }

    // MARK: Notices

    /// Notices a reader reaches (the city's side every one, a partner those sent to it), optionally
    /// open or answered only; the latest sent first.
    public static func notices(scope: ScopeFilter, answered: Bool? = nil, on database: any Database) async throws -> [DeltaNoticeModel] {
        guard let query = partnered(DeltaNoticeModel.query(on: database), \.$province, by: scope) else { return [] }
        if let answered { query.filter(\.$answeredOn, answered ? .notEqual : .equal, nil) }
        return try await query.sort(\.$sentOn, .descending).sort(\.$id, .descending).limit(1_000).all()
    }

    /// One notice, if the reader reaches it.
    public static func notice(_ id: UUID, scope: ScopeFilter, on database: any Database) async throws -> DeltaNoticeModel? {
        try await partnered(DeltaNoticeModel.query(on: database).filter(\.$id == id), \.$province, by: scope)?.first()
    }
}
