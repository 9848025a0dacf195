import Foundation
import Testing
#if canImport(FoundationXML)
    import FoundationXML
#endif
import TongdaoTestSupport

@testable import TongdaoCharts

@Suite("Charts as accessible SVG")
struct ChartTests {
    /// One element a line, so that a snapshot's diff shows what moved.
    static func expectSnapshot(_ chart: some Chart, named name: String, sourceFile: String = #filePath) throws {
        let svg = chart.svg().replacingOccurrences(of: "><", with: ">\n<") + "\n"
        let outcome = try Snapshot.compare(svg, named: "\(name).svg", sourceFile: sourceFile)
        #expect(outcome == .matches, "\(outcome)")
    }

    /// Whether `svg` is a well-formed XML document, as an image file or a strict XML reader needs it.
    static func isWellFormedXML(_ svg: String) -> Bool {
        XMLParser(data: Data(svg.utf8)).parse()
    }

    /// Every chart is an image with a title and a description that carries the text alternative.
    static func expectAccessible(_ chart: some Chart) {
        let svg = chart.svg()
        #expect(Self.isWellFormedXML(svg), "well-formed XML")
        #expect(svg.hasPrefix(#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img""#))
        #expect(svg.contains("<title id=") && svg.contains("<desc id=") && svg.contains(#"aria-labelledby=""#))
        #expect(svg.contains(SVGWriter.escape(chart.textAlternative)), "the description is the text alternative")
        #expect(!svg.contains("http://") || svg.components(separatedBy: "http://").count == 2, "no link out but the namespace")
    }

    static let districts = BarChart(
        title: "各区在研产品",
        bars: [
            .init("浦东新区", [412], link: "/products?district=310115"), .init("徐汇区", [96], link: "/products?district=310104"),
            .init("闵行区", [58]), .init("<测试>", [0]),
        ])

    @Test("numbers in Chinese units and percentages")
    func numbers() {
        #expect(NumberStyle.integer.format(1_234_567) == "1,234,567")
        #expect(NumberStyle.wan.format(9_999) == "9,999")
        #expect(NumberStyle.wan.format(12_345) == "1.2万")
        #expect(NumberStyle.wan.format(1_000_000) == "100.0万")
        #expect(NumberStyle.wan.format(350_000_000) == "3.5亿")
        #expect(NumberStyle.percent.format(0.533) == "53.3%")
        #expect(NumberStyle.decimal.format(56) == "56.0")
        #expect(NumberStyle.integer.format(-1_200) == "-1,200")
        #expect([0, 3, 5, 22, 99, 412, 4_001].map { axisMaximum($0, integral: true) } == [4, 4, 8, 24, 100, 480, 4_800])
        #expect([0.9, 56, 61].map { axisMaximum($0, integral: false) } == [1, 60, 80])
    }

    @Test("horizontal bars: one per item, linked to the list behind it, labels escaped, the values in words")
    func horizontalBars() throws {
        let svg = Self.districts.svg()
        #expect(svg.components(separatedBy: "<rect").count - 1 == 3, "a bar for each non-zero value")
        #expect(svg.contains(#"<a href="/products?district=310115"><rect"#))
        #expect(svg.contains("&lt;测试&gt;") && !svg.contains("<测试>"))
        #expect(Self.districts.textAlternative == "各区在研产品：浦东新区 412；徐汇区 96；闵行区 58；<测试> 0")
        Self.expectAccessible(Self.districts)
        try Self.expectSnapshot(Self.districts, named: "bar-horizontal")
    }

