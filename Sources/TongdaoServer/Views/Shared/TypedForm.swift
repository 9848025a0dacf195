/// A form as typed, with its errors by field: a refused form comes back with both (and a list's
/// chosen values in `selected`).
struct TypedForm {
    var values: [String: String] = [:]
    var selected: Set<String> = []
    var errors: [String: String] = [:]
    var message: String?

    func value(_ name: String) -> String { values[name] ?? "" }
    func error(_ name: String) -> String? { errors[name] }
}

extension Forms.Field {
    /// A field as a page shows it: empty on a new form; what was typed and its error when a refused
    /// form comes back.
    init(_ name: String, _ label: String, typed: TypedForm?, hint: String? = nil, required: Bool = true) {
        self.init(name: name, label: label, value: typed?.value(name) ?? "", error: typed?.error(name), hint: hint, required: required)
    }
}

extension TypedForm {
    /// A new form filled in from a query (a link on another page saying what the form is about): the
    /// named values that are present and not empty; none when none is.
    init?(prefilling names: [String], from query: (String) -> String?) {
        let values = names.compactMap { name in query(name).flatMap { $0.isEmpty ? nil : (name, $0) } }
        guard !values.isEmpty else { return nil }
        self.init(values: Dictionary(values, uniquingKeysWith: { first, _ in first }))
    }
}
