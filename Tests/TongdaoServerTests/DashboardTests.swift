import Fluent
import Foundation
import SQLKit
import Testing
import TongdaoCore
@testable import TongdaoServer
@testable import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

private struct Change: Decodable, Equatable {
    var current: Int
    var previous: Int
}

private struct Summary: Decodable {
    struct Count: Decodable { var stage: String?; var keyArea: String?; var month: String?; var count: Int }
    struct Authority: Decodable { var authority: String; var open: Int; var acceptedThisYear: Int }
    struct Quarter: Decodable { var quarter: String; var completed: Int; var averageWorkingDays: Double?; var limit: Int }
    struct Levels: Decodable { var amber: Int; var red: Int }
    struct District: Decodable { var code: String; var pipeline: Int; var approvals: Int; var overdue: Int }
    var year: Int
    var asOf: String
    var scope: String
    var censusEnterprises: Change
    var censusProducts: Change
    var applicationsInReview: Int
    var approvals: Change
    var nationalInnovativeServed: Change
    var nationalInnovativeApproved: Change
    var consultationsAnswered: Change
    var pipeline: [Count]
    var acceptedByMonth: [Count]
    var authorities: [Authority]
    var class2Reviews: [Quarter]
    var levels: Levels
    var keyAreas: [Count]
    var districts: [District]
}

@Suite("The dashboard: figures equal what the raw tables say, for the city and for a district")
struct DashboardTests {
    static func seed(_ app: Application, today: CivilDate) async throws {
        _ = try await Fixtures.enterprisesAndProducts(on: app.platform)
        _ = try await DemoApplications.generate(count: 160, today: today, now: app.platform.clock.now(), by: .commandLine("test"), on: app.db)
        // A year of consultations up to today, some answered last year.
        _ = try await DemoService.generate(today: today, now: app.platform.clock.now(), on: app.db)
        for (year, count) in [(today.components.year, 40), (today.components.year - 1, 25)] {
            let report = try await app.testPlatform(clock: .starting(on: today)).census.importFile(
                CensusFixture.csv(CensusFixture.rows(count: count, seed: UInt64(year))), year: year, dryRun: false, by: Fixtures.caller)
            #expect(report.committed)
        }
    }

    /// The rollups' non-zero cells, and the same counts grouped from the products and declarations themselves.
    static func rollupAndRaw(_ app: Application) async throws -> (rollup: Set<String>, raw: Set<String>) {
        let sql = try #require(app.db as? any SQLDatabase)
        func cells(_ query: String) async throws -> Set<String> {
            Set(
                try await sql.raw(SQLQueryString(query)).all().map { row in
                    "\(try row.decode(column: "a", as: String.self))|\(try row.decode(column: "b", as: String.self))|\(try row.decode(column: "c", as: String.self))|\(try row.decode(column: "d", as: String.self))=\(try row.decode(column: "n", as: Int.self))"
                })
        }
        let id = sql.dialect.name == "postgresql" ? "CAST(enterprise_id AS TEXT)" : "hex(enterprise_id)"
        return (
            try await cells(
                "SELECT district_code AS a, park_code AS b, stage AS c, key_areas AS d, CAST(n AS BIGINT) AS n FROM product_rollup WHERE n <> 0"
            )
            .union(
                try await cells(
                    "SELECT CAST(year AS TEXT) AS a, district_code AS b, park_code AS c, \(id) AS d, CAST(n AS BIGINT) AS n FROM census_rollup WHERE n <> 0"
                )
            )
            .union(
                try await cells(
                    """
                    SELECT district_code AS a, park_code AS b, authority || '/' || channel AS c,
                    accepted_month || '/' || (CASE WHEN is_open THEN 'open' ELSE 'closed' END) AS d, CAST(n AS BIGINT) AS n FROM application_rollup WHERE n <> 0
                    """)
            )
            .union(
                try await cells(
                    """
                    SELECT 'cells' || CAST(year AS TEXT) AS a, district_code AS b, park_code AS c, CAST(CAST(declarations AS BIGINT) AS TEXT) AS d,
                    CAST(n AS BIGINT) AS n FROM census_cells WHERE declaring AND n <> 0
                    """)
            )
            .union(
                try await cells(
                    """
                    SELECT 'review' || district_code AS a, park_code AS b, procedure_code || '/' || review_month AS c,
                    CAST(CAST(working_days AS BIGINT) AS TEXT) AS d, CAST(n AS BIGINT) AS n FROM review_rollup WHERE n <> 0
                    """)
            )
            .union(
                try await cells(
                    """
                    SELECT 'approval' || district_code AS a, park_code AS b, channel AS c, approved_month AS d, CAST(n AS BIGINT) AS n
                    FROM approval_rollup WHERE n <> 0
                    """)),
            try await cells(
                "SELECT district_code AS a, COALESCE(park_code, '') AS b, stage AS c, key_areas AS d, COUNT(*) AS n FROM products GROUP BY 1, 2, 3, 4"
            )
            .union(
                try await cells(
                    "SELECT CAST(year AS TEXT) AS a, district_code AS b, COALESCE(park_code, '') AS c, \(id) AS d, COUNT(*) AS n FROM census_intentions GROUP BY 1, 2, 3, 4"
                )
            )
            .union(
                try await cells(
                    """
                    SELECT district_code AS a, COALESCE(park_code, '') AS b, authority || '/' || channel AS c,
                    SUBSTR(accepted_on, 1, 7) || '/' || (CASE WHEN is_open THEN 'open' ELSE 'closed' END) AS d, COUNT(*) AS n FROM applications GROUP BY 1, 2, 3, 4
                    """)
            )
            .union(
                try await cells(
                    """
                    SELECT 'cells' || CAST(year AS TEXT) AS a, district_code AS b, COALESCE(park_code, '') AS c, CAST(COUNT(*) AS TEXT) AS d,
                    COUNT(DISTINCT enterprise_id) AS n FROM census_intentions GROUP BY year, district_code, COALESCE(park_code, '')
                    """)
            )
            .union(
                try await cells(
                    """
                    SELECT 'review' || district_code AS a, COALESCE(park_code, '') AS b, procedure_code || '/' || COALESCE(SUBSTR(review_completed_on, 1, 7), '') AS c,
                    CAST(COALESCE(SUM(review_working_days), 0) AS TEXT) AS d, COUNT(*) AS n FROM applications GROUP BY 1, 2, 3
                    """)
            )
            .union(
                try await cells(
                    """
                    SELECT 'approval' || district_code AS a, COALESCE(park_code, '') AS b, channel AS c, COALESCE(SUBSTR(approved_on, 1, 7), '') AS d,
                    COUNT(*) AS n FROM applications GROUP BY 1, 2, 3, 4
                    """))
        )
    }