    @Test("labels pasted with control characters XML cannot hold still make a well-formed SVG; tabs and line breaks stay")
    func controlCharacters() {
        let chart = BarChart(title: "标题\u{0}", bars: [.init("浦东\u{1B}新区\u{FFFE}", [3]), .init("徐汇\t区", [2])])
        let svg = chart.svg()
        #expect(Self.isWellFormedXML(svg))
        #expect(svg.contains(">浦东新区</text>") && svg.contains("徐汇\t区") && svg.contains("<title id=") && !svg.contains("\u{0}"))
        #expect(
            !Self.isWellFormedXML(#"<svg xmlns="http://www.w3.org/2000/svg"><text>a\#u{1B}b</text></svg>"#), "the reader refuses the raw character")
        #expect(SVGWriter.escape("a\u{7}b\r\nc<\u{FFFF}") == "ab\r\nc&lt;")
    }

    @Test("stacked vertical bars carry a legend and each segment's value")
    func stackedBars() throws {
        let chart = BarChart(
            title: "审评量（按审评机构）", series: ["上海市药监局", "器审中心"],
            bars: (1...6).map { .init("2026-0\($0)", [Double($0 * 3), Double(10 - $0)]) }, orientation: .vertical, labelEvery: 2)
        let svg = chart.svg()
        #expect(svg.contains("<title>2026-03 · 器审中心：7</title>"))
        #expect(svg.contains(">上海市药监局</text>") && svg.contains(">器审中心</text>"))
        #expect(chart.textAlternative.hasPrefix("审评量（按审评机构）：2026-01 12（上海市药监局3，器审中心9）"))
        Self.expectAccessible(chart)
        try Self.expectSnapshot(chart, named: "bar-stacked")
    }

    @Test("grouped bars, for series that overlap: each value beside the other, with its own number, and no sum anywhere")
    func groupedBars() throws {
        let bars: [BarChart.Bar] = [.init("器审中心", [3, 5]), .init("上海市药监局", [40, 62])]
        let grouped = BarChart(title: "审评量", series: ["在审", "本年受理"], bars: bars, layout: .grouped)
        #expect(grouped.textAlternative == "审评量：器审中心：在审3，本年受理5；上海市药监局：在审40，本年受理62")
        let svg = grouped.svg()
        for number in ["3", "5", "40", "62"] { #expect(svg.contains(">\(number)</text>"), "each value has its number") }
        #expect(!svg.contains(">8</text>") && !svg.contains(">102</text>"), "no bar shows the sum of overlapping series")
        // The stacked layout of the same bars does show the totals: the two are different charts.
        let stacked = BarChart(title: "审评量", series: ["在审", "本年受理"], bars: bars)
        #expect(stacked.svg().contains(">102</text>") && stacked.textAlternative.contains("上海市药监局 102（"))
        // The vertical grouped layout puts the two bars of a group side by side, from the same baseline.
        let vertical = BarChart(title: "审评量", series: ["在审", "本年受理"], bars: bars, orientation: .vertical, layout: .grouped).svg()
        #expect(vertical.components(separatedBy: "<rect").count - 1 == 4 + 2, "four bars and two legend keys")
        Self.expectAccessible(grouped)
    }

    @Test("a chart drawn for the wall multiplies every text's size and nothing else")
    func textScale() {
        let plain = BarChart(title: "近 36 个月受理量", bars: [.init("2026-01", [4])], orientation: .vertical)
        var large = plain
        large.textScale = 1.5
        let sizes = { (svg: String) in svg.components(separatedBy: #"font-size=""#).dropFirst().compactMap { Double($0.prefix { $0 != "\"" }) } }
        #expect(sizes(large.svg()) == sizes(plain.svg()).map { $0 * 1.5 } && !sizes(plain.svg()).isEmpty)
        var gauge = GaugeChart(title: "按期率", value: 78, maximum: 84, caption: "未超期 / 在审")
        gauge.textScale = 1.5
        gauge.width = 506
        #expect(gauge.svg().contains(#"viewBox="0 0 506 "#) && gauge.svg().contains(#"x="253""#), "the ring stays in the middle")
    }

    @Test("lines with an area and a statutory-limit reference; a gap breaks the line")
    func lines() throws {
        let chart = LineChart(
            title: "第二类首次注册平均审评用时（工作日）", labels: ["2026Q1", "2026Q2", "2026Q3", "2026Q4"],
            series: [.init("平均用时", [56, 48.5, nil, 52])], area: true, reference: ("法定时限", 60), numberStyle: .decimal)
        let svg = chart.svg()
        #expect(svg.components(separatedBy: "<circle").count - 1 == 3, "a point for each value, none for the gap")
        #expect(svg.components(separatedBy: ##"fill="none" stroke="#0072B2""##).count - 1 == 2, "two runs either side of the gap")
        #expect(svg.contains("stroke-dasharray") && svg.contains(">法定时限 60.0</text>"))
        #expect(chart.textAlternative == "第二类首次注册平均审评用时（工作日）。平均用时：2026Q1 56.0，2026Q2 48.5，2026Q4 52.0；法定时限 60.0")
        Self.expectAccessible(chart)
        try Self.expectSnapshot(chart, named: "line-area")
    }

    @Test("a donut's shares add up; one slice is a whole ring; an empty donut says so")
    func donut() throws {
        let chart = DonutChart(
            title: "重点领域", slices: [.init("人工智能", 30), .init("手术机器人", 10, link: "/products?keyArea=surgical_robot"), .init("康复", 0)])
        #expect(chart.textAlternative == "重点领域（合计 40）：人工智能 30（75.0%）；手术机器人 10（25.0%）；康复 0（0.0%）")
        #expect(chart.svg().components(separatedBy: "<path").count - 1 == 2)
        #expect(DonutChart(title: "单一", slices: [.init("全部", 5)]).svg().contains(" a80 80 0 1 0 160 0 "))
        #expect(DonutChart(title: "空", slices: []).textAlternative == "空（合计 0）：暂无数据")
        Self.expectAccessible(chart)
        try Self.expectSnapshot(chart, named: "donut")
    }

    @Test("a funnel lists the stages in order, widest bar for the largest count")
    func funnel() throws {
        let chart = FunnelChart(
            title: "研发管线",
            stages: [
                .init("注册意向", 320, link: "/products?stage=intention"), .init("型式检验", 180), .init("临床试验", 90), .init("审批", 12),
            ])
        #expect(chart.textAlternative == "研发管线：注册意向 320 → 型式检验 180 → 临床试验 90 → 审批 12")
        let svg = chart.svg()
        #expect(svg.contains(#"width="300" height="22""#), "the largest stage fills the plot")
        Self.expectAccessible(chart)
        try Self.expectSnapshot(chart, named: "funnel")
    }

    @Test("a gauge shows its share of the maximum as a rate, never the count, and never more than full")
    func gauge() throws {
        let chart = GaugeChart(title: "本年审批进度", value: 45, maximum: 60, caption: "已批准 / 年度目标")
        #expect(chart.fraction == 0.75)
        #expect(GaugeChart(title: "超额", value: 90, maximum: 60, caption: "").fraction == 1)
        #expect(chart.textAlternative == "本年审批进度：75.0%（45 / 60）。已批准 / 年度目标")
        #expect(chart.svg().contains(">75.0%</text>") && !chart.svg().contains(">45</text>"))
        // 78 of 84 on time: 92.9%, not "78"
        let onTime = GaugeChart(title: "在审事项按期率", value: 78, maximum: 84, caption: "")
        #expect(onTime.headline == "92.9%" && onTime.svg().contains(">92.9%</text>"))
        #expect(GaugeChart(title: "无", value: 0, maximum: 0, caption: "").headline == "—")
        Self.expectAccessible(chart)
        try Self.expectSnapshot(chart, named: "gauge")
    }

    @Test("the district map: all 16 districts once, coloured by fifths of the largest value, labelled and linked")
    func tileMap() throws {
        #expect(DistrictTileMap.layout.count == 16 && Set(DistrictTileMap.layout.map(\.code)).count == 16)
        let places = DistrictTileMap.layout.map { "\($0.column),\($0.row)" }
        #expect(Set(places).count == 16, "no two districts share a tile")
        let chart = DistrictTileMap(
            title: "各区在研产品", measure: "在研产品",
            tiles: [
                .init(code: "310115", value: 400, link: "/dashboard?district=310115"), .init(code: "310104", value: 100),
                .init(code: "310112", value: 321),
            ])
        #expect([0, 1, 80, 81, 160, 320, 321, 400].map(chart.step) == [0, 0, 0, 1, 1, 3, 4, 4])
        let svg = chart.svg()
        #expect(svg.components(separatedBy: "<rect").count - 1 == 16 + 5, "16 tiles and a five-step scale")
        #expect(svg.contains("<title>浦东新区 · 在研产品：400</title>") && svg.contains(#"<a href="/dashboard?district=310115">"#))
        #expect(svg.contains(">崇明区</text>") && svg.contains("<title>崇明区 · 在研产品：0</title>"))
        #expect(chart.textAlternative.hasPrefix("各区在研产品（在研产品）：浦东新区 400；闵行区 321；徐汇区 100；"))
        Self.expectAccessible(chart)
        try Self.expectSnapshot(chart, named: "tile-map")
        #expect(
            DistrictTileMap(title: "大屏", measure: "在研产品", tiles: [], dark: true).svg().contains(
                ##"<rect width="100%" height="100%" fill="#0B1220"/>"##))
    }

    @Test("the Delta map: four provinces placed once, a flow as wide as its share of the largest, a partner's view muting the others' figures")
    func deltaMap() throws {
        #expect(Set(DeltaTileMap.layout.map(\.code)) == ["SH", "JS", "ZJ", "AH"])
        #expect(Set(DeltaTileMap.layout.map { "\($0.column),\($0.row)" }).count == 4, "no two provinces share a tile")
        let chart = DeltaTileMap(
            title: "长三角协同地图", measure: "委托关系",
            provinces: [
                .init(code: "SH", name: "上海市", value: 200, lines: ["涉及企业 126 家"], link: "/delta?province=SH"),
                .init(code: "JS", name: "江苏省", value: 72, lines: ["涉及企业 24 家"], cities: [("苏州市", 8), ("南京市", 4), ("无锡市", 3)]),
                .init(code: "ZJ", name: "浙江省", value: 71), .init(code: "AH", name: "安徽省", value: 0, muted: true),
            ],
            flows: [.init(from: "SH", to: "JS", value: 60), .init(from: "SH", to: "ZJ", value: 30), .init(from: "JS", to: "AH", value: 0)],
            flowMeasure: "委托生产关系")
        #expect([0, 1, 40, 41, 200].map(chart.step) == [0, 0, 0, 1, 4])
        let svg = chart.svg()
        #expect(svg.contains(#"stroke-width="12""#) && svg.contains(#"stroke-width="7""#), "60 of 60 is 2 + 10, 30 of 60 is 2 + 5")
        #expect(svg.components(separatedBy: "<line").count - 1 == 2, "a flow of nothing is not drawn")
        #expect(svg.contains(">苏州市 8 · 南京市 4</text>") && svg.contains(#"<a href="/delta?province=SH">"#))
        #expect(svg.contains("<title>安徽省</title>") && !svg.contains("安徽省 · 委托关系"), "a muted province shows its name only")
        let crossing = DeltaTileMap(
            title: "交叉", measure: "委托关系", provinces: chart.provinces,
            flows: [.init(from: "AH", to: "SH", value: 5), .init(from: "JS", to: "ZJ", value: 3)], flowMeasure: "委托生产关系"
        ).svg()
        let labels = crossing.components(separatedBy: #"<rect x=""#).dropFirst().prefix(2).map { $0.prefix(while: { $0 != "\"" }) }
        #expect(labels.count == 2 && labels[0] != labels[1], "the numbers of two crossing lines do not sit on one point: \(labels)")
        #expect(chart.textAlternative.hasPrefix("长三角协同地图：上海市 委托关系 200，涉及企业 126 家；江苏省 委托关系 72") && !chart.textAlternative.contains("安徽省 委托关系"))
        Self.expectAccessible(chart)
        try Self.expectSnapshot(chart, named: "delta-map")

        // The big screen's map: 498 wide (its panel's width, unscaled), no text under 18, no cities.
        var screen = chart
        screen.compact = true
        screen.dark = true
        let drawn = screen.svg()
        #expect(drawn.contains(#"viewBox="0 0 498 "#), "3 tiles of 150, 2 gaps of 16 and margins of 8")
        let sizes = drawn.components(separatedBy: #"font-size=""#).dropFirst().compactMap { Double($0.prefix(while: { $0 != "\"" })) }
        #expect(!sizes.isEmpty && sizes.allSatisfy { $0 >= 18 }, "every text at 18 or more: \(sizes)")
        #expect(!drawn.contains("苏州市") && drawn.contains(">200</text>") && !drawn.contains(">委托关系 200</text>"))
        #expect(drawn.contains(">颜色：委托关系（越深越多）；连线：两省间委托生产关系</text>"))
        Self.expectAccessible(screen)
        try Self.expectSnapshot(screen, named: "delta-map-screen")
    }
}
