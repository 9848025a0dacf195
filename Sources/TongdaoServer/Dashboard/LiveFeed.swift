import Foundation
import Logging
import PostgresNIO
import Synchronization
import TongdaoCore
import TongdaoStore
import TongdaoUseCases
import Vapor

/// The live feed behind `GET /live`: every application event recorded, handed to each open stream
/// whose scope admits it.
///
/// With SQLite the platform is one process, and the server hands each write's notice to the feed
/// itself (`announce`). With PostgreSQL several instances may serve the same database: the notice
/// is sent with `pg_notify` in the write's transaction, and each instance's `LiveListener` hands what
/// it hears to its own feed, its own writes included, so every screen sees every change once.
public final class LiveFeed: LiveAnnouncer {
    public enum Message: Sendable, Equatable {
        case notice(LiveNotice)
        /// Notices may have been missed (the listening connection was lost and is back): start over.
        case resync
        /// Nothing happened: a comment line keeps proxies from closing the stream and finds dropped clients.
        case heartbeat
    }

    private struct Subscriber {
        var scope: ScopeFilter
        /// Who opened the stream, and with which token or session: a revocation ends it.
        var user: UUID?
        var credential: UUID?
        var continuation: AsyncStream<Message>.Continuation
    }

    private let subscribers = Mutex<[UUID: Subscriber]>([:])
    /// The dashboard summaries a notice makes stale (another instance's writes, heard through `LISTEN`).
    private let summaries = Mutex<SummaryCache?>(nil)

    /// Every notice and resync from now on drops these summaries.
    func invalidates(_ cache: SummaryCache) {
        summaries.withLock { $0 = cache }
    }
    /// Whether notices come back through PostgreSQL's `LISTEN` rather than from this process's writes.
    let listensToDatabase: Bool
    private let listening = Mutex(false)

    init(listensToDatabase: Bool) {
        self.listensToDatabase = listensToDatabase
    }

    /// A stream of the messages for `scope`, until `cancel` is called or the feed closes; with its
    /// continuation, so the stream's reader can add its own heartbeats.
    func subscribe(scope: ScopeFilter, user: UUID? = nil, credential: UUID? = nil) -> (
        stream: AsyncStream<Message>, continuation: AsyncStream<Message>.Continuation, cancel: @Sendable () -> Void
    ) {
        let id = UUID()
        let (stream, continuation) = AsyncStream<Message>.makeStream(bufferingPolicy: .bufferingNewest(256))
        subscribers.withLock { $0[id] = Subscriber(scope: scope, user: user, credential: credential, continuation: continuation) }
        let cancel: @Sendable () -> Void = { [weak self] in
            let removed = self?.subscribers.withLock { $0.removeValue(forKey: id) }
            removed?.continuation.finish()
        }
        continuation.onTermination = { _ in cancel() }
        return (stream, continuation, cancel)
    }

    var subscriberCount: Int { subscribers.withLock { $0.count } }

    /// The notices of this process's own writes on PostgreSQL, whose commit dropped the summaries
    /// already: heard back through `LISTEN`, they do not drop them again (the last `ownKept` only; one
    /// heard before its write announced it drops them once more, which is merely wasted work).
    private let own = Mutex(OwnNotices())
    static let ownKept = 1_024

    private struct OwnNotices {
        var ids: Set<UUID> = []
        var order: [UUID] = []

        mutating func insert(_ id: UUID) {
            guard ids.insert(id).inserted else { return }
            order.append(id)
            if order.count > LiveFeed.ownKept { ids.remove(order.removeFirst()) }
        }

        mutating func remove(_ id: UUID) -> Bool {
            guard ids.remove(id) != nil else { return false }
            order.removeAll { $0 == id }
            return true
        }
    }

    /// Hands a message to every subscriber whose scope admits it (a resync goes to all). A resync,
    /// or a notice of another instance's write, drops the summaries.
    func deliver(_ message: Message) {
        let drops =
            switch message {
            case .heartbeat: false
            case .resync: true
            case .notice(let notice): listensToDatabase && !own.withLock { $0.remove(notice.id) }
            }
        if drops { summaries.withLock { $0 }?.invalidate() }
        let targets = subscribers.withLock { subscribers in
            subscribers.values.filter { subscriber in
                if case .notice(let notice) = message { subscriber.scope.admits(notice.location) } else { true }
            }.map(\.continuation)
        }
        for continuation in targets { continuation.yield(message) }
    }

