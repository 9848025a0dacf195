import Foundation
import TongdaoCore

/// A term of the controlled list, as a report names it.
public struct EventTermRecord: Sendable, Equatable, Hashable, Codable {
    public var code: String
    public var kind: EventTermKind
    public var chinese: String
    public var english: String
    public var active: Bool
}

/// One event of a report's history.
public struct AdverseEventTimelineEntry: Sendable, Equatable {
    public var kind: ReportTimelineKind
    public var at: Date
    /// Who, by name.
    public var by: String
    /// What was added: a follow-up's text (confidential: empty for a reader who may not read
    /// narratives), an assessment's causality.
    public var detail: String
}

/// An adverse-event report as its pages and the API show it. The narrative, the follow-ups' text
/// and the assessment's note are only there for `adverse_event.narrative.read`.
public struct AdverseEventRecord: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var version: Int
    public var number: String
    /// The national monitoring system's 报告编码, for a report imported from it.
    public var nationalCode: String?
    public var productID: UUID
    public var productName: String
    /// The registrant, by name.
    public var registrant: String
    public var certificate: String?
    public var udiDI: String?
    public var lot: String?
    public var serial: String?
    public var reporterKind: ReporterKind
    public var reporterName: String
    public var eventOn: CivilDate
    public var awareOn: CivilDate
    /// "HH:mm", when the moment of awareness is known.
    public var awareTime: String?
    public var seriousness: EventSeriousness
    public var outcome: PatientOutcome
    public var terms: [EventTermRecord]
    public var narrative: String?
    public var submittedAt: Date
    public var reportedOn: CivilDate
    /// The reporting deadline ("2026-10-05" or "2026-10-01 08:00") and its rule, for a serious event.
    public var due: String?
    public var dueLabel: String?
    public var late: Bool
    public var source: ReportSource
    public var status: ReportStatus
    public var causality: Causality?
    public var assessmentNote: String?
    public var assessedBy: String?
    public var assessedOn: CivilDate?
    /// Who submitted it, by name.
    public var submittedBy: String
    public var timeline: [AdverseEventTimelineEntry]
}

/// A report as typed: the product by its id, a UDI-DI, a certificate number or a scanned label
/// (one is enough; given several, they must agree), and the facts of the event.
public struct AdverseEventInput: Sendable, Equatable {
    public var product: String?
    public var udiDI: String?
    public var certificate: String?
    /// A scanned UDI label (a GS1 element string): its DI names the product, its lot and serial fill
    /// those fields when they are empty.
    public var label: String?
    public var lot: String?
    public var serial: String?
    public var eventOn: String?
    public var awareOn: String?
    /// "HH:mm" (Shanghai).
    public var awareTime: String?
    public var seriousness: String?
    public var outcome: String?
    /// Term codes (or their Chinese).
    public var terms: [String]
    public var narrative: String?

    public init(
        product: String? = nil, udiDI: String? = nil, certificate: String? = nil, label: String? = nil, lot: String? = nil, serial: String? = nil,
        eventOn: String? = nil, awareOn: String? = nil, awareTime: String? = nil, seriousness: String? = nil, outcome: String? = nil,
        terms: [String] = [], narrative: String? = nil
    ) {
        self.product = product
        self.udiDI = udiDI
        self.certificate = certificate
        self.label = label
        self.lot = lot
        self.serial = serial
        self.eventOn = eventOn
        self.awareOn = awareOn
        self.awareTime = awareTime
        self.seriousness = seriousness
        self.outcome = outcome
        self.terms = terms
        self.narrative = narrative
    }
}

/// A UDI-DI of a marketed product.
public struct UDIRecord: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var productID: UUID
    public var di: String
    public var agency: UDIAgency
    public var packaging: PackagingLevel
    /// Units of the product in one package at this level (1 for the unit of use).
    public var quantity: Int
}

/// A UDI-DI as typed.
public struct UDIInput: Sendable, Equatable {
    public var di: String?
    public var agency: String?
    public var packaging: String?
    public var quantity: Int?

    public init(di: String? = nil, agency: String? = nil, packaging: String? = nil, quantity: Int? = nil) {
        self.di = di
        self.agency = agency
        self.packaging = packaging
        self.quantity = quantity
    }
}

/// What a scanned label names: the element string read, and the product whose DI it carries.
public struct UDILookup: Sendable, Equatable {
    public var label: GS1ElementString
    public var productID: UUID
    public var productName: String
    public var certificate: String?
}

/// A product's trend report (趋势报告): its monthly reports against the expected band, by
/// seriousness and term, and its signals on the list.
public struct TrendReportRecord: Sendable, Equatable {
    public var productID: UUID
    public var productName: String
    public var registrant: String
    public var certificate: String?
    public var generatedOn: CivilDate
    public var trend: ReportTrend
    public var total: Int
    public var late: Int
    public var bySeriousness: [(seriousness: EventSeriousness, count: Int)]
    public var topTerms: [(term: EventTermRecord, count: Int)]
    /// The product's signals on the list (for the roles that read signals; empty otherwise).
    public var signals: [SignalRecord]

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.productID == rhs.productID && lhs.generatedOn == rhs.generatedOn && lhs.trend == rhs.trend && lhs.total == rhs.total
            && lhs.signals == rhs.signals
    }
}

/// The dashboard's vigilance panel: counts only, in the caller's scope (never a narrative).
public struct VigilancePanelRecord: Sendable, Equatable {
    /// The last twelve months, oldest first, each with its reports by seriousness.
    public var months: [(month: YearMonth, bySeriousness: [EventSeriousness: Int])]
    public var reports: Int
    public var serious: Int
    public var late: Int
    /// Signals new or under assessment (for the roles that read signals; nil otherwise).
    public var openSignals: Int?
    /// Conditional-approval obligations overdue today in the scope.
    public var overdueObligations: Int

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.reports == rhs.reports && lhs.serious == rhs.serious && lhs.late == rhs.late && lhs.openSignals == rhs.openSignals
            && lhs.overdueObligations == rhs.overdueObligations
            && lhs.months.map(\.month) == rhs.months.map(\.month) && lhs.months.map(\.bySeriousness) == rhs.months.map(\.bySeriousness)
    }
}
