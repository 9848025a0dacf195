import FluentKit
import Foundation
import TongdaoCore

/// The demo's Delta (issue 21): enterprises registered in the three partner provinces, spread over
/// their cities, and about two hundred cross-province entrustment links between them and the demo
/// city's enterprises — Shanghai registrants entrusting manufacturers in Jiangsu, Zhejiang and Anhui,
/// partner registrants entrusting Shanghai's, a score of segmented productions over two or three
/// provinces —, each filed, some with a post-approval change, renewed or ended.
public enum DemoDelta {
    /// What one generation wrote.
    public struct Outcome: Sendable, Equatable {
        public var enterprises = 0
        public var links = 0
        public var segmented = 0
        public var events = 0
    }

    static let trades = ["生物制药", "医疗器械", "生物技术", "医用材料", "精密医疗", "诊断试剂", "药业", "医疗科技"]
    static let drugs = ["单克隆抗体注射液", "重组蛋白注射液", "注射用多肽", "缓释微球", "口服溶液", "吸入制剂", "脂质体注射液", "mRNA疫苗"]
    static let devices = ["血管内支架系统", "人工关节假体", "一次性使用内窥镜", "超声诊断系统", "心脏起搏器", "手术机器人器械", "可吸收缝合线", "核酸检测试剂盒"]
    static let stages = [["原液生产", "制剂灌装"], ["原液生产", "制剂灌装", "包装"], ["原料药合成", "制剂生产"], ["部件生产", "总装调试"]]
    static let changes = [
        "变更原辅料供应商，已完成对比研究和稳定性考察", "生产工艺参数优化，经评估属于中等变更", "增加生产批量，完成工艺验证", "变更内包装材料，开展相容性研究",
        "质量标准修订，提高有关物质限度要求", "变更生产场地内的生产线，完成设备确认",
    ]

