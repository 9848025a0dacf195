import FluentKit
import Foundation

/// An opaque page cursor: a few strings, base64url-encoded, so clients treat it as a token.
public struct PageCursor: Sendable, Equatable {
    public var parts: [String]

    public init(_ parts: [String]) { self.parts = parts }

    /// The cursor of lists paged by a (time-ordered) id.
    public init(id: UUID) { self.init([id.uuidString]) }

    /// The id of an id cursor's token, or nil if the token is not one.
    public static func id(fromToken token: String) -> UUID? {
        PageCursor(token: token, count: 1).flatMap { UUID(uuidString: $0.parts[0]) }
    }

    private static let separator: Character = "\u{1F}"

    public var token: String {
        Data(parts.joined(separator: String(Self.separator)).utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Decodes a token, or nil if it is not one this platform issued with `count` parts.
    public init?(token: String, count: Int) {
        guard token.count <= 1_024 else { return nil }
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8) else { return nil }
        let parts = text.split(separator: Self.separator, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == count else { return nil }
        self.parts = parts
    }
}

extension QueryBuilder {
    /// Up to `limit` rows, and whether more follow (one extra row is fetched to tell).
    func page(limit: Int) async throws -> (rows: [Model], more: Bool) {
        let rows = try await self.limit(limit + 1).all()
        return (Array(rows.prefix(limit)), rows.count > limit)
    }
}

/// A model listed by name, then by id (institutions, investigators, inspectors).
protocol NamedModel: Model where IDValue == UUID {
    var name: String { get }
    var nameField: FieldProperty<Self, String> { get }
}

extension QueryBuilder where Model: NamedModel {
    /// A page of rows by name then id, after the (name, id) cursor; the next cursor if more follow.
    func pageByName(limit: Int, after cursor: PageCursor?) async throws -> (rows: [Model], next: PageCursor?) {
        if let cursor, cursor.parts.count == 2, let id = UUID(uuidString: cursor.parts[1]) {
            let name = cursor.parts[0]
            group(.or) { later in
                later.filter(\.nameField > name)
                later.group(.and) { $0.filter(\.nameField == name).filter(\._$id > id) }
            }
        }
        let page = try await sort(\.nameField).sort(\._$id).page(limit: limit)
        return (page.rows, page.more ? page.rows.last.map { PageCursor([$0.name, $0.id?.uuidString ?? ""]) } : nil)
    }
}

extension TrialInstitutionModel: NamedModel {
    var nameField: FieldProperty<TrialInstitutionModel, String> { $name }
}

extension InvestigatorModel: NamedModel {
    var nameField: FieldProperty<InvestigatorModel, String> { $name }
}

extension InspectorModel: NamedModel {
    var nameField: FieldProperty<InspectorModel, String> { $name }
}
