import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// Demo mode (`serve --demo`, `seed --demo`): a generated city in an empty database, written as the
/// platform's other writes are (audit rows included), in one transaction.
public struct DemoUseCases: Sendable {
    let platform: Platform

    /// Seeds the demo data unless the database holds demo data already or data of its own. Call it
    /// after the schema is migrated and the reference data loaded.
    public func seedIfEmpty(by caller: Caller) async throws -> DemoData.Outcome {
        try caller.require(.manageUsers)
        if let state = try await DemoData.state(on: platform.database) { return state }
        let hash = try await platform.credentials.hashPassword(DemoData.password)
        let today = platform.clock.today()
        let outcome = try await platform.write(by: caller) { write in
            if let state = try await DemoData.state(on: write.db) { return state }
            for draft in DemoData.enterprises {
                let model = try await EnterpriseStore.insert(draft, on: write.db)
                try await write.audit(
                    "enterprise.create", entityType: "enterprise", entityID: try model.requireID().uuidString, before: nil,
                    after: try Audit.json(draft))
            }
            // Trials first: the institution office's account names its institution.
            _ = try await DemoTrials.generate(today: today, now: write.now, by: caller.audit, on: write.db)
            var accounts: [String: UUID] = [:]
            for user in DemoData.users {
                let model = try await UserStore.insert(
                    username: user.username, displayName: user.displayName, passwordHash: hash, role: user.role, scope: user.scope, on: write.db)
                accounts[user.username] = model.id
                try await write.audit(
                    "user.create", entityType: "user", entityID: user.username, before: nil,
                    after: try Audit.json(
                        UserAudit(displayName: user.displayName, role: user.role.rawValue, scope: user.scope.description, disabled: false)))
            }
            // The inspector corps at its real size, the demo inspector the first of them.
            let inspectors = try await DemoInspectors.generate(today: today, now: write.now, linking: accounts["inspector"], on: write.db)
            try await write.audit(
                "demo.inspectors", entityType: "inspector", entityID: "*", before: nil, after: try Audit.json(["inspectors": String(inspectors)]))
            // The city's census, year by year, through the same bulk import districts use.
            for (year, records) in DemoCity.census(currentYear: today.year) {
                let plan = try await CensusStore.plan(
                    records, sheetProblems: [], rowsRead: records.count, year: year, scope: .everything, updatesProducts: true, dryRun: false,
                    submittedBy: caller.audit.name, now: write.now, on: write.db)
                try await CensusStore.apply(plan, on: write.db)
                if plan.writes {
                    try await write.audit("census.import", entityType: "census", entityID: String(year), before: nil, after: try plan.auditSummary)
                }
            }
            // A few hundred applications in every state, on the census's device products.
            _ = try await DemoApplications.generate(count: DemoData.applicationCount, today: today, now: write.now, by: caller.audit, on: write.db)
            // The inspections of the years before and of this year, for the plan to stand on.
            let inspections = try await DemoInspections.generate(today: today, now: write.now, on: write.db)
            try await write.audit(
                "demo.inspections", entityType: "inspection", entityID: "*", before: nil, after: try Audit.json(["inspections": String(inspections)]))
            try await DemoData.markSeeded(now: write.now, on: write.db)
            return DemoData.Outcome.seeded
        }
        if outcome == .seeded {
            try await seedWarnings(today: today, by: caller)
            try await seedInspectionTasks(today: today, by: caller)
            try await seedLicenceInspections(today: today, by: caller)
            try await seedVigilance(today: today, by: caller)
            try await seedService(today: today, by: caller)
            try await seedDelta(today: today, by: caller)
            // Next year's credit points, already decided: a penalty and a listing cost more.
            var points = CreditPolicy.standard.points
            points[CreditEventKind.penalty.rawValue] = -30
            points[CreditEventKind.listed.rawValue] = -25
            _ = try await platform.credit.setPolicy(CreditPolicy(effectiveFrom: "\(today.year + 1)-01-01", points: points), by: caller)
        }
        return outcome
    }

