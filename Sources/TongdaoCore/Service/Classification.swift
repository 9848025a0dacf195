import Foundation

// Classification questions (分类界定, issue 20 item 6): an enterprise asks the regulator which class
// a product belongs to; the request runs on the consultation clock with the classification target
// (ten working days by default, "two weeks"), and the answer names the class — which becomes the
// product's — or that it is not managed as a medical device.

/// What a consultation is.
public enum ConsultationKind: String, LabelledCode {
    /// 咨询: a question to a station or the regulator.
    case question
    /// 分类界定: which class a product belongs to, answered by the regulator.
    case classification

    public var label: String {
        switch self {
        case .question: "咨询"
        case .classification: "分类界定"
        }
    }
}

/// The regulator's answer to a classification question.
public enum ClassificationOutcome: String, LabelledCode {
    case classOne = "I"
    case classTwo = "II"
    case classThree = "III"
    /// 不作为医疗器械管理
    case notDevice = "not_device"

    public var label: String {
        switch self {
        case .classOne: "第一类医疗器械"
        case .classTwo: "第二类医疗器械"
        case .classThree: "第三类医疗器械"
        case .notDevice: "不作为医疗器械管理"
        }
    }

    /// The class it gives the product, if it is a device.
    public var managementClass: ManagementClass? { ManagementClass(rawValue: rawValue) }
}

extension ServicePolicy {
    /// The targets a classification question asked under this version keeps: the first response
    /// as for any question, the answer within the classification target.
    public var classificationTargets: ServiceClock.Targets {
        ServiceClock.Targets(
            firstResponse: min(firstResponseDays, classificationDays), resolution: classificationDays, amberFraction: amberFraction,
            escalateAfter: escalateAfterDays)
    }
}
