/// The Yangtze River Delta as four tiles placed roughly where the provinces lie (江苏 north, 安徽
/// west, 上海 east, 浙江 south), each coloured by a measure on the sequential scale, with its figures
/// and its cities that hold data; lines between the tiles as wide as the links between the two
/// provinces. A tile drawn `muted` is outside the reader's part (a partner sees its own province).
/// `compact` draws it for the big screen's side panel (about 500 px wide, nothing under 18 px): each
/// tile its name, the measure's number and two short lines in large type, no cities, a one-line legend.
public struct DeltaTileMap: Chart {
    public struct Province: Sendable, Equatable {
        /// SH, JS, ZJ, AH.
        public var code: String
        public var name: String
        /// The measure the colour shows.
        public var value: Double
        /// Further lines under the measure, e.g. "在审申报 12 件".
        public var lines: [String]
        /// Cities with data, by name, the largest first (four at most are drawn).
        public var cities: [(name: String, value: Double)]
        public var muted: Bool
        public var link: String?

        public init(
            code: String, name: String, value: Double, lines: [String] = [], cities: [(name: String, value: Double)] = [], muted: Bool = false,
            link: String? = nil
        ) {
            self.code = code
            self.name = name
            self.value = value
            self.lines = lines
            self.cities = cities
            self.muted = muted
            self.link = link
        }

        public static func == (lhs: Province, rhs: Province) -> Bool {
            (lhs.code, lhs.name, lhs.value, lhs.lines, lhs.muted, lhs.link) == (rhs.code, rhs.name, rhs.value, rhs.lines, rhs.muted, rhs.link)
                && lhs.cities.map(\.name) == rhs.cities.map(\.name) && lhs.cities.map(\.value) == rhs.cities.map(\.value)
        }
    }

    /// Links between two provinces.
    public struct Flow: Sendable, Equatable {
        public var from: String
        public var to: String
        public var value: Double

        public init(from: String, to: String, value: Double) {
            self.from = from
            self.to = to
            self.value = value
        }
    }

    /// Each province's place on a 3 × 3 grid (column, row).
    public static let layout: [(code: String, column: Int, row: Int)] = [("JS", 1, 0), ("AH", 0, 1), ("SH", 2, 1), ("ZJ", 1, 2)]

    public var title: String
    public var measure: String
    public var provinces: [Province]
    public var flows: [Flow]
    /// What a flow's number counts, e.g. 委托生产关系.
    public var flowMeasure: String
    public var dark: Bool
    public var textScale: Double
    public var compact: Bool

    public init(
        title: String, measure: String, provinces: [Province], flows: [Flow], flowMeasure: String, dark: Bool = false, textScale: Double = 1,
        compact: Bool = false
    ) {
        self.title = title
        self.measure = measure
        self.provinces = provinces
        self.flows = flows
        self.flowMeasure = flowMeasure
        self.dark = dark
        self.textScale = textScale
        self.compact = compact
    }

    /// The sizes a map is drawn at: a tile's size and the gaps between tiles; each text's size and its
    /// baseline below the tile's top; a flow's number in a box of its own.
    struct Geometry {
        var width: Double, height: Double, gapX: Double, gapY: Double
        var nameSize: Double, valueSize: Double, valueBold: Bool, headBaseline: Double
        var lineSize: Double, firstLine: Double, lineStep: Double
        /// Cities drawn under the lines, two a row; none on the compact map.
        var citySize: Double?
        var flowSize: Double, flowBox: (width: Double, height: Double)
        /// The legend's size, its baseline below the tiles and the margin under it (before `textScale`).
        var legendSize: Double, legendGap: Double, legendBottom: Double

        static let page = Geometry(
            width: 210, height: 132, gapX: 46, gapY: 40, nameSize: 15, valueSize: 13, valueBold: false, headBaseline: 22, lineSize: 11,
            firstLine: 44, lineStep: 17, citySize: 10, flowSize: 12, flowBox: (44, 20), legendSize: 11, legendGap: 14, legendBottom: 10)
        /// 3 × 150 + 2 × 16 + 2 × 8 = 498: the screen's side panel without scaling.
        static let compact = Geometry(
            width: 150, height: 96, gapX: 16, gapY: 18, nameSize: 20, valueSize: 26, valueBold: true, headBaseline: 29, lineSize: 18,
            firstLine: 60, lineStep: 26, citySize: nil, flowSize: 18, flowBox: (48, 28), legendSize: 18, legendGap: 26, legendBottom: 8)
    }

    /// The colour step (0–4) of a value: equal fifths of the largest; 0 stays the lightest.
    func step(_ value: Double) -> Int {
        let maximum = provinces.filter { !$0.muted }.map(\.value).max() ?? 0
        guard maximum > 0, value > 0 else { return 0 }
        return min(4, Int((value / maximum * 5).rounded(.up)) - 1)
    }