    /// Post-market vigilance: the demo enterprise's AI product approved two years ago (so its account
    /// sees the reports on its product), UDI-DIs on every marketed product, and three years of
    /// adverse-event reports with the planted signal on that product.
    private func seedVigilance(today: CivilDate, by caller: Caller) async throws {
        let year = today.year - 2
        guard let enterprise = try await EnterpriseModel.query(on: platform.database).filter(\.$uscc == DemoData.enterprises[0].uscc).first()
        else { return }
        let product = try await platform.products.create(
            ProductInput(
                name: "冠状动脉血流储备分数计算软件", model: "FFR-AI 2.0", category: ProductCategory.device.rawValue,
                managementClass: ManagementClass.three.rawValue, classificationCode: "21-04", keyAreas: [KeyArea.ai.rawValue],
                stage: DevelopmentStage.approval.rawValue, channels: [FilingChannel.nationalInnovative.rawValue]),
            enterpriseID: try enterprise.requireID().uuidString, by: caller)
        let application = try await platform.applications.create(
            AcceptanceInput(
                productID: product.id.uuidString, procedure: "device.class3.registration", authority: ApplicationAuthority.cmde.rawValue,
                applicationNumber: "CQZ\(year)0137", channel: ReviewChannel.nationalInnovative.rawValue, acceptedOn: "\(year)-03-02"), by: caller)
        _ = try await platform.applications.record(
            EventInput(type: "review_completed", on: "\(year)-09-15"), on: application.application.id, by: caller)
        _ = try await platform.applications.record(
            EventInput(type: "decision_made", on: "\(year)-10-12", decision: "approve", certificate: "国械注准\(year)3210137"),
            on: application.application.id, by: caller)
        _ = try await platform.write(by: caller) { write in
            let reports = try await DemoVigilance.generate(
                today: today, now: write.now, signal: product.id, assessor: "user:\(DemoData.users[1].username)", on: write.db)
            try await write.audit(
                "demo.vigilance", entityType: "adverse_event", entityID: "*", before: nil, after: try Audit.json(["reports": String(reports)]))
        }
        // The planted signal, found by the last twelve months' run, on the list and under assessment.
        let signal = try await platform.signals.add(
            level: SignalLevel.product.rawValue, subject: product.id.uuidString, term: DemoVigilance.signalTerms[0], from: nil, to: nil,
            note: "月度信号检测发现：算法输出错误的报告比例明显高于其他产品", by: caller)
        _ = try await platform.signals.changeStatus(
            id: signal.id, status: SignalStatus.underAssessment.rawValue, note: "已要求注册人提交算法版本、训练数据变更记录和相关病例，拟召开风险会商",
            expecting: signal.version, by: caller)
        try await seedObligations(product: product.id, today: today, by: caller)
        try await seedRiskChecklist(product: product.id, today: today, by: caller)
    }

    /// Serving enterprises: a year of consultations to the twelve stations and the regulator, in
    /// every state; the stations' and the review centre's weekly appointment slots (`DemoService`).
    private func seedService(today: CivilDate, by caller: Caller) async throws {
        _ = try await platform.write(by: caller) { write in
            let consultations = try await DemoService.generate(today: today, now: write.now, on: write.db)
            let appointments = try await DemoService.generateAppointments(today: today, now: write.now, on: write.db)
            let sessions = try await DemoService.generateGuidance(today: today, now: write.now, on: write.db)
            let varieties = try await DemoService.generateKeyVarieties(today: today, now: write.now, on: write.db)
            let library = try await DemoService.generateLibrary(today: today, now: write.now, on: write.db)
            let classifications = try await DemoService.generateClassifications(today: today, now: write.now, on: write.db)
            let policies = try await DemoService.generatePolicies(today: today, now: write.now, on: write.db)
            let landing = try await DemoService.generateLanding(today: today, now: write.now, on: write.db)
            try await write.audit(
                "demo.service", entityType: "consultation", entityID: "*", before: nil,
                after: try Audit.json([
                    "consultations": String(consultations), "slots": String(appointments.slots), "appointments": String(appointments.bookings),
                    "guidance": String(sessions), "keyVarieties": String(varieties), "library": String(library),
                    "classifications": String(classifications), "policies": String(policies), "landing": String(landing),
                ]))
        }
    }

    /// The Delta: enterprises of the partner provinces and about two hundred entrustment links (`DemoDelta`).
    private func seedDelta(today: CivilDate, by caller: Caller) async throws {
        _ = try await platform.write(by: caller) { write in
            let outcome = try await DemoDelta.generate(today: today, now: write.now, on: write.db)
            try await write.audit(
                "demo.delta", entityType: "delta_link", entityID: "*", before: nil,
                after: try Audit.json([
                    "enterprises": String(outcome.enterprises), "links": String(outcome.links), "segmented": String(outcome.segmented),
                    "events": String(outcome.events),
                ]))
        }
        // Commitments with Jiangsu and Zhejiang (none yet with Anhui), and six closed inspections'
        // results shared: with evidence under the commitments, Anhui the conclusion only, one withdrawn.
        let shares = platform.deltaShares
        _ = try await shares.recordCommitment(
            DeltaCommitmentInput(province: "JS", signedOn: today.adding(days: -300).description, reference: "沪苏药监信息共享保密承诺〔\(today.year - 1)〕1号"),
            by: caller)
        _ = try await shares.recordCommitment(
            DeltaCommitmentInput(
                province: "ZJ", signedOn: today.adding(days: -200).description, endsOn: today.adding(days: 500).description,
                reference: "沪浙药监信息共享保密承诺〔\(today.year - 1)〕3号"), by: caller)
        let closed = try await shares.shareable(by: caller).prefix(6)
        let plans: [(String, [String])] = [
            ("JS", ["conclusion", "findings", "evidence"]), ("JS", ["conclusion", "findings"]), ("ZJ", ["conclusion", "findings", "evidence"]),
            ("ZJ", ["conclusion"]), ("AH", ["conclusion"]), ("JS", ["conclusion", "findings", "evidence"]),
        ]
        for (index, inspection) in closed.enumerated() {
            let shared = try await shares.share(
                DeltaShareInput(
                    inspection: inspection.id.uuidString, province: plans[index].0, fields: plans[index].1,
                    note: "受托生产企业同属长三角委托生产链条，供对方日常监管参考"), by: caller)
            if index == 5 {
                _ = try await shares.withdraw(id: shared.id, reason: "被检查单位整改情况待复核，暂缓共享", expecting: shared.version, by: caller)
            }
        }
        try await seedDeltaInspections(today: today, by: caller)
        try await seedDeltaNotices(today: today, by: caller)
    }

