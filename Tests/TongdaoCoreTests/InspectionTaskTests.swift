import Foundation
import Testing
import TongdaoCore

@Suite("An inspection task: the conclusion's rule, teams without conflicts, steps late in working days")
struct InspectionTaskTests {
    static let hospital = PartyRef(name: "复旦大学附属中山医院", uscc: "12310000425005166U")

    @Test(
        "the conclusion by the standard rule: compliant with no severe, no major and fewer than 5 general; not compliant from 1 severe or 3 major",
        arguments: [
            ([], InspectionConclusion.compliant, "严重缺陷 0 项、主要缺陷 0 项、一般缺陷 0 项：符合要求"),
            ([FindingGrade](repeating: .general, count: 4), .compliant, "严重缺陷 0 项、主要缺陷 0 项、一般缺陷 4 项：符合要求"),
            ([FindingGrade](repeating: .general, count: 5), .rectify, "严重缺陷 0 项、主要缺陷 0 项、一般缺陷 5 项：一般缺陷多于 4 项，待整改后评定"),
            ([.major, .general], .rectify, "严重缺陷 0 项、主要缺陷 1 项、一般缺陷 1 项：主要缺陷多于 0 项，待整改后评定"),
            ([.major, .major, .major], .nonCompliant, "严重缺陷 0 项、主要缺陷 3 项、一般缺陷 0 项：主要缺陷达到 3 项，不符合要求"),
            ([.severe], .nonCompliant, "严重缺陷 1 项、主要缺陷 0 项、一般缺陷 0 项：严重缺陷达到 1 项，不符合要求"),
        ] as [([FindingGrade], InspectionConclusion, String)])
    func standardRule(grades: [FindingGrade], conclusion: InspectionConclusion, reason: String) {
        let explained = ConclusionRule.standard.explained(grades)
        #expect(explained.conclusion == conclusion && explained.reason == reason)
    }

    @Test("the rule is data: a stricter version judges the same findings otherwise; a rule that contradicts itself is refused")
    func ruleIsData() {
        let strict = ConclusionRule(compliantMaxGeneral: 2, nonCompliantMajor: 2)
        #expect(strict.conclusion([.general, .general, .general]) == .rectify)
        #expect(ConclusionRule.standard.conclusion([.general, .general, .general]) == .compliant)
        #expect(strict.conclusion([.major, .major]) == .nonCompliant)
        #expect(ConclusionRule(compliantMaxMajor: 3, nonCompliantMajor: 3).problems().map(\.field) == ["task.conclusionRule"])
        #expect(InspectionTaskPolicy(teamSize: 1).problems().map(\.field) == ["task.teamSize"])
        // A policy stored before tasks had figures reads the standard ones.
        let old =
            #"{"effectiveFrom":"2024-01-01","drugTrialInstitutionYears":1,"deviceTrialInstitutionYears":2,"newFilingWorkingDays":60,"keySupervisionMonths":6,"manufacturerYears":{"1":4,"2":2,"3":1},"combineWithinDays":90,"pastEmployerYears":3}"#
        let decoded = try? JSONDecoder().decode(InspectionPolicy.self, from: Data(old.utf8))
        #expect(decoded?.task == .standard && decoded?.effectiveFrom == "2024-01-01")
    }

    @Test("a grade is raised one step at a time, and never above 严重")
    func raising() {
        #expect(FindingGrade.general.raised == .major && FindingGrade.major.raised == .severe && FindingGrade.severe.raised == nil)
        #expect(FindingGrade.general < .major && FindingGrade.major < .severe)
    }

    static func candidate(
        _ name: String, _ specialties: [InspectionSpecialty], rank: InspectorRank = .member, load: Int = 0, capacity: Int = 60,
        employer: PartyRef? = nil, fullTime: Bool = false
    ) -> TeamCandidate {
        TeamCandidate(
            id: UUID(), name: name, specialties: specialties, rank: rank, fullTime: fullTime, capacityDays: capacity,
            ties: InspectorTies(employments: employer.map { [InspectorEmployment(employer: $0, from: day("2020-01-01"))] } ?? [], relationships: []),
            load: load)
    }

