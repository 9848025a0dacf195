import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Every page a demo role reaches, crawled from its landing page by the links on each page: what a
/// person reads is Chinese. English sentences, codes where labels belong (`district:310115`,
/// `device.class3.registration`, `auth.session.create`, `in_review`) and login names where people are
/// meant fail the crawl; codes the user typed, numbers, units and the acronyms of the trade pass.
@Suite("Chinese first: no English on the pages, as every demo role")
struct ChineseTextCrawlTests {
    /// Latin words a Chinese page may show: the trade's acronyms, file formats, units.
    static let allowed: Set<String> = [
        "API", "CSV", "XLSX", "UTF", "GB", "BOM", "SVG", "QMS", "GCP", "GMP", "UDI", "DI", "PI", "IVD", "CT", "MRI", "AI", "PET", "ECMO",
        "WPS", "Excel", "ID", "USCC", "GTIN", "GS1", "YYYY", "MM", "DD", "Q1", "Q2", "Q3", "Q4", "PDF", "SSE", "HTTP", "JSON", "OpenAPI",
        "Tongdao", "CAR", "mRNA", "DNA", "RNA", "PCR", "IgG", "IgM", "TAVR", "OCT", "EEG", "ECG", "PD", "BCI", "AR", "VR", "ICU",
    ]

    /// Login names and the codes of the demo accounts' parks and stations: shown nowhere a person is meant.
    static let usernames = Set(DemoData.users.map(\.username)).union(
        DemoData.users.compactMap { user -> String? in
            switch user.scope {
            case .park(let code), .station(let code): code
            default: nil
            }
        })