    /// Three notices to the partners, each on one of their links: Jiangsu's risk notice answered, a
    /// request for assistance to Zhejiang open, a risk notice to Anhui past its day.
    private func seedDeltaNotices(today: CivilDate, by caller: Caller) async throws {
        let notices: [(DeltaProvince, DeltaNoticeKind, String, String, Int, Int, String?)] = [
            (
                .jiangsu, .risk, "受托生产企业洁净区环境监测超标", "本局对注册人开展检查时发现，受托生产企业近三个月洁净区沉降菌监测多次超出警戒限，请贵局关注并督促整改。", 25, 10,
                "已对受托生产企业开展有因检查，确认超标原因为空调系统维护不到位，已责令停产整改并完成复核。"
            ),
            (.zhejiang, .assistance, "请协助核查受托生产批记录", "注册人上市放行审核中发现两批产品批记录存在涂改，请协助核查受托生产企业相关批次的原始记录。", 8, 10, nil),
            (.anhui, .risk, "原料供应商变更未备案", "本局检查发现受托生产企业变更关键原料供应商未按质量协议告知注册人，请贵局核实是否已按规定备案。", 30, 5, nil),
        ]
        for (province, kind, subject, body, ago, days, answer) in notices {
            let link = try await DeltaStore.links(scope: .province(province), limit: 1, on: platform.database).first
            let registrant = link.flatMap { DeltaProvince(uscc: $0.registrantUSCC) == province ? $0.registrantUSCC : nil }
            let sent = try await platform.deltaNotices.send(
                DeltaNoticeInput(
                    kind: kind.rawValue, province: province.rawValue, subject: subject, body: body, creditCode: registrant,
                    link: link?.id?.uuidString, sentOn: today.adding(days: -ago).description, workingDays: String(days)), by: caller)
            if let answer, let liaison = try await account({ $0.scope == .province(province) }) {
                _ = try await platform.deltaNotices.answer(id: sent.id, answer: answer, expecting: sent.version, by: liaison)
            }
        }
    }

