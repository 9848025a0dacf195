import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// The daily digest: each reviewer and responsible officer gets the warnings of their open
/// applications; red items also go to the district's officers and the city's regulators.
public struct DigestUseCases: Sendable {
    let platform: Platform

    public struct Summary: Sendable, Equatable, CustomStringConvertible {
        public var day: CivilDate
        public var applicationsWithWarnings: Int
        public var redItems: Int
        public var written: Int
        public var existing: Int

        public var description: String {
            "digest \(day): \(applicationsWithWarnings) applications need attention (\(redItems) red, escalated); "
                + "\(written) digests written, \(existing) already sent"
        }
    }

    /// Computes the digests of `day` (as of that day) and writes those not written yet, in one
    /// transaction with one `digest.write` audit row when any is written. Running a day again, on
    /// any instance, writes nothing twice. The platform runs it (the scheduler in `serve`, the
    /// `digest` command); a user may not.
    public func run(day: CivilDate, by caller: Caller) async throws -> Summary {
        try caller.require(.runDigest)
        let computed = try await digests(asOf: day)
        let outcome = try await platform.write(by: caller) { write in
            var written = 0
            var existing = 0
            for (recipient, items) in computed.digests.sorted(by: { $0.recipient < $1.recipient }) {
                if try await DigestStore.insertIfAbsent(day: day, recipient: recipient, items: items, now: write.now, on: write.db) {
                    written += 1
                } else {
                    existing += 1
                }
            }
            if written > 0 {
                try await write.audit(
                    "digest.write", entityType: "digest", entityID: day.description, before: nil,
                    after: try Audit.json(["written": written, "existing": existing]))
            }
            return (written: written, existing: existing)
        }
        return Summary(
            day: day, applicationsWithWarnings: computed.withWarnings, redItems: computed.red, written: outcome.written, existing: outcome.existing)
    }

    /// The digests of a day, computed as of that day: who gets which items.
    func digests(asOf day: CivilDate) async throws -> (digests: [(recipient: String, items: [DigestItem])], withWarnings: Int, red: Int) {
        let database = platform.database
        let clocks = try await platform.clocks(asOf: day)
        let supervisors = try await DigestStore.supervisors(on: database)
        var items: [String: [UUID: DigestItem]] = [:]
        var withWarnings = 0
        var red = 0
        func add(_ recipient: String, _ item: DigestItem) {
            if let earlier = items[recipient]?[item.applicationID] {
                items[recipient]?[item.applicationID]?.escalated = earlier.escalated || item.escalated
            } else {
                items[recipient, default: [:]][item.applicationID] = item
            }
        }
        try await DigestStore.forEachOpenApplication(on: database) { batch in
            for (application, events) in batch {
                let warnings = clocks.warnings(application, events)
                guard !warnings.isEmpty, let id = application.id else { continue }
                withWarnings += 1
                let item = DigestItem(
                    applicationID: id, applicationNumber: application.applicationNumber, warnings: warnings.map(\.message), escalated: false)
                for person in [application.reviewer, application.responsibleOfficer].compactMap({ $0 }) { add(person, item) }
                guard warnings.contains(where: \.isRed) else { continue }
                red += 1
                var escalated = item
                escalated.escalated = true
                for person in supervisors.city + (supervisors.byDistrict[application.district] ?? []) { add(person, escalated) }
            }
        }
        let digests = items.map { recipient, byID in
            (recipient, byID.values.sorted { ($0.escalated ? 0 : 1, $0.applicationNumber) < ($1.escalated ? 0 : 1, $1.applicationNumber) })
        }
        return (digests, withWarnings, red)
    }

    /// The caller's own digests, newest first.
    public func mine(limit: Int = 30, by caller: Caller) async throws -> [DigestRecord] {
        guard let username = caller.username else { return [] }
        return try await DigestStore.digests(for: username, limit: limit, on: platform.database).map {
            DigestRecord(day: $0.day, items: $0.items, escalated: $0.escalated)
        }
    }
}

extension Platform {
    public var digest: DigestUseCases { DigestUseCases(platform: self) }
}
