import Foundation
import TongdaoCore
import TongdaoUseCases
import Vapor

/// The pages of joint inspections and recognised results: thin adapters over `platform.deltaJoint`
/// and `platform.deltaResults`.
enum DeltaInspectionController {
    struct Form: Content {
        var inspection: String?
        var province: String?
        var link: String?
        var note: String?
        var memberName: [String]?
        var memberOrganisation: [String]?
        var memberTitle: [String]?
        var creditCode: String?
        var types: [String]?
        var completedOn: String?
        var conclusion: String?
        var reference: String?
        var summary: String?
        var reason: String?
        var version: String?

        /// The inspectors' rows as typed, in order.
        var members: [DeltaJointMemberInput] {
            let names = memberName ?? [], organisations = memberOrganisation ?? [], titles = memberTitle ?? []
            return (0..<max(names.count, organisations.count, titles.count)).map { row in
                DeltaJointMemberInput(
                    name: row < names.count ? names[row] : nil, organisation: row < organisations.count ? organisations[row] : nil,
                    title: row < titles.count ? titles[row] : nil)
            }
        }

        var result: DeltaResultInput {
            DeltaResultInput(
                province: province, creditCode: creditCode, types: types ?? [], completedOn: completedOn, conclusion: conclusion,
                reference: reference, summary: summary)
        }

        func typed(_ refusal: UseCaseError) -> TypedForm {
            var values: [String: String] = [
                "inspection": inspection, "province": province, "link": link, "note": note, "creditCode": creditCode, "completedOn": completedOn,
                "conclusion": conclusion, "reference": reference, "summary": summary, "reason": reason,
            ].compactMapValues { $0 }
            for (row, member) in members.enumerated() {
                values["memberName\(row)"] = member.name ?? ""
                values["memberOrganisation\(row)"] = member.organisation ?? ""
                values["memberTitle\(row)"] = member.title ?? ""
            }
            var form = TypedForm(values: values, errors: refusal.fieldMessages)
            form.selected = Set(types ?? [])
            // A state that forbids the step (decided already, carried out) is said above the form.
            form.message = refusal.isStale ? "该记录已被他人更新，请核对当前内容后再提交。" : refusal.fieldMessages["status"]
            return form
        }
    }

    /// `GET /delta/inspections?link=&province=`: the joint inspection's form filled in for a link and a
    /// partner when the link's page sends them.
    @Sendable static func index(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readDelta)
        let prefilled = TypedForm(prefilling: ["link", "province"]) { req.query[String.self, at: $0] }
        return HTMLResponse.ok(try await indexPage(req, viewer: viewer, caller: caller, typed: prefilled, form: "joint"))
    }

    private static func indexPage(_ req: Request, viewer: Viewer, caller: Caller, typed: TypedForm?, form: String?) async throws -> String {
        let platform = req.platform
        return DeltaInspectionPages.index(
            joints: try await platform.deltaJoint.list(by: caller), results: try await platform.deltaResults.list(by: caller),
            plannable: caller.may(.writeDelta) ? try await platform.deltaJoint.plannable(by: caller) : [], typed: typed, form: form,
            viewer: viewer)
    }

    /// `POST /delta/joint`
    @Sendable static func plan(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let form = try req.content.decode(Form.self)
        do {
            let record = try await req.platform.deltaJoint.plan(
                DeltaJointInput(inspection: form.inspection, province: form.province, link: form.link, note: form.note, members: form.members),
                by: caller)
            return req.redirect(to: SiteURL.deltaJoint(id: record.id.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty {
            return HTMLResponse.page(
                try await indexPage(req, viewer: viewer, caller: caller, typed: form.typed(refusal), form: "joint"), status: refusal.formStatus)
        }
    }

    /// `POST /delta/results`
    @Sendable static func record(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let form = try req.content.decode(Form.self)
        do {
            let record = try await req.platform.deltaResults.record(form.result, by: caller)
            return req.redirect(to: SiteURL.deltaResult(id: record.id.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty {
            return HTMLResponse.page(
                try await indexPage(req, viewer: viewer, caller: caller, typed: form.typed(refusal), form: "result"), status: refusal.formStatus)
        }
    }

    /// `GET /delta/joint/:id`
    @Sendable static func joint(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readDelta)
        let record = try await req.platform.deltaJoint.detail(id: try id(req, .deltaJoint), by: caller)
        return HTMLResponse.ok(DeltaInspectionPages.joint(record, typed: nil, viewer: viewer))
    }

    /// `POST /delta/joint/:id/members`
    @Sendable static func setMembers(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let id = try id(req, .deltaJoint)
        let form = try req.content.decode(Form.self)
        let joints = req.platform.deltaJoint
        do {
            _ = try await joints.setMembers(id: id, form.members, expecting: form.version.flatMap { Int($0) }, by: caller)
            return req.redirect(to: SiteURL.deltaJoint(id: id.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty || refusal.isStale {
            let record = try await joints.detail(id: id, by: caller)
            return HTMLResponse.page(DeltaInspectionPages.joint(record, typed: form.typed(refusal), viewer: viewer), status: refusal.formStatus)
        }
    }

    /// `GET /delta/results/:id`
    @Sendable static func result(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readDelta)
        let record = try await req.platform.deltaResults.detail(id: try id(req, .deltaResult), by: caller)
        return HTMLResponse.ok(DeltaInspectionPages.result(record, typed: nil, viewer: viewer))
    }

    /// `POST /delta/results/:id/recognition`
    @Sendable static func recognise(req: Request) async throws -> Response {
        try await decide(req) { results, id, form, caller in
            try await results.recognise(id: id, expecting: form.version.flatMap { Int($0) }, by: caller)
        }
    }

    /// `POST /delta/results/:id/declination`
    @Sendable static func decline(req: Request) async throws -> Response {
        try await decide(req) { results, id, form, caller in
            try await results.decline(id: id, reason: form.reason, expecting: form.version.flatMap { Int($0) }, by: caller)
        }
    }

    /// A decision on a result: done, back to its page; refused, its page again with why.
    private static func decide(
        _ req: Request, _ step: (DeltaResultUseCases, UUID, Form, Caller) async throws -> DeltaResultRecord
    ) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let id = try id(req, .deltaResult)
        let form = try req.content.decode(Form.self)
        let results = req.platform.deltaResults
        do {
            _ = try await step(results, id, form, caller)
            return req.redirect(to: SiteURL.deltaResult(id: id.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty || refusal.isStale {
            let record = try await results.detail(id: id, by: caller)
            return HTMLResponse.page(DeltaInspectionPages.result(record, typed: form.typed(refusal), viewer: viewer), status: refusal.formStatus)
        }
    }

    private static func id(_ req: Request, _ kind: UseCaseError.RecordKind) throws -> UUID {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw UseCaseError.notFound(kind) }
        return id
    }
}
