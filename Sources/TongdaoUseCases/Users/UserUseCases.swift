import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// User administration (the platform administrator, or the operator's command line): create,
/// disable, reset passwords, list. Disabling or resetting ends the user's sessions and tokens at once.
public struct UserUseCases: Sendable {
    let platform: Platform

    /// Every user, by username.
    public func list(by caller: Caller) async throws -> [UserRecord] {
        try caller.require(.manageUsers)
        var records = try await UserStore.list(on: platform.database).map(UserRecord.init)
        let usccs = records.compactMap { if case .enterprise(let uscc) = $0.scope { uscc } else { nil } }
        let enterprises = try await EnterpriseStore.names(ofUSCCs: usccs, on: platform.database)
        let institutionIDs = records.compactMap { if case .institution(let id) = $0.scope { UUID(uuidString: id) } else { nil } }
        let institutions = try await TrialStore.institutionNames(of: institutionIDs, on: platform.database)
        for index in records.indices {
            let scope = records[index].scope
            records[index].scopeLabel =
                switch scope {
                case .enterprise(let uscc): enterprises[uscc] ?? uscc
                case .institution(let id): UUID(uuidString: id).flatMap { institutions[$0] } ?? "未登记的临床试验机构"
                default: ReferenceData.label(of: scope) ?? scope.description
                }
        }
        return records
    }

    /// A user by name, for the administration's pages.
    public func find(username: String, by caller: Caller) async throws -> UserRecord {
        try caller.require(.manageUsers)
        guard UserStore.isValidUsername(username) else { throw UseCaseError.notFound(.user) }
        guard let user = try await UserStore.find(username: username, on: platform.database) else { throw UseCaseError.notFound(.user) }
        return try UserRecord(user)
    }

    /// Creates a user after checking every field at once (the name, the role, the scope's shape,
    /// that the scope fits the role and names a known region, the password): `user.create`.
    public func create(_ input: NewUserInput, by caller: Caller) async throws -> UserRecord {
        try caller.require(.manageUsers)
        var problems: [FieldProblem] = []
        if !UserStore.isValidUsername(input.username) {
            problems.append(
                FieldProblem("username", "must be 3–64 characters of a–z, 0–9, . _ -", chinese: "用户名应为 3–64 位小写字母、数字或 . _ -"))
        }
        let role = Role(rawValue: input.role)
        if role == nil {
            problems.append(FieldProblem("role", "must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))", chinese: "请选择角色"))
        }
        let scopeChinese = "数据范围无效或与角色不符：区、园区须为已登记的代码，企业须为有效的统一社会信用代码"
        var scope: Scope?
        do {
            scope = try Scope.parse(input.scope)
        } catch {
            problems.append(FieldProblem("scope", error.description, chinese: scopeChinese))
        }
        if let role, let scope, role.scopeKind != scope.kind {
            problems.append(
                FieldProblem("scope", "a \(role.rawValue) needs a \(role.scopeKind.rawValue) scope, not \(scope)", chinese: scopeChinese))
        } else if let scope, try await !UserStore.scopeExists(scope, on: platform.database) {
            problems.append(FieldProblem("scope", "\(scope) names no known region", chinese: scopeChinese))
        }
        let displayName = input.displayName.trimmingCharacters(in: .whitespacesAndNewlines)
        if displayName.count > NewUserInput.displayNameLength
            || displayName.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        {
            problems.append(
                FieldProblem(
                    "displayName", "must be at most \(NewUserInput.displayNameLength) characters, without control characters",
                    chinese: "姓名不超过 \(NewUserInput.displayNameLength) 个字符，且不含控制字符"))
        }
        if let problem = PasswordRules.problem(with: input.password, username: input.username) { problems.append(problem) }
        guard problems.isEmpty, let role, let scope else { throw UseCaseError.invalid(problems) }
        let hash = try await platform.credentials.hashPassword(input.password)
        let taken = FieldProblem("username", "the username \(input.username) is taken", chinese: "该用户名已被使用")
        return try await platform.write(by: caller, conflict: taken) { write in
            guard try await UserStore.find(username: input.username, on: write.db) == nil else { throw UseCaseError.conflict(taken) }
            let user = try await UserStore.insert(
                username: input.username, displayName: displayName, passwordHash: hash, role: role, scope: scope, on: write.db)
            try await write.audit(
                "user.create", entityType: "user", entityID: input.username, before: nil,
                after: try Audit.json(UserAudit(displayName: displayName, role: role.rawValue, scope: scope.description, disabled: false)))
            return try UserRecord(user)
        }
    }

    /// Disables a user and ends its sessions and tokens at once: `user.disable`. Never one's own
    /// account, nor the last active platform administrator.
    @discardableResult
    public func disable(username: String, by caller: Caller) async throws -> UserRecord {
        try caller.require(.manageUsers)
        guard UserStore.isValidUsername(username) else { throw UseCaseError.notFound(.user) }
        guard username != caller.username else {
            throw UseCaseError.invalid([FieldProblem("username", "is your own account", chinese: "不能停用自己的账号")])
        }
        return try await platform.write(by: caller) { write in
            guard let user = try await UserStore.find(username: username, on: write.db) else { throw UseCaseError.notFound(.user) }
            // The platform keeps an administrator who can sign in: the last one is not disabled.
            if user.role == .cityAdmin, !user.disabled, try await UserStore.activeCount(of: .cityAdmin, on: write.db) <= 1 {
                throw UseCaseError.conflict(
                    FieldProblem("username", "is the last active city_admin", chinese: "这是最后一个可用的平台管理员账号，不能停用"))
            }
            let wasDisabled = user.disabled
            user.disabled = true
            try await user.update(on: write.db)
            try await UserStore.revokeCredentials(of: try user.requireID(), now: write.now, on: write.db)
            try await write.notify(CredentialRevocation(user: try user.requireID()))
            try await write.audit(
                "user.disable", entityType: "user", entityID: username, before: #"{"disabled":\#(wasDisabled)}"#, after: #"{"disabled":true}"#)
            return try UserRecord(user)
        }
    }

    /// Sets a new password and ends the user's sessions and tokens: `user.password.reset` (without hashes).
    public func resetPassword(username: String, to password: String, by caller: Caller) async throws {
        try caller.require(.manageUsers)
        guard UserStore.isValidUsername(username) else { throw UseCaseError.notFound(.user) }
        guard try await UserStore.find(username: username, on: platform.database) != nil else { throw UseCaseError.notFound(.user) }
        if let problem = PasswordRules.problem(with: password, username: username) { throw UseCaseError.invalid([problem]) }
        let hash = try await platform.credentials.hashPassword(password)
        try await platform.write(by: caller) { write in
            guard let user = try await UserStore.find(username: username, on: write.db) else { throw UseCaseError.notFound(.user) }
            user.passwordHash = hash
            try await user.update(on: write.db)
            try await UserStore.revokeCredentials(of: try user.requireID(), now: write.now, on: write.db)
            try await write.notify(CredentialRevocation(user: try user.requireID()))
            try await write.audit(
                "user.password.reset", entityType: "user", entityID: username, before: nil,
                after: #"{"passwordChanged":true,"credentialsRevoked":true}"#)
        }
    }
}

extension Platform {
    public var users: UserUseCases { UserUseCases(platform: self) }
}
