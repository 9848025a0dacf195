import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import Vapor

@Suite("An inspection task end to end: a team without conflicts, notice, findings, the rule's conclusion, rectification, closure")
struct InspectionTaskUseCaseTests {
    static let today = Fixtures.today

    struct World {
        var platform: Platform
        var zhongshan: UUID
        var wang: Caller, qian: Caller, li: Caller, stranger: Caller, office: Caller, district: Caller
        var ids: [String: UUID]
    }

    /// The plan's world (中山 filed for drugs and devices) and four inspectors: 王 leads (GCP and
    /// device GCP), 钱 (GCP), 李 leads (GCP) but works at 中山, 孙 (device GCP) has no account; 中山's
    /// office and the district 徐汇 (中山's) as readers.
    static func world(_ app: Application) async throws -> World {
        let (platform, zhongshan, _) = try await InspectionPlanUseCaseTests.world(app)
        func user(_ name: String, _ role: Role, _ scope: Scope) async throws -> Caller {
            let user = try await Fixtures.user(name, role: role, scope: scope, on: platform)
            return .user(id: user.id, username: user.username, displayName: name, role: role, scope: scope)
        }
        var ids: [String: UUID] = [:]
        func inspector(_ name: String, _ username: String?, specialties: [String], rank: String, employer: EmploymentInput? = nil) async throws {
            if let username { _ = try await Fixtures.user(username, role: .inspector, scope: .city, on: platform) }
            let record = try await platform.inspectors.create(
                InspectorInput(
                    username: username, name: name, categories: ["drug", "device"], specialties: specialties, fullTime: false, rank: rank,
                    capacityDays: "60",
                    employments: employer.map { [$0] } ?? []), by: Fixtures.caller)
            ids[name] = record.id
        }
        try await inspector("王", "wang.qiang", specialties: ["gcp", "device_gcp"], rank: "lead")
        try await inspector("钱", "qian.wei", specialties: ["gcp"], rank: "member")
        try await inspector(
            "李", "li.na", specialties: ["gcp"], rank: "lead", employer: EmploymentInput(employer: "复旦大学附属中山医院", from: "2018-01-01"))
        try await inspector("孙", nil, specialties: ["device_gcp"], rank: "member")
        _ = try await Fixtures.user("zhao", role: .inspector, scope: .city, on: platform)
        return World(
            platform: platform, zhongshan: zhongshan,
            wang: .user(id: try await userID("wang.qiang", app), username: "wang.qiang", displayName: "王", role: .inspector, scope: .city),
            qian: .user(id: try await userID("qian.wei", app), username: "qian.wei", displayName: "钱", role: .inspector, scope: .city),
            li: .user(id: try await userID("li.na", app), username: "li.na", displayName: "李", role: .inspector, scope: .city),
            stranger: .user(id: try await userID("zhao", app), username: "zhao", role: .inspector, scope: .city),
            office: try await user("zhongshan.office", .trialInstitutionOfficer, .institution(zhongshan.uuidString)),
            district: try await user("xuhui", .districtOfficer, .district("310104")), ids: ids)
    }

    static func userID(_ username: String, _ app: Application) async throws -> UUID {
        try #require(try await UserModel.query(on: app.db).filter(\.$username == username).first()?.requireID())
    }

    static func problems(_ body: () async throws -> Void) async -> [String] {
        do {
            try await body()
            return []
        } catch let error as UseCaseError {
            return error.problems.map(\.field)
        } catch {
            return ["\(error)"]
        }
    }

    @Test(
        "for cause, staffed without conflicts, notified, visited, concluded by the rule, rectified, raised, closed", arguments: TestDatabase.enabled)
    func endToEnd(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let w = try await Self.world(app)
            let tasks = w.platform.inspections
            let regulator = Fixtures.caller
            let created = try await tasks.create(
                NewInspectionInput(targetKind: "trial_institution", targetID: w.zhongshan.uuidString, reason: "举报：受试者知情同意书签署不规范"), by: regulator)
            #expect(
                created.status == .planned && created.source == .cause && created.types == [.forCause] && created.events.map(\.kind) == [.created])
            let id = created.id