    @Test("the team: a lead of lead rank, each required specialty held, the least-loaded first; conflicts and full years left out with their reasons")
    func proposal() {
        let pool = [
            Self.candidate("王组长", [.gcp], rank: .lead, load: 2),
            Self.candidate("李组长", [.gcp, .deviceGCP], rank: .lead, load: 1, employer: Self.hospital),
            Self.candidate("赵组长", [.gcp], rank: .lead, load: 1),
            Self.candidate("钱", [.gcp], load: 0),
            Self.candidate("孙", [.deviceGCP], load: 3),
            Self.candidate("周", [.deviceGCP], load: 20, capacity: 60),
            Self.candidate("吴", [.deviceQMS], load: 0),
        ]
        var planner = TeamPlanner(candidates: pool, policy: .standard)
        let team = planner.propose(specialties: [.gcp, .deviceGCP], target: Self.hospital, on: day("2026-11-23"))
        #expect(team.lead?.name == "赵组长")
        #expect(team.members.map(\.name) == ["孙", "钱"], "the device specialty first, then the least-loaded to three")
        #expect(team.uncovered.isEmpty)
        #expect(team.excluded.map(\.candidate.name) == ["周", "李组长"].sorted())
        #expect(team.excluded.first { $0.candidate.name == "李组长" }?.reasons == ["现任职于复旦大学附属中山医院"])
        #expect(team.excluded.first { $0.candidate.name == "周" }?.reasons == ["本年度检查天数已满（已安排 60 天，可用 60 天）"])
        // The loads grew (赵 2, 钱 1, 孙 4): the next proposal, for a target 李 has no tie to, spreads
        // the work — 李 (1) leads, then 钱 (1), then 王 before 赵 (both 2) by name.
        let next = planner.propose(specialties: [.gcp], target: PartyRef(name: "另一家医院"), on: day("2026-11-23"))
        #expect(next.lead?.name == "李组长" && next.members.map(\.name) == ["钱", "王组长"])
        // Without the explanation: the same team, those left out listed without their reasons.
        var quiet = TeamPlanner(candidates: pool, policy: .standard)
        let counted = quiet.propose(specialties: [.gcp, .deviceGCP], target: Self.hospital, on: day("2026-11-23"), explain: false)
        #expect(counted.team == team.team && counted.excluded.map(\.candidate.name) == team.excluded.map(\.candidate.name))
        #expect(counted.excluded.allSatisfy { $0.reasons.isEmpty })
        // Nobody free with the specialty: uncovered.
        let none = planner.propose(specialties: [.glp], target: Self.hospital, on: day("2026-11-23"), commit: false)
        #expect(none.lead == nil && none.uncovered == [.glp])
    }

    @Test("a year's proposals spread the work: the least-loaded first, nobody past their capacity, those full left out")
    func spread() {
        let leads = (0..<4).map { Self.candidate("组长\($0)", [.deviceQMS], rank: .lead, capacity: 200) }
        let members = (0..<20).map { Self.candidate("组员\($0)", [.deviceQMS], capacity: $0 < 5 ? 12 : 200) }
        var planner = TeamPlanner(candidates: leads + members, policy: .standard)
        var proposals: [TeamProposal] = []
        for number in 0..<150 {
            proposals.append(planner.propose(specialties: [.deviceQMS], target: PartyRef(name: "企业\(number)"), on: day("2026-11-23"), explain: false))
        }
        let loads = planner.candidates.values
        let days = InspectionPolicy.standard.task.daysPerInspection
        #expect(loads.allSatisfy { $0.load * days <= $0.capacityDays }, "nobody past their capacity")
        let leadLoads = loads.filter { $0.rank == .lead }.map(\.load)
        #expect(leadLoads.max()! - leadLoads.min()! <= 1 && leadLoads.reduce(0, +) == 150, "every proposal led, the leads evenly")
        let roomy = loads.filter { $0.rank == .member && $0.capacityDays == 200 }.map(\.load)
        #expect(roomy.max()! - roomy.min()! <= 1, "the members with room evenly")
        #expect(proposals.last?.excluded.count == 5, "the five with 12 days are full by the end")
        #expect(proposals.allSatisfy { $0.team.count == InspectionPolicy.standard.task.teamSize })
    }

