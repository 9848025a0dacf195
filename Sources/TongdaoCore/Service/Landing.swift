// Landing projects (产业化落地, issue 20 item 8): an approved product made at a site in a district
// and park, followed by the industry department from plan to production; the problems raised
// about it, each with the body that owns it and how it was resolved; and the meetings (会商) of
// the industry department and the regulator that decide on them.

/// Where a landing project stands. A project moves forward only: planned, building, producing.
public enum LandingStatus: String, LabelledCode, Comparable {
    /// 筹建: site and plan agreed, not yet building.
    case planned
    /// 建设中: the plant or line being built or fitted out.
    case building
    /// 已投产: producing.
    case producing

    public var label: String {
        switch self {
        case .planned: "筹建"
        case .building: "建设中"
        case .producing: "已投产"
        }
    }

    private var rank: Int {
        switch self {
        case .planned: 0
        case .building: 1
        case .producing: 2
        }
    }

    public static func < (lhs: LandingStatus, rhs: LandingStatus) -> Bool { lhs.rank < rhs.rank }
}

/// Where a problem raised about a landing project stands.
public enum LandingProblemStatus: String, LabelledCode {
    /// 待解决
    case open
    /// 已解决
    case resolved

    public var label: String {
        switch self {
        case .open: "待解决"
        case .resolved: "已解决"
        }
    }
}
