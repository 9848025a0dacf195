import Foundation

/// The generated contract's enums and the core's name the same cases by the same raw values (a
/// test holds the lists to each other). A conversion goes through the raw value; a case missing on
/// the other side is a server fault, answered with a 500 and logged, never replaced by a default.
enum APIEnum {
    struct Mismatch: Error, CustomStringConvertible {
        var value: String
        var type: String
        var description: String { "\(type) has no case \(value): the contract and the core disagree" }
    }

    static func convert<From: RawRepresentable, To: RawRepresentable>(_ value: From, to _: To.Type = To.self) throws -> To
    where From.RawValue == String, To.RawValue == String {
        guard let converted = To(rawValue: value.rawValue) else { throw Mismatch(value: value.rawValue, type: String(describing: To.self)) }
        return converted
    }

    static func convert<From: RawRepresentable, To: RawRepresentable>(_ values: [From], to _: To.Type = To.self) throws -> [To]
    where From.RawValue == String, To.RawValue == String {
        try values.map { try convert($0) }
    }
}