    /// Joint inspections and recognised results: three of this year's open inspections of linked
    /// Shanghai manufacturers made joint with their partners (Jiangsu naming its inspectors itself,
    /// one still without them); Jiangsu recognising a result Shanghai shared; partners' results of
    /// linked Shanghai enterprises — one recognised (its planned inspection settled), one declined,
    /// one waiting.
    private func seedDeltaInspections(today: CivilDate, by caller: Caller) async throws {
        let db = platform.database
        // Each open inspection's target with the partner of its first link.
        func partner(of uscc: String?) async throws -> (province: DeltaProvince, link: UUID)? {
            guard let uscc else { return nil }
            for link in try await DeltaStore.links(scope: .enterprise(uscc), on: db) {
                let provinces = link.provinces.split(separator: ",").compactMap { DeltaProvince(rawValue: String($0)) }
                if let province = provinces.first(where: \.isPartner), let id = link.id { return (province, id) }
            }
            return nil
        }
        let open = try await platform.deltaJoint.plannable(by: caller)
        var planned = 0
        let teams: [[DeltaJointMemberInput]] = [
            [],
            [DeltaJointMemberInput(name: "钱立群", title: "高级检查员"), DeltaJointMemberInput(name: "孙佳怡", organisation: "浙江省药品检查中心")],
            [],
        ]
        for candidate in open where planned < teams.count {
            guard let inspection = try await InspectionModel.find(candidate.id, on: db),
                let (province, link) = try await partner(of: inspection.targetUSCC)
            else { continue }
            let joint = try await platform.deltaJoint.plan(
                DeltaJointInput(
                    inspection: candidate.id.uuidString, province: province.rawValue, link: link.uuidString,
                    note: "受托生产企业与注册人分处两省，按长三角委托生产监管协作备忘录串联检查", members: teams[planned]), by: caller)
            if planned == 0, let liaison = try await account({ $0.scope == .province(province) }) {
                _ = try await platform.deltaJoint.setMembers(
                    id: joint.id,
                    [DeltaJointMemberInput(name: "陆文涛", title: "检查组副组长"), DeltaJointMemberInput(name: "周敏", title: "检查员")],
                    expecting: joint.version, by: liaison)
            }
            planned += 1
        }
        // Jiangsu recognises the first result Shanghai shared with it.
        if let jiangsu = try await account({ $0.scope == .province(.jiangsu) }),
            let shared = try await platform.deltaShares.list(by: jiangsu).last
        {
            _ = try await platform.deltaShares.recognise(
                id: shared.id, reference: "苏药监检互认〔\(today.year)〕\(7)号", expecting: shared.version, by: jiangsu)
        }
        // Partners' results of Shanghai's manufacturers linked with them: the first recognised (the
        // plan counts it done), then one declined, one waiting.
        let manufacturers = try await EnterpriseModel.query(on: db).scoped(to: .province(.shanghai))
            .filter(\.$kind ~~ [EnterpriseKind.manufacturer, .cdmo]).sort(\.$uscc).all()
        var recorded = 0
        let conclusions: [(InspectionConclusion, String)] = [
            (.compliant, "延伸检查受托生产质量管理情况，未发现缺陷"), (.rectify, "发现一般缺陷 3 项，已要求限期整改"), (.compliant, "对受托生产的原液生产阶段开展检查，未发现缺陷"),
        ]
        for enterprise in manufacturers where recorded < conclusions.count {
            guard let (province, _) = try await partner(of: enterprise.uscc),
                let liaison = try await account({ $0.scope == .province(province) })
            else { continue }
            let uscc = enterprise.uscc
            let (conclusion, summary) = conclusions[recorded]
            let result = try await platform.deltaResults.record(
                DeltaResultInput(
                    creditCode: uscc, types: [InspectionType.manufacturer.rawValue], completedOn: today.adding(days: -20 - 15 * recorded).description,
                    conclusion: conclusion.rawValue, reference: "\(province.shortName)药监检〔\(today.year)〕\(31 + recorded)号", summary: summary),
                by: liaison)
            switch recorded {
            case 0: _ = try await platform.deltaResults.recognise(id: result.id, expecting: result.version, by: caller)
            case 1:
                _ = try await platform.deltaResults.decline(
                    id: result.id, reason: "检查范围未覆盖本市注册人的上市放行环节，仍按计划实施检查", expecting: result.version, by: caller)
            default: break
            }
            recorded += 1
        }
    }

    /// The demo enterprise's account, as a caller (it answers for its own product).
    private func enterpriseAccount() async throws -> Caller? {
        try await account { $0.role == .enterpriseUser }
    }

    /// The first demo account that `matches`, as a caller.
    private func account(_ matches: (DemoData.DemoUser) -> Bool) async throws -> Caller? {
        guard let account = DemoData.users.first(where: matches),
            let user = try await UserModel.query(on: platform.database).filter(\.$username == account.username).first()
        else { return nil }
        return Caller.user(
            id: try user.requireID(), username: account.username, displayName: account.displayName, role: account.role, scope: account.scope)
    }

