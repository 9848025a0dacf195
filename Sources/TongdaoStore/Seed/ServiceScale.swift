import FluentKit
import Foundation
import TongdaoCore

/// Consultations and the FAQ library at the size of the service issue's benchmark (`tongdao seed
/// --demo --scale service`), from a fixed seed: 1,000,000 consultations over three years from the
/// stored enterprises to the station covering each (or the regulator, for city-level topics) — all
/// but the last three weeks' answered and rated, those still open with their clocks counted on the
/// calendar — and 100,000 published FAQ entries and cases whose texts are the demo's questions put
/// for 120 kinds of product with a few of 40 further sentences each, with their search keys. The
/// consultations are written without their histories (the lists read none).
public enum ServiceScale {
    public struct Size: Sendable {
        public var consultations: Int
        public var entries: Int
        public var years: Int
        public var batch: Int

        public init(consultations: Int = 1_000_000, entries: Int = 100_000, years: Int = 3, batch: Int = 50_000) {
            self.consultations = consultations
            self.entries = entries
            self.years = years
            self.batch = batch
        }
    }

    public struct Summary: Sendable, Equatable {
        public var consultations = 0
        public var open = 0
        public var entries = 0
        public var postings = 0
    }

    public typealias Progress = @Sendable (_ phase: String, _ done: Int, _ total: Int) -> Void

    static let productWords = [
        "有源", "无源", "植入", "体外诊断", "人工智能", "手术", "影像", "监护", "康复", "口腔", "眼科", "骨科", "心血管", "神经", "呼吸", "麻醉", "透析", "放射",
        "超声", "内窥镜",
    ]
    static let productKinds = ["设备", "器械", "软件", "试剂", "耗材", "系统"]
    static let sentences = [
        "建议提前与服务工作站沟通。", "可参照相关注册审查指导原则。", "申报前应完成风险管理。", "临床评价资料应与预期用途一致。", "注意说明书与技术要求的一致性。",
        "检验报告应覆盖全部型号。", "软件更新应记录版本和变更内容。", "生物相容性评价按标准开展。", "电气安全和电磁兼容应符合现行标准。", "灭菌确认资料应完整。",
        "有效期验证应有加速老化和实时老化数据。", "包装运输验证不可缺少。", "境外数据需说明人种差异。", "多中心试验应统一方案和培训。", "伦理审查意见应随资料提交。",
        "样本量估算应有统计学依据。", "主要评价指标应具有临床意义。", "不良事件应如实记录和报告。", "委托生产须签订质量协议。", "体系文件应覆盖设计开发全过程。",
        "供应商审核记录应可追溯。", "关键工序应经过确认。", "变更前应评估对安全有效的影响。", "延续注册应在有效期届满前申请。", "创新申请应突出核心技术。",
        "专利检索报告应由有资质机构出具。", "优先审批须说明临床急需。", "分类界定可在两周内得到意见。", "注册自检应具备相应能力。", "检验样品应与申报产品一致。",
        "附条件批准产品须按期完成上市后研究。", "上市后应持续开展风险监测。", "广告宣传不得超出注册范围。", "标签应标注注册证编号。", "进口产品应提交原产国批准证明。",
        "同品种比对应说明差异及其影响。", "动物试验应遵循3R原则。", "人因工程研究适用于高风险交互。", "网络安全应有漏洞管理。", "算法训练数据应有质量控制。",
    ]

