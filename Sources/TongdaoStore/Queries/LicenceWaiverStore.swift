import FluentKit
import Foundation
import SQLKit
import TongdaoCore

/// What the licence-inspection waiver is decided on, read from where it was recorded: the
/// registration QMS inspections completed on an enterprise's applications (a corrected event read
/// as corrected), the production licences granted on them, and the enterprise's production or
/// licence inspections already settled.
public enum LicenceWaiverStore {
    public static func facts(
        uscc: String, targetID: UUID, excluding inspection: UUID, address: String, centrallyProcured: Bool, on database: any Database
    ) async throws -> LicenceWaiver.Facts {
        guard let sql = database as? any SQLDatabase else { throw BulkInsertError.notSQL }
        let kinds = [ApplicationEventKind.qmsInspectionCompleted.rawValue, ApplicationEventKind.productionLicenceGranted.rawValue]
        let rows = try await sql.select()
            .column(SQLColumn("id", table: "e")).column(SQLColumn("application_id", table: "e")).column(SQLColumn("kind", table: "e"))
            .column(SQLColumn("occurred_on", table: "e")).column(SQLColumn("supersedes", table: "e")).column(SQLColumn("site", table: "e"))
            .column(SQLColumn("qms_outcome", table: "e")).column(SQLColumn("application_number", table: "a"))
            .column(SQLColumn("name", table: "p"), as: "product_name")
            .from(SQLAlias(SQLIdentifier(ApplicationEventModel.schema), as: SQLIdentifier("e")))
            .join(
                SQLAlias(SQLIdentifier(ApplicationModel.schema), as: SQLIdentifier("a")), method: SQLJoinMethod.inner,
                on: SQLColumn("id", table: "a"), .equal, SQLColumn("application_id", table: "e")
            )
            .join(
                SQLAlias(SQLIdentifier(ProductModel.schema), as: SQLIdentifier("p")), method: SQLJoinMethod.inner,
                on: SQLColumn("id", table: "p"), .equal, SQLColumn("product_id", table: "a")
            )
            .where(SQLColumn("uscc", table: "a"), .equal, SQLBind(uscc))
            .where(SQLColumn("kind", table: "e"), .in, SQLBind.group(kinds))
            .orderBy(SQLColumn("occurred_on", table: "e")).orderBy(SQLColumn("id", table: "e"))
            .rows()
        // Every event a later one corrects: the correction stands in its place.
        let allSupersede = try await sql.select().column(SQLColumn("supersedes", table: "e"))
            .from(SQLAlias(SQLIdentifier(ApplicationEventModel.schema), as: SQLIdentifier("e")))
            .join(
                SQLAlias(SQLIdentifier(ApplicationModel.schema), as: SQLIdentifier("a")), method: SQLJoinMethod.inner,
                on: SQLColumn("id", table: "a"), .equal, SQLColumn("application_id", table: "e")
            )
            .where(SQLColumn("uscc", table: "a"), .equal, SQLBind(uscc)).where(SQLColumn("supersedes", table: "e"), .isNot, SQLLiteral.null)
            .rows()
        let superseded = Set(try allSupersede.compactMap { try $0.optionalUUID("supersedes") })
        var licensed: [String] = []
        var inspections: [LicenceWaiver.RegistrationInspection] = []
        for row in rows where !superseded.contains(try row.uuid("id")) {
            guard let day = CivilDate(try row.text("occurred_on")) else { continue }
            let (number, product) = (try row.text("application_number"), try row.text("product_name"))
            if try row.text("kind") == ApplicationEventKind.productionLicenceGranted.rawValue {
                licensed.append("\(product)（\(number)）\(day) 已取得生产许可")
            } else {
                inspections.append(
                    LicenceWaiver.RegistrationInspection(
                        application: try row.uuid("application_id"), number: number, product: product, completedOn: day,
                        site: try row.optionalText("site"), outcome: try row.optionalText("qms_outcome").flatMap(QMSOutcome.init)))
            }
        }
        let settled = try await InspectionModel.query(on: database).filter(\.$targetID == targetID).filter(\.$id != inspection)
            .filter(\.$status ~~ [InspectionStatus.completed.rawValue, InspectionStatus.waived.rawValue]).sort(\.$completedOn).all()
        for model in settled {
            let types = model.types.split(separator: ",").compactMap { InspectionType(rawValue: String($0)) }
            guard types.contains(.manufacturer) || types.contains(.licence) else { continue }
            let verb = model.status == InspectionStatus.waived.rawValue ? "已减免生产许可现场检查" : "已完成生产检查"
            licensed.append("\(model.completedOn ?? model.closedOn ?? "")\(verb)")
        }
        return LicenceWaiver.Facts(address: address, centrallyProcured: centrallyProcured, licensed: licensed, inspections: inspections)
    }
}
