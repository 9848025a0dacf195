import FluentKit
import Foundation

/// A row of `library_entries`: an FAQ entry or a case of the library.
public final class LibraryEntryModel: Model, VersionedModel, @unchecked Sendable {
    public static let schema = "library_entries"

    @ID(key: .id) public var id: UUID?
    @Field(key: "kind") public var kind: String
    @Field(key: "status") public var status: String
    @Field(key: "title") public var title: String
    /// An FAQ entry's question; a case's background.
    @Field(key: "question") public var question: String
    /// An FAQ entry's answer; a case's handling and lesson.
    @Field(key: "answer") public var answer: String
    @Field(key: "topic") public var topic: String
    @OptionalField(key: "product_category") public var productCategory: String?
    /// The answered consultation it was drawn from.
    @OptionalField(key: "consultation_id") public var consultationID: UUID?
    /// The desk that wrote it: a station's code; nil: the regulator.
    @OptionalField(key: "station_code") public var station: String?
    @Field(key: "author") public var author: String
    @Field(key: "drafted_on") public var draftedOn: String
    @OptionalField(key: "reviewer") public var reviewer: String?
    @OptionalField(key: "review_note") public var reviewNote: String?
    @OptionalField(key: "published_on") public var publishedOn: String?
    @OptionalField(key: "withdrawn_on") public var withdrawnOn: String?
    @Field(key: "views") public var views: Int
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}
}
