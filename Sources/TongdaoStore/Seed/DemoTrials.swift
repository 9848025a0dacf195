import FluentKit
import Foundation
import TongdaoCore

/// Clinical trials for demo mode, generated from a fixed seed: about 40 institutions (most in 徐汇,
/// 黄浦, 浦东 and 闵行) with their filed specialties, 1,500 investigators (three of them registered twice), 2,000 trials of the stored
/// enterprises with their sites, a handful of PIs carrying too many trials at once and pilot trials
/// late to start. Dates obey the rules the use cases check (in order, never after today).
public enum DemoTrials {
    /// The institution whose office the demo account `institution` keeps.
    public static let officeInstitution = UUID(uuidString: "0193A000-0000-7000-8000-000000000001")!

    static let districts = ["310104", "310104", "310101", "310101", "310115", "310115", "310112", "310112", "310106", "310110", "310113", "310120"]
    static let districtNames = [
        "310104": "徐汇", "310101": "黄浦", "310115": "浦东", "310112": "闵行", "310106": "静安", "310110": "杨浦", "310113": "宝山", "310120": "奉贤",
    ]
    static let specialties = ["肿瘤科", "心血管内科", "神经内科", "呼吸内科", "内分泌科", "骨科", "眼科", "医学影像科", "消化内科", "普通外科"]
    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾")
    static let given = Array("明华强芳军静丽敏磊洋勇艳杰娟涛超秀英霞平刚桂兰")

