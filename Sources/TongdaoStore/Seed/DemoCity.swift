import Foundation
import TongdaoCore

/// A realistic city for demo mode, generated from a fixed seed (never a committed dump): a few
/// hundred enterprises over the districts and parks, most in Pudong and Zhangjiang, about a thousand
/// products with plausible names, and three years of census declarations in which products advance.
public enum DemoCity {
    public static let seed: UInt64 = 2026
    public static let enterpriseCount = 300

    /// Where enterprises are, with weights: Pudong (Zhangjiang, Lingang) dominates, as it does in life.
    static let places: [(district: String, park: String?, weight: Int)] = [
        ("310115", "zhangjiang", 30), ("310115", "lingang", 8), ("310115", nil, 10), ("310112", "nan-hongqiao", 6), ("310112", nil, 5),
        ("310104", nil, 7), ("310120", "dongfang-meigu", 5), ("310113", "bei-shanghai", 4), ("310116", "jinhaian", 3), ("310114", nil, 5),
        ("310110", nil, 3), ("310117", nil, 3), ("310118", nil, 2), ("310107", nil, 2), ("310105", nil, 2), ("310106", nil, 2),
        ("310101", nil, 1), ("310109", nil, 1), ("310151", nil, 1),
    ]

    static let firmWords = [
        "联影", "微创", "博动", "睿心", "康德", "瑞影", "图灵", "深至", "安翰", "心玮", "臻络", "锐视", "澎立", "复拓", "景和",
        "昕诺", "启明", "恒润", "鹰瞳", "思路", "达仁", "优卡", "凯利泰", "佰仁", "神奕", "诺诚", "创领", "擎朗", "傲意", "脑虎",
    ]
    static let firmSuffixes = ["医疗科技有限公司", "生物科技有限公司", "医学影像技术有限公司", "智能科技有限公司", "医疗器械有限公司", "生命科学有限公司"]

    /// Product names by key area, with their usual class, catalogue code and category.
    static let catalogue: [KeyArea: [(name: String, managementClass: ManagementClass, code: String?, category: ProductCategory)]] = [
        .ai: [
            ("肺结节CT影像辅助检测软件", .three, "21-04", .device), ("眼底图像辅助诊断软件", .three, "21-04", .device),
            ("冠脉CT血流储备分数计算软件", .three, "21-04", .device), ("骨折X射线影像辅助检测软件", .two, "21-04", .device),
        ],
        .surgicalRobot: [
            ("腹腔镜手术机器人", .three, "01-07", .device), ("骨科手术导航定位系统", .three, "01-07", .device),
            ("血管介入手术机器人", .three, "01-07", .device), ("口腔种植手术机器人", .three, "17-07", .device),
        ],
        .brainComputerInterface: [("植入式脑机接口系统", .three, "12-01", .device), ("脑电采集与康复训练系统", .two, "07-03", .device)],
        .particleTherapy: [("质子治疗系统", .three, "05-01", .device), ("重离子治疗系统", .three, "05-01", .device)],
        .highEndImaging: [
            ("3.0T磁共振成像系统", .three, "06-09", .device), ("光子计数CT", .three, "06-02", .device),
            ("全身正电子发射及X射线计算机断层成像系统", .three, "06-12", .device),
        ],
        .cardiovascularImplant: [
            ("经导管主动脉瓣膜系统", .three, "13-07", .device), ("药物洗脱冠脉支架系统", .three, "13-06", .device),
            ("左心耳封堵器系统", .three, "13-07", .device), ("可降解冠脉支架", .three, "13-06", .device),
        ],
        .tcmDevice: [("中医脉诊仪", .two, "20-01", .device), ("舌象采集分析系统", .two, "20-01", .device)],
        .molecularDiagnostics: [
            ("肿瘤多基因突变检测试剂盒（高通量测序法）", .three, nil, .ivd), ("核酸检测试剂盒（荧光PCR法）", .three, nil, .ivd),
            ("甲基化检测试剂盒", .three, nil, .ivd), ("化学发光免疫分析仪", .two, "22-04", .device),
        ],
        .rehabilitation: [("下肢康复外骨骼机器人", .two, "19-01", .device), ("上肢康复训练系统", .two, "19-01", .device)],
        .lifeSupport: [("体外膜肺氧合系统", .three, "10-04", .device), ("有创呼吸机", .three, "08-01", .device)],
        .other: [("一次性使用电子内窥镜", .two, "06-14", .device), ("连续血糖监测系统", .three, "07-04", .device)],
    ]