    /// What is wrong with a text a person reads, if anything: a run of two or more Latin words, or a
    /// code (`a.b`, `a:b`, `a_b`) made of lower-case letters.
    static func problems(in text: String) -> [String] {
        var found: [String] = []
        // Codes: lower-case words joined by . : or _ (a number after the colon too: district:310115).
        let code = try! Regex(#"[a-z][a-z0-9]*(?:[._:][a-z0-9]+)+"#)
        for match in text.matches(of: code) {
            let token = String(text[match.range])
            // File names and numbers with decimals are not codes.
            if token.hasSuffix(".xlsx") || token.hasSuffix(".csv") || token.first?.isNumber == true { continue }
            found.append(token)
        }
        // A login name where a person is meant.
        for word in text.split(whereSeparator: { !$0.isLetter && $0 != "-" }) where usernames.contains(String(word)) {
            found.append("login name or scope code \(word)")
        }
        // Runs of Latin words, each of two letters or more, with only spaces and light punctuation
        // between them; a run made only of allowed words passes.
        let run = try! Regex(#"[A-Za-z][A-Za-z']+(?:[ ,\-/]+[A-Za-z][A-Za-z']+)+"#)
        for match in text.matches(of: run) {
            let words = text[match.range].split(whereSeparator: { !$0.isLetter && $0 != "'" }).map(String.init)
            if words.allSatisfy({ allowed.contains($0) || $0.allSatisfy(\.isUppercase) }) { continue }
            found.append(String(text[match.range]))
        }
        return found
    }

    /// The texts of a page a person reads: text nodes (but scripts and styles) and the attributes
    /// shown to them (tooltips, placeholders, labels for screen readers).
    static func texts(_ html: String) throws -> [String] {
        let document = html.hasPrefix("<!DOCTYPE") ? html : "<fragment>\(html)</fragment>"
        let xml = try XMLDocument(xmlString: document, options: [])
        // A code shown as a code (`<code>`, a stored record in `<pre>`) is what it is.
        let nodes = try xml.nodes(
            forXPath: "//text()[not(ancestor::script) and not(ancestor::style) and not(ancestor::code) and not(ancestor::pre)]"
                + " | //@title[not(ancestor::code)] | //@placeholder | //@aria-label")
        return nodes.compactMap(\.stringValue).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    /// Links to follow: this site's pages, one of each shape (ids and query values stripped for the
    /// count), neither sign-out nor downloads.
    static func links(_ html: String) -> [String] {
        html.components(separatedBy: #"href=""#).dropFirst().compactMap { $0.components(separatedBy: "\"").first }
            .map { $0.replacingOccurrences(of: "&amp;", with: "&") }
            .filter { $0.hasPrefix("/") && !$0.hasPrefix("//") && !$0.hasPrefix("/css/") && !$0.hasPrefix("/js/") && !$0.contains("/export") }
            .filter { !$0.hasPrefix("/logout") && !$0.hasPrefix("/api/") && !$0.hasPrefix("/live") && !$0.hasPrefix("/favicon") }
    }

    static func shape(_ path: String) -> String {
        let uuid = try! Regex(#"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"#)
        let query = path.split(separator: "?", maxSplits: 1)
        let base = String(query[0]).replacing(uuid, with: "{id}").replacing(try! Regex(#"/\d+"#), with: "/{n}")
        let keys = query.count > 1 ? query[1].split(separator: "&").map { $0.split(separator: "=").first.map(String.init) ?? "" }.sorted() : []
        return base + "?" + keys.joined(separator: "&")
    }

    @Test("every page every demo role reaches reads in Chinese; users are shown by name, codes by their labels")
    func crawl() async throws {
        try await withTongdao { app in
            _ = try await app.platform.demo.seedIfEmpty(by: .commandLine("test"))
            var report: [String] = []
            var crawled = 0
            for user in DemoData.users {
                let browser = Browser(app)
                #expect(try await browser.signIn(user.username, password: DemoData.password) == .seeOther)
                var queue = ["/", "/inbox", "/no-such-page", "/applications/\(UUID())"]
                var seen = Set<String>(), shapes: [String: Int] = [:]
                while let path = queue.first, seen.count < 160 {
                    queue.removeFirst()
                    guard seen.insert(path).inserted else { continue }
                    let shape = Self.shape(path)
                    shapes[shape, default: 0] += 1
                    guard shapes[shape, default: 0] <= 3 else { continue }
                    let page = try await browser.get(path)
                    guard page.headers.contentType?.subType == "html" else { continue }
                    crawled += 1
                    for text in try Self.texts(page.html) {
                        for problem in Self.problems(in: text) { report.append("\(user.username) \(path): “\(problem)” in “\(text.prefix(80))”") }
                    }
                    queue += Self.links(page.html).filter { !seen.contains($0) }
                }
            }
            // Refusals read in Chinese too: impossible events, a form over its size, a stale census confirmation.
            let reviewer = Browser(app)
            #expect(try await reviewer.signIn("reviewer", password: DemoData.password) == .seeOther)
            let open = try await reviewer.get("/applications?status=open")
            let first = try #require(open.html.components(separatedBy: #"<a href="/applications/"#).dropFirst().first?.prefix(36))
            let detailPath = "/applications/\(first)"
            let detail = try await reviewer.get(detailPath)
            let csrf = try #require(Browser.csrf(in: detail.html))
            let today = app.platform.clock.today().description
            let refusals: [[String: String]] = [
                ["type": "extension_granted", "on": today, "days": "999"],
                ["type": "extension_granted", "on": today, "days": "5"],
                ["type": "decision_made", "on": today, "decision": "approve", "certificate": "x"],
                ["type": "accepted", "on": today],
                ["type": "supplement_received", "on": "2099-01-01"],
            ]
            var refused: [(String, String)] = []
            for form in refusals {
                let page = try await reviewer.post("\(detailPath)/events", form.merging(["_csrf": csrf]) { a, _ in a })
                #expect(page.status.code >= 400, "\(form) is refused")
                refused.append(("reviewer POST \(detailPath)/events \(form["type"] ?? "")", page.html))
            }
            let tooLarge = try await reviewer.post(
                "\(detailPath)/events", ["_csrf": csrf, "type": "suspended", "on": today, "note": String(repeating: "长", count: 400_000)])
            refused.append(("reviewer POST over the limit", tooLarge.html))
            refused.append(("reviewer GET a census confirmation gone", try await reviewer.get("/census/uploads/\(UUID())").html))
            for (what, html) in refused {
                crawled += 1
                for text in try Self.texts(html) {
                    for problem in Self.problems(in: text) { report.append("\(what): “\(problem)” in “\(text.prefix(80))”") }
                }
            }
            #expect(crawled > 250, "the crawl reached \(crawled) pages")
            // Every action and entity type the trail now holds has its label.
            for entry in try await AuditEntryModel.query(on: app.db).all() {
                #expect(AuditVocabulary.actions[entry.action] != nil, "\(entry.action) has a Chinese label")
                #expect(AuditVocabulary.entityTypes[entry.entityType] != nil, "\(entry.entityType) has a Chinese label")
            }
            let unique = Array(Set(report)).sorted()
            let listing = unique.prefix(300).joined(separator: "\n")
            #expect(unique.isEmpty, "\(unique.count) texts in English or codes:\n\(listing)")
        }
    }
}
