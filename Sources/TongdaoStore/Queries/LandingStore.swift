import FluentKit
import Foundation
import SQLKit
import TongdaoCore

/// Reads of the landing projects, their problems and meetings (the writes are the use case's, on the models).
public enum LandingStore {
    /// Projects in scope, narrowed by status, site district and product; the newest recorded first.
    public static func projects(
        scope: ScopeFilter, status: LandingStatus? = nil, district: String? = nil, product: UUID? = nil, limit: Int = 500, on database: any Database
    ) async throws -> [LandingProjectModel] {
        let query = LandingProjectModel.query(on: database).scoped(to: scope)
        if let status { query.filter(\.$status == status.rawValue) }
        if let district { query.filter(\.$district == district) }
        if let product { query.filter(\.$productID == product) }
        return try await query.sort(\.$recordedOn, .descending).sort(\.$id, .descending).limit(limit).all()
    }

    /// One project, if the scope admits it.
    public static func project(_ id: UUID, scope: ScopeFilter, on database: any Database) async throws -> LandingProjectModel? {
        try await LandingProjectModel.query(on: database).filter(\.$id == id).scoped(to: scope).first()
    }

    /// The problems of projects, oldest raised first.
    public static func problems(of projects: [UUID], on database: any Database) async throws -> [LandingProblemModel] {
        guard !projects.isEmpty else { return [] }
        return try await LandingProblemModel.query(on: database).filter(\.$projectID ~~ projects).sort(\.$raisedOn).sort(\.$id).all()
    }

    /// The meetings that took up each of `projects`, with the projects of each meeting.
    public static func meetings(of projects: [UUID]?, limit: Int = 200, on database: any Database) async throws -> [(
        meeting: LandingMeetingModel, projects: [UUID]
    )] {
        guard let sql = database as? any SQLDatabase else { return [] }
        var ids: [UUID]
        if let projects {
            guard !projects.isEmpty else { return [] }
            ids = try await sql.select().distinct().column("meeting_id").from("landing_meeting_projects")
                .where(SQLIdentifier("project_id"), .in, SQLBind.group(projects)).rows().map { try $0.uuid("meeting_id") }
        } else {
            ids = try await LandingMeetingModel.query(on: database).sort(\.$heldOn, .descending).limit(limit).all().compactMap(\.id)
        }
        guard !ids.isEmpty else { return [] }
        let meetings = try await LandingMeetingModel.query(on: database).filter(\.$id ~~ ids).sort(\.$heldOn, .descending).sort(\.$id).all()
        var linked: [UUID: [UUID]] = [:]
        for row in try await sql.select().column("meeting_id").column("project_id").from("landing_meeting_projects")
            .where(SQLIdentifier("meeting_id"), .in, SQLBind.group(ids)).rows()
        {
            linked[try row.uuid("meeting_id"), default: []].append(try row.uuid("project_id"))
        }
        return meetings.map { ($0, linked[$0.id ?? UUID()] ?? []) }
    }

    /// Links a meeting to the projects it took up (in the write that records it).
    public static func link(meeting: UUID, projects: [UUID], on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, !projects.isEmpty else { return }
        let insert = sql.insert(into: "landing_meeting_projects").columns("meeting_id", "project_id")
        for project in projects { insert.values(SQLBind(meeting), SQLBind(project)) }
        try await insert.run()
    }
}
