/// A problem with one field of submitted data, named as the API names the field, explained in
/// English (for the API) and in Chinese (for pages and import reports).
public struct FieldProblem: Sendable, Equatable {
    public var field: String
    /// English, for the API.
    public var message: String
    /// Chinese, for pages and import reports.
    public var chinese: String

    public init(_ field: String, _ message: String, chinese: String) {
        self.field = field
        self.message = message
        self.chinese = chinese
    }
}