    @Test(
        "a step's day in working days and its level: amber with 3 working days or fewer left, red once past",
        arguments: [
            // Invited on Fri 20 Nov: the answer by Wed 25 Nov (3 working days).
            ("2026-11-18", TaskProgress.Step.Kind.answer, "2026-11-25", ReviewClock.Level.green),
            ("2026-11-23", .answer, "2026-11-25", .amber),
            ("2026-11-26", .answer, "2026-11-25", .red),
            // Rectification by Tue 1 Dec: on Fri 27 Nov two working days are left.
            ("2026-11-25", .rectification, "2026-12-01", .green),
            ("2026-11-27", .rectification, "2026-12-01", .amber),
            ("2026-12-02", .rectification, "2026-12-01", .red),
        ])
    func stepLevels(today: String, kind: TaskProgress.Step.Kind, due: String, level: ReviewClock.Level) throws {
        let progress =
            kind == .answer
            ? TaskProgress(status: .staffing, plannedMonth: nil, pendingInvitations: [day("2026-11-20")])
            : TaskProgress(status: .rectifying, plannedMonth: nil, findings: [FindingProgress(grade: .general, rectifyBy: day("2026-12-01"))])
        let steps = progress.steps(policy: .standard, today: day(today), calendar: .bundled)
        #expect(steps == [TaskProgress.Step(kind: kind, dueBy: day(due), level: level)])
    }

    @Test(
        "working days cross the National Day holiday: the conclusion 3 working days after 30 September is due on Saturday 10 October (a working day)")
    func holiday() {
        let policy = InspectionTaskPolicy(reportWorkingDays: 3)
        let steps = TaskProgress(status: .onSite, plannedMonth: nil, onSiteFrom: day("2026-09-30")).steps(
            policy: policy, today: day("2026-10-09"), calendar: .bundled)
        #expect(steps == [TaskProgress.Step(kind: .conclusion, dueBy: day("2026-10-10"), level: .amber)])
        // A submitted rectification is verified within 10 working days; one verified is no step.
        let rectifying = TaskProgress(
            status: .rectifying, plannedMonth: nil,
            findings: [
                FindingProgress(grade: .major, rectifyBy: day("2026-12-01"), submittedOn: day("2026-11-23")),
                FindingProgress(grade: .general, rectifyBy: day("2026-12-01"), submittedOn: day("2026-11-20"), verifiedOn: day("2026-11-23")),
            ])
        #expect(rectifying.steps(policy: .standard, today: day("2026-11-23"), calendar: .bundled).map(\.dueBy) == [day("2026-12-07")])
    }

    @Test("who reads what: the party from the notice, its findings from the conclusion, evidence only once closed; observers closed ones only")
    func readers() {
        #expect(!InspectionReader.party.sees(.staffed) && InspectionReader.party.sees(.notified))
        #expect(!InspectionReader.party.readsFindings(.onSite) && InspectionReader.party.readsFindings(.rectifying))
        #expect(!InspectionReader.party.readsEvidence(.rectifying) && InspectionReader.party.readsEvidence(.completed))
        #expect(!InspectionReader.observer.sees(.rectifying) && InspectionReader.observer.sees(.completed))
        #expect(InspectionReader.team.readsEvidence(.onSite) && !InspectionReader.team.readsStaffing && InspectionReader.office.readsStaffing)
    }
}

