import FluentKit
import Foundation
import TongdaoCore

/// A row of `products`.
public final class ProductModel: Model, ScopedModel, VersionedModel, @unchecked Sendable {
    public static let schema = "products"
    public static let districtKey: FieldKey = "district_code"
    public static let parkKey: FieldKey = "park_code"
    public static let enterpriseKey: FieldKey = "uscc"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "enterprise_id") public var enterprise: EnterpriseModel
    @Field(key: "uscc") public var uscc: String
    @Field(key: "district_code") public var district: String
    @OptionalField(key: "park_code") public var park: String?
    @Field(key: "name") public var name: String
    @Field(key: "model") public var model: String
    @Field(key: "category") public var category: ProductCategory
    @Field(key: "management_class") public var managementClass: ManagementClass
    @OptionalField(key: "classification_code") public var classificationCode: String?
    /// `,a,b,` — delimited on both sides so that one key area is one `LIKE '%,a,%'`.
    @Field(key: "key_areas") public var keyAreasText: String
    @Field(key: "stage") public var stage: DevelopmentStage
    @OptionalField(key: "expected_filing") public var expectedFiling: String?
    @Field(key: "channels") public var channelsText: String
    @OptionalField(key: "core_patents") public var corePatents: String?
    @OptionalField(key: "technical_features") public var technicalFeatures: String?
    @OptionalField(key: "clinical_advantage") public var clinicalAdvantage: String?
    @OptionalField(key: "udi_di") public var udiDI: String?
    /// 1 when made, one more with every change (`updateVersioned`).
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    init(_ draft: ProductDraft, enterprise: EnterpriseModel, id: UUID) throws {
        self.id = id
        $enterprise.id = try enterprise.requireID()
        place(in: enterprise)
        apply(draft)
        version = 1
    }

    func place(in enterprise: EnterpriseModel) {
        uscc = enterprise.uscc
        district = enterprise.district
        park = enterprise.park
    }

    func apply(_ draft: ProductDraft) {
        name = draft.name
        model = draft.model
        category = draft.category
        managementClass = draft.managementClass
        classificationCode = draft.classificationCode
        keyAreasText = Self.joined(draft.keyAreas)
        stage = draft.stage
        expectedFiling = draft.expectedFiling?.description
        channelsText = Self.joined(draft.channels)
        corePatents = draft.corePatents
        technicalFeatures = draft.technicalFeatures
        clinicalAdvantage = draft.clinicalAdvantage
        udiDI = draft.udiDI
    }

    public var draft: ProductDraft {
        ProductDraft(
            name: name, model: model, category: category, managementClass: managementClass, classificationCode: classificationCode,
            keyAreas: Self.split(keyAreasText), stage: stage, expectedFiling: expectedFiling.flatMap(YearMonth.init),
            channels: Self.split(channelsText), corePatents: corePatents, technicalFeatures: technicalFeatures,
            clinicalAdvantage: clinicalAdvantage, udiDI: udiDI)
    }

    public var location: RecordLocation { RecordLocation(district: district, park: park, enterprise: uscc) }

    static func joined<T: LabelledCode>(_ values: [T]) -> String {
        values.isEmpty ? "" : "," + values.map(\.rawValue).joined(separator: ",") + ","
    }

    static func split<T: LabelledCode>(_ text: String) -> [T] {
        text.split(separator: ",").compactMap { T(rawValue: String($0)) }
    }
}
