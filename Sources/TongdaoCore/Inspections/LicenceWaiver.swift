import Foundation

// The licence-inspection waiver (DOMAIN.md §10; the city's measures, seeds/002 (九)): "新开办医疗器械
// 生产企业已在同一生产地址通过产品注册体系现场核查且不存在真实性问题或严重缺陷的，可减免生产许可现场检查"
// — and manufacturers of centrally procured products are inspected in full.

/// What a registration QMS inspection (注册体系核查) found, as its completion records it.
public enum QMSOutcome: String, LabelledCode {
    /// 通过核查
    case passed
    /// 整改后通过核查
    case passedAfterRectification = "passed_after_rectification"
    /// 存在严重缺陷，未通过核查
    case severeDefect = "severe_defect"
    /// 存在真实性问题，未通过核查
    case authenticity

    public var label: String {
        switch self {
        case .passed: "通过核查"
        case .passedAfterRectification: "整改后通过核查"
        case .severeDefect: "存在严重缺陷（未通过）"
        case .authenticity: "存在真实性问题（未通过）"
        }
    }

    /// Passed, with neither a severe defect nor an authenticity problem.
    public var isClean: Bool { self == .passed || self == .passedAfterRectification }
}

public enum LicenceWaiver {
    /// A registration QMS inspection of one of the manufacturer's products, as its application's
    /// timeline recorded its completion.
    public struct RegistrationInspection: Sendable, Equatable {
        public var application: UUID
        /// The application's number, and the product's name.
        public var number: String
        public var product: String
        public var completedOn: CivilDate
        /// The production address inspected, if recorded.
        public var site: String?
        public var outcome: QMSOutcome?

        public init(application: UUID, number: String, product: String, completedOn: CivilDate, site: String?, outcome: QMSOutcome?) {
            self.application = application
            self.number = number
            self.product = product
            self.completedOn = completedOn
            self.site = site
            self.outcome = outcome
        }

        /// “产品（受理号）2026-03-04 注册体系核查：通过核查”.
        public var summary: String {
            "\(product)（\(number)）\(completedOn) 注册体系核查：\(outcome?.label ?? "结果未记录")"
        }
    }

    /// What the waiver is decided on.
    public struct Facts: Sendable, Equatable {
        /// The production address the licence is applied for.
        public var address: String
        /// Whether the product to be made is centrally procured (集中带量采购中选).
        public var centrallyProcured: Bool
        /// Why the manufacturer is not new, in Chinese (a licence granted, a production inspection
        /// closed): empty for a new one.
        public var licensed: [String]
        public var inspections: [RegistrationInspection]

        public init(address: String, centrallyProcured: Bool, licensed: [String], inspections: [RegistrationInspection]) {
            self.address = address
            self.centrallyProcured = centrallyProcured
            self.licensed = licensed
            self.inspections = inspections
        }
    }

    /// One condition, whether it holds, and why, in Chinese.
    public struct Condition: Sendable, Equatable {
        public var label: String
        public var met: Bool
        public var detail: String
    }

    public struct Assessment: Sendable, Equatable {
        public var conditions: [Condition]
        /// The registration inspection the waiver rests on, when every condition holds.
        public var basis: RegistrationInspection?

        /// Every condition holds: the waiver may be used.
        public var eligible: Bool { basis != nil && conditions.allSatisfy(\.met) }

        /// Why not, in Chinese: the conditions that fail, joined.
        public var refusal: String {
            conditions.filter { !$0.met }.map { "\($0.label)：\($0.detail)" }.joined(separator: "；")
        }
    }

    /// The four conditions, each explained: a new manufacturer; a registration QMS inspection at the
    /// same production address; its latest there passed with no severe defect, and none there found
    /// an authenticity problem; not a centrally procured product.
    public static func assess(_ facts: Facts) -> Assessment {
        var conditions: [Condition] = []
        conditions.append(
            Condition(
                label: "新开办生产企业", met: facts.licensed.isEmpty,
                detail: facts.licensed.isEmpty ? "尚未取得医疗器械生产许可" : facts.licensed.joined(separator: "；")))
        let here = facts.inspections.filter { $0.site.map { sameAddress($0, facts.address) } ?? false }
            .sorted { ($0.completedOn, $0.number) < ($1.completedOn, $1.number) }
        let recorded = here.filter { $0.outcome != nil }
        let unrecorded = facts.inspections.count { $0.site == nil || $0.outcome == nil }
        conditions.append(
            Condition(
                label: "已在同一生产地址通过注册体系核查", met: !recorded.isEmpty,
                detail: recorded.last.map(\.summary)
                    ?? (facts.inspections.isEmpty
                        ? "该企业没有已完成的注册体系核查"
                        : "已完成的 \(facts.inspections.count) 次注册体系核查均不在该生产地址"
                            + (unrecorded > 0 ? "（其中 \(unrecorded) 次未记录核查地址或结果）" : ""))))
        let authenticity = recorded.filter { $0.outcome == .authenticity }
        let latest = recorded.last
        let clean = latest.map { $0.outcome?.isClean ?? false } ?? false
        let cleanDetail: String
        if let first = authenticity.first {
            cleanDetail = "\(first.summary)"
        } else if let latest {
            cleanDetail = clean ? "最近一次核查\(latest.outcome?.label ?? "")，无真实性问题或严重缺陷" : latest.summary
        } else {
            cleanDetail = "没有可依据的核查结果"
        }
        conditions.append(Condition(label: "不存在真实性问题或严重缺陷", met: clean && authenticity.isEmpty, detail: cleanDetail))
        conditions.append(
            Condition(
                label: "非集中带量采购中选产品", met: !facts.centrallyProcured,
                detail: facts.centrallyProcured ? "集中带量采购中选产品的生产企业应全项目检查" : "不涉及集中带量采购中选产品"))
        let eligible = conditions.allSatisfy(\.met)
        return Assessment(conditions: conditions, basis: eligible ? latest : nil)
    }

    /// Whether two addresses name the same place: compared without spaces and punctuation,
    /// full-width letters and digits as half-width, and without a leading “中国” or “上海市”.
    public static func sameAddress(_ a: String, _ b: String) -> Bool {
        let (x, y) = (normalised(a), normalised(b))
        return !x.isEmpty && x == y
    }

    static func normalised(_ address: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in address.unicodeScalars {
            var value = scalar.value
            if (0xFF01...0xFF5E).contains(value) { value -= 0xFEE0 }
            guard let folded = Unicode.Scalar(value) else { continue }
            if folded.properties.isWhitespace || CharacterSet.punctuationCharacters.contains(folded) || "、，。（）()－-—#".unicodeScalars.contains(folded)
            {
                continue
            }
            scalars.append(folded)
        }
        var text = String(scalars).lowercased()
        for prefix in ["中国", "上海市", "上海"] where text.hasPrefix(prefix) { text.removeFirst(prefix.count) }
        return text
    }
}
