/// Every path the site serves, in one place: views and routes name paths only through this enum.
enum SiteURL: Sendable, Equatable {
    case home
    case healthz
    case readyz
    case metrics
    case openAPIYAML
    case openAPIJSON
    case stylesheet
    case region(code: String)
    /// The working-day calendar of a year (the current one when nil).
    case calendar(year: Int?)
    /// A navigation section whose feature has not landed yet: shown, not linked.
    case pending(Section)

    /// The sections of the platform's navigation, in menu order.
    enum Section: String, Sendable, CaseIterable {
        case home, enterprises, products, applications, calendar, dashboard, screen, trials, postMarket

        var label: String {
            switch self {
            case .home: "首页"
            case .enterprises: "企业"
            case .products: "产品与普查"
            case .applications: "审评进度"
            case .calendar: "工作日历"
            case .dashboard: "数据看板"
            case .screen: "大屏"
            case .trials: "临床试验监管"
            case .postMarket: "上市后监管"
            }
        }

        /// Where the section lives, once it exists.
        var url: SiteURL {
            switch self {
            case .home: .home
            case .calendar: .calendar(year: nil)
            default: .pending(self)
            }
        }
    }

    var path: String {
        switch self {
        case .home: "/"
        case .healthz: "/healthz"
        case .readyz: "/readyz"
        case .metrics: "/metrics"
        case .openAPIYAML: "/openapi.yaml"
        case .openAPIJSON: "/openapi.json"
        case .stylesheet: "/css/app.css"
        case .region(let code): "/#region-\(code)"
        case .calendar(let year): year.map { "/calendar?year=\($0)" } ?? "/calendar"
        case .pending: ""
        }
    }

    var isAvailable: Bool {
        if case .pending = self { false } else { true }
    }
}
