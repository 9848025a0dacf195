import Foundation
import TongdaoCore

/// A topic of consultations and guidance sessions (held as data).
public struct ServiceTopic: Sendable, Equatable {
    public var code: String
    public var label: String
    /// Answered by the regulator rather than a station.
    public var cityLevel: Bool
}

/// A consultation as a page or the API shows it.
public struct ConsultationRecord: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var version: Int
    public var enterpriseID: UUID
    /// The enterprise, by name.
    public var enterprise: String
    public var uscc: String
    public var productID: UUID?
    public var productName: String?
    public var topic: String
    public var topicLabel: String
    public var title: String
    /// The station answering it (nil: the regulator), and its name.
    public var station: String?
    public var desk: String
    public var status: ConsultationStatus
    public var askedOn: CivilDate
    /// Who asked, by name.
    public var askedBy: String
    public var targets: ServiceClock.Targets
    public var clock: ServiceClock.Reading
    /// The enterprise's rating (1–5), once rated.
    public var rating: Int?
    /// A question or a classification question; for the latter the class the enterprise proposed,
    /// the regulator's outcome and code, and the product's class before.
    public var kind: ConsultationKind
    public var proposedClass: ManagementClass?
    public var outcome: ClassificationOutcome?
    public var decidedCode: String?
    public var previousClass: ManagementClass?
    /// The history, oldest first (in a detail; empty in a list).
    public var messages: [ConsultationMessage]
}

/// One step of a consultation's history.
public struct ConsultationMessage: Sendable, Equatable {
    public var kind: ConsultationEventKind
    public var on: CivilDate
    public var at: Date
    /// Who, by name.
    public var by: String
    public var body: String
    /// For a transfer: where it went, by name.
    public var transferredTo: String?
    public var rating: Int?
}

/// A question as typed.
public struct ConsultationInput: Sendable, Equatable {
    /// The enterprise asking (its id): the regulator recording a question names it; an
    /// enterprise's own account asks for itself.
    public var enterprise: String?
    public var product: String?
    public var topic: String?
    public var title: String?
    public var question: String?

    public init(enterprise: String? = nil, product: String? = nil, topic: String? = nil, title: String? = nil, question: String? = nil) {
        self.enterprise = enterprise
        self.product = product
        self.topic = topic
        self.title = title
        self.question = question
    }
}

/// A classification question as typed.
public struct ClassificationInput: Sendable, Equatable {
    /// The enterprise asking (its id), when the regulator records it.
    public var enterprise: String?
    public var product: String?
    public var intendedUse: String?
    public var structure: String?
    public var principle: String?
    /// The class the enterprise proposes (`I`, `II`, `III`), if any.
    public var proposedClass: String?

    public init(
        enterprise: String? = nil, product: String? = nil, intendedUse: String? = nil, structure: String? = nil, principle: String? = nil,
        proposedClass: String? = nil
    ) {
        self.enterprise = enterprise
        self.product = product
        self.intendedUse = intendedUse
        self.structure = structure
        self.principle = principle
        self.proposedClass = proposedClass
    }
}

/// A version of the service policy as a form types it.
public struct ServicePolicyInput: Sendable, Equatable {
    public var effectiveFrom: String?
    public var firstResponseDays: String?
    public var resolutionDays: String?
    public var amberFraction: String?
    public var escalateAfterDays: String?
    public var classificationDays: String?
    public var appointmentCutoffDays: String?

    public init(
        effectiveFrom: String? = nil, firstResponseDays: String? = nil, resolutionDays: String? = nil, amberFraction: String? = nil,
        escalateAfterDays: String? = nil, classificationDays: String? = nil, appointmentCutoffDays: String? = nil
    ) {
        self.effectiveFrom = effectiveFrom
        self.firstResponseDays = firstResponseDays
        self.resolutionDays = resolutionDays
        self.amberFraction = amberFraction
        self.escalateAfterDays = escalateAfterDays
        self.classificationDays = classificationDays
        self.appointmentCutoffDays = appointmentCutoffDays
    }
}

/// How an officer responds to an open consultation.
public enum ConsultationResponse: String, LabelledCode {
    /// 答复
    case answer
    /// 请企业补充说明
    case requestInfo = "request_info"

    public var label: String {
        switch self {
        case .answer: "答复"
        case .requestInfo: "请企业补充说明"
        }
    }

    var event: ConsultationEventKind { self == .answer ? .answered : .requestedInfo }
}

/// How many consultations of each status a desk holds, and how many open ones are amber, red and
/// escalated today.
public struct ConsultationCounts: Sendable, Equatable {
    public var byStatus: [ConsultationStatus: Int]
    public var amber: Int
    public var red: Int
    public var escalated: Int
}

/// Guidance sessions, enterprises and products served by a desk in a month (`YYYY-MM`).
public struct GuidanceCount: Sendable, Equatable {
    public var desk: String
    public var month: String
    public var sessions: Int
    public var enterprises: Int
    public var products: Int
}
