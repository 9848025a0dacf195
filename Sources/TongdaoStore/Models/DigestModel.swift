import FluentKit
import Foundation
import TongdaoCore

/// A row of `digests`: what one person was sent about one day.
public final class DigestModel: Model, @unchecked Sendable {
    public static let schema = "digests"

    @ID(key: .id) public var id: UUID?
    @Field(key: "day") public var day: String
    @Field(key: "recipient") public var recipient: String
    /// JSON: `[DigestItem]`.
    @Field(key: "items") public var itemsJSON: String
    /// How many items were escalated to this recipient as a supervisor.
    @Field(key: "escalated") public var escalated: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public var items: [DigestItem] {
        (try? JSONDecoder().decode([DigestItem].self, from: Data(itemsJSON.utf8))) ?? []
    }
}
