import FluentKit
import Foundation
import TongdaoCore

/// The demo's FAQ and case library (issue 20 item 4): 100 published questions and answers (25
/// common questions, each as four kinds of product ask it) and 20 published cases, written by the
/// stations and reviewed by the regulator, read a few hundred times each; a few drafts drawn from
/// answered consultations waiting for review (one still naming its enterprise) and one entry taken
/// down. The published ones are in the search.
extension DemoService {
    /// The kinds of product a question is put for, with their category.
    static let libraryContexts: [(label: String, category: ProductCategory)] = [
        ("有源医疗器械", .device), ("体外诊断试剂", .ivd), ("人工智能医疗器械软件", .device), ("植入类无源医疗器械", .device),
    ]

    /// The common questions: topic, question (`%@` the kind of product), answer.
    static let libraryQuestions: [(topic: String, question: String, answer: String)] = [
        (
            "innovative-review", "%@申请创新医疗器械特别审查需要提交哪些资料？",
            "应提交申请表、申请人资质证明、产品知识产权情况及证明文件（核心技术发明专利或其申请公开文件）、产品研发过程及结果综述、产品技术文件、产品创新的证明性文件、安全风险管理报告、说明书（样稿）及真实性自我保证声明。建议先经服务工作站预审，明确创新点和临床优势的表述。"
        ),
        (
            "innovative-review", "%@的核心专利尚在申请阶段，能否申请创新特别审查？",
            "可以。核心技术发明专利申请已由国务院专利行政部门公开，并出具检索报告、载明产品核心技术方案具备新颖性和创造性的，可以提出申请。申请时间距专利授权公告日不超过5年。"
        ),
        (
            "classification", "%@的管理类别不确定时如何申请分类界定？",
            "可通过分类界定信息系统提交申请，附产品描述、预期用途、结构组成、工作原理及同类产品情况。工作站可协助梳理资料；市局在10个工作日内提出初步意见。"
        ),
        (
            "classification", "%@属于第二类还是第三类，怎样初步判断？",
            "依据《医疗器械分类目录》和分类规则，按预期用途、结构特征、使用形式和使用状态判断。目录未列明的，可比照相近产品，或提出分类界定申请。"
        ),
        (
            "registration-testing", "%@注册检验可以用自检报告吗？",
            "注册申请人具备相应自检能力的，可以按《医疗器械注册自检管理规定》提交自检报告，并提交自检能力说明、检验人员和设备情况；不具备的，应委托有资质的检验机构检验。"
        ),
        (
            "registration-testing", "%@注册检验样品如何确定典型型号？",
            "应选择能够代表申报注册的全部型号、规格的典型产品，说明其结构组成、性能指标和风险的覆盖关系；差异型号应进行差异性检验。"
        ),
        (
            "clinical-trial", "%@开展临床试验前需要完成哪些准备？",
            "应完成产品设计定型、注册检验合格、临床前研究（包括动物试验，如需要），制定临床试验方案，选择具备条件的备案临床试验机构，经伦理委员会审查同意后开展，并在所在地药监部门备案。"
        ),
        (
            "clinical-trial", "%@能否免于临床试验？",
            "列入《免于临床评价医疗器械目录》的，可以免于临床试验；其他产品可通过同品种比对的临床评价路径，证明与同品种产品实质等同。需要开展临床试验的高风险产品须按规定审批。"
        ),
        (
            "clinical-trial", "%@临床试验机构和主要研究者有什么要求？",
            "临床试验机构应已在备案系统备案；主要研究者应具有高级职称，参加过3个以上临床试验，并熟悉试验方案。同一研究者同期承担的项目不宜过多。"
        ),
        (
            "clinical-advantage", "%@怎样说明临床优势？",
            "应与已上市同类产品或现有诊疗方法比较，从疗效、安全性、操作便捷性、适用人群等方面说明显著的临床应用价值，并提供文献、临床数据或专家意见支持。"
        ),
        (
            "core-patent", "%@的专利权属有变更，对创新申请有影响吗？",
            "申请人应依法拥有产品核心技术发明专利权，或依法通过受让取得在中国的发明专利权或使用权。权属变更应提交相应的转让或许可合同及登记证明。"
        ),
        (
            "technical-features", "%@产品技术要求应包括哪些内容？",
            "包括产品型号规格及划分说明、性能指标和检验方法；性能指标应可客观判定，检验方法应可重复。引用标准的，应写明标准编号和条款。"
        ),
        (
            "technical-features", "%@软件版本命名规则有什么要求？",
            "应明确软件发布版本和完整版本的命名规则，区分重大软件更新和轻微软件更新；重大更新应申请变更注册。"
        ),
        (
            "dossier", "%@注册申报资料的格式要求是什么？",
            "按电子申报（eRPS）目录结构提交，文件为可检索的PDF，签章页清晰；综述、非临床资料、临床评价资料、说明书和标签、质量管理体系文件分章节提交。"
        ),
        (
            "dossier", "%@注册申报资料被要求补正，有多长时间？",
            "申请人应在一年内一次性提交补充资料；逾期未提交的，终止审查。补正期间不计入审评时限。"
        ),
        (
            "qms-inspection", "%@注册质量管理体系核查主要看什么？",
            "核查设计开发、采购、生产和质量控制是否符合医疗器械生产质量管理规范及附录要求，重点核实注册检验样品和临床试验用产品的真实性、可追溯性。"
        ),
        (
            "qms-inspection", "%@委托生产时体系核查如何安排？",
            "注册人应对受托生产企业的质量管理体系进行评估，签订质量协议；核查时同时检查注册人和受托企业，跨省的由双方药监部门协同。"
        ),
        (
            "priority-review", "%@哪些情形可以申请优先审批？",
            "诊断或者治疗罕见病、恶性肿瘤且具有明显临床优势，诊断或者治疗老年人特有和多发疾病且目前尚无有效手段，专用于儿童且具有明显临床优势，或临床急需且在我国尚无同品种产品获准注册的，可以申请优先审批。"
        ),
        (
            "production-licence", "%@取得注册证后如何申请生产许可？",
            "向所在地省级药监部门申请第二类、第三类医疗器械生产许可，提交生产场地、人员、设备和质量管理体系文件；与注册体系核查同时进行的，可减少重复检查。"
        ),
        (
            "production-licence", "%@生产地址变更需要办理什么手续？",
            "生产地址非文字性变更的，应先办理生产许可变更，必要时进行现场检查；涉及注册证载明事项的，同时申请注册变更。"
        ),
        (
            "change-registration", "%@哪些变化需要申请变更注册？",
            "产品设计、原材料、生产工艺、适用范围、使用方法等发生实质性变化，可能影响安全、有效的，应申请变更注册；其他变化应在变化之日起30日内备案。"
        ),
        (
            "change-registration", "%@注册证到期前多久申请延续注册？",
            "应在注册证有效期届满6个月前申请延续注册。逾期申请的，不予延续，需重新注册。"
        ),
        (
            "policy", "%@可以享受上海市哪些扶持政策？",
            "创新产品首次获批上市的，可按规定申请市级专项资金支持；进入创新特别审查的，可获得服务工作站一对一指导和优先检验、优先核查等服务。具体以各年度申报指南为准。"
        ),
        (
            "policy", "%@在长三角其他省份委托生产有什么要求？",
            "跨省委托生产的，注册人应与受托企业签订委托协议和质量协议，报告双方所在地药监部门；双方按长三角协同机制开展联合检查、结果互认。"
        ),
        (
            "other", "%@如何预约服务工作站面对面咨询？",
            "在平台“预约咨询”中选择所在区的服务工作站或市审评核查中心的时段，填写咨询主题和问题，截止日前可取消。每个时段名额有限。"
        ),
    ]