    /// The AI product's risk file: three risk items (one overdue and being controlled, one closed by
    /// a risk-consultation meeting, one open), the meeting, a special plan in force, and its first
    /// year's periodic risk evaluation report submitted by the enterprise's account.
    private func seedRiskChecklist(product: UUID, today: CivilDate, by caller: Caller) async throws {
        let risk = platform.risk
        var file = try await risk.addItem(
            product: product,
            RiskItemInput(
                source: RiskSource.adverseEvents.rawValue, description: "不良事件监测发现算法输出错误导致延误诊断的报告比例明显升高",
                control: "注册人限期提交算法版本及训练数据变更记录，开展回顾性验证", owner: "注册人", dueOn: today.adding(days: -10).description), by: caller)
        file = try await risk.addItem(
            product: product,
            RiskItemInput(
                source: RiskSource.sampling.rawValue, description: "年度抽检中一批次软件安装包版本标识与注册证载明不一致", control: "核查版本管理，召回不一致批次",
                owner: "注册人", dueOn: today.adding(days: -40).description), by: caller)
        file = try await risk.addItem(
            product: product,
            RiskItemInput(
                source: RiskSource.inspection.rawValue, description: "网络安全漏洞管理流程未覆盖云端部署环境", control: "完善漏洞评估程序并提交评估报告",
                owner: "注册人", dueOn: today.adding(days: 60).description), by: caller)
        let items = Dictionary(file.items.map { ($0.source, $0) }, uniquingKeysWith: { first, _ in first })
        if let signal = items[.adverseEvents] {
            _ = try await risk.changeItem(
                product: product, item: signal.id, status: RiskItemStatus.controlling.rawValue, note: "已约谈注册人，算法回顾性验证进行中",
                expecting: signal.version, by: caller)
        }
        _ = try await risk.holdMeeting(
            product: product,
            RiskMeetingInput(
                heldOn: today.adding(days: -7).description, attendees: "市药监局医疗器械监管处 李静\n市药品审评核查中心 王磊\n注册人质量负责人 郑婷",
                decisions: "抽检批次已召回并完成整改，该风险消除；算法输出错误风险继续控制，要求注册人 30 日内提交回顾性验证报告；网络安全漏洞评估纳入专项方案。",
                changes: items[.sampling].map { [$0.id.uuidString: RiskItemStatus.closed.rawValue] } ?? [:]), by: caller)
        _ = try await risk.attachPlan(
            product: product,
            SpecialPlanInput(
                title: "冠状动脉血流储备分数计算软件算法变更专项监管方案", content: "每季度核查算法版本与训练数据变更记录；对使用医疗机构开展主动监测；半年内完成一次飞行检查。",
                from: today.adding(days: -7).description, to: today.adding(days: 358).description), by: caller)
        guard let registrant = try await enterpriseAccount() else { return }
        _ = try await risk.submitPeriodicReport(
            product: product, year: 1, summary: "首年度定期风险评价：收到不良事件报告 36 份，已识别算法输出错误的风险并启动回顾性验证，风险受控。", by: registrant)
    }

    /// The AI product's approval came with conditions (附条件批准): one in every state the officer
    /// (the demo regulator) follows — on track, amber, red, evidence waiting, returned, fulfilled in
    /// time and fulfilled late (the last two also on the enterprise's credit file when late).
    private func seedObligations(product: UUID, today: CivilDate, by caller: Caller) async throws {
        let officer = DemoData.users[1].username
        // The enterprise's own account answers for its product.
        guard let registrant = try await enterpriseAccount() else { return }
        let conditions: [(kind: ObligationKind, title: String, days: Int, evidence: String?, decision: ObligationDecision?)] = [
            (.confirmatoryTrial, "上市后完成多中心确证性临床试验（不少于 600 例），提交临床试验总结报告", 300, nil, nil),
            (.riskManagement, "提交算法更新的风险管理计划及版本控制说明", 20, nil, nil),
            (.dataSubmission, "补充提交真实世界数据分析报告（首年使用数据）", -15, nil, nil),
            (.postMarketStudy, "开展上市后临床使用情况研究，提交阶段性报告", 45, "阶段性报告已通过国家医疗器械注册申报系统提交，受理号 CQZ-S-0412。", nil),
            (.riskManagement, "提交网络安全漏洞评估报告", 60, "已提交网络安全漏洞评估报告（内部编号 SEC-2026-07）。", .return),
            (.dataSubmission, "提交训练数据集变更的验证报告", 90, "训练数据集变更验证报告已提交，附第三方测评结论。", .accept),
            (.postMarketStudy, "提交首年不良事件监测总结", -40, "首年不良事件监测总结已提交（逾期提交）。", .accept),
        ]
        for condition in conditions {
            var record = try await platform.obligations.create(
                ObligationInput(
                    product: product.uuidString, kind: condition.kind.rawValue, title: condition.title,
                    dueOn: today.adding(days: condition.days).description, officer: officer), by: caller)
            guard let evidence = condition.evidence else { continue }
            record = try await platform.obligations.submitEvidence(id: record.id, text: evidence, expecting: record.version, by: registrant)
            guard let decision = condition.decision else { continue }
            _ = try await platform.obligations.review(
                id: record.id, decision: decision.rawValue, note: decision == .return ? "评估报告未覆盖云端部署环境，请补充后重新提交。" : nil,
                expecting: record.version, by: caller)
        }
    }

