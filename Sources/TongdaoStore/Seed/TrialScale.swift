import FluentKit
import Foundation
import TongdaoCore

/// A trial registry of national size for benchmarks (`tongdao seed --scale trials`), from a fixed
/// seed: by default 300 institutions, 20,000 investigators and 200,000 trials of the stored
/// enterprises with about 1,000,000 sites between them (one to nine a trial) and their timelines.
/// One trial in 25 is recruiting with its sites open, so a PI carries about two active sites and a
/// few hundred carry more than the standard threshold; the rest are closed or not yet started.
///
/// Rows go in bulk (`TrialStore.insertInBulk`), a batch of trials at a time, in one transaction;
/// the loads are counted once at the end, as `TrialStore.keepEveryLoad` counts them.
public enum TrialScale {
    public typealias Progress = @Sendable (_ step: String, _ done: Int, _ total: Int) -> Void

    public struct Size: Sendable {
        public var institutions = 300
        public var investigators = 20_000
        public var trials = 200_000

        public init(institutions: Int = 300, investigators: Int = 20_000, trials: Int = 200_000) {
            self.institutions = institutions
            self.investigators = investigators
            self.trials = trials
        }
    }

    public struct Summary: Sendable, Equatable {
        public var institutions = 0
        public var investigators = 0
        public var trials = 0
        public var sites = 0
        public var activeSites = 0
        public var events = 0
    }

    public enum Failure: Error, CustomStringConvertible {
        case noSponsors

        public var description: String { "没有可作为申办者的企业：请先载入演示数据（tongdao seed --demo）或全国规模数据（--scale national）" }
    }

    public static func generate(
        _ size: Size, today: CivilDate, now: Date, seed: UInt64 = DemoCity.seed &+ 91, batch: Int = 5_000, by actor: AuditActor,
        on database: any Database, progress: Progress? = nil
    ) async throws -> Summary {
        let sponsors = try await EnterpriseModel.query(on: database).sort(\.$id).limit(5_000).all()
        guard !sponsors.isEmpty else { throw Failure.noSponsors }
        return try await database.transaction { db in
            try await TrialStore.writingInBulk(if: size.trials >= 1_000, on: db) {
                var random = SplitMix64(seed: seed)
                var summary = Summary()
                let specialties = DemoTrials.specialties

                // Institutions, each filed for drugs and devices in every specialty.
                let institutions = try await writeInstitutions(
                    size.institutions, code: "SCALE-INST-", name: "规模测试医院", specialties: specialties, today: today, now: now, random: &random,
                    on: db)
                summary.institutions = institutions.count

                // Investigators, spread evenly over the institutions; all senior with earlier trials, so
                // every one qualifies for any trial (as `SiteQualification` would check).
                var staff: [[UUID]] = Array(repeating: [], count: institutions.count)
                var people: [InvestigatorModel] = []
                for number in 0..<size.investigators {
                    let model = InvestigatorModel()
                    model.id = TrialStore.newID(now: now)
                    let institution = number % institutions.count
                    model.$institution.id = institutions[institution].id!
                    model.name =
                        String(DemoTrials.surnames[Int.random(in: 0..<DemoTrials.surnames.count, using: &random)])
                        + String(DemoTrials.given[Int.random(in: 0..<DemoTrials.given.count, using: &random)])
                        + String(DemoTrials.given[Int.random(in: 0..<DemoTrials.given.count, using: &random)])
                    model.specialty = specialties[Int.random(in: 0..<specialties.count, using: &random)]
                    model.title = Bool.random(using: &random) ? "主任医师" : "副主任医师"
                    model.senior = true
                    model.earlierTrials = Int.random(in: 3...40, using: &random)
                    model.gcpTrainedOn = today.adding(days: -Int.random(in: 30...1_000, using: &random)).description
                    model.activeSites = 0
                    model.version = 1
                    staff[institution].append(model.id!)
                    people.append(model)
                }
                try await BulkInsert.run(InvestigatorModel.schema, columns: InvestigatorModel.insertColumns, count: people.count, on: db) {
                    [people] index in people[index].insertRow(now: now)
                }
                summary.investigators = people.count
                people.removeAll()

                // Trials and their sites, a batch at a time.
                var trials: [TrialModel] = [], sites: [TrialSiteRow] = [], events: [TrialEventRow] = []
                func event(_ kind: TrialEventKind, _ trial: UUID, _ sequence: Int, on day: CivilDate, status: TrialStatus? = nil, site: UUID? = nil)
                    -> TrialEventRow
                { TrialEventRow(kind, trial: trial, sequence: sequence, on: day, status: status, site: site, recordedBy: actor.name, at: now) }
                func flush() async throws {
                    try await TrialStore.insertInBulk(trials: trials, sites: sites, events: events, now: now, on: db)
                    summary.trials += trials.count
                    summary.sites += sites.count
                    summary.events += events.count
                    trials.removeAll(keepingCapacity: true)
                    sites.removeAll(keepingCapacity: true)
                    events.removeAll(keepingCapacity: true)
                    progress?("临床试验", summary.trials, size.trials)
                }
                for number in 0..<size.trials {
                    let sponsor = sponsors[number % sponsors.count]
                    let trial = TrialModel()
                    trial.id = TrialStore.newID(now: now)
                    let roll = number % 25
                    // One in 25 recruiting (open sites), one in 25 approved and not started, the rest closed.
                    let open = roll == 1, waiting = roll == 2
                    trial.kind = number % 10 < 7 ? .drug : .device
                    trial.deviceClass = trial.kind == .drug ? nil : .two
                    trial.innovative = false
                    trial.needsApproval = false
                    trial.phase =
                        trial.kind == .drug
                        ? [.phase1, .phase2, .phase3, .phase4, .bioequivalence][Int.random(in: 0..<5, using: &random)] : .notApplicable
                    // Numbers of the platforms' forms (as `TrialRegistrationNumber` checks), never the demo's.
                    trial.registrationNumber = trial.kind == .drug ? "CTR3\(String(10_000_000 + number))" : "械临备规模\(String(10_000_000 + number))"
                    trial.title = "规模测试\(trial.kind == .drug ? "药物" : "医疗器械")临床试验 \(number + 1) 号"
                    trial.$sponsor.id = try sponsor.requireID()
                    trial.uscc = sponsor.uscc
                    trial.district = sponsor.district
                    trial.park = sponsor.park
                    let approved = today.adding(
                        days: -(open || waiting ? Int.random(in: 40...300, using: &random) : Int.random(in: 700...3_000, using: &random)))
                    trial.approvedOn = approved.description
                    trial.pilot = false
                    let consent = approved.adding(days: 30)
                    trial.firstConsentOn = waiting ? nil : consent.description
                    trial.status = waiting ? .approved : open ? .recruiting : (number % 9 == 0 ? .terminated : .completed)
                    trial.version = 1
                    trials.append(trial)
                    events.append(event(.registered, trial.id!, 1, on: approved, status: trial.status))
                    var used: Set<Int> = []
                    for siteNumber in 0..<Int.random(in: 1...9, using: &random) {
                        let institution = Int.random(in: 0..<institutions.count, using: &random)
                        guard used.insert(institution).inserted, !staff[institution].isEmpty else { continue }
                        var site = TrialSiteRow(
                            trial: trial.id!, institution: institutions[institution].id!,
                            investigator: staff[institution][Int.random(in: 0..<staff[institution].count, using: &random)],
                            role: siteNumber == 0 ? .lead : .participating, now: now)
                        site.dates.ethicsApprovedOn = approved.adding(days: -10)
                        if !waiting {
                            site.dates.activatedOn = approved.adding(days: 20)
                            site.dates.firstSubjectOn = consent
                            site.targetEnrolment = Int.random(in: 20...300, using: &random)
                            site.actualEnrolment = open ? (site.targetEnrolment ?? 0) / 2 : site.targetEnrolment
                            if !open { site.dates.closedOn = approved.adding(days: 600) } else { summary.activeSites += 1 }
                        }
                        sites.append(site)
                        events.append(event(.siteAdded, trial.id!, used.count + 1, on: approved.adding(days: -10), site: site.id))
                    }
                    if trials.count >= batch { try await flush() }
                }
                try await flush()
                try await TrialStore.keepEveryLoad(on: db)
                try await Audit.record(
                    "seed.trials", entityType: "trial", entityID: "*", before: nil,
                    after: try Audit.json([
                        "institutions": String(summary.institutions), "investigators": String(summary.investigators),
                        "trials": String(summary.trials),
                        "sites": String(summary.sites),
                    ]), by: actor, on: db, at: now)
                return summary
            }
        }
    }

