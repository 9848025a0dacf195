import Foundation
import TongdaoCore
import Vapor

/// Holds every `/api` request to the contract before the generated server decodes it, so that what
/// the contract forbids is refused with a 400 naming the field (the generated decoder checks types
/// only, and reports neither which field nor why):
///
/// * query and path parameters: required, type, `format: date`, minimum, maximum, `enum`,
///   `maxLength`, `minLength` (also through a `$ref`; a `pattern` is the handler's, which explains it);
/// * a JSON body, against its schema: types (a `null` only where the type allows it), `required`,
///   string lengths, `enum`, minimum and maximum, array sizes, each property and item in turn; a
///   required body that is missing;
/// * a method the path does not serve: 405 with `Allow` (a path the contract does not have stays 404).
struct ParameterValidationMiddleware: AsyncMiddleware {
    /// A schema of the contract with its `$ref`s resolved when it is read.
    struct Schema: @unchecked Sendable {
        let object: [String: Any]
        let document: ContractSchemas

        var type: [String] {
            if let one = object["type"] as? String { return [one] }
            return object["type"] as? [String] ?? []
        }
        var format: String? { object["format"] as? String }
        func int(_ key: String) -> Int? { (object[key] as? Int) ?? (object[key] as? Double).map { Int($0) } }
        func double(_ key: String) -> Double? { (object[key] as? Double) ?? (object[key] as? Int).map(Double.init) }
        var allowed: [String]? { (object["enum"] as? [Any])?.map { "\($0)" } }
        var properties: [String: Schema] {
            (object["properties"] as? [String: Any] ?? [:]).compactMapValues { document.schema($0) }
        }
        var required: [String] { object["required"] as? [String] ?? [] }
        var items: Schema? { document.schema(object["items"]) }
        var alternatives: [Schema] {
            ((object["oneOf"] as? [Any]) ?? (object["anyOf"] as? [Any]) ?? []).compactMap { document.schema($0) }
        }
        var all: [Schema] { (object["allOf"] as? [Any] ?? []).compactMap { document.schema($0) } }
    }

    /// The contract's shared schemas and parameters, to resolve `$ref`s.
    struct ContractSchemas: @unchecked Sendable {
        let schemas: [String: Any]
        let parameters: [String: Any]

        func schema(_ raw: Any?) -> Schema? {
            guard var object = raw as? [String: Any] else { return nil }
            // A $ref with siblings (a description) is the referenced schema.
            for _ in 0..<8 {
                guard let ref = object["$ref"] as? String, let name = ref.split(separator: "/").last,
                    let target = schemas[String(name)] as? [String: Any]
                else { break }
                object = target
            }
            return Schema(object: object, document: self)
        }

        func parameter(_ raw: Any) -> [String: Any]? {
            guard let object = raw as? [String: Any] else { return nil }
            if let ref = object["$ref"] as? String, let name = ref.split(separator: "/").last {
                return parameters[String(name)] as? [String: Any]
            }
            return object
        }
    }

    struct Parameter: @unchecked Sendable {
        var name: String
        /// `query` or `path`.
        var location: String
        var required: Bool
        var schema: Schema
    }

    struct Operation: @unchecked Sendable {
        var parameters: [Parameter] = []
        var bodyRequired = false
        var jsonBody: Schema?
    }

    /// Each operation, keyed by `METHOD /path/{template}`.
    let operations: [String: Operation]
    /// Each path of the contract, as its segments (`{…}` for a parameter), with the methods it serves.
    let paths: [(segments: [String], methods: [String])]

