import FluentKit
import Foundation

/// A row of `platform_settings`: one fact about this installation, by key.
public final class PlatformSetting: Model, @unchecked Sendable {
    public static let schema = "platform_settings"

    @ID(custom: "key", generatedBy: .user) public var id: String?
    @Field(key: "value") public var value: String
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public init(key: String, value: String) {
        self.id = key
        self.value = value
    }

    /// Keys in use.
    public enum Key {
        /// ISO 8601 time at which `--demo` filled the database.
        public static let demoSeededAt = "demo_seeded_at"
        /// JSON `WarningPolicy`: the thresholds of application warnings.
        public static let warningPolicy = "warning_policy"
        /// JSON `[PILoadPolicy]`: the PI-load thresholds, each version with the day it is in force from.
        public static let piLoadPolicy = "pi_load_policy"
        /// The inspection plan's policy, every version (`[InspectionPolicy]` as JSON).
        public static let inspectionPolicy = "inspection_policy"
        /// The credit policy, every version (`[CreditPolicy]` as JSON).
        public static let creditPolicy = "credit_policy"
        /// The signal thresholds (`SignalPolicy`), in versions.
        public static let signalPolicy = "signal_policy"
        /// The service targets of consultations and classification questions (`ServicePolicy`), in versions.
        public static let servicePolicy = "service_policy"
        /// The row planning a year holds, so that two plannings are one after the other.
        public static let inspectionPlanHold = "inspection_plan_hold"
    }
}
