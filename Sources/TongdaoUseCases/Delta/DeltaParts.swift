import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

extension FieldReader {
    /// A partner province of the Delta (江苏、浙江、安徽) by its code or name: Shanghai, the platform's own
    /// city, is refused at the field.
    mutating func partner(_ field: String, _ value: String?, label: String) -> DeltaProvince? {
        guard let province = code(field, value, label: label, as: DeltaProvince.self) else { return nil }
        guard province.isPartner else {
            problems.append(FieldProblem(field, "must be a partner province", chinese: "\(label)应为江苏、浙江或安徽省"))
            return nil
        }
        return province
    }
}

extension DeltaStore {
    /// The link `id` names, if it involves `province`; otherwise nil with its problem at `link`.
    static func link(
        _ id: UUID?, involving province: DeltaProvince?, problems: inout [FieldProblem], on db: any Database
    ) async throws -> DeltaLinkModel? {
        guard let id, let province else { return nil }
        guard let link = try await DeltaStore.link(id, scope: .province(province), on: db) else {
            problems.append(FieldProblem("link", "names no link involving the partner", chinese: "该跨省委托生产关系不涉及\(province.name)"))
            return nil
        }
        return link
    }
}

extension DeltaStore {
    /// Links' product names, by link.
    static func productNames(of links: [UUID], on db: any Database) async throws -> [UUID: String] {
        guard !links.isEmpty else { return [:] }
        return Dictionary(
            try await DeltaLinkModel.query(on: db).filter(\.$id ~~ Array(Set(links))).all().compactMap { model in
                model.id.map { ($0, model.productName) }
            }, uniquingKeysWith: { first, _ in first })
    }

    /// Inspections by id, the ones the Delta's records point to.
    static func inspections(_ ids: [UUID], on db: any Database) async throws -> [UUID: InspectionModel] {
        guard !ids.isEmpty else { return [:] }
        return Dictionary(
            try await InspectionModel.query(on: db).filter(\.$id ~~ Array(Set(ids))).all().compactMap { model in model.id.map { ($0, model) } },
            uniquingKeysWith: { first, _ in first })
    }
}

extension DeltaShareRecord.Finding {
    /// A finding as the Delta's records show it: its evidence note only where `evidence` says so.
    init(_ model: InspectionFindingModel, evidence: Bool) {
        self.init(
            number: model.number, clause: model.clause, grade: FindingGrade(rawValue: model.grade) ?? .general, description: model.description,
            evidence: evidence ? model.evidence : nil)
    }
}