    /// New manufacturers' licence inspections (registrants whose registration QMS inspection was
    /// completed and who hold no production licence), each at the address it was inspected at: one
    /// the waiver may spare (offered on the plan page and its own), one spared, one inspected in
    /// full for its centrally procured product, and one whose registration inspection found a problem.
    private func seedLicenceInspections(today: CivilDate, by caller: Caller) async throws {
        let db = platform.database
        var eligible: [InspectionStore.TargetFacts] = []
        var refused: [InspectionStore.TargetFacts] = []
        for party in try await InspectionStore.inspectable(on: db) where party.target.kind == .enterprise {
            guard let uscc = party.uscc else { continue }
            let facts = try await LicenceWaiverStore.facts(
                uscc: uscc, targetID: party.target.id, excluding: RecordID.none, address: DemoSites.address(uscc: uscc), centrallyProcured: false,
                on: db)
            guard facts.licensed.isEmpty, !facts.inspections.isEmpty else { continue }
            if LicenceWaiver.assess(facts).eligible {
                eligible.append(party)
            } else {
                refused.append(party)
            }
            if eligible.count >= 3 && !refused.isEmpty { break }
        }
        let tasks = platform.inspections
        func create(_ party: InspectionStore.TargetFacts, centrallyProcured: Bool = false) async throws -> InspectionRecord {
            try await tasks.create(
                NewInspectionInput(
                    type: InspectionType.licence.rawValue, targetKind: InspectionTargetKind.enterprise.rawValue, targetID: party.target.id.uuidString,
                    address: DemoSites.address(uscc: party.uscc ?? ""), centrallyProcured: centrallyProcured),
                by: caller)
        }
        if eligible.count > 0 { _ = try await create(eligible[0]) }
        if eligible.count > 1 {
            let record = try await create(eligible[1])
            _ = try await tasks.waive(id: record.id, note: "经核对注册体系核查报告，生产地址与生产条件未发生变化", expecting: record.version, by: caller)
        }
        if eligible.count > 2 { _ = try await create(eligible[2], centrallyProcured: true) }
        if let party = refused.first { _ = try await create(party) }
    }

