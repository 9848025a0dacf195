import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import Vapor

/// The access matrix at the use-case level, without HTTP: every use case, called by every role,
/// on a record inside and outside the caller's scope, answers exactly what the permission matrix
/// and the scope rule say — on SQLite and PostgreSQL.
@Suite("Who may do what: every use case × every role × a record in and out of scope")
struct UseCaseMatrixTests {
    /// What a call came to.
    enum Outcome: Equatable, CustomStringConvertible {
        case done, forbidden, notFound, outsideScope, invalid(String), conflict

        var description: String {
            switch self {
            case .done: "done"
            case .forbidden: "forbidden"
            case .notFound: "not found"
            case .outsideScope: "outside scope"
            case .invalid(let field): "invalid \(field)"
            case .conflict: "conflict"
            }
        }
    }

    static func outcome(_ call: () async throws -> Void) async -> Outcome {
        do {
            try await call()
            return .done
        } catch let refusal as UseCaseError {
            switch refusal {
            case .forbidden: return .forbidden
            case .notFound: return .notFound
            case .outsideScope: return .outsideScope
            case .fieldForbidden: return .forbidden
            case .invalid(let problems), .malformed(let problems): return .invalid(problems.map(\.field).joined(separator: ","))
            case .impossibleEvent(_, let problem): return .invalid(problem.field)
            case .conflict, .stale, .versionRequired: return .conflict
            case .unauthenticated, .throttled: return .forbidden
            case .busy:
                Issue.record("the database was too busy: \(refusal)")
                return .invalid("busy")
            }
        } catch {
            Issue.record("not a use-case refusal: \(String(reflecting: error))")
            return .invalid("fault")
        }
    }

    /// One actor of each role (two where the scope kind has interesting neighbours).
    static let actors: [(username: String, role: Role, scope: Scope)] = [
        ("admin", .cityAdmin, .city), ("regulator", .cityRegulator, .city), ("reviewer", .reviewer, .city), ("inspector", .inspector, .city),
        ("industry", .industryOfficer, .city), ("pudong", .districtOfficer, .district("310115")),
        ("xuhui", .districtOfficer, .district("310104")), ("zhangjiang", .parkOfficer, .park("zhangjiang")),
        ("station", .stationOfficer, .station("xuhui")), ("firm", .enterpriseUser, .enterprise(DemoData.enterprises[0].uscc)),
        ("other-firm", .enterpriseUser, .enterprise(DemoData.enterprises[3].uscc)),
    ]

    @Test("every write and read, by every role, in and out of scope", arguments: TestDatabase.enabled)
    func matrix(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            let platform = app.testPlatform()
            let (enterprises, products) = try await Fixtures.enterprisesAndProducts(on: platform)
            var applications: [ApplicationRecord] = []
            for (index, product) in products.enumerated() {
                let made = try await Fixtures.application("M\(index)", product: product.id, acceptedOn: CivilDate("2026-09-01")!, on: platform)
                try await Fixtures.record(
                    ApplicationEvent(.supplementRequested, on: CivilDate("2026-09-15")!), note: "审评意见：资料不足", on: made.application.id,
                    platform: platform)
                try await Fixtures.record(
                    ApplicationEvent(.supplementReceived, on: CivilDate("2026-10-15")!), on: made.application.id, platform: platform)
                applications.append(made.application)
            }
            // An institution's office has nothing of this registry in its scope: `trials` holds it. The
            // health commission may not read it at all, nor may a partner province's regulator.
            #expect(
                Set(Role.allCases) == Set(Self.actors.map(\.role) + [.trialInstitutionOfficer, .healthOfficer, .partnerRegulator]),
                "the matrix covers every role")
            let health = try await Fixtures.user("health", role: .healthOfficer, scope: .city, on: platform)
            let jiangsu = try await Fixtures.user("jiangsu", role: .partnerRegulator, scope: .province(.jiangsu), on: platform)
            let outsiders = [
                Caller.user(id: health.id, username: "health", role: .healthOfficer, scope: .city),
                Caller.user(id: jiangsu.id, username: "jiangsu", role: .partnerRegulator, scope: .province(.jiangsu)),
            ]
            let registry = (enterprises.map(\.id), products.map(\.id), applications.map(\.id))
            for outsider in outsiders {
                for index in registry.0.indices {
                    let enterprise = await Self.outcome { _ = try await platform.enterprises.find(id: registry.0[index], by: outsider) }
                    let product = await Self.outcome { _ = try await platform.products.find(id: registry.1[index], by: outsider) }
                    let application = await Self.outcome { _ = try await platform.applications.detail(id: registry.2[index], by: outsider) }
                    #expect([enterprise, product, application] == [.forbidden, .forbidden, .forbidden], "\(outsider) reads no registry")
                }
                let list = await Self.outcome { _ = try await platform.enterprises.list(.init(), by: outsider) }
                let dashboard = await Self.outcome { _ = try await platform.dashboard.summary(district: nil, by: outsider) }
                #expect([list, dashboard] == [.forbidden, .forbidden], "\(outsider) lists no registry, counts none")
            }
            var callers: [String: Caller] = [:]
            for actor in Self.actors {
                let user = try await Fixtures.user(actor.username, role: actor.role, scope: actor.scope, on: platform)
                callers[actor.username] = .user(id: user.id, username: user.username, role: user.role, scope: user.scope)
            }

