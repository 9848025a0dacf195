import TongdaoHTML
import TongdaoCore

/// The page frame every HTML page shares: Chinese first, no external asset.
enum Layout {
    static let siteTitle = "通道 · 创新医疗器械服务与监管平台"

    /// Every page's head: the stylesheet and, for a page that needs one, a deferred script of our own;
    /// nothing from elsewhere.
    static func head(title: String, script: SiteURL?, viewport: String = "width=device-width, initial-scale=1") -> Node<HTML.DocumentContext> {
        .head(
            .meta(.charset(.utf8)),
            .meta(.name("viewport"), .content(viewport)),
            .element(named: "title", text: "\(title) · 通道"),
            .stylesheet(SiteURL.stylesheet.path),
            // No favicon request (and no 404 in the console): an empty icon.
            .link(.rel(.icon), .href("data:,")),
            .unwrap(script) { .script(.src($0.path), .attribute(named: "defer", value: "defer")) }
        )
    }

    /// A page in the frame; `script` for the pages that need one (the census upload's progress bar).
    static func render(
        title: String, section: SiteURL.Section?, viewer: Viewer? = nil, script: SiteURL? = nil, content: Node<HTML.BodyContext>
    ) -> String {
        let document = HTML(
            .attribute(named: "lang", value: "zh-CN"),
            head(title: title, script: script),
            .body(
                .header(
                    .class("site-header"),
                    .a(.class("brand"), .href(SiteURL.home.path), .text(siteTitle)),
                    .nav(
                        .class("site-nav"),
                        .attribute(named: "aria-label", value: "主导航"),
                        .ul(
                            .forEach(SiteURL.Section.allCases.filter { item in item.requiredAction.map { viewer?.may($0) ?? false } ?? true }) {
                                navItem($0, current: section)
                            })
                    ),
                    account(viewer)
                ),
                .main(.class("content"), content),
                .footer(
                    .class("site-footer"),
                    .p(.text("通道 Tongdao \(TongdaoVersion.current) · 上海市药品监督管理局 创新医疗器械服务与监管平台"))
                )
            )
        )
        return document.render()
    }

    /// Who is signed in, their admin links and the sign-out button; or the sign-in link.
    private static func account(_ viewer: Viewer?) -> Node<HTML.BodyContext> {
        guard let viewer else {
            return .div(.class("account"), .a(.class("nav-link"), .href(SiteURL.login(next: nil).path), .text("登录")))
        }
        return .div(
            .class("account"),
            .span(.class("account-name"), .text("\(viewer.displayName)（\(viewer.role.label)）")),
            // A partner province's waiting items are on its home page; the inbox holds the city's own work.
            .if(!viewer.may(.respondDelta), .a(.class("nav-link"), .href(SiteURL.inbox.path), .text("我的待办"))),
            .if(viewer.may(.manageUsers), .a(.class("nav-link"), .href(SiteURL.users.path), .text("用户管理"))),
            .if(viewer.may(.readAudit), .a(.class("nav-link"), .href(SiteURL.audit(query: nil).path), .text("审计日志"))),
            .form(
                .class("inline-form"), .method(.post), .action(SiteURL.logout.path),
                Forms.csrf(viewer.csrfToken),
                .button(.class("link-button"), .type(.submit), .text("退出"))
            )
        )
    }

    private static func navItem(_ item: SiteURL.Section, current: SiteURL.Section?) -> Node<HTML.ListContext> {
        let url = item.url
        guard url.isAvailable else {
            return .li(.span(.class("nav-link is-pending"), .attribute(named: "aria-disabled", value: "true"), .title("即将上线"), .text(item.label)))
        }
        return .li(
            .a(
                .class(item == current ? "nav-link is-current" : "nav-link"),
                .href(url.path),
                .if(item == current, .attribute(named: "aria-current", value: "page")),
                .text(item.label)
            )
        )
    }
}
