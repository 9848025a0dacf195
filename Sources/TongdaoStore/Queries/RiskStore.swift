import FluentKit
import Foundation
import TongdaoCore

/// Reads and writes of the risk checklist. Rows are found by their product, whose scope the use
/// cases check first.
public enum RiskStore {
    /// A product the checklist covers: on the market by an innovative procedure, or approved with
    /// conditions; with its first approval's day (the first registration cycle's start).
    public struct Subject: Sendable {
        public var product: ProductModel
        public var certificate: String
        public var approvedOn: CivilDate
        public var channel: ReviewChannel
        public var conditional: Bool
    }

    static let innovative: Set<ReviewChannel> = [.nationalInnovative, .shanghaiInnovative]

    /// The innovative and conditionally approved products on the market, in scope, by name.
    public static func subjects(scope: ScopeFilter, product: UUID? = nil, on database: any Database) async throws -> [Subject] {
        let query = ApplicationModel.query(on: database).filter(\.$certificate != nil).scoped(to: scope)
        if let product { query.filter(\.$product.$id == product) }
        let approvals = try await query.sort(\.$approvedOn).all()
        let obligationQuery = ObligationModel.query(on: database).field(\.$productID)
        if let product { obligationQuery.filter(\.$productID == product) }
        let conditional = Set(try await obligationQuery.all().map(\.productID))
        // The first approval of each product, and whether any was by an innovative procedure.
        var first: [UUID: (certificate: String, on: CivilDate, channel: ReviewChannel)] = [:]
        var innovativeProducts: Set<UUID> = []
        for approval in approvals {
            guard let certificate = approval.certificate, let day = approval.approvedOn.flatMap(CivilDate.init) else { continue }
            let id = approval.$product.id
            if innovative.contains(approval.channel) { innovativeProducts.insert(id) }
            if first[id] == nil { first[id] = (certificate, day, approval.channel) }
        }
        let wanted = first.keys.filter { innovativeProducts.contains($0) || conditional.contains($0) }
        guard !wanted.isEmpty else { return [] }
        let products = try await ProductModel.query(on: database).filter(\.$id ~~ wanted).sort(\.$name).sort(\.$id).all()
        return products.compactMap { product in
            guard let id = product.id, let approval = first[id] else { return nil }
            return Subject(
                product: product, certificate: approval.certificate, approvedOn: approval.on, channel: approval.channel,
                conditional: conditional.contains(id))
        }
    }

    public static func items(of products: [UUID], on database: any Database) async throws -> [RiskItemModel] {
        try await RiskItemModel.query(on: database).filter(\.$productID ~~ products).sort(\.$dueOn).sort(\.$id).all()
    }

    public static func item(id: UUID, on database: any Database) async throws -> RiskItemModel? {
        try await RiskItemModel.find(id, on: database)
    }

    public static func events(of items: [UUID], on database: any Database) async throws -> [RiskItemEventModel] {
        try await RiskItemEventModel.query(on: database).filter(\.$itemID ~~ items).sort(\.$occurredAt).sort(\.$id).all()
    }

    public static func meetings(of products: [UUID], on database: any Database) async throws -> [RiskMeetingModel] {
        try await RiskMeetingModel.query(on: database).filter(\.$productID ~~ products).sort(\.$heldOn, .descending).sort(\.$id).all()
    }

    public static func plans(of products: [UUID], on database: any Database) async throws -> [SpecialPlanModel] {
        try await SpecialPlanModel.query(on: database).filter(\.$productID ~~ products).sort(\.$fromOn, .descending).all()
    }

    public static func periodicReports(of products: [UUID], on database: any Database) async throws -> [PeriodicRiskReportModel] {
        try await PeriodicRiskReportModel.query(on: database).filter(\.$productID ~~ products).sort(\.$year).all()
    }

    public static func addEvent(
        _ kind: RiskItemEventKind, to item: UUID, detail: String, by actor: String, at instant: Date, on database: any Database
    )
        async throws
    {
        let row = RiskItemEventModel()
        row.id = TimeOrderedID.make(now: instant)
        row.itemID = item
        row.kind = kind.rawValue
        row.occurredAt = instant
        row.actor = actor
        row.detail = detail
        try await row.create(on: database)
    }

    /// A new row's id, made from its moment.
    public static func newID(now: Date) -> UUID { TimeOrderedID.make(now: now) }
}
