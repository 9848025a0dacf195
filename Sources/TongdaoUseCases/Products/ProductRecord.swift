import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// A product under development as the use cases return it: where it sits (its enterprise's place)
/// and its fields.
@dynamicMemberLookup
public struct ProductRecord: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var enterpriseID: UUID
    public var uscc: String
    public var district: String
    public var park: String?
    public var draft: ProductDraft
    /// 1 when submitted, one more with every change: what a change names as the version it is based on.
    public var version: Int
    public var createdAt: Date?
    public var updatedAt: Date?

    public init(
        id: UUID, enterpriseID: UUID, uscc: String, district: String, park: String?, draft: ProductDraft, version: Int = 1,
        createdAt: Date? = nil, updatedAt: Date? = nil
    ) {
        self.id = id
        self.enterpriseID = enterpriseID
        self.uscc = uscc
        self.district = district
        self.park = park
        self.draft = draft
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    init(_ model: ProductModel) throws {
        self.init(
            id: try model.requireID(), enterpriseID: model.$enterprise.id, uscc: model.uscc, district: model.district, park: model.park,
            draft: model.draft, version: model.version, createdAt: model.createdAt, updatedAt: model.updatedAt)
    }

    public var location: RecordLocation { RecordLocation(district: district, park: park, enterprise: uscc) }

    public subscript<T>(dynamicMember path: KeyPath<ProductDraft, T>) -> T { draft[keyPath: path] }
}

/// A product's fields as a form or a client submits them: codes and text as typed, nil where a
/// field is not sent (a patch leaves it; a new product takes the default); an empty text clears an
/// optional field. Read and checked by the use case, for the API and the pages alike.
public struct ProductInput: Sendable, Equatable {
    public var name: String?
    public var model: String?
    /// `ProductCategory`, `ManagementClass`, `DevelopmentStage` codes.
    public var category: String?
    public var managementClass: String?
    public var classificationCode: String?
    /// `KeyArea` and `FilingChannel` codes.
    public var keyAreas: [String]?
    public var stage: String?
    /// `YYYY-MM`.
    public var expectedFiling: String?
    public var channels: [String]?
    public var corePatents: String?
    public var technicalFeatures: String?
    public var clinicalAdvantage: String?
    public var udiDI: String?

    public init(
        name: String? = nil, model: String? = nil, category: String? = nil, managementClass: String? = nil, classificationCode: String? = nil,
        keyAreas: [String]? = nil, stage: String? = nil, expectedFiling: String? = nil, channels: [String]? = nil, corePatents: String? = nil,
        technicalFeatures: String? = nil, clinicalAdvantage: String? = nil, udiDI: String? = nil
    ) {
        self.name = name
        self.model = model
        self.category = category
        self.managementClass = managementClass
        self.classificationCode = classificationCode
        self.keyAreas = keyAreas
        self.stage = stage
        self.expectedFiling = expectedFiling
        self.channels = channels
        self.corePatents = corePatents
        self.technicalFeatures = technicalFeatures
        self.clinicalAdvantage = clinicalAdvantage
        self.udiDI = udiDI
    }

    /// The fields applied to `draft`, and the problems of those that cannot be read.
    func apply(to draft: inout ProductDraft) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        func code<T: LabelledCode>(_ text: String?, _ field: String, _ chinese: String, into value: inout T) {
            guard let text else { return }
            if let parsed = T(rawValue: text) {
                value = parsed
            } else {
                problems.append(FieldProblem(field, "must be one of \(T.allCases.map(\.rawValue).joined(separator: ", "))", chinese: chinese))
            }
        }
        func codes<T: LabelledCode>(_ texts: [String]?, _ field: String, into value: inout [T]) {
            guard let texts else { return }
            let parsed = texts.compactMap(T.init(rawValue:))
            if parsed.count == texts.count {
                value = parsed
            } else {
                problems.append(FieldProblem(field, "must be codes from \(T.allCases.map(\.rawValue).joined(separator: ", "))", chinese: "请从列表中选择"))
            }
        }
        if let name { draft.name = name }
        if let model { draft.model = model }
        code(category, "category", "请选择产品类别", into: &draft.category)
        code(managementClass, "managementClass", "请选择管理类别", into: &draft.managementClass)
        if let classificationCode { draft.classificationCode = classificationCode.nonBlank }
        codes(keyAreas, "keyAreas", into: &draft.keyAreas)
        code(stage, "stage", "请选择研发阶段", into: &draft.stage)
        if let expectedFiling {
            if expectedFiling.nonBlank == nil {
                draft.expectedFiling = nil
            } else if let month = YearMonth(expectedFiling) {
                draft.expectedFiling = month
            } else {
                problems.append(FieldProblem("expectedFiling", "must be a month YYYY-MM", chinese: "应为 YYYY-MM 格式的年月"))
            }
        }
        codes(channels, "channels", into: &draft.channels)
        if let corePatents { draft.corePatents = corePatents.nonBlank }
        if let technicalFeatures { draft.technicalFeatures = technicalFeatures.nonBlank }
        if let clinicalAdvantage { draft.clinicalAdvantage = clinicalAdvantage.nonBlank }
        if let udiDI { draft.udiDI = udiDI.nonBlank }
        return problems
    }
}
