/// What stored text may hold. NUL and the other control characters (but tab and line breaks in
/// text that may have several lines), DEL and the noncharacters U+FFFE and U+FFFF are refused with
/// a field problem: they come from spreadsheets and hostile clients, no person means them, a page
/// cannot show them, and PostgreSQL refuses NUL outright.
public enum TextRules {
    public static func isForbidden(_ scalar: Unicode.Scalar, multiline: Bool) -> Bool {
        let value = scalar.value
        if value == 0x09 || value == 0x0A || value == 0x0D { return !multiline }
        return value < 0x20 || value == 0x7F || value == 0xFFFE || value == 0xFFFF
    }

    /// The problem of a text holding a forbidden character, naming `field`.
    public static func problem(_ field: String, _ text: String?, multiline: Bool = false) -> FieldProblem? {
        guard let text, text.unicodeScalars.contains(where: { isForbidden($0, multiline: multiline) }) else { return nil }
        return FieldProblem(
            field, multiline ? "must not contain control characters" : "must not contain control characters or line breaks",
            chinese: multiline ? "不能包含控制字符" : "不能包含控制字符或换行")
    }

    /// The text without forbidden characters (a search typed with one looks for the rest).
    public static func cleaned(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { !isForbidden($0, multiline: false) }))
    }
}
