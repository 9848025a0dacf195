import Testing
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

@Suite("GET /api/v1/regions")
struct RegionsAPITests {
    struct RegionBody: Decodable, Equatable {
        var code: String
        var name: String
        var level: String
        var parentCode: String?
    }

    struct ListBody: Decodable {
        var items: [RegionBody]
    }

    static let districts: [(String, String)] = [
        ("310101", "黄浦区"), ("310104", "徐汇区"), ("310105", "长宁区"), ("310106", "静安区"),
        ("310107", "普陀区"), ("310109", "虹口区"), ("310110", "杨浦区"), ("310112", "闵行区"),
        ("310113", "宝山区"), ("310114", "嘉定区"), ("310115", "浦东新区"), ("310116", "金山区"),
        ("310117", "松江区"), ("310118", "青浦区"), ("310120", "奉贤区"), ("310151", "崇明区"),
    ]

    @Test("level=district lists the 16 districts with GB/T 2260 codes and Chinese names", arguments: TestDatabase.enabled)
    func districts(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            // when
            try await app.testing().test(.GET, "/api/v1/regions?level=district") { res in
                // then
                #expect(res.status == .ok)
                let body = try decode(ListBody.self, from: res)
                #expect(body.items.map(\.code) == Self.districts.map(\.0))
                #expect(body.items.map(\.name) == Self.districts.map(\.1))
                #expect(body.items.allSatisfy { $0.level == "district" && $0.parentCode == "310000" })
            }
        }
    }

    @Test("level=park with parent lists that district's parks only", arguments: TestDatabase.enabled)
    func parksOfPudong(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            try await app.testing().test(.GET, "/api/v1/regions?level=park&parent=310115") { res in
                #expect(res.status == .ok)
                let body = try decode(ListBody.self, from: res)
                #expect(
                    body.items == [
                        RegionBody(code: "lingang", name: "临港新片区", level: "park", parentCode: "310115"),
                        RegionBody(code: "zhangjiang", name: "张江", level: "park", parentCode: "310115"),
                    ])
            }
        }
    }

    @Test(
        "without filters the whole tree comes back: the partner provinces, the cities (Shanghai first), districts, parks",
        arguments: TestDatabase.enabled)
    func wholeTree(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            try await app.testing().test(.GET, "/api/v1/regions") { res in
                let body = try decode(ListBody.self, from: res)
                #expect(body.items.count == 3 + 1 + 18 + 16 + 6)
                #expect(
                    body.items.prefix(4) == [
                        RegionBody(code: "320000", name: "江苏省", level: "province", parentCode: nil),
                        RegionBody(code: "330000", name: "浙江省", level: "province", parentCode: nil),
                        RegionBody(code: "340000", name: "安徽省", level: "province", parentCode: nil),
                        RegionBody(code: "310000", name: "上海市", level: "city", parentCode: nil),
                    ])
                #expect(
                    body.items.map(\.level)
                        == Array(repeating: "province", count: 3) + Array(repeating: "city", count: 19) + Array(repeating: "district", count: 16)
                        + Array(repeating: "park", count: 6))
                let cities = body.items.filter { $0.level == "city" && $0.parentCode != nil }
                #expect(cities.allSatisfy { $0.code.prefix(2) == $0.parentCode?.prefix(2) }, "each city sits in its own province")
                let parks = Dictionary(uniqueKeysWithValues: body.items.filter { $0.level == "park" }.map { ($0.code, $0.parentCode) })
                #expect(
                    parks == [
                        "zhangjiang": "310115", "lingang": "310115", "dongfang-meigu": "310120",
                        "jinhaian": "310116", "bei-shanghai": "310113", "nan-hongqiao": "310112",
                    ])
            }
        }
    }

    @Test("an unknown level is a 400 problem naming `level`", arguments: TestDatabase.enabled)
    func badLevel(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            try await app.testing().test(.GET, "/api/v1/regions?level=foo") { res in
                #expect(res.status == .badRequest)
                #expect(res.headers.first(name: .contentType) == "application/problem+json; charset=utf-8")
                let problem = try decode(ProblemBody.self, from: res)
                #expect(problem.status == 400)
                #expect(problem.type == "/problems/invalid-parameters")
                #expect(problem.errors?.map(\.field) == ["level"])
                #expect(problem.errors?.first?.message.contains("city, district, park") == true)
            }
        }
    }

    @Test("an unknown parent and a bad level are both named in one answer", arguments: TestDatabase.enabled)
    func badParentAndLevel(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            try await app.testing().test(.GET, "/api/v1/regions?level=county&parent=999999") { res in
                #expect(res.status == .badRequest)
                let problem = try decode(ProblemBody.self, from: res)
                #expect(problem.errors?.map(\.field) == ["level", "parent"])
                #expect(problem.errors?.last?.message == "no region has the code 999999")
            }
        }
    }
}