    /// Three years of census records, oldest first: products join over the years and advance stages.
    public static func census(currentYear: Int) -> [(year: Int, records: [CensusRecord])] {
        var generator = SplitMix64(seed: seed)
        let totalWeight = places.reduce(0) { $0 + $1.weight }
        var usccs: Set<String> = Set(DemoData.enterprises.map(\.uscc))
        var enterprises: [EnterpriseDraft] = []
        // Names as real firms have them: each its own, never told apart by a number.
        var names: Set<String> = Set(DemoData.enterprises.map(\.name))
        while enterprises.count < enterpriseCount {
            var pick = Int.random(in: 0..<totalWeight, using: &generator)
            let place =
                places.first {
                    pick -= $0.weight; return pick < 0
                } ?? places[0]
            let serial = String((0..<7).map { _ in USCC.alphabet.randomElement(using: &generator)! })
            let first17 = "91" + place.district + "MA" + serial
            let uscc = USCC.completing(first17)!
            guard usccs.insert(uscc).inserted else { continue }
            let name =
                "上海" + firmWords.randomElement(using: &generator)! + ["", "新", "智", "博", "联"].randomElement(using: &generator)!
                + firmSuffixes.randomElement(using: &generator)!
            guard names.insert(name).inserted else { continue }
            enterprises.append(
                EnterpriseDraft(
                    uscc: uscc, name: name, district: place.district, park: place.park, kind: .registrant, isStartup: Bool.random(using: &generator),
                    // Some surveys come back without a contact: the census page's completeness shows it.
                    contactName: Int.random(in: 0..<10, using: &generator) == 0
                        ? nil
                        : ["王", "李", "张", "刘", "陈", "杨", "赵", "黄"].randomElement(using: &generator)! + ["经理", "工程师", "总监"].randomElement(
                            using: &generator)!,
                    contactPhone:
                        "021-\(Int.random(in: 5000...6999, using: &generator)) \(String(format: "%04d", Int.random(in: 0...9999, using: &generator)))"
                ))
        }
        // Products: three or four an enterprise on average; each with a first census year and a stage path.
        let areas = Array(catalogue.keys).sorted { $0.rawValue < $1.rawValue }
        var products: [(enterprise: EnterpriseDraft, draft: ProductDraft, firstYear: Int, lastYear: Int)] = []
        var used: Set<String> = []
        for enterprise in enterprises {
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                let area = areas.randomElement(using: &generator)!
                let entry = catalogue[area]!.randomElement(using: &generator)!
                let model =
                    ["SH", "UX", "MT", "RV", "NX"].randomElement(using: &generator)! + "-" + String(Int.random(in: 100...999, using: &generator))
                guard used.insert("\(enterprise.uscc)|\(entry.name)|\(model)").inserted else { continue }
                var keyAreas = [area]
                if area != .ai, Int.random(in: 0..<5, using: &generator) == 0 { keyAreas.append(.ai) }
                var channels: [FilingChannel] = []
                if entry.managementClass == .three, Bool.random(using: &generator) { channels.append(.nationalInnovative) }
                if entry.managementClass == .two, Int.random(in: 0..<3, using: &generator) == 0 {
                    channels.append([.shanghaiInnovative, .shanghaiPriority].randomElement(using: &generator)!)
                }
                let draft = ProductDraft(
                    name: entry.name, model: model, category: entry.category, managementClass: entry.managementClass,
                    classificationCode: entry.code, keyAreas: keyAreas, stage: .intention, channels: channels)
                // About one product in twelve is abandoned and no longer declared this year.
                let firstYear = currentYear - Int.random(in: 0...2, using: &generator)
                let lastYear = firstYear < currentYear && Int.random(in: 0..<12, using: &generator) == 0 ? currentYear - 1 : currentYear
                products.append((enterprise, draft, firstYear, lastYear))
            }
        }
        let stages = DevelopmentStage.allCases
        var result: [(year: Int, records: [CensusRecord])] = []
        var stageIndex: [Int] = products.map { _ in Int.random(in: 0..<4, using: &generator) }
        for year in (currentYear - 2)...currentYear {
            var records: [CensusRecord] = []
            for (index, product) in products.enumerated() where product.firstYear <= year && year <= product.lastYear {
                if year > product.firstYear {
                    stageIndex[index] = min(stageIndex[index] + Int.random(in: 0...2, using: &generator), stages.count - 1)
                }
                var draft = product.draft
                draft.stage = stages[stageIndex[index]]
                let month = Int.random(in: 1...12, using: &generator)
                draft.expectedFiling =
                    Int.random(in: 0..<7, using: &generator) == 0
                    ? nil
                    : YearMonth(String(format: "%04d-%02d", year + (draft.stage < .accepted ? 1 : 0), month))
                records.append(CensusRecord(enterprise: product.enterprise, product: draft))
            }
            result.append((year, records))
        }
        return result
    }
}
