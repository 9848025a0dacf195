import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// The UDI-DIs of marketed products (issue 19 item 1): recorded by the registrant or the regulator
/// (`product.write`, in scope) on a product with a certificate, one DI once in the platform; read
/// with the product; a scanned label looked up to the product whose DI it carries.
public struct UDIUseCases: Sendable {
    let platform: Platform

    /// A product's UDI-DIs.
    public func list(product: UUID, by caller: Caller) async throws -> [UDIRecord] {
        try caller.require(.readProducts)
        guard try await ProductStore.find(id: product, scope: caller.filter, on: platform.database) != nil else {
            throw UseCaseError.notFound(.product)
        }
        return try await AdverseEventStore.identifiers(of: product, on: platform.database).map(Self.record)
    }

    public static let takenAlready = FieldProblem("di", "is recorded already", chinese: "该产品标识已登记（同一标识只能属于一个产品的一个包装级别）")

    /// Records a DI on a marketed product in scope.
    public func add(_ input: UDIInput, to product: UUID, by caller: Caller) async throws -> UDIRecord {
        try caller.require(.writeProducts)
        var reader = FieldReader()
        let agency = reader.code("agency", input.agency, label: "发码机构", as: UDIAgency.self)
        let packaging = reader.code("packaging", input.packaging, label: "包装级别", as: PackagingLevel.self)
        let di = reader.text("di", input.di, label: "产品标识（UDI-DI）", maximum: 64)
        let quantity = reader.count("quantity", input.quantity ?? 1, label: "包装内数量", in: 1...100_000)
        if let di, let agency, let problem = agency.problem(with: di) { reader.problems.append(problem) }
        if packaging == .unit, let quantity, quantity != 1 {
            reader.problems.append(FieldProblem("quantity", "must be 1 for the unit of use", chinese: "最小销售单元的包装内数量应为 1"))
        }
        let problems = reader.problems
        return try await platform.write(by: caller, conflict: Self.takenAlready) { write in
            guard let marketed = try await AdverseEventStore.marketed(product: product, scope: caller.filter, on: write.db) else {
                if try await ProductStore.find(id: product, scope: caller.filter, on: write.db) == nil { throw UseCaseError.notFound(.product) }
                throw UseCaseError.invalid([
                    FieldProblem("product", "has no certificate: not on the market", chinese: "该产品尚未取得注册证，不能登记产品标识")
                ])
            }
            guard problems.isEmpty, let di, let agency, let packaging, let quantity else { throw UseCaseError.invalid(problems) }
            if try await AdverseEventStore.identifier(di, on: write.db) != nil { throw UseCaseError.conflict(Self.takenAlready) }
            let row = try await AdverseEventStore.addIdentifier(
                di, agency: agency, packaging: packaging, quantity: quantity, to: marketed.product, by: caller.audit.name, now: write.now,
                on: write.db)
            try await write.audit(
                "udi.add", entityType: "product", entityID: product.uuidString, before: nil,
                after: try Audit.json(["di": di, "agency": agency.rawValue, "packaging": packaging.rawValue, "quantity": String(quantity)]))
            return Self.record(row)
        }
    }

    /// Removes a DI recorded in error.
    public func remove(_ id: UUID, from product: UUID, by caller: Caller) async throws {
        try caller.require(.writeProducts)
        try await platform.write(by: caller) { write in
            guard try await ProductStore.find(id: product, scope: caller.filter, on: write.db) != nil else { throw UseCaseError.notFound(.product) }
            guard let row = try await UDIDeviceIdentifierModel.find(id, on: write.db), row.productID == product else {
                throw UseCaseError.notFound(.udi)
            }
            try await row.delete(on: write.db)
            try await write.audit(
                "udi.remove", entityType: "product", entityID: product.uuidString, before: try Audit.json(["di": row.di]), after: nil)
        }
    }

    /// The product a scanned label names (any reporter finds a marketed product by its label).
    public func lookup(label: String?, by caller: Caller) async throws -> UDILookup {
        try caller.require(.reportAdverseEvents)
        let text = label?.trimmingWhitespace() ?? ""
        guard !text.isEmpty else { throw UseCaseError.invalid([FieldProblem("label", "is required", chinese: "请扫描或填写标签条码")]) }
        let read: GS1ElementString
        switch GS1ElementString.parse(text, today: platform.clock.today()) {
        case .success(let value): read = value
        case .failure(let problem):
            throw UseCaseError.invalid([FieldProblem("label", "cannot be read: \(problem.message)", chinese: "条码无法识别：\(problem.message)")])
        }
        guard let di = read.deviceIdentifier, let row = try await AdverseEventStore.identifier(di, on: platform.database),
            let product = try await ProductModel.find(row.productID, on: platform.database)
        else {
            throw UseCaseError.invalid([
                FieldProblem("label", "names no product's UDI-DI", chinese: "没有上市产品登记了该条码的产品标识 \(read.deviceIdentifier ?? "")")
            ])
        }
        return UDILookup(
            label: read, productID: row.productID, productName: product.name,
            certificate: try await AdverseEventStore.certificate(of: row.productID, on: platform.database))
    }

    static func record(_ row: UDIDeviceIdentifierModel) -> UDIRecord {
        UDIRecord(
            id: row.id ?? UUID(), productID: row.productID, di: row.di, agency: UDIAgency(rawValue: row.agency) ?? .gs1,
            packaging: PackagingLevel(rawValue: row.packaging) ?? .unit, quantity: row.quantity)
    }
}

extension Platform {
    public var udi: UDIUseCases { UDIUseCases(platform: self) }
}
