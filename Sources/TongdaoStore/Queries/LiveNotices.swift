import FluentKit
import Foundation
import SQLKit
import TongdaoCore

extension LiveNotice {
    /// The notice of a stored event.
    public init(event: ApplicationEventModel, of application: ApplicationModel, productName: String) throws {
        self.init(
            id: try event.requireID(), applicationID: try application.requireID(), applicationNumber: application.applicationNumber,
            productName: productName, procedure: application.procedureCode, kind: event.kind, on: event.occurredOn,
            status: application.status, district: application.district, park: application.park, uscc: application.uscc,
            recordedAt: event.recordedAt)
    }
}

/// How a write tells the live views about itself.
///
/// On PostgreSQL the notice is queued with `pg_notify` inside the write's own transaction, so every
/// instance that `LISTEN`s on `channel` receives it when (and only if) the write commits. SQLite is
/// one process: the server hands the returned notice to its own feed after the write.
public enum LiveNotices {
    public static let channel = "tongdao_live"

    public static func send(_ notice: LiveNotice, on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        let payload = String(decoding: try JSONEncoder.live.encode(notice), as: UTF8.self)
        try await sql.raw("SELECT pg_notify(\(bind: channel), \(bind: payload))").run()
    }

    /// Sends a revocation the same way: with the transaction on PostgreSQL.
    public static func send(_ revocation: CredentialRevocation, on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        let payload = String(decoding: try JSONEncoder.live.encode(revocation), as: UTF8.self)
        try await sql.raw("SELECT pg_notify(\(bind: channel), \(bind: payload))").run()
    }

    /// What a notification carries: an event's notice, or a credential that ended.
    public enum Payload: Sendable, Equatable {
        case notice(LiveNotice)
        case revocation(CredentialRevocation)
    }

    /// Decodes a notification's payload; nil for anything that is neither.
    public static func decode(_ payload: String) -> Payload? {
        let data = Data(payload.utf8)
        if let notice = try? JSONDecoder.live.decode(LiveNotice.self, from: data) { return .notice(notice) }
        if let revocation = try? JSONDecoder.live.decode(CredentialRevocation.self, from: data) { return .revocation(revocation) }
        return nil
    }

    /// The latest events in the scope, newest first: what a screen shows before the first live one.
    public static func recent(scope: ScopeFilter, limit: Int, on database: any Database) async throws -> [LiveNotice] {
        let events = try await ApplicationEventModel.query(on: database)
            .join(ApplicationModel.self, on: \ApplicationEventModel.$application.$id == \ApplicationModel.$id)
            .scoped(to: scope, by: ApplicationModel.self)
            .sort(\.$recordedAt, .descending).sort(\.$id, .descending)
            .limit(limit)
            .all()
        let productIDs = Set(try events.map { try $0.joined(ApplicationModel.self).$product.id })
        let names = try await ProductModel.query(on: database).filter(\.$id ~~ productIDs).all()
            .reduce(into: [UUID: String]()) { $0[try $1.requireID()] = $1.name }
        return try events.map { event in
            let application = try event.joined(ApplicationModel.self)
            return try LiveNotice(event: event, of: application, productName: names[application.$product.id] ?? "")
        }
    }
}

extension JSONEncoder {
    /// Notices travel as JSON, dates as seconds since 1970 (fractions kept), keys sorted.
    static var live: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}

extension JSONDecoder {
    static var live: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }
}
