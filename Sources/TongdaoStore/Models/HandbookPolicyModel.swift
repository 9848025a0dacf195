import FluentKit
import Foundation

/// A row of `policies`: a policy of the handbook (政策手册).
public final class HandbookPolicyModel: Model, VersionedModel, @unchecked Sendable {
    public static let schema = "policies"

    @ID(key: .id) public var id: UUID?
    @Field(key: "level") public var level: String
    /// A district's policy: the district's code.
    @OptionalField(key: "district_code") public var district: String?
    @Field(key: "title") public var title: String
    /// 文号
    @OptionalField(key: "document_number") public var documentNumber: String?
    /// 发布机关
    @Field(key: "issuer") public var issuer: String
    /// 责任单位
    @Field(key: "responsible_body") public var responsibleBody: String
    @Field(key: "contact") public var contact: String
    @Field(key: "phone") public var phone: String
    /// 政策要点
    @Field(key: "summary") public var summary: String
    /// Topic codes, joined by commas.
    @Field(key: "topics") public var topics: String
    /// Product category codes, joined by commas; empty: every type.
    @Field(key: "categories") public var categories: String
    @Field(key: "effective_on") public var effectiveOn: String
    @OptionalField(key: "expires_on") public var expiresOn: String?
    @OptionalField(key: "repealed_on") public var repealedOn: String?
    @OptionalField(key: "repeal_reason") public var repealReason: String?
    @OptionalField(key: "source_url") public var sourceURL: String?
    @Field(key: "author") public var author: String
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}
}
