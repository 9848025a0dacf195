import FluentKit
import Foundation
import TongdaoCore

/// The demo's policy handbook (issue 20 item 7): the national review procedures and reforms, the
/// city's measures (among them the texts the platform was planned from, one expired and one
/// repealed), and three policies of every district — support funds, first-registration awards,
/// space in its parks —, each with a responsible body and a contact. Contacts and telephone numbers
/// are invented.
extension DemoService {
    /// A policy of the demo: level, title, number, issuer, responsible body, topics, product types
    /// (empty: every type), first day, last day, repealed on, summary.
    struct DemoPolicy {
        var level: PolicyLevel
        var district: String? = nil
        var title: String
        var number: String?
        var issuer: String
        var body: String
        var topics: [PolicyTopic]
        var categories: [ProductCategory] = []
        var from: String
        var until: String? = nil
        var repealed: (day: String, reason: String)? = nil
        var summary: String
    }

    static let demoPolicies: [DemoPolicy] = [
        DemoPolicy(
            level: .national, title: "创新医疗器械特别审查程序", number: "国家药监局公告2018年第83号", issuer: "国家药品监督管理局",
            body: "上海市药品监督管理局医疗器械注册管理处", topics: [.review], categories: [.device, .ivd], from: "2018-12-01",
            summary: "具有核心技术发明专利、国内首创、国际领先且具有显著临床应用价值的医疗器械，可申请创新特别审查；进入程序的产品按照早期介入、专人负责、科学审查的原则优先办理，注册检验、体系核查和技术审评均优先安排。申请前可由服务工作站预审。"),
        DemoPolicy(
            level: .national, title: "医疗器械优先审批程序", number: "国家食品药品监督管理总局公告2016年第168号", issuer: "国家药品监督管理局",
            body: "上海市药品监督管理局医疗器械注册管理处", topics: [.review], categories: [.device, .ivd], from: "2017-01-01",
            summary: "诊断或治疗罕见病、恶性肿瘤、老年人特有和多发疾病、儿童专用，或临床急需且在我国尚无同品种产品获准注册的医疗器械，以及列入国家重点研发计划的产品，可申请优先审批，技术审评和行政审批优先办理。"),
        DemoPolicy(
            level: .national, title: "药品附条件批准上市申请审评审批工作程序（试行）", number: "国家药监局公告2020年第82号", issuer: "国家药品监督管理局",
            body: "上海市药品监督管理局药品注册管理处", topics: [.review], categories: [.drug], from: "2020-07-08",
            summary: "治疗严重危及生命且尚无有效治疗手段的疾病的药品，药物临床试验已有数据证实疗效并能预测其临床价值的，可以附条件批准上市；批准后应按要求完成确证性临床试验等上市后研究，逾期未完成的依法处理。"),
        DemoPolicy(
            level: .national, title: "突破性治疗药物审评工作程序（试行）", number: "国家药监局公告2020年第82号", issuer: "国家药品监督管理局",
            body: "上海市药品监督管理局药品注册管理处", topics: [.review, .clinicalTrial], categories: [.drug], from: "2020-07-08",
            summary: "用于防治严重危及生命的疾病且尚无有效防治手段，或与现有治疗手段相比有明显临床优势的创新药或改良型新药，可在Ⅰ、Ⅱ期临床试验阶段申请纳入突破性治疗药物程序，获得沟通交流和审评资源的优先配置。"),
        DemoPolicy(
            level: .national, title: "医疗器械监督管理条例", number: "国务院令第739号", issuer: "国务院", body: "上海市药品监督管理局医疗器械生产监管处",
            topics: [.manufacturing, .review], categories: [.device, .ivd], from: "2021-06-01",
            summary: "全面实施医疗器械注册人、备案人制度：注册人可以自行生产，也可以委托符合条件的企业生产，对产品全生命周期质量安全负责；注册申请人可以提交自检报告；临床评价可通过同品种比对等途径完成。"),
        DemoPolicy(
            level: .national, title: "医疗器械临床试验质量管理规范", number: "国家药监局 国家卫生健康委公告2022年第28号", issuer: "国家药品监督管理局、国家卫生健康委员会",
            body: "上海市药品监督管理局医疗器械注册管理处", topics: [.clinicalTrial], categories: [.device, .ivd], from: "2022-05-01",
            summary: "规定医疗器械临床试验的方案设计、实施、监查、稽查、记录和报告要求，明确申办者、临床试验机构和研究者的职责；临床试验应在备案的机构开展，经伦理委员会审查同意。"),
        DemoPolicy(
            level: .national, title: "关于全面深化药品医疗器械监管改革促进医药产业高质量发展的意见", number: "国办发〔2024〕53号", issuer: "国务院办公厅",
            body: "上海市药品监督管理局综合规划处", topics: [.review, .clinicalTrial, .manufacturing], from: "2025-01-03",
            summary: "加大对药品医疗器械研发创新的支持力度，提高审评审批质效，优化临床试验审评审批，支持罕见病用药和医疗器械研发，推进医药产业开放合作，提升监管能力。"),
        DemoPolicy(
            level: .national, title: "创新药械挂网和医保准入支持措施", number: nil, issuer: "国家医疗保障局", body: "上海市医疗保障局医药服务管理处",
            topics: [.marketAccess], from: "2024-07-01",
            summary: "对新上市的创新药和创新医疗器械开通挂网绿色通道，支持合理定价，按程序纳入医保目录谈判或支付范围，推动医疗机构及时配备使用。"),
        DemoPolicy(
            level: .city, title: "上海市全面深化药品医疗器械监管改革促进医药产业高质量发展的若干措施", number: nil, issuer: "上海市人民政府办公厅",
            body: "上海市药品监督管理局", topics: [.review, .clinicalTrial, .manufacturing], from: "2025-03-01",
            summary: "建立在研重点品种服务清单，在临床试验、注册检验、审评、体系核查和生产许可各环节提前介入指导；缩短审评审批时限；推进长三角监管协同和检查结果互认；建立上市后风险排查清单和信用档案；推进唯一标识和数字化监管。"),
        DemoPolicy(
            level: .city, title: "创新服务机制推动本市医疗器械产业高质量发展实施方案", number: nil, issuer: "上海市药品监督管理局、上海市经济和信息化委员会",
            body: "上海市药品监督管理局医疗器械注册管理处", topics: [.review, .manufacturing], categories: [.device, .ivd], from: "2021-06-01",
            until: "2025-12-31",
            summary: "建立市、区、园区三级信息服务体系和年度注册意向数据库；设立注册指导服务工作站，提供快速咨询和预约服务；编制政策手册；对服务工作站和各区开展定期考核。"),
        DemoPolicy(
            level: .city, title: "提升本市临床试验质量 助力创新药械研发上市的实施方案", number: nil, issuer: "上海市药品监督管理局、上海市卫生健康委员会",
            body: "上海市药品监督管理局药品注册管理处", topics: [.clinicalTrial], from: "2024-05-01",
            summary: "对临床试验机构开展全覆盖检查，建立重点监管名单；建设临床试验大数据监管平台；对主要研究者同期承担项目过多进行预警；推动立项到首例入组在12周内完成。"),
        DemoPolicy(
            level: .city, title: "上海市加快打造全球生物医药研发经济和产业化高地的若干政策措施", number: nil, issuer: "上海市人民政府办公厅",
            body: "上海市经济和信息化委员会生物医药产业处", topics: [.funding, .finance, .marketAccess, .manufacturing], from: "2024-08-01",
            summary: "对进入临床试验和获批上市的创新药、创新医疗器械给予分阶段资金支持；支持委托生产和产业化项目落地；设立生物医药产业基金；推动创新产品进入医疗机构。"),
        DemoPolicy(
            level: .city, title: "上海市产业高质量发展专项资金（生物医药）申报指南", number: nil, issuer: "上海市经济和信息化委员会",
            body: "上海市经济和信息化委员会生物医药产业处", topics: [.funding], from: "2026-03-01", until: "2026-12-31",
            summary: "支持生物医药产业化项目和关键核心技术攻关，按项目总投资的一定比例给予资助；申报单位应在本市注册，项目已完成立项并具备实施条件。"),
        DemoPolicy(
            level: .city, title: "本市创新医疗器械首发应用和入院绿色通道", number: nil, issuer: "上海市卫生健康委员会、上海市医疗保障局",
            body: "上海市卫生健康委员会医政医管处", topics: [.marketAccess], categories: [.device, .ivd], from: "2024-10-01",
            summary: "获批上市的本市创新医疗器械，医疗机构可通过绿色通道开展院内准入评估，不受采购目录和会议周期限制；支持开展示范应用。"),
        DemoPolicy(
            level: .city, title: "长三角医疗器械注册人跨省委托生产监管工作规范", number: nil, issuer: "上海市药品监督管理局",
            body: "上海市药品监督管理局医疗器械生产监管处", topics: [.manufacturing], categories: [.device, .ivd], from: "2024-11-01",
            summary: "本市注册人委托长三角其他省份企业生产的，由注册人所在地和受托方所在地药监部门分工负责、信息共享、联合检查，检查结果互认。"),
        DemoPolicy(
            level: .city, title: "上海市生物医药领域高层次人才支持办法", number: nil, issuer: "上海市人才工作领导小组办公室",
            body: "上海市人力资源和社会保障局人才开发处", topics: [.talent], from: "2023-01-01",
            summary: "对生物医药领域引进的高层次人才在落户、住房、子女入学和医疗保障等方面给予支持；企业可按程序推荐申报。"),
        DemoPolicy(
            level: .city, title: "上海市高价值专利培育和运用支持措施", number: nil, issuer: "上海市知识产权局", body: "上海市知识产权局专利管理处",
            topics: [.intellectualProperty], from: "2023-07-01",
            summary: "支持创新药械企业围绕核心技术开展高价值专利培育和海外布局，对专利导航、快速预审和质押融资给予支持。"),
        DemoPolicy(
            level: .city, title: "上海市医疗器械注册人制度试点工作实施方案", number: nil, issuer: "上海市药品监督管理局",
            body: "上海市药品监督管理局医疗器械注册管理处", topics: [.manufacturing], categories: [.device], from: "2017-12-01",
            repealed: ("2021-06-01", "《医疗器械监督管理条例》全面实施注册人制度，试点方案相应废止"),
            summary: "在本市开展医疗器械注册人制度试点，允许注册人委托具备条件的生产企业生产。"),
    ]

