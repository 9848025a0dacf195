import Foundation
import Testing
import TongdaoCore

@Suite("The inspection plan: due days from policy, hand-worked; combined visits; coverage by month")
struct InspectionPlanTests {
    let calendar = WorkCalendar.bundled
    let policy = InspectionPolicy.standard
    let today = day("2026-11-23")

    func target(
        _ kind: InspectionTargetKind = .trialInstitution, drug: String? = nil, device: String? = nil, specialties: [(String, String)] = [],
        managementClass: Int? = nil, key: Bool = false, done: [InspectionType: String] = [:]
    ) -> PlanTarget {
        PlanTarget(
            id: UUID(), kind: kind, name: "示例", district: "310104", drugFiledOn: drug.map(day), deviceFiledOn: device.map(day),
            specialties: specialties.map { ($0.0, day($0.1)) }, managementClass: managementClass, keySupervised: key,
            lastDone: done.mapValues(day))
    }

    @Test("a drug institution each calendar year, a device one every two: by 31 December of the last inspection's year plus the period")
    func periodic() {
        let both = target(
            drug: "2019-12-20", device: "2021-03-01", done: [.drugTrialInstitution: "2025-05-14", .deviceTrialInstitution: "2024-10-10"])
        let dues = InspectionPlan.dues(both, policy: policy, today: today, calendar: calendar)
        #expect(dues.map(\.type) == [.deviceTrialInstitution, .drugTrialInstitution])
        #expect(dues.map(\.dueBy) == [day("2026-12-31"), day("2026-12-31")])
        #expect(dues[1].reason == "药物临床试验机构每年至少检查一次（上次 2025-05-14）")
        #expect(dues[0].reason == "医疗器械临床试验机构每 2 年至少检查一次（上次 2024-10-10）")
        // Inspected this year: the drug side is next due by the end of next year.
        let doneThisYear = target(drug: "2019-12-20", done: [.drugTrialInstitution: "2026-04-02"])
        #expect(InspectionPlan.dues(doneThisYear, policy: policy, today: today, calendar: calendar).map(\.dueBy) == [day("2027-12-31")])
        // Never inspected since filing in 2019: due by the end of 2020, long overdue (and the filing's own inspection too).
        let never = InspectionPlan.dues(target(drug: "2019-12-20"), policy: policy, today: today, calendar: calendar)
        #expect(never.contains { $0.type == .drugTrialInstitution && $0.dueBy == day("2020-12-31") })
    }

