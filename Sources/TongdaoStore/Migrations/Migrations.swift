import FluentKit

/// Every migration, in the order it runs. Append only: a shipped migration is never edited.
public enum StoreMigrations {
    public static let all: [any Migration] = [
        CreateRegions(),
        CreatePlatformSettings(),
        CreateCalendarYears(),
        CreateProcedureVersions(),
        CreateUsers(),
        CreateAPITokens(),
        CreateAuditLog(),
        CreateLoginAttempts(),
        CreateEnterprises(),
        CreateSessions(),
        CreateProducts(),
        CreateCensusIntentions(),
        CreateCensusUploads(),
        CreateApplications(),
        CreateDigests(),
        AddGuidanceNeeds(),
        IndexDashboardQueries(),
        StoreOutcomes(),
        DashboardRollups(),
        CoverServedCounts(),
        AddRecordVersions(),
        LeaveOutInspections(),
        AddDisplayNames(),
        CreateTrialRegistry(),
        AddTrialQualifications(),
        CreateInvestigatorMerges(),
        CreateTrialWarnings(),
        AddWarningPhase(),
        CreateTrialUploads(),
        IndexActiveSites(),
        KeepClockEvents(),
        CreateInspectorPool(),
    ]
}
