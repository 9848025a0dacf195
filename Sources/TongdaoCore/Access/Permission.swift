/// Actions on the platform's resources, checked by one pure function. The full matrix is in
/// docs/ACCESS.md and grows with each feature.
public enum Action: String, Sendable, CaseIterable {
    /// Publish or replace a year's holiday schedule.
    case writeCalendarYear = "calendar.year.write"
    /// Change a procedure version's limits.
    case writeProcedure = "procedure.write"
    /// Read the audit trail.
    case readAudit = "audit.read"
    /// Create, list and disable users and reset their passwords.
    case manageUsers = "users.manage"
    /// Read and list enterprises (always within the caller's scope).
    case readEnterprises = "enterprise.read"
    /// Register an enterprise or change its record (within the caller's scope).
    case writeEnterprises = "enterprise.write"
    /// Read and list products under development (always within the caller's scope).
    case readProducts = "product.read"
    /// Submit a product or change it (within the caller's scope).
    case writeProducts = "product.write"
    /// Import a census sheet (rows within the caller's scope).
    case importCensus = "census.import"
    /// Read and export the census (within the caller's scope).
    case readCensus = "census.read"
    /// Read confidential review content: reviewer notes, inspection findings before closure.
    case readConfidentialReview = "review.confidential.read"
    /// Register an application at acceptance and record the events of its review.
    case writeApplications = "application.write"
    /// Record the QMS inspection's events (its start, its completion and findings).
    case recordInspections = "inspection.write"
}

public enum AccessPolicy {
    /// Whether `role` may perform `action` at all (scope is checked separately, in the query).
    public static func allows(_ role: Role, _ action: Action) -> Bool {
        switch action {
        case .writeCalendarYear, .writeProcedure, .manageUsers:
            role == .cityAdmin
        case .readAudit:
            role == .cityAdmin || role == .cityRegulator
        case .importCensus:
            [.cityAdmin, .cityRegulator, .districtOfficer, .parkOfficer].contains(role)
        case .readEnterprises, .readProducts, .readCensus:
            true
        case .writeEnterprises, .writeProducts:
            [.cityAdmin, .cityRegulator, .districtOfficer, .parkOfficer, .enterpriseUser].contains(role)
        case .readConfidentialReview:
            [.cityAdmin, .cityRegulator, .reviewer, .inspector].contains(role)
        case .writeApplications:
            [.cityAdmin, .cityRegulator, .reviewer].contains(role)
        case .recordInspections:
            [.cityAdmin, .cityRegulator, .reviewer, .inspector].contains(role)
        }
    }
}
