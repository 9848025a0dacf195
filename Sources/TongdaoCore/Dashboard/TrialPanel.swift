import Foundation

/// The dashboard's clinical-trial panel for a scope: the trials by phase and status, the trial
/// institutions by district, the investigators over the load threshold, and the pilot trials past
/// the 12 weeks without their first informed consent.
public struct TrialPanel: Sendable, Equatable {
    /// A pilot trial past its 12 weeks without its first consent.
    public struct Late: Sendable, Equatable {
        public var id: UUID
        public var registrationNumber: String
        public var title: String
        public var approvedOn: CivilDate
        /// Calendar days past the 12 weeks (`StartRule.limitDays`), today.
        public var daysOver: Int

        public init(id: UUID, registrationNumber: String, title: String, approvedOn: CivilDate, daysOver: Int) {
            self.id = id
            self.registrationNumber = registrationNumber
            self.title = title
            self.approvedOn = approvedOn
            self.daysOver = daysOver
        }
    }

    public var byPhase: [TrialPhase: Int]
    public var byStatus: [TrialStatus: Int]
    /// The institutions that may take trials on, by Shanghai district code; those of other provinces apart.
    public var institutionsByDistrict: [String: Int]
    public var institutionsElsewhere: Int
    public var overloadedInvestigators: Int
    /// How many pilot trials are past the 12 weeks without a first consent, and the longest overdue of them.
    public var lateCount: Int
    public var late: [Late]

    public init(
        byPhase: [TrialPhase: Int], byStatus: [TrialStatus: Int], institutionsByDistrict: [String: Int], institutionsElsewhere: Int,
        overloadedInvestigators: Int, lateCount: Int, late: [Late]
    ) {
        self.byPhase = byPhase
        self.byStatus = byStatus
        self.institutionsByDistrict = institutionsByDistrict
        self.institutionsElsewhere = institutionsElsewhere
        self.overloadedInvestigators = overloadedInvestigators
        self.lateCount = lateCount
        self.late = late
    }

    public var trials: Int { byStatus.values.reduce(0, +) }
    public var institutions: Int { institutionsByDistrict.values.reduce(0, +) + institutionsElsewhere }
}
