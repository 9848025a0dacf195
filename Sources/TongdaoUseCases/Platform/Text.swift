import TongdaoCore

extension String {
    /// nil for a text that is empty or only white space: an optional field left blank.
    var nonBlank: String? {
        trimmingWhitespace().isEmpty ? nil : self
    }
}

extension Optional where Wrapped == String {
    /// nil for an absent, empty or white-space text.
    var nonBlank: String? {
        flatMap(\.nonBlank)
    }
}
