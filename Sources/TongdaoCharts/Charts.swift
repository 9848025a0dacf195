import Foundation

/// The end of an axis with four ticks: four times a round step at or above a quarter of `value`.
/// Steps are whole numbers when the numbers on the chart are (`integral`).
func axisMaximum(_ value: Double, integral: Bool) -> Double {
    guard value > 0 else { return 4 }
    let step = value / 4
    let power = pow(10, floor(log10(step)))
    let multiples: [Double] = integral && power <= 1 ? [1, 2, 3, 4, 5, 6, 8, 10] : [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]
    let base = integral ? max(1, power) : power
    for multiple in multiples where multiple * base >= step - 1e-9 { return 4 * multiple * base }
    return 40 * base
}

/// Five ticks from 0 to `maximum`.
func ticks(_ maximum: Double) -> [Double] { (0...4).map { maximum * Double($0) / 4 } }

extension NumberStyle {
    /// Whether the numbers shown are whole.
    var integral: Bool { self == .integer || self == .wan }
}

/// A legend row for several series, at the top of a chart.
private func legend(_ series: [String], into svg: inout SVGWriter, x: Double, y: Double) {
    guard series.count > 1 else { return }
    var left = x
    for (index, name) in series.enumerated() {
        svg.rect(x: left, y: y - 9, width: 10, height: 10, fill: ChartStyle.colour(index))
        svg.text(name, x: left + 14, y: y, size: 11, fill: ChartStyle.muted)
        left += 22 + Double(name.count) * 11
    }
}

/// A labelled value, linked to the list behind it: a donut's slice, a funnel's stage.
public struct ChartItem: Sendable, Equatable {
    public var label: String
    public var value: Double
    public var link: String?

    public init(_ label: String, _ value: Double, link: String? = nil) {
        self.label = label
        self.value = value
        self.link = link
    }
}

// MARK: - Bars

/// Bars, horizontal or vertical; when each bar has a value per series, stacked (the series are parts
/// of one whole, and the bar's total means something) or grouped side by side (the series overlap,
/// so their sum would count some things twice and is shown nowhere).
public struct BarChart: Chart {
    public enum Orientation: Sendable { case horizontal, vertical }
    public enum Layout: Sendable { case stacked, grouped }

    public struct Bar: Sendable, Equatable {
        public var label: String
        /// One value per series (one for a plain bar chart).
        public var values: [Double]
        /// Where a click on the bar goes: the list behind it.
        public var link: String?

        public init(_ label: String, _ values: [Double], link: String? = nil) {
            self.label = label
            self.values = values
            self.link = link
        }

        public var total: Double { values.reduce(0, +) }
    }

    public var title: String
    public var series: [String]
    public var bars: [Bar]
    public var orientation: Orientation
    public var layout: Layout
    public var numberStyle: NumberStyle
    public var width: Double
    /// For vertical charts with many bars: label every n-th bar.
    public var labelEvery: Int
    /// For horizontal charts: the room left of the bars for their labels.
    public var labelWidth: Double
    /// For vertical charts: the height of the bars' area.
    public var plotHeight: Double
    /// Every text's size is multiplied by this (the big screen's charts).
    public var textScale: Double

    public init(
        title: String, series: [String] = [], bars: [Bar], orientation: Orientation = .horizontal, layout: Layout = .stacked,
        numberStyle: NumberStyle = .integer, width: Double = 480, labelEvery: Int = 1, labelWidth: Double = 120, plotHeight: Double = 180,
        textScale: Double = 1
    ) {
        self.title = title
        self.series = series
        self.bars = bars
        self.orientation = orientation
        self.layout = series.count > 1 ? layout : .stacked
        self.numberStyle = numberStyle
        self.width = width
        self.labelEvery = max(1, labelEvery)
        self.labelWidth = labelWidth
        self.plotHeight = plotHeight
        self.textScale = textScale
    }

