import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// An application as the use cases return it: what was accepted, where it sits, where it stands.
public struct ApplicationRecord: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var productID: UUID
    public var enterpriseID: UUID
    public var uscc: String
    public var district: String
    public var park: String?
    public var procedure: String
    public var procedureVersion: String
    public var authority: ApplicationAuthority
    public var applicationNumber: String
    public var channel: ReviewChannel
    /// The reviewer's and the responsible officer's usernames: the regulator's staff on the review,
    /// shown, like who recorded an event, only to the roles that may read confidential review
    /// content (nil for the others).
    public var reviewer: String?
    public var responsibleOfficer: String?
    /// `YYYY-MM-DD`.
    public var acceptedOn: String
    public var status: ApplicationStatus
    public var certificate: String?

    public init(
        id: UUID, productID: UUID, enterpriseID: UUID, uscc: String, district: String, park: String?, procedure: String,
        procedureVersion: String, authority: ApplicationAuthority, applicationNumber: String, channel: ReviewChannel, reviewer: String?,
        responsibleOfficer: String?, acceptedOn: String, status: ApplicationStatus, certificate: String?
    ) {
        self.id = id
        self.productID = productID
        self.enterpriseID = enterpriseID
        self.uscc = uscc
        self.district = district
        self.park = park
        self.procedure = procedure
        self.procedureVersion = procedureVersion
        self.authority = authority
        self.applicationNumber = applicationNumber
        self.channel = channel
        self.reviewer = reviewer
        self.responsibleOfficer = responsibleOfficer
        self.acceptedOn = acceptedOn
        self.status = status
        self.certificate = certificate
    }

    init(_ model: ApplicationModel, confidential: Bool) throws {
        self.init(try model.row, confidential: confidential)
    }

    init(_ row: ApplicationRow, confidential: Bool) {
        self.init(
            id: row.id, productID: row.productID, enterpriseID: row.enterpriseID, uscc: row.uscc, district: row.district, park: row.park,
            procedure: row.procedureCode, procedureVersion: row.procedureVersion, authority: row.authority,
            applicationNumber: row.applicationNumber, channel: row.channel, reviewer: confidential ? row.reviewer : nil,
            responsibleOfficer: confidential ? row.responsibleOfficer : nil, acceptedOn: row.acceptedOn, status: row.status,
            certificate: row.certificate)
    }

    public var location: RecordLocation { RecordLocation(district: district, park: park, enterprise: uscc) }
}

/// One event of an application's timeline. The note (reviewer's opinion, inspection findings) and
/// who recorded it are confidential: nil unless the caller's role may read them.
public struct ApplicationEventRecord: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var sequence: Int
    public var event: ApplicationEvent
    public var note: String?
    public var recordedBy: String?
    public var recordedAt: Date
    /// Whether a later correction replaced it.
    public var superseded: Bool

    public init(
        id: UUID, sequence: Int, event: ApplicationEvent, note: String?, recordedBy: String?, recordedAt: Date, superseded: Bool
    ) {
        self.id = id
        self.sequence = sequence
        self.event = event
        self.note = note
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
        self.superseded = superseded
    }

    /// A timeline as the caller may read it.
    static func timeline(_ models: [ApplicationEventModel], confidential: Bool) throws -> [ApplicationEventRecord] {
        let superseded = Set(models.compactMap(\.supersedes))
        return try models.map { model in
            let id = try model.requireID()
            return ApplicationEventRecord(
                id: id, sequence: model.sequence, event: model.event, note: confidential ? model.note : nil,
                recordedBy: confidential ? model.recordedBy : nil, recordedAt: model.recordedAt, superseded: superseded.contains(id))
        }
    }
}

/// An application with its review clock as of a day (nil when the stored timeline no longer replays).
public struct ApplicationItem: Sendable, Equatable {
    public var application: ApplicationRecord
    public var clock: ReviewClock.Reading?
    public var asOf: CivilDate

    public init(application: ApplicationRecord, clock: ReviewClock.Reading?, asOf: CivilDate) {
        self.application = application
        self.clock = clock
        self.asOf = asOf
    }
}

/// One application as its page and `GET /api/v1/applications/{id}` show it.
public struct ApplicationDetail: Sendable, Equatable {
    public var item: ApplicationItem
    public var productName: String
    public var events: [ApplicationEventRecord]
    public var warnings: [ApplicationWarning]
    /// Whether the caller may read notes (they are in `events` only then).
    public var confidential: Bool
    /// The event kinds the caller may record now (by role; the lifecycle decides the rest).
    public var recordable: [ApplicationEventKind]
    /// How the page names the people on it (the reviewer's and responsible officer's usernames, who
    /// recorded each event): each stored value mapped to 姓名; empty unless `confidential`.
    public var people: [String: String] = [:]
    /// The applicant's name.
    public var enterpriseName = ""

    public var application: ApplicationRecord { item.application }
}

/// An application that needs the attention of the person who reviews or follows it.
public struct InboxItem: Sendable, Equatable {
    public var item: ApplicationItem
    public var productName: String
    public var warnings: [ApplicationWarning]
    /// Why it is in the person's inbox.
    public var roles: [InboxRole]
}

/// How a person is responsible for an application.
public enum InboxRole: String, Sendable, Equatable, CaseIterable {
    /// 审评员
    case reviewer
    /// 跟踪责任人
    case responsible

    public var label: String {
        switch self {
        case .reviewer: "审评员"
        case .responsible: "跟踪责任人"
        }
    }
}