    /// Enterprises of every partner city, then the links; `perCity` enterprises a city.
    @discardableResult
    public static func generate(
        today: CivilDate, now: Date, links count: Int = 200, perCity: Int = 4, seed: UInt64 = DemoCity.seed, on db: any Database
    ) async throws -> Outcome {
        var random = SplitMix64(seed: seed &+ 31)
        func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }
        var outcome = Outcome()
        // The partners: four enterprises in each of the eighteen cities.
        let cities = try await RegionModel.query(on: db).filter(\.$level == .city).filter(\.$parentCode != nil).sort(\.$id).all()
        var partners: [EnterpriseModel] = []
        var serial = 0
        for city in cities {
            guard let code = city.id else { continue }
            for index in 0..<perCity {
                serial += 1
                let enterprise = EnterpriseModel()
                enterprise.uscc = USCC.completing("91" + code.prefix(4) + "02MA" + String(format: "%07d", serial))!
                enterprise.name = "\(city.name.replacingOccurrences(of: "市", with: ""))示例\(trades[(serial + index) % trades.count])有限公司"
                enterprise.district = code
                enterprise.kind = index % 4 == 3 ? .registrant : index % 2 == 0 ? .cdmo : .manufacturer
                enterprise.isStartup = index % 3 == 0
                enterprise.contactName = "演示联系人"
                enterprise.contactPhone = "0\(code.prefix(3))-8000 \(String(format: "%04d", serial))"
                enterprise.version = 1
                try await enterprise.create(on: db)
                partners.append(enterprise)
            }
        }
        outcome.enterprises = partners.count
        // Shanghai's side: the demo enterprise account's own firm first (so its account sees links), then the city's.
        let shanghai = try await EnterpriseModel.query(on: db).scoped(to: .province(.shanghai)).sort(\.$uscc).limit(400).all()
        let own = shanghai.filter { $0.uscc == DemoData.enterprises[0].uscc || $0.uscc == DemoData.enterprises[4].uscc }
        let registrants = own + shanghai.filter { $0.kind == .registrant }
        let makers = own + shanghai.filter { $0.kind == .manufacturer || $0.kind == .cdmo }
        let partnerRegistrants = partners.filter { $0.kind == .registrant }
        let partnerMakers = partners.filter { $0.kind != .registrant }
        guard !registrants.isEmpty, !makers.isEmpty, !partnerMakers.isEmpty, !partnerRegistrants.isEmpty else { return outcome }
        var instant = now.addingTimeInterval(-720 * 86_400)
        for index in 0..<count {
            instant = instant.addingTimeInterval(3 * 86_400)
            let kind: EntrustmentKind = index % 10 == 9 ? .segmented : .entrusted
            let registrant: EnterpriseModel
            var sites: [(EnterpriseModel, String?)]
            if kind == .segmented {
                registrant = index % 20 == 9 ? pick(partnerRegistrants) : registrants[index % registrants.count]
                let names = pick(stages)
                sites = names.enumerated().map { position, stage in
                    (position == 0 && registrant.district.hasPrefix("31") == false ? pick(makers) : pick(partnerMakers), stage)
                }
            } else if index % 3 == 2 {
                registrant = pick(partnerRegistrants)
                sites = [(index < 12 ? own[index % own.count] : pick(makers), nil)]
            } else {
                registrant = index < 12 ? own[index % own.count] : registrants[index % registrants.count]
                sites = [(pick(partnerMakers), nil)]
            }
            // One party once: a segmented stage that drew the same maker twice keeps the first.
            var seen: Set<String> = [registrant.uscc]
            sites = sites.filter { seen.insert($0.0.uscc).inserted }
            guard (kind == .entrusted ? sites.count == 1 : sites.count >= 2),
                let registrantProvince = DeltaProvince(regionCode: registrant.district),
                sites.contains(where: { DeltaProvince(regionCode: $0.0.district) != registrantProvince })
            else { continue }
            let category: ProductCategory = index % 2 == 0 ? .drug : .device
            let starts = ShanghaiTime.day(of: instant)
            let link = DeltaLinkModel()
            link.id = TimeOrderedID.make(now: instant)
            link.kind = kind.rawValue
            link.productName = category == .drug ? pick(drugs) : pick(devices)
            link.productCategory = category.rawValue
            link.registrantID = try registrant.requireID()
            link.registrantUSCC = registrant.uscc
            link.registrantProvince = registrantProvince.rawValue
            link.startsOn = starts.description
            link.endsOn = starts.adding(days: index % 25 == 7 ? 300 : 365 * 3).description
            link.agreementSignedOn = starts.adding(days: -10).description
            link.agreementEndsOn = starts.adding(days: index % 25 == 7 ? 300 : 365 * 2).description
            link.provinces = DeltaStore.list(
                [registrantProvince.rawValue] + sites.compactMap { DeltaProvince(regionCode: $0.0.district)?.rawValue })
            link.parties = DeltaStore.list([registrant.uscc] + sites.map(\.0.uscc))
            link.recordedBy = "user:regulator"
            link.recordedOn = starts.description
            link.version = 1
            let id = try link.requireID()
            var events: [(LinkEventKind, CivilDate, String, String)] = [
                (
                    .filed, starts,
                    "\(registrant.name)\(kind.label)：\(link.productName)，由"
                        + sites.map { $0.0.name + ($0.1.map { "（\($0)）" } ?? "") }.joined(separator: "、")
                        + "生产", "user:regulator"
                )
            ]
            let elapsed = today.dayNumber - starts.dayNumber
            if index % 3 == 0, elapsed > 60 {
                events.append((.change, starts.adding(days: min(elapsed - 1, 45 + index % 120)), pick(changes), "user:enterprise"))
            }
            if index % 11 == 4, elapsed > 200 {
                let renewedTo = starts.adding(days: 365 * 4)
                events.append((.agreementRenewed, starts.adding(days: 180), "质量协议续签至 \(renewedTo)", "user:regulator"))
                link.agreementEndsOn = renewedTo.description
            }
            if index % 29 == 13, elapsed > 250 {
                let ended = starts.adding(days: 240)
                events.append((.ended, ended, "注册人调整生产布局，终止委托", "user:regulator"))
                link.endedOn = ended.description
            }
            link.version = events.count
            try await link.create(on: db)
            for (position, site) in sites.enumerated() {
                let row = DeltaLinkSiteModel()
                row.id = TimeOrderedID.make(now: instant)
                row.linkID = id
                row.position = position + 1
                row.enterpriseID = try site.0.requireID()
                row.uscc = site.0.uscc
                row.province = DeltaProvince(regionCode: site.0.district)?.rawValue ?? DeltaProvince.shanghai.rawValue
                row.stage = site.1
                try await row.create(on: db)
            }
            for event in events {
                let row = DeltaLinkEventModel()
                row.id = TimeOrderedID.make(now: instant)
                row.linkID = id
                row.kind = event.0.rawValue
                row.occurredOn = event.1.description
                row.summary = event.2
                row.recordedBy = event.3
                try await row.create(on: db)
            }
            outcome.links += 1
            outcome.events += events.count
            if kind == .segmented { outcome.segmented += 1 }
        }
        return outcome
    }
}