    public var textAlternative: String {
        let items = bars.map { bar in
            let parts = zip(series, bar.values).map { "\($0)\(numberStyle.format($1))" }.joined(separator: "，")
            switch (series.count > 1, layout) {
            case (false, _): return "\(bar.label) \(numberStyle.format(bar.total))"
            case (true, .stacked): return "\(bar.label) \(numberStyle.format(bar.total))（\(parts)）"
            case (true, .grouped): return "\(bar.label)：\(parts)"
            }
        }
        return "\(title)：" + (items.isEmpty ? "暂无数据" : items.joined(separator: "；"))
    }

    private func tooltip(_ bar: Bar, _ index: Int) -> String {
        series.count > 1
            ? "\(bar.label) · \(series[index])：\(numberStyle.format(bar.values[index]))" : "\(bar.label)：\(numberStyle.format(bar.total))"
    }

    public func svg() -> String {
        var svg = SVGWriter()
        svg.textScale = textScale
        let top: Double = series.count > 1 ? 34 : 12
        legend(series, into: &svg, x: 8, y: 18)
        let largest = bars.map(\.total).max() ?? 0
        let height: Double
        switch orientation {
        case .horizontal where layout == .grouped:
            // One thin bar per series in each row, each with its own number; no total.
            let lane: Double = 16, rowHeight = Double(series.count) * lane + 10, right: Double = 64
            height = top + Double(max(bars.count, 1)) * rowHeight + 8
            let plot = width - labelWidth - right
            let maximum = max(bars.flatMap(\.values).max() ?? 0, 1)
            for (row, bar) in bars.enumerated() {
                let y = top + Double(row) * rowHeight
                svg.text(bar.label, x: labelWidth - 8, y: y + rowHeight / 2 + 4, anchor: "end")
                for (index, value) in bar.values.enumerated() {
                    let laneTop = y + 5 + Double(index) * lane, length = plot * value / maximum
                    if value > 0 {
                        svg.rect(
                            x: labelWidth, y: laneTop + 1, width: length, height: lane - 2, fill: ChartStyle.colour(index),
                            tooltip: tooltip(bar, index), link: bar.link)
                    }
                    svg.text(numberStyle.format(value), x: labelWidth + length + 6, y: laneTop + lane - 4, size: 11, fill: ChartStyle.muted)
                }
            }
        case .horizontal:
            let rowHeight: Double = 26, right: Double = 64
            height = top + Double(max(bars.count, 1)) * rowHeight + 8
            let plot = width - labelWidth - right
            // No axis: the longest bar fills the row.
            let maximum = max(largest, 1)
            for (row, bar) in bars.enumerated() {
                let y = top + Double(row) * rowHeight
                svg.text(bar.label, x: labelWidth - 8, y: y + 16, anchor: "end")
                var x = labelWidth
                for (index, value) in bar.values.enumerated() where value > 0 {
                    let length = plot * value / maximum
                    svg.rect(
                        x: x, y: y + 4, width: length, height: rowHeight - 8, fill: ChartStyle.colour(index), tooltip: tooltip(bar, index),
                        link: bar.link)
                    x += length
                }
                svg.text(numberStyle.format(bar.total), x: x + 6, y: y + 16, size: 11, fill: ChartStyle.muted)
            }
            if bars.isEmpty { svg.text("暂无数据", x: width / 2, y: top + 16, anchor: "middle", fill: ChartStyle.muted) }
        case .vertical:
            let left: Double = 48, bottom: Double = 28
            height = top + plotHeight + bottom
            let plot = width - left - 8
            let maximum = axisMaximum(layout == .grouped ? bars.flatMap(\.values).max() ?? 0 : largest, integral: numberStyle.integral)
            for tick in ticks(maximum) {
                let y = top + plotHeight - plotHeight * tick / maximum
                svg.line(x1: left, y1: y, x2: width - 8, y2: y)
                svg.text(numberStyle.format(tick), x: left - 6, y: y + 4, anchor: "end", size: 10, fill: ChartStyle.muted)
            }
            let slot = plot / Double(max(bars.count, 1))
            for (column, bar) in bars.enumerated() {
                let x = left + Double(column) * slot + slot * 0.15
                var y = top + plotHeight
                let barWidth = slot * 0.7 / Double(layout == .grouped ? bar.values.count : 1)
                for (index, value) in bar.values.enumerated() where value > 0 {
                    let length = plotHeight * value / maximum
                    switch layout {
                    case .stacked:
                        y -= length
                        svg.rect(
                            x: x, y: y, width: barWidth, height: length, fill: ChartStyle.colour(index), tooltip: tooltip(bar, index), link: bar.link)
                    case .grouped:
                        svg.rect(
                            x: x + Double(index) * barWidth, y: top + plotHeight - length, width: barWidth, height: length,
                            fill: ChartStyle.colour(index), tooltip: tooltip(bar, index), link: bar.link)
                    }
                }
                if column % labelEvery == 0 {
                    svg.text(bar.label, x: x + slot * 0.35, y: top + plotHeight + 16, anchor: "middle", size: 10, fill: ChartStyle.muted)
                }
            }
            if bars.isEmpty { svg.text("暂无数据", x: width / 2, y: top + plotHeight / 2, anchor: "middle", fill: ChartStyle.muted) }
        }
        return SVGWriter.document(
            id: SVGWriter.id(for: title), title: title, description: textAlternative, width: width, height: height, body: svg.body)
    }
}

