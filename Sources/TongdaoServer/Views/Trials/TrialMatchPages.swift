import Foundation
import TongdaoCore
import TongdaoHTML
import TongdaoUseCases

/// Matching products to trial capacity (临床试验加速器): the ranking on a product's page and on its own
/// page, and the list of the products at the clinical stage a service station works through.
enum TrialMatchPages {
    /// How the ranking was read, in one line.
    static func basis(_ need: TrialMatching.Need) -> String {
        let fit =
            need.specialties.isEmpty
            ? "产品未标明分类编码或重点领域，按机构的全部备案专业比较"
            : "适配专业：\(need.specialties.joined(separator: "、"))（依据\(need.basis.joined(separator: "、"))）"
        return "\(need.trial.kind.label)临床试验。\(fit)。排序依次看：有无符合本试验要求且负荷低于阈值的主要研究者"
            + (need.trial.classThree ? "、是否三级甲等医院" : "") + "、中心启动用时中位数、伦理审查用时中位数、可承接的研究者人数。"
    }

    /// The ranked institutions, the first `limit` of them when given, each with its explanation.
    static func table(_ outcome: TrialMatching.Outcome, limit: Int? = nil) -> Node<HTML.BodyContext> {
        let shown = limit.map { Array(outcome.matches.prefix($0)) } ?? outcome.matches
        return .group(
            outcome.matches.isEmpty
                ? .p(.class("muted"), .text("暂无符合条件的临床试验机构：没有机构同时具备相应的机构备案、适配的备案专业和负荷低于阈值的主要研究者。"))
                : .table(
                    .class("data-table"),
                    .thead(
                        .tr(
                            .th("排名"), .th("机构"), .th("适配专业"), .th("可承接研究者"), .th("最近一次检查"), .th("中心启动用时"), .th("伦理审查用时"),
                            .th("排序说明"))),
                    .tbody(
                        .forEach(shown) { match in
                            .tr(
                                .td(.text(String(match.rank))),
                                .td(
                                    .a(.href(SiteURL.trialInstitution(id: match.institutionID.uuidString).path), .text(match.name)),
                                    .div(.class("muted small"), .text(match.grade.label))),
                                .td(.text(match.specialties.map(\.name).joined(separator: "、"))),
                                .td(.text("\(match.qualified) / \(match.available) / \(match.investigators)")),
                                .td(
                                    .text(match.lastInspection.map { "\($0.conclusion.label)（\($0.closedOn) 结案）" } ?? "尚无已结案检查")),
                                .td(.text(TrialPages.days(match.times.activationMedianDays, over: match.times.activationSites))),
                                .td(.text(TrialPages.days(match.times.ethicsMedianDays, over: match.times.ethicsSites))),
                                .td(.ul(.class("small"), .forEach(match.explanation) { .li(.text($0)) })))
                        })),
            .if(
                !outcome.matches.isEmpty,
                .p(.class("muted small"), .text("可承接研究者：符合本试验要求 / 负荷低于阈值 / 适配专业的主要研究者总数。用时按自然日计，取中位数。"))),
            .if(
                !outcome.full.isEmpty,
                .p(.class("small"), .text("持有适配专业但研究者均已达负荷阈值的机构（\(outcome.full.count)）：\(outcome.full.joined(separator: "、"))。")))
        )
    }

    /// The section of a product's page: the first five, and a link to the rest.
    static func panel(_ outcome: TrialMatching.Outcome, productID: UUID) -> Node<HTML.BodyContext> {
        guard outcome.need.notApplicable == nil else { return .empty }
        return .section(
            .class("panel"), .id("trial-matches"),
            .h2(.text("临床试验机构匹配")),
            .p(.class("muted small"), .text(basis(outcome.need))),
            table(outcome, limit: 5),
            .if(
                outcome.matches.count > 5,
                .p(.a(.href(SiteURL.productTrialMatches(id: productID.uuidString).path), .text("查看全部 \(outcome.matches.count) 家机构的排序 →"))))
        )
    }

    /// `GET /products/:id/trial-matches`: every institution ranked.
    static func page(_ product: ProductRecord, outcome: TrialMatching.Outcome, viewer: Viewer) -> String {
        Layout.render(
            title: "临床试验机构匹配 · \(product.name)",
            section: .products,
            viewer: viewer,
            content: .section(
                .class("panel"),
                .p(.class("small"), .a(.href(SiteURL.product(id: product.id.uuidString).path), .text("← \(product.name)"))),
                .div(.class("panel-head"), .h1(.text("临床试验机构匹配（\(outcome.matches.count)）"))),
                outcome.need.notApplicable.map { .p(.class("muted"), .text("\($0)。")) }
                    ?? .group(.p(.class("muted small"), .text(basis(outcome.need))), table(outcome))
            )
        )
    }

    /// `GET /trials/matching`: the products at the clinical stage in the caller's scope, each with
    /// the first three institutions ranked for it.
    static func list(
        _ items: [(product: ProductRecord, outcome: TrialMatching.Outcome)], enterprises: [UUID: String], nextQuery: String?, viewer: Viewer
    ) -> String {
        Layout.render(
            title: "临床试验机构匹配",
            section: .trials,
            viewer: viewer,
            content: .section(
                .class("panel"),
                .p(.class("small"), .a(.href(SiteURL.trials(query: nil).path), .text("← 临床试验"))),
                .div(.class("panel-head"), .h1(.text("临床试验机构匹配"))),
                .p(
                    .class("muted small"),
                    .text("您权限范围内处于临床评价阶段的产品，及按专业适配、研究者负荷和启动用时排在前三位的机构；点击产品查看全部排序及说明。")),
                items.isEmpty
                    ? .p(.class("muted"), .text("您的权限范围内没有处于临床评价阶段的产品。"))
                    : .table(
                        .class("data-table"),
                        .thead(.tr(.th("产品"), .th("企业"), .th("适配专业"), .th("排在前三位的机构"))),
                        .tbody(
                            .forEach(items) { item in
                                .tr(
                                    .td(.a(.href(SiteURL.productTrialMatches(id: item.product.id.uuidString).path), .text(item.product.name))),
                                    .td(.text(enterprises[item.product.enterpriseID] ?? "—")),
                                    .td(.text(item.outcome.need.specialties.joined(separator: "、").nonEmpty ?? "全部专业")),
                                    .td(
                                        item.outcome.need.notApplicable.map { .span(.class("muted"), .text($0)) }
                                            ?? (item.outcome.matches.isEmpty
                                                ? .span(.class("muted"), .text("暂无符合条件的机构"))
                                                : .ol(
                                                    .forEach(item.outcome.matches.prefix(3)) { match in
                                                        .li(
                                                            .a(
                                                                .href(SiteURL.trialInstitution(id: match.institutionID.uuidString).path),
                                                                .text(match.name)),
                                                            .span(
                                                                .class("muted small"),
                                                                .text(
                                                                    " 启动 \(TrialPages.days(match.times.activationMedianDays, over: match.times.activationSites))"
                                                                )))
                                                    }))))
                            })),
                .unwrap(nextQuery) { .p(.a(.href(SiteURL.trialMatching(query: $0).path), .text("下一页 →"))) }
            )
        )
    }
}
