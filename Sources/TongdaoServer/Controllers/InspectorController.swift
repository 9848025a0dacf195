import Foundation
import TongdaoCore
import TongdaoUseCases
import Vapor

/// The inspector pool's pages: thin adapters over the same use cases as the API.
enum InspectorController {
    static let pageSize = 50

    /// The form as posted: every field a string (a list's rows as arrays, row by row), so whatever
    /// was typed can be shown again.
    struct InspectorForm: Content {
        var name: String?
        var username: String?
        var categories: [String]?
        var specialties: [String]?
        var fullTime: String?
        var rank: String?
        var capacityDays: String?
        var active: String?
        var employmentEmployer: [String]?
        var employmentUscc: [String]?
        var employmentFrom: [String]?
        var employmentTo: [String]?
        var relationshipParty: [String]?
        var relationshipUscc: [String]?
        var relationshipKind: [String]?
        var relationshipDeclaredOn: [String]?
        var relationshipNote: [String]?
        var trainingOn: [String]?
        var trainingCourse: [String]?
        var trainingHours: [String]?
        /// The version of the inspector the edit form was opened on.
        var version: Int?

        /// The `index`th value of a row's column (a missing one is empty).
        private static func at(_ column: [String]?, _ index: Int) -> String { column.flatMap { $0.indices.contains(index) ? $0[index] : nil } ?? "" }

        private static func count(_ columns: [[String]?]) -> Int { columns.map { $0?.count ?? 0 }.max() ?? 0 }

        var employments: [EmploymentInput] {
            (0..<Self.count([employmentEmployer, employmentUscc, employmentFrom, employmentTo])).map { index in
                EmploymentInput(
                    employer: Self.at(employmentEmployer, index), uscc: Self.at(employmentUscc, index), from: Self.at(employmentFrom, index),
                    to: Self.at(employmentTo, index))
            }
        }

        var relationships: [RelationshipInput] {
            (0..<Self.count([relationshipParty, relationshipUscc, relationshipKind, relationshipDeclaredOn, relationshipNote])).map { index in
                RelationshipInput(
                    party: Self.at(relationshipParty, index), uscc: Self.at(relationshipUscc, index), kind: Self.at(relationshipKind, index),
                    declaredOn: Self.at(relationshipDeclaredOn, index), note: Self.at(relationshipNote, index))
            }
        }

        var trainings: [TrainingInput] {
            (0..<Self.count([trainingOn, trainingCourse, trainingHours])).map { index in
                TrainingInput(on: Self.at(trainingOn, index), course: Self.at(trainingCourse, index), hours: Self.at(trainingHours, index))
            }
        }

        /// The input the use case reads; the rows as typed, blank ones included (they are skipped
        /// there, and keep their places so that a problem names the row as the page numbers it).
        var input: InspectorInput {
            InspectorInput(
                username: username, name: name, categories: categories ?? [], specialties: specialties ?? [], fullTime: fullTime == "true",
                rank: rank, capacityDays: capacityDays, active: active == "true", employments: employments, relationships: relationships,
                trainings: trainings)
        }

        /// The page's fields as typed.
        func model(id: String?) -> InspectorPages.FormModel {
            var model = InspectorPages.FormModel(id: id)
            model.name.value = name ?? ""
            model.username.value = username ?? ""
            model.categories.value = (categories ?? []).joined(separator: ",")
            model.specialties.value = (specialties ?? []).joined(separator: ",")
            model.fullTime.value = fullTime == "true" ? "true" : ""
            model.rank.value = rank ?? ""
            model.capacityDays.value = capacityDays ?? ""
            model.active.value = active == "true" ? "true" : ""
            typealias Form = InspectorPages.FormModel
            model.employments = employments.map { row in
                Form.employment(employer: row.employer ?? "", uscc: row.uscc ?? "", from: row.from ?? "", to: row.to ?? "")
            }
            model.relationships = relationships.map { row in
                Form.relationship(
                    party: row.party ?? "", uscc: row.uscc ?? "", kind: row.kind ?? "", declaredOn: row.declaredOn ?? "", note: row.note ?? "")
            }
            model.trainings = trainings.map { row in Form.training(on: row.on ?? "", course: row.course ?? "", hours: row.hours ?? "") }
            return model
        }
    }