    // Filed Mon 10 Feb 2025; 60 working days after it: February 11–28 (14), March (21: 35), April
    // 1–3 (38), Qingming 4–6 off, 7–25 (53), Sunday 27 April worked for May Day (54), 28–30 (57),
    // 1–5 May off, 6–8 (60): Thu 8 May 2025 (`tongdao calendar add 2025-02-10 60` says the same).
    @Test("a new filing within 60 working days; a new specialty after the last inspection too, until an inspection follows it")
    func newFilings() {
        let filed = InspectionPlan.dues(target(device: "2025-02-10"), policy: policy, today: today, calendar: calendar)
        #expect(filed.first { $0.type == .newFiling }?.dueBy == day("2025-05-08"))
        #expect(filed.first { $0.type == .newFiling }?.reason == "医疗器械临床试验机构备案（2025-02-10）后 60 个工作日内现场检查")
        #expect(filed.first { $0.type == .deviceTrialInstitution }?.dueBy == day("2027-12-31"), "two years from the filing's year")
        // A specialty filed Mon 12 May 2025 after the last inspection: the Dragon Boat Festival (31 May –
        // 2 June) off, 60 working days run to Tue 5 August 2025.
        let specialty = target(
            drug: "2019-12-20", specialties: [("肿瘤科", "2019-12-20"), ("心血管内科", "2025-05-12")], done: [.drugTrialInstitution: "2025-03-03"])
        let dues = InspectionPlan.dues(specialty, policy: policy, today: today, calendar: calendar)
        #expect(
            dues.first { $0.type == .newFiling }.map { ($0.dueBy, $0.reason) }! == (day("2025-08-05"), "新增专业“心血管内科”（2025-05-12 备案）后 60 个工作日内现场检查"))
        // Once an inspection follows it, the filing asks for none.
        var inspected = specialty
        inspected.lastDone[.drugTrialInstitution] = day("2025-07-01")
        #expect(!InspectionPlan.dues(inspected, policy: policy, today: today, calendar: calendar).contains { $0.type == .newFiling })
        // Its own figure is policy: 20 working days from 12 May 2025 is 10 June (the festival's Monday off).
        var quick = policy
        quick.newFilingWorkingDays = 20
        #expect(
            InspectionPlan.dues(specialty, policy: quick, today: today, calendar: calendar).first { $0.type == .newFiling }?.dueBy
                == day("2025-06-10"))
    }

    @Test("the key-supervision list: within its months of the last inspection, or at once; manufacturers by their class")
    func frequencies() {
        let listed = target(drug: "2019-12-20", key: true, done: [.drugTrialInstitution: "2026-03-15"])
        let due = InspectionPlan.dues(listed, policy: policy, today: today, calendar: calendar)
        #expect(due.map(\.dueBy) == [day("2026-09-15")])
        #expect(due.first?.reason == "重点监管对象，每 6 个月至少检查一次（上次 2026-03-15）")
        let never = InspectionPlan.dues(target(drug: "2019-12-20", key: true), policy: policy, today: today, calendar: calendar)
        #expect(never.filter { $0.type == .drugTrialInstitution }.map(\.dueBy) == [today])
        #expect(day("2026-08-31").adding(months: 6) == day("2027-02-28"))
        let class3 = InspectionPlan.dues(target(.enterprise, managementClass: 3), policy: policy, today: today, calendar: calendar)
        #expect(class3.map(\.dueBy) == [day("2026-12-31")] && class3.first?.reason.hasPrefix("III 类医疗器械生产企业每年") == true)
        let class2 = InspectionPlan.dues(
            target(.enterprise, managementClass: 2, done: [.manufacturer: "2025-06-01"]), policy: policy, today: today, calendar: calendar)
        #expect(class2.map(\.dueBy) == [day("2027-12-31")])
        #expect(InspectionPlan.dues(target(.enterprise), policy: policy, today: today, calendar: calendar).isEmpty, "no class, no rule")
    }

    @Test("one target's dues within the window are one visit; others stay apart")
    func combined() {
        let a = target(drug: "2019-12-20", device: "2021-03-01", done: [.drugTrialInstitution: "2025-05-14", .deviceTrialInstitution: "2024-10-10"])
        let b = target(drug: "2019-12-20", specialties: [("心血管内科", "2026-08-17")], done: [.drugTrialInstitution: "2026-04-02"])
        let dues = [a, b].flatMap { InspectionPlan.dues($0, policy: policy, today: today, calendar: calendar) }
        let groups = InspectionPlan.combined(dues, withinDays: 90, today: today)
        #expect(groups.count == 1 && groups[0].map(\.type) == [.deviceTrialInstitution, .drugTrialInstitution])
        // b's new specialty (due in November 2026) and its next periodic (end of 2027) are a year apart.
        #expect(InspectionPlan.combined(dues.filter { $0.target == b.id }, withinDays: 90, today: today).isEmpty)
        #expect(InspectionPlan.combined(dues, withinDays: 500, today: today).count == 2)
        // Overdue inspections are due now: a target never inspected since filing in 2019 (its filing's
        // inspection due in March 2020, its yearly one by the end of 2020) has them as one visit.
        let lapsed = InspectionPlan.dues(target(drug: "2019-12-20"), policy: policy, today: today, calendar: calendar)
        #expect(lapsed.map(\.type) == [.newFiling, .drugTrialInstitution] && lapsed.allSatisfy { $0.dueBy < today })
        #expect(InspectionPlan.combined(lapsed, withinDays: 90, today: today).map { $0.count } == [2])
        #expect(InspectionPlan.visits(lapsed, withinDays: 0, today: today).count == 1)
    }

    @Test("coverage: open dues by the month they fall due (overdue once passed), done by the month completed, planned by the month planned")
    func coverage() {
        let id = UUID()
        let dues = [
            DueInspection(target: id, type: .drugTrialInstitution, dueBy: day("2026-12-31"), reason: ""),
            DueInspection(target: id, type: .newFiling, dueBy: day("2026-09-15"), reason: ""),
            DueInspection(target: id, type: .manufacturer, dueBy: day("2024-12-31"), reason: ""),
            DueInspection(target: id, type: .manufacturer, dueBy: day("2027-12-31"), reason: ""),
        ]
        let inspections = [
            PlannedInspection(target: id, types: [.drugTrialInstitution], plannedMonth: YearMonth("2026-03"), completedOn: day("2026-03-20")),
            PlannedInspection(target: id, types: [.newFiling], plannedMonth: YearMonth("2026-12")),
            PlannedInspection(target: id, types: [.manufacturer], plannedMonth: YearMonth("2026-05"), cancelled: true),
            PlannedInspection(target: id, types: [.manufacturer], plannedMonth: nil, completedOn: day("2025-06-01")),
        ]
        let months = InspectionPlan.coverage(year: 2026, dues: dues, inspections: inspections, today: today)
        #expect(months.count == 12 && months[0].month == YearMonth("2026-01"))
        #expect(months.map(\.required) == [1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1])
        #expect(months.map(\.overdue) == [1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0])
        #expect(months.map(\.done) == [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        #expect(months.map(\.planned) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])
    }

    @Test("the policy's versions: the one in force on a day; each figure within its bounds, from today on")
    func policies() {
        let next = InspectionPolicy(effectiveFrom: "2027-01-01", drugTrialInstitutionYears: 1, deviceTrialInstitutionYears: 1)
        #expect(InspectionPolicy.inForce(on: day("2026-12-31"), among: [next]) == .standard)
        #expect(InspectionPolicy.inForce(on: day("2027-01-01"), among: [next]).deviceTrialInstitutionYears == 1)
        #expect(next.problems(today: today).isEmpty)
        var bad = next
        bad.effectiveFrom = "2026-11-22"
        bad.newFilingWorkingDays = 0
        bad.manufacturerYears = ["3": 1]
        #expect(Set(bad.problems(today: today).map(\.field)) == ["effectiveFrom", "newFilingWorkingDays", "manufacturerYears"])
    }
}