    /// The cases: title, background, handling and lesson (`%@` the kind of product).
    static let libraryCases: [(topic: String, title: String, background: String, lesson: String)] = [
        (
            "innovative-review", "%@创新申请因创新点表述不清被退回",
            "某企业申报创新特别审查，申报资料把十余项改进并列为创新点，未说明核心专利与产品核心技术的对应关系。",
            "工作站辅导企业聚焦一项核心技术，逐条对应专利权利要求和产品技术特征，补充与已上市产品的对比数据。再次申报后进入创新通道。启示：创新点宜少而精，与专利和临床优势一一对应。"
        ),
        (
            "clinical-trial", "%@临床试验方案样本量不足导致补充试验",
            "某产品临床试验按单组目标值设计，样本量估算未考虑脱落率，统计结果置信区间下限未达到目标值。",
            "企业在工作站和临床试验机构协助下补充入组，增加样本量重新分析，延误约8个月。启示：方案设计阶段应预约专家咨询，样本量估算考虑脱落率和亚组分析。"
        ),
        (
            "registration-testing", "%@注册检验型号覆盖不全被要求补检",
            "某企业只检验了最小规格，未论证其能代表其他规格的最不利情形。",
            "工作站指导企业做型号覆盖性分析，补检最大规格的关键性能。启示：送检前先论证典型性，减少补检。"
        ),
        (
            "qms-inspection", "%@体系核查发现临床样品无法追溯",
            "核查中发现临床试验用产品的生产记录与注册检验样品批号不一致，原材料采购记录缺失。",
            "企业整改追溯体系，补齐批记录后复查通过。启示：研发阶段即按规范建立可追溯的记录，尤其是送检和临床样品。"
        ),
        (
            "classification", "%@管理类别判断错误导致重新申报",
            "某企业按第二类申报，审评认为产品含诊断功能应按第三类管理，申报终止。",
            "企业申请分类界定，明确第三类后重新申报。启示：类别不确定时先申请分类界定，两周内即有初步意见。"
        ),
        (
            "dossier", "%@补正资料逾期导致终止审查",
            "企业收到补正通知后集中精力开展其他项目，一年内未提交补充资料。",
            "工作站此后对重点品种建立补正时限提醒。启示：补正通知到达后即制定计划，关注平台中的时限预警。"
        ),
        (
            "production-licence", "%@注册与生产许可同步核查缩短上市时间",
            "企业在注册体系核查前即准备好生产许可申请资料。",
            "市局对注册核查与生产许可现场检查合并实施，产品获证后两周内取得生产许可。启示：提前规划生产场地，申请合并检查。"
        ),
        (
            "change-registration", "%@软件重大更新未申请变更注册被责令整改",
            "产品算法更新后识别准确度提升，企业按轻微更新处理直接上线。",
            "检查发现后责令暂停销售新版本、申请变更注册。启示：算法、训练数据的实质变化属重大更新，应先申请变更注册。"
        ),
        (
            "priority-review", "%@儿童专用产品获得优先审批",
            "企业产品专用于儿童，国内尚无同类产品获批。",
            "工作站协助整理临床急需和儿童专用的证明材料，申请优先审批获批，审评时限明显缩短。启示：符合优先情形的，申报时同步提出优先审批申请。"
        ),
        (
            "policy", "%@长三角跨省委托生产联合检查",
            "上海注册人委托江苏企业生产，双方药监部门分别检查耗时较长。",
            "按长三角协同机制开展联合检查，结果互认，检查时间减半。启示：跨省委托生产应提前与两地监管部门沟通检查安排。"
        ),
    ]