    /// `GET /inspectors`
    @Sendable static func list(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readInspectors)
        let text: (String) -> String = { req.query[String.self, at: $0] ?? "" }
        let (q, category, specialty, fullTime, rank) = (text("q"), text("category"), text("specialty"), text("fullTime"), text("rank"))
        let page = try await req.platform.inspectors.list(
            .init(
                category: category.nonEmpty, specialty: specialty.nonEmpty, fullTime: fullTime.isEmpty ? nil : fullTime == "true",
                rank: rank.nonEmpty, text: q.nonEmpty),
            limit: pageSize, cursor: req.query[String.self, at: "cursor"], by: caller)
        let nextQuery = page.next.flatMap {
            SiteURL.query([("q", q), ("category", category), ("specialty", specialty), ("fullTime", fullTime), ("rank", rank), ("cursor", $0)])
        }
        let model = InspectorPages.ListModel(
            items: page.items, summary: try await req.platform.inspectors.summary(by: caller), category: category, specialty: specialty,
            fullTime: fullTime, rank: rank, q: q, nextQuery: nextQuery, canManage: viewer.may(.manageInspectors), today: req.platform.clock.today())
        return HTMLResponse.ok(InspectorPages.list(model, viewer: viewer))
    }

    /// `GET /inspectors/:id`
    @Sendable static func show(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readInspectors)
        let item = try await req.platform.inspectors.find(id: try id(req), by: caller)
        let performance = item.tiesShown ? try await req.platform.inspectors.performance(id: item.id, by: caller) : nil
        return HTMLResponse.ok(
            InspectorPages.show(
                item, canManage: viewer.may(.manageInspectors), performance: performance, today: req.platform.clock.today(), viewer: viewer))
    }

    /// `GET /inspectors/export?format=xlsx|csv&year=` — the pool with the year's record (its managers).
    @Sendable static func export(req: Request) async throws -> Response {
        let (_, caller) = try req.requireViewer(allowedTo: .manageInspectors)
        let format = try FileDownload.format(req, default: .xlsx)
        let year = req.query[String.self, at: "year"].flatMap { Int($0) } ?? req.platform.clock.today().year
        guard (2000...2100).contains(year) else { throw Abort(.badRequest, reason: "年份应在 2000 至 2100 之间") }
        let data = try await req.platform.inspectors.export(year: year, format: format, by: caller)
        return FileDownload.response(data, format: format, name: "inspectors-\(year)")
    }

    /// `GET /inspectors/sheet` — the pool's sheet: its columns, its export and the upload form (its managers).
    @Sendable static func sheet(req: Request) async throws -> Response {
        let (viewer, _) = try req.requireViewer(allowedTo: .manageInspectors)
        return HTMLResponse.ok(InspectorSheetPages.page(error: nil, viewer: viewer))
    }

    struct SheetUploadForm: Content {
        var file: File?
    }

    /// `POST /inspectors/sheet/uploads` — keep the file, dry-run it, show the report.
    @Sendable static func uploadSheet(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .manageInspectors)
        try CSRF.verify(req)
        let form = try req.content.decode(SheetUploadForm.self)
        func again(_ error: String) -> Response {
            HTMLResponse.page(InspectorSheetPages.page(error: error, viewer: viewer), status: .unprocessableEntity)
        }
        guard let file = form.file, file.data.readableBytes > 0 else { return again("请选择要上传的文件") }
        do {
            let (report, upload) = try await req.platform.inspectors.stageUpload(
                Data(file.data.readableBytesView), filename: file.filename, by: caller)
            return HTMLResponse.page(
                InspectorSheetPages.report(report, uploadID: upload, filename: file.filename, viewer: viewer),
                status: report.rejected.isEmpty ? .ok : .unprocessableEntity)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty {
            return again(refusal.chinese)
        }
    }

    /// `POST /inspectors/sheet/uploads/:id/commit` — import the confirmed file, all rows or none.
    @Sendable static func commitSheet(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .manageInspectors)
        try CSRF.verify(req)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw UseCaseError.notFound(.upload) }
        let (report, filename, kept) = try await req.platform.inspectors.commitUpload(id: id, by: caller)
        return HTMLResponse.page(
            InspectorSheetPages.report(report, uploadID: kept, filename: filename, viewer: viewer),
            status: report.committed ? .ok : .unprocessableEntity)
    }

    /// `GET /inspectors/new`
    @Sendable static func new(req: Request) async throws -> Response {
        let (viewer, _) = try req.requireViewer(allowedTo: .manageInspectors)
        var model = InspectorPages.FormModel()
        model.addSpareRows()
        return HTMLResponse.ok(InspectorPages.form(model, viewer: viewer))
    }

    /// `POST /inspectors`
    @Sendable static func create(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let form = try req.content.decode(InspectorForm.self)
        do {
            let created = try await req.platform.inspectors.create(form.input, by: caller)
            return req.redirect(to: SiteURL.inspector(id: created.id.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty {
            var model = form.model(id: nil)
            model.attach(refusal.fieldMessages)
            return HTMLResponse.page(InspectorPages.form(model, viewer: viewer), status: refusal.status)
        }
    }

    /// `GET /inspectors/:id/edit`
    @Sendable static func edit(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .manageInspectors)
        var model = InspectorPages.FormModel(try await req.platform.inspectors.find(id: try id(req), by: caller))
        model.addSpareRows()
        return HTMLResponse.ok(InspectorPages.form(model, viewer: viewer))
    }

    /// `POST /inspectors/:id`
    @Sendable static func update(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let id = try id(req)
        let form = try req.content.decode(InspectorForm.self)
        do {
            let updated = try await req.platform.inspectors.update(id: id, form.input, expecting: form.version, by: caller)
            return req.redirect(to: SiteURL.inspector(id: updated.id.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where refusal.isStale {
            var model = form.model(id: id.uuidString)
            model.rebase(on: .init(try await req.platform.inspectors.find(id: id, by: caller)), message: refusal.staleMessage)
            return HTMLResponse.page(InspectorPages.form(model, viewer: viewer), status: refusal.status)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty {
            var model = form.model(id: id.uuidString)
            model.version = form.version
            model.attach(refusal.fieldMessages)
            return HTMLResponse.page(InspectorPages.form(model, viewer: viewer), status: refusal.status)
        }
    }

    /// The `:id` of the path; a text that is no id names no inspector.
    private static func id(_ req: Request) throws -> UUID {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw UseCaseError.notFound(.inspector) }
        return id
    }
}
