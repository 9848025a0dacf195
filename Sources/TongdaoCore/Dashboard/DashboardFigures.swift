/// The dashboard's counted figures for a scope on a day: what the page, the big screen and
/// `GET /api/v1/dashboard/summary` show (the Class II review times come with them, from the clocks).
public struct DashboardFigures: Sendable, Equatable {
    /// A figure this year and the same figure a year before (for the same part of the year where
    /// the figure grows through the year).
    public struct Change: Sendable, Equatable, Codable {
        public var current: Int
        public var previous: Int

        public init(current: Int, previous: Int) {
            self.current = current
            self.previous = previous
        }
    }

    /// One district's figures, for the map.
    public struct District: Sendable, Equatable, Codable {
        /// Products under development (before approval) registered in the district.
        public var pipeline = 0
        /// Approvals so far this year.
        public var approvals = 0
        /// Open applications past their deadline.
        public var overdue = 0

        public init(pipeline: Int = 0, approvals: Int = 0, overdue: Int = 0) {
            self.pipeline = pipeline
            self.approvals = approvals
            self.overdue = overdue
        }
    }

    public struct MonthCount: Sendable, Equatable {
        public var month: YearMonth
        public var count: Int

        public init(month: YearMonth, count: Int) {
            self.month = month
            self.count = count
        }
    }

    public var year: Int
    public var asOf: CivilDate
    public var censusEnterprises: Change
    public var censusProducts: Change
    public var applicationsInReview: Int
    public var approvals: Change
    public var nationalInnovativeServed: Change
    public var nationalInnovativeApproved: Change
    /// Consultations (咨询 and 分类界定) answered this year and last year to the same day (issue 20).
    public var consultationsAnswered: Change
    /// Products by development stage, every stage present.
    public var productsByStage: [DevelopmentStage: Int]
    /// Applications accepted in each of the last 36 months, oldest first.
    public var acceptedByMonth: [MonthCount]
    /// Open applications, and applications accepted this year, by reviewing authority.
    public var openByAuthority: [ApplicationAuthority: Int]
    public var acceptedThisYearByAuthority: [ApplicationAuthority: Int]
    public var amber: Int
    public var red: Int
    public var productsByKeyArea: [KeyArea: Int]
    /// By district code; districts without figures are absent.
    public var districts: [String: District]

    public init(
        year: Int, asOf: CivilDate, censusEnterprises: Change, censusProducts: Change, applicationsInReview: Int, approvals: Change,
        nationalInnovativeServed: Change, nationalInnovativeApproved: Change, productsByStage: [DevelopmentStage: Int],
        acceptedByMonth: [MonthCount], openByAuthority: [ApplicationAuthority: Int], acceptedThisYearByAuthority: [ApplicationAuthority: Int],
        amber: Int, red: Int, productsByKeyArea: [KeyArea: Int], districts: [String: District],
        consultationsAnswered: Change = Change(current: 0, previous: 0)
    ) {
        self.consultationsAnswered = consultationsAnswered
        self.year = year
        self.asOf = asOf
        self.censusEnterprises = censusEnterprises
        self.censusProducts = censusProducts
        self.applicationsInReview = applicationsInReview
        self.approvals = approvals
        self.nationalInnovativeServed = nationalInnovativeServed
        self.nationalInnovativeApproved = nationalInnovativeApproved
        self.productsByStage = productsByStage
        self.acceptedByMonth = acceptedByMonth
        self.openByAuthority = openByAuthority
        self.acceptedThisYearByAuthority = acceptedThisYearByAuthority
        self.amber = amber
        self.red = red
        self.productsByKeyArea = productsByKeyArea
        self.districts = districts
    }
}
