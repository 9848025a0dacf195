import Foundation
import TongdaoCore

/// The demo's production addresses and registration QMS outcomes: drawn from a stable digest of the
/// enterprise's credit code (never from the demo's random sequence, so the rest of the demo is
/// unchanged by them), the same on every run.
public enum DemoSites {
    static let roads = ["张江路", "蔡伦路", "郭守敬路", "科苑路", "碧波路", "李冰路", "新金桥路", "紫星路", "莲花南路", "剑川路", "临港大道", "瑞庆路"]

    /// The enterprise's production address.
    public static func address(uscc: String) -> String {
        let digest = fnv(uscc)
        return "上海市\(roads[Int(digest % UInt64(roads.count))])\(digest / 16 % 1_500 + 1)号"
    }

    /// What its registration QMS inspection of an application found: mostly passed, some after
    /// rectification, a few with a severe defect, one in twenty-five with an authenticity problem.
    static func outcome(uscc: String, serial: Int) -> QMSOutcome {
        switch fnv("\(uscc)#\(serial)") % 25 {
        case 0: .authenticity
        case 1, 2: .severeDefect
        case 3...7: .passedAfterRectification
        default: .passed
        }
    }

    /// The inspectors' note that goes with an outcome.
    static func note(_ outcome: QMSOutcome) -> String {
        switch outcome {
        case .passed: "未发现严重缺陷"
        case .passedAfterRectification: "发现一般缺陷 2 项，已整改"
        case .severeDefect: "发现严重缺陷 1 项：关键工序未经验证"
        case .authenticity: "设计开发记录与注册申报资料不一致，存在真实性问题"
        }
    }

    /// FNV-1a, 64 bits: stable across runs and machines (unlike `hashValue`).
    static func fnv(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
