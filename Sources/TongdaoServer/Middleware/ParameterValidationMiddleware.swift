import Foundation
import TongdaoCore
import Vapor

/// Checks query parameters against the contract before the generated server decodes them, so that a
/// missing or malformed parameter is answered with a 400 naming it (the generated decoder reports
/// neither which parameter nor why). Rules come from `openapi.yaml`: required, type, `format: date`,
/// minimum, maximum, and `enum` (also through a `$ref` to a schema).
struct ParameterValidationMiddleware: AsyncMiddleware {
    struct Parameter: Equatable {
        var name: String
        var required: Bool
        var type: String
        var format: String?
        var minimum: Int?
        var maximum: Int?
        var allowed: [String]? = nil
    }

    /// Query parameters of each operation, keyed by `METHOD /path/{template}`.
    let parameters: [String: [Parameter]]

    init(document: [String: Any]) {
        let components = document["components"] as? [String: Any]
        let shared = components?["parameters"] as? [String: Any] ?? [:]
        let schemas = components?["schemas"] as? [String: Any] ?? [:]
        func resolveSchema(_ raw: Any?) -> [String: Any] {
            guard let object = raw as? [String: Any] else { return [:] }
            if let ref = object["$ref"] as? String, let name = ref.split(separator: "/").last {
                return schemas[String(name)] as? [String: Any] ?? [:]
            }
            return object
        }
        func resolve(_ raw: Any) -> [String: Any]? {
            guard let object = raw as? [String: Any] else { return nil }
            if let ref = object["$ref"] as? String, let name = ref.split(separator: "/").last {
                return shared[String(name)] as? [String: Any]
            }
            return object
        }
        var table: [String: [Parameter]] = [:]
        for (path, item) in document["paths"] as? [String: Any] ?? [:] {
            for (method, raw) in item as? [String: Any] ?? [:] {
                guard let operation = raw as? [String: Any], let list = operation["parameters"] as? [Any] else { continue }
                table["\(method.uppercased()) \(path)"] = list.compactMap(resolve).compactMap { spec in
                    guard spec["in"] as? String == "query", let name = spec["name"] as? String else { return nil }
                    let schema = resolveSchema(spec["schema"])
                    return Parameter(
                        name: name, required: spec["required"] as? Bool ?? false, type: schema["type"] as? String ?? "string",
                        format: schema["format"] as? String, minimum: schema["minimum"] as? Int, maximum: schema["maximum"] as? Int,
                        allowed: (schema["enum"] as? [Any])?.map { "\($0)" })
                }
            }
        }
        parameters = table
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let route = request.route else { return try await next.respond(to: request) }
        let template =
            "/"
            + route.path.map { component in
                if case .parameter(let name) = component { "{\(name)}" } else { component.description }
            }.joined(separator: "/")
        guard let specs = parameters["\(request.method.rawValue) \(template)"], !specs.isEmpty else {
            return try await next.respond(to: request)
        }
        let items = URLComponents(string: "?" + (request.url.query ?? ""))?.queryItems ?? []
        var errors: [ProblemDetails.FieldError] = []
        for spec in specs {
            guard let value = items.last(where: { $0.name == spec.name })?.value else {
                if spec.required { errors.append(.init(field: spec.name, message: "is required")) }
                continue
            }
            switch spec.type {
            case "integer":
                guard let number = Int(value) else {
                    errors.append(.init(field: spec.name, message: "must be an integer")); continue
                }
                if let minimum = spec.minimum, number < minimum {
                    errors.append(.init(field: spec.name, message: "must be at least \(minimum)"))
                } else if let maximum = spec.maximum, number > maximum {
                    errors.append(.init(field: spec.name, message: "must be at most \(maximum)"))
                }
            case "boolean":
                if value != "true" && value != "false" { errors.append(.init(field: spec.name, message: "must be true or false")) }
            default:
                if let allowed = spec.allowed, !allowed.contains(value) {
                    errors.append(.init(field: spec.name, message: "must be one of \(allowed.joined(separator: ", "))"))
                } else if spec.format == "date", CivilDate(value) == nil {
                    errors.append(
                        .init(
                            field: spec.name,
                            message:
                                "must be a date YYYY-MM-DD between \(CivilDate.supportedYears.lowerBound) and \(CivilDate.supportedYears.upperBound)")
                    )
                }
            }
        }
        guard errors.isEmpty else { throw ProblemDetails.badRequest(errors) }
        return try await next.respond(to: request)
    }
}
