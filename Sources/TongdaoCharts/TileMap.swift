/// Shanghai's 16 districts as equal tiles, each placed roughly where the district lies (north up),
/// coloured by a measure on a five-step sequential scale, labelled in Chinese, linked to the
/// district's own view.
public struct DistrictTileMap: Chart {
    public struct Tile: Sendable, Equatable {
        /// GB/T 2260 code, e.g. 310115.
        public var code: String
        public var value: Double
        public var link: String?

        public init(code: String, value: Double, link: String? = nil) {
            self.code = code
            self.value = value
            self.link = link
        }
    }

    /// Each district's name and its place on a 5 × 4 grid (column, row).
    public static let layout: [(code: String, name: String, column: Int, row: Int)] = [
        ("310114", "嘉定区", 1, 0), ("310113", "宝山区", 2, 0), ("310151", "崇明区", 4, 0),
        ("310118", "青浦区", 0, 1), ("310107", "普陀区", 1, 1), ("310106", "静安区", 2, 1), ("310109", "虹口区", 3, 1), ("310110", "杨浦区", 4, 1),
        ("310117", "松江区", 0, 2), ("310105", "长宁区", 1, 2), ("310104", "徐汇区", 2, 2), ("310101", "黄浦区", 3, 2), ("310115", "浦东新区", 4, 2),
        ("310116", "金山区", 0, 3), ("310112", "闵行区", 2, 3), ("310120", "奉贤区", 3, 3),
    ]

    public var title: String
    /// What the colour measures, e.g. 在研产品.
    public var measure: String
    public var tiles: [Tile]
    public var numberStyle: NumberStyle
    /// Dark tiles and light text, for the big screen.
    public var dark: Bool
    /// Every text's size is multiplied by this (the big screen's map).
    public var textScale: Double

    public init(
        title: String, measure: String, tiles: [Tile], numberStyle: NumberStyle = .integer, dark: Bool = false, textScale: Double = 1
    ) {
        self.title = title
        self.measure = measure
        self.tiles = tiles
        self.numberStyle = numberStyle
        self.dark = dark
        self.textScale = textScale
    }

    private var values: [String: Tile] { Dictionary(tiles.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first }) }

    /// The colour step (0–4) of a value: equal fifths of the largest value; 0 stays the lightest.
    func step(_ value: Double) -> Int {
        let maximum = tiles.map(\.value).max() ?? 0
        guard maximum > 0, value > 0 else { return 0 }
        return min(4, Int((value / maximum * 5).rounded(.up)) - 1)
    }

    public var textAlternative: String {
        let values = self.values
        let ranked = Self.layout.map { ($0.name, values[$0.code]?.value ?? 0) }.sorted { ($0.1, $1.0) > ($1.1, $0.0) }
        return "\(title)（\(measure)）：" + ranked.map { "\($0.0) \(numberStyle.format($0.1))" }.joined(separator: "；")
    }

    public func svg() -> String {
        var svg = SVGWriter()
        svg.textScale = textScale
        let size: Double = 92, gap: Double = 6, left: Double = 8, top: Double = 8
        let values = self.values
        for district in Self.layout {
            let value = values[district.code]?.value ?? 0
            let x = left + Double(district.column) * (size + gap), y = top + Double(district.row) * (size + gap)
            let colourStep = step(value)
            svg.rect(
                x: x, y: y, width: size, height: size, fill: ChartStyle.sequential[colourStep],
                tooltip: "\(district.name) · \(measure)：\(numberStyle.format(value))", link: values[district.code]?.link, rx: 6)
            let ink = colourStep >= 3 ? "#FFFFFF" : ChartStyle.text
            svg.text(district.name, x: x + size / 2, y: y + size / 2 - 4, anchor: "middle", size: 13, fill: ink, weight: "bold")
            svg.text(numberStyle.format(value), x: x + size / 2, y: y + size / 2 + 16 * textScale, anchor: "middle", size: 13, fill: ink)
        }
        // The scale, under the grid.
        let maximum = tiles.map(\.value).max() ?? 0
        let scaleY = top + 4 * (size + gap) + 10
        // The scale starts after the measure's name, as wide as that is at the text's size.
        let scaleX = left + max(96, Double(measure.count + 1) * 11 * textScale + 8)
        svg.text("\(measure)：", x: left, y: scaleY + 11, size: 11, fill: dark ? "#E5E7EB" : ChartStyle.muted)
        for (index, colour) in ChartStyle.sequential.enumerated() {
            svg.rect(x: scaleX + Double(index) * 34, y: scaleY, width: 34, height: 14, fill: colour)
        }
        let numbersY = scaleY + 14 + 14 * textScale
        svg.text(numberStyle.format(0), x: scaleX, y: numbersY, size: 10, fill: dark ? "#E5E7EB" : ChartStyle.muted)
        svg.text(
            numberStyle.format(maximum), x: scaleX + 5 * 34, y: numbersY, anchor: "end", size: 10, fill: dark ? "#E5E7EB" : ChartStyle.muted)
        let width = left * 2 + 5 * size + 4 * gap
        return SVGWriter.document(
            id: SVGWriter.id(for: title + measure), title: title, description: textAlternative, width: width, height: numbersY + 8,
            background: dark ? "#0B1220" : nil, body: svg.body)
    }
}