    /// This year's inspections in every state of their task, each step taken through the use cases
    /// as the regulator takes it (answers recorded on the inspectors' behalf): teams waiting for
    /// answers (the demo inspector 陈刚 invited to lead one), teams ready, notices sent, visits on site
    /// with findings (one long past its conclusion's day: red), rectification under way (at the demo
    /// institution, whose office sees its findings), closed with and without findings, one
    /// cancelled, one for cause from the trial warning put among the inspection's priorities, and
    /// one team with a conflict of interest overridden for a recorded reason; the key-supervision list.
    private func seedInspectionTasks(today: CivilDate, by caller: Caller) async throws {
        let tasks = platform.inspections
        var planned = try await tasks.list(.init(status: InspectionStatus.planned.rawValue, year: today.year), limit: 200, by: caller).items
        let office = DemoTrials.officeInstitution
        if !planned.contains(where: { $0.targetID == office }) {
            planned.insert(
                try await tasks.create(
                    NewInspectionInput(
                        targetKind: InspectionTargetKind.trialInstitution.rawValue, targetID: office.uuidString, reason: "受试者投诉：知情同意过程不规范"),
                    by: caller), at: 0)
        }
        func day(_ offset: Int) -> String { today.adding(days: offset).description }
        /// A team as proposed (the lead given, or the proposal's), its answers recorded when `accept`.
        func staff(_ record: InspectionRecord, lead: UUID? = nil, overrideConflict: Bool = false, accept: Bool) async throws -> InspectionRecord? {
            let proposal = try await tasks.proposal(id: record.id, by: caller)
            guard let leadID = lead ?? proposal.lead?.id else { return nil }
            var members = proposal.members.map(\.id).filter { $0 != leadID }.prefix(2).map(\.uuidString)
            var overrides: [String: String] = [:]
            if overrideConflict, let tied = proposal.excluded.first(where: { $0.reasons.allSatisfy { !$0.hasPrefix("本年度") } }) {
                members.append(tied.candidate.id.uuidString)
                overrides[tied.candidate.id.uuidString] = "该检查员熟悉该机构的专业设置，所涉关系已书面报告并经分管领导批准"
            }
            var current = try await tasks.formTeam(
                id: record.id, TeamInput(lead: leadID.uuidString, members: members, overrides: overrides), expecting: record.version, by: caller)
            guard accept else { return current }
            for member in current.team where member.state == .invited {
                current = try await tasks.answer(
                    id: record.id, AnswerInput(accept: true, declareNoConflict: true, inspectorID: member.inspectorID.uuidString), by: caller)
            }
            return current
        }
        func visit(_ record: InspectionRecord, noticeDaysAgo: Int, findings: [(String, FindingGrade, String, String)]) async throws
            -> InspectionRecord?
        {
            guard let staffed = try await staff(record, accept: true), staffed.status == .staffed else { return nil }
            let from = -noticeDaysAgo + 5
            _ = try await tasks.sendNotice(
                id: record.id, NoticeInput(noticeOn: day(-noticeDaysAgo), onSiteFrom: day(from), onSiteTo: day(from + 1)), expecting: nil, by: caller)
            var current = try await tasks.startVisit(id: record.id, onSiteFrom: day(from), by: caller)
            for (clause, grade, description, evidence) in findings {
                current = try await tasks.recordFinding(
                    id: record.id, FindingInput(clause: clause, grade: grade.rawValue, description: description, evidence: evidence), by: caller)
            }
            return current
        }
        let findings: [(String, FindingGrade, String, String)] = [
            ("《药物临床试验质量管理规范》第二十三条", .major, "3 份知情同意书由研究助理代为签署日期", "受试者 S-017、S-022、S-031 的签署日期笔迹与受试者本人不一致，研究助理承认代签"),
            ("《药物临床试验质量管理规范》第二十五条", .general, "筛选失败日志缺少两名受试者的失败原因", "筛选日志第 14、19 行原因栏空白"),
        ]
        var queue = planned[...]
        // The city has few manufacturers: when none is planned, one is inspected for cause.
        var manufacturers = try await InspectionStore.targets(on: platform.database).filter { $0.target.kind == .enterprise }.map(\.target.id)[...]
        func next(_ kind: InspectionTargetKind) async throws -> InspectionRecord? {
            if let index = queue.firstIndex(where: { $0.targetKind == kind }) { return queue.remove(at: index) }
            guard kind == .enterprise, let target = manufacturers.popFirst() else { return nil }
            return try await tasks.create(
                NewInspectionInput(targetKind: kind.rawValue, targetID: target.uuidString, reason: "产品抽检不合格，对生产质量管理体系开展有因检查"), by: caller)
        }
        // The demo institution: rectifying, one rectification submitted by its office.
        if let record = queue.first(where: { $0.targetID == office }) {
            queue.removeAll { $0.id == record.id }
            if try await visit(record, noticeDaysAgo: 20, findings: findings) != nil {
                let concluded = try await tasks.conclude(
                    id: record.id, ConclusionInput(onSiteTo: day(-14), report: "知情同意环节存在系统性问题，须全面整改"), expecting: nil, by: caller)
                if let first = concluded.findings?.first {
                    _ = try await tasks.submitRectification(id: record.id, finding: first.id, text: "已对全体研究助理重新培训，相关受试者重新知情同意并补签", by: caller)
                }
            }
        }
        // Teams waiting for answers; one with a conflict overridden; one ready.
        if let record = try await next(.trialInstitution) { _ = try await staff(record, accept: false) }
        if let record = try await next(.trialInstitution) { _ = try await staff(record, overrideConflict: true, accept: false) }
        if let record = try await next(.trialInstitution) { _ = try await staff(record, accept: true) }
        // The demo inspector invited to lead a manufacturer's inspection, and leading another on site.
        let chen = try await InspectorStore.find(
            userID: try await UserStore.find(username: "inspector", on: platform.database)?.requireID() ?? RecordID.none, on: platform.database)?.id
        if let record = try await next(.enterprise) { _ = try await staff(record, lead: chen, accept: false) }
        if let record = try await next(.enterprise), let staffed = try await staff(record, lead: chen, accept: true), staffed.status == .staffed {
            _ = try await tasks.sendNotice(
                id: record.id, NoticeInput(noticeOn: day(-6), onSiteFrom: day(-1), onSiteTo: day(1)), expecting: nil, by: caller)
            _ = try await tasks.startVisit(id: record.id, onSiteFrom: day(-1), by: caller)
            _ = try await tasks.recordFinding(
                id: record.id,
                FindingInput(
                    clause: "《医疗器械生产质量管理规范》第四十二条", grade: FindingGrade.general.rawValue, description: "洁净区压差记录有两天缺失",
                    evidence: "2026 年 11 月 12 日、13 日压差记录表未填写"), by: caller)
        }
        // A notice sent; a visit long past its conclusion's day (red).
        if let record = try await next(.trialInstitution), try await staff(record, accept: true)?.status == .staffed {
            _ = try await tasks.sendNotice(
                id: record.id, NoticeInput(noticeOn: day(0), onSiteFrom: day(7), onSiteTo: day(9)), expecting: nil, by: caller)
        }
        if let record = try await next(.trialInstitution) { _ = try await visit(record, noticeDaysAgo: 45, findings: Array(findings.prefix(1))) }
        // Closed: without findings, and after its rectification was verified.
        if let record = try await next(.trialInstitution), try await visit(record, noticeDaysAgo: 30, findings: []) != nil {
            _ = try await tasks.conclude(id: record.id, ConclusionInput(onSiteTo: day(-24), report: "未发现缺陷"), expecting: nil, by: caller)
        }
        if let record = try await next(.trialInstitution), try await visit(record, noticeDaysAgo: 40, findings: Array(findings.suffix(1))) != nil {
            let concluded = try await tasks.conclude(id: record.id, ConclusionInput(onSiteTo: day(-34)), expecting: nil, by: caller)
            for finding in concluded.findings ?? [] {
                _ = try await tasks.submitRectification(id: record.id, finding: finding.id, text: "已补记筛选失败原因并修订筛选日志模板", by: caller)
                _ = try await tasks.verify(id: record.id, finding: finding.id, VerificationInput(accepted: true, note: "现场核实已整改"), by: caller)
            }
            let team = concluded.team.filter { $0.role == .member }.map { ($0.inspectorID.uuidString, 4) }
            _ = try await tasks.close(id: record.id, ratings: Dictionary(team, uniquingKeysWith: { a, _ in a }), expecting: nil, by: caller)
        }
        if let record = try await next(.enterprise) {
            _ = try await tasks.cancel(id: record.id, reason: "企业已停产并申请注销生产许可，改为专项核查", expecting: record.version, by: caller)
        }
        // The key-supervision list: five targets listed for systemic risks (the institutions whose
        // inspections lapsed first), one more proposed and waiting, one declined with the reason.
        let keyList = platform.keySupervision
        let lapsed = try await InspectionStore.targets(on: platform.database).filter { $0.target.kind == .trialInstitution }
            .sorted { ($0.target.lastInspected?.dayNumber ?? 0, $0.target.name) < ($1.target.lastInspected?.dayNumber ?? 0, $1.target.name) }
        let risks = [
            "连续两年未接受监督检查，多个在研项目数据管理混乱", "伦理审查记录不完整，存在先入组后审批的情况", "主要研究者同期承担项目长期超过阈值",
            "不良事件漏报，受试者保护措施不到位", "试验用药品管理混乱，发放记录与库存不符", "临床试验机构办公室人员频繁变动，质量管理体系未有效运行",
            "近两年投诉集中，已约谈机构负责人",
        ]
        for (index, facts) in lapsed.prefix(risks.count).enumerated() {
            guard
                let entry = try? await keyList.propose(
                    targetKind: facts.target.kind.rawValue, targetID: facts.target.id.uuidString, reason: risks[index], by: caller)
            else { continue }
            switch index {
            case 0..<5: _ = try await keyList.decide(id: entry.id, confirm: true, reason: "经局务会研究，列入重点监管名单", expecting: entry.version, by: caller)
            case 5: break
            default: _ = try await keyList.decide(id: entry.id, confirm: false, reason: "经核实已整改到位，暂不列入", expecting: entry.version, by: caller)
            }
        }
        // Their credit files: a warning talk and a penalty recorded by the regulator.
        if let first = lapsed.first {
            _ = try await platform.credit.record(
                kind: first.target.kind.rawValue, id: first.target.id, event: CreditEventKind.warningTalk.rawValue,
                on: today.adding(days: -30).description,
                detail: "就伦理审查和数据管理问题约谈机构负责人", by: caller)
            _ = try await platform.credit.record(
                kind: first.target.kind.rawValue, id: first.target.id, event: CreditEventKind.penalty.rawValue,
                on: today.adding(days: -200).description,
                detail: "试验用药品管理不规范，责令改正并处罚款", by: caller)
        }
        // For cause, from the trial warning put among the inspection's priorities.
        if let focus = try await platform.trials.warnings(live: true, limit: 200, by: caller).items.first(where: { $0.assessment?.status == .focus })
        {
            _ = try await tasks.create(NewInspectionInput(reason: "同期承担项目超出阈值", warningID: focus.id.uuidString), by: caller)
        }
    }