@Suite("Credit files: each event worth the policy's points, the grade explained point by point")
struct CreditFileTests {
    @Test(
        "hand-worked: 100, a non-compliant inspection −15, a warning talk −10, two unresolved findings −5 each: 65, C; an event over three years old is shown but counts nothing"
    )
    func assess() {
        let events = [
            CreditEvent(kind: .nonCompliantInspection, on: day("2026-11-23"), detail: "不符合要求"),
            CreditEvent(kind: .unresolvedFinding, on: day("2026-11-23"), detail: "第 1 项"),
            CreditEvent(kind: .unresolvedFinding, on: day("2026-11-23"), detail: "第 2 项"),
            CreditEvent(kind: .warningTalk, on: day("2026-06-01"), detail: "约谈负责人"),
            CreditEvent(kind: .penalty, on: day("2023-11-22"), detail: "三年前的处罚"),
        ]
        let assessment = CreditAssessment.assess(events, policy: .standard, today: day("2026-11-23"))
        #expect(assessment.score == 65 && assessment.grade == .c)
        // Newest first (one day's events by their codes, descending); the explanation oldest first.
        #expect(assessment.lines.map(\.points) == [-5, -5, -15, -10, 0] && assessment.lines.last?.expired == true)
        #expect(
            assessment.explanation
                == "基础分 100，告诫约谈 −10（2026-06-01），检查结论不符合要求 −15（2026-11-23），缺陷逾期未整改 −5（2026-11-23），缺陷逾期未整改 −5（2026-11-23），合计 65 分，C 级（失信风险）")
        // The thresholds: 95 is A, 94 is B, 80 B, 79 C, 60 C, 59 D.
        for (score, grade) in [(95, CreditGrade.a), (94, .b), (80, .b), (79, .c), (60, .c), (59, .d)] {
            let policy = CreditPolicy(base: score)
            #expect(CreditAssessment.assess([], policy: policy, today: day("2026-11-23")).grade == grade)
        }
        // On the last day of its three years an event still counts; the day after, it does not.
        let talk = [CreditEvent(kind: .warningTalk, on: day("2023-11-23"), detail: "")]
        #expect(CreditAssessment.assess(talk, policy: .standard, today: day("2026-11-23")).score == 90)
        #expect(CreditAssessment.assess(talk, policy: .standard, today: day("2026-11-24")).score == 100)
    }

    @Test(
        "a policy in versions: each event worth the points in force on its day, the base, years and thresholds of today's; a version refused field by field"
    )
    func versions() {
        // From 2026-07-01 a warning talk costs 20 and B starts at 85; before, the standard points.
        let stricter = CreditPolicy(
            effectiveFrom: "2026-07-01", points: ["warning_talk": -20, "penalty": -25, "non_compliant_inspection": -15], gradeB: 85)
        let events = [
            CreditEvent(kind: .warningTalk, on: day("2026-06-30"), detail: "前一天"),
            CreditEvent(kind: .warningTalk, on: day("2026-07-01"), detail: "施行当天"),
        ]
        // 100 − 10 (the old points) − 20 (the new) = 70: C under either version's thresholds.
        let assessment = CreditAssessment.assess(events, versions: [stricter], today: day("2026-11-23"))
        #expect(assessment.lines.map(\.points) == [-20, -10] && assessment.score == 70 && assessment.grade == .c)
        // 82 is B under the standard thresholds, C once B starts at 85 (today's version decides).
        let one = [CreditEvent(kind: .compliantInspection, on: day("2026-06-01"), detail: "")]
        let base80 = CreditPolicy(base: 80)
        #expect(CreditAssessment.assess(one, versions: [base80], today: day("2026-11-23")).score == 82)
        let later = CreditPolicy(effectiveFrom: "2026-07-01", base: 80, gradeB: 85)
        #expect(CreditAssessment.assess(one, versions: [base80, later], today: day("2026-06-30")).grade == .b)
        // On 2026-06-01 the compliant inspection was worth the standard +2; `later` names none, so
        // events after it are worth 0, but this one keeps its +2: 82, C from 2026-07-01.
        #expect(CreditAssessment.assess(one, versions: [base80, later], today: day("2026-11-23")).grade == .c)
        #expect(CreditPolicy.inForce(on: day("2026-06-30"), among: [stricter]) == .standard)

        let bad = CreditPolicy(
            effectiveFrom: "2026-11-22", base: 100, points: ["penalty": -250, "nonsense": 1], years: 0, gradeA: 90, gradeB: 90, gradeC: 120)
        #expect(
            bad.problems(today: day("2026-11-23")).map(\.field) == [
                "effectiveFrom", "years", "points.nonsense", "points.penalty", "gradeC", "gradeB",
            ])
        #expect(CreditPolicy(effectiveFrom: "2026-11-23").problems(today: day("2026-11-23")).isEmpty)
    }
}
