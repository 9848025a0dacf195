import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// A product's path from the census to the market, as its page and `GET /api/v1/products/{id}/timeline`
/// show it: its declarations year by year, then its applications with their clocks and timelines.
public struct ProductJourney: Sendable, Equatable {
    public struct Application: Sendable, Equatable {
        public var item: ApplicationItem
        public var events: [ApplicationEventRecord]
    }

    public var product: ProductRecord
    public var enterpriseName: String
    public var declarations: [CensusUseCases.DeclarationRecord]
    public var applications: [Application]
    /// The guidance sessions about the product (for the roles that read guidance records).
    public var guidance: [GuidanceRecord] = []
    /// Whether the events carry their confidential notes (the caller's role may read them).
    public var confidential: Bool
    /// Today, by the platform's clock: the clocks are read as of it, and this year's declaration is its year's.
    public var asOf: CivilDate

    /// This year's declaration, if the product has one.
    public var currentDeclaration: CensusDeclaration? {
        declarations.first { $0.year == asOf.year }?.declaration
    }
}

extension ProductUseCases {
    /// A product in the caller's scope with its journey: declarations, then applications in the
    /// scope with their clocks today and their timelines (notes only for the roles that may read them).
    public func journey(id: UUID, by caller: Caller) async throws -> ProductJourney {
        try caller.require(.readProducts)
        let db = platform.database
        let product = try await model(id: id, by: caller, on: db)
        let enterpriseName = try await EnterpriseStore.names(of: [product.$enterprise.id], on: db)[product.$enterprise.id] ?? product.uscc
        let declarations = try await CensusStore.declarations(of: id, on: db).map(CensusUseCases.DeclarationRecord.init)
        let applications = try await ApplicationStore.ofProduct(id, scope: caller.filter, on: db)
        let clocks = try await platform.clocks()
        let timelines = try await ApplicationStore.events(of: applications.compactMap(\.id), on: db)
        let confidential = caller.may(.readConfidentialReview)
        let guidance = caller.may(.readGuidance) ? try await platform.guidance.list(product: id, by: caller) : []
        var journey = ProductJourney(
            product: try ProductRecord(product), enterpriseName: enterpriseName, declarations: declarations,
            applications: try applications.map { application in
                let events = timelines[try application.requireID()] ?? []
                return ProductJourney.Application(
                    item: try clocks.item(application, events.map(\.event), for: caller),
                    events: try ApplicationEventRecord.timeline(events, confidential: confidential))
            }, confidential: confidential, asOf: clocks.today)
        journey.guidance = guidance
        return journey
    }
}
