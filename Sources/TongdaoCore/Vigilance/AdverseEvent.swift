import Foundation

// Adverse-event reports (issue 19 item 2; DOMAIN.md §7): a suspected adverse event of a marketed
// device, reported by its registrant or by a medical institution on a clock in calendar days from
// the day the reporter learnt of it — death 7, serious injury 20, overseas serious 30 — or in hours
// for a group event (12). 《医疗器械不良事件监测和再评价管理办法》 counts the period from the day after
// the day of awareness ("获知之日起"), in calendar days, and does not move a last day that falls on
// a holiday: a report learnt of on 28 September and due on 5 October is due on 5 October.

/// How serious the event was, which sets its reporting limit.
public enum EventSeriousness: String, LabelledCode, Comparable {
    case death
    case seriousInjury = "serious_injury"
    case overseasSerious = "overseas_serious"
    case groupEvent = "group_event"
    case nonSerious = "non_serious"

    public var label: String {
        switch self {
        case .death: "导致死亡"
        case .seriousInjury: "严重伤害"
        case .overseasSerious: "境外严重伤害或死亡"
        case .groupEvent: "群体不良事件"
        case .nonSerious: "其他（非严重）"
        }
    }

    /// The statutory reporting limit; a non-serious event has none (it is reported, not on a clock).
    public var limit: ReportingLimit? {
        switch self {
        case .death: .days(7)
        case .seriousInjury: .days(20)
        case .overseasSerious: .days(30)
        case .groupEvent: .hours(12)
        case .nonSerious: nil
        }
    }

    /// Death and group events first, as a list sorts them.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
    }
}

/// A reporting limit: calendar days after the day of awareness, or hours after its moment.
public enum ReportingLimit: Sendable, Hashable {
    case days(Int)
    case hours(Int)

    public var label: String {
        switch self {
        case .days(let days): "获知之日起 \(days) 日内"
        case .hours(let hours): "获知后 \(hours) 小时内"
        }
    }
}

/// When a report was due, and whether one submitted at an instant was late.
public struct ReportingDeadline: Sendable, Hashable {
    public enum Due: Sendable, Hashable {
        /// The last day a report is on time (Shanghai).
        case day(CivilDate)
        /// The last instant a report is on time.
        case instant(Date)
    }

    public var limit: ReportingLimit
    public var due: Due

    /// The deadline of an event of this seriousness learnt of on `awareOn` (at `awareMinute` minutes
    /// after midnight in Shanghai, which a group event needs); nil for a non-serious event, or a
    /// group event whose moment is not known.
    public init?(seriousness: EventSeriousness, awareOn: CivilDate, awareMinute: Int?) {
        guard let limit = seriousness.limit else { return nil }
        self.limit = limit
        switch limit {
        case .days(let days):
            due = .day(awareOn.adding(days: days))
        case .hours(let hours):
            guard let awareMinute else { return nil }
            due = .instant(ShanghaiTime.start(of: awareOn).addingTimeInterval(TimeInterval(awareMinute * 60 + hours * 3600)))
        }
    }

    /// A report submitted at `instant` is late: after the last day (any moment of a later Shanghai
    /// day), or after the last instant.
    public func isLate(submittedAt instant: Date) -> Bool {
        switch due {
        case .day(let day): ShanghaiTime.day(of: instant) > day
        case .instant(let last): instant > last
        }
    }

    /// "2026-10-05" or "2026-10-01 08:00" (Shanghai).
    public var dueText: String {
        switch due {
        case .day(let day): day.description
        case .instant(let last): String(ShanghaiTime.dateTime(last).dropLast(3))
        }
    }

    /// "应于 2026-10-05 前报告（获知之日起 7 日内）".
    public var label: String { "应于 \(dueText) 前报告（\(limit.label)）" }
}

/// The patient's outcome as the national report form has it.
public enum PatientOutcome: String, LabelledCode {
    case death
    case lifeThreatening = "life_threatening"
    case permanentImpairment = "permanent_impairment"
    case hospitalisation
    case intervention
    case recovered
    case recovering
    case unknown

    public var label: String {
        switch self {
        case .death: "死亡"
        case .lifeThreatening: "危及生命"
        case .permanentImpairment: "机体功能结构永久性损伤"
        case .hospitalisation: "住院或延长住院时间"
        case .intervention: "需要医疗干预以避免永久损伤"
        case .recovered: "痊愈"
        case .recovering: "好转"
        case .unknown: "不详"
        }
    }
}

/// The regulator's assessment of the link between device and event (关联性评价).
public enum Causality: String, LabelledCode {
    case probable
    case possible
    case unlikely
    case indeterminate

    public var label: String {
        switch self {
        case .probable: "很可能有关"
        case .possible: "可能有关"
        case .unlikely: "可能无关"
        case .indeterminate: "无法确定"
        }
    }
}

/// Who reported.
public enum ReporterKind: String, LabelledCode {
    /// The registrant (注册人/备案人), an enterprise.
    case registrant
    /// A medical institution using the device (使用单位).
    case institution

    public var label: String {
        switch self {
        case .registrant: "注册人"
        case .institution: "医疗机构"
        }
    }
}

/// How a report reached the platform.
public enum ReportSource: String, LabelledCode {
    case platform
    /// Filed by scanning the device's UDI label.
    case scan
    /// Imported from the national monitoring system's export.
    case nationalImport = "national_import"

    public var label: String {
        switch self {
        case .platform: "平台填报"
        case .scan: "扫码填报"
        case .nationalImport: "国家监测系统导入"
        }
    }
}

