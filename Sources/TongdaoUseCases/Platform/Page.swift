import Foundation
import TongdaoCore
import TongdaoStore

/// One page of a list, and the cursor of the next (nil on the last page): an opaque token the
/// caller passes back as it came.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var next: String?

    public init(items: [Item], next: String?) {
        self.items = items
        self.next = next
    }
}

extension Page: Equatable where Item: Equatable {}

/// Reading a list's `cursor` parameter: a token this list issued, or a 400 naming `cursor`.
enum Cursor {
    static var problem: UseCaseError {
        .malformed([FieldProblem("cursor", "is not a cursor this list returned", chinese: "分页标记无效，请从列表第一页重新开始")])
    }

    static func parse(_ token: String?, parts: Int) throws(UseCaseError) -> PageCursor? {
        guard let token else { return nil }
        guard let cursor = PageCursor(token: token, count: parts) else { throw problem }
        return cursor
    }

    static func id(_ token: String?) throws(UseCaseError) -> UUID? {
        guard let token else { return nil }
        guard let id = PageCursor.id(fromToken: token) else { throw problem }
        return id
    }
}

/// Reading an id parameter: a filter naming a record by a text that is no id names no record.
enum RecordID {
    /// An id no record has, for a filter whose text is not an id: the list is empty, as for any unknown id.
    static let none = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

    static func filter(_ text: String?) -> UUID? {
        text.map { UUID(uuidString: $0) ?? none }
    }
}