// MARK: - Lines and areas

/// Values over time: one line (or filled area) per series, with an optional reference line
/// (a statutory limit, say).
public struct LineChart: Chart {
    public struct Series: Sendable, Equatable {
        public var name: String
        /// One value per label; nil where there is nothing to show (the line breaks).
        public var values: [Double?]

        public init(_ name: String, _ values: [Double?]) {
            self.name = name
            self.values = values
        }
    }

    public var title: String
    public var labels: [String]
    public var series: [Series]
    public var area: Bool
    public var reference: (label: String, value: Double)?
    public var numberStyle: NumberStyle
    public var width: Double
    public var labelEvery: Int
    /// The height of the lines' area.
    public var plotHeight: Double
    /// Every text's size is multiplied by this (the big screen's charts).
    public var textScale: Double

    public init(
        title: String, labels: [String], series: [Series], area: Bool = false, reference: (label: String, value: Double)? = nil,
        numberStyle: NumberStyle = .integer, width: Double = 480, labelEvery: Int = 1, plotHeight: Double = 180, textScale: Double = 1
    ) {
        self.title = title
        self.labels = labels
        self.series = series
        self.area = area
        self.reference = reference
        self.numberStyle = numberStyle
        self.width = width
        self.labelEvery = max(1, labelEvery)
        self.plotHeight = plotHeight
        self.textScale = textScale
    }

    public var textAlternative: String {
        let parts = series.map { series in
            let points = zip(labels, series.values).compactMap { label, value in value.map { "\(label) \(numberStyle.format($0))" } }
            return "\(series.name)：" + (points.isEmpty ? "暂无数据" : points.joined(separator: "，"))
        }
        let limit = reference.map { "；\($0.label) \(numberStyle.format($0.value))" } ?? ""
        return "\(title)。" + parts.joined(separator: "；") + limit
    }