            // Reads first, while every count is still the fixtures' own; then the writes.
            for actor in Self.actors {
                let caller = try #require(callers[actor.username])
                let filter = caller.filter
                let inside = enterprises.indices.filter { filter.admits(enterprises[$0].draft.location) }
                #expect(!inside.isEmpty, "\(actor.username) has a record in scope")
                let label = actor.username
                // Reads: in scope, or the same not-found as a missing record.
                for index in enterprises.indices {
                    let admitted = inside.contains(index)
                    let read = await Self.outcome { _ = try await platform.enterprises.find(id: enterprises[index].id, by: caller) }
                    #expect(read == (admitted ? .done : .notFound), "\(label) reads enterprise \(index)")
                    let product = await Self.outcome { _ = try await platform.products.find(id: products[index].id, by: caller) }
                    #expect(product == (admitted ? .done : .notFound), "\(label) reads product \(index)")
                    let journey = await Self.outcome { _ = try await platform.products.journey(id: products[index].id, by: caller) }
                    #expect(journey == (admitted ? .done : .notFound), "\(label) reads product \(index)'s journey")
                    let detail = await Self.outcome {
                        let detail = try await platform.applications.detail(id: applications[index].id, by: caller)
                        let notes = detail.events.compactMap(\.note)
                        #expect(notes == (caller.may(.readConfidentialReview) ? ["审评意见：资料不足"] : []), "\(label) reads notes only if allowed")
                    }
                    #expect(detail == (admitted ? .done : .notFound), "\(label) reads application \(index)")
                }
                // Lists: exactly the scope, whatever the filter asks for.
                #expect(
                    Set(try await platform.enterprises.list(.init(), limit: 100, by: caller).items.map(\.id))
                        == Set(inside.map { enterprises[$0].id }),
                    "\(label) lists its enterprises")
                #expect(try await platform.products.list(.init(), limit: 100, by: caller).items.count == inside.count, "\(label) lists its products")
                #expect(
                    try await platform.applications.list(.init(), limit: 100, by: caller).items.count == inside.count, "\(label) lists applications")
                #expect(
                    try await platform.enterprises.list(.init(district: "310120"), limit: 100, by: caller).items.count
                        == (filter == .everything ? 1 : 0), "\(label): a filter cannot widen the scope")
                let summary = try await platform.dashboard.summary(district: nil, by: caller)
                #expect(summary.figures.applicationsInReview == inside.count, "\(label)'s dashboard counts its scope")
                #expect(try await platform.dashboard.recentEvents(district: nil, limit: 100, by: caller).count == inside.count * 3)

            }
            for actor in Self.actors {
                let caller = try #require(callers[actor.username])
                let filter = caller.filter
                func expect(_ action: Action, inScope: Bool, outside: Outcome = .notFound, otherwise done: Outcome = .done) -> Outcome {
                    !inScope ? outside : (caller.may(action) ? done : .forbidden)
                }
                let inside = enterprises.indices.filter { filter.admits(enterprises[$0].draft.location) }
                let outside = enterprises.indices.filter { !filter.admits(enterprises[$0].draft.location) }
                let label = actor.username

                // Writes to a record named by id: found in scope first (404), then the role (403).
                let mine = inside[0]
                let theirs = outside.first
                for (index, admitted) in [(mine, true)] + (theirs.map { [($0, false)] } ?? []) {
                    let enterprise = enterprises[index], product = products[index], application = applications[index]
                    // Each change names the version stored now (earlier roles changed the record too).
                    let enterpriseVersion = try await platform.enterprises.find(id: enterprise.id, by: Fixtures.caller).version
                    let productVersion = try await platform.products.find(id: product.id, by: Fixtures.caller).version
                    let update = await Self.outcome {
                        _ = try await platform.enterprises.update(
                            id: enterprise.id, EnterpriseInput(contactName: label), expecting: enterpriseVersion, by: caller)
                    }
                    #expect(update == expect(.writeEnterprises, inScope: admitted), "\(label) changes enterprise \(index): \(update)")
                    let changeProduct = await Self.outcome {
                        _ = try await platform.products.update(
                            id: product.id, ProductInput(model: "M-\(label)"), expecting: productVersion, by: caller)
                    }
                    #expect(changeProduct == expect(.writeProducts, inScope: admitted), "\(label) changes product \(index): \(changeProduct)")
                    let declare = await Self.outcome {
                        _ = try await platform.census.declare(
                            .init(stage: "clinical", expectedFiling: "2027-06", channels: [], guidanceNeeds: label), year: nil, productID: product.id,
                            by: caller)
                    }
                    #expect(declare == expect(.writeProducts, inScope: admitted), "\(label) declares for product \(index): \(declare)")
                    let submit = await Self.outcome {
                        _ = try await platform.products.create(
                            ProductInput(name: "\(label)的新产品", managementClass: "II"), enterpriseID: enterprise.id.uuidString, by: caller)
                    }
                    #expect(
                        submit == (caller.may(.writeProducts) ? (admitted ? .done : .invalid("enterpriseId")) : .forbidden),
                        "\(label) submits a product for enterprise \(index): \(submit)")
                    let extend = await Self.outcome {
                        _ = try await platform.applications.record(
                            EventInput(type: "extension_granted", on: "2026-11-02", days: "1", reason: "专家意见"), on: application.id, by: caller)
                    }
                    #expect(extend == expect(.writeApplications, inScope: admitted), "\(label) extends application \(index): \(extend)")
                    let accept = await Self.outcome {
                        _ = try await platform.applications.create(
                            AcceptanceInput(
                                productID: product.id.uuidString, procedure: "device.class2.registration", authority: "shanghai_mpa",
                                applicationNumber: "N-\(label)-\(index)", channel: "normal", acceptedOn: "2026-11-02"),
                            by: caller)
                    }
                    #expect(
                        accept == (caller.may(.writeApplications) ? (admitted ? .done : .invalid("productId")) : .forbidden),
                        "\(label) registers an application for product \(index): \(accept)")
                }
                // Creating where the scope does not reach (崇明, where no demo record is) is refused; an
                // enterprise's account registers no enterprise at all.
                let chongming = await Self.outcome {
                    _ = try await platform.enterprises.create(
                        EnterpriseInput(uscc: Self.uscc(label), name: "\(label) 崇明示例有限公司", district: "310151"), by: caller)
                }
                #expect(
                    chongming
                        == (caller.role.map { !$0.registersEnterprises } ?? false
                            ? .forbidden : (filter == .everything ? .done : .outsideScope)),
                    "\(label) registers an enterprise in 崇明: \(chongming)")

                // The platform's own settings and administration: by role alone.
                let users = await Self.outcome { _ = try await platform.users.list(by: caller) }
                #expect(users == (caller.may(.manageUsers) ? .done : .forbidden), "\(label) lists users")
                let newUser = await Self.outcome {
                    _ = try await platform.users.create(
                        NewUserInput(username: "made-by-\(label)", role: "inspector", scope: "city", password: Fixtures.password), by: caller)
                }
                #expect(newUser == (caller.may(.manageUsers) ? .done : .forbidden), "\(label) creates a user")
                let reset = await Self.outcome { try await platform.users.resetPassword(username: "inspector", to: Fixtures.password, by: caller) }
                #expect(reset == (caller.may(.manageUsers) ? .done : .forbidden), "\(label) resets a password")
                let audit = await Self.outcome { _ = try await platform.audit.list(.init(), by: caller) }
                #expect(audit == (caller.may(.readAudit) ? .done : .forbidden), "\(label) reads the audit trail")
                let pool = await Self.outcome { _ = try await platform.inspectors.list(.init(), by: caller) }
                #expect(pool == (caller.may(.readInspectors) ? .done : .forbidden), "\(label) reads the inspector pool")
                let inspector = await Self.outcome {
                    _ = try await platform.inspectors.create(
                        InspectorInput(
                            name: "\(label)登记的检查员", categories: ["device"], specialties: ["device_qms"], fullTime: false, rank: "member",
                            capacityDays: "30"), by: caller)
                }
                #expect(inspector == (caller.may(.manageInspectors) ? .done : .forbidden), "\(label) registers an inspector")
                let plan = await Self.outcome { _ = try await platform.inspectionPlan.plan(by: caller) }
                #expect(plan == (caller.may(.readInspectors) ? .done : .forbidden), "\(label) reads the inspection plan")
                let schedule = await Self.outcome { _ = try await platform.inspectionPlan.schedule(by: caller) }
                #expect(schedule == (caller.may(.planInspections) ? .done : .forbidden), "\(label) plans the year's inspections")
                let policy = await Self.outcome {
                    _ = try await platform.settings.setWarningPolicy(WarningPolicy(amberFraction: 0.8, supplementWarningDays: 31), by: caller)
                }
                #expect(policy == (caller.may(.writeProcedure) ? .done : .forbidden), "\(label) sets the warning thresholds")
                let year = await Self.outcome {
                    _ = try await platform.settings.publishYear(
                        2031, holidays: [.init(name: "元旦", first: "2031-01-01", last: "2031-01-01")], adjustedWorkdays: [], source: "test", by: caller
                    )
                }
                #expect(year == (caller.may(.writeCalendarYear) ? .done : .forbidden), "\(label) publishes a year")
                let digest = await Self.outcome { _ = try await platform.digest.run(day: Fixtures.today, by: caller) }
                #expect(digest == .forbidden, "\(label) runs the digest: only the platform does")
                let sheet = await Self.outcome {
                    _ = try await platform.census.importFile(
                        CensusFixture.csv(CensusFixture.rows(count: 1, districts: [("310151", "崇明区", [""])])), year: 2026, dryRun: true,
                        by: caller)
                }
                #expect(sheet == (caller.may(.importCensus) ? .done : .forbidden), "\(label) checks a census sheet")
                if caller.may(.importCensus) {
                    let report = try await platform.census.importFile(
                        CensusFixture.csv(CensusFixture.rows(count: 1, districts: [("310151", "崇明区", [""])])), year: 2026, dryRun: true, by: caller)
                    #expect(report.rejected.isEmpty == (filter == .everything), "\(label): a row outside the scope is rejected")
                }
            }
        }
    }

    @Test(
        "adverse events: every role files, lists and reads exactly what its role and scope allow; narratives only for the reporters and the regulator",
        arguments: TestDatabase.enabled)
    func adverseEvents(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            let platform = app.testPlatform(clock: Fixtures.clock)
            let (_, products) = try await Fixtures.enterprisesAndProducts(on: platform)
            // The products of the firm (Zhangjiang, Pudong) and of the other firm (Xuhui) on the market.
            try await Fixtures.market([products[0], products[3]], on: platform)
            let here = try await Fixtures.trialInstitution(on: platform)
            let actors =
                Self.actors + [
                    ("office", Role.trialInstitutionOfficer, Scope.institution(here.id.uuidString)), ("health", .healthOfficer, .city),
                    ("jiangsu", .partnerRegulator, .province(.jiangsu)),
                ]
            #expect(Set(Role.allCases) == Set(actors.map(\.role)), "the matrix covers every role")
            let existing = try await platform.adverseEvents.file(AdverseEventTests.input(), by: Fixtures.caller)
            var filed: [String: String] = [:]
            var listed: [String: String] = [:]
            var narrative: [String: String] = [:]
            for actor in actors {
                let user = try await Fixtures.user(actor.username, role: actor.role, scope: actor.scope, on: platform)
                let caller = Caller.user(id: user.id, username: user.username, role: user.role, scope: user.scope)
                filed[actor.username] = await Self.outcome { _ = try await platform.adverseEvents.file(AdverseEventTests.input(), by: caller) }
                    .description
                listed[actor.username] = await Self.outcome {
                    let page = try await platform.adverseEvents.list(limit: 200, by: caller)
                    if !page.items.contains(where: { $0.id == existing.id }) { throw UseCaseError.notFound(.adverseEvent) }
                }.description
                narrative[actor.username] = await Self.outcome {
                    if try await platform.adverseEvents.detail(id: existing.id, by: caller).narrative == nil {
                        throw UseCaseError.fieldForbidden(FieldProblem("narrative", "", chinese: ""))
                    }
                }.description
            }
            #expect(
                filed == [
                    "admin": "done", "regulator": "done", "reviewer": "forbidden", "inspector": "forbidden", "industry": "forbidden",
                    "pudong": "forbidden",
                    "xuhui": "forbidden", "zhangjiang": "forbidden", "station": "forbidden", "firm": "done", "other-firm": "invalid udiDI",
                    "office": "done", "health": "forbidden", "jiangsu": "forbidden",
                ])
            // The firm's report (on its product) is read by the regulator's side and the firm; the
            // other firm and the office (which did not file it) do not find it.
            #expect(
                listed == [
                    "admin": "done", "regulator": "done", "reviewer": "done", "inspector": "done", "industry": "forbidden", "pudong": "forbidden",
                    "xuhui": "forbidden", "zhangjiang": "forbidden", "station": "forbidden", "firm": "done", "other-firm": "not found",
                    "office": "not found", "health": "forbidden", "jiangsu": "forbidden",
                ])
            #expect(
                narrative == [
                    "admin": "done", "regulator": "done", "reviewer": "forbidden", "inspector": "forbidden", "industry": "forbidden",
                    "pudong": "forbidden",
                    "xuhui": "forbidden", "zhangjiang": "forbidden", "station": "forbidden", "firm": "done", "other-firm": "not found",
                    "office": "not found", "health": "forbidden", "jiangsu": "forbidden",
                ])
        }
    }

    @Test(
        "consultations: every role asks, reads and answers exactly what its role, its scope and its desk allow",
        arguments: TestDatabase.enabled)
    func consultations(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            let platform = app.testPlatform(clock: Fixtures.clock)
            let (enterprises, _) = try await Fixtures.enterprisesAndProducts(on: platform)
            let here = try await Fixtures.trialInstitution(on: platform)
            let actors =
                Self.actors + [
                    ("office", Role.trialInstitutionOfficer, Scope.institution(here.id.uuidString)), ("health", .healthOfficer, .city),
                    ("jiangsu", .partnerRegulator, .province(.jiangsu)),
                    ("zj-station", .stationOfficer, .station("zhangjiang")),
                ]
            #expect(Set(Role.allCases) == Set(actors.map(\.role)), "the matrix covers every role")
            let input = ConsultationInput(
                enterprise: enterprises[0].id.uuidString, topic: "dossier", title: "申报资料要求", question: "注册申报资料的格式要求是什么？")
            let existing = try await platform.consultations.ask(input, by: Fixtures.caller)
            var asked: [String: String] = [:], read: [String: String] = [:], answered: [String: String] = [:]
            for actor in actors {
                let user = try await Fixtures.user(actor.username, role: actor.role, scope: actor.scope, on: platform)
                let caller = Caller.user(id: user.id, username: user.username, role: user.role, scope: user.scope)
                asked[actor.username] = await Self.outcome { _ = try await platform.consultations.ask(input, by: caller) }.description
                read[actor.username] = await Self.outcome { _ = try await platform.consultations.detail(id: existing.id, by: caller) }.description
                answered[actor.username] = await Self.outcome {
                    _ = try await platform.consultations.respond(id: existing.id, response: "answer", text: "答复", expecting: 0, by: caller)
                }.description
            }
            #expect(
                asked == [
                    "admin": "done", "regulator": "done", "reviewer": "forbidden", "inspector": "forbidden", "industry": "forbidden",
                    "pudong": "forbidden", "xuhui": "forbidden", "zhangjiang": "forbidden", "station": "forbidden", "firm": "done",
                    "other-firm": "done", "office": "forbidden", "health": "forbidden", "jiangsu": "forbidden", "zj-station": "forbidden",
                ])
            #expect(
                read == [
                    "admin": "done", "regulator": "done", "reviewer": "forbidden", "inspector": "forbidden", "industry": "forbidden",
                    "pudong": "done", "xuhui": "not found", "zhangjiang": "done", "station": "not found", "firm": "done",
                    "other-firm": "not found", "office": "forbidden", "health": "forbidden", "jiangsu": "forbidden", "zj-station": "done",
                ])
            // A stale version (0) is a conflict for whoever may answer and finds it; the others are refused first.
            #expect(
                answered == [
                    "admin": "conflict", "regulator": "conflict", "reviewer": "forbidden", "inspector": "forbidden", "industry": "forbidden",
                    "pudong": "forbidden", "xuhui": "forbidden", "zhangjiang": "forbidden", "station": "not found", "firm": "forbidden",
                    "other-firm": "forbidden", "office": "forbidden", "health": "forbidden", "jiangsu": "forbidden", "zj-station": "conflict",
                ])
        }
    }

    @Test(
        "appointments: every role publishes, books, reads, cancels and records attendance exactly as its role, its scope and its desk allow",
        arguments: TestDatabase.enabled)
    func appointments(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            let platform = app.testPlatform(clock: Fixtures.clock)
            let (enterprises, _) = try await Fixtures.enterprisesAndProducts(on: platform)
            let here = try await Fixtures.trialInstitution(on: platform)
            let actors =
                Self.actors + [
                    ("office", Role.trialInstitutionOfficer, Scope.institution(here.id.uuidString)), ("health", .healthOfficer, .city),
                    ("jiangsu", .partnerRegulator, .province(.jiangsu)),
                    ("zj-station", .stationOfficer, .station("zhangjiang")),
                ]
            #expect(Set(Role.allCases) == Set(actors.map(\.role)), "the matrix covers every role")
            let slot = try await platform.appointments.publish(
                SlotInput(desk: "zhangjiang", day: "2026-11-27", startsAt: "13:00", endsAt: "16:00", seats: "100"), by: Fixtures.caller
            ).slots[0]
            // 南虹桥's enterprise (闵行): in nobody's district among the actors.
            let existing = try await platform.appointments.book(
                slot: slot.id, BookingInput(enterprise: enterprises[4].id.uuidString, topic: "dossier", question: "资料？"), by: Fixtures.caller)
            var published: [String: String] = [:], booked: [String: String] = [:], read: [String: String] = [:]
            var cancelled: [String: String] = [:], attended: [String: String] = [:]
            for (index, actor) in actors.enumerated() {
                let user = try await Fixtures.user(actor.username, role: actor.role, scope: actor.scope, on: platform)
                let caller = Caller.user(id: user.id, username: user.username, role: user.role, scope: user.scope)
                let minute = String(format: "%02d", index)
                published[actor.username] = await Self.outcome {
                    _ = try await platform.appointments.publish(
                        SlotInput(desk: "zhangjiang", day: "2026-11-27", startsAt: "09:\(minute)", endsAt: "12:00", seats: "5"), by: caller)
                }.description
                let forWhom = enterprises[[1, 2, 5, 6][index % 4]].id.uuidString
                booked[actor.username] = await Self.outcome {
                    _ = try await platform.appointments.book(
                        slot: slot.id, BookingInput(enterprise: forWhom, topic: "dossier", question: "资料要求？"), by: caller)
                }.description
                read[actor.username] = await Self.outcome {
                    if try await !platform.appointments.bookings(by: caller).contains(where: { $0.id == existing.id }) {
                        throw UseCaseError.notFound(.appointment)
                    }
                }.description
                cancelled[actor.username] = await Self.outcome {
                    _ = try await platform.appointments.cancel(id: existing.id, reason: nil, expecting: 0, by: caller)
                }.description
                attended[actor.username] = await Self.outcome {
                    _ = try await platform.appointments.recordAttendance(id: existing.id, status: "attended", note: nil, expecting: 0, by: caller)
                }.description
            }
            #expect(
                published == [
                    "admin": "done", "regulator": "done", "reviewer": "forbidden", "inspector": "forbidden", "industry": "forbidden",
                    "pudong": "forbidden", "xuhui": "forbidden", "zhangjiang": "forbidden", "station": "invalid desk", "firm": "forbidden",
                    "other-firm": "forbidden", "office": "forbidden", "health": "forbidden", "jiangsu": "forbidden", "zj-station": "done",
                ])
            #expect(
                booked == [
                    "admin": "done", "regulator": "done", "reviewer": "forbidden", "inspector": "forbidden", "industry": "forbidden",
                    "pudong": "forbidden", "xuhui": "forbidden", "zhangjiang": "forbidden", "station": "forbidden", "firm": "done",
                    "other-firm": "done", "office": "forbidden", "health": "forbidden", "jiangsu": "forbidden", "zj-station": "forbidden",
                ])
            #expect(
                read == [
                    "admin": "done", "regulator": "done", "reviewer": "forbidden", "inspector": "forbidden", "industry": "forbidden",
                    "pudong": "not found", "xuhui": "not found", "zhangjiang": "not found", "station": "not found", "firm": "not found",
                    "other-firm": "not found", "office": "forbidden", "health": "forbidden", "jiangsu": "forbidden", "zj-station": "not found",
                ])
            // A stale version (0) is a conflict for whoever may act and finds it; the others are refused first.
            #expect(
                cancelled == [
                    "admin": "conflict", "regulator": "conflict", "reviewer": "forbidden", "inspector": "forbidden", "industry": "forbidden",
                    "pudong": "forbidden", "xuhui": "forbidden", "zhangjiang": "forbidden", "station": "forbidden", "firm": "not found",
                    "other-firm": "not found", "office": "forbidden", "health": "forbidden", "jiangsu": "forbidden", "zj-station": "forbidden",
                ])
            #expect(
                attended == [
                    "admin": "conflict", "regulator": "conflict", "reviewer": "forbidden", "inspector": "forbidden", "industry": "forbidden",
                    "pudong": "forbidden", "xuhui": "forbidden", "zhangjiang": "forbidden", "station": "not found", "firm": "forbidden",
                    "other-firm": "forbidden", "office": "forbidden", "health": "forbidden", "jiangsu": "forbidden", "zj-station": "conflict",
                ])
        }
    }

    @Test(
        "guidance records: every role records, reads and counts exactly as its role and scope allow", arguments: TestDatabase.enabled)
    func guidance(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            let platform = app.testPlatform(clock: Fixtures.clock)
            let (enterprises, _) = try await Fixtures.enterprisesAndProducts(on: platform)
            let here = try await Fixtures.trialInstitution(on: platform)
            let actors =
                Self.actors + [
                    ("office", Role.trialInstitutionOfficer, Scope.institution(here.id.uuidString)), ("health", .healthOfficer, .city),
                    ("jiangsu", .partnerRegulator, .province(.jiangsu)),
                    ("zj-station", .stationOfficer, .station("zhangjiang")),
                ]
            #expect(Set(Role.allCases) == Set(actors.map(\.role)), "the matrix covers every role")
            let input = GuidanceInput(
                enterprise: enterprises[0].id.uuidString, desk: "zhangjiang", heldOn: "2026-11-20", mode: "phone", attendees: "双方联系人",
                topics: ["dossier"], questions: "资料？", advice: "按目录准备。")
            let existing = try await platform.guidance.record(input, by: Fixtures.caller)
            var recorded: [String: String] = [:], read: [String: String] = [:], counted: [String: String] = [:]
            for actor in actors {
                let user = try await Fixtures.user(actor.username, role: actor.role, scope: actor.scope, on: platform)
                let caller = Caller.user(id: user.id, username: user.username, role: user.role, scope: user.scope)
                var own = input
                if case .station(let code) = actor.scope { own.desk = code }
                recorded[actor.username] = await Self.outcome { _ = try await platform.guidance.record(own, by: caller) }.description
                read[actor.username] = await Self.outcome { _ = try await platform.guidance.detail(id: existing.id, by: caller) }.description
                counted[actor.username] = await Self.outcome { _ = try await platform.guidance.counts(year: 2026, by: caller) }.description
            }
            #expect(
                recorded == [
                    "admin": "done", "regulator": "done", "reviewer": "forbidden", "inspector": "forbidden", "industry": "forbidden",
                    "pudong": "forbidden", "xuhui": "forbidden", "zhangjiang": "forbidden", "station": "invalid enterprise", "firm": "forbidden",
                    "other-firm": "forbidden", "office": "forbidden", "health": "forbidden", "jiangsu": "forbidden", "zj-station": "done",
                ])
            #expect(
                read == [
                    "admin": "done", "regulator": "done", "reviewer": "forbidden", "inspector": "forbidden", "industry": "forbidden",
                    "pudong": "done", "xuhui": "not found", "zhangjiang": "done", "station": "not found", "firm": "done",
                    "other-firm": "not found", "office": "forbidden", "health": "forbidden", "jiangsu": "forbidden", "zj-station": "done",
                ])
            #expect(
                counted == [
                    "admin": "done", "regulator": "done", "reviewer": "forbidden", "inspector": "forbidden", "industry": "done",
                    "pudong": "done", "xuhui": "done", "zhangjiang": "done", "station": "done", "firm": "forbidden",
                    "other-firm": "forbidden", "office": "forbidden", "health": "forbidden", "jiangsu": "forbidden", "zj-station": "done",
                ])
        }
    }

    @Test(
        "the key-varieties list: every role proposes, reads, decides and plans exactly as its role, its scope and its station allow",
        arguments: TestDatabase.enabled)
    func keyVarieties(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            let platform = app.testPlatform(clock: Fixtures.clock)
            let (_, products) = try await Fixtures.enterprisesAndProducts(on: platform)
            let here = try await Fixtures.trialInstitution(on: platform)
            let actors =
                Self.actors + [
                    ("office", Role.trialInstitutionOfficer, Scope.institution(here.id.uuidString)), ("health", .healthOfficer, .city),
                    ("jiangsu", .partnerRegulator, .province(.jiangsu)),
                    ("zj-station", .stationOfficer, .station("zhangjiang")),
                ]
            #expect(Set(Role.allCases) == Set(actors.map(\.role)), "the matrix covers every role")
            let proposal = KeyVarietyProposal(product: products[0].id.uuidString, reason: "key_area", justification: "人工智能产品")
            let existing = try await platform.keyVarieties.propose(proposal, by: Fixtures.caller)
            var proposed: [String: String] = [:], read: [String: String] = [:], decided: [String: String] = [:], planned: [String: String] = [:]
            for actor in actors {
                let user = try await Fixtures.user(actor.username, role: actor.role, scope: actor.scope, on: platform)
                let caller = Caller.user(id: user.id, username: user.username, role: user.role, scope: user.scope)
                proposed[actor.username] = await Self.outcome { _ = try await platform.keyVarieties.propose(proposal, by: caller) }.description
                read[actor.username] = await Self.outcome { _ = try await platform.keyVarieties.detail(id: existing.id, by: caller) }.description
                decided[actor.username] = await Self.outcome {
                    _ = try await platform.keyVarieties.decide(
                        id: existing.id, KeyVarietyDecision(decision: "decline", note: "否"), expecting: 0, by: caller)
                }.description
                planned[actor.username] = await Self.outcome {
                    _ = try await platform.keyVarieties.setPlan(
                        id: existing.id, milestones: [MilestoneInput(step: "review", title: "申报", dueOn: "2027-06-30")], expecting: 0, by: caller)
                }.description
            }
            // Proposing a product on the list already is a conflict for whoever may propose it; out of scope it names the product.
            #expect(
                proposed == [
                    "admin": "conflict", "regulator": "conflict", "reviewer": "forbidden", "inspector": "forbidden", "industry": "forbidden",
                    "pudong": "conflict", "xuhui": "invalid product", "zhangjiang": "conflict", "station": "invalid product", "firm": "forbidden",
                    "other-firm": "forbidden", "office": "forbidden", "health": "forbidden", "jiangsu": "forbidden", "zj-station": "conflict",
                ])
            #expect(
                read == [
                    "admin": "done", "regulator": "done", "reviewer": "done", "inspector": "done", "industry": "done", "pudong": "done",
                    "xuhui": "not found", "zhangjiang": "done", "station": "not found", "firm": "done", "other-firm": "not found",
                    "office": "not found", "health": "forbidden", "jiangsu": "forbidden", "zj-station": "done",
                ])
            #expect(
                decided == [
                    "admin": "conflict", "regulator": "conflict", "reviewer": "forbidden", "inspector": "forbidden", "industry": "forbidden",
                    "pudong": "forbidden", "xuhui": "forbidden", "zhangjiang": "forbidden", "station": "forbidden", "firm": "forbidden",
                    "other-firm": "forbidden", "office": "forbidden", "health": "forbidden", "jiangsu": "forbidden", "zj-station": "forbidden",
                ])
            #expect(
                planned == [
                    "admin": "conflict", "regulator": "conflict", "reviewer": "forbidden", "inspector": "forbidden", "industry": "forbidden",
                    "pudong": "forbidden", "xuhui": "forbidden", "zhangjiang": "forbidden", "station": "not found", "firm": "forbidden",
                    "other-firm": "forbidden", "office": "forbidden", "health": "forbidden", "jiangsu": "forbidden", "zj-station": "conflict",
                ])
        }
    }

    @Test(
        "the FAQ and case library: every role reads what is published; only a desk and the regulator see drafts; stations write, the regulator publishes",
        arguments: TestDatabase.enabled)
    func library(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            let platform = app.testPlatform(clock: Fixtures.clock)
            try await Fixtures.enterprisesAndProducts(on: platform)
            let here = try await Fixtures.trialInstitution(on: platform)
            let actors =
                Self.actors + [
                    ("office", Role.trialInstitutionOfficer, Scope.institution(here.id.uuidString)), ("health", .healthOfficer, .city),
                    ("jiangsu", .partnerRegulator, .province(.jiangsu)),
                    ("zj-station", .stationOfficer, .station("zhangjiang")),
                ]
            #expect(Set(Role.allCases) == Set(actors.map(\.role)), "the matrix covers every role")
            let input = LibraryEntryInput(
                kind: "faq", title: "注册证到期前多久申请延续？", question: "注册证到期前多久申请延续？", answer: "届满6个月前。", topic: "change-registration")
            let draft = try await platform.library.draft(input, by: Fixtures.caller)
            let reviewer = try await Fixtures.user("matrix-reviewer", role: .cityRegulator, scope: .city, on: platform)
            let reviewing = Caller.user(id: reviewer.id, username: reviewer.username, role: reviewer.role, scope: reviewer.scope)
            let other = try await platform.library.draft(input, by: Fixtures.caller)
            let published = try await platform.library.publish(id: other.id, reviewed: true, note: nil, expecting: other.version, by: reviewing)
            var wrote: [String: String] = [:], readPublished: [String: String] = [:], readDraft: [String: String] = [:]
            var published2: [String: String] = [:], withdrawn: [String: String] = [:]
            for actor in actors {
                let user = try await Fixtures.user(actor.username, role: actor.role, scope: actor.scope, on: platform)
                let caller = Caller.user(id: user.id, username: user.username, role: user.role, scope: user.scope)
                wrote[actor.username] = await Self.outcome { _ = try await platform.library.draft(input, by: caller) }.description
                readPublished[actor.username] = await Self.outcome { _ = try await platform.library.detail(id: published.id, by: caller) }.description
                readDraft[actor.username] = await Self.outcome { _ = try await platform.library.detail(id: draft.id, by: caller) }.description
                published2[actor.username] = await Self.outcome {
                    _ = try await platform.library.publish(id: draft.id, reviewed: true, note: nil, expecting: 0, by: caller)
                }.description
                withdrawn[actor.username] = await Self.outcome {
                    _ = try await platform.library.withdraw(id: published.id, reason: "过时", expecting: 0, by: caller)
                }.description
            }
            let writers: Set<String> = ["admin", "regulator", "station", "zj-station"]
            #expect(wrote == Dictionary(uniqueKeysWithValues: actors.map { ($0.username, writers.contains($0.username) ? "done" : "forbidden") }))
            #expect(readPublished == Dictionary(uniqueKeysWithValues: actors.map { ($0.username, $0.username == "jiangsu" ? "forbidden" : "done") }))
            let regulators: Set<String> = ["admin", "regulator"]
            #expect(
                readDraft
                    == Dictionary(
                        uniqueKeysWithValues: actors.map {
                            ($0.username, regulators.contains($0.username) ? "done" : $0.username == "jiangsu" ? "forbidden" : "not found")
                        }))
            #expect(
                published2
                    == Dictionary(uniqueKeysWithValues: actors.map { ($0.username, regulators.contains($0.username) ? "conflict" : "forbidden") }))
            #expect(
                withdrawn
                    == Dictionary(uniqueKeysWithValues: actors.map { ($0.username, regulators.contains($0.username) ? "conflict" : "forbidden") }))
        }
    }

    @Test(
        "the policy handbook: every role reads it; the city's side records at any level, a district officer its own district's only; the rest may not write",
        arguments: TestDatabase.enabled)
    func handbook(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            let platform = app.testPlatform(clock: Fixtures.clock)
            let (enterprises, _) = try await Fixtures.enterprisesAndProducts(on: platform)
            let here = try await Fixtures.trialInstitution(on: platform)
            let actors =
                Self.actors + [
                    ("office", Role.trialInstitutionOfficer, Scope.institution(here.id.uuidString)), ("health", .healthOfficer, .city),
                    ("jiangsu", .partnerRegulator, .province(.jiangsu)),
                ]
            #expect(Set(Role.allCases) == Set(actors.map(\.role)), "the matrix covers every role")
            func policy(_ level: String, _ district: String?) -> HandbookPolicyInput {
                HandbookPolicyInput(
                    level: level, district: district, title: "矩阵政策", issuer: "发布机关", responsibleBody: "责任处室", contact: "王敏", phone: "021-12345678",
                    summary: "要点。", topics: ["funding"], effectiveOn: "2025-01-01")
            }
            let city = try await platform.handbook.create(policy("city", nil), by: Fixtures.caller)
            let pudong = try await platform.handbook.create(policy("district", "310115"), by: Fixtures.caller)
            var read: [String: String] = [:], wroteCity: [String: String] = [:], wrotePudong: [String: String] = [:]
            var changedCity: [String: String] = [:], changedPudong: [String: String] = [:], listed: [String: String] = [:]
            for actor in actors {
                let user = try await Fixtures.user(actor.username, role: actor.role, scope: actor.scope, on: platform)
                let caller = Caller.user(id: user.id, username: user.username, role: user.role, scope: user.scope)
                read[actor.username] = await Self.outcome { _ = try await platform.handbook.detail(id: city.id, by: caller) }.description
                wroteCity[actor.username] = await Self.outcome { _ = try await platform.handbook.create(policy("city", nil), by: caller) }.description
                wrotePudong[actor.username] = await Self.outcome {
                    _ = try await platform.handbook.create(policy("district", "310115"), by: caller)
                }.description
                let cityVersion = try await platform.handbook.detail(id: city.id, by: Fixtures.caller).version
                changedCity[actor.username] = await Self.outcome {
                    _ = try await platform.handbook.revise(id: city.id, policy("city", nil), expecting: cityVersion, by: caller)
                }.description
                let pudongVersion = try await platform.handbook.detail(id: pudong.id, by: Fixtures.caller).version
                changedPudong[actor.username] = await Self.outcome {
                    _ = try await platform.handbook.revise(id: pudong.id, policy("district", "310115"), expecting: pudongVersion, by: caller)
                }.description
                listed[actor.username] = await Self.outcome {
                    _ = try await platform.handbook.applicable(toEnterprise: enterprises[0].id, by: caller)
                }.description
            }
            let cityWriters: Set<String> = ["admin", "regulator", "industry"]
            #expect(read == Dictionary(uniqueKeysWithValues: actors.map { ($0.username, $0.username == "jiangsu" ? "forbidden" : "done") }))
            #expect(
                wroteCity
                    == Dictionary(
                        uniqueKeysWithValues: actors.map {
                            ($0.username, cityWriters.contains($0.username) ? "done" : $0.role == .districtOfficer ? "invalid level" : "forbidden")
                        }))
            #expect(
                wrotePudong
                    == Dictionary(
                        uniqueKeysWithValues: actors.map {
                            (
                                $0.username,
                                cityWriters.contains($0.username) || $0.username == "pudong"
                                    ? "done" : $0.username == "xuhui" ? "invalid level" : "forbidden"
                            )
                        }))
            // On the version read: the permitted change it; a district officer meets another body's policy as a conflict.
            #expect(
                changedCity
                    == Dictionary(
                        uniqueKeysWithValues: actors.map {
                            ($0.username, cityWriters.contains($0.username) ? "done" : $0.role == .districtOfficer ? "conflict" : "forbidden")
                        }))
            #expect(
                changedPudong
                    == Dictionary(
                        uniqueKeysWithValues: actors.map {
                            (
                                $0.username,
                                cityWriters.contains($0.username) || $0.username == "pudong"
                                    ? "done" : $0.username == "xuhui" ? "conflict" : "forbidden"
                            )
                        }))
            // An enterprise's applicable policies: as its record is in scope (the enterprise directory's rule).
            let reachEnterprise: Set<String> = ["admin", "regulator", "reviewer", "inspector", "industry", "pudong", "zhangjiang", "firm"]
            #expect(
                listed
                    == Dictionary(
                        uniqueKeysWithValues: actors.map {
                            (
                                $0.username,
                                reachEnterprise.contains($0.username)
                                    ? "done" : ["health", "jiangsu"].contains($0.username) ? "forbidden" : "not found"
                            )
                        }), "\(listed)")
        }
    }

    @Test(
        "Delta links: the city's regulator records and ends; a partner province reads its province's links; a party reads and files on its own; the rest may not",
        arguments: TestDatabase.enabled)
    func delta(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            let platform = app.testPlatform(clock: Fixtures.clock)
            let world = try await DeltaFixture.parties(on: platform)
            let here = try await Fixtures.trialInstitution(on: platform)
            let links = platform.deltaLinks
            let firm = world.enterprises[0].uscc, suzhou = world.partners[0].uscc, hangzhou = world.partners[1].uscc
            let link = try await links.create(DeltaFixture.entrusted(firm, suzhou), by: Fixtures.caller)
            let actors =
                Self.actors + [
                    ("office", Role.trialInstitutionOfficer, Scope.institution(here.id.uuidString)), ("health", .healthOfficer, .city),
                    ("jiangsu", .partnerRegulator, .province(.jiangsu)), ("zhejiang", .partnerRegulator, .province(.zhejiang)),
                ]
            #expect(Set(Role.allCases) == Set(actors.map(\.role)), "the matrix covers every role")
            var listed: [String: String] = [:], read: [String: String] = [:], recorded: [String: String] = [:], filed: [String: String] = [:]
            for (number, actor) in actors.enumerated() {
                let user = try await Fixtures.user(actor.username, role: actor.role, scope: actor.scope, on: platform)
                let caller = Caller.user(id: user.id, username: user.username, role: user.role, scope: user.scope)
                listed[actor.username] = await Self.outcome {
                    if try await !links.list(by: caller).contains(where: { $0.id == link.id }) { throw UseCaseError.notFound(.deltaLink) }
                }.description
                read[actor.username] = await Self.outcome { _ = try await links.detail(id: link.id, by: caller) }.description
                recorded[actor.username] = await Self.outcome {
                    _ = try await links.create(DeltaFixture.entrusted(firm, hangzhou, product: "示例产品\(number)"), by: caller)
                }.description
                let version = try await links.detail(id: link.id, by: Fixtures.caller).version
                filed[actor.username] = await Self.outcome {
                    _ = try await links.file(
                        link: link.id, DeltaLinkEventInput(kind: "change", on: "2026-11-20", summary: "变更 \(actor.username)"), expecting: version,
                        by: caller)
                }.description
            }
            // Shares: Jiangsu's under its commitment; each role lists, shares (with Zhejiang) and withdraws.
            let closed = try await DeltaFixture.inspection(of: world.enterprises[1], closed: true, on: app.db)
            _ = try await platform.deltaShares.recordCommitment(
                DeltaCommitmentInput(province: "JS", signedOn: "2026-06-01", reference: "保密承诺 1 号"), by: Fixtures.caller)
            let shared = try await platform.deltaShares.share(
                DeltaShareInput(inspection: closed.uuidString, province: "JS", fields: ["conclusion", "findings", "evidence"]), by: Fixtures.caller)
            var sharesListed: [String: String] = [:], shareMade: [String: String] = [:], withdrawn: [String: String] = [:]
            for actor in actors {
                let user = try #require(try await UserModel.query(on: app.db).filter(\.$username == actor.username).first())
                let caller = Caller.user(id: try user.requireID(), username: actor.username, role: actor.role, scope: actor.scope)
                sharesListed[actor.username] = await Self.outcome {
                    if try await !platform.deltaShares.list(by: caller).contains(where: { $0.id == shared.id }) {
                        throw UseCaseError.notFound(.deltaShare)
                    }
                }.description
                shareMade[actor.username] = await Self.outcome {
                    _ = try await platform.deltaShares.share(
                        DeltaShareInput(inspection: closed.uuidString, province: "ZJ", fields: ["conclusion"]), by: caller)
                }.description
                withdrawn[actor.username] = await Self.outcome {
                    _ = try await platform.deltaShares.withdraw(id: UUID(), reason: "核对", expecting: 1, by: caller)
                }.description
            }
            let shareReach = Dictionary(
                uniqueKeysWithValues: actors.map {
                    (
                        $0.username,
                        ["admin", "regulator", "reviewer", "inspector", "jiangsu"].contains($0.username)
                            ? "done" : ["firm", "other-firm", "zhejiang"].contains($0.username) ? "not found" : "forbidden"
                    )
                })
            #expect(sharesListed == shareReach)
            #expect(
                shareMade
                    == Dictionary(
                        uniqueKeysWithValues: actors.map {
                            ($0.username, $0.username == "admin" ? "done" : $0.username == "regulator" ? "conflict" : "forbidden")
                        }
                    ))
            #expect(
                withdrawn
                    == Dictionary(
                        uniqueKeysWithValues: actors.map { ($0.username, ["admin", "regulator"].contains($0.username) ? "not found" : "forbidden") }))
            let city: Set<String> = ["admin", "regulator", "reviewer", "inspector"]
            let reach = Dictionary(
                uniqueKeysWithValues: actors.map {
                    (
                        $0.username,
                        city.contains($0.username) || ["firm", "jiangsu"].contains($0.username)
                            ? "done" : ["other-firm", "zhejiang"].contains($0.username) ? "not found" : "forbidden"
                    )
                })
            #expect(listed == reach)
            #expect(read == reach)
            #expect(
                recorded
                    == Dictionary(
                        uniqueKeysWithValues: actors.map { ($0.username, ["admin", "regulator"].contains($0.username) ? "done" : "forbidden") }))
            #expect(
                filed
                    == Dictionary(
                        uniqueKeysWithValues: actors.map {
                            (
                                $0.username,
                                ["admin", "regulator", "firm"].contains($0.username)
                                    ? "done" : $0.username == "other-firm" ? "not found" : "forbidden"
                            )
                        }))
        }
    }

    @Test(
        "Delta inspections: the city plans joint inspections and decides on partners' results; a partner names its inspectors, records results of linked Shanghai enterprises and recognises what was shared with it; no one else",
        arguments: TestDatabase.enabled)
    func deltaInspections(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            let platform = app.testPlatform(clock: Fixtures.clock)
            let world = try await DeltaFixture.parties(on: platform)
            let here = try await Fixtures.trialInstitution(on: platform)
            let firm = world.enterprises[0]
            _ = try await platform.deltaLinks.create(DeltaFixture.entrusted(firm.uscc, world.partners[0].uscc), by: Fixtures.caller)
            let open = try await DeltaFixture.inspection(of: firm, status: .planned, on: app.db)
            let closed = try await DeltaFixture.inspection(of: world.enterprises[1], closed: true, on: app.db)
            let joint = try await platform.deltaJoint.plan(DeltaJointInput(inspection: open.uuidString, province: "JS"), by: Fixtures.caller)
            let another = try await DeltaFixture.inspection(of: firm, status: .planned, on: app.db)
            let shared = try await platform.deltaShares.share(
                DeltaShareInput(inspection: closed.uuidString, province: "JS", fields: ["conclusion"]), by: Fixtures.caller)
            let input = DeltaResultInput(
                province: "JS", creditCode: firm.uscc, types: ["manufacturer"], completedOn: "2026-11-02", conclusion: "compliant",
                reference: "苏药监检〔2026〕1号")
            let result = try await platform.deltaResults.record(input, by: Fixtures.caller)
            let notice = try await platform.deltaNotices.send(
                DeltaNoticeInput(kind: "risk", province: "JS", subject: "风险", body: "请核查", workingDays: "10"), by: Fixtures.caller)
            let actors =
                Self.actors + [
                    ("office", Role.trialInstitutionOfficer, Scope.institution(here.id.uuidString)), ("health", .healthOfficer, .city),
                    ("jiangsu", .partnerRegulator, .province(.jiangsu)), ("zhejiang", .partnerRegulator, .province(.zhejiang)),
                ]
            #expect(Set(Role.allCases) == Set(actors.map(\.role)), "the matrix covers every role")
            var listed: [String: String] = [:], planned: [String: String] = [:], named: [String: String] = [:]
            var results: [String: String] = [:], recorded: [String: String] = [:], decided: [String: String] = [:]
            var recognised: [String: String] = [:], noticesListed: [String: String] = [:], sent: [String: String] = [:]
            var answered: [String: String] = [:]
            for actor in actors {
                let user = try await Fixtures.user(actor.username, role: actor.role, scope: actor.scope, on: platform)
                let caller = Caller.user(id: user.id, username: user.username, role: user.role, scope: user.scope)
                listed[actor.username] = await Self.outcome {
                    if try await !platform.deltaJoint.list(by: caller).contains(where: { $0.id == joint.id }) {
                        throw UseCaseError.notFound(.deltaJoint)
                    }
                }.description
                planned[actor.username] = await Self.outcome {
                    _ = try await platform.deltaJoint.plan(DeltaJointInput(inspection: another.uuidString, province: "JS"), by: caller)
                }.description
                let version = try await platform.deltaJoint.detail(id: joint.id, by: Fixtures.caller).version
                named[actor.username] = await Self.outcome {
                    _ = try await platform.deltaJoint.setMembers(
                        id: joint.id, [DeltaJointMemberInput(name: "检查员 \(actor.username)")], expecting: version, by: caller)
                }.description
                results[actor.username] = await Self.outcome {
                    if try await !platform.deltaResults.list(by: caller).contains(where: { $0.id == result.id }) {
                        throw UseCaseError.notFound(.deltaResult)
                    }
                }.description
                recorded[actor.username] = await Self.outcome { _ = try await platform.deltaResults.record(input, by: caller) }.description
                decided[actor.username] = await Self.outcome {
                    _ = try await platform.deltaResults.decline(id: UUID(), reason: "核对", expecting: 1, by: caller)
                }.description
                let shareVersion = try await platform.deltaShares.detail(id: shared.id, by: Fixtures.caller).version
                recognised[actor.username] = await Self.outcome {
                    _ = try await platform.deltaShares.recognise(id: shared.id, reference: "互认 1 号", expecting: shareVersion, by: caller)
                }.description
                noticesListed[actor.username] = await Self.outcome {
                    if try await !platform.deltaNotices.list(by: caller).contains(where: { $0.id == notice.id }) {
                        throw UseCaseError.notFound(.deltaNotice)
                    }
                }.description
                sent[actor.username] = await Self.outcome {
                    _ = try await platform.deltaNotices.send(
                        DeltaNoticeInput(kind: "assistance", province: "ZJ", subject: "协查", body: "请协助", workingDays: "5"), by: caller)
                }.description
                let noticeVersion = try await platform.deltaNotices.detail(id: notice.id, by: Fixtures.caller).version
                answered[actor.username] = await Self.outcome {
                    _ = try await platform.deltaNotices.answer(id: notice.id, answer: "已核查", expecting: noticeVersion, by: caller)
                }.description
            }
            #expect(
                sent
                    == Dictionary(
                        uniqueKeysWithValues: actors.map { ($0.username, ["admin", "regulator"].contains($0.username) ? "done" : "forbidden") }))
            #expect(
                answered
                    == Dictionary(
                        uniqueKeysWithValues: actors.map {
                            ($0.username, $0.username == "jiangsu" ? "done" : $0.username == "zhejiang" ? "not found" : "forbidden")
                        }))
            let city: Set<String> = ["admin", "regulator", "reviewer", "inspector"]
            let reach = Dictionary(
                uniqueKeysWithValues: actors.map {
                    (
                        $0.username,
                        city.contains($0.username) || $0.username == "jiangsu"
                            ? "done" : ["firm", "other-firm", "zhejiang"].contains($0.username) ? "not found" : "forbidden"
                    )
                })
            #expect(listed == reach)
            #expect(results == reach)
            #expect(noticesListed == reach)
            #expect(
                planned
                    == Dictionary(
                        uniqueKeysWithValues: actors.map {
                            ($0.username, $0.username == "admin" ? "done" : $0.username == "regulator" ? "conflict" : "forbidden")
                        }))
            #expect(
                named
                    == Dictionary(
                        uniqueKeysWithValues: actors.map {
                            (
                                $0.username,
                                ["admin", "regulator", "jiangsu"].contains($0.username)
                                    ? "done" : $0.username == "zhejiang" ? "not found" : "forbidden"
                            )
                        }))
            #expect(
                recorded
                    == Dictionary(
                        uniqueKeysWithValues: actors.map {
                            (
                                $0.username,
                                ["admin", "regulator", "jiangsu"].contains($0.username)
                                    ? "done" : $0.username == "zhejiang" ? "invalid creditCode" : "forbidden"
                            )
                        }))
            #expect(
                decided
                    == Dictionary(
                        uniqueKeysWithValues: actors.map { ($0.username, ["admin", "regulator"].contains($0.username) ? "not found" : "forbidden") }))
            #expect(
                recognised
                    == Dictionary(
                        uniqueKeysWithValues: actors.map {
                            ($0.username, $0.username == "jiangsu" ? "done" : $0.username == "zhejiang" ? "not found" : "forbidden")
                        }))
        }
    }

    @Test(
        "landing projects: each role reads, records, moves forward, raises and resolves exactly what its role and the project's site allow",
        arguments: TestDatabase.enabled)
    func landing(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            let platform = app.testPlatform(clock: Fixtures.clock)
            let (_, products) = try await Fixtures.enterprisesAndProducts(on: platform)
            try await Fixtures.market([products[0], products[3]], on: platform)
            let here = try await Fixtures.trialInstitution(on: platform)
            let actors =
                Self.actors + [
                    ("office", Role.trialInstitutionOfficer, Scope.institution(here.id.uuidString)), ("health", .healthOfficer, .city),
                    ("jiangsu", .partnerRegulator, .province(.jiangsu)),
                ]
            #expect(Set(Role.allCases) == Set(actors.map(\.role)), "the matrix covers every role")
            // The first enterprise's product at 张江 in 浦东; every actor tries to read it, record a second
            // project of it there, move it forward, raise a problem and resolve one.
            let input = LandingProjectInput(
                product: products[0].id.uuidString, district: "310115", park: "zhangjiang", site: "张江路 1 号", status: "planned")
            let project = try await platform.landing.create(input, by: Fixtures.caller)
            var read: [String: String] = [:], recorded: [String: String] = [:], moved: [String: String] = [:]
            var raised: [String: String] = [:], resolved: [String: String] = [:]
            for actor in actors {
                let user = try await Fixtures.user(actor.username, role: actor.role, scope: actor.scope, on: platform)
                let caller = Caller.user(id: user.id, username: user.username, role: user.role, scope: user.scope)
                read[actor.username] = await Self.outcome { _ = try await platform.landing.detail(id: project.id, by: caller) }.description
                recorded[actor.username] = await Self.outcome { _ = try await platform.landing.create(input, by: caller) }.description
                let version = try await platform.landing.detail(id: project.id, by: Fixtures.caller).version
                moved[actor.username] = await Self.outcome {
                    _ = try await platform.landing.update(id: project.id, input, expecting: version, by: caller)
                }.description
                raised[actor.username] = await Self.outcome {
                    _ = try await platform.landing.raiseProblem(
                        project: project.id, LandingProblemInput(title: "用地", detail: "需新增用地。", owner: "区规划资源局"), by: caller)
                }.description
                let open = try await platform.landing.raiseProblem(
                    project: project.id, LandingProblemInput(title: "许可", detail: "首次申请许可。", owner: "市药监局"), by: Fixtures.caller
                ).problems.last!
                resolved[actor.username] = await Self.outcome {
                    _ = try await platform.landing.resolveProblem(
                        project: project.id, problem: open.id, resolution: "已指导。", meeting: nil, expecting: open.version, by: caller)
                }.description
            }
            // Who reaches the project: the city's side with landing, 浦东, 张江 and the enterprise itself.
            let inScope: Set<String> = ["admin", "regulator", "industry", "pudong", "zhangjiang", "firm"]
            let mayLand: Set<Role> = [.cityAdmin, .cityRegulator, .industryOfficer, .districtOfficer, .parkOfficer, .enterpriseUser]
            let reach = Dictionary(
                uniqueKeysWithValues: actors.map {
                    ($0.username, inScope.contains($0.username) ? "done" : mayLand.contains($0.role) ? "not found" : "forbidden")
                })
            #expect(read == reach)
            #expect(moved == reach)
            #expect(raised == reach)
            // Recording at 浦东/张江: 徐汇 is refused at the district and the product (neither is its); another enterprise does not reach the product.
            var expected = reach
            expected["xuhui"] = "invalid district,product"
            expected["other-firm"] = "invalid product"
            #expect(recorded == expected, "\(recorded)")
            let managers: Set<String> = ["admin", "regulator", "industry"]
            #expect(
                resolved == Dictionary(uniqueKeysWithValues: actors.map { ($0.username, managers.contains($0.username) ? "done" : "forbidden") }))
        }
    }

    @Test(
        "conditional-approval obligations: every role sets, reads and answers exactly what its role and scope allow; evidence only for the registrant and the regulator",
        arguments: TestDatabase.enabled)
    func obligations(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            let platform = app.testPlatform(clock: Fixtures.clock)
            let (_, products) = try await Fixtures.enterprisesAndProducts(on: platform)
            try await Fixtures.market([products[0], products[3]], on: platform)
            let officer = try await Fixtures.user("officer", role: .cityRegulator, scope: .city, on: platform)
            let here = try await Fixtures.trialInstitution(on: platform)
            let actors =
                Self.actors + [
                    ("office", Role.trialInstitutionOfficer, Scope.institution(here.id.uuidString)), ("health", .healthOfficer, .city),
                    ("jiangsu", .partnerRegulator, .province(.jiangsu)),
                ]
            #expect(Set(Role.allCases) == Set(actors.map(\.role)), "the matrix covers every role")
            let input = ObligationInput(
                product: products[0].id.uuidString, kind: "other", title: "补充资料", dueOn: "2027-01-31", officer: officer.username)
            let existing = try await platform.obligations.create(input, by: Fixtures.caller)
            _ = try await platform.obligations.submitEvidence(id: existing.id, text: "证据", expecting: existing.version, by: Fixtures.caller)
            var set: [String: String] = [:], read: [String: String] = [:], evidence: [String: String] = [:], answered: [String: String] = [:]
            for actor in actors {
                let user = try await Fixtures.user(actor.username, role: actor.role, scope: actor.scope, on: platform)
                let caller = Caller.user(id: user.id, username: user.username, role: user.role, scope: user.scope)
                set[actor.username] = await Self.outcome { _ = try await platform.obligations.create(input, by: caller) }.description
                read[actor.username] = await Self.outcome {
                    if try await !platform.obligations.list(by: caller).contains(where: { $0.id == existing.id }) {
                        throw UseCaseError.notFound(.obligation)
                    }
                }.description
                evidence[actor.username] = await Self.outcome {
                    if try await platform.obligations.detail(id: existing.id, by: caller).evidence == nil {
                        throw UseCaseError.fieldForbidden(FieldProblem("evidence", "", chinese: ""))
                    }
                }.description
                answered[actor.username] = await Self.outcome {
                    _ = try await platform.obligations.submitEvidence(id: existing.id, text: "补充", expecting: 0, by: caller)
                }.description
            }
            #expect(
                set == [
                    "admin": "done", "regulator": "done", "reviewer": "forbidden", "inspector": "forbidden", "industry": "forbidden",
                    "pudong": "forbidden", "xuhui": "forbidden", "zhangjiang": "forbidden", "station": "forbidden", "firm": "forbidden",
                    "other-firm": "forbidden", "office": "forbidden", "health": "forbidden", "jiangsu": "forbidden",
                ])
            #expect(
                read == [
                    "admin": "done", "regulator": "done", "reviewer": "done", "inspector": "done", "industry": "forbidden", "pudong": "forbidden",
                    "xuhui": "forbidden", "zhangjiang": "forbidden", "station": "forbidden", "firm": "done", "other-firm": "not found",
                    "office": "forbidden", "health": "forbidden", "jiangsu": "forbidden",
                ])
            #expect(
                evidence == [
                    "admin": "done", "regulator": "done", "reviewer": "forbidden", "inspector": "forbidden", "industry": "forbidden",
                    "pudong": "forbidden", "xuhui": "forbidden", "zhangjiang": "forbidden", "station": "forbidden", "firm": "done",
                    "other-firm": "not found", "office": "forbidden", "health": "forbidden", "jiangsu": "forbidden",
                ])
            // A stale version (0) is a conflict for whoever may answer and finds it; the others are refused first.
            #expect(
                answered == [
                    "admin": "conflict", "regulator": "conflict", "reviewer": "forbidden", "inspector": "forbidden", "industry": "forbidden",
                    "pudong": "forbidden", "xuhui": "forbidden", "zhangjiang": "forbidden", "station": "forbidden", "firm": "conflict",
                    "other-firm": "not found", "office": "forbidden", "health": "forbidden", "jiangsu": "forbidden",
                ])
        }
    }

    @Test("the trial registry: every role reads, registers and changes exactly what its role and scope allow", arguments: TestDatabase.enabled)
    func trials(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            let platform = app.testPlatform()
            let enterprises = try await Fixtures.enterprises(on: platform)
            let trials = platform.trials
            let here = try await Fixtures.trialInstitution(code: "12310000425005166U", on: platform)
            let there = try await Fixtures.trialInstitution(code: "12310000425005174P", on: platform)
            var investigators: [UUID: InvestigatorRecord] = [:]
            for institution in [here, there] {
                investigators[institution.id] = try await trials.createInvestigator(
                    InvestigatorInput(
                        institutionID: institution.id.uuidString, name: "研究者", specialty: "肿瘤科", title: "主任医师", senior: true, earlierTrials: 5),
                    by: Fixtures.caller)
            }
            // One trial sponsored by a Zhangjiang enterprise run at `here`, one by a Xuhui one run at `there`.
            var made: [TrialDetail] = []
            for (index, (sponsor, institution)) in [(enterprises[0], here), (enterprises[3], there)].enumerated() {
                let trial = try await trials.createTrial(
                    TrialInput(registrationNumber: "CTR2026900\(index)", title: "试验 \(index)", kind: "drug", phase: "phase_2", sponsor: sponsor.uscc),
                    by: Fixtures.caller)
                made.append(
                    try await trials.addSite(
                        SiteInput(
                            institutionID: institution.id.uuidString, investigatorID: investigators[institution.id]?.id.uuidString, role: "lead"),
                        to: trial.trial.id, by: Fixtures.caller))
            }
            let actors =
                Self.actors + [
                    ("office", Role.trialInstitutionOfficer, Scope.institution(here.id.uuidString)), ("health", .healthOfficer, .city),
                    ("jiangsu", .partnerRegulator, .province(.jiangsu)),
                ]
            #expect(Set(Role.allCases) == Set(actors.map(\.role)), "the matrix covers every role")
            var callers: [Caller] = []
            for actor in actors {
                let user = try await Fixtures.user(actor.username, role: actor.role, scope: actor.scope, on: platform)
                callers.append(Caller.user(id: user.id, username: user.username, role: user.role, scope: user.scope))
            }
            // Reads first, while the counts are the fixtures' own; then the writes.
            for (caller, actor) in zip(callers, actors) {
                let filter = caller.filter
                let label = actor.username
                // A partner province's regulator reads nothing of the city's trials.
                guard caller.may(.readTrials) else {
                    let read = await Self.outcome { _ = try await trials.detail(id: made[0].trial.id, by: caller) }
                    let list = await Self.outcome { _ = try await trials.trials(by: caller) }
                    let institutions = await Self.outcome { _ = try await trials.institutions(by: caller) }
                    let export = await Self.outcome { _ = try await trials.export(.trials, format: .csv, by: caller) }
                    #expect([read, list, institutions, export] == Array(repeating: .forbidden, count: 4), "\(label) reads no trial")
                    continue
                }
                // Reads: a trial in scope, or the same not-found as a missing one; lists: exactly the scope.
                for detail in made {
                    let inScope = filter.admits(detail.trial.location)
                    let read = await Self.outcome { _ = try await trials.detail(id: detail.trial.id, by: caller) }
                    #expect(read == (inScope ? .done : .notFound), "\(label) reads \(detail.trial.registrationNumber)")
                }
                #expect(
                    Set(try await trials.trials(by: caller).items.map(\.id)) == Set(made.filter { filter.admits($0.trial.location) }.map(\.trial.id)),
                    "\(label) lists its trials")
                let office = if case .institution = filter { true } else { false }
                #expect(try await trials.institutions(by: caller).items.count == (office ? 1 : 2), "\(label) lists institutions")
                let load = try await trials.piLoad(by: caller)
                #expect(load.named == caller.may(.readPILoad), "\(label) reads who carries too many trials")
                // The sheets export the scope: the trials the caller lists, the institutions it sees.
                let exported = try CSV.rows(of: try await trials.export(.trials, format: .csv, by: caller)).rows.dropFirst().map { $0[0] }
                #expect(
                    Set(exported) == Set(made.filter { filter.admits($0.trial.location) }.map(\.trial.registrationNumber)),
                    "\(label) exports its trials")
                #expect(
                    try CSV.rows(of: try await trials.export(.institutions, format: .csv, by: caller)).rows.count == (office ? 2 : 3),
                    "\(label) exports institutions")
            }
            for (number, (caller, actor)) in zip(callers, actors).enumerated() {
                let filter = caller.filter
                let label = actor.username
                let office = if case .institution = filter { true } else { false }
                let first = made[0].trial, site = try #require(made[0].trial.sites.first)
                let stored = try #require(try await TrialSiteModel.find(site.id, on: app.db)).version
                let change = await Self.outcome {
                    _ = try await trials.updateSite(
                        SiteInput(
                            institutionID: nil, investigatorID: site.investigatorID.uuidString, role: "lead",
                            targetEnrolment: 10 + number), site: site.id, of: first.id, expecting: stored, by: caller)
                }
                let inScope = filter.admits(first.location)
                #expect(change == (!inScope ? .notFound : (caller.may(.writeTrials) ? .done : .forbidden)), "\(label) changes a site: \(change)")
                let addSite = await Self.outcome {
                    _ = try await trials.addSite(
                        SiteInput(institutionID: there.id.uuidString, investigatorID: investigators[there.id]?.id.uuidString, role: "participating"),
                        to: made[1].trial.id, by: caller)
                }
                let secondInScope = filter.admits(made[1].trial.location)
                let addExpected: Outcome =
                    !secondInScope ? .notFound : (!caller.may(.writeTrials) || office ? .forbidden : .conflict)
                #expect(addSite == addExpected, "\(label) adds a site: \(addSite)")
                let register = await Self.outcome {
                    _ = try await trials.createTrial(
                        TrialInput(
                            registrationNumber: "CTR2026\(8000 + number)", title: "新试验", kind: "drug", phase: "phase_1", sponsor: enterprises[0].uscc),
                        by: caller)
                }
                let sponsorInScope = filter.admits(enterprises[0].draft.location)
                #expect(
                    register == (!caller.may(.writeTrials) || office ? .forbidden : (sponsorInScope ? .done : .invalid("sponsor"))),
                    "\(label) registers a trial: \(register)")
                let investigator = await Self.outcome {
                    _ = try await trials.createInvestigator(
                        InvestigatorInput(
                            institutionID: here.id.uuidString, name: "新研究者", specialty: "心内科", title: "副主任医师", senior: true, earlierTrials: 1),
                        by: caller)
                }
                #expect(investigator == (caller.may(.writeTrialRegistry) ? .done : .forbidden), "\(label) registers an investigator: \(investigator)")
                let elsewhere = await Self.outcome {
                    _ = try await trials.createInvestigator(
                        InvestigatorInput(
                            institutionID: there.id.uuidString, name: "新研究者", specialty: "心内科", title: "副主任医师", senior: true, earlierTrials: 1),
                        by: caller)
                }
                #expect(
                    elsewhere == (!caller.may(.writeTrialRegistry) ? .forbidden : (office ? .invalid("institutionId") : .done)),
                    "\(label) registers an investigator at another institution: \(elsewhere)")
                let institution = await Self.outcome {
                    _ = try await trials.createInstitution(
                        InstitutionInput(
                            name: "新机构", code: "N-\(number)", district: "310101", grade: "3a", drugFilingNumber: "备\(number)",
                            drugFiledOn: "2024-01-02"),
                        by: caller)
                }
                #expect(
                    institution == (caller.may(.writeTrialRegistry) && !office ? .done : .forbidden),
                    "\(label) registers an institution: \(institution)")
                // A sheet of people at `there`, checked: refused without the permission, rejected by row for `here`'s office.
                let sheet = Data(
                    CSV.render([
                        TrialSheet.investigators.columns.map(\.rawValue), ["", "导入研究者\(number)", there.code, "心内科", "主治医师", "否", "0", ""],
                    ]).utf8)
                let imported = await Self.outcome {
                    let report = try await trials.importFile(sheet, sheet: .investigators, dryRun: true, by: caller)
                    if let problem = report.rejected.first { throw UseCaseError.invalid([FieldProblem(problem.column, "", chinese: problem.reason)]) }
                }
                #expect(
                    imported == (!caller.may(.writeTrialRegistry) ? .forbidden : (office ? .invalid("机构代码") : .done)),
                    "\(label) imports investigators: \(imported)")
                // A person at `there` registered twice, merged and the merge undone: the registry's keepers of `there` only.
                let twin = try await trials.createInvestigator(
                    InvestigatorInput(
                        institutionID: there.id.uuidString, name: "研究者", specialty: "肿瘤科", title: "主任医师", senior: true, earlierTrials: 5),
                    by: Fixtures.caller)
                let duplicates = await Self.outcome { _ = try await trials.likelyDuplicates(by: caller) }
                #expect(duplicates == (caller.may(.writeTrialRegistry) ? .done : .forbidden), "\(label) lists likely duplicates: \(duplicates)")
                var merge: MergeRecord?
                let merged = await Self.outcome {
                    merge = try await trials.merge(
                        duplicate: twin.id.uuidString, into: try #require(investigators[there.id]).id, reason: "同一人", by: caller)
                }
                #expect(
                    merged == (!caller.may(.writeTrialRegistry) ? .forbidden : (office ? .notFound : .done)),
                    "\(label) merges investigators: \(merged)")
                if let merge {
                    let undone = await Self.outcome { _ = try await trials.undoMerge(merge.id, by: caller) }
                    #expect(undone == .done, "\(label) undoes its merge: \(undone)")
                }
                let officeUndo = await Self.outcome {
                    let someone = try await trials.merge(
                        duplicate: twin.id.uuidString, into: try #require(investigators[there.id]).id, reason: "同一人", by: Fixtures.caller)
                    _ = try await trials.undoMerge(someone.id, by: caller)
                }
                #expect(
                    officeUndo == (!caller.may(.writeTrialRegistry) ? .forbidden : (office ? .notFound : .done)),
                    "\(label) undoes a merge: \(officeUndo)")
            }
            // The kept loads are still the raw rows' count.
            let recounted = try await TrialStore.recountedLoads(on: app.db)
            for investigator in try await InvestigatorModel.query(on: app.db).all() {
                #expect(investigator.activeSites == recounted[try investigator.requireID()] ?? 0)
            }
        }
    }

    /// A valid USCC made from a name, so each actor's attempt is distinct.
    static func uscc(_ seed: String) -> String {
        let digits = String(seed.unicodeScalars.map { String($0.value % 10) }.joined().prefix(5)).padding(toLength: 5, withPad: "0", startingAt: 0)
        return USCC.completing("91310151MA1K" + digits)!
    }
}
