import FluentKit
import Foundation

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

/// One application in a digest.
public struct DigestItem: Codable, Sendable, Equatable {
    public var applicationID: UUID
    public var applicationNumber: String
    public var warnings: [String]
    /// Red, and sent to this recipient as the district's or the city's supervisor.
    public var escalated: Bool

    public init(applicationID: UUID, applicationNumber: String, warnings: [String], escalated: Bool) {
        self.applicationID = applicationID
        self.applicationNumber = applicationNumber
        self.warnings = warnings
        self.escalated = escalated
    }
}