    @Test(
        "the rollups (kept by triggers) equal the products, declarations and applications grouped, after creates, imports, re-imports, edits and events",
        arguments: TestDatabase.enabled)
    func rollupFollowsEveryWrite(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let today = Fixtures.today
            try await Self.seed(app, today: today)
            var (rollup, raw) = try await Self.rollupAndRaw(app)
            #expect(!raw.isEmpty && rollup == raw)
            let typeTesting = { try await ProductModel.query(on: app.db).filter(\.$stage == .typeTesting).count() }
            let before = try await typeTesting()

            // A re-import of this year's sheet with other stages and key areas: bulk updates.
            let year = today.components.year
            var rows = CensusFixture.rows(count: 40, seed: UInt64(year))
            let stage = CensusSheet.Column.allCases.firstIndex(of: .stage)!, areas = CensusSheet.Column.allCases.firstIndex(of: .keyAreas)!
            for index in rows.indices where index % 3 == 0 {
                rows[index][stage] = DevelopmentStage.typeTesting.label
                rows[index][areas] = KeyArea.allCases[index % KeyArea.allCases.count].label
            }
            let report = try await app.testPlatform(clock: .starting(on: today)).census.importFile(
                CensusFixture.csv(rows), year: year, dryRun: false, by: Fixtures.caller)
            #expect(report.committed)
            // An edit through the store: stage, key areas and park change.
            let product = try #require(try await ProductModel.query(on: app.db).sort(\.$id).first())
            var draft = product.draft
            draft.stage = .clinical
            draft.keyAreas = [.surgicalRobot, .ai]
            _ = try await app.platform.products.update(
                id: try product.requireID(), ProductInput(draft), expecting: product.version, by: Fixtures.caller)
            // An application withdrawn: it leaves the open ones.
            let open = try #require(try await ApplicationModel.query(on: app.db).filter(\.$isOpen == true).sort(\.$id).first())
            try await Fixtures.record(
                ApplicationEvent(.withdrawn, on: today), on: try open.requireID(), platform: app.testPlatform(clock: .starting(on: today)))
            #expect(try await ApplicationModel.find(open.id, on: app.db)?.isOpen == false)
            (rollup, raw) = try await Self.rollupAndRaw(app)
            #expect(rollup == raw)
            #expect(try await typeTesting() > before, "the re-import moved products to type testing")
        }
    }

    @Test(
        "the national-scale generator, at a small size: the rows it promises, valid codes, rollups that agree, applications only on devices",
        arguments: TestDatabase.enabled)
    func nationalScaleSmall(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let today = Fixtures.today
            let summary = try await NationalScale.generate(
                .init(products: 1_003, applications: 150), today: today, now: app.platform.clock.now(), batch: 400, by: .commandLine("test"),
                on: app.db)
            #expect(summary.products == 1_003 && summary.enterprises == 201 && summary.applications == 150)
            #expect(try await ProductModel.query(on: app.db).count() == 1_003)
            #expect(try await EnterpriseModel.query(on: app.db).count() == 201)
            #expect(try await CensusIntentionModel.query(on: app.db).count() == summary.declarations)
            #expect(try await CensusIntentionModel.query(on: app.db).filter(\.$year == today.components.year).count() == 1_003)
            #expect(summary.declarations > 2_500 && summary.declarations < 3_600, "about 3.2 declarations a product")
            #expect(try await ApplicationEventModel.query(on: app.db).count() == summary.events && summary.events > 150)
            let enterprises = try await EnterpriseModel.query(on: app.db).all()
            #expect(enterprises.allSatisfy { USCC.isValid($0.uscc) } && Set(enterprises.map(\.uscc)).count == 201)
            let applied = try await ApplicationModel.query(on: app.db).with(\.$product).all()
            #expect(applied.allSatisfy { $0.product.category != .drug && $0.district == $0.product.district })
            let (rollup, raw) = try await Self.rollupAndRaw(app)
            #expect(rollup == raw)
        }
    }

    @Test("migrations 018 and 019 fill in the stored outcomes and the rollups from the data already there", arguments: TestDatabase.enabled)
    func migrationsFillIn(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let today = Fixtures.today
            try await Self.seed(app, today: today)
            func outcomes() async throws -> [String] {
                try await ApplicationModel.query(on: app.db).sort(\.$id).all().map {
                    "\($0.reviewCompletedOn ?? "-")/\($0.reviewWorkingDays.map(String.init) ?? "-")/\($0.approvedOn ?? "-")"
                }
            }
            let stored = try await outcomes()
            let (rollups, _) = try await Self.rollupAndRaw(app)
            #expect(stored.contains { $0.hasPrefix("-") } && stored.contains { !$0.hasPrefix("-") } && stored.contains { !$0.hasSuffix("/-") })

            // On one connection: the schema changes run in order, as the migrator runs them (020,
            // which replaces one of 018's indexes, reverted first and prepared last).
            try await app.db.withConnection { db in
                try await CoverServedCounts().revert(on: db)
                try await DashboardRollups().revert(on: db)
                try await StoreOutcomes().revert(on: db)
                try await StoreOutcomes().prepare(on: db)
                try await DashboardRollups().prepare(on: db)
                try await CoverServedCounts().prepare(on: db)
            }
            #expect(try await outcomes() == stored)
            #expect(try await Self.rollupAndRaw(app).rollup == rollups)
        }
    }

    @Test("every figure of the summary, recomputed from the rows in Swift, on SQLite and PostgreSQL", arguments: TestDatabase.enabled)
    func figuresAgree(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let today = Fixtures.today
            try await Self.seed(app, today: today)
            try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            try await TestUsers.create("pudong", role: .districtOfficer, scope: .district("310115"), on: app)
            let clocks = try await ApplicationClocks.load(on: app.db, calendar: CalendarStore.load(on: app.db), asOf: today)
            // The raw rows, all of them, read once.
            let products = try await ProductModel.query(on: app.db).all()
            let applications = try await ApplicationModel.query(on: app.db).all()
            let intentions = try await CensusIntentionModel.query(on: app.db).all()
            let events = try await ApplicationEventModel.query(on: app.db).all()
            let consultations = try await ConsultationModel.query(on: app.db).all()
            let timelines = try await ApplicationStore.timelines(of: applications.compactMap(\.id), on: app.db)
            let superseded = Set(events.compactMap(\.supersedes))
            let year = today.components.year
            let lastYearToday = CivilDate(year: year - 1, month: today.components.month, day: min(today.components.day, 28))!
            func inYearToDate(_ text: String, _ y: Int, _ end: CivilDate) -> Bool { text >= "\(y)-01-01" && text <= end.description }

            // The city, a district officer, and the city narrowed to that district by `?district=`.
            let cases: [(user: String, query: String, scope: ScopeFilter)] = [
                ("regulator", "", .everything), ("pudong", "", .districts(["310115"])), ("regulator", "?district=310115", .districts(["310115"])),
            ]
            for (user, query, scope) in cases {
                let token = try await TestUsers.token(user, on: app)
                var body: Summary?
                try await app.testing().test(.GET, "/api/v1/dashboard/summary\(query)", headers: bearer(token)) { res in
                    #expect(res.status == .ok, "\(res.body.string)")
                    body = decoded(Summary.self, from: res)
                }
                let summary = try #require(body)
                let apps = applications.filter { scope.admits(RecordLocation(district: $0.district, park: $0.park, enterprise: $0.uscc)) }
                let appByID = Dictionary(uniqueKeysWithValues: apps.map { ($0.id!, $0) })
                let mine = products.filter { scope.admits($0.location) }
                let declared = intentions.filter { scope.admits($0.location) }
                #expect(summary.year == year && summary.asOf == today.description)
                #expect(
                    summary.censusProducts == Change(current: declared.count { $0.year == year }, previous: declared.count { $0.year == year - 1 }))
                #expect(
                    summary.censusEnterprises
                        == Change(
                            current: Set(declared.filter { $0.year == year }.map(\.$enterprise.id)).count,
                            previous: Set(declared.filter { $0.year == year - 1 }.map(\.$enterprise.id)).count))
                #expect(summary.applicationsInReview == apps.count { $0.status.isOpen })
                let approvals = events.filter {
                    $0.kind == .decisionMade && $0.decision == .approve && !superseded.contains($0.id!) && appByID[$0.$application.id] != nil
                }
                #expect(
                    summary.approvals
                        == Change(
                            current: approvals.count { inYearToDate($0.occurredOn, year, today) },
                            previous: approvals.count { inYearToDate($0.occurredOn, year - 1, lastYearToday) }))
                let innovative = apps.filter { $0.channel == .nationalInnovative }
                #expect(
                    summary.nationalInnovativeServed
                        == Change(
                            current: innovative.count { inYearToDate($0.acceptedOn, year, today) },
                            previous: innovative.count { inYearToDate($0.acceptedOn, year - 1, lastYearToday) }))
                #expect(
                    summary.nationalInnovativeApproved.current
                        == approvals.count {
                            inYearToDate($0.occurredOn, year, today) && appByID[$0.$application.id]?.channel == .nationalInnovative
                        })
                let asked = consultations.filter { scope.admits(RecordLocation(district: $0.district, park: $0.park, enterprise: $0.uscc)) }
                #expect(
                    summary.consultationsAnswered
                        == Change(
                            current: asked.count { $0.answeredOn.map { inYearToDate($0, year, today) } ?? false },
                            previous: asked.count { $0.answeredOn.map { inYearToDate($0, year - 1, lastYearToday) } ?? false }))
                #expect(summary.consultationsAnswered.current > 0)
                for item in summary.pipeline {
                    #expect(item.count == mine.count { $0.stage.rawValue == item.stage }, "stage \(item.stage ?? "")")
                }
                #expect(summary.pipeline.map(\.count).reduce(0, +) == mine.count)
                #expect(summary.acceptedByMonth.count == 36 && summary.acceptedByMonth.last?.month == String(today.description.prefix(7)))
                for item in summary.acceptedByMonth {
                    #expect(item.count == apps.count { $0.acceptedOn.hasPrefix(item.month ?? "?") }, "month \(item.month ?? "")")
                }
                for item in summary.authorities {
                    let theirs = apps.filter { $0.authority.rawValue == item.authority }
                    #expect(
                        item.open == theirs.count { $0.status.isOpen } && item.acceptedThisYear == theirs.count { $0.acceptedOn >= "\(year)-01-01" })
                }
                // Levels: the stored snapshots against clocks computed in memory from every timeline.
                let levels = apps.filter { $0.status.isOpen }.compactMap { clocks.reading($0, timelines[$0.id!] ?? [])?.level }
                #expect(summary.levels.amber == levels.count { $0 == .amber } && summary.levels.red == levels.count { $0 == .red })
                for item in summary.keyAreas {
                    #expect(item.count == mine.count { $0.draft.keyAreas.map(\.rawValue).contains(item.keyArea ?? "?") }, "\(item.keyArea ?? "")")
                }
                for district in summary.districts {
                    #expect(district.pipeline == mine.count { $0.district == district.code && $0.stage != .approval })
                    #expect(
                        district.approvals
                            == approvals.count {
                                inYearToDate($0.occurredOn, year, today) && appByID[$0.$application.id]?.district == district.code
                            })
                    #expect(
                        district.overdue
                            == apps.count {
                                $0.district == district.code && $0.status.isOpen && clocks.reading($0, timelines[$0.id!] ?? [])?.level == .red
                            })
                }
                if case .districts = scope {
                    #expect(summary.districts.map(\.code) == ["310115"] && summary.scope == "浦东新区")
                } else {
                    #expect(summary.districts.count > 1 && summary.scope == "上海市（全市）")
                }
                // Class II reviews: every quarter carries the limit; the completed ones are counted from the timelines.
                let completed = apps.filter { $0.procedureCode == "device.class2.registration" }.compactMap { application in
                    ApplicationLifecycle.effective(timelines[application.id!] ?? []).first { $0.kind == .reviewCompleted }?.on
                }
                #expect(summary.class2Reviews.count == 8 && summary.class2Reviews.allSatisfy { $0.limit == 60 })
                for quarter in summary.class2Reviews {
                    let (qYear, qNumber) = (Int(quarter.quarter.prefix(4))!, Int(quarter.quarter.suffix(1))!)
                    let count = completed.count { $0.components.year == qYear && ($0.components.month - 1) / 3 + 1 == qNumber }
                    #expect(quarter.completed == count, "\(quarter.quarter)")
                    #expect((quarter.averageWorkingDays == nil) == (count == 0))
                }
            }
        }
    }

    @Test("?district= on the summary narrows to a district of the caller's scope, never widens it, and names the field when the code is no district")
    func summaryNarrowing() async throws {
        try await withTongdao { app in
            try await Self.seed(app, today: Fixtures.today)
            try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            try await TestUsers.create("xuhui", role: .districtOfficer, scope: .district("310104"), on: app)
            try await TestUsers.create("zhangjiang", role: .parkOfficer, scope: .park("zhangjiang"), on: app)
            func summary(_ user: String, _ query: String) async throws -> (HTTPStatus, Summary?, ProblemBody?) {
                let token = try await TestUsers.token(user, on: app)
                var answer: (HTTPStatus, Summary?, ProblemBody?) = (.internalServerError, nil, nil)
                try await app.testing().test(.GET, "/api/v1/dashboard/summary\(query)", headers: bearer(token)) { res in
                    answer = (
                        res.status, res.status == .ok ? decoded(Summary.self, from: res) : nil,
                        res.status == .ok ? nil : try? decode(ProblemBody.self, from: res)
                    )
                }
                return answer
            }
            let pudongProducts = try await ProductModel.query(on: app.db).filter(\.$district == "310115").count()
            #expect(pudongProducts > 0)
            let (_, narrowed, _) = try await summary("regulator", "?district=310115")
            #expect(narrowed?.scope == "浦东新区" && narrowed?.districts.map(\.code) == ["310115"])
            #expect(narrowed?.pipeline.map(\.count).reduce(0, +) == pudongProducts)

            // Xuhui's officer asking for Pudong is refused naming the field, not answered with zeros.
            let (status, _, refusal) = try await summary("xuhui", "?district=310115")
            #expect(status == .forbidden && refusal?.errors?.first?.field == "district")
            // A park's officer: its own district leaves its park's figures; another is refused, not
            // answered with the park's own figures as if they were that district's.
            let (parkStatus, park, _) = try await summary("zhangjiang", "")
            let (ownDistrict, inPudong, _) = try await summary("zhangjiang", "?district=310115")
            #expect(
                parkStatus == .ok && ownDistrict == .ok && inPudong?.scope == park?.scope
                    && inPudong?.pipeline.map(\.count) == park?.pipeline.map(\.count))
            let (elsewhere, _, parkRefusal) = try await summary("zhangjiang", "?district=310104")
            #expect(elsewhere == .forbidden && parkRefusal?.errors?.first?.field == "district")

            // The city's code or nonsense: a 422 naming the field; longer than a district code can
            // be (a park's), the contract's 400 naming it.
            for (code, expected) in [("zhangjiang", HTTPStatus.badRequest), ("310000", .unprocessableEntity), ("99", .unprocessableEntity)] {
                let (status, _, problem) = try await summary("regulator", "?district=\(code)")
                #expect(status == expected && problem?.errors?.first?.field == "district", "\(code)")
            }
        }
    }

    @Test("the page draws every chart for the viewer's scope, drills into a district from the map, and never widens a scope")
    func page() async throws {
        try await withTongdao { app in
            let today = Fixtures.today
            try await Self.seed(app, today: today)
            try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            try await TestUsers.create("xuhui", role: .districtOfficer, scope: .district("310104"), on: app)
            let browser = Browser(app)
            #expect(try await browser.signIn("regulator") == .seeOther)
            let page = try await browser.get("/dashboard")
            #expect(page.status == .ok)
            #expect(
                page.html.components(separatedBy: #"<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img""#).count - 1 == 13,
                "seven charts of the pipeline, three of the trial panel, the inspections' coverage (the regulator reads the plan), the adverse-event reports by month and the Delta map"
            )
            #expect(page.html.contains("长三角协同地图") && page.html.contains(#"<a href="/delta?province=JS">"#))
            #expect(page.html.contains("数据看板 · 上海市（全市）") && page.html.contains(#"<a href="/dashboard?district=310115&amp;measure=pipeline">"#))
            #expect(page.html.contains(#"<a href="/products?stage=clinical">"#), "a funnel stage links to its list")
            // 在审事项 links to the list it counts: every open application, and only those.
            #expect(page.html.contains(#"href="/applications?status=open""#))
            let open = try await ApplicationModel.query(on: app.db).filter(\.$isOpen == true).count()
            let closed = try await ApplicationModel.query(on: app.db).filter(\.$isOpen == false).count()
            #expect(open > 0 && closed > 0, "the seed has both")
            #expect(page.html.contains(#"<p class="figure-value"><a href="/applications?status=open">\#(open)</a>"#), "the headline is the count")
            let listed = try await browser.get("/applications?status=open")
            #expect(listed.html.components(separatedBy: #"<tr><td><a href="/applications/"#).count - 1 == min(open, 50))
            // The on-time gauge is a rate, not a count.
            #expect(page.html.contains("在审事项按期率：") && page.html.contains("%（"))
            let drilled = try await browser.get("/dashboard?district=310115&measure=overdue")
            #expect(drilled.status == .ok && drilled.html.contains("数据看板 · 浦东新区") && drilled.html.contains("各区超期事项"))

            let officer = Browser(app)
            #expect(try await officer.signIn("xuhui") == .seeOther)
            let own = try await officer.get("/dashboard")
            #expect(own.html.contains("数据看板 · 徐汇区"))
            // Asking for another district is refused in Chinese, not answered with zeros.
            let other = try await officer.get("/dashboard?district=310115")
            #expect(other.status == .forbidden && other.html.contains("超出您的权限范围") && !other.html.contains("浦东新区 · 在研产品"))
        }
    }

    /// The chart descriptions (`<desc>`) of a page, each after its title.
    private static func descriptions(_ html: String) -> [String] {
        html.components(separatedBy: "-desc\">").dropFirst().compactMap { $0.components(separatedBy: "</desc>").first }
    }

    /// The whole numbers in a text, in order.
    private static func numbers(_ text: Substring) -> [Int] {
        text.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
    }

    @Test("every headline agrees with the chart it summarises, each chart says what it counts, and the page says where two count different things")
    func headlinesAgreeWithCharts() async throws {
        try await withTongdao { app in
            let today = Fixtures.today
            try await Self.seed(app, today: today)
            try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            let browser = Browser(app)
            #expect(try await browser.signIn("regulator") == .seeOther)
            func page(_ measure: String) async throws -> (html: String, descriptions: [String]) {
                let page = try await browser.get("/dashboard?measure=\(measure)")
                #expect(page.status == .ok)
                return (page.html, Self.descriptions(page.html))
            }
            func headline(_ html: String, _ label: String) -> Int? {
                guard let after = html.components(separatedBy: "<p class=\"figure-label\">\(label)</p>").dropFirst().first,
                    let value = after.components(separatedBy: "</p>").first
                else { return nil }
                return Self.numbers(Substring(value)).last
            }
            func chart(_ descriptions: [String], _ title: String) -> String {
                descriptions.first { $0.hasPrefix(title) } ?? ""
            }
            let (html, descriptions) = try await page("pipeline")
            let inReview = try #require(headline(html, "在审事项")), red = try #require(headline(html, "已超时限（红）"))
            let approvals = try #require(headline(html, "本年获批"))
            #expect(inReview > 0, "the seed has open applications")

            // The gauge's whole is 在审事项.
            let gauge = chart(descriptions, "在审事项按期率")
            #expect(gauge.contains("/ \(inReview)）"), "\(gauge)")
            // 审评量: the open series sums to 在审事项; the two overlapping series are never added up.
            let authorities = chart(descriptions, "审评量")
            #expect(authorities.contains("不相加"))
            let parts = authorities.split(separator: "；")
            let open = parts.compactMap { $0.components(separatedBy: "：在审").dropFirst().first.flatMap { Self.numbers(Substring($0)).first } }
            let acceptedThisYear = parts.compactMap {
                $0.components(separatedBy: "，本年受理").dropFirst().first.flatMap { Self.numbers(Substring($0)).first }
            }
            #expect(open.count == 3 && open.reduce(0, +) == inReview, "\(authorities)")
            for (part, (o, a)) in zip(parts, zip(open, acceptedThisYear)) where o + a > 0 {
                #expect(!part.contains(" \(o + a)（"), "a bar shows no sum of overlapping series: \(part)")
            }
            // The months of this year add up to this year's acceptances.
            let months = chart(descriptions, "近 36 个月受理量")
            let year = today.components.year
            let thisYear = months.split(separator: "；").filter { $0.hasPrefix("\(year)-") || $0.contains("：\(year)-") }
                .compactMap { Self.numbers($0).last }
            #expect(!thisYear.isEmpty && thisYear.reduce(0, +) == acceptedThisYear.reduce(0, +), "\(months)")
            // The funnel says how many products it counts, and its stages add up to that; the map's
            // pipeline is the same products before 审批决定.
            let funnel = chart(descriptions, "研发管线")
            let stated = try #require(Self.numbers(funnel.prefix { $0 != "：" }).last)
            let stages = funnel.split(separator: "→").compactMap { Self.numbers($0).last }
            #expect(stages.count == 9 && stages.reduce(0, +) == stated, "\(funnel)")
            let approvalStage = stages.last ?? 0
            let map = chart(descriptions, "各区在研产品")
            #expect(map.hasPrefix("各区在研产品（\(stated - approvalStage) 个产品，审批决定前）"), "\(map)")
            // The donut counts tags and says so; its total is the sum of its slices.
            let areas = chart(descriptions, "重点领域分布")
            #expect(areas.contains("一个产品可计入多个领域"))
            let total = try #require(areas.components(separatedBy: "合计 ").dropFirst().first.flatMap { Self.numbers(Substring($0)).first })
            let slices = areas.components(separatedBy: "）：").dropFirst().joined().split(separator: "；").compactMap {
                Self.numbers($0.prefix { $0 != "（" }).last
            }
            #expect(slices.reduce(0, +) == total, "\(areas)")
            // The map coloured by overdue applications and by approvals counts what the headlines count.
            let overdueMap = chart(try await page("overdue").descriptions, "各区超期事项")
            #expect(overdueMap.hasPrefix("各区超期事项（\(red) 件申报事项，已超时限）"), "\(overdueMap)")
            let approvalsMap = chart(try await page("approvals").descriptions, "各区本年获批")
            #expect(approvalsMap.hasPrefix("各区本年获批（\(approvals) 件申报事项）"), "\(approvalsMap)")
            // The page says where two figures count different things.
            #expect(html.contains("口径说明") && html.contains("与在审事项口径不同") && html.contains("合计为标签数"))
        }
    }

    @Test(
        "fifty screens at once cost one computation of the summary; a write drops it, and the next read counts the change",
        arguments: TestDatabase.enabled)
    func sharedSummary(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let today = Fixtures.today
            try await Self.seed(app, today: today)
            try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            let caller = try await app.platform.signIn.caller(actingAs: "regulator", command: "test")
            let cache = app.platform.summaries
            cache.invalidate()
            let before = cache.computations
            let summaries = try await withThrowingTaskGroup(of: DashboardSummary.self) { group in
                for _ in 0..<50 { group.addTask { try await app.platform.dashboard.summary(district: nil, by: caller) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(cache.computations == before + 1, "one computation for fifty readers")
            #expect(Set(summaries.map(\.figures.applicationsInReview)).count == 1)
            // Another district is another summary.
            _ = try await app.platform.dashboard.summary(district: "310115", by: caller)
            #expect(cache.computations == before + 2)
            // A write drops them: the next read counts the new application.
            let inReview = summaries[0].figures.applicationsInReview
            let product = try #require(try await ProductModel.query(on: app.db).first())
            _ = try await app.platform.applications.create(
                AcceptanceInput(
                    productID: try product.requireID().uuidString, procedure: "device.class2.registration", authority: "shanghai_mpa",
                    applicationNumber: "CQZ2698001", channel: "normal", acceptedOn: today.description), by: caller)
            let after = try await app.platform.dashboard.summary(district: nil, by: caller)
            #expect(after.figures.applicationsInReview == inReview + 1 && cache.computations == before + 3)
            // A live notice heard from another instance drops them too.
            _ = try await app.platform.dashboard.summary(district: nil, by: caller)
            #expect(cache.computations == before + 3, "still shared")
            app.liveFeed.deliver(.resync)
            _ = try await app.platform.dashboard.summary(district: nil, by: caller)
            #expect(cache.computations == before + 4)
            // A notice of this instance's own write, heard back through LISTEN, does not: its commit
            // dropped them already. Another instance's does (PostgreSQL; SQLite is one process).
            func notice() -> LiveNotice {
                LiveNotice(
                    id: UUID(), applicationID: UUID(), applicationNumber: "SH-X", productName: "产品", procedure: "device.class2.registration",
                    kind: .accepted, on: today.description, status: .inReview, district: "310115", park: nil, uscc: "", recordedAt: Date())
            }
            let own = notice()
            app.liveFeed.announce(own)
            app.liveFeed.deliver(.notice(own))
            _ = try await app.platform.dashboard.summary(district: nil, by: caller)
            #expect(cache.computations == before + 4, "one's own write heard back")
            app.liveFeed.deliver(.notice(notice()))
            _ = try await app.platform.dashboard.summary(district: nil, by: caller)
            #expect(cache.computations == before + (database == .postgres ? 5 : 4), "another instance's write")
        }
    }

    @Test(
        "the API answers a shared summary with the bytes encoded for the first reader, checked for each caller; a write drops them",
        arguments: TestDatabase.enabled)
    func summaryBytesShared(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let today = Fixtures.today
            try await Self.seed(app, today: today)
            try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            try await TestUsers.create("pudong", role: .districtOfficer, scope: .district("310115"), on: app)
            let (regulator, pudong) = (try await TestUsers.token("regulator", on: app), try await TestUsers.token("pudong", on: app))
            let cache = app.platform.summaries
            cache.invalidate()
            let served = cache.answeredFromRenderings
            func get(_ token: String, _ query: String = "") async throws -> (status: HTTPStatus, body: String, headers: HTTPHeaders) {
                var answer: (HTTPStatus, String, HTTPHeaders) = (.internalServerError, "", [:])
                try await app.testing().test(.GET, "/api/v1/dashboard/summary\(query)", headers: ["Authorization": "Bearer \(token)"]) { res in
                    answer = (res.status, res.body.string, res.headers)
                }
                return answer
            }
            let first = try await get(regulator)
            #expect(first.status == .ok && cache.answeredFromRenderings == served)
            let second = try await get(regulator)
            #expect(second.status == .ok && second.body == first.body && cache.answeredFromRenderings == served + 1)
            #expect(second.headers.contentType == .json && second.headers.first(name: "X-Request-ID") != nil)
            #expect(second.headers.first(name: "X-Request-ID") != first.headers.first(name: "X-Request-ID"))
            // Another scope is another summary; what it may not ask is still refused.
            let district = try await get(pudong)
            #expect(district.status == .ok && district.body != first.body)
            #expect(try await get(pudong).body == district.body && cache.answeredFromRenderings == served + 2)
            for _ in 0..<2 { #expect(try await get(pudong, "?district=310104").status == .forbidden) }
            #expect(try await get(regulator, "?district=310115").status == .ok)
            // No credential, no bytes.
            try await app.testing().test(.GET, "/api/v1/dashboard/summary") { res in #expect(res.status == .unauthorized) }
            // A write drops them: the next answer counts the new application.
            let before = try JSONSerialization.jsonObject(with: Data(first.body.utf8)) as? [String: Any]
            let inReview = (before?["applicationsInReview"] as? Int) ?? -1
            let caller = try await app.platform.signIn.caller(actingAs: "regulator", command: "test")
            let product = try #require(try await ProductModel.query(on: app.db).first())
            _ = try await app.platform.applications.create(
                AcceptanceInput(
                    productID: try product.requireID().uuidString, procedure: "device.class2.registration", authority: "shanghai_mpa",
                    applicationNumber: "CQZ2698002", channel: "normal", acceptedOn: today.description), by: caller)
            let after = try await get(regulator)
            let figures = try JSONSerialization.jsonObject(with: Data(after.body.utf8)) as? [String: Any]
            #expect(after.body != first.body && figures?["applicationsInReview"] as? Int == inReview + 1 && inReview >= 0)
        }
    }
}
