import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

extension TrialUseCases {
    /// The institutions that could take on a product's clinical trial, ranked and explained
    /// (`TrialMatching`): for whoever may read the product (its enterprise, the station and the
    /// district serving it, the regulator). The institutions are ranked city-wide whatever the
    /// caller's scope (their filings are public); investigators are counted, never named.
    public func matches(product id: UUID, by caller: Caller) async throws -> TrialMatching.Outcome {
        try await matches(for: try await platform.products.find(id: id, by: caller), by: caller)
    }

    /// The same, for a product the caller has read already (through a use case that held its scope:
    /// the product page's journey) without reading it again.
    public func matches(for product: ProductRecord, by caller: Caller) async throws -> TrialMatching.Outcome {
        try caller.require(.readTrials)
        let need = Self.need(of: product)
        let policy = try await policy()
        return try await Capacity.load(for: [need], policy: policy, on: platform.database).rank(need, policy: policy)
    }

    /// The products at the clinical stage in the caller's scope, `limit` at a time, each with its
    /// ranking: what a service station works through for the enterprises it serves.
    public func matches(limit: Int = 20, cursor: String? = nil, by caller: Caller) async throws -> Page<
        (product: ProductRecord, outcome: TrialMatching.Outcome)
    > {
        try caller.require(.readTrials)
        let page = try await platform.products.list(.init(stage: .clinical), limit: limit, cursor: cursor, by: caller)
        let needs = page.items.map(Self.need(of:))
        let policy = try await self.policy()
        let capacity = try await Capacity.load(for: needs, policy: policy, on: platform.database)
        var ranked: [TrialMatching.Need: TrialMatching.Outcome] = [:]
        var items: [(product: ProductRecord, outcome: TrialMatching.Outcome)] = []
        for (product, need) in zip(page.items, needs) {
            let outcome = ranked[need] ?? capacity.rank(need, policy: policy)
            ranked[need] = outcome
            items.append((product, outcome))
        }
        return Page(items: items, next: page.next)
    }

    static func need(of product: ProductRecord) -> TrialMatching.Need {
        TrialMatching.Need(
            category: product.category, managementClass: product.managementClass, classificationCode: product.classificationCode,
            keyAreas: product.keyAreas, innovative: product.channels.contains(.nationalInnovative) || product.channels.contains(.shanghaiInnovative),
            stage: product.stage)
    }

    /// What the ranking reads of the registry, loaded once for a set of needs: the institutions that
    /// may take trials on, their filed specialties, their investigators and the dates of their sites
    /// in the fitting specialties (in every specialty when a need names none), and the conclusions of
    /// their closed inspections.
    struct Capacity {
        var institutions: [TrialMatching.Institution]

        static func load(for needs: [TrialMatching.Need], policy: PILoadPolicy, on db: any Database) async throws -> Capacity {
            let needs = needs.filter { $0.notApplicable == nil }
            guard !needs.isEmpty else { return Capacity(institutions: []) }
            let fitting: Set<String>? = needs.contains { $0.specialties.isEmpty } ? nil : Set(needs.flatMap(\.specialties))
            let institutions = try await TrialStore.activeInstitutions(on: db)
            let ids = institutions.compactMap(\.id)
            let specialties = try await TrialStore.specialties(of: ids, on: db)
            let people = Dictionary(grouping: try await TrialStore.investigators(specialties: fitting, on: db), by: { $0.$institution.id })
            let phaseLoads = try await TrialStore.phaseLoads(in: Set(policy.byPhase.keys), on: db)
            let samples = try await TrialStore.siteSamples(institutions: nil, specialties: fitting, on: db)
            // Where no site of the fitting specialties has dates yet, the institution's own medians stand in.
            let bare = ids.filter { samples[$0]?.contains { $0.activationDays != nil || $0.ethicsDays != nil } != true }
            let overall = try await TrialStore.siteSamples(institutions: bare, on: db).mapValues(SiteTimes.Summary.init)
            let inspected = try await InspectionStore.closedOfTrialInstitutions(on: db)
            return Capacity(
                institutions: institutions.compactMap { model in
                    guard let id = model.id else { return nil }
                    return TrialMatching.Institution(
                        id: id, name: model.name, grade: model.grade, drugFiled: model.drugFilingNumber != nil,
                        deviceFiled: model.deviceFilingNumber != nil,
                        specialties: (specialties[id] ?? []).map { TrialMatching.Filed(name: $0.name, filedOn: $0.filedOn) },
                        investigators: (people[id] ?? []).map {
                            TrialMatching.Investigator(
                                specialty: $0.specialty, activeSites: $0.activeSites, senior: $0.senior, earlierTrials: $0.earlierTrials,
                                phaseLoads: $0.id.flatMap { phaseLoads[$0] } ?? [:])
                        }, samples: samples[id] ?? [], overall: overall[id], inspections: inspected[id] ?? [])
                })
        }

        func rank(_ need: TrialMatching.Need, policy: PILoadPolicy) -> TrialMatching.Outcome {
            TrialMatching.rank(institutions, for: need, policy: policy)
        }
    }
}