    init(document: [String: Any]) {
        let components = document["components"] as? [String: Any]
        let contract = ContractSchemas(
            schemas: components?["schemas"] as? [String: Any] ?? [:], parameters: components?["parameters"] as? [String: Any] ?? [:])
        var table: [String: Operation] = [:]
        var paths: [(segments: [String], methods: [String])] = []
        for (path, item) in document["paths"] as? [String: Any] ?? [:] {
            var methods: [String] = []
            for (method, raw) in item as? [String: Any] ?? [:] {
                guard let spec = raw as? [String: Any] else { continue }
                methods.append(method.uppercased())
                var operation = Operation()
                operation.parameters = (spec["parameters"] as? [Any] ?? []).compactMap(contract.parameter).compactMap { spec in
                    guard let location = spec["in"] as? String, ["query", "path"].contains(location), let name = spec["name"] as? String,
                        let schema = contract.schema(spec["schema"])
                    else { return nil }
                    return Parameter(name: name, location: location, required: spec["required"] as? Bool ?? false, schema: schema)
                }
                if let body = spec["requestBody"] as? [String: Any] {
                    operation.bodyRequired = body["required"] as? Bool ?? false
                    let content = body["content"] as? [String: Any]
                    operation.jsonBody = contract.schema((content?["application/json"] as? [String: Any])?["schema"])
                }
                table["\(method.uppercased()) \(path)"] = operation
            }
            paths.append((path.split(separator: "/").map(String.init), methods.sorted()))
        }
        operations = table
        self.paths = paths
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let route = request.route else {
            if let allowed = allowedMethods(for: request.url.path) { throw Self.methodNotAllowed(allowed) }
            return try await next.respond(to: request)
        }
        let template =
            "/"
            + route.path.map { component in
                if case .parameter(let name) = component { "{\(name)}" } else { component.description }
            }.joined(separator: "/")
        guard let operation = operations["\(request.method.rawValue) \(template)"] else {
            return try await next.respond(to: request)
        }
        let items = URLComponents(string: "?" + (request.url.query ?? ""))?.queryItems ?? []
        var errors: [ProblemDetails.FieldError] = []
        for parameter in operation.parameters {
            let value =
                parameter.location == "path"
                ? request.parameters.get(parameter.name).map { $0.removingPercentEncoding ?? $0 }
                : items.last(where: { $0.name == parameter.name })?.value
            guard let value else {
                if parameter.required { errors.append(.init(field: parameter.name, message: "is required")) }
                continue
            }
            if let problem = Self.problem(query: value, parameter.schema) { errors.append(.init(field: parameter.name, message: problem)) }
        }
        if errors.isEmpty, request.method != .GET {
            errors += bodyProblems(request, operation)
        }
        guard errors.isEmpty else { throw ProblemDetails.badRequest(errors) }
        return try await next.respond(to: request)
    }

    /// The methods a path of the contract serves, when the request's method is not one of them: a
    /// literal segment before a parameter (`/adverse-events/imports` before `/adverse-events/{id}`),
    /// as the router picks.
    func allowedMethods(for path: String) -> [String]? {
        let segments = path.split(separator: "/").map(String.init)
        let matches = paths.filter { candidate in
            candidate.segments.count == segments.count
                && zip(candidate.segments, segments).allSatisfy { pattern, segment in pattern.hasPrefix("{") || pattern == segment }
        }
        guard let match = matches.max(by: { $0.segments.count { !$0.hasPrefix("{") } < $1.segments.count { !$0.hasPrefix("{") } }) else {
            return nil
        }
        return match.methods.contains("GET") ? (match.methods + ["HEAD"]).sorted() : match.methods
    }

    static func methodNotAllowed(_ allowed: [String]) -> ProblemDetails {
        var problem = ProblemDetails(
            type: ProblemDetails.typeURI("method-not-allowed"), title: "Method Not Allowed", status: .methodNotAllowed,
            detail: "This path answers \(allowed.joined(separator: ", ")) only.")
        problem.headers["Allow"] = allowed.joined(separator: ", ")
        return problem
    }