    /// A district's three policies: the support measures, the first-registration award and the
    /// space in its parks (the second covering devices only in every other district).
    static func districtPolicies(code: String, name: String, index: Int) -> [DemoPolicy] {
        let body = index % 3 == 0 ? "\(name)科学技术委员会" : index % 3 == 1 ? "\(name)经济委员会" : "\(name)投资促进服务中心"
        return [
            DemoPolicy(
                level: .district, district: code, title: "\(name)促进生物医药产业高质量发展的若干措施", number: nil, issuer: "\(name)人民政府",
                body: body, topics: [.funding, .talent, .finance], from: "202\(3 + index % 3)-0\(1 + index % 9)-01",
                summary: "对在本区注册并实际经营的生物医药企业，按研发投入、临床试验进展和产业化投资给予分档资助；支持人才引进和股权投资，单个企业年度支持有上限。"),
            DemoPolicy(
                level: .district, district: code, title: "\(name)创新药械首次注册奖励办法", number: nil, issuer: "\(name)人民政府", body: body,
                topics: [.funding, .review], categories: index % 2 == 0 ? [.device, .ivd] : [], from: "2024-0\(1 + index % 9)-15",
                until: index == 5 ? "2025-06-30" : nil,
                summary: "本区企业的产品首次获批创新医疗器械或创新药注册证的，按产品类别给予一次性奖励；进入国家创新特别审查程序的，另给予前期支持。"),
            DemoPolicy(
                level: .district, district: code, title: "\(name)生物医药产业园区载体和用地支持政策", number: nil, issuer: "\(name)人民政府", body: body,
                topics: [.space, .manufacturing], from: "2025-0\(1 + index % 9)-01",
                summary: "对入驻本区生物医药园区的研发和生产企业给予租金补贴，支持建设符合质量管理规范的生产厂房，产业化项目用地优先保障。"),
        ]
    }

