import Foundation

/// The few pieces every chart shares: escaping, the palette, number formats and the frame.
public enum ChartStyle {
    /// Okabe and Ito's colour-blind-safe palette, in the order series take it.
    public static let palette = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#999999"]
    /// Five steps of one blue, light to dark, for maps (a sequential scale reads without hue).
    public static let sequential = ["#DEEBF7", "#9ECAE1", "#6BAED6", "#3182BD", "#08519C"]
    public static let text = "#1F2933"
    public static let muted = "#6B7280"
    public static let grid = "#E5E7EB"
    public static let fontFamily = "'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei','WenQuanYi Micro Hei',sans-serif"

    public static func colour(_ index: Int) -> String { palette[index % palette.count] }
}

/// How numbers are written on charts: Chinese large-number units and percentages.
public enum NumberStyle: Sendable, Equatable {
    /// 12,345
    case integer
    /// 1.2万 from 10,000 up, 3.4亿 from 100,000,000 up; smaller numbers as integers.
    case wan
    /// 53.3% (the value is a fraction: 0.533)
    case percent
    /// 56.0 (one decimal)
    case decimal

    public func format(_ value: Double) -> String {
        switch self {
        case .integer:
            return Self.grouped(Int(value.rounded()))
        case .wan:
            let magnitude = abs(value)
            if magnitude >= 100_000_000 { return Self.oneDecimal(value / 100_000_000) + "亿" }
            if magnitude >= 10_000 { return Self.oneDecimal(value / 10_000) + "万" }
            return Self.grouped(Int(value.rounded()))
        case .percent:
            return Self.oneDecimal(value * 100) + "%"
        case .decimal:
            return Self.oneDecimal(value)
        }
    }

    /// One decimal, dropping a trailing ".0" only for the large-number units.
    static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        return "\(sign)\(abs(tenths) / 10).\(abs(tenths) % 10)"
    }

    static func grouped(_ value: Int) -> String {
        let digits = String(abs(value))
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return (value < 0 ? "-" : "") + out
    }
}

/// A chart as accessible SVG: `role="img"`, a `<title>` and a `<desc>` that says in words what it shows.
public protocol Chart: Sendable {
    var title: String { get }
    /// The same information as text, for screen readers and for the page's table below the chart.
    var textAlternative: String { get }
    /// The SVG document (an element to put inline in HTML).
    func svg() -> String
}

/// Builds SVG text. Every value that came from data goes through `escape`.
struct SVGWriter {
    private(set) var body = ""

    /// Text for an element or an attribute value: markup characters as entities, and the
    /// characters XML 1.0 cannot hold at all (C0 controls other than tab and line breaks, U+FFFE,
    /// U+FFFF) dropped, so a label pasted from a spreadsheet cannot make the SVG unreadable.
    static func escape(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
            case "'": out.append(contentsOf: "&#39;".unicodeScalars)
            case "\t", "\n", "\r": out.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: continue
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// A number for an attribute: at most two decimals, no trailing zeros.
    static func number(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let sign = hundredths < 0 ? "-" : ""
        let whole = abs(hundredths) / 100, fraction = abs(hundredths) % 100
        if fraction == 0 { return "\(sign)\(whole)" }
        if fraction % 10 == 0 { return "\(sign)\(whole).\(fraction / 10)" }
        return "\(sign)\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    mutating func raw(_ text: String) { body += text }

    mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String, tooltip: String? = nil, link: String? = nil, rx: Double = 0)
    {
        open(link)
        body +=
            #"<rect x="\#(Self.number(x))" y="\#(Self.number(y))" width="\#(Self.number(max(0, width)))" height="\#(Self.number(max(0, height)))""#
        if rx > 0 { body += #" rx="\#(Self.number(rx))""# }
        body += #" fill="\#(fill)""#
        if let tooltip { body += "><title>\(Self.escape(tooltip))</title></rect>" } else { body += "/>" }
        close(link)
    }

    /// Every text's size is multiplied by this (a chart drawn for a wall, where its smallest text
    /// must still be read from across the room).
    var textScale: Double = 1

    mutating func text(
        _ text: String, x: Double, y: Double, anchor: String = "start", size: Double = 12, fill: String = ChartStyle.text, weight: String? = nil
    ) {
        body +=
            #"<text x="\#(Self.number(x))" y="\#(Self.number(y))" text-anchor="\#(anchor)" font-size="\#(Self.number(size * textScale))" fill="\#(fill)""#
        if let weight { body += #" font-weight="\#(weight)""# }
        body += ">\(Self.escape(text))</text>"
    }

    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String = ChartStyle.grid, width: Double = 1) {
        body +=
            #"<line x1="\#(Self.number(x1))" y1="\#(Self.number(y1))" x2="\#(Self.number(x2))" y2="\#(Self.number(y2))" stroke="\#(stroke)" stroke-width="\#(Self.number(width))"/>"#
    }

    mutating func path(
        _ d: String, fill: String, stroke: String? = nil, strokeWidth: Double = 2, opacity: Double? = nil, tooltip: String? = nil, link: String? = nil
    ) {
        open(link)
        body += #"<path d="\#(d)" fill="\#(fill)""#
        if let stroke { body += #" stroke="\#(stroke)" stroke-width="\#(Self.number(strokeWidth))" stroke-linejoin="round""# }
        if let opacity { body += #" fill-opacity="\#(Self.number(opacity))""# }
        if let tooltip { body += "><title>\(Self.escape(tooltip))</title></path>" } else { body += "/>" }
        close(link)
    }

    private mutating func open(_ link: String?) {
        if let link { body += #"<a href="\#(Self.escape(link))">"# }
    }

    private mutating func close(_ link: String?) {
        if link != nil { body += "</a>" }
    }

    /// The whole document around `body`: sized, labelled and described.
    static func document(id: String, title: String, description: String, width: Double, height: Double, background: String? = nil, body: String)
        -> String
    {
        var out = #"<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 \#(number(width)) \#(number(height))""#
        out += #" width="\#(number(width))" height="\#(number(height))" aria-labelledby="\#(id)-title \#(id)-desc""#
        out += #" font-family="\#(ChartStyle.fontFamily)">"#
        out += #"<title id="\#(id)-title">\#(escape(title))</title><desc id="\#(id)-desc">\#(escape(description))</desc>"#
        if let background { out += #"<rect width="100%" height="100%" fill="\#(background)"/>"# }
        return out + body + "</svg>"
    }

    /// A stable id for a chart's title and description, from its title.
    static func id(for title: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in title.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return "chart-" + String(hash % 0xFFFF_FFFF, radix: 36)
    }
}