    /// The columns a generated library entry fills, in the order of its values.
    static let libraryColumns = [
        "id", "kind", "status", "title", "question", "answer", "topic", "product_category", "consultation_id", "station_code", "author",
        "drafted_on", "reviewer", "review_note", "published_on", "withdrawn_on", "views", "version", "created_at", "updated_at",
    ]

    public static func generateLibrary(today: CivilDate, now: Date, seed: UInt64 = DemoCity.seed, on db: any Database) async throws -> Int {
        var random = SplitMix64(seed: seed &+ 24)
        func roll(_ below: Int) -> Int { Int(random.next() % UInt64(max(below, 1))) }
        let stations = try ReferenceData.stations()
        var instant = now.addingTimeInterval(-300 * 86_400)
        var entries: [[BulkValue]] = []
        var postings: [[BulkValue]] = []
        var counts: [String: Int] = [:]
        func add(
            kind: LibraryKind, status: LibraryStatus, topic: String, title: String, question: String, answer: String, category: ProductCategory?,
            consultation: UUID? = nil, station: String?
        ) {
            instant = instant.addingTimeInterval(7_200)
            let id = TimeOrderedID.make(now: instant)
            let drafted = today.adding(days: -(20 + roll(280)))
            let published = status == .draft ? nil : drafted.adding(days: 2 + roll(8))
            let values: [any BulkWritable] = [
                id, kind.rawValue, status.rawValue, title, question, answer, topic, category?.rawValue, consultation, station,
                station.map { "user:station-\($0)" } ?? "user:admin", drafted, status == .draft ? nil : "user:regulator",
                status == .withdrawn ? "相关规定已修订，待更新后重新发布。" : nil, published, status == .withdrawn ? published?.adding(days: 30) : nil,
                status == .published ? 20 + roll(800) : 0, 1, instant, instant,
            ]
            entries.append(values.map(\.bulkValue))
            guard status == .published else { return }
            counts[LibraryStore.publishedKey, default: 0] += 1
            for key in SearchGrams.entryKeys(title: title, body: question + "\n" + answer) {
                postings.append([.text(key), .uuid(id)])
                counts[key, default: 0] += 1
            }
        }
        for (index, item) in libraryQuestions.enumerated() {
            for context in libraryContexts {
                let title = item.question.replacingOccurrences(of: "%@", with: context.label)
                let station = stations[roll(stations.count)].code
                add(
                    kind: .faq, status: .published, topic: item.topic, title: title, question: "企业咨询：\(title)", answer: item.answer,
                    category: context.category, station: index % 5 == 4 ? nil : station)
            }
        }
        for item in libraryCases {
            for context in libraryContexts.prefix(2) {
                add(
                    kind: .caseStudy, status: .published, topic: item.topic, title: item.title.replacingOccurrences(of: "%@", with: context.label),
                    question: item.background, answer: item.lesson, category: context.category, station: stations[roll(stations.count)].code)
            }
        }
        add(
            kind: .faq, status: .withdrawn, topic: "dossier", title: "注册申报资料是否可以提交纸质版本？", question: "企业咨询：注册申报资料是否可以提交纸质版本？",
            answer: "过渡期内可提交纸质资料。", category: nil, station: nil)
        // Drafts drawn from answered consultations, waiting for review: the stations' questions of the
        // last weeks, the enterprise's names taken out — but for one, where the reviewer must catch it.
        let answered = try await ConsultationModel.query(on: db).filter(\.$status == ConsultationStatus.closed.rawValue)
            .filter(\.$station != nil).sort(\.$askedOn, .descending).limit(5).all()
        let enterprises = try await EnterpriseModel.query(on: db).filter(\.$id ~~ answered.map(\.enterpriseID)).all()
        let names = Dictionary(enterprises.compactMap { model in model.id.map { ($0, model.name) } }, uniquingKeysWith: { a, _ in a })
        for (index, consultation) in answered.enumerated() {
            let identity = Anonymiser.Identity(
                enterprises: [names[consultation.enterpriseID] ?? ""], products: consultation.productName.map { [$0] } ?? [])
            let question = "\(consultation.productName.map { "“\($0)”" } ?? "我司产品")在相关方面有几个问题：具体要求和办理时限是什么？需要准备哪些材料？"
            let redacted = index == 0 ? "\(names[consultation.enterpriseID] ?? "")：" + question : Anonymiser.redact(question, identity)
            add(
                kind: .faq, status: .draft, topic: consultation.topic, title: Anonymiser.redact(consultation.title, identity), question: redacted,
                answer: "请参照现行注册审查指导原则准备资料，重点说明核心专利、技术特征和临床优势；可预约工作站面对面辅导。", category: nil,
                consultation: consultation.id, station: consultation.station)
        }
        try await BulkInsert.run("library_entries", columns: libraryColumns, rows: entries, on: db)
        try await BulkInsert.run("library_grams", columns: ["gram", "entry_id"], rows: postings, on: db)
        try await BulkInsert.run(
            "library_gram_counts", columns: ["gram", "entries"], rows: counts.sorted { $0.key < $1.key }.map { [.text($0.key), .integer($0.value)] },
            on: db)
        return entries.count
    }
}

