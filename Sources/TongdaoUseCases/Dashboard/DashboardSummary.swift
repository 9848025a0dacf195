import TongdaoCore

/// Everything the dashboard shows for a scope, shared by the page, the big screen and
/// `GET /api/v1/dashboard/summary`.
public struct DashboardSummary: Sendable, Equatable {
    /// The Class II first-registration reviews completed in a quarter: how many, and their average
    /// working days of technical review against the statutory limit.
    public struct Quarter: Sendable, Equatable {
        public var label: String
        public var completed: Int
        public var averageWorkingDays: Double?
        public var limit: Int

        public init(label: String, completed: Int, averageWorkingDays: Double?, limit: Int) {
            self.label = label
            self.completed = completed
            self.averageWorkingDays = averageWorkingDays
            self.limit = limit
        }
    }

    public var figures: DashboardFigures
    public var class2Reviews: [Quarter]
    public var trials: TrialPanel
    /// Whose figures these are, in Chinese: 上海市（全市）, a district's name, 本企业 …
    public var scopeLabel: String
    /// The districts, by code, for naming them on the map and in lists.
    public var districts: [Region]

    public init(figures: DashboardFigures, class2Reviews: [Quarter], trials: TrialPanel, scopeLabel: String, districts: [Region]) {
        self.figures = figures
        self.class2Reviews = class2Reviews
        self.trials = trials
        self.scopeLabel = scopeLabel
        self.districts = districts
    }
}