    public static func generate(
        _ size: Size, today: CivilDate, now: Date, seed: UInt64 = DemoCity.seed &+ 313, on database: any Database, progress: Progress? = nil
    ) async throws -> Summary {
        var random = SplitMix64(seed: seed)
        func roll(_ below: Int) -> Int { Int(random.next() % UInt64(max(below, 1))) }
        var summary = Summary()
        let calendar = try await CalendarStore.load(on: database)
        let stations = try ReferenceData.stations()
        let topics = try await ConsultationStore.topics(on: database)
        let enterprises = try await EnterpriseModel.query(on: database).sort(\.$uscc).all()
        guard !enterprises.isEmpty, !topics.isEmpty else { return summary }
        let desks = enterprises.map { ServiceRouting.station(district: $0.district, park: $0.park, among: stations)?.code }
        let targets = ServicePolicy.standard.targets
        let start = today.adding(days: -365 * size.years)
        let span = today.dayNumber - start.dayNumber
        let openFrom = today.adding(days: -21)
        var instant = now.addingTimeInterval(-Double(span + 1) * 86_400)

        // Consultations, in batches of `size.batch` (each its own transaction).
        var written = 0
        while written < size.consultations {
            let count = min(size.batch, size.consultations - written)
            var rows: [[BulkValue]] = []
            rows.reserveCapacity(count)
            for index in 0..<count {
                let which = roll(enterprises.count)
                let enterprise = enterprises[which]
                let topic = topics[roll(topics.count)]
                let asked = start.adding(days: (written + index) * span / size.consultations)
                instant = instant.addingTimeInterval(0.01)
                let id = TimeOrderedID.make(now: instant)
                let station = topic.cityLevel ? nil : desks[which]
                var events: [ServiceClock.Event] = [.init(.asked, on: asked)]
                var status = ConsultationStatus.closed
                var answered: CivilDate?
                var snapshot: ServiceClock.Snapshot?
                if asked >= openFrom {
                    // The last three weeks': still open, their clocks counted.
                    status = .open
                    if let reading = try? ServiceClock.read(events: events, targets: targets, asOf: today, calendar: calendar) {
                        snapshot = ServiceClock.snapshot(of: reading, targets: targets, calendar: calendar)
                    }
                    summary.open += 1
                } else {
                    let day = asked.adding(days: 1 + roll(9))
                    answered = day
                    events += [.init(.answered, on: day), .init(.rated, on: day.adding(days: 1 + roll(5)))]
                }
                let values: [any BulkWritable] = [
                    id, enterprise.id, enterprise.uscc, enterprise.district, enterprise.park, nil as UUID?, nil as String?, topic.id ?? "other",
                    "\(topic.label)：办理要求", station, status.rawValue, asked, targets.firstResponse, targets.resolution, targets.amberFraction,
                    targets.escalateAfter, ServiceClock.Event.storedText(of: events), answered, answered, snapshot?.dueOn, snapshot?.amberOn,
                    snapshot?.redOn, snapshot?.escalateOn, answered == nil ? nil : 4 + roll(2), "企业联系人", events.count, instant, instant,
                ]
                rows.append(values.map(\.bulkValue))
            }
            try await database.transaction { [rows] db in
                try await BulkInsert.run("consultations", columns: DemoService.consultationColumns, rows: rows, on: db)
            }
            written += count
            summary.consultations = written
            progress?("咨询", written, size.consultations)
        }

        // The library: entries and their search keys, in batches; the keys' counts at the end.
        var counts: [String: Int] = [:]
        let questions = DemoService.libraryQuestions
        var made = 0
        while made < size.entries {
            let count = min(size.batch / 10, size.entries - made)
            var entries: [[BulkValue]] = []
            var postings: [[BulkValue]] = []
            for _ in 0..<count {
                let product = productWords[roll(productWords.count)] + productKinds[roll(productKinds.count)]
                let item = questions[roll(questions.count)]
                let title = item.question.replacingOccurrences(of: "%@", with: product)
                let extra = (0..<(1 + roll(3))).map { _ in sentences[roll(sentences.count)] }.joined()
                let answer = item.answer + extra
                let kind: LibraryKind = roll(10) == 0 ? .caseStudy : .faq
                instant = instant.addingTimeInterval(0.01)
                let id = TimeOrderedID.make(now: instant)
                let published = start.adding(days: roll(span))
                let values: [any BulkWritable] = [
                    id, kind.rawValue, LibraryStatus.published.rawValue, title, "企业咨询：\(title)", answer, item.topic, nil as String?, nil as UUID?,
                    stations[roll(stations.count)].code, "user:admin", published, "user:regulator", nil as String?, published, nil as String?,
                    roll(500), 1, instant, instant,
                ]
                entries.append(values.map(\.bulkValue))
                counts[LibraryStore.publishedKey, default: 0] += 1
                for key in SearchGrams.entryKeys(title: title, body: "企业咨询：" + title + "\n" + answer) {
                    postings.append([.text(key), .uuid(id)])
                    counts[key, default: 0] += 1
                }
            }
            try await database.transaction { [entries, postings] db in
                try await BulkInsert.run("library_entries", columns: DemoService.libraryColumns, rows: entries, on: db)
                try await BulkInsert.run("library_grams", columns: ["gram", "entry_id"], rows: postings, on: db)
            }
            made += count
            summary.entries = made
            summary.postings += postings.count
            progress?("常见问题", made, size.entries)
        }
        // The keys' counts replace those of the demo's entries (their postings stay; so do they).
        let existing = try await LibraryStore.keyCounts(on: database)
        let merged = counts.merging(existing) { $0 + $1 }
        try await database.transaction { [merged] db in
            try await LibraryStore.replaceKeyCounts(merged, on: db)
        }
        return summary
    }
}