    /// Writes `count` active 三级甲等 institutions spread over the demo's districts, each filed for
    /// drugs and devices 7 to 11 years ago in every one of `specialties` (codes `code` + a serial from
    /// 10000, names 上海<区>`name`<n>号); returns them.
    static func writeInstitutions(
        _ count: Int, code: String, name: String, specialties: [String], today: CivilDate, now: Date, random: inout SplitMix64,
        on db: any Database
    ) async throws -> [TrialInstitutionModel] {
        var institutions: [TrialInstitutionModel] = [], specialtyRows: [TrialSpecialtyModel] = []
        for number in 0..<count {
            let model = TrialInstitutionModel()
            model.id = TrialStore.newID(now: now)
            let district = DemoTrials.districts[number % DemoTrials.districts.count]
            model.name = "上海\(DemoTrials.districtNames[district] ?? "")\(name)\(number + 1)号"
            model.code = "\(code)\(10_000 + number)"
            model.district = district
            model.province = "上海"
            model.grade = .tertiaryA
            let filed = today.adding(days: -Int.random(in: 2_500...4_000, using: &random))
            model.drugFilingNumber = "药临机构备字\(filed.components.year)S\(number)"
            model.drugFiledOn = filed.description
            model.deviceFilingNumber = "械临机构备\(filed.components.year)S\(number)"
            model.deviceFiledOn = filed.description
            model.status = .active
            model.version = 1
            institutions.append(model)
            for specialty in specialties {
                let row = TrialSpecialtyModel()
                row.id = TrialStore.newID(now: now)
                row.$institution.id = model.id!
                row.name = specialty
                row.filedOn = filed.description
                specialtyRows.append(row)
            }
        }
        try await BulkInsert.run(TrialInstitutionModel.schema, columns: TrialInstitutionModel.insertColumns, count: institutions.count, on: db) {
            [institutions] index in institutions[index].insertRow(now: now)
        }
        try await BulkInsert.run(TrialSpecialtyModel.schema, columns: TrialSpecialtyModel.insertColumns, count: specialtyRows.count, on: db) {
            [specialtyRows] index in specialtyRows[index].insertRow()
        }
        return institutions
    }
}
