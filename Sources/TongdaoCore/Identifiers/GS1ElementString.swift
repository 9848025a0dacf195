import Foundation

/// A GS1 element string as a UDI label carries it (DOMAIN.md §8): the device identifier (DI, AI 01, a
/// GTIN-14) and the production identifiers (PI: production date 11, expiry 17, lot 10, serial 21 …),
/// read from the human-readable bracketed form `(01)…(17)…(10)…` or the machine form a scanner
/// sends — the AIs run together, a GS (0x1D) after each variable-length value that is not last,
/// behind an optional symbology prefix (`]C1` GS1-128, `]d2` GS1 DataMatrix, `]Q3` GS1 QR, `]e0`
/// GS1 DataBar). Every problem names the element at fault.
public struct GS1ElementString: Sendable, Equatable {
    /// One element: its application identifier and value.
    public struct Element: Sendable, Equatable {
        public var ai: String
        public var value: String
    }

    /// The elements in the order read.
    public var elements: [Element]
    /// The date elements (11, 17 …) as days, their century by the GS1 rule on the day read.
    public var dates: [String: CivilDate]

    /// The device identifier: AI 01's GTIN-14.
    public var deviceIdentifier: String? { value(of: "01") }
    /// The production identifiers: every element but AI 01.
    public var productionIdentifiers: [Element] { elements.filter { $0.ai != "01" } }
    public var lot: String? { value(of: "10") }
    public var serial: String? { value(of: "21") }
    public var productionDate: CivilDate? { dates["11"] }
    public var expiryDate: CivilDate? { dates["17"] }

    public func value(of ai: String) -> String? { elements.first { $0.ai == ai }?.value }

    /// What is wrong with a string, in Chinese, naming the element (`(17)`) or the place at fault.
    public struct Problem: Error, Equatable, Sendable, CustomStringConvertible {
        public var ai: String?
        public var message: String
        public var description: String { message }
    }

    /// An AI this reader knows: its value's length (fixed, or at most), whether digits only, and
    /// what it holds, for messages.
    struct Definition {
        var fixed: Int?
        var maximum: Int
        var numeric: Bool
        var label: String
    }

    /// The AIs of UDI labels and their neighbours (GS1 General Specifications, §3.2).
    static let definitions: [String: Definition] = [
        "00": .init(fixed: 18, maximum: 18, numeric: true, label: "系列货运包装箱代码"),
        "01": .init(fixed: 14, maximum: 14, numeric: true, label: "产品标识（GTIN）"),
        "02": .init(fixed: 14, maximum: 14, numeric: true, label: "所含贸易项目 GTIN"),
        "10": .init(fixed: nil, maximum: 20, numeric: false, label: "批号"),
        "11": .init(fixed: 6, maximum: 6, numeric: true, label: "生产日期"),
        "12": .init(fixed: 6, maximum: 6, numeric: true, label: "付款截止日期"),
        "13": .init(fixed: 6, maximum: 6, numeric: true, label: "包装日期"),
        "15": .init(fixed: 6, maximum: 6, numeric: true, label: "保质期"),
        "16": .init(fixed: 6, maximum: 6, numeric: true, label: "销售截止日期"),
        "17": .init(fixed: 6, maximum: 6, numeric: true, label: "失效日期"),
        "20": .init(fixed: 2, maximum: 2, numeric: true, label: "产品变体"),
        "21": .init(fixed: nil, maximum: 20, numeric: false, label: "序列号"),
        "22": .init(fixed: nil, maximum: 20, numeric: false, label: "消费品变体"),
        "30": .init(fixed: nil, maximum: 8, numeric: true, label: "数量"),
        "37": .init(fixed: nil, maximum: 8, numeric: true, label: "所含贸易项目数量"),
        "240": .init(fixed: nil, maximum: 30, numeric: false, label: "附加产品标识"),
        "241": .init(fixed: nil, maximum: 30, numeric: false, label: "客户部件号"),
        "250": .init(fixed: nil, maximum: 30, numeric: false, label: "二级序列号"),
        "7003": .init(fixed: 10, maximum: 10, numeric: true, label: "有效日期时间"),
    ]

    static let groupSeparator: Character = "\u{1D}"
    static let symbologyPrefixes = ["]C1", "]d2", "]Q3", "]e0"]

    /// Reads an element string in either form, on `today` (for the dates' century).
    public static func parse(_ input: String, today: CivilDate) -> Result<GS1ElementString, Problem> {
        var text = input.trimmingCharacters(in: .whitespacesAndNewlines)
        if let prefix = symbologyPrefixes.first(where: { text.hasPrefix($0) }) { text.removeFirst(prefix.count) }
        guard !text.isEmpty else { return .failure(Problem(ai: nil, message: "条码内容为空")) }
        let read = text.first == "(" ? bracketed(text) : machine(text)
        return read.flatMap { checked($0, today: today) }
    }

