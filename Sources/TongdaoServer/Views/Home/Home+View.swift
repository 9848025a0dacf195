import TongdaoHTML
import TongdaoCore

/// `/`: the administrative tree that scopes every figure on the platform.
enum Home {
    static func render(_ model: Model, viewer: Viewer? = nil) -> String {
        Layout.render(
            title: "首页",
            section: .home,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel intro"),
                    .h1(.text(model.city.map { "\($0.name) · 行政区划与生物医药园区" } ?? "行政区划尚未载入")),
                    .p(
                        .class("muted"),
                        .text("\(model.districts.count) 个区 · \(model.parkCount) 个重点园区（“1+5+X”生物医药产业布局）。数据范围按 市 ⊃ 区 ⊃ 园区 ⊃ 企业 逐级划分。")
                    )
                ),
                .section(
                    .class("district-grid"),
                    .attribute(named: "aria-label", value: "各区及园区"),
                    .forEach(model.districts) { district in
                        .element(
                            named: "article",
                            nodes: [
                                .class("district-card"),
                                .id("region-\(district.region.code)"),
                                .h2(.text(district.region.name)),
                                .p(.class("code"), .text(district.region.code)),
                                parks(district.parks),
                            ])
                    }
                )
            )
        )
    }

    private static func parks(_ parks: [Region]) -> Node<HTML.BodyContext> {
        guard !parks.isEmpty else { return .p(.class("muted small"), .text("暂无登记园区")) }
        return .ul(
            .class("park-list"),
            .forEach(parks) { park in
                .li(.class("park"), .id("region-\(park.code)"), .text(park.name))
            }
        )
    }
}
