import Foundation

// The FAQ and case library (常见问题 / 案例, issue 20 item 4): entries written by a station or the
// regulator (from scratch, or from an answered consultation with what identifies the enterprise taken
// out), reviewed by someone other than their author before they are published, searched in Chinese
// by character bigrams so a question typed in other words still finds the entry.

/// What an entry of the library is.
public enum LibraryKind: String, LabelledCode {
    /// 常见问题: a question and its answer.
    case faq
    /// 案例: a past case, what happened and what was learnt (少走弯路).
    case caseStudy = "case"

    public var label: String {
        switch self {
        case .faq: "常见问题"
        case .caseStudy: "案例"
        }
    }
}

/// Where an entry of the library stands.
public enum LibraryStatus: String, LabelledCode {
    /// 待审核: written, not yet reviewed; seen only by those who write and review entries.
    case draft
    /// 已发布: reviewed and published; every signed-in user reads and finds it.
    case published
    /// 已撤下: taken down; no longer found.
    case withdrawn

    public var label: String {
        switch self {
        case .draft: "待审核"
        case .published: "已发布"
        case .withdrawn: "已撤下"
        }
    }
}

/// The search keys of a text: overlapping pairs of Chinese characters (a run of one character is
/// kept as itself) and whole Latin words and numbers, lower case, full-width forms folded to their
/// ASCII. A query is cut the same way, so "申请创新审查要准备什么材料" shares 申请, 创新 and 审查 with
/// "创新医疗器械特别审查申请需要提交哪些资料" although the two say it differently.
public enum SearchGrams {
    /// The distinct keys of `text` in the order they first occur.
    public static func grams(of text: String) -> [String] {
        var keys: [String] = []
        var seen: Set<String> = []
        func add(_ key: String) {
            if seen.insert(key).inserted { keys.append(key) }
        }
        var han: [Unicode.Scalar] = []
        var word = String.UnicodeScalarView()
        func endHan() {
            if han.count == 1 { add(String(han[0])) }
            if han.count > 1 {
                for index in 0..<(han.count - 1) {
                    var pair = String.UnicodeScalarView()
                    pair.append(han[index])
                    pair.append(han[index + 1])
                    add(String(pair))
                }
            }
            han.removeAll(keepingCapacity: true)
        }
        func endWord() {
            // A single Latin letter says nothing; a single digit may (第3类).
            if word.count > 1 || word.first.map({ $0.properties.numericType != nil }) == true { add(String(word)) }
            word.removeAll()
        }
        for scalar in text.unicodeScalars {
            let folded = fold(scalar)
            if isHan(folded) {
                endWord()
                han.append(folded)
            } else if folded.isASCII, folded.properties.isAlphabetic || ("0"..."9").contains(folded) {
                endHan()
                word.append(folded.properties.lowercaseMapping.unicodeScalars.first ?? folded)
            } else {
                endHan()
                endWord()
            }
        }
        endHan()
        endWord()
        return keys
    }

    /// The keys of an entry: those of its whole text, and those of its title again marked `^`, so
    /// a question's words found in a title count for more than the same words in an answer.
    public static func entryKeys(title: String, body: String) -> [String] {
        grams(of: title + "\n" + body) + grams(of: title).map { titleMark + $0 }
    }

    /// The keys a query looks for: its own, and the same in titles.
    public static func queryKeys(_ text: String) -> [String] {
        let keys = grams(of: text)
        return keys + keys.map { titleMark + $0 }
    }

    /// What marks a key found in a title (no key holds it: punctuation separates keys).
    public static let titleMark = "^"

    /// Full-width ASCII (Ａ, ０) as ASCII; everything else as it is.
    static func fold(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        guard (0xFF01...0xFF5E).contains(scalar.value) else { return scalar }
        return Unicode.Scalar(scalar.value - 0xFEE0) ?? scalar
    }

    /// A CJK ideograph (the unified blocks, extension A and beyond, the compatibility block).
    static func isHan(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0xF900...0xFAFF, 0x20000...0x3134F: true
        default: false
        }
    }
}

/// What identifies an enterprise in a text, found and taken out before an entry is published.
public enum Anonymiser {
    /// Who must not be recognisable: the enterprise's names, its products' names, the people named.
    public struct Identity: Sendable, Equatable {
        public var enterprises: [String]
        public var products: [String]
        public var people: [String]

        public init(enterprises: [String] = [], products: [String] = [], people: [String] = []) {
            self.enterprises = enterprises
            self.products = products
            self.people = people
        }
    }

    /// One thing found that identifies someone: what it is (in Chinese) and the text itself.
    public struct Leak: Sendable, Equatable {
        public var what: String
        public var text: String
    }

