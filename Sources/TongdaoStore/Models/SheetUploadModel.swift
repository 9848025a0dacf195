import FluentKit
import Foundation

/// A row of `sheet_uploads`: a sheet uploaded on a page, kept by kind for its confirmation.
public final class SheetUploadModel: Model, @unchecked Sendable {
    public static let schema = "sheet_uploads"

    @ID(key: .id) public var id: UUID?
    @Field(key: "kind") public var kind: String
    @Field(key: "username") public var username: String
    @Field(key: "filename") public var filename: String
    @Field(key: "content") public var content: Data
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    /// Keeps an upload of `username`'s; its id.
    public static func stage(kind: String, username: String, filename: String, content: Data, now: Date, on db: any Database) async throws -> UUID {
        let upload = SheetUploadModel()
        upload.id = TimeOrderedID.make(now: now)
        upload.kind = kind
        upload.username = username
        upload.filename = filename
        upload.content = content
        try await upload.create(on: db)
        return try upload.requireID()
    }

    /// An upload of this kind of `username`'s, if there is one with the id (anyone else's is the same as none).
    public static func find(id: UUID, kind: String, of username: String, on db: any Database) async throws -> SheetUploadModel? {
        try await query(on: db).filter(\.$id == id).filter(\.$kind == kind).filter(\.$username == username).first()
    }
}
