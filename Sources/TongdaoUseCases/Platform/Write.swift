import FluentKit
import Foundation
import Synchronization
import TongdaoCore
import TongdaoStore

/// One write of a use case, inside its transaction: the entity and its timeline event are written
/// on `db`, the audit row through `audit`, the live notice through `notify`. It all commits
/// together or not at all; the notices are announced once it has committed.
public struct Write: Sendable {
    public let db: any Database
    /// When the write happens, from the platform's clock: the audit row's time, the event's.
    public let now: Date
    let caller: Caller
    fileprivate let notices: NoticeQueue

    /// Appends the audit row of this write.
    public func audit(_ action: String, entityType: String, entityID: String, before: String?, after: String?) async throws {
        try await Audit.record(
            action, entityType: entityType, entityID: entityID, before: before, after: after, by: caller.audit, on: db, at: now)
    }

    /// Sends a notice to the live views: with the transaction on PostgreSQL (`pg_notify`), and to
    /// this process's feed after the commit.
    public func notify(_ notice: LiveNotice) async throws {
        try await LiveNotices.send(notice, on: db)
        notices.append(.notice(notice))
    }

    /// Ends the live streams opened with a credential this write ends, the same way.
    public func notify(_ revocation: CredentialRevocation) async throws {
        try await LiveNotices.send(revocation, on: db)
        notices.append(.revocation(revocation))
    }
}

/// The notices a write sent, kept until it has committed.
private final class NoticeQueue: Sendable {
    private let notices = Mutex<[LiveNotices.Payload]>([])

    func append(_ notice: LiveNotices.Payload) { notices.withLock { $0.append(notice) } }
    var all: [LiveNotices.Payload] { notices.withLock { $0 } }
}

extension Platform {
    /// How often a write that met a competing writer is started again.
    static let attempts = 6

    /// Runs one write: `body` in one transaction, then the live notices it sent are announced.
    /// Every use case that writes goes through here, so the transaction is set up in one place:
    ///
    /// * a write that met a competing writer (SQLite busy, a PostgreSQL serialization failure) is
    ///   rolled back and started again from the start, a few times, after a growing pause: a race is
    ///   waited for, never answered with a fault (unless `retrying` is false: the caller starts
    ///   it again itself, as an import planned outside the write does);
    /// * a competing writer still there after the last attempt, or no connection free in time, is
    ///   `busy` (503): the client is asked to try again, never answered with a fault;
    /// * a unique key that refuses the write (another write got there first) is `conflict`; unless
    ///   the write is an `upsert` (it makes a row or replaces the one there is): then it is started
    ///   again, and then finds the row the other write made.
    func write<T: Sendable>(
        by caller: Caller, conflict: FieldProblem? = nil, upsert: Bool = false, retrying: Bool = true,
        _ body: @escaping @Sendable (Write) async throws -> T
    ) async throws -> T {
        var pause = Duration.milliseconds(5)
        for attempt in 1... {
            let queue = NoticeQueue()
            let now = clock.now()
            do {
                let result = try await writes.run(on: database) {
                    try await database.transaction { db in
                        try await body(Write(db: db, now: now, caller: caller, notices: queue))
                    }
                }
                // Whatever it changed, the dashboard's figures are counted again.
                summaries.invalidate()
                for payload in queue.all {
                    switch payload {
                    case .notice(let notice): announcer.announce(notice)
                    case .revocation(let revocation): announcer.announce(revocation)
                    }
                }
                return result
            } catch let error as any DatabaseError where error.isConstraintFailure {
                if upsert && retrying && attempt < Self.attempts {
                    try await Task.sleep(for: pause)
                    pause *= 3
                    continue
                }
                throw UseCaseError.conflict(
                    conflict
                        ?? FieldProblem("body", "another change was saved at the same time; reload and try again", chinese: "其他人同时保存了修改，请刷新后重试"))
            } catch  where retrying && TransientFailure.matches(error) && attempt < Self.attempts {
                try await Task.sleep(for: pause)
                pause *= 3
            } catch  where retrying && TransientFailure.isOverload(error) {
                throw UseCaseError.busy(retryAfterSeconds: UseCaseError.busyRetrySeconds)
            }
        }
        fatalError("unreachable: the loop returns or throws")
    }
}
