import TongdaoCore
import TongdaoUseCases
import Vapor

/// A record's version as HTTP carries it: the `ETag` of what was read or written, the `If-Match` of
/// a change based on it. A strong tag, the version in quotes: `"3"`.
enum EntityTag {
    static func of(_ version: Int) -> String { "\"\(version)\"" }

    /// The version an `If-Match` names; nil when there is none (the use case answers 428). One tag
    /// as `ETag` gave it (quotes may be left off); anything else, a list, `*` or a weak tag
    /// included, is 400 naming `If-Match`: a change names the one version it was made on.
    static func version(ifMatch header: String?) throws -> Int? {
        guard let header = header?.trimmingWhitespace(), !header.isEmpty else { return nil }
        var tag = Substring(header)
        if tag.count >= 2, tag.hasPrefix("\""), tag.hasSuffix("\"") { tag = tag.dropFirst().dropLast() }
        guard tag.allSatisfy(\.isASCII), let version = Int(tag), version >= 1 else {
            throw UseCaseError.malformed([
                FieldProblem("If-Match", "must be one ETag as this API gives it, such as \"3\"", chinese: "If-Match 应为接口给出的一个 ETag，例如 \"3\"")
            ])
        }
        return version
    }
}

extension Request {
    private struct EntityTagKey: StorageKey { typealias Value = Int }

    /// The version of the record an API answer carries, sent as its `ETag` once the handler has
    /// answered (`RequestContext.Middleware`): the generated server writes header values
    /// percent-encoded, which would turn the tag's quotes into `%22`.
    var entityTag: Int? {
        get { storage[EntityTagKey.self] }
        set { storage[EntityTagKey.self] = newValue }
    }
}
