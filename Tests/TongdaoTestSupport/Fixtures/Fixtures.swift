import Foundation
import TongdaoCore
import TongdaoStore
import TongdaoUseCases

/// The fixtures of every suite: the test clock, the test caller, and records written through the
/// same use cases the platform's users go through.
public enum Fixtures {
    /// The day the suites take as today (tests set the clock; none reads the system date).
    public static let today = CivilDate("2026-11-23")!
    /// The platform clock started on `today`.
    public static let clock = PlatformClock.starting(on: today)
    /// Who writes the fixtures: the operator's command line (every permission, the whole city).
    public static let caller = Caller.commandLine("test")
    /// The password of every user the fixtures create.
    public static let password = "correct horse battery"

    /// The demo enterprises (eight, in five districts and five parks), stored.
    @discardableResult
    public static func enterprises(on platform: Platform) async throws -> [EnterpriseRecord] {
        var made: [EnterpriseRecord] = []
        for draft in DemoData.enterprises { made.append(try await platform.enterprises.create(EnterpriseInput(draft), by: caller)) }
        return made
    }

    /// The demo enterprises, stored, and one product for each.
    @discardableResult
    public static func enterprisesAndProducts(on platform: Platform) async throws -> (enterprises: [EnterpriseRecord], products: [ProductRecord]) {
        let enterprises = try await enterprises(on: platform)
        var products: [ProductRecord] = []
        for (index, enterprise) in enterprises.enumerated() {
            let draft = ProductDraft(
                name: "示例产品 \(index)", model: "M\(index)", managementClass: .two, keyAreas: index % 2 == 0 ? [.ai] : [.rehabilitation])
            products.append(try await platform.products.create(ProductInput(draft), enterpriseID: enterprise.id.uuidString, by: caller))
        }
        return (enterprises, products)
    }

    /// A user with `password`.
    @discardableResult
    public static func user(_ username: String, role: Role, scope: Scope, on platform: Platform) async throws -> UserRecord {
        try await platform.users.create(
            NewUserInput(username: username, role: role.rawValue, scope: scope.description, password: password), by: caller)
    }

    /// A user with `password`, as the caller its requests make.
    public static func caller(_ username: String, _ role: Role, _ scope: Scope, on platform: Platform) async throws -> Caller {
        let user = try await user(username, role: role, scope: scope, on: platform)
        return Caller.user(id: user.id, username: user.username, role: role, scope: scope)
    }

    /// An application accepted for a product (Class II first registration through the Shanghai bureau unless told otherwise).
    @discardableResult
    public static func application(
        _ number: String, product: UUID, acceptedOn: CivilDate, procedure: String = "device.class2.registration",
        authority: ApplicationAuthority = .shanghaiMPA, channel: ReviewChannel = .normal, reviewer: String? = nil,
        responsibleOfficer: String? = nil, on platform: Platform
    ) async throws -> ApplicationDetail {
        try await platform.applications.create(
            AcceptanceInput(
                productID: product.uuidString, procedure: procedure, authority: authority.rawValue, applicationNumber: number,
                channel: channel.rawValue, reviewer: reviewer, responsibleOfficer: responsibleOfficer, acceptedOn: acceptedOn.description),
            by: caller)
    }

    /// Records an event on an application as the fixtures' caller.
    @discardableResult
    public static func record(_ event: ApplicationEvent, note: String? = nil, on application: UUID, platform: Platform) async throws
        -> ApplicationDetail
    {
        try await platform.applications.record(EventInput(event, note: note), on: application, by: caller)
    }
}

extension EnterpriseInput {
    /// Every field of a draft, as a form sends it.
    public init(_ draft: EnterpriseDraft) {
        self.init(
            uscc: draft.uscc, name: draft.name, district: draft.district, park: draft.park ?? "", kind: draft.kind.rawValue,
            isStartup: draft.isStartup, contactName: draft.contactName ?? "", contactPhone: draft.contactPhone ?? "")
    }
}

extension ProductInput {
    /// Every field of a draft, as a form sends it.
    public init(_ draft: ProductDraft) {
        self.init(
            name: draft.name, model: draft.model, category: draft.category.rawValue, managementClass: draft.managementClass.rawValue,
            classificationCode: draft.classificationCode ?? "", keyAreas: draft.keyAreas.map(\.rawValue), stage: draft.stage.rawValue,
            expectedFiling: draft.expectedFiling?.description ?? "", channels: draft.channels.map(\.rawValue), corePatents: draft.corePatents ?? "",
            technicalFeatures: draft.technicalFeatures ?? "", clinicalAdvantage: draft.clinicalAdvantage ?? "", udiDI: draft.udiDI ?? "")
    }
}

extension EventInput {
    /// An event as the API sends it.
    public init(_ event: ApplicationEvent, note: String? = nil) {
        self.init(
            type: event.kind.rawValue, on: event.on.description, days: event.days.map(String.init), decision: event.decision?.rawValue,
            certificate: event.certificate, supersedes: event.supersedes?.uuidString, reason: event.reason, note: note, site: event.site,
            outcome: event.qmsOutcome?.rawValue)
    }
}

extension Fixtures {
    /// A trial institution in 徐汇, filed for drug trials, with one specialty.
    @discardableResult
    public static func trialInstitution(code: String = "12310000425005166U", on platform: Platform) async throws -> InstitutionRecord {
        try await platform.trials.createInstitution(
            InstitutionInput(
                name: "复旦大学附属中山医院（\(code.suffix(4))）", code: code, district: "310104", grade: "3a", drugFilingNumber: "药物临床机构备字2019001",
                drugFiledOn: "2019-12-20", specialties: [SpecialtyInput(name: "肿瘤科", filedOn: "2019-12-20")]), by: caller)
    }
}
