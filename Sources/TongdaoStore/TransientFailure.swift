import AsyncKit
import FluentKit
import PostgresNIO
import SQLiteNIO

/// Whether a write failed only because another write held what it needed at that moment, so the
/// same write, started again, may succeed: SQLite busy or locked (another connection writing; in WAL
/// mode a transaction whose snapshot went stale is refused at once, whatever the busy timeout), or
/// PostgreSQL's serialization failure or deadlock; or a row another write changed since it was read
/// (`RecordChanged`).
public enum TransientFailure {
    public static func matches(_ error: any Error) -> Bool {
        if error is RecordChanged { return true }
        if let sqlite = error as? SQLiteError {
            switch sqlite.reason {
            case .busy, .locked, .busyInSnapshot, .busyTimeout, .busyInRecovery, .lockedBySharedCache: return true
            default: return false
            }
        }
        if let postgres = error as? PSQLError, let state = postgres.serverInfo?[.sqlState] {
            return state == PostgresError.Code.serializationFailure.raw || state == PostgresError.Code.deadlockDetected.raw
        }
        return false
    }
}

extension TransientFailure {
    /// Whether the database was too busy to answer: a competing writer still there after every
    /// attempt, or no connection free within the pool's wait. The client may try again shortly (503).
    public static func isOverload(_ error: any Error) -> Bool {
        matches(error) || error is ConnectionPoolTimeoutError
    }
}