    /// The next version of the PI-load policy, in force from the first of next month (today's figures
    /// stay the standard policy's): 肿瘤科 allowed 6, and at most 3 active I期 sites. Then today's
    /// trial warnings, as the nightly sweep raises them, and two of them assessed: one put among the
    /// inspection's priorities, one dismissed with its reason; the rest wait in the regulator's inbox.
    private func seedWarnings(today: CivilDate, by caller: Caller) async throws {
        let trials = platform.trials
        let next = CivilDate(year: today.month == 12 ? today.year + 1 : today.year, month: today.month % 12 + 1, day: 1) ?? today
        _ = try await trials.setPolicy(
            PILoadPolicy(threshold: 5, bySpecialty: ["肿瘤科": 6], byPhase: [.phase1: 3], effectiveFrom: next.description), by: caller)
        _ = try await trials.sweepWarnings(day: today, by: caller)
        let open = try await trials.warnings(live: true, limit: 200, by: caller).items
        if let overloaded = open.first(where: { $0.kind == .piOverload }) {
            _ = try await trials.assess(
                warning: overloaded.id, outcome: TrialWarningOutcome.focus.rawValue, reason: "同期承担项目明显超出阈值，且含 I 期试验，纳入本年度机构检查重点",
                expecting: overloaded.version, by: caller)
        }
        if let late = open.first(where: { $0.kind == .lateStart }) {
            _ = try await trials.assess(
                warning: late.id, outcome: TrialWarningOutcome.dismissed.rawValue, reason: "申办者已报告：方案修订后重新伦理审查，首例入组推迟，材料已核实",
                expecting: late.version, by: caller)
        }
    }
}

extension Platform {
    public var demo: DemoUseCases { DemoUseCases(platform: self) }
}