    /// The names an enterprise goes by: its full name, the name without 上海 and the company form,
    /// and the first four characters of that (联影医疗 of 上海联影医疗科技股份有限公司).
    public static func aliases(ofEnterprise name: String) -> [String] {
        var core = name.trimmingWhitespace()
        for prefix in ["上海市", "上海"] where core.hasPrefix(prefix) {
            core = String(core.dropFirst(prefix.count))
            break
        }
        for suffix in ["股份有限公司", "有限责任公司", "有限公司", "（集团）", "(集团)", "集团", "公司"] where core.hasSuffix(suffix) {
            core = String(core.dropLast(suffix.count))
        }
        var names = [name.trimmingWhitespace()]
        if core.count >= 2 { names.append(core) }
        if core.count >= 6 { names.append(String(core.prefix(4))) }
        return Array(Set(names)).filter { !$0.isEmpty }
    }

    /// Everything in `text` that identifies: the names of `identity`, and in any text seven or more
    /// digits in a row (a telephone number, a certificate's number), an area code and number
    /// (021-64000000), an e-mail address and a unified social credit code.
    public static func leaks(in text: String, _ identity: Identity) -> [Leak] {
        var found: [Leak] = []
        for (what, names) in [("企业名称", identity.enterprises.flatMap(aliases(ofEnterprise:))), ("产品名称", identity.products), ("人名", identity.people)] {
            for name in Set(names) where name.count >= 2 && text.contains(name) { found.append(Leak(what: what, text: name)) }
        }
        for span in spans(in: text) { found.append(Leak(what: span.what, text: String(text[span.range]))) }
        return found
    }

    /// `text` with what identifies replaced: names by 某企业, 某产品 and 某某, numbers by ××××,
    /// e-mail addresses and credit codes by a note that they were taken out.
    public static func redact(_ text: String, _ identity: Identity) -> String {
        var result = text
        for span in spans(in: text).reversed() {
            result.replaceSubrange(span.range, with: span.replacement)
        }
        let names =
            identity.enterprises.flatMap(aliases(ofEnterprise:)).map { ($0, "某企业") } + identity.products.map { ($0, "某产品") }
            + identity.people.map { ($0, "某某") }
        for (name, replacement) in names.filter({ $0.0.count >= 2 }).sorted(by: { $0.0.count > $1.0.count }) {
            result = result.replacingOccurrences(of: name, with: replacement)
        }
        return result
    }

    private struct Span {
        var range: Range<String.Index>
        var what: String
        var replacement: String
    }

    /// The numbers, e-mail addresses and credit codes of `text`, in order.
    private static func spans(in text: String) -> [Span] {
        var spans: [Span] = []
        var index = text.startIndex
        func isDigit(_ c: Character) -> Bool { c.isASCII && c.isNumber }
        func isCode(_ c: Character) -> Bool { c.isASCII && (c.isNumber || c.isUppercase) }
        func isMail(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || ".-_+".contains(c)) }
        while index < text.endIndex {
            let c = text[index]
            if isMail(c) {
                // A run of what an address may hold: an address when it has `@` inside.
                var end = index
                while end < text.endIndex, isMail(text[end]) || text[end] == "@" { end = text.index(after: end) }
                let run = text[index..<end]
                if let at = run.firstIndex(of: "@"), at > run.startIndex, run[run.index(after: at)...].contains(".") {
                    spans.append(Span(range: index..<end, what: "电子邮箱", replacement: "（邮箱已隐去）"))
                    index = end
                    continue
                }
            }
            if isCode(c) {
                var end = index
                while end < text.endIndex, isCode(text[end]) { end = text.index(after: end) }
                let run = String(text[index..<end])
                if run.count == 18, USCC.isValid(run) {
                    spans.append(Span(range: index..<end, what: "统一社会信用代码", replacement: "（代码已隐去）"))
                    index = end
                    continue
                }
            }
            if isDigit(c) {
                var end = index
                while end < text.endIndex, isDigit(text[end]) { end = text.index(after: end) }
                // 021-64000000: an area code joined to its number.
                let head = text.distance(from: index, to: end)
                if c == "0", (3...4).contains(head), end < text.endIndex, text[end] == "-" {
                    var number = text.index(after: end)
                    let start = number
                    while number < text.endIndex, isDigit(text[number]) { number = text.index(after: number) }
                    if (7...8).contains(text.distance(from: start, to: number)) { end = number }
                }
                if text.distance(from: index, to: end) >= 7 {
                    spans.append(Span(range: index..<end, what: "电话或证照号码", replacement: "××××"))
                }
                index = end
                continue
            }
            index = text.index(after: index)
        }
        return spans
    }
}
