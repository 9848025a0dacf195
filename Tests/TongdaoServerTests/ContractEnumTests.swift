import Testing
import TongdaoAPI
@testable import TongdaoServer
import TongdaoCore
import TongdaoUseCases

/// Every enum the contract generates names exactly the cases of the core's enum it stands for, both
/// ways: the API converts between them by raw value (`APIEnum.convert`), with no default to fall
/// back on, so a case added on one side only must fail here first.
@Suite("The contract's enums and the core's hold the same cases")
struct ContractEnumTests {
    static func codes<T: RawRepresentable & CaseIterable>(_: T.Type) -> Set<String> where T.RawValue == String {
        Set(T.allCases.map(\.rawValue))
    }

    static let pairs: [(contract: String, core: String, Set<String>, Set<String>)] = [
        ("ReviewChannel", "ReviewChannel", codes(Components.Schemas.ReviewChannel.self), codes(ReviewChannel.self)),
        ("ApplicationStatus", "ApplicationStatus", codes(Components.Schemas.ApplicationStatus.self), codes(ApplicationStatus.self)),
        ("ApplicationAuthority", "ApplicationAuthority", codes(Components.Schemas.ApplicationAuthority.self), codes(ApplicationAuthority.self)),
        ("ApplicationEventType", "ApplicationEventKind", codes(Components.Schemas.ApplicationEventType.self), codes(ApplicationEventKind.self)),
        ("ClockLevel", "ReviewClock.Level", codes(Components.Schemas.ClockLevel.self), codes(ReviewClock.Level.self)),
        (
            "ApplicationEventInput.decision", "ApprovalDecision", codes(Components.Schemas.ApplicationEventInput.DecisionPayload.self),
            codes(ApprovalDecision.self)
        ),
        (
            "ApplicationEvent.decision", "ApprovalDecision", codes(Components.Schemas.ApplicationEvent.DecisionPayload.self),
            codes(ApprovalDecision.self)
        ),
        ("RegionLevel", "RegionLevel", codes(Components.Schemas.RegionLevel.self), codes(RegionLevel.self)),
        ("Clock.phase", "ReviewClock.Phase", codes(Components.Schemas.Clock.PhasePayload.self), codes(ReviewClock.Phase.self)),
        ("Clock.state", "ReviewClock.State", codes(Components.Schemas.Clock.StatePayload.self), codes(ReviewClock.State.self)),
        ("Clock.level", "ReviewClock.Level", codes(Components.Schemas.Clock.LevelPayload.self), codes(ReviewClock.Level.self)),
        (
            "ClockSegment.kind", "ReviewClock.Segment.Kind", codes(Components.Schemas.ClockSegment.KindPayload.self),
            codes(ReviewClock.Segment.Kind.self)
        ),
        ("EnterpriseKind", "EnterpriseKind", codes(Components.Schemas.EnterpriseKind.self), codes(EnterpriseKind.self)),
        ("ProductCategory", "ProductCategory", codes(Components.Schemas.ProductCategory.self), codes(ProductCategory.self)),
        ("ManagementClass", "ManagementClass", codes(Components.Schemas.ManagementClass.self), codes(ManagementClass.self)),
        ("KeyArea", "KeyArea", codes(Components.Schemas.KeyArea.self), codes(KeyArea.self)),
        ("DevelopmentStage", "DevelopmentStage", codes(Components.Schemas.DevelopmentStage.self), codes(DevelopmentStage.self)),
        ("Channel", "FilingChannel", codes(Components.Schemas.Channel.self), codes(FilingChannel.self)),
        ("Warning.kind", "ApplicationWarning.Kind", codes(Components.Schemas.Warning.KindPayload.self), codes(ApplicationWarning.Kind.self)),
        ("InboxItem.roles", "InboxRole", codes(Components.Schemas.InboxItem.RolesPayloadPayload.self), codes(InboxRole.self)),
        ("Me.role", "Role", codes(Components.Schemas.Me.RolePayload.self), codes(Role.self)),
        ("Trial.kind", "TrialKind", codes(Components.Schemas.Trial.KindPayload.self), codes(TrialKind.self)),
        ("Trial.phase", "TrialPhase", codes(Components.Schemas.Trial.PhasePayload.self), codes(TrialPhase.self)),
        ("Trial.status", "TrialStatus", codes(Components.Schemas.Trial.StatusPayload.self), codes(TrialStatus.self)),
        ("TrialWarning.kind", "TrialWarningKind", codes(Components.Schemas.TrialWarning.KindPayload.self), codes(TrialWarningKind.self)),
        (
            "TrialWarning.assessment.status", "TrialWarningStatus", codes(Components.Schemas.TrialWarning.AssessmentPayload.StatusPayload.self),
            codes(TrialWarningStatus.self)
        ),
        (
            "TrialWarningAssessmentInput.outcome", "TrialWarningOutcome", codes(Components.Schemas.TrialWarningAssessmentInput.OutcomePayload.self),
            codes(TrialWarningOutcome.self)
        ),
        (
            "listTrialWarnings kind", "TrialWarningKind", codes(Operations.ListTrialWarnings.Input.Query.KindPayload.self),
            codes(TrialWarningKind.self)
        ),
        (
            "listTrialWarnings status", "TrialWarningStatus", codes(Operations.ListTrialWarnings.Input.Query.StatusPayload.self),
            codes(TrialWarningStatus.self)
        ),
        ("InspectionType", "InspectionType", codes(Components.Schemas.InspectionType.self), codes(InspectionType.self)),
        ("InspectionTargetKind", "InspectionTargetKind", codes(Components.Schemas.InspectionTargetKind.self), codes(InspectionTargetKind.self)),
        ("InspectionStatus", "InspectionStatus", codes(Components.Schemas.InspectionStatus.self), codes(InspectionStatus.self)),
        ("InspectionSource", "InspectionSource", codes(Components.Schemas.InspectionSource.self), codes(InspectionSource.self)),
        ("InspectionSpecialty", "InspectionSpecialty", codes(Components.Schemas.InspectionSpecialty.self), codes(InspectionSpecialty.self)),
        ("InspectorRank", "InspectorRank", codes(Components.Schemas.InspectorRank.self), codes(InspectorRank.self)),
        ("FindingGrade", "FindingGrade", codes(Components.Schemas.FindingGrade.self), codes(FindingGrade.self)),
        ("InspectionConclusion", "InspectionConclusion", codes(Components.Schemas.InspectionConclusion.self), codes(InspectionConclusion.self)),
        ("TeamMemberState", "TeamMemberState", codes(Components.Schemas.TeamMemberState.self), codes(TeamMemberState.self)),
        ("InspectionEventKind", "InspectionEventKind", codes(Components.Schemas.InspectionEventKind.self), codes(InspectionEventKind.self)),
        ("InspectionStepKind", "TaskProgress.Step.Kind", codes(Components.Schemas.InspectionStepKind.self), codes(TaskProgress.Step.Kind.self)),
        ("InspectionReader", "InspectionReader", codes(Components.Schemas.InspectionReader.self), codes(InspectionReader.self)),
        ("KeySupervisionStatus", "KeySupervisionStatus", codes(Components.Schemas.KeySupervisionStatus.self), codes(KeySupervisionStatus.self)),
        ("QMSOutcome", "QMSOutcome", codes(Components.Schemas.QMSOutcome.self), codes(QMSOutcome.self)),
        ("CreditEventKind", "CreditEventKind", codes(Components.Schemas.CreditEventKind.self), codes(CreditEventKind.self)),
        ("CreditGrade", "CreditGrade", codes(Components.Schemas.CreditGrade.self), codes(CreditGrade.self)),
        ("EventSeriousness", "EventSeriousness", codes(Components.Schemas.EventSeriousness.self), codes(EventSeriousness.self)),
        ("PatientOutcome", "PatientOutcome", codes(Components.Schemas.PatientOutcome.self), codes(PatientOutcome.self)),
        ("Causality", "Causality", codes(Components.Schemas.Causality.self), codes(Causality.self)),
        ("ReporterKind", "ReporterKind", codes(Components.Schemas.ReporterKind.self), codes(ReporterKind.self)),
        ("ReportSource", "ReportSource", codes(Components.Schemas.ReportSource.self), codes(ReportSource.self)),
        ("ReportStatus", "ReportStatus", codes(Components.Schemas.ReportStatus.self), codes(ReportStatus.self)),
        ("ReportTimelineKind", "ReportTimelineKind", codes(Components.Schemas.ReportTimelineKind.self), codes(ReportTimelineKind.self)),
        ("UDIAgency", "UDIAgency", codes(Components.Schemas.UDIAgency.self), codes(UDIAgency.self)),
        ("PackagingLevel", "PackagingLevel", codes(Components.Schemas.PackagingLevel.self), codes(PackagingLevel.self)),
        ("EventTermKind", "EventTermKind", codes(Components.Schemas.EventTermKind.self), codes(EventTermKind.self)),
        ("SignalLevel", "SignalLevel", codes(Components.Schemas.SignalLevel.self), codes(SignalLevel.self)),
        ("SignalStatus", "SignalStatus", codes(Components.Schemas.SignalStatus.self), codes(SignalStatus.self)),
        ("SignalMethod", "SignalMethod", codes(Components.Schemas.SignalMethod.self), codes(SignalMethod.self)),
        ("ObligationKind", "ObligationKind", codes(Components.Schemas.ObligationKind.self), codes(ObligationKind.self)),
        ("ObligationStatus", "ObligationStatus", codes(Components.Schemas.ObligationStatus.self), codes(ObligationStatus.self)),
        ("KeyVarietyReason", "KeyVarietyReason", codes(Components.Schemas.KeyVarietyReason.self), codes(KeyVarietyReason.self)),
        ("KeyVarietyStatus", "KeyVarietyStatus", codes(Components.Schemas.KeyVarietyStatus.self), codes(KeyVarietyStatus.self)),
        ("ConsultationKind", "ConsultationKind", codes(Components.Schemas.ConsultationKind.self), codes(ConsultationKind.self)),
        ("ClassificationOutcome", "ClassificationOutcome", codes(Components.Schemas.ClassificationOutcome.self), codes(ClassificationOutcome.self)),
        ("LibraryKind", "LibraryKind", codes(Components.Schemas.LibraryKind.self), codes(LibraryKind.self)),
        ("LibraryStatus", "LibraryStatus", codes(Components.Schemas.LibraryStatus.self), codes(LibraryStatus.self)),
        ("PolicyLevel", "PolicyLevel", codes(Components.Schemas.PolicyLevel.self), codes(PolicyLevel.self)),
        ("PolicyTopic", "PolicyTopic", codes(Components.Schemas.PolicyTopic.self), codes(PolicyTopic.self)),
        ("PolicyStatus", "PolicyStatus", codes(Components.Schemas.PolicyStatus.self), codes(PolicyStatus.self)),
        ("LandingStatus", "LandingStatus", codes(Components.Schemas.LandingStatus.self), codes(LandingStatus.self)),
        ("LandingProblemStatus", "LandingProblemStatus", codes(Components.Schemas.LandingProblemStatus.self), codes(LandingProblemStatus.self)),
        ("DeltaProvince", "DeltaProvince", codes(Components.Schemas.DeltaProvince.self), codes(DeltaProvince.self)),
        ("EntrustmentKind", "EntrustmentKind", codes(Components.Schemas.EntrustmentKind.self), codes(EntrustmentKind.self)),
        ("LinkEventKind", "LinkEventKind", codes(Components.Schemas.LinkEventKind.self), codes(LinkEventKind.self)),
        ("LinkStatus", "LinkStatus", codes(Components.Schemas.LinkStatus.self), codes(LinkStatus.self)),
        ("SharedField", "SharedField", codes(Components.Schemas.SharedField.self), codes(SharedField.self)),
        ("PartnerResultStatus", "PartnerResultStatus", codes(Components.Schemas.PartnerResultStatus.self), codes(PartnerResultStatus.self)),
        ("DeltaNoticeKind", "DeltaNoticeKind", codes(Components.Schemas.DeltaNoticeKind.self), codes(DeltaNoticeKind.self)),
        ("DeltaNoticeStatus", "DeltaNoticeStatus", codes(Components.Schemas.DeltaNoticeStatus.self), codes(DeltaNoticeStatus.self)),
        ("ServiceStep", "ServiceStep", codes(Components.Schemas.ServiceStep.self), codes(ServiceStep.self)),
        ("GuidanceMode", "GuidanceMode", codes(Components.Schemas.GuidanceMode.self), codes(GuidanceMode.self)),
        ("AppointmentStatus", "AppointmentStatus", codes(Components.Schemas.AppointmentStatus.self), codes(AppointmentStatus.self)),
        ("ConsultationStatus", "ConsultationStatus", codes(Components.Schemas.ConsultationStatus.self), codes(ConsultationStatus.self)),
        (
            "ConsultationEventKind", "ConsultationEventKind", codes(Components.Schemas.ConsultationEventKind.self),
            codes(ConsultationEventKind.self)
        ),
        (
            "ConsultationResponseKind", "ConsultationResponse", codes(Components.Schemas.ConsultationResponseKind.self),
            codes(ConsultationResponse.self)
        ),
        ("ObligationAlert", "ObligationAlert", codes(Components.Schemas.ObligationAlert.self), codes(ObligationAlert.self)),
        ("ObligationDecision", "ObligationDecision", codes(Components.Schemas.ObligationDecision.self), codes(ObligationDecision.self)),
        ("ObligationEventKind", "ObligationEventKind", codes(Components.Schemas.ObligationEventKind.self), codes(ObligationEventKind.self)),
        ("RiskSource", "RiskSource", codes(Components.Schemas.RiskSource.self), codes(RiskSource.self)),
        ("RiskItemStatus", "RiskItemStatus", codes(Components.Schemas.RiskItemStatus.self), codes(RiskItemStatus.self)),
        ("RiskItemEventKind", "RiskItemEventKind", codes(Components.Schemas.RiskItemEventKind.self), codes(RiskItemEventKind.self)),
        (
            "PeriodicReportState", "PeriodicRiskReport.State", codes(Components.Schemas.PeriodicReportState.self),
            codes(PeriodicRiskReport.State.self)
        ),
        ("InspectorCategory", "InspectorCategory", codes(Components.Schemas.InspectorCategory.self), codes(InspectorCategory.self)),
        ("RelationshipKind", "RelationshipKind", codes(Components.Schemas.RelationshipKind.self), codes(RelationshipKind.self)),
        (
            "exportCensus format", "CensusSheets.Format", codes(Operations.ExportCensus.Input.Query.FormatPayload.self),
            codes(CensusSheets.Format.self)
        ),
    ]

    @Test("the same cases both ways", arguments: pairs.map { "\($0.contract) = \($0.core)" })
    func sameCases(pair: String) {
        let entry = Self.pairs.first { "\($0.contract) = \($0.core)" == pair }!
        #expect(entry.2.subtracting(entry.3).isEmpty, "\(entry.contract) has cases \(entry.2.subtracting(entry.3).sorted()) that \(entry.core) lacks")
        #expect(entry.3.subtracting(entry.2).isEmpty, "\(entry.core) has cases \(entry.3.subtracting(entry.2).sorted()) that \(entry.contract) lacks")
    }

    @Test("a case one side lacks is refused as a fault, never replaced by another")
    func mismatchIsRefused() {
        enum Wider: String, CaseIterable { case green, amber, red, purple }
        #expect(throws: (any Error).self) { let _: ReviewClock.Level = try APIEnum.convert(Wider.purple) }
        #expect((try? APIEnum.convert(Wider.amber) as ReviewClock.Level) == .amber)
    }
}
