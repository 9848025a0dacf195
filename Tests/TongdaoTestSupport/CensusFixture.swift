import Foundation
import TongdaoCore

/// Census sheets for tests, generated from a fixed seed: valid rows, and bad rows of known kinds.
public enum CensusFixture {
    public static let header = CensusSheet.Column.allCases.map(\.rawValue)
    public static let districts = [("310115", "浦东新区", ["张江", "临港新片区", ""]), ("310104", "徐汇区", [""]), ("310112", "闵行区", ["南虹桥", ""])]

    public static func uscc(district: String, serial: Int) -> String {
        let first17 = "91" + district + "MA" + String(format: "%07d", serial)
        return USCC.completing(first17)!
    }

    /// `count` valid rows, five products an enterprise, in the given districts (code, name, parks).
    public static func rows(count: Int, districts: [(String, String, [String])] = districts, seed: UInt64 = 5) -> [[String]] {
        var generator = SplitMix64(seed: seed)
        let areas = KeyArea.allCases, stages = DevelopmentStage.allCases
        return (0..<count).map { index in
            let enterprise = index / 5
            let (code, name, parks) = districts[enterprise % districts.count]
            let park = parks[enterprise % parks.count]
            let managementClass = ManagementClass.allCases[index % 3]
            let channel = managementClass == .two ? "上海二类创新" : (index % 4 == 0 ? "国家创新特别审查" : "")
            let row: [CensusSheet.Column: String] = [
                .enterpriseName: "上海\(name)示例企业\(enterprise)有限公司", .uscc: uscc(district: code, serial: enterprise), .district: name,
                .park: park, .productName: "示例产品\(index % 5)号", .model: "M-\(index % 5)", .category: "医疗器械",
                .managementClass: managementClass.label, .classificationCode: String(format: "%02d", index % 22 + 1),
                .keyAreas: [areas[index % areas.count].label, areas[(index + 3) % areas.count].label].joined(separator: "、"),
                .stage: stages[Int.random(in: 0..<stages.count, using: &generator)].label,
                .expectedFiling: String(format: "2027-%02d", index % 12 + 1), .channels: channel,
                .contactName: "联系人\(enterprise)", .contactPhone: "021-6000 \(String(format: "%04d", enterprise % 10_000))",
                .guidanceNeeds: index % 7 == 0 ? "希望明确分类界定；需要临床评价路径指导" : "",
            ]
            return CensusSheet.Column.allCases.map { row[$0] ?? "" }
        }
    }

    /// Makes row `index` (0-based among data rows) bad in one of twelve ways; returns the column blamed.
    public static func spoil(_ rows: inout [[String]], at index: Int, kind: Int) -> CensusSheet.Column {
        func set(_ column: CensusSheet.Column, _ value: String) -> CensusSheet.Column {
            rows[index][CensusSheet.Column.allCases.firstIndex(of: column)!] = value
            return column
        }
        switch kind % 12 {
        case 0: return set(.uscc, String(rows[index][1].dropLast()) + (rows[index][1].last == "0" ? "1" : "0"))
        case 1: return set(.district, "火星区")
        case 2: return set(.park, "东方美谷")
        case 3: return set(.managementClass, "第四类")
        case 4: return set(.stage, "快完成了")
        case 5: return set(.expectedFiling, "明年三月")
        case 6: return set(.keyAreas, "量子医学")
        case 7: return set(.productName, "")
        case 8: return set(.classificationCode, "99")
        case 9: return set(.contactPhone, "请打电话")
        case 10: return set(.channels, "绿色通道")
        default: return set(.category, "保健品")
        }
    }

    public static func csv(_ rows: [[String]]) -> Data {
        CSV.excelData([header] + rows)
    }
}
