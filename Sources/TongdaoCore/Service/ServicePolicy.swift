import Foundation

/// The service targets of the platform (issue 20), held as data in versions: how many working days a
/// consultation may wait for its first response and for its answer, when its clock turns amber and
/// when an overdue one is escalated to the regulator, how long a classification question may take.
/// A consultation keeps the targets in force on the day it was asked.
public struct ServicePolicy: VersionedPolicy {
    /// `YYYY-MM-DD`: the first day this version is in force.
    public var effectiveFrom: String
    /// Working days after the question for the first response (an answer or a request to clarify).
    public var firstResponseDays: Int
    /// Working days the question may be open, the days waiting on the enterprise not counted.
    public var resolutionDays: Int
    /// Amber once this share of a target is used (0.8: at 80 %).
    public var amberFraction: Double
    /// Working days past a missed target after which the question is escalated to the regulator.
    public var escalateAfterDays: Int
    /// Working days to settle a classification question (分类界定, "two weeks").
    public var classificationDays: Int
    /// Working days before an appointment's day by which it is booked or cancelled (1: by the
    /// working day before).
    public var appointmentCutoffDays: Int

    public static let standard = ServicePolicy(
        effectiveFrom: "2000-01-01", firstResponseDays: 2, resolutionDays: 10, amberFraction: 0.8, escalateAfterDays: 3, classificationDays: 10,
        appointmentCutoffDays: 1)

    public init(
        effectiveFrom: String, firstResponseDays: Int, resolutionDays: Int, amberFraction: Double, escalateAfterDays: Int, classificationDays: Int,
        appointmentCutoffDays: Int = 1
    ) {
        self.effectiveFrom = effectiveFrom
        self.firstResponseDays = firstResponseDays
        self.resolutionDays = resolutionDays
        self.amberFraction = amberFraction
        self.escalateAfterDays = escalateAfterDays
        self.classificationDays = classificationDays
        self.appointmentCutoffDays = appointmentCutoffDays
    }

    public func problems(today: CivilDate) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if let day = CivilDate(effectiveFrom) {
            if day < today { problems.append(FieldProblem("effectiveFrom", "cannot be before today", chinese: "生效日期不能早于今天")) }
        } else {
            problems.append(FieldProblem("effectiveFrom", "must be a date YYYY-MM-DD", chinese: "生效日期应为日期（YYYY-MM-DD）"))
        }
        if !(1...60).contains(firstResponseDays) {
            problems.append(FieldProblem("firstResponseDays", "must be between 1 and 60 working days", chinese: "首次响应时限应在 1 至 60 个工作日之间"))
        }
        if !(1...120).contains(resolutionDays) {
            problems.append(FieldProblem("resolutionDays", "must be between 1 and 120 working days", chinese: "办结时限应在 1 至 120 个工作日之间"))
        } else if (1...60).contains(firstResponseDays), resolutionDays < firstResponseDays {
            problems.append(
                FieldProblem("resolutionDays", "cannot be shorter than the first-response target", chinese: "办结时限不能短于首次响应时限"))
        }
        if !(amberFraction > 0 && amberFraction < 1) {
            problems.append(FieldProblem("amberFraction", "must be between 0 and 1 (0.8 is 80 % of the target)", chinese: "预警比例应在 0 与 1 之间"))
        }
        if !(0...30).contains(escalateAfterDays) {
            problems.append(FieldProblem("escalateAfterDays", "must be between 0 and 30 working days", chinese: "超期升级天数应在 0 至 30 个工作日之间"))
        }
        if !(1...60).contains(classificationDays) {
            problems.append(
                FieldProblem("classificationDays", "must be between 1 and 60 working days", chinese: "分类界定时限应在 1 至 60 个工作日之间"))
        }
        if !(0...10).contains(appointmentCutoffDays) {
            problems.append(
                FieldProblem(
                    "appointmentCutoffDays", "must be between 0 and 10 working days", chinese: "预约和取消截止时间应在预约日前 0 至 10 个工作日之间"))
        }
        return problems
    }

    /// The targets a consultation asked under this version keeps.
    public var targets: ServiceClock.Targets {
        ServiceClock.Targets(
            firstResponse: firstResponseDays, resolution: resolutionDays, amberFraction: amberFraction, escalateAfter: escalateAfterDays)
    }
}

extension ReviewClock.Level: LabelledCode {}

/// Where an enterprise's question goes (seed 000: the stations serve the enterprises of their
/// districts; the city bureau answers what is the city's to decide).
public enum ServiceRouting {
    /// The station serving an enterprise in `district` (in `park`, if any): the one covering the
    /// district; where several do (浦东: 张江 and 临港), the one named like the enterprise's park,
    /// else the first listed. Nil when no station covers the district (the regulator answers).
    public static func station(district: String, park: String?, among stations: [ServiceStation]) -> ServiceStation? {
        let covering = stations.filter { $0.districts.contains(district) }
        return covering.first { $0.code == park } ?? covering.first
    }
}
