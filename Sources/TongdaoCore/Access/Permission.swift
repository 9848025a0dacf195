/// Actions on the platform's resources, checked by one pure function. The full matrix is in
/// docs/ACCESS.md and grows with each feature.
public enum Action: String, Sendable, CaseIterable {
    /// Publish or replace a year's holiday schedule.
    case writeCalendarYear = "calendar.year.write"
    /// Change a procedure version's limits.
    case writeProcedure = "procedure.write"
    /// Read the audit trail.
    case readAudit = "audit.read"
    /// Create, disable users and reset their passwords.
    case manageUsers = "users.manage"
}

public enum AccessPolicy {
    /// Whether `role` may perform `action` at all (scope is checked separately, in the query).
    public static func allows(_ role: Role, _ action: Action) -> Bool {
        switch action {
        case .writeCalendarYear, .writeProcedure, .manageUsers:
            role == .cityAdmin
        case .readAudit:
            role == .cityAdmin || role == .cityRegulator
        }
    }
}