    /// Generates the demo's trials among the stored enterprises, in one transaction (the caller's)
    /// with one audit row. Returns how many trials were written.
    public static func generate(today: CivilDate, now: Date, seed: UInt64 = DemoCity.seed, by actor: AuditActor, on db: any Database) async throws
        -> Int
    {
        var random = SplitMix64(seed: seed &+ 17)
        let sponsors = try await EnterpriseModel.query(on: db).sort(\.$id).limit(400).all()
        guard !sponsors.isEmpty else { return 0 }

        // Institutions and their specialties.
        var institutions: [TrialInstitutionModel] = []
        var specialtyRows: [TrialSpecialtyModel] = []
        var institutionSpecialties: [[String]] = []
        for index in 0..<40 {
            let district = districts[index % districts.count]
            let model = TrialInstitutionModel()
            model.id = index == 0 ? officeInstitution : UUID()
            model.name = index == 0 ? "上海徐汇示例中心医院" : "上海\(districtNames[district] ?? "")示例\(["第一", "第二", "第三", "第四"][index % 4])人民医院（\(index)）"
            model.code = "DEMO-INST-\(1000 + index)"
            model.district = district
            model.province = "上海"
            model.grade = index % 9 == 8 ? .secondaryA : .tertiaryA
            let filed = today.adding(days: -Int.random(in: 400...2_400, using: &random))
            if index % 5 != 4 {
                model.drugFilingNumber = "药临机构备字\(filed.components.year)\(String(1000 + index).suffix(3))"
                model.drugFiledOn = filed.description
            }
            if index % 3 != 2 || model.drugFilingNumber == nil {
                model.deviceFilingNumber = "械临机构备\(filed.components.year)\(String(10000 + index).suffix(4))"
                model.deviceFiledOn = filed.adding(days: 30).description
            }
            model.status = .active
            model.version = 1
            institutions.append(model)
            let offset = index % specialties.count
            let held = (0..<Int.random(in: 3...6, using: &random)).map { specialties[(offset + $0 * 3) % specialties.count] }
            let unique = held.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            institutionSpecialties.append(unique)
            for (order, name) in unique.enumerated() {
                let row = TrialSpecialtyModel()
                row.$institution.id = model.id!
                row.name = name
                row.filedOn = min(filed.adding(days: order * 90), today).description
                specialtyRows.append(row)
            }
        }
        try await institutions.create(on: db)
        try await specialtyRows.create(on: db)

        // Investigators: about 37 an institution, in its specialties.
        var investigators: [[InvestigatorModel]] = Array(repeating: [], count: institutions.count)
        var all: [InvestigatorModel] = []
        for number in 0..<1_500 {
            let institution = number % institutions.count
            let model = InvestigatorModel()
            model.id = UUID()
            model.$institution.id = institutions[institution].id!
            model.name =
                String(surnames[Int.random(in: 0..<surnames.count, using: &random)]) + String(given[Int.random(in: 0..<given.count, using: &random)])
                + (Bool.random(using: &random) ? String(given[Int.random(in: 0..<given.count, using: &random)]) : "")
            let held = institutionSpecialties[institution]
            model.specialty = held[Int.random(in: 0..<held.count, using: &random)]
            let senior = Int.random(in: 0..<10, using: &random) < 7
            model.senior = senior
            model.title = senior ? (Bool.random(using: &random) ? "主任医师" : "副主任医师") : "主治医师"
            model.earlierTrials = senior ? Int.random(in: 2...30, using: &random) : Int.random(in: 0...3, using: &random)
            model.gcpTrainedOn = today.adding(days: -Int.random(in: 30...1_000, using: &random)).description
            model.activeSites = 0
            model.version = 1
            investigators[institution].append(model)
            all.append(model)
        }
        // Five senior PIs at drug-filed institutions will carry many trials at once.
        let busy = [0, 1, 2, 3, 5]
        let overloaded = busy.map { investigators[$0][0] }
        for pi in overloaded {
            pi.senior = true
            pi.title = "主任医师"
            pi.earlierTrials = max(pi.earlierTrials, 10)
        }
        for start in stride(from: 0, to: all.count, by: 500) { try await Array(all[start..<min(start + 500, all.count)]).create(on: db) }

        // Trials with one to three sites, each PI qualified for the trial (SiteQualification), at an
        // institution filed for its kind; five senior PIs at drug-filed institutions carry many at once.
        var trials: [TrialModel] = []
        var sites: [TrialSiteModel] = []
        var events: [TrialEventRow] = []
        for number in 0..<2_000 {
            let sponsor = sponsors[number % sponsors.count]
            let trial = TrialModel()
            trial.id = UUID()
            let roll = Int.random(in: 0..<10, using: &random)
            trial.kind = number < 5 * 9 || roll < 6 ? .drug : roll < 9 ? .device : .ivd
            trial.deviceClass = trial.kind == .drug ? nil : (roll == 8 ? .three : .two)
            trial.innovative = number % 11 == 0
            trial.needsApproval = trial.deviceClass == .three && number % 2 == 0
            trial.phase =
                trial.kind == .drug ? [.phase1, .phase2, .phase3, .phase4, .bioequivalence][Int.random(in: 0..<5, using: &random)] : .notApplicable
            trial.registrationNumber = trial.kind == .drug ? "CTR\(20_230_000 + number)" : "械临备\(2023 + number % 3)\(String(100_000 + number))"
            trial.title =
                "\(trial.kind == .drug ? "注射用示例药物" : trial.kind == .device ? "示例医疗器械" : "示例检测试剂盒") \(number + 1) 号\(trial.kind == .drug ? trial.phase.label : "")临床试验"
            trial.$sponsor.id = try sponsor.requireID()
            trial.uscc = sponsor.uscc
            trial.district = sponsor.district
            trial.park = sponsor.park
            let approved = today.adding(days: -Int.random(in: 10...1_100, using: &random))
            trial.approvedOn = approved.description
            trial.pilot = trial.kind == .drug && number % 7 == 0
            let elapsed = today.dayNumber - approved.dayNumber
            // Most start within 20 to 80 days; a few pilot trials are late, or not started yet.
            var consent: CivilDate? = approved.adding(days: Int.random(in: 20...80, using: &random))
            if trial.pilot, number % 21 == 0 { consent = approved.adding(days: 95) }
            if trial.pilot, number % 49 == 0 { consent = nil }
            if let day = consent, day > today { consent = nil }
            if elapsed < 20 { consent = nil }
            trial.firstConsentOn = consent?.description
            trial.status =
                consent == nil ? .approved : elapsed > 700 ? (number % 9 == 0 ? .terminated : .completed) : elapsed > 300 ? .ongoing : .recruiting
            trial.version = 1
            trials.append(trial)
            events.append(event(.registered, trial: trial.id!, sequence: 1, on: approved, status: trial.status, by: actor, at: now))

            var used: Set<Int> = []
            let rule = trial.qualification
            for siteNumber in 0..<Int.random(in: 1...3, using: &random) {
                var institution = Int.random(in: 0..<institutions.count, using: &random)
                if siteNumber == 0, number < 5 * 9 { institution = busy[number % 5] }
                let place = institutions[institution]
                let qualified = investigators[institution].filter { pi in
                    SiteQualification.problems(
                        rule, investigator: .init(senior: pi.senior, earlierTrials: pi.earlierTrials),
                        institution: .init(grade: place.grade, drugFiled: place.drugFilingNumber != nil, deviceFiled: place.deviceFilingNumber != nil)
                    ).isEmpty
                }
                guard !qualified.isEmpty, used.insert(institution).inserted else { continue }
                let site = TrialSiteModel()
                site.id = UUID()
                site.$trial.id = trial.id!
                site.$institution.id = institutions[institution].id!
                let pi = siteNumber == 0 && number < 5 * 9 ? overloaded[number % 5] : qualified[Int.random(in: 0..<qualified.count, using: &random)]
                site.$investigator.id = pi.id!
                site.role = siteNumber == 0 ? .lead : .participating
                let ethics = approved.adding(days: Int.random(in: -30 ... -5, using: &random))
                site.ethicsApprovedOn = ethics.description
                if let consent {
                    let activated = min(consent, approved.adding(days: Int.random(in: 5...40, using: &random)))
                    site.activatedOn = max(activated, ethics).description
                    site.firstSubjectOn = consent.description
                    site.targetEnrolment = Int.random(in: 20...300, using: &random)
                    site.actualEnrolment = trial.status == .recruiting ? (site.targetEnrolment ?? 0) / 2 : site.targetEnrolment
                    // The overloaded PIs' sites stay open; others close with their trial.
                    if trial.status.isClosed, !(siteNumber == 0 && number < 5 * 9) {
                        site.closedOn = min(today, approved.adding(days: 650)).description
                    }
                }
                site.version = 1
                sites.append(site)
                events.append(event(.siteAdded, trial: trial.id!, sequence: siteNumber + 2, on: ethics, site: site.id, by: actor, at: now))
            }
        }
        // The overloaded PIs' trials are open: their sites count.
        for trial in trials.prefix(5 * 9) where trial.firstConsentOn == nil || trial.status.isClosed {
            let consent = CivilDate(trial.approvedOn ?? "") ?? today
            trial.firstConsentOn = consent.adding(days: 30) <= today ? consent.adding(days: 30).description : today.description
            trial.status = .recruiting
            for site in sites where site.$trial.id == trial.id {
                site.activatedOn = trial.firstConsentOn
                site.firstSubjectOn = trial.firstConsentOn
                site.closedOn = nil
            }
        }
        // Three people registered a second time (the same name, specialty and title at the same
        // institution, a site under each record): the likely duplicates an officer merges.
        for institution in [0, 1, 2] {
            guard
                let person = investigators[institution].first(where: { pi in
                    !overloaded.contains { $0 === pi } && sites.contains { $0.$investigator.id == pi.id }
                })
            else { continue }
            let twin = InvestigatorModel()
            twin.id = UUID()
            twin.$institution.id = person.$institution.id
            (twin.name, twin.specialty, twin.title, twin.senior) = (person.name, person.specialty, person.title, person.senior)
            twin.earlierTrials = person.earlierTrials
            twin.activeSites = 0
            twin.version = 1
            try await twin.create(on: db)
            all.append(twin)
            sites.first { $0.$investigator.id == person.id }?.$investigator.id = twin.id!
        }
        for start in stride(from: 0, to: trials.count, by: 500) { try await Array(trials[start..<min(start + 500, trials.count)]).create(on: db) }
        for start in stride(from: 0, to: sites.count, by: 500) { try await Array(sites[start..<min(start + 500, sites.count)]).create(on: db) }
        try await TrialStore.insertInBulk(trials: [], sites: [], events: events, now: now, on: db)
        try await TrialStore.keepLoads(of: Set(all.compactMap(\.id)), on: db)
        try await Audit.record(
            "demo.trials", entityType: "trial", entityID: "*", before: nil,
            after: try Audit.json([
                "institutions": String(institutions.count), "investigators": String(all.count), "trials": String(trials.count),
                "sites": String(sites.count),
            ]), by: actor, on: db, at: now)
        return trials.count
    }

    private static func event(
        _ kind: TrialEventKind, trial: UUID, sequence: Int, on day: CivilDate, status: TrialStatus? = nil, site: UUID? = nil, by actor: AuditActor,
        at now: Date
    ) -> TrialEventRow {
        TrialEventRow(kind, trial: trial, sequence: sequence, on: day, status: status, site: site, recordedBy: actor.name, at: now)
    }
}
