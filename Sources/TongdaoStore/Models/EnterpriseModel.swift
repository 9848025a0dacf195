import FluentKit
import Foundation
import TongdaoCore

/// A row of `enterprises`.
public final class EnterpriseModel: Model, ScopedModel, VersionedModel, @unchecked Sendable {
    public static let schema = "enterprises"
    public static let districtKey: FieldKey = "district_code"
    public static let parkKey: FieldKey = "park_code"
    public static let enterpriseKey: FieldKey = "uscc"

    @ID(key: .id) public var id: UUID?
    @Field(key: "uscc") public var uscc: String
    @Field(key: "name") public var name: String
    @Field(key: "district_code") public var district: String
    @OptionalField(key: "park_code") public var park: String?
    @Field(key: "kind") public var kind: EnterpriseKind
    @Field(key: "is_startup") public var isStartup: Bool
    @OptionalField(key: "contact_name") public var contactName: String?
    @OptionalField(key: "contact_phone") public var contactPhone: String?
    /// 1 when made, one more with every change (`updateVersioned`).
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    init(_ draft: EnterpriseDraft) {
        uscc = draft.uscc
        apply(draft)
        version = 1
    }

    /// Copies every field but the USCC, which identifies the enterprise and never changes.
    func apply(_ draft: EnterpriseDraft) {
        name = draft.name
        district = draft.district
        park = draft.park
        kind = draft.kind
        isStartup = draft.isStartup
        contactName = draft.contactName
        contactPhone = draft.contactPhone
    }

    public var draft: EnterpriseDraft {
        EnterpriseDraft(
            uscc: uscc, name: name, district: district, park: park, kind: kind, isStartup: isStartup,
            contactName: contactName, contactPhone: contactPhone)
    }

    public var location: RecordLocation { RecordLocation(district: district, park: park, enterprise: uscc) }
}