    public var textAlternative: String {
        let shown = provinces.filter { !$0.muted }
        let parts = shown.map { province in
            "\(province.name) \(measure) \(NumberStyle.integer.format(province.value))"
                + (province.lines.isEmpty ? "" : "，" + province.lines.joined(separator: "，"))
        }
        let names = Dictionary(provinces.map { ($0.code, $0.name) }, uniquingKeysWith: { first, _ in first })
        let flows = self.flows.filter { $0.value > 0 }.map {
            "\(names[$0.from] ?? $0.from)—\(names[$0.to] ?? $0.to) \(NumberStyle.integer.format($0.value))"
        }
        return "\(title)：" + parts.joined(separator: "；") + (flows.isEmpty ? "" : "。\(flowMeasure)：" + flows.joined(separator: "；"))
    }

    public func svg() -> String {
        var svg = SVGWriter()
        svg.textScale = textScale
        let shape = compact ? Geometry.compact : .page
        let (width, height, gapX, gapY) = (shape.width, shape.height, shape.gapX, shape.gapY)
        let left: Double = 8, top: Double = 8
        let ink = dark ? "#E5E7EB" : ChartStyle.text
        let muted = dark ? "#9CA3AF" : ChartStyle.muted
        func origin(_ code: String) -> (x: Double, y: Double)? {
            guard let place = Self.layout.first(where: { $0.code == code }) else { return nil }
            return (left + Double(place.column) * (width + gapX), top + Double(place.row) * (height + gapY))
        }
        // The flows first, so the tiles cover their ends; each labelled at its middle.
        let largest = flows.map(\.value).max() ?? 0
        for flow in flows where flow.value > 0 {
            guard let a = origin(flow.from), let b = origin(flow.to) else { continue }
            let (x1, y1, x2, y2) = (a.x + width / 2, a.y + height / 2, b.x + width / 2, b.y + height / 2)
            svg.line(x1: x1, y1: y1, x2: x2, y2: y2, stroke: ChartStyle.palette[1], width: 2 + 10 * flow.value / max(largest, 1))
            // The two lines between opposite tiles (安徽—上海, 江苏—浙江) cross at the grid's centre: their
            // numbers sit a third of the way along instead, so that neither hides the other.
            let opposite = abs(a.x - b.x) > width + gapX || abs(a.y - b.y) > height + gapY
            let along = opposite ? 0.3 : 0.5
            let (mx, my) = (x1 + (x2 - x1) * along, y1 + (y2 - y1) * along)
            let box = shape.flowBox
            svg.rect(
                x: mx - box.width / 2, y: my - box.height / 2 - 1, width: box.width, height: box.height, fill: dark ? "#1F2937" : "#FFFFFF", rx: 4)
            svg.text(
                NumberStyle.integer.format(flow.value), x: mx, y: my + shape.flowSize / 3, anchor: "middle", size: shape.flowSize, fill: ink,
                weight: "bold")
        }
        let byCode = Dictionary(provinces.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        for place in Self.layout {
            guard let (x, y) = origin(place.code), let province = byCode[place.code] else { continue }
            let colourStep = province.muted ? 0 : step(province.value)
            let fill = province.muted ? (dark ? "#1F2937" : "#F3F4F6") : ChartStyle.sequential[colourStep]
            let text = province.muted ? muted : colourStep >= 3 ? "#FFFFFF" : ChartStyle.text
            svg.rect(
                x: x, y: y, width: width, height: height, fill: fill,
                tooltip: province.muted ? province.name : "\(province.name) · \(measure)：\(NumberStyle.integer.format(province.value))",
                link: province.muted ? nil : province.link, rx: 8)
            svg.text(province.name, x: x + 10, y: y + shape.headBaseline, size: shape.nameSize, fill: text, weight: "bold")
            guard !province.muted else { continue }
            // The page names the measure beside its number; the compact map's legend names it once.
            let value = NumberStyle.integer.format(province.value)
            svg.text(
                compact ? value : "\(measure) \(value)", x: x + width - 10, y: y + shape.headBaseline, anchor: "end", size: shape.valueSize,
                fill: text,
                weight: shape.valueBold ? "bold" : nil)
            var lineY = y + shape.firstLine
            for line in province.lines.prefix(2) {
                svg.text(line, x: x + 10, y: lineY, size: shape.lineSize, fill: text)
                lineY += shape.lineStep
            }
            guard let citySize = shape.citySize else { continue }
            let cities = province.cities.prefix(4).map { "\($0.name) \(NumberStyle.integer.format($0.value))" }
            for (index, pair) in stride(from: 0, to: cities.count, by: 2).enumerated() {
                let row = cities[pair..<min(pair + 2, cities.count)].joined(separator: " · ")
                svg.text(row, x: x + 10, y: lineY + 4 + Double(index) * 16, size: citySize, fill: text)
            }
        }
        let legendY = top + 3 * height + 2 * gapY + shape.legendGap
        let legend =
            compact
            ? "颜色：\(measure)（越深越多）；连线：两省间\(flowMeasure)" : "颜色：\(measure)（越深越多）；连线粗细和数字：两省之间的\(flowMeasure)"
        svg.text(legend, x: left, y: legendY, size: shape.legendSize, fill: muted)
        let totalWidth = left * 2 + 3 * width + 2 * gapX
        return SVGWriter.document(
            id: SVGWriter.id(for: title + measure), title: title, description: textAlternative, width: totalWidth,
            height: legendY + shape.legendBottom * textScale, background: dark ? "#0B1220" : nil, body: svg.body)
    }
}