extension DemoService {
    /// The demo's classification questions (分类界定): about two a month over the year from the
    /// demo city's device makers to the regulator, on the classification target — most answered
    /// within it (a few after asking the enterprise to clarify, one late), the product's class the
    /// one the answer gave; the last weeks' still open.
    public static func generateClassifications(today: CivilDate, now: Date, seed: UInt64 = DemoCity.seed, on db: any Database) async throws -> Int {
        var random = SplitMix64(seed: seed &+ 25)
        func roll(_ below: Int) -> Int { Int(random.next() % UInt64(max(below, 1))) }
        let calendar = try await CalendarStore.load(on: db)
        let products = try await ProductModel.query(on: db).filter(\.$category != .drug).sort(\.$id).all()
        let enterprises = Dictionary(
            try await EnterpriseModel.query(on: db).all().compactMap { model in model.id.map { ($0, model) } }, uniquingKeysWith: { a, _ in a })
        guard !products.isEmpty else { return 0 }
        let targets = ServicePolicy.standard.classificationTargets
        func working(_ day: CivilDate, plus days: Int) -> CivilDate {
            (try? calendar.shiftingWorkingDays(days, from: day, provisional: true).value) ?? day.adding(days: days)
        }
        var instant = now.addingTimeInterval(-380 * 86_400)
        func nextID() -> UUID {
            instant = instant.addingTimeInterval(1)
            return TimeOrderedID.make(now: instant)
        }
        let codes = ["21-04", "06-01", "22-11", "07-10", "13-07", "03-13"]
        var rows: [[BulkValue]] = []
        var messages: [[BulkValue]] = []
        var day = working(today.adding(days: -360), plus: 1)
        while day <= today {
            defer { day = working(day, plus: 8 + roll(5)) }
            let product = products[roll(products.count)]
            guard let enterprise = enterprises[product.$enterprise.id], let productID = product.id else { continue }
            let asker = enterprise.uscc == DemoData.enterprises[0].uscc ? "user:enterprise" : (enterprise.contactName ?? "企业联系人")
            let id = nextID()
            var events: [ServiceClock.Event] = [.init(.asked, on: day)]
            var steps: [(kind: ConsultationEventKind, on: CivilDate, actor: String, body: String)] = [
                (
                    .asked, day, asker,
                    "预期用途：用于\(product.name)相关的辅助诊断或治疗。\n结构组成：主机、配套软件和附件。\n工作原理：采集并分析生理信号后给出提示。\n申请人建议类别：\(product.managementClass.label)"
                )
            ]
            var at = working(day, plus: 3 + roll(6))
            if roll(4) == 0, at <= today {
                events.append(.init(.requestedInfo, on: at))
                steps.append((.requestedInfo, at, "user:regulator", "请补充说明软件是否给出诊断结论，以及附件是否与人体接触。"))
                let replied = at.adding(days: 2 + roll(5))
                if replied <= today {
                    events.append(.init(.enterpriseReplied, on: replied))
                    steps.append((.enterpriseReplied, replied, asker, "软件仅给出提示，不给出诊断结论；附件与完好皮肤接触。"))
                    at = working(replied, plus: 2 + roll(4))
                } else {
                    at = today.adding(days: 1)  // still waiting on the enterprise
                }
            }
            if roll(20) == 0 { at = working(at, plus: 6) }
            // The last two weeks' questions are still with the regulator.
            if day >= today.adding(days: -14) { at = today.adding(days: 1) }
            let code = codes[roll(codes.count)]
            var decided: String?
            if at <= today {
                events.append(.init(.answered, on: at))
                steps.append(
                    (
                        .answered, at, "user:regulator",
                        "界定结论：\(ClassificationOutcome(rawValue: product.managementClass.rawValue)?.label ?? "")（分类编码 \(code)）\n依据《医疗器械分类目录》及分类规则，按预期用途和结构特征判定。"
                    ))
                decided = product.managementClass.rawValue
            }
            guard let reading = try? ServiceClock.read(events: events, targets: targets, asOf: today, calendar: calendar) else { continue }
            let snapshot = ServiceClock.snapshot(of: reading, targets: targets, calendar: calendar)
            let values: [any BulkWritable] = [
                id, product.$enterprise.id, enterprise.uscc, enterprise.district, enterprise.park, productID, product.name, "classification",
                "分类界定：\(product.name)", nil as String?, reading.status.rawValue, day, targets.firstResponse, targets.resolution,
                targets.amberFraction, targets.escalateAfter, ServiceClock.Event.storedText(of: events), reading.firstResponse.metOn,
                reading.resolution.metOn, snapshot?.dueOn, snapshot?.amberOn, snapshot?.redOn, snapshot?.escalateOn, nil as Int?, asker,
                steps.count, instant, instant, "classification", product.managementClass.rawValue, decided, decided == nil ? nil : code,
                decided == nil ? nil : product.managementClass.rawValue,
            ]
            rows.append(values.map(\.bulkValue))
            for step in steps {
                let values: [any BulkWritable] = [
                    nextID(), id, step.kind.rawValue, step.on, step.actor, step.body, nil as Int?, Self.noon(of: step.on),
                ]
                messages.append(values.map(\.bulkValue))
            }
        }
        try await BulkInsert.run(
            "consultations", columns: consultationColumns + ["kind", "proposed_class", "decided_class", "decided_code", "previous_class"], rows: rows,
            on: db)
        try await BulkInsert.run("consultation_messages", columns: messageColumns, rows: messages, on: db)
        return rows.count
    }
}
