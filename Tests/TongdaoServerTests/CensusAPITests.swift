import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import TongdaoXLSX
import VaporTesting

struct CensusReportBody: Decodable, Equatable {
    struct Rejected: Decodable, Equatable {
        var row: Int
        var column: String
        var reason: String
    }

    var year: Int
    var dryRun: Bool
    var committed: Bool
    var rowsRead: Int
    var added: Int
    var updated: Int
    var unchanged: Int
    var enterprisesCreated: Int
    var productsCreated: Int
    var rejected: [Rejected]
}

@Suite("The census: import and export")
struct CensusAPITests {
    static func post(
        _ app: Application, _ data: Data, year: Int = 2026, dryRun: Bool, token: String, contentType: String = "text/csv"
    ) async throws -> (HTTPStatus, CensusReportBody?, ProblemBody?) {
        var result: (HTTPStatus, CensusReportBody?, ProblemBody?)?
        var headers = bearer(token)
        headers.replaceOrAdd(name: .contentType, value: contentType)
        try await app.testing().test(
            .POST, "/api/v1/census/\(year)/imports?dryRun=\(dryRun)", headers: headers,
            beforeRequest: { req in
                req.body = ByteBuffer(bytes: Array(data))
            }
        ) { res in
            result = (res.status, decoded(CensusReportBody.self, from: res), decoded(ProblemBody.self, from: res))
        }
        return try #require(result)
    }

    static func export(_ app: Application, year: Int = 2026, format: String = "csv", token: String) async throws -> Data {
        var data = Data()
        try await app.testing().test(.GET, "/api/v1/census/\(year)/export?format=\(format)", headers: bearer(token)) { res in
            #expect(res.status == .ok)
            let expected = format == "csv" ? "text/csv" : XLSX.mediaType
            #expect(res.headers.contentType?.description.hasPrefix(expected) == true)
            data = Data(res.body.readableBytesView)
        }
        return data
    }