    public func svg() -> String {
        var svg = SVGWriter()
        svg.textScale = textScale
        // Room above the plot for the reference line's label, more when the text is larger.
        let top: Double = (series.count > 1 ? 34 : 14) + 12 * (textScale - 1), left: Double = 48, bottom: Double = 28
        legend(series.map(\.name), into: &svg, x: 8, y: 18)
        let values = series.flatMap { $0.values.compactMap { $0 } } + [reference?.value ?? 0]
        let maximum = axisMaximum(values.max() ?? 0, integral: numberStyle.integral)
        let plot = width - left - 30
        for tick in ticks(maximum) {
            let y = top + plotHeight - plotHeight * tick / maximum
            svg.line(x1: left, y1: y, x2: left + plot, y2: y)
            svg.text(numberStyle.format(tick), x: left - 6, y: y + 4, anchor: "end", size: 10, fill: ChartStyle.muted)
        }
        let step = labels.count > 1 ? plot / Double(labels.count - 1) : 0
        func point(_ index: Int, _ value: Double) -> (Double, Double) {
            (left + Double(index) * step, top + plotHeight - plotHeight * value / maximum)
        }
        for (index, label) in labels.enumerated() where index % labelEvery == 0 {
            svg.text(label, x: left + Double(index) * step, y: top + plotHeight + 16, anchor: "middle", size: 10, fill: ChartStyle.muted)
        }
        for (number, series) in series.enumerated() {
            let colour = ChartStyle.colour(number)
            // Runs of consecutive values, each drawn as one path.
            var runs: [[(Int, Double)]] = [[]]
            for (index, value) in series.values.enumerated() {
                if let value { runs[runs.count - 1].append((index, value)) } else if !runs[runs.count - 1].isEmpty { runs.append([]) }
            }
            for run in runs where !run.isEmpty {
                let points = run.map { point($0.0, $0.1) }
                let d = points.enumerated().map { "\($0.offset == 0 ? "M" : "L")\(SVGWriter.number($0.element.0)) \(SVGWriter.number($0.element.1))" }
                    .joined(separator: " ")
                if area, let first = points.first, let last = points.last {
                    let base = SVGWriter.number(top + plotHeight)
                    svg.path("\(d) L\(SVGWriter.number(last.0)) \(base) L\(SVGWriter.number(first.0)) \(base) Z", fill: colour, opacity: 0.18)
                }
                svg.path(d, fill: "none", stroke: colour)
                for (index, value) in run {
                    let (x, y) = point(index, value)
                    svg.raw(
                        #"<circle cx="\#(SVGWriter.number(x))" cy="\#(SVGWriter.number(y))" r="3" fill="\#(colour)"><title>\#(SVGWriter.escape("\(series.name) · \(labels[index])：\(numberStyle.format(value))"))</title></circle>"#
                    )
                }
            }
        }
        if let reference {
            let y = top + plotHeight - plotHeight * reference.value / maximum
            svg.raw(
                #"<line x1="\#(SVGWriter.number(left))" y1="\#(SVGWriter.number(y))" x2="\#(SVGWriter.number(left + plot))" y2="\#(SVGWriter.number(y))" stroke="\#(ChartStyle.palette[3])" stroke-width="1.5" stroke-dasharray="6 4"/>"#
            )
            svg.text(
                "\(reference.label) \(numberStyle.format(reference.value))", x: left + plot, y: y - 5, anchor: "end", size: 10,
                fill: ChartStyle.palette[3])
        }
        return SVGWriter.document(
            id: SVGWriter.id(for: title), title: title, description: textAlternative, width: width, height: top + plotHeight + bottom, body: svg.body)
    }
}

// MARK: - Donut

/// Parts of a whole, as a ring with a legend.
public struct DonutChart: Chart {
    public typealias Slice = ChartItem

    public var title: String
    public var slices: [Slice]
    public var numberStyle: NumberStyle
    public var width: Double

    public init(title: String, slices: [Slice], numberStyle: NumberStyle = .integer, width: Double = 480) {
        self.title = title
        self.slices = slices
        self.numberStyle = numberStyle
        self.width = width
    }

    var total: Double { slices.map(\.value).reduce(0, +) }

    private func share(_ value: Double) -> String { total > 0 ? NumberStyle.percent.format(value / total) : "0.0%" }