    private func bodyProblems(_ request: Request, _ operation: Operation) -> [ProblemDetails.FieldError] {
        let data = request.body.data
        let empty: Bool
        if let data {
            empty = data.readableBytes == 0
        } else if let length = request.headers.first(name: .contentLength).flatMap(Int.init) {
            empty = length == 0
        } else {
            // A streamed body (an import) without a length comes in chunks.
            empty = !request.headers.contains(name: .transferEncoding)
        }
        if empty {
            return operation.bodyRequired ? [.init(field: "body", message: "is required")] : []
        }
        guard let schema = operation.jsonBody, let data, request.headers.contentType?.subType.hasSuffix("json") ?? true else { return [] }
        // Not JSON at all: the generated server answers it.
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(data.readableBytesView)) else { return [] }
        var errors: [ProblemDetails.FieldError] = []
        Self.check(value, schema, at: "", into: &errors)
        return errors
    }

    // MARK: Values

    /// A parameter's text against its schema: what is wrong with it, or nil.
    static func problem(query value: String, _ schema: Schema) -> String? {
        switch schema.type.first ?? "string" {
        case "integer":
            guard let number = Int(value) else { return "must be an integer" }
            return numberProblem(Double(number), schema)
        case "boolean":
            return value == "true" || value == "false" ? nil : "must be true or false"
        default:
            return stringProblem(value, schema) ?? dateProblem(value, schema)
        }
    }

    static func numberProblem(_ number: Double, _ schema: Schema) -> String? {
        if let minimum = schema.double("minimum"), number < minimum { return "must be at least \(format(minimum))" }
        if let maximum = schema.double("maximum"), number > maximum { return "must be at most \(format(maximum))" }
        return nil
    }

    private static func format(_ number: Double) -> String {
        number == number.rounded() ? String(Int(number)) : String(number)
    }

    static func stringProblem(_ value: String, _ schema: Schema) -> String? {
        if let allowed = schema.allowed, !allowed.contains(value) { return "must be one of \(allowed.joined(separator: ", "))" }
        let length = value.unicodeScalars.count
        if let maximum = schema.int("maxLength"), length > maximum { return "must be at most \(maximum) characters" }
        if let minimum = schema.int("minLength"), length < minimum { return "must be at least \(minimum) characters" }
        return nil
    }

    /// A parameter's date (a body's dates, like its patterns, are the handler's to check: it names
    /// every field at fault in one answer, with the domain's own rules beside them).
    static func dateProblem(_ value: String, _ schema: Schema) -> String? {
        guard schema.format == "date", CivilDate(value) == nil else { return nil }
        return "must be a date YYYY-MM-DD between \(CivilDate.supportedYears.lowerBound) and \(CivilDate.supportedYears.upperBound)"
    }

    /// A JSON value against its schema, every problem named by its place (`events[2].on`).
    static func check(_ value: JSONValue, _ schema: Schema, at path: String, into errors: inout [ProblemDetails.FieldError]) {
        let field = path.isEmpty ? "body" : path
        for part in schema.all { check(value, part, at: path, into: &errors) }
        let alternatives = schema.alternatives
        if !alternatives.isEmpty {
            let fits = alternatives.contains { alternative in
                var found: [ProblemDetails.FieldError] = []
                check(value, alternative, at: path, into: &found)
                return found.isEmpty
            }
            if !fits { errors.append(.init(field: field, message: "matches none of the forms it may take")) }
        }
        let types = schema.type
        guard !types.isEmpty else { return }
        switch value {
        case .null:
            if !types.contains("null") { errors.append(.init(field: field, message: "may not be null")) }
        case .bool:
            if !types.contains("boolean") { errors.append(.init(field: field, message: "must be \(types.joined(separator: " or "))")) }
        case .number(let number):
            if types.contains("number") || (types.contains("integer") && number == number.rounded()) {
                if let problem = numberProblem(number, schema) { errors.append(.init(field: field, message: problem)) }
            } else {
                errors.append(.init(field: field, message: "must be \(types.joined(separator: " or "))"))
            }
        case .string(let text):
            if types.contains("string") {
                if let problem = stringProblem(text, schema) { errors.append(.init(field: field, message: problem)) }
            } else {
                errors.append(.init(field: field, message: "must be \(types.joined(separator: " or "))"))
            }
        case .array(let elements):
            guard types.contains("array") else {
                errors.append(.init(field: field, message: "must be \(types.joined(separator: " or "))"))
                return
            }
            if let maximum = schema.int("maxItems"), elements.count > maximum {
                errors.append(.init(field: field, message: "must have at most \(maximum) items"))
            }
            if let minimum = schema.int("minItems"), elements.count < minimum {
                errors.append(.init(field: field, message: "must have at least \(minimum) items"))
            }
            if let items = schema.items {
                for (index, element) in elements.enumerated() { check(element, items, at: "\(field)[\(index)]", into: &errors) }
            }
        case .object(let members):
            guard types.contains("object") else {
                errors.append(.init(field: field, message: "must be \(types.joined(separator: " or "))"))
                return
            }
            for name in schema.required where members[name] == nil {
                errors.append(.init(field: path.isEmpty ? name : "\(path).\(name)", message: "is required"))
            }
            let properties = schema.properties
            for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                guard let property = properties[name] else { continue }
                check(member, property, at: path.isEmpty ? name : "\(path).\(name)", into: &errors)
            }
        }
    }
}

/// Any JSON value, decoded strictly (a number is never a boolean).
enum JSONValue: Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let elements = try? container.decode([JSONValue].self) {
            self = .array(elements)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }
}
