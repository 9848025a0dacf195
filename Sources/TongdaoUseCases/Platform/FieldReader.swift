import Foundation
import TongdaoCore

/// Reads the fields of a form or a request body into checked values, collecting a problem for each
/// field that breaks a rule (named as the API names it, with the Chinese for the page).
struct FieldReader {
    var problems: [FieldProblem] = []

    /// Text, trimmed; `required` refuses an empty one; longer than `maximum` characters is refused.
    /// Line breaks are refused in a name or a line (`multiline` false), kept in prose — by default a
    /// text that may run past 200 characters (a narrative, a note, decisions).
    mutating func text(
        _ field: String, _ value: String?, label: String, maximum: Int = 100, required: Bool = true, multiline: Bool? = nil
    ) -> String? {
        let text = value?.trimmingWhitespace() ?? ""
        if let problem = TextRules.problem(field, text, multiline: multiline ?? (maximum > 200)) {
            problems.append(problem)
            return nil
        }
        if text.isEmpty {
            if required { problems.append(FieldProblem(field, "is required", chinese: "请填写\(label)")) }
            return nil
        }
        guard text.count <= maximum else {
            problems.append(FieldProblem(field, "must be at most \(maximum) characters", chinese: "\(label)不能超过 \(maximum) 个字"))
            return nil
        }
        return text
    }

    /// A day `YYYY-MM-DD`, or nil when none is given; never later than `today`.
    mutating func day(_ field: String, _ value: String?, label: String, today: CivilDate, required: Bool = false) -> CivilDate? {
        guard let text = value?.trimmingWhitespace(), !text.isEmpty else {
            if required { problems.append(FieldProblem(field, "is required", chinese: "请填写\(label)")) }
            return nil
        }
        guard let day = CivilDate(text) else {
            problems.append(FieldProblem(field, "must be a date YYYY-MM-DD", chinese: "\(label)应为日期（YYYY-MM-DD）"))
            return nil
        }
        guard day <= today else {
            problems.append(FieldProblem(field, "cannot be later than today", chinese: "\(label)不能晚于今天"))
            return nil
        }
        return day
    }

    /// One of a coded list, by its code or its Chinese label; `required: false` lets it be left out (nil).
    mutating func code<T: LabelledCode>(_ field: String, _ value: String?, label: String, as _: T.Type, required: Bool = true) -> T? {
        guard let text = value?.trimmingWhitespace(), !text.isEmpty else {
            if required { problems.append(FieldProblem(field, "is required", chinese: "请选择\(label)")) }
            return nil
        }
        guard let code = T(codeOrLabel: text) else {
            problems.append(
                FieldProblem(
                    field, "must be one of \(T.allCases.map(\.rawValue).joined(separator: ", "))",
                    chinese: "\(label)应为：\(T.allCases.map(\.label).joined(separator: "、"))"))
            return nil
        }
        return code
    }

    /// A whole number in a range, or nil when none is given.
    mutating func count(_ field: String, _ value: Int?, label: String, in range: ClosedRange<Int>) -> Int? {
        guard let value else { return nil }
        guard range.contains(value) else {
            problems.append(
                FieldProblem(
                    field, "must be between \(range.lowerBound) and \(range.upperBound)",
                    chinese: "\(label)应在 \(range.lowerBound) 至 \(range.upperBound) 之间"))
            return nil
        }
        return value
    }

    /// A record's id.
    mutating func id(_ field: String, _ value: String?, label: String, required: Bool = true) -> UUID? {
        guard let text = value?.trimmingWhitespace(), !text.isEmpty else {
            if required { problems.append(FieldProblem(field, "is required", chinese: "请选择\(label)")) }
            return nil
        }
        guard let id = UUID(text: text) else {
            problems.append(FieldProblem(field, "must be an id", chinese: "\(label)无效"))
            return nil
        }
        return id
    }

    /// Several of a coded list, each by its code or its Chinese label (duplicates read once).
    mutating func codes<T: LabelledCode>(_ field: String, _ values: [String], label: String, as _: T.Type) -> [T] {
        var codes: [T] = []
        for value in values.map({ $0.trimmingWhitespace() }) where !value.isEmpty {
            guard let code = T(codeOrLabel: value) else {
                problems.append(
                    FieldProblem(
                        field, "must each be one of \(T.allCases.map(\.rawValue).joined(separator: ", "))",
                        chinese: "\(label)应为：\(T.allCases.map(\.label).joined(separator: "、"))"))
                return []
            }
            if !codes.contains(code) { codes.append(code) }
        }
        return codes
    }

    /// A unified social credit code, or nil when none is given.
    mutating func uscc(_ field: String, _ value: String?, label: String) -> String? {
        guard let text = value?.trimmingWhitespace().uppercased(), !text.isEmpty else { return nil }
        if case .failure = USCC.validate(text) {
            problems.append(FieldProblem(field, "is not a valid unified social credit code", chinese: "\(label)不是有效的统一社会信用代码"))
            return nil
        }
        return text
    }

    /// A day `YYYY-MM-DD` at any date the calendar knows (a day to come too), or nil when none is given.
    mutating func anyDay(_ field: String, _ value: String?, label: String, required: Bool = false) -> CivilDate? {
        guard let text = value?.trimmingWhitespace(), !text.isEmpty else {
            if required { problems.append(FieldProblem(field, "is required", chinese: "请填写\(label)")) }
            return nil
        }
        guard let day = CivilDate(text) else {
            problems.append(FieldProblem(field, "must be a date YYYY-MM-DD", chinese: "\(label)应为日期（YYYY-MM-DD）"))
            return nil
        }
        return day
    }

    /// A number as a form types it (a minus typed as − read as -); nil, with its problem, when
    /// blank or not a finite number.
    mutating func number(_ field: String, _ value: String?, label: String) -> Double? {
        guard let text = typedFigure(field, value, label: label, required: true) else { return nil }
        guard let number = Double(text), number.isFinite else {
            problems.append(FieldProblem(field, "must be a number", chinese: "\(label)应为数字"))
            return nil
        }
        return number
    }

    /// A whole number as a form types it (a minus typed as − read as -); a blank field is `blank`,
    /// or refused as missing when `blank` is nil; nil, with its problem, when not a whole number.
    mutating func wholeNumber(_ field: String, _ value: String?, label: String, blank: Int? = nil) -> Int? {
        guard let text = typedFigure(field, value, label: label, required: blank == nil) else { return blank }
        guard let number = Int(text) else {
            problems.append(FieldProblem(field, "must be a whole number", chinese: "\(label)应为整数"))
            return nil
        }
        return number
    }

    /// A figure's text, trimmed, with a typographic minus made ASCII; nil when blank (a problem when required).
    private mutating func typedFigure(_ field: String, _ value: String?, label: String, required: Bool) -> String? {
        guard let text = value?.trimmingWhitespace(), !text.isEmpty else {
            if required { problems.append(FieldProblem(field, "is required", chinese: "请填写\(label)")) }
            return nil
        }
        return text.replacingOccurrences(of: "−", with: "-")
    }

    func check() throws {
        guard problems.isEmpty else { throw UseCaseError.invalid(problems) }
    }
}