    /// `(01)09506000134352(17)261231(10)ABC123`
    static func bracketed(_ text: String) -> Result<[Element], Problem> {
        var elements: [Element] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            guard rest.first == "(", let close = rest.firstIndex(of: ")") else {
                return .failure(Problem(ai: nil, message: "应用标识符应写在括号中，如 (01)"))
            }
            let ai = String(rest[rest.index(after: rest.startIndex)..<close])
            guard definitions[ai] != nil else { return .failure(Problem(ai: ai, message: "(\(ai)) 不是本平台可识别的应用标识符")) }
            rest = rest[rest.index(after: close)...]
            let end = rest.firstIndex(of: "(") ?? rest.endIndex
            elements.append(Element(ai: ai, value: String(rest[..<end])))
            rest = rest[end...]
        }
        return .success(elements)
    }

    /// `0109506000134352172612311` `0ABC123` GS `21XYZ`: each AI found by the longest known prefix,
    /// a fixed-length value taken whole, a variable one up to the next GS or the end.
    static func machine(_ text: String) -> Result<[Element], Problem> {
        var elements: [Element] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            if rest.first == groupSeparator {
                rest = rest.dropFirst()
                continue
            }
            guard let ai = (2...4).lazy.map({ String(rest.prefix($0)) }).first(where: { definitions[$0] != nil }) else {
                return .failure(Problem(ai: nil, message: "无法识别第 \(text.distance(from: text.startIndex, to: rest.startIndex) + 1) 个字符起的应用标识符"))
            }
            let definition = definitions[ai]!
            rest = rest.dropFirst(ai.count)
            if let fixed = definition.fixed {
                guard rest.count >= fixed else {
                    return .failure(Problem(ai: ai, message: "(\(ai)) \(definition.label)应为 \(fixed) 位，只有 \(rest.count) 位"))
                }
                elements.append(Element(ai: ai, value: String(rest.prefix(fixed))))
                rest = rest.dropFirst(fixed)
            } else {
                let end = rest.firstIndex(of: groupSeparator) ?? rest.endIndex
                elements.append(Element(ai: ai, value: String(rest[..<end])))
                rest = rest[end...]
            }
        }
        return .success(elements)
    }

    /// Each value against its AI's rules; each AI once; a GTIN's check digit; a date's month and day.
    static func checked(_ elements: [Element], today: CivilDate) -> Result<GS1ElementString, Problem> {
        var seen = Set<String>()
        var dates: [String: CivilDate] = [:]
        for element in elements {
            let ai = element.ai, value = element.value
            let definition = definitions[ai]!
            guard seen.insert(ai).inserted else { return .failure(Problem(ai: ai, message: "(\(ai)) \(definition.label)重复出现")) }
            guard !value.isEmpty else { return .failure(Problem(ai: ai, message: "(\(ai)) \(definition.label)为空")) }
            if let fixed = definition.fixed, value.count != fixed {
                return .failure(Problem(ai: ai, message: "(\(ai)) \(definition.label)应为 \(fixed) 位，实为 \(value.count) 位"))
            }
            if value.count > definition.maximum {
                return .failure(Problem(ai: ai, message: "(\(ai)) \(definition.label)至多 \(definition.maximum) 位，实为 \(value.count) 位"))
            }
            if definition.numeric, !value.allSatisfy({ $0.isASCII && $0.isNumber }) {
                return .failure(Problem(ai: ai, message: "(\(ai)) \(definition.label)应全为数字"))
            }
            if !definition.numeric, !value.allSatisfy(isCharacterSet82) {
                return .failure(Problem(ai: ai, message: "(\(ai)) \(definition.label)含有 GS1 不允许的字符"))
            }
            if ai == "01" || ai == "02", !GTIN.isValid(value) {
                return .failure(Problem(ai: ai, message: "(\(ai)) \(definition.label)校验位错误"))
            }
            if ["11", "12", "13", "15", "16", "17"].contains(ai) {
                guard let day = date(value, reference: today) else {
                    return .failure(Problem(ai: ai, message: "(\(ai)) \(definition.label)不是有效日期（YYMMDD）"))
                }
                dates[ai] = day
            }
        }
        return .success(GS1ElementString(elements: elements, dates: dates))
    }

    /// GS1 AI encodable character set 82: the printable ASCII letters, digits and `!"%&'()*+,-./:;<=>?_`.
    static func isCharacterSet82(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return false }
        return (0x30...0x39).contains(ascii) || (0x41...0x5A).contains(ascii) || (0x61...0x7A).contains(ascii)
            || "!\"%&'()*+,-./:;<=>?_".contains(character)
    }

    /// YYMMDD: the century by the GS1 rule (within 49 years back and 50 ahead of `reference`'s year);
    /// day 00 is the month's last day.
    public static func date(_ value: String, reference: CivilDate) -> CivilDate? {
        guard value.count == 6, let yy = Int(value.prefix(2)), let mm = Int(value.dropFirst(2).prefix(2)), let dd = Int(value.suffix(2)),
            (1...12).contains(mm)
        else { return nil }
        let current = reference.year
        var year = current - current % 100 + yy
        if year - current > 50 { year -= 100 } else if current - year >= 50 { year += 100 }
        let last = CivilDate.daysIn(month: mm, year: year)
        guard dd <= last else { return nil }
        return CivilDate(year: year, month: mm, day: dd == 0 ? last : dd)
    }
}
