import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// The enterprise registry: register, change, read and list enterprises, each within the caller's scope.
public struct EnterpriseUseCases: Sendable {
    let platform: Platform

    /// Registers an enterprise inside the caller's scope: `enterprise.create` in the audit trail.
    public func create(_ input: EnterpriseInput, by caller: Caller) async throws -> EnterpriseRecord {
        try caller.require(.writeEnterprises)
        // An enterprise's account edits its own record; registering enterprises is the officers'.
        if let role = caller.role, !role.registersEnterprises { throw UseCaseError.forbidden(.writeEnterprises, role: role) }
        var draft = EnterpriseDraft(uscc: "", name: "", district: "", kind: .registrant)
        let unreadable = input.apply(to: &draft, settingUSCC: true)
        try await check(draft, unreadable: unreadable, by: caller, on: platform.database)
        let checked = draft
        let taken = FieldProblem(
            "uscc", "an enterprise with the unified social credit code \(checked.uscc) is registered already", chinese: "该统一社会信用代码已登记")
        return try await platform.write(by: caller, conflict: taken) { write in
            // Checked regardless of scope: a USCC registered elsewhere is still taken. One the caller
            // cannot see is refused as any record outside its scope is, saying neither that it is
            // registered nor where (the USCC can only be refused, which a caller may notice).
            if let existing = try await EnterpriseStore.find(uscc: checked.uscc, on: write.db) {
                guard caller.admits(existing.location) else {
                    throw UseCaseError.outsideScope(FieldProblem("uscc", "is outside your scope", chinese: "超出您的权限范围"))
                }
                throw UseCaseError.conflict(taken)
            }
            let model = try await EnterpriseStore.insert(checked, on: write.db)
            let record = try EnterpriseRecord(model)
            try await write.audit(
                "enterprise.create", entityType: "enterprise", entityID: record.id.uuidString, before: nil, after: try Audit.json(checked))
            return record
        }
    }

    /// Changes the fields `input` sends (the USCC never changes) of an enterprise in the caller's
    /// scope, which must stay in it: `enterprise.update` with before and after. `version` is the
    /// version the change is based on: `stale` once another write changed the enterprise since (the
    /// change would undo it), `versionRequired` without one. An unchanged record writes nothing.
    public func update(id: UUID, _ input: EnterpriseInput, expecting version: Int?, by caller: Caller) async throws -> EnterpriseRecord {
        try await platform.write(by: caller) { write in
            // Found in scope first, so a role that may only read learns nothing it could not read.
            guard let model = try await EnterpriseStore.find(id: id, scope: caller.filter, on: write.db) else {
                throw UseCaseError.notFound(.enterprise)
            }
            try caller.require(.writeEnterprises)
            try model.check(basedOn: version, .enterprise)
            let before = model.draft
            var draft = before
            let unreadable = input.apply(to: &draft, settingUSCC: false)
            // Where an enterprise is registered is its officers' decision, not its own.
            if caller.role == .enterpriseUser, draft.location != before.location {
                let field = draft.district != before.district ? "district" : "park"
                throw UseCaseError.fieldForbidden(
                    FieldProblem(field, "is changed by the district or park officer", chinese: "企业的所属区和园区由所在区或园区的工作人员变更"))
            }
            try await check(draft, unreadable: unreadable, by: caller, on: write.db)
            guard draft != before else { return try EnterpriseRecord(model) }
            try await EnterpriseStore.update(model, to: draft, on: write.db)
            try await write.audit(
                "enterprise.update", entityType: "enterprise", entityID: id.uuidString, before: try Audit.json(before),
                after: try Audit.json(draft))
            return try EnterpriseRecord(model)
        }
    }

    /// The rules, then the scope: the fields that cannot be read, the draft's own rules, whether its
    /// district and park exist, and whether it lies in the caller's scope.
    private func check(_ draft: EnterpriseDraft, unreadable: [FieldProblem], by caller: Caller, on db: any Database) async throws {
        var problems = unreadable + draft.problems()
        if !problems.contains(where: { $0.field == "district" }) {
            problems += try await EnterpriseStore.regionProblems(
                of: draft, checkingPark: !problems.contains { $0.field == "park" }, on: db)
        }
        guard problems.isEmpty else { throw UseCaseError.invalid(problems) }
        guard caller.admits(draft.location) else {
            let field =
                switch caller.filter {
                case .everything, .districts: "district"
                case .park: "park"
                case .enterprise, .institution, .province: "uscc"
                }
            throw UseCaseError.outsideScope(FieldProblem(field, "is outside your scope", chinese: "超出您的权限范围"))
        }
    }

    /// An enterprise in the caller's scope; `notFound` for a missing one and a hidden one alike.
    public func find(id: UUID, by caller: Caller) async throws -> EnterpriseRecord {
        try caller.require(.readEnterprises)
        guard let model = try await EnterpriseStore.find(id: id, scope: caller.filter, on: platform.database) else {
            throw UseCaseError.notFound(.enterprise)
        }
        return try EnterpriseRecord(model)
    }

    /// The enterprise an enterprise user acts for (its scope's USCC), if it is registered.
    public func own(by caller: Caller) async throws -> EnterpriseRecord? {
        guard case .enterprise(let uscc) = caller.scope else { return nil }
        return try await EnterpriseStore.find(uscc: uscc, on: platform.database).map(EnterpriseRecord.init)
    }

    /// What a list may be narrowed to, on top of the caller's scope.
    public struct Filter: Sendable, Equatable {
        public var district: String?
        public var park: String?
        /// Part of the name, or the start of the USCC.
        public var text: String?

        public init(district: String? = nil, park: String? = nil, text: String? = nil) {
            self.district = district
            self.park = park
            self.text = text
        }
    }

    /// Enterprises in the caller's scope, by name then USCC, `limit` at a time.
    public func list(_ filter: Filter, limit: Int = 50, cursor: String? = nil, by caller: Caller) async throws -> Page<EnterpriseRecord> {
        try caller.require(.readEnterprises)
        let after = try Cursor.parse(cursor, parts: 2)
        let page = try await EnterpriseStore.list(
            .init(
                district: filter.district.nonBlank.map(TextRules.cleaned), park: filter.park.nonBlank.map(TextRules.cleaned),
                text: filter.text.map(TextRules.cleaned)), scope: caller.filter, limit: limit,
            after: after, on: platform.database)
        return Page(items: try page.items.map(EnterpriseRecord.init), next: page.next?.token)
    }
}

extension Platform {
    public var enterprises: EnterpriseUseCases { EnterpriseUseCases(platform: self) }
}