    public var textAlternative: String {
        "\(title)（合计 \(numberStyle.format(total))）："
            + (slices.isEmpty ? "暂无数据" : slices.map { "\($0.label) \(numberStyle.format($0.value))（\(share($0.value))）" }.joined(separator: "；"))
    }

    public func svg() -> String {
        var svg = SVGWriter()
        let radius: Double = 80, inner: Double = 48, cx: Double = 100, cy: Double = 100
        let height = max(200, Double(slices.count) * 22 + 24)
        var angle = -Double.pi / 2
        for (index, slice) in slices.enumerated() where slice.value > 0 && total > 0 {
            let sweep = 2 * Double.pi * slice.value / total
            let tip = "\(slice.label)：\(numberStyle.format(slice.value))（\(share(slice.value))）"
            if sweep >= 2 * Double.pi - 0.0001 {
                // A single slice is the whole ring.
                let d =
                    "M\(SVGWriter.number(cx - radius)) \(SVGWriter.number(cy)) a\(SVGWriter.number(radius)) \(SVGWriter.number(radius)) 0 1 0 \(SVGWriter.number(2 * radius)) 0 a\(SVGWriter.number(radius)) \(SVGWriter.number(radius)) 0 1 0 \(SVGWriter.number(-2 * radius)) 0 "
                    + "M\(SVGWriter.number(cx - inner)) \(SVGWriter.number(cy)) a\(SVGWriter.number(inner)) \(SVGWriter.number(inner)) 0 1 1 \(SVGWriter.number(2 * inner)) 0 a\(SVGWriter.number(inner)) \(SVGWriter.number(inner)) 0 1 1 \(SVGWriter.number(-2 * inner)) 0 Z"
                svg.path(d, fill: ChartStyle.colour(index), tooltip: tip, link: slice.link)
            } else {
                let end = angle + sweep, large = sweep > Double.pi ? 1 : 0
                func at(_ r: Double, _ a: Double) -> String { "\(SVGWriter.number(cx + r * cos(a))) \(SVGWriter.number(cy + r * sin(a)))" }
                let d =
                    "M\(at(radius, angle)) A\(SVGWriter.number(radius)) \(SVGWriter.number(radius)) 0 \(large) 1 \(at(radius, end)) "
                    + "L\(at(inner, end)) A\(SVGWriter.number(inner)) \(SVGWriter.number(inner)) 0 \(large) 0 \(at(inner, angle)) Z"
                svg.path(d, fill: ChartStyle.colour(index), tooltip: tip, link: slice.link)
            }
            angle += sweep
        }
        if total <= 0 { svg.raw(#"<circle cx="100" cy="100" r="64" fill="none" stroke="\#(ChartStyle.grid)" stroke-width="32"/>"#) }
        svg.text(numberStyle.format(total), x: cx, y: cy + 6, anchor: "middle", size: 18, weight: "bold")
        for (index, slice) in slices.enumerated() {
            let y = 24 + Double(index) * 22
            svg.rect(x: 212, y: y - 10, width: 12, height: 12, fill: ChartStyle.colour(index))
            svg.text("\(slice.label) \(numberStyle.format(slice.value))（\(share(slice.value))）", x: 230, y: y, size: 12)
        }
        return SVGWriter.document(
            id: SVGWriter.id(for: title), title: title, description: textAlternative, width: width, height: height, body: svg.body)
    }
}

// MARK: - Funnel

/// Stages of a pipeline, widest first, each bar as wide as its count.
public struct FunnelChart: Chart {
    public typealias Stage = ChartItem

    public var title: String
    public var stages: [Stage]
    public var numberStyle: NumberStyle
    public var width: Double

    public init(title: String, stages: [Stage], numberStyle: NumberStyle = .integer, width: Double = 480) {
        self.title = title
        self.stages = stages
        self.numberStyle = numberStyle
        self.width = width
    }

    public var textAlternative: String {
        "\(title)：" + (stages.isEmpty ? "暂无数据" : stages.map { "\($0.label) \(numberStyle.format($0.value))" }.joined(separator: " → "))
    }

    public func svg() -> String {
        var svg = SVGWriter()
        let rowHeight: Double = 28, labelWidth: Double = 110, plot = width - labelWidth - 70
        let maximum = max(stages.map(\.value).max() ?? 0, 1)
        let centre = labelWidth + plot / 2
        for (index, stage) in stages.enumerated() {
            let y = 8 + Double(index) * rowHeight
            let length = max(2, plot * stage.value / maximum)
            svg.text(stage.label, x: labelWidth - 8, y: y + 17, anchor: "end")
            svg.rect(
                x: centre - length / 2, y: y + 3, width: length, height: rowHeight - 6,
                fill: ChartStyle.sequential[min(4, 1 + index * 4 / max(stages.count, 1))],
                tooltip: "\(stage.label)：\(numberStyle.format(stage.value))", link: stage.link, rx: 3)
            svg.text(numberStyle.format(stage.value), x: labelWidth + plot + 8, y: y + 17, size: 11, fill: ChartStyle.muted)
        }
        let height = 16 + Double(max(stages.count, 1)) * rowHeight
        return SVGWriter.document(
            id: SVGWriter.id(for: title), title: title, description: textAlternative, width: width, height: height, body: svg.body)
    }
}

// MARK: - Gauge

/// A share of a whole, as a half ring with the share in the middle (92.9%, never the count: the
/// counts are in the caption and the text alternative).
public struct GaugeChart: Chart {
    public var title: String
    public var value: Double
    public var maximum: Double
    public var caption: String
    public var numberStyle: NumberStyle
    /// The drawing's width; the ring stays in its middle (wider leaves room for a long caption).
    public var width: Double
    /// Every text's size is multiplied by this (the big screen's charts).
    public var textScale: Double

    public init(
        title: String, value: Double, maximum: Double, caption: String, numberStyle: NumberStyle = .integer, width: Double = 240,
        textScale: Double = 1
    ) {
        self.title = title
        self.value = value
        self.maximum = maximum
        self.caption = caption
        self.numberStyle = numberStyle
        self.width = max(240, width)
        self.textScale = textScale
    }

    var fraction: Double { maximum > 0 ? min(1, max(0, value / maximum)) : 0 }

    /// What the middle of the ring says: the share, or a dash when there is no whole to share.
    public var headline: String { maximum > 0 ? NumberStyle.percent.format(fraction) : "—" }

    public var textAlternative: String {
        "\(title)：\(headline)（\(numberStyle.format(value)) / \(numberStyle.format(maximum))）。\(caption)"
    }

    public func svg() -> String {
        var svg = SVGWriter()
        svg.textScale = textScale
        let cx = width / 2, cy: Double = 110, radius: Double = 90
        func at(_ share: Double) -> String {
            let angle = Double.pi * (1 + share)
            return "\(SVGWriter.number(cx + radius * cos(angle))) \(SVGWriter.number(cy + radius * sin(angle)))"
        }
        svg.path("M\(at(0)) A90 90 0 0 1 \(at(1))", fill: "none", stroke: ChartStyle.grid, strokeWidth: 18)
        if fraction > 0 {
            svg.path("M\(at(0)) A90 90 0 0 1 \(at(fraction))", fill: "none", stroke: ChartStyle.palette[0], strokeWidth: 18, tooltip: textAlternative)
        }
        svg.text(headline, x: cx, y: cy - 12, anchor: "middle", size: 26, weight: "bold")
        svg.text(caption, x: cx, y: cy + 16 * textScale, anchor: "middle", size: 11, fill: ChartStyle.muted)
        let height = max(140, cy + 16 * textScale + 14)
        return SVGWriter.document(
            id: SVGWriter.id(for: title), title: title, description: textAlternative, width: width, height: height, body: svg.body)
    }
}