    @Test("import, re-import, export and re-import: the second time and the round trip change nothing", arguments: TestDatabase.enabled)
    func roundTrip(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            let token = try await TestUsers.token("regulator", on: app)
            let file = CensusFixture.csv(CensusFixture.rows(count: 60))
            let (dryStatus, dry, _) = try await Self.post(app, file, dryRun: true, token: token)
            #expect(dryStatus == .ok)
            #expect(dry?.committed == false && dry?.added == 60 && dry?.enterprisesCreated == 12 && dry?.rejected.isEmpty == true)
            #expect(try await ProductModel.query(on: app.db).count() == 0, "a dry run writes nothing")

            let (status, first, _) = try await Self.post(app, file, dryRun: false, token: token)
            #expect(status == .created)
            #expect(first?.committed == true && first?.added == 60 && first?.productsCreated == 60)
            #expect(try await CensusIntentionModel.query(on: app.db).count() == 60)
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "census.import").count() == 1, "one audit row per import")

            let (_, again, _) = try await Self.post(app, file, dryRun: false, token: token)
            #expect(again?.added == 0 && again?.updated == 0 && again?.unchanged == 60 && again?.enterprisesCreated == 0)

            let exported = try await Self.export(app, token: token)
            #expect(exported.starts(with: [0xEF, 0xBB, 0xBF]), "a BOM so that Excel reads UTF-8")
            let (_, roundTrip, _) = try await Self.post(app, exported, dryRun: false, token: token)
            #expect(roundTrip?.rowsRead == 60 && roundTrip?.unchanged == 60 && roundTrip?.added == 0 && roundTrip?.updated == 0)
            let workbook = try await Self.export(app, format: "xlsx", token: token)
            // A workbook leaves out empty cells at the end of a row (指导需求 is often empty); the cells are the same.
            func trimmed(_ rows: [[String]]) -> [[String]] { rows.map { Array($0.reversed().drop(while: \.isEmpty).reversed()) } }
            #expect(
                trimmed(try XLSX.rows(of: workbook)) == trimmed(try CSV.parse(try CSV.decode(exported).text)),
                "the workbook holds the same cells as the CSV")
            #expect(try CSV.parse(try CSV.decode(exported).text).contains { $0.last == "希望明确分类界定；需要临床评价路径指导" }, "guidance needs are exported")
            let (_, xlsxTrip, _) = try await Self.post(app, workbook, dryRun: false, token: token, contentType: XLSX.mediaType)
            #expect(xlsxTrip?.rowsRead == 60 && xlsxTrip?.unchanged == 60 && xlsxTrip?.added == 0 && xlsxTrip?.updated == 0)
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "census.import").count() == 1, "no-op imports write nothing")
            // a changed stage is an update of the declaration and of the product
            var rows = CensusFixture.rows(count: 60)
            rows[0][CensusSheet.Column.allCases.firstIndex(of: .stage)!] = DevelopmentStage.approval.label
            let (_, changed, _) = try await Self.post(app, CensusFixture.csv(rows), dryRun: false, token: token)
            #expect(changed?.updated == 1 && changed?.unchanged == 59)
            let declared = try await ProductModel.query(on: app.db).filter(\.$uscc == rows[0][1]).filter(\.$name == rows[0][4]).first()
            #expect(declared?.stage == .approval, "this year's declaration is the product's current stage")
        }
    }

    @Test("10,000 rows with 50 bad ones: the dry run names exactly those 50; a real import writes nothing; without them all 9,950 go in")
    func tenThousand() async throws {
        try await withTongdao { app in
            try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            let token = try await TestUsers.token("regulator", on: app)
            var rows = CensusFixture.rows(count: 10_000)
            var generator = SplitMix64(seed: 50)
            var spoiled: [Int: CensusSheet.Column] = [:]
            while spoiled.count < 50 {
                let index = Int.random(in: 0..<rows.count, using: &generator)
                guard spoiled[index] == nil else { continue }
                spoiled[index] = CensusFixture.spoil(&rows, at: index, kind: spoiled.count)
            }
            let (status, report, _) = try await Self.post(app, CensusFixture.csv(rows), dryRun: true, token: token)
            #expect(status == .ok)
            let rejected = try #require(report?.rejected)
            #expect(Set(rejected.map(\.row)) == Set(spoiled.keys.map { $0 + 2 }), "exactly the 50 bad rows, numbered as the sheet shows them")
            #expect(rejected.count == 50, "one reason a bad row")
            for problem in rejected {
                #expect(problem.column == spoiled[problem.row - 2]?.rawValue, "row \(problem.row): \(problem.column) \(problem.reason)")
            }
            #expect(Set(rejected.map(\.column)).count == 12, "twelve kinds of fault")
            #expect(report?.rowsRead == 10_000)

            let (realStatus, _, problem) = try await Self.post(app, CensusFixture.csv(rows), dryRun: false, token: token)
            #expect(realStatus == .unprocessableEntity)
            #expect(problem?.errors?.count == 50)
            #expect(problem?.errors?.contains { $0.field.hasPrefix("rows[") } == true)
            let (products, enterprises) = (try await ProductModel.query(on: app.db).count(), try await EnterpriseModel.query(on: app.db).count())
            #expect(products == 0 && enterprises == 0)

            let good = rows.enumerated().filter { spoiled[$0.offset] == nil }.map(\.element)
            let (goodStatus, imported, _) = try await Self.post(app, CensusFixture.csv(good), dryRun: false, token: token)
            #expect(goodStatus == .created)
            #expect(imported?.added == 9_950)
            #expect(try await CensusIntentionModel.query(on: app.db).count() == 9_950)
        }
    }

    @Test(
        "a district officer's rows from another district are rejected, not dropped; its export holds its district only",
        arguments: TestDatabase.enabled)
    func scope(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            try await TestUsers.create("pudong", role: .districtOfficer, scope: .district("310115"), on: app)
            try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            try await TestUsers.create("reviewer", role: .reviewer, scope: .city, on: app)
            let pudong = try await TestUsers.token("pudong", on: app)
            let regulator = try await TestUsers.token("regulator", on: app)
            let reviewer = try await TestUsers.token("reviewer", on: app)
            let rows = CensusFixture.rows(count: 30)  // 浦东, 徐汇, 闵行 in turn, five products each
            let (status, _, problem) = try await Self.post(app, CensusFixture.csv(rows), dryRun: false, token: pudong)
            #expect(status == .unprocessableEntity)
            #expect(problem?.errors?.count == 20)
            #expect(problem?.errors?.allSatisfy { $0.message == "不在您的权限范围内" } == true)
            #expect(try await EnterpriseModel.query(on: app.db).count() == 0)
            let (reviewerStatus, _, _) = try await Self.post(app, CensusFixture.csv(rows), dryRun: true, token: reviewer)
            #expect(reviewerStatus == .forbidden)
            // the city imports it all; then each sees its part
            let (cityStatus, _, _) = try await Self.post(app, CensusFixture.csv(rows), dryRun: false, token: regulator)
            #expect(cityStatus == .created)
            let exported = try CSV.parse(try CSV.decode(try await Self.export(app, token: pudong)).text)
            #expect(exported.count == 11, "header and Pudong's ten rows")
            #expect(exported.dropFirst().allSatisfy { $0[2] == "浦东新区" })
            // an existing Xuhui enterprise in a Pudong officer's sheet is out of scope too
            let xuhui = rows.filter { $0[2] == "徐汇区" }
            let (again, _, scoped) = try await Self.post(app, CensusFixture.csv(xuhui), dryRun: false, token: pudong)
            #expect(again == .unprocessableEntity)
            #expect(scoped?.errors?.first?.message == "该企业不在您的权限范围内")
        }
    }

    @Test(
        "the census page's figures, grouped by the database, equal CensusQuality.summaries over the two years' exports, for the city, districts, a park and an enterprise",
        arguments: TestDatabase.enabled)
    func summariesInSQL(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            let token = try await TestUsers.token("regulator", on: app)
            let thisYear = Fixtures.today.year
            func column(_ c: CensusSheet.Column) -> Int { CensusSheet.Column.allCases.firstIndex(of: c)! }
            // Last year: 120 products, some cells left empty (each scored one in turn) and some reagents,
            // which are not asked for a classification code.
            var before = CensusFixture.rows(count: 120, seed: 7)
            for index in before.indices {
                switch index % 8 {
                case 0: before[index][column(.model)] = ""
                case 1: before[index][column(.classificationCode)] = ""
                case 2: before[index][column(.keyAreas)] = ""
                case 3: before[index][column(.expectedFiling)] = ""
                case 4 where index % 5 == 4: before[index][column(.contactName)] = ""  // an enterprise's last row decides its contact
                case 5: (before[index][column(.category)], before[index][column(.classificationCode)]) = (ProductCategory.ivd.label, "")
                default: break
                }
            }
            let (lastStatus, last, _) = try await Self.post(app, CensusFixture.csv(before), year: thisYear - 1, dryRun: false, token: token)
            #expect(lastStatus == .created, "\(last?.rejected ?? [])")
            // This year: every ninth product not declared again, 30 new ones, stages drawn again.
            let now = CensusFixture.rows(count: 150, seed: 8).enumerated().filter { $0.offset >= 120 || $0.offset % 9 != 0 }.map { row in
                var cells = row.element
                if row.offset < 120 {
                    for c in [CensusSheet.Column.model, .classificationCode, .keyAreas, .contactName, .category] {
                        cells[column(c)] = before[row.offset][column(c)]
                    }
                }
                if row.offset % 7 == 3 { cells[column(.expectedFiling)] = "" }
                return cells
            }
            let (nowStatus, current, _) = try await Self.post(app, CensusFixture.csv(now), year: thisYear, dryRun: false, token: token)
            #expect(nowStatus == .created, "\(current?.rejected ?? [])")

            let park = try #require(try await ProductModel.query(on: app.db).filter(\.$park != nil).first()?.park)
            let scopes: [(ScopeFilter, CensusQuality.Grouping)] = [
                (.everything, .district), (.everything, .park), (.districts(["310115"]), .park), (.districts(["310115", "310112"]), .district),
                (.park(park), .park), (.enterprise(CensusFixture.uscc(district: "310112", serial: 2)), .park), (.districts([]), .district),
            ]
            for (scope, grouping) in scopes {
                let expected = CensusQuality.summaries(
                    current: try await CensusStore.export(year: thisYear, scope: scope, on: app.db),
                    previous: try await CensusStore.export(year: thisYear - 1, scope: scope, on: app.db), by: grouping)
                let actual = try await CensusStore.summaries(year: thisYear, scope: scope, by: grouping, on: app.db)
                func exact(_ rows: [CensusQuality.Summary]) -> [CensusQuality.Summary] {
                    rows.map {
                        var row = $0; row.completeness = 0; return row
                    }
                }
                #expect(exact(actual) == exact(expected), "\(scope) by \(grouping)")
                #expect(zip(actual, expected).allSatisfy { abs($0.completeness - $1.completeness) < 1e-9 }, "\(scope) by \(grouping): completeness")
            }
            // The data exercises every figure.
            let city = try await CensusStore.summaries(year: thisYear, scope: .everything, by: .district, on: app.db)
            #expect(city.map(\.region) == ["310112", "310104", "310115"] && city.map(\.products) == [47, 45, 44], "most products first: \(city)")
            #expect(city.allSatisfy { $0.new > 0 && $0.dropped > 0 && $0.advanced > 0 && $0.completeness > 0.5 && $0.completeness < 1 })
            #expect(try await CensusStore.summaries(year: thisYear, scope: .districts([]), by: .district, on: app.db).isEmpty)
        }
    }

    @Test("GB18030, UTF-8 with a BOM and XLSX all import; a missing column is named; a broken workbook or an old .xls is refused with a reason")
    func encodingsAndHeaders() async throws {
        try await withTongdao { app in
            try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            let token = try await TestUsers.token("regulator", on: app)
            let rows = [CensusFixture.header] + CensusFixture.rows(count: 5)
            let gb = try #require(CSV.render(rows).data(using: CSV.gb18030))
            #expect(String(data: gb, encoding: .utf8) == nil, "really not UTF-8")
            let (status, report, _) = try await Self.post(app, gb, dryRun: true, token: token)
            #expect(status == .ok && report?.added == 5 && report?.rejected.isEmpty == true)
            let shuffled = rows.map { Array($0.reversed()) }
            let (_, reordered, _) = try await Self.post(app, CSV.excelData(shuffled), dryRun: true, token: token)
            #expect(reordered?.added == 5, "columns in any order")
            let missing = rows.map { Array($0.dropFirst()) }
            let (_, headerReport, _) = try await Self.post(app, CSV.excelData(missing), dryRun: true, token: token)
            #expect(headerReport?.rejected == [.init(row: 1, column: "企业名称", reason: "缺少必填列")])
            let (broken, _, problem) = try await Self.post(app, Data([0x50, 0x4B, 0x03, 0x04, 0, 0]), dryRun: true, token: token)
            #expect(broken == .badRequest && problem?.errors?.first?.field == "body")
            #expect(problem?.errors?.first?.message.contains("XLSX") == true)
            let (xls, _, oldFormat) = try await Self.post(app, Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]), dryRun: true, token: token)
            #expect(xls == .badRequest && oldFormat?.errors?.first?.message.contains(".xls") == true)

            // A workbook whose month cell is a date, as Excel makes of "2027-03" typed into a cell.
            let month = CensusSheet.Column.allCases.firstIndex(of: .expectedFiling)!
            var dated = rows
            dated[1][month] = "2027-03-01"
            let (status2, fromWorkbook, _) = try await Self.post(
                app, try XLSX.workbook(sheetName: "调查表", rows: dated), dryRun: false, token: token, contentType: XLSX.mediaType)
            #expect(status2 == .created && fromWorkbook?.added == 5 && fromWorkbook?.rejected.isEmpty == true)
            let product = try await ProductModel.query(on: app.db).filter(
                \.$name == dated[1][CensusSheet.Column.allCases.firstIndex(of: .productName)!]
            ).first()
            #expect(product?.expectedFiling == "2027-03")
        }
    }
}
