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