            // The proposal: 李 left out for working at 中山; 王 leads.
            let proposal = try await tasks.proposal(id: id, by: regulator)
            #expect(proposal.lead?.name == "王" && proposal.uncovered.isEmpty)
            #expect(proposal.excluded.map(\.candidate.name) == ["李"] && proposal.excluded[0].reasons == ["现任职于复旦大学附属中山医院"])

            // By hand, 李 only with the regulator's recorded reason.
            let li = try #require(w.ids["李"]).uuidString, qian = try #require(w.ids["钱"]).uuidString, wang = try #require(w.ids["王"]).uuidString
            #expect(
                await Self.problems { _ = try await tasks.formTeam(id: id, TeamInput(lead: wang, members: [qian, li]), expecting: 1, by: regulator) }
                    == ["members[1]"])
            #expect(
                await Self.problems { _ = try await tasks.formTeam(id: id, TeamInput(lead: qian, members: [wang]), expecting: 1, by: regulator) } == [
                    "lead"
                ])
            var task = try await tasks.formTeam(
                id: id, TeamInput(lead: wang, members: [qian, li], overrides: [li: "该院其他科室，与被检查专业无关"]), expecting: 1, by: regulator)
            #expect(task.status == .staffing && task.team.map(\.name) == ["王", "钱", "李"])
            #expect(task.team[2].overriddenConflicts == "现任职于复旦大学附属中山医院" && task.team[2].overrideReason == "该院其他科室，与被检查专业无关")
            // Before the notice the inspected party and the district know nothing of it; nor does an inspector off the team.
            for outsider in [w.office, w.district, w.stranger] {
                await #expect(throws: UseCaseError.notFound(.inspection)) { _ = try await tasks.detail(id: id, by: outsider) }
            }
            // The team sees its task, not the regulator's reasons.
            #expect(try await tasks.detail(id: id, by: w.qian).team[2].overrideReason == nil)

            // Answers: accepting declares no conflict; declining gives a reason.
            #expect(await Self.problems { _ = try await tasks.answer(id: id, AnswerInput(accept: true), by: w.qian) } == ["declareNoConflict"])
            _ = try await tasks.answer(id: id, AnswerInput(accept: true, declareNoConflict: true), by: w.qian)
            #expect(await Self.problems { _ = try await tasks.answer(id: id, AnswerInput(accept: false), by: w.li) } == ["note"])
            _ = try await tasks.answer(id: id, AnswerInput(accept: false, note: "曾在该院任职，主动回避"), by: w.li)
            task = try await tasks.answer(id: id, AnswerInput(accept: true, declareNoConflict: true), by: w.wang)
            #expect(task.status == .staffed && task.team.map(\.state) == [.accepted, .accepted, .declined])

            // The notice, by the lead only, its days in order.
            await #expect(throws: UseCaseError.forbidden(.conductInspections, role: .inspector)) {
                _ = try await tasks.sendNotice(
                    id: id, NoticeInput(noticeOn: "2026-11-23", onSiteFrom: "2026-11-23", onSiteTo: "2026-11-24"), expecting: nil, by: w.qian)
            }
            #expect(
                await Self.problems {
                    _ = try await tasks.sendNotice(
                        id: id, NoticeInput(noticeOn: "2026-11-23", onSiteFrom: "2026-11-20", onSiteTo: "2026-11-19"), expecting: nil, by: w.wang)
                } == ["onSiteFrom", "onSiteTo"])
            task = try await tasks.sendNotice(
                id: id, NoticeInput(noticeOn: "2026-11-23", onSiteFrom: "2026-11-23", onSiteTo: "2026-11-24"), expecting: nil, by: w.wang)
            #expect(task.status == .notified)
            let seen = try await tasks.detail(id: id, by: w.office)
            #expect(seen.status == .notified && seen.findings == nil && seen.team.allSatisfy { $0.overrideReason == nil })

            // On site: findings, graded, with a clause; evidence kept from the party.
            _ = try await tasks.startVisit(id: id, onSiteFrom: "2026-11-23", by: w.qian)
            #expect(
                await Self.problems { _ = try await tasks.recordFinding(id: id, FindingInput(clause: "", grade: nil, description: "x"), by: w.qian) }
                    == ["clause", "grade"])
            _ = try await tasks.recordFinding(
                id: id,
                FindingInput(clause: "GCP 第二十三条", grade: "major", description: "3 份知情同意书由研究助理代签", evidence: "受试者 S-017、S-022、S-031 的签名笔迹与身份证件不符"),
                by: w.qian)
            _ = try await tasks.recordFinding(id: id, FindingInput(clause: "GCP 第二十五条", grade: "一般缺陷", description: "筛选日志缺少两次筛选失败的原因"), by: w.wang)
            #expect(try await tasks.detail(id: id, by: w.office).findings == nil, "the party reads findings from the conclusion")

            // The conclusion is the rule's: a stated one that contradicts it is refused.
            #expect(
                await Self.problems {
                    _ = try await tasks.conclude(id: id, ConclusionInput(onSiteTo: "2026-11-23", conclusion: "compliant"), expecting: nil, by: w.wang)
                }
                    == ["conclusion"])
            await #expect(throws: UseCaseError.forbidden(.conductInspections, role: .inspector)) {
                _ = try await tasks.conclude(id: id, ConclusionInput(onSiteTo: "2026-11-23"), expecting: nil, by: w.qian)
            }
            task = try await tasks.conclude(id: id, ConclusionInput(onSiteTo: "2026-11-23", report: "知情同意环节存在系统性问题"), expecting: nil, by: w.wang)
            #expect(task.status == .rectifying && task.conclusion == .rectify && task.completedOn == CivilDate("2026-11-23"))
            #expect(task.conclusionReason == "严重缺陷 0 项、主要缺陷 1 项、一般缺陷 1 项：主要缺陷多于 0 项，待整改后评定")
            // 20 working days after Mon 23 November: Mon 21 December.
            #expect(task.findings?.map(\.rectifyBy) == [CivilDate("2026-12-21"), CivilDate("2026-12-21")])

            // The party reads its findings without the evidence, and rectifies; the district still sees nothing.
            let party = try await tasks.detail(id: id, by: w.office)
            let findings = try #require(party.findings)
            #expect(findings.count == 2 && findings.allSatisfy { $0.evidence == nil } && party.may.rectify)
            await #expect(throws: UseCaseError.notFound(.inspection)) { _ = try await tasks.detail(id: id, by: w.district) }
            _ = try await tasks.submitRectification(id: id, finding: findings[0].id, text: "已重新培训并补签", by: w.office)
            #expect(
                await Self.problems { _ = try await tasks.submitRectification(id: id, finding: findings[0].id, text: "再交一次", by: w.office) } == [
                    "finding"
                ])
            _ = try await tasks.verify(id: id, finding: findings[0].id, VerificationInput(accepted: false, note: "未附培训记录"), by: w.qian)
            _ = try await tasks.submitRectification(id: id, finding: findings[0].id, text: "已附培训签到表", by: w.office)
            task = try await tasks.verify(id: id, finding: findings[0].id, VerificationInput(accepted: true), by: w.qian)
            #expect(task.findings?[0].verifiedOn == Self.today && task.findings?[1].stateLabel == "待整改")
            #expect(await Self.problems { _ = try await tasks.close(id: id, ratings: [:], expecting: nil, by: w.wang) } == ["findings"])

            // The follow-up, after the deadline: the open finding raised one grade, with a reason and a new deadline.
            let later = app.testPlatform(clock: .starting(on: CivilDate("2026-12-22")!)).inspections
            #expect(await Self.problems { _ = try await later.raiseGrade(id: id, finding: findings[0].id, reason: "x", by: w.wang) } == ["finding"])
            task = try await later.raiseGrade(id: id, finding: findings[1].id, reason: "逾期未整改", by: w.wang)
            // 20 working days after Tue 22 December, provisionally into 2027 (its schedule not yet
            // published, so 1 January counts as a weekday): Tue 19 January.
            #expect(
                task.findings?[1].grade == .major && task.findings?[1].originalGrade == .general
                    && task.findings?[1].rectifyBy == CivilDate("2027-01-19"))
            #expect(task.conclusionReason == "严重缺陷 0 项、主要缺陷 2 项、一般缺陷 0 项：主要缺陷多于 0 项，待整改后评定")

            // Closed after the new deadline: the open finding unresolved, the conclusion settled, the lead's rating kept.
            let closing = app.testPlatform(clock: .starting(on: CivilDate("2027-01-21")!)).inspections
            #expect(
                await Self.problems { _ = try await closing.close(id: id, ratings: [qian: 6], expecting: nil, by: w.wang) } == ["ratings.\(qian)"])
            task = try await closing.close(id: id, ratings: [qian: 4], expecting: nil, by: w.wang)
            #expect(task.status == .completed && task.conclusion == .nonCompliant && task.findings?[1].unresolved == true)
            #expect(task.team.first { $0.name == "钱" }?.rating == 4 && task.team.first { $0.name == "钱" }?.onTime == true)
            #expect(
                await Self.problems { _ = try await closing.submitRectification(id: id, finding: findings[1].id, text: "补交", by: w.office) } == [
                    "status"
                ])
            // Closed: the party reads the evidence; the district reads the conclusion.
            #expect(try await closing.detail(id: id, by: w.office).findings?[0].evidence == "受试者 S-017、S-022、S-031 的签名笔迹与身份证件不符")
            #expect(try await closing.detail(id: id, by: w.district).conclusion == .nonCompliant)

            let events = try await closing.detail(id: id, by: regulator).events.map(\.kind)
            #expect(
                events == [
                    .created, .teamProposed, .accepted, .declined, .accepted, .noticeSent, .visitStarted, .findingRecorded, .findingRecorded,
                    .concluded,
                    .rectificationSubmitted, .rectificationReturned, .rectificationSubmitted, .rectificationVerified, .gradeRaised, .closed,
                ])
            let audited = try await AuditEntryModel.query(on: app.db).filter(\.$entityType == "inspection").count()
            #expect(audited == events.count, "an audit row for every step")

            // Summed by the year it closed in (2027): 钱 on time and rated 4; 王 led it, unrated.
            let inspectors = app.testPlatform(clock: .starting(on: CivilDate("2027-01-21")!)).inspectors
            let qianYears = try await inspectors.performance(id: try #require(w.ids["钱"]), by: Fixtures.caller)
            #expect(qianYears.map(\.year) == [2027] && qianYears[0].inspections == 1 && qianYears[0].onTime == 1 && qianYears[0].averageRating == 4)
            let wangYears = try await inspectors.performance(id: try #require(w.ids["王"]), by: w.wang)
            #expect(wangYears.first?.led == 1 && wangYears.first?.averageRating == nil && wangYears.first?.summary == "1 次（组长 1 次），按时 1 次，尚无评分")
            await #expect(throws: UseCaseError.forbidden(.manageInspectors, role: .inspector)) {
                _ = try await inspectors.performance(id: try #require(w.ids["钱"]), by: w.wang)
            }
            // The pool as a sheet, with 2027's record.
            let sheet = String(decoding: try await inspectors.export(year: 2027, format: .csv, by: Fixtures.caller), as: UTF8.self)
            #expect(sheet.contains("2027 年检查次数") && sheet.contains("钱,,") == false)
            let qianRow = sheet.split(whereSeparator: \.isNewline).first { $0.contains(",钱,") }.map(String.init) ?? ""
            #expect(qianRow.hasSuffix(",1,0,1,4.0"), "\(qianRow)")
            await #expect(throws: UseCaseError.forbidden(.manageInspectors, role: .inspector)) {
                _ = try await inspectors.export(format: .xlsx, by: w.wang)
            }
        }
    }

    @Test("two steps at once: one is taken, the other refused for the state it finds, never a fault", arguments: TestDatabase.enabled)
    func race(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let w = try await Self.world(app)
            let tasks = w.platform.inspections
            let id = try await tasks.create(
                NewInspectionInput(targetKind: "trial_institution", targetID: w.zhongshan.uuidString, reason: "有因"), by: Fixtures.caller
            ).id
            let wang = try #require(w.ids["王"]).uuidString, qian = try #require(w.ids["钱"]).uuidString
            _ = try await tasks.formTeam(id: id, TeamInput(lead: wang, members: [qian]), expecting: 1, by: Fixtures.caller)
            _ = try await tasks.answer(id: id, AnswerInput(accept: true, declareNoConflict: true), by: w.wang)
            _ = try await tasks.answer(id: id, AnswerInput(accept: true, declareNoConflict: true), by: w.qian)
            _ = try await tasks.sendNotice(
                id: id, NoticeInput(noticeOn: "2026-11-23", onSiteFrom: "2026-11-23", onSiteTo: "2026-11-23"), expecting: nil, by: w.wang)
            let outcomes = await withTaskGroup(of: String.self) { group in
                for caller in [w.wang, w.qian, Fixtures.caller, w.wang] {
                    group.addTask {
                        do {
                            _ = try await tasks.startVisit(id: id, onSiteFrom: "2026-11-23", by: caller)
                            return "ok"
                        } catch let error as UseCaseError {
                            return error.problems.map(\.field).joined()
                        } catch {
                            return "fault: \(error)"
                        }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.sorted() == ["ok", "status", "status", "status"])
            let started = try await InspectionEventModel.query(on: app.db).filter(\.$kind == InspectionEventKind.visitStarted.rawValue).count()
            #expect(started == 1)
        }
    }

    @Test(
        "the year's planned inspections get their teams proposed at once, the loads growing as they go: 中山's never has 李, who works there; nothing is written",
        arguments: TestDatabase.enabled)
    func yearsProposals(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let w = try await Self.world(app)
            let tasks = w.platform.inspections
            _ = try await w.platform.inspectionPlan.schedule(by: Fixtures.caller)
            let planned = try await InspectionModel.query(on: app.db).filter(\.$status == InspectionStatus.planned.rawValue).all()
            let proposals = try await tasks.proposals(limit: 100, by: Fixtures.caller)
            #expect(proposals.count == planned.count && !proposals.isEmpty)
            #expect(proposals.map(\.plannedMonth) == proposals.map(\.plannedMonth).sorted { ($0?.description ?? "") < ($1?.description ?? "") })
            let atZhongshan = try #require(proposals.first { $0.targetName == "复旦大学附属中山医院" })
            #expect(!atZhongshan.proposal.team.contains { $0.name == "李" } && atZhongshan.proposal.excluded.map(\.candidate.name) == ["李"])
            #expect(atZhongshan.proposal.excluded.allSatisfy { $0.reasons.isEmpty }, "counted, not explained: the inspection's own proposal says why")
            // One at a time, the same planner: the second proposal of a year sees the first one's loads.
            var loads: [UUID: Int] = [:]
            for item in proposals {
                for member in item.proposal.team {
                    #expect(member.load == loads[member.id, default: 0], "\(member.name) proposed with the load the earlier proposals gave")
                    loads[member.id, default: 0] += 1
                }
            }
            #expect(try await InspectionTeamMemberModel.query(on: app.db).count() == 0, "nothing written")
            #expect(try await tasks.proposals(limit: 1, by: Fixtures.caller).count == 1)
            await #expect(throws: UseCaseError.forbidden(.manageInspections, role: .inspector)) {
                _ = try await tasks.proposals(by: w.wang)
            }
            await #expect(throws: UseCaseError.self) { _ = try await tasks.proposals(limit: 0, by: Fixtures.caller) }
        }
    }

    /// An inspection for cause at 中山 taken to its visit: 王 leads, 钱 with him, both accepted.
    static func onSite(_ w: World, reason: String = "有因") async throws -> UUID {
        let tasks = w.platform.inspections
        let id = try await tasks.create(
            NewInspectionInput(targetKind: "trial_institution", targetID: w.zhongshan.uuidString, reason: reason), by: Fixtures.caller
        ).id
        let wang = try #require(w.ids["王"]).uuidString, qian = try #require(w.ids["钱"]).uuidString
        _ = try await tasks.formTeam(id: id, TeamInput(lead: wang, members: [qian]), expecting: 1, by: Fixtures.caller)
        _ = try await tasks.answer(id: id, AnswerInput(accept: true, declareNoConflict: true), by: w.wang)
        _ = try await tasks.answer(id: id, AnswerInput(accept: true, declareNoConflict: true), by: w.qian)
        _ = try await tasks.sendNotice(
            id: id, NoticeInput(noticeOn: "2026-11-23", onSiteFrom: "2026-11-23", onSiteTo: "2026-11-23"), expecting: nil, by: w.wang)
        _ = try await tasks.startVisit(id: id, onSiteFrom: "2026-11-23", by: w.wang)
        return id
    }

    @Test(
        "the key-supervision list: a severe finding proposes, the regulator lists or declines with a reason, the plan then asks every 6 months; two compliant inspections propose removal",
        arguments: TestDatabase.enabled)
    func keySupervision(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let w = try await Self.world(app)
            let tasks = w.platform.inspections, list = w.platform.keySupervision
            let first = try await Self.onSite(w)
            _ = try await tasks.recordFinding(
                id: first, FindingInput(clause: "GCP 第二十条", grade: "severe", description: "伪造受试者筛选记录", evidence: "S-003 筛选日期早于其入院日期"), by: w.qian)
            let concluded = try await tasks.conclude(id: first, ConclusionInput(onSiteTo: "2026-11-23"), expecting: nil, by: w.wang)
            #expect(concluded.conclusion == .nonCompliant)
            var entries = try await list.list(by: Fixtures.caller).items
            #expect(entries.count == 1 && entries[0].status == .proposed && entries[0].reason == "检查发现严重缺陷 1 项" && entries[0].inspectionID == first)
            // Declining needs a reason; the regulator lists it.
            #expect(
                await Self.problems { _ = try await list.decide(id: entries[0].id, confirm: false, reason: nil, expecting: 1, by: Fixtures.caller) }
                    == ["reason"])
            await #expect(throws: UseCaseError.forbidden(.manageInspections, role: .inspector)) {
                _ = try await list.decide(id: entries[0].id, confirm: true, reason: nil, expecting: 1, by: w.wang)
            }
            let listed = try await list.decide(id: entries[0].id, confirm: true, reason: "严重缺陷涉及数据真实性", expecting: 1, by: Fixtures.caller)
            #expect(listed.status == .listed && listed.listedOn == Self.today)
            // Listed: the plan asks within 6 months of the last inspection (23 November 2026 → 23 May 2027).
            let plan = try await w.platform.inspectionPlan.plan(year: 2027, by: Fixtures.caller)
            let dues = try #require(plan.targets.first { $0.facts.target.id == w.zhongshan }).dues
            #expect(dues.contains { $0.reason.hasPrefix("重点监管对象") })
            // A systemic risk at another target, proposed by hand; once only.
            let pudong = try #require(plan.targets.first { $0.facts.target.name == "上海市浦东新区人民医院" }).facts.target.id
            _ = try await list.propose(targetKind: "trial_institution", targetID: pudong.uuidString, reason: "多个项目数据管理混乱", by: Fixtures.caller)
            await #expect(throws: UseCaseError.conflict(KeySupervisionUseCases.listedAlready)) {
                _ = try await list.propose(targetKind: "trial_institution", targetID: pudong.uuidString, reason: "再提一次", by: Fixtures.caller)
            }
            // Two compliant inspections in a row propose the removal; the regulator removes it.
            for _ in 0..<2 {
                let id = try await Self.onSite(w, reason: "跟踪检查")
                #expect(try await tasks.conclude(id: id, ConclusionInput(onSiteTo: "2026-11-23"), expecting: nil, by: w.wang).status == .completed)
            }
            entries = try await list.list(target: w.zhongshan.uuidString, by: Fixtures.caller).items
            #expect(entries.count == 1 && entries[0].status == .removalProposed && entries[0].removalReason == "列入后连续 2 次检查结论为符合要求")
            let removed = try await list.decide(id: entries[0].id, confirm: true, reason: nil, expecting: entries[0].version, by: Fixtures.caller)
            #expect(removed.status == .removed && removed.removedOn == Self.today)
            #expect(try await list.list(by: Fixtures.caller).items.map(\.targetName) == ["上海市浦东新区人民医院"], "the live entries")
            #expect(try await list.list(all: true, by: Fixtures.caller).items.count == 2, "the history kept")
            let audited = try await AuditEntryModel.query(on: app.db).filter(\.$entityType == "key_supervision").all().map(\.action)
            #expect(
                audited.sorted() == [
                    "key_supervision.decide", "key_supervision.decide", "key_supervision.propose", "key_supervision.propose",
                    "key_supervision.removal_propose",
                ])
        }
    }

    @Test(
        "the health commission reads the trial institutions' inspections once closed and the year's notice — never an enterprise's, never one still open",
        arguments: TestDatabase.enabled)
    func healthCommission(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let w = try await Self.world(app)
            let tasks = w.platform.inspections
            let user = try await Fixtures.user("health", role: .healthOfficer, scope: .city, on: w.platform)
            let health = Caller.user(id: user.id, username: "health", displayName: "何佳", role: .healthOfficer, scope: .city)
            // One closed compliant; one concluded with a major and a general finding, rectifying.
            let closed = try await Self.onSite(w)
            #expect(try await tasks.conclude(id: closed, ConclusionInput(onSiteTo: "2026-11-23"), expecting: nil, by: w.wang).status == .completed)
            let open = try await Self.onSite(w, reason: "复查")
            _ = try await tasks.recordFinding(
                id: open, FindingInput(clause: "GCP 第二十五条", grade: "major", description: "未按方案随访", evidence: "S-009 第 3 次随访缺失"), by: w.qian)
            _ = try await tasks.recordFinding(
                id: open, FindingInput(clause: "GCP 第二十六条", grade: "general", description: "记录涂改未签名", evidence: "CRF 第 12 页"), by: w.qian)
            #expect(try await tasks.conclude(id: open, ConclusionInput(onSiteTo: "2026-11-23"), expecting: nil, by: w.wang).status == .rectifying)
            // An enterprise's inspection, for cause: never the health commission's.
            let enterprise = try #require(try await InspectionStore.inspectable(on: app.db).first { $0.target.kind == .enterprise })
            let firm = try await tasks.create(
                NewInspectionInput(targetKind: "enterprise", targetID: enterprise.target.id.uuidString, reason: "抽检不合格"), by: Fixtures.caller)

            // (The plan's world has its history of closed inspections too.)
            let seen = try await tasks.list(.init(), limit: 200, by: health).items
            #expect(seen.contains { $0.id == closed } && !seen.contains { $0.id == open || $0.id == firm.id })
            #expect(seen.allSatisfy { $0.targetKind == .trialInstitution && $0.status == .completed && $0.reader == .observer })
            await #expect(throws: UseCaseError.notFound(.inspection)) { _ = try await tasks.detail(id: open, by: health) }
            let reach = try await InspectionTaskStore.list(
                .init(), reach: .trialInstitutions, visible: InspectionStatus.allCases, limit: 200, after: nil, on: app.db)
            let ids = Set(reach.rows.compactMap(\.id))
            #expect(ids.isSuperset(of: [closed, open]) && !ids.contains(firm.id))
            #expect(reach.rows.allSatisfy { $0.targetKind == InspectionTargetKind.trialInstitution.rawValue })
            #expect(try await tasks.inbox(by: health).isEmpty)
            // Nothing to write, nothing of the registry of enterprises.
            await #expect(throws: UseCaseError.forbidden(.readEnterprises, role: .healthOfficer)) {
                _ = try await w.platform.enterprises.list(.init(), limit: 10, by: health)
            }

            let notice = try await tasks.notice(year: 2026, by: health)
            #expect(notice.rows.map(\.inspection) == [closed] && notice.rows[0].conclusion == .compliant && notice.rows[0].district == "徐汇区")
            #expect(notice.summary == "2026 年共对 1 家临床试验机构结案检查 1 次：符合要求 1 次，不符合要求 0 次；发现严重缺陷 0 项、主要缺陷 0 项、一般缺陷 0 项，逾期未整改 0 项。")
            #expect(notice.table[0].first == "机构" && notice.table[1][5] == "符合要求")
            #expect(try await tasks.notice(year: 2025, by: health).rows.isEmpty)
            await #expect(throws: UseCaseError.forbidden(.readInspectionNotice, role: .trialInstitutionOfficer)) {
                _ = try await tasks.notice(by: w.office)
            }
            let file = try await tasks.noticeFile(year: 2026, format: .csv, by: health)
            let text = String(decoding: file, as: UTF8.self)
            #expect(text.contains("2026 年临床试验机构检查结果信息通报") && text.contains("符合要求") && !text.contains("S-009"))
        }
    }
}
