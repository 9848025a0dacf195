import Foundation

/// One recorded application event as the live views show it (the big screen's rolling list): what
/// happened to which application, and where the application sits, so each viewer gets its scope only.
public struct LiveNotice: Codable, Sendable, Equatable {
    /// The event's row id: time-ordered, so it also orders notices.
    public var id: UUID
    public var applicationID: UUID
    public var applicationNumber: String
    public var productName: String
    public var procedure: String
    public var kind: ApplicationEventKind
    /// The day the event happened (YYYY-MM-DD).
    public var on: String
    /// The application's status after the event.
    public var status: ApplicationStatus
    public var district: String
    public var park: String?
    /// The owning enterprise's unified social credit code.
    public var uscc: String
    public var recordedAt: Date

    public var location: RecordLocation { RecordLocation(district: district, park: park, enterprise: uscc) }

    public init(
        id: UUID, applicationID: UUID, applicationNumber: String, productName: String, procedure: String, kind: ApplicationEventKind,
        on: String, status: ApplicationStatus, district: String, park: String?, uscc: String, recordedAt: Date
    ) {
        self.id = id
        self.applicationID = applicationID
        self.applicationNumber = applicationNumber
        self.productName = productName
        self.procedure = procedure
        self.kind = kind
        self.on = on
        self.status = status
        self.district = district
        self.park = park
        self.uscc = uscc
        self.recordedAt = recordedAt
    }
}
