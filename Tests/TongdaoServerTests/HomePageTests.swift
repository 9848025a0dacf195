import Foundation
import Testing
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

@Suite("The web shell")
struct HomePageTests {
    @Test("/ lists all 16 districts and the parks in them, in Chinese", arguments: TestDatabase.enabled)
    func homeListsTheTree(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            try await app.testing().test(.GET, "/") { res in
                #expect(res.status == .ok)
                #expect(res.headers.contentType == .html)
                let html = res.body.string
                #expect(html.hasPrefix("<!DOCTYPE html><html lang=\"zh-CN\">"))
                #expect(html.contains("通道 · 创新医疗器械服务与监管平台"))
                for (code, name) in RegionsAPITests.districts {
                    #expect(html.contains("<h2>\(name)</h2><p class=\"code\">\(code)</p>"), "\(name) missing")
                }
                #expect(html.contains("16 个区 · 6 个重点园区"))
                #expect(html.contains(#"<li class="park" id="region-zhangjiang">张江</li>"#))
            }
        }
    }

    @Test("the home page matches its HTML snapshot")
    func snapshot() async throws {
        try await withTongdao { app in
            try await app.testing().test(.GET, "/") { res in
                try HTMLSnapshot.assertMatches(res.body.string, named: "home")
            }
        }
    }

    @Test("pages carry the security headers; the stylesheet is served by the app itself")
    func securityHeadersAndAssets() async throws {
        try await withTongdao { app in
            try await app.testing().test(.GET, "/") { res in
                #expect(res.headers.first(name: "Content-Security-Policy")?.contains("default-src 'self'") == true)
                #expect(res.headers.first(name: "Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
                #expect(res.headers.first(name: "X-Content-Type-Options") == "nosniff")
                #expect(res.headers.first(name: "Referrer-Policy") == "same-origin")
                #expect(!res.body.string.contains("http://") && !res.body.string.contains("https://"), "no external asset")
            }
            try await app.testing().test(.GET, "/css/app.css") { res in
                #expect(res.status == .ok)
                #expect(res.headers.contentType == .css)
                #expect(res.body.string.contains(".district-grid"))
                #expect(!res.body.string.contains("url(http"), "no external font or image")
            }
        }
    }
}

/// HTML snapshots under `__Snapshots__/`, one element a line; `SNAPSHOT_RECORD=1 swift test` rewrites them.
enum HTMLSnapshot {
    static func assertMatches(_ html: String, named name: String, sourceFile: String = #filePath) throws {
        let formatted = html.replacingOccurrences(of: "><", with: ">\n<") + "\n"
        let outcome = try Snapshot.compare(formatted, named: "\(name).html", sourceFile: sourceFile)
        #expect(outcome == .matches, "\(outcome)")
    }
}
