import Foundation
import OpenAPIRuntime
import TongdaoAPI
import TongdaoCore
import TongdaoUseCases
import Vapor

// The risk checklist of innovative products (issue 19 item 5): thin adapters over `platform.risk`.
extension APIHandler {
    /// `GET /api/v1/risk-checklist`
    func getRiskChecklist(_ input: Operations.GetRiskChecklist.Input) async throws -> Operations.GetRiskChecklist.Output {
        let req = try RequestContext.require()
        let rows = try await req.platform.risk.checklist(by: try req.requireCaller())
        return .ok(.init(body: .json(.init(items: try rows.map(Components.Schemas.RiskChecklistRow.init)))))
    }

    /// `GET /api/v1/products/{id}/risk`
    func getProductRiskFile(_ input: Operations.GetProductRiskFile.Input) async throws -> Operations.GetProductRiskFile.Output {
        let req = try RequestContext.require()
        let file = try await req.platform.risk.file(product: try Self.id(input.path.id, .product), by: try req.requireCaller())
        return .ok(.init(body: .json(try .init(file))))
    }

    /// `POST /api/v1/products/{id}/risk/items`
    func addRiskItem(_ input: Operations.AddRiskItem.Input) async throws -> Operations.AddRiskItem.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let file = try await req.platform.risk.addItem(
            product: try Self.id(input.path.id, .product),
            RiskItemInput(source: body.source.rawValue, description: body.description, control: body.control, owner: body.owner, dueOn: body.dueOn),
            by: try req.requireCaller())
        return .created(.init(body: .json(try .init(file))))
    }

    /// `POST /api/v1/products/{id}/risk/items/{itemId}/status`
    func changeRiskItem(_ input: Operations.ChangeRiskItem.Input) async throws -> Operations.ChangeRiskItem.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let file = try await req.platform.risk.changeItem(
            product: try Self.id(input.path.id, .product), item: try Self.id(input.path.itemId, .riskItem), status: body.status.rawValue,
            note: body.note, expecting: try EntityTag.version(ifMatch: input.headers.ifMatch), by: try req.requireCaller())
        return .ok(.init(body: .json(try .init(file))))
    }

    /// `POST /api/v1/products/{id}/risk/meetings`
    func holdRiskMeeting(_ input: Operations.HoldRiskMeeting.Input) async throws -> Operations.HoldRiskMeeting.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let changes = (body.changes?.additionalProperties ?? [:]).mapValues(\.rawValue)
        let file = try await req.platform.risk.holdMeeting(
            product: try Self.id(input.path.id, .product),
            RiskMeetingInput(heldOn: body.heldOn, attendees: body.attendees.joined(separator: "\n"), decisions: body.decisions, changes: changes),
            by: try req.requireCaller())
        return .created(.init(body: .json(try .init(file))))
    }

    /// `POST /api/v1/products/{id}/risk/plans`
    func attachSpecialPlan(_ input: Operations.AttachSpecialPlan.Input) async throws -> Operations.AttachSpecialPlan.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let file = try await req.platform.risk.attachPlan(
            product: try Self.id(input.path.id, .product), SpecialPlanInput(title: body.title, content: body.content, from: body.from, to: body.to),
            by: try req.requireCaller())
        return .created(.init(body: .json(try .init(file))))
    }

    /// `POST /api/v1/products/{id}/risk/periodic-reports/{year}`
    func submitPeriodicRiskReport(_ input: Operations.SubmitPeriodicRiskReport.Input) async throws -> Operations.SubmitPeriodicRiskReport.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let file = try await req.platform.risk.submitPeriodicReport(
            product: try Self.id(input.path.id, .product), year: input.path.year, summary: body.summary, by: try req.requireCaller())
        return .created(.init(body: .json(try .init(file))))
    }
}

extension Components.Schemas.RiskChecklistRow {
    init(_ row: RiskChecklistRow) throws {
        self.init(
            productId: row.productID.uuidString, productName: row.productName, registrant: row.registrant, certificate: row.certificate,
            approvedOn: row.approvedOn.description, channel: row.channel.label, conditional: row.conditional, openItems: row.openItems,
            controllingItems: row.controllingItems, overdueItems: row.overdueItems, lastMeeting: row.lastMeeting?.description, plan: row.plan,
            periodic: try row.periodic.map { report in
                .init(
                    year: report.year, from: report.from.description, to: report.to.description, dueOn: report.dueOn.description,
                    state: try APIEnum.convert(report.state), stateLabel: report.state.label, submittedOn: report.submittedOn?.description,
                    summary: report.summary, submittedBy: report.submittedBy)
            })
    }
}

extension Components.Schemas.ProductRiskFile {
    init(_ file: ProductRiskFile) throws {
        self.init(
            row: try .init(file.row), limited: file.limited,
            items: try file.items.map { item in
                .init(
                    id: item.id.uuidString, version: item.version, source: try APIEnum.convert(item.source), sourceLabel: item.source.label,
                    description: item.description, control: item.control, owner: item.owner, dueOn: item.dueOn.description,
                    status: try APIEnum.convert(item.status), statusLabel: item.status.label, overdue: item.overdue, createdBy: item.createdBy,
                    events: try item.events.map { .init(kind: try APIEnum.convert($0.kind), at: $0.at, by: $0.by, detail: $0.detail) })
            },
            meetings: file.meetings.map {
                .init(id: $0.id.uuidString, heldOn: $0.heldOn.description, attendees: $0.attendees, decisions: $0.decisions, createdBy: $0.createdBy)
            },
            plans: file.plans.map {
                .init(
                    id: $0.id.uuidString, title: $0.title, content: $0.content, from: $0.from.description, to: $0.to.description,
                    inForce: $0.inForce, createdBy: $0.createdBy)
            })
    }
}
