import FluentKit
import TongdaoStore

/// How pages name people: by 姓名, never by login name. Stored records name a person by username
/// (an application's reviewer) or by the audit trail's actor (`user:NAME`, `cli:COMMAND`,
/// `cli:COMMAND as NAME`, `system:JOB`, `anonymous`: who recorded an event, who wrote an audit row).
enum People {
    /// The usernames an actor names.
    static func username(inActor actor: String) -> String? {
        if actor.hasPrefix("user:") { return String(actor.dropFirst(5)) }
        if actor.hasPrefix("cli:"), let range = actor.range(of: " as ") { return String(actor[range.upperBound...]) }
        return nil
    }

    /// An actor in Chinese: the person's name, the command line, the platform's own job.
    static func label(ofActor actor: String, names: [String: String]) -> String {
        let person = username(inActor: actor).map { names[$0] ?? $0 }
        if actor.hasPrefix("user:") { return person ?? actor }
        if actor.hasPrefix("cli:") { return person.map { "命令行（\($0)）" } ?? "命令行" }
        if actor.hasPrefix("system:") { return "平台自动任务" }
        if actor == "anonymous" { return "未登录的访问者" }
        return actor
    }

    /// Labels for usernames and actors at once: each key as given, mapped to how a page names it.
    static func labels(usernames: some Sequence<String>, actors: some Sequence<String>, on db: any Database) async throws -> [String: String] {
        let actors = Array(Set(actors))
        let wanted = Set(usernames).union(actors.compactMap(username(inActor:)))
        let names = try await UserStore.shownNames(of: wanted, on: db)
        var labels = names
        for actor in actors { labels[actor] = label(ofActor: actor, names: names) }
        return labels
    }
}