/// Where a report stands.
public enum ReportStatus: String, LabelledCode {
    /// Submitted, not yet assessed by the regulator.
    case submitted
    /// The regulator's causality assessment recorded; follow-ups may still come.
    case assessed

    public var label: String {
        switch self {
        case .submitted: "待评价"
        case .assessed: "已评价"
        }
    }
}

/// The facts of a report as read from a form, an API body or an import row, before the product and
/// the terms are looked up: the rules between its dates and its seriousness.
public struct AdverseEventFacts: Sendable, Equatable {
    public var eventOn: CivilDate
    public var awareOn: CivilDate
    /// Minutes after midnight (Shanghai) the reporter learnt of it; a group event needs it.
    public var awareMinute: Int?
    public var seriousness: EventSeriousness
    public var outcome: PatientOutcome

    public init(eventOn: CivilDate, awareOn: CivilDate, awareMinute: Int?, seriousness: EventSeriousness, outcome: PatientOutcome) {
        self.eventOn = eventOn
        self.awareOn = awareOn
        self.awareMinute = awareMinute
        self.seriousness = seriousness
        self.outcome = outcome
    }

    /// The event cannot come after the awareness, nor the awareness after the moment of submission;
    /// a group event needs its moment of awareness; a death is reported as one.
    public func problems(submittedAt now: Date) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if awareOn < eventOn {
            problems.append(FieldProblem("awareOn", "cannot be before the event", chinese: "获知日期不能早于事件发生日期"))
        }
        let today = ShanghaiTime.day(of: now)
        if eventOn > today { problems.append(FieldProblem("eventOn", "cannot be in the future", chinese: "事件发生日期不能晚于今天")) }
        if awareOn > today {
            problems.append(FieldProblem("awareOn", "cannot be in the future", chinese: "获知日期不能晚于今天"))
        } else if let awareMinute, ShanghaiTime.start(of: awareOn).addingTimeInterval(TimeInterval(awareMinute * 60)) > now {
            problems.append(FieldProblem("awareTime", "cannot be in the future", chinese: "获知时间不能晚于现在"))
        }
        if seriousness == .groupEvent, awareMinute == nil {
            problems.append(FieldProblem("awareTime", "is required for a group event", chinese: "群体不良事件须填写获知时间（12 小时时限自此起算）"))
        }
        if outcome == .death, seriousness != .death, seriousness != .overseasSerious, seriousness != .groupEvent {
            problems.append(FieldProblem("seriousness", "must be death when the patient died", chinese: "患者结局为死亡时，严重程度应为“导致死亡”"))
        }
        return problems
    }

    /// The deadline, if the seriousness has one.
    public var deadline: ReportingDeadline? { ReportingDeadline(seriousness: seriousness, awareOn: awareOn, awareMinute: awareMinute) }

    /// "HH:mm" read into minutes after midnight.
    public static func minute(of text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]),
            (0..<24).contains(hour), (0..<60).contains(minute)
        else { return nil }
        return hour * 60 + minute
    }

    /// Minutes after midnight written "HH:mm".
    public static func time(of minute: Int) -> String {
        String(format: "%02d:%02d", minute / 60, minute % 60)
    }
}

/// The issuing agency of a UDI-DI (DOMAIN.md §8): GS1 China, MA (the IDcode of 中关村工业互联网产业研究院)
/// or AHM (阿里健康's 码上放心).
public enum UDIAgency: String, LabelledCode {
    case gs1
    case ma
    case ahm

    public var label: String {
        switch self {
        case .gs1: "GS1（中国物品编码中心）"
        case .ma: "MA（中关村工业互联网产业研究院）"
        case .ahm: "AHM（阿里健康）"
        }
    }

    /// What is wrong with a DI of this agency: a GTIN-14 with its check digit for GS1; for MA and AHM,
    /// whose check schemes the platform does not hold, printable ASCII of 8 to 64 characters.
    public func problem(with identifier: String) -> FieldProblem? {
        switch self {
        case .gs1:
            guard identifier.count == 14, identifier.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                return FieldProblem("di", "must be a GTIN-14 (14 digits)", chinese: "GS1 产品标识应为 14 位数字（GTIN-14）")
            }
            return GTIN.isValid(identifier) ? nil : FieldProblem("di", "has a wrong check digit", chinese: "产品标识（GTIN-14）校验位错误")
        case .ma, .ahm:
            let allowed = (8...64).contains(identifier.count) && identifier.unicodeScalars.allSatisfy { (0x21...0x7E).contains($0.value) }
            return allowed ? nil : FieldProblem("di", "must be 8 to 64 printable ASCII characters", chinese: "产品标识应为 8 至 64 位可打印字符（字母、数字、符号）")
        }
    }
}

/// The packaging level a UDI-DI marks.
public enum PackagingLevel: String, LabelledCode {
    /// 最小销售单元
    case unit
    /// 更高级别的包装
    case package
    /// 运输包装
    case shipping

    public var label: String {
        switch self {
        case .unit: "最小销售单元"
        case .package: "中包装"
        case .shipping: "外包装（运输）"
        }
    }
}

/// The events of a report's history.
public enum ReportTimelineKind: String, LabelledCode {
    case submitted
    case followUp = "follow_up"
    case assessed

    public var label: String {
        switch self {
        case .submitted: "提交报告"
        case .followUp: "补充报告（随访）"
        case .assessed: "关联性评价"
        }
    }
}

/// What an event term describes.
public enum EventTermKind: String, LabelledCode {
    /// 器械问题
    case device
    /// 患者伤害表现
    case patient

    public var label: String {
        switch self {
        case .device: "器械问题"
        case .patient: "患者伤害表现"
        }
    }
}