    public static func generatePolicies(today: CivilDate, now: Date, seed: UInt64 = DemoCity.seed, on db: any Database) async throws -> Int {
        var random = SplitMix64(seed: seed &+ 26)
        let surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙", "朱", "马", "胡", "郭"]
        let given = ["敏", "静", "伟", "芳", "军", "磊", "洁", "勇", "艳", "杰", "娟", "涛", "明", "超", "霞", "平"]
        let districts = try ReferenceData.regionTree().regions.filter { $0.level == .district }
        let policies =
            demoPolicies + districts.enumerated().flatMap { districtPolicies(code: $0.element.code, name: $0.element.name, index: $0.offset) }
        var instant = now.addingTimeInterval(-200 * 86_400)
        for policy in policies {
            instant = instant.addingTimeInterval(3_600)
            let model = HandbookPolicyModel()
            model.id = TimeOrderedID.make(now: instant)
            model.level = policy.level.rawValue
            model.district = policy.district
            model.title = policy.title
            model.documentNumber = policy.number
            model.issuer = policy.issuer
            model.responsibleBody = policy.body
            model.contact = surnames[Int(random.next() % 16)] + given[Int(random.next() % 16)]
            model.phone = "021-\(50_000_000 + Int(random.next() % 9_000_000)) 转 \(800 + Int(random.next() % 100))"
            model.summary = policy.summary
            model.topics = policy.topics.map(\.rawValue).joined(separator: ",")
            model.categories = policy.categories.map(\.rawValue).joined(separator: ",")
            model.effectiveOn = policy.from
            model.expiresOn = policy.until
            model.repealedOn = policy.repealed?.day
            model.repealReason = policy.repealed?.reason
            model.author = policy.level == .district ? "user:admin" : policy.level == .city ? "user:industry" : "user:regulator"
            model.version = 1
            try await model.create(on: db)
            try await HandbookStore.reindex(policy: try model.requireID(), keys: HandbookStore.keys(of: model), on: db)
        }
        return policies.count
    }
}
