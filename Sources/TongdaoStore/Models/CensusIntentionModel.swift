import FluentKit
import Foundation
import TongdaoCore

/// A row of `census_intentions`: a product's declared plan for one census year.
public final class CensusIntentionModel: Model, ScopedModel, @unchecked Sendable {
    public static let schema = "census_intentions"
    public static let districtKey: FieldKey = "district_code"
    public static let parkKey: FieldKey = "park_code"
    public static let enterpriseKey: FieldKey = "uscc"

    @ID(key: .id) public var id: UUID?
    @Field(key: "year") public var year: Int
    @Parent(key: "product_id") public var product: ProductModel
    @Parent(key: "enterprise_id") public var enterprise: EnterpriseModel
    @Field(key: "uscc") public var uscc: String
    @Field(key: "district_code") public var district: String
    @OptionalField(key: "park_code") public var park: String?
    @Field(key: "stage") public var stage: DevelopmentStage
    @OptionalField(key: "expected_filing") public var expectedFiling: String?
    @Field(key: "channels") public var channelsText: String
    /// 指导需求 (migration 016).
    @OptionalField(key: "guidance_needs") public var guidanceNeeds: String?
    /// Who declared it last (`user:…` or `cli:…`).
    @Field(key: "submitted_by") public var submittedBy: String
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    /// The declaration's own fields.
    public typealias Declaration = CensusDeclaration

    public var declaration: Declaration {
        Declaration(
            stage: stage, expectedFiling: expectedFiling.flatMap(YearMonth.init), channels: ProductModel.split(channelsText),
            guidanceNeeds: guidanceNeeds)
    }

    func apply(_ declaration: Declaration) {
        stage = declaration.stage
        expectedFiling = declaration.expectedFiling?.description
        channelsText = ProductModel.joined(declaration.channels)
        guidanceNeeds = declaration.guidanceNeeds
    }

    public var location: RecordLocation { RecordLocation(district: district, park: park, enterprise: uscc) }
}

/// A row of `census_uploads`: a file waiting for its uploader to confirm the import.
public final class CensusUploadModel: Model, @unchecked Sendable {
    public static let schema = "census_uploads"

    @ID(key: .id) public var id: UUID?
    @Field(key: "year") public var year: Int
    @Field(key: "username") public var username: String
    @Field(key: "filename") public var filename: String
    @Field(key: "content") public var content: Data
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(year: Int, username: String, filename: String, content: Data) {
        self.year = year
        self.username = username
        self.filename = filename
        self.content = content
    }
}
