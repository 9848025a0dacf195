extension Unicode.Scalar {
    /// White space as `Character.isWhitespace` sees it (spaces, tabs, line breaks, the full-width
    /// space U+3000 …), answered without a property lookup for ASCII and for everything after
    /// U+3000, the last white space in Unicode (Chinese text among it).
    var isWhitespace: Bool {
        value < 0x80 ? value == 0x20 || (0x09...0x0D).contains(value) : value > 0x3000 ? false : properties.isWhitespace
    }
}

extension String {
    /// The text without leading and trailing white space; the string itself when it has none.
    /// Much faster than Foundation's `trimmingCharacters(in:)` on Linux, which goes through NSString.
    public func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        // Most cells have nothing to trim: look at the two ends first.
        guard let head = scalars.first, let tail = scalars.last else { return self }
        if !head.isWhitespace && !tail.isWhitespace { return self }
        guard let first = scalars.firstIndex(where: { !$0.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.isWhitespace })!
        if first == scalars.startIndex && scalars.index(after: last) == scalars.endIndex { return self }
        return String(scalars[first...last])
    }
}
