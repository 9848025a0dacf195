/// What an import did, or would do.
public struct CensusImportReport: Sendable, Equatable, Codable {
    public var year: Int
    public var dryRun: Bool
    /// Whether the rows were written (false for a dry run and for a sheet with rejected rows).
    public var committed: Bool
    public var rowsRead: Int
    /// Declarations new this year.
    public var added: Int
    /// Rows that change a stored product or declaration.
    public var updated: Int
    public var unchanged: Int
    public var enterprisesCreated: Int
    public var productsCreated: Int
    public var rejected: [RowProblem]

    public init(
        year: Int, dryRun: Bool, committed: Bool, rowsRead: Int, added: Int, updated: Int, unchanged: Int, enterprisesCreated: Int,
        productsCreated: Int, rejected: [RowProblem]
    ) {
        self.year = year
        self.dryRun = dryRun
        self.committed = committed
        self.rowsRead = rowsRead
        self.added = added
        self.updated = updated
        self.unchanged = unchanged
        self.enterprisesCreated = enterprisesCreated
        self.productsCreated = productsCreated
        self.rejected = rejected
    }
}
