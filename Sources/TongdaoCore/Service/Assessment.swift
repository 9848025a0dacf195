// The periodic assessments (定期考核, 讲评, issue 20 item 9): what each service station and each
// district did in a year, in figures the regulator reviews them by.

/// Small statistics of the assessments.
public enum AssessmentMath {
    /// The median of whole numbers (the mean of the middle two when their count is even), nil for none.
    public static func median(_ values: [Int]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? Double(sorted[middle]) : Double(sorted[middle - 1] + sorted[middle]) / 2
    }

    /// `part / whole`, nil when there is no whole.
    public static func share(_ part: Int, of whole: Int) -> Double? {
        whole == 0 ? nil : Double(part) / Double(whole)
    }
}