    /// After a write: with SQLite the notice goes straight to the subscribers; with PostgreSQL it
    /// comes back through `LISTEN`, and is only remembered as this process's own.
    public func announce(_ notice: LiveNotice) {
        if listensToDatabase { own.withLock { $0.insert(notice.id) } } else { deliver(.notice(notice)) }
    }

    /// After a credential ended: the same way, the streams opened with it end.
    public func announce(_ revocation: CredentialRevocation) {
        if !listensToDatabase { end(revocation) }
    }

    /// Ends every stream a revocation covers.
    func end(_ revocation: CredentialRevocation) {
        let ended = subscribers.withLock { subscribers in
            let ids = subscribers.filter { _, subscriber in
                subscriber.user.map { revocation.ends(user: $0, credential: subscriber.credential) } ?? false
            }.map(\.key)
            return ids.compactMap { subscribers.removeValue(forKey: $0) }
        }
        for subscriber in ended { subscriber.continuation.finish() }
    }

    /// Ends every stream (the server is stopping).
    public func close() {
        let all = subscribers.withLock { subscribers in
            defer { subscribers.removeAll() }
            return Array(subscribers.values)
        }
        for subscriber in all { subscriber.continuation.finish() }
    }

    /// Whether notices can arrive now: always with SQLite; with PostgreSQL once `LISTEN` is in place.
    public var isListening: Bool { !listensToDatabase || listening.withLock { $0 } }

    func setListening(_ value: Bool) {
        listening.withLock { $0 = value }
    }
}

/// Keeps one connection `LISTEN`ing on `LiveNotices.channel` while the server runs, reconnecting
/// with a growing pause (up to 10 s) when the connection drops; after a reconnection the streams
/// are told to resync, since notices sent meanwhile are lost.
final class LiveListener: LifecycleHandler, Sendable {
    private let feed: LiveFeed
    private let configuration: PostgresConnection.Configuration
    private let task = Mutex<Task<Void, Never>?>(nil)
    /// The listening connection, so that shutting down can close it under the waiting loop.
    private let connection = Mutex<PostgresConnection?>(nil)

    init(feed: LiveFeed, configuration: PostgresConnection.Configuration) {
        self.feed = feed
        self.configuration = configuration
    }

    /// Synchronous, so that both ways of booting start it (tests boot through `app.testing()`).
    func didBoot(_ application: Application) throws {
        let (feed, configuration, logger) = (feed, configuration, application.logger)
        let eventLoop = application.eventLoopGroup.any()
        let started = Task {
            var pause = Duration.milliseconds(250)
            var connectedBefore = false
            while !Task.isCancelled {
                do {
                    let connection = try await PostgresConnection.connect(on: eventLoop, configuration: configuration, id: 0, logger: logger)
                    self.connection.withLock { $0 = connection }
                    do {
                        try await connection.listen(on: LiveNotices.channel) { notifications in
                            feed.setListening(true)
                            if connectedBefore { feed.deliver(.resync) }
                            connectedBefore = true
                            pause = .milliseconds(250)
                            for try await notification in notifications {
                                switch LiveNotices.decode(notification.payload) {
                                case .notice(let notice)?: feed.deliver(.notice(notice))
                                case .revocation(let revocation)?: feed.end(revocation)
                                case nil: break
                                }
                            }
                        }
                    } catch {
                        if !Task.isCancelled { logger.warning("live feed: the listening connection failed: \(String(reflecting: error))") }
                    }
                    feed.setListening(false)
                    self.connection.withLock { $0 = nil }
                    try? await connection.close()
                } catch {
                    logger.warning("live feed: cannot connect to listen: \(String(reflecting: error))")
                }
                try? await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(10))
            }
        }
        task.withLock { $0 = started }
    }

    func shutdownAsync(_ application: Application) async {
        let running = task.withLock { current -> Task<Void, Never>? in
            defer { current = nil }
            return current
        }
        running?.cancel()
        try? await connection.withLock { $0 }?.close()
        await running?.value
        feed.close()
    }
}

extension Application {
    private struct LiveFeedKey: StorageKey { typealias Value = LiveFeed }

    /// The application's live feed; `configure` sets it up (with a listener on PostgreSQL).
    public var liveFeed: LiveFeed {
        get {
            guard let feed = storage[LiveFeedKey.self] else { fatalError("configure(_:configuration:) sets up the live feed") }
            return feed
        }
        set { storage[LiveFeedKey.self] = newValue }
    }
}

/// Ends the SQLite feed's streams when the server stops (the PostgreSQL listener does it itself).
struct LiveFeedCloser: LifecycleHandler {
    let feed: LiveFeed
    func shutdownAsync(_ application: Application) async { feed.close() }
}
