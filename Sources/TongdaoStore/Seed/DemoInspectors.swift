import FluentKit
import Foundation
import TongdaoCore

/// The demo city's inspector corps at its real size (DOMAIN.md §10): 1,062 inspectors in the pool,
/// 469 for devices of whom 58 full-time (and a few who left it), with their employments (part-timers at the demo city's hospitals,
/// testing institutes and a few of its enterprises, so that some inspections meet a conflict of
/// interest), a few declared ties, and this year's and last year's trainings. The demo account
/// `inspector` is the first of them, a full-time device lead.
public enum DemoInspectors {
    public static let total = 1_062
    public static let device = 469
    public static let deviceFullTime = 58
    /// Inspectors who left the pool, kept for the inspections they took part in.
    public static let left = 8
    /// Full-time drug inspectors (the corps' own figure is for devices; this one is the demo's).
    static let drugFullTime = 96

    static let courses = [
        ("医疗器械生产质量管理规范及附录培训", 160), ("药物临床试验质量管理规范（GCP）检查要点", 120), ("检查员精品培训班", 320),
        ("医疗器械注册质量管理体系核查指南解读", 60), ("药物警戒质量管理规范（GVP）培训", 80), ("长三角检查员交叉培训", 160),
        ("无菌和植入性医疗器械检查要点", 35), ("数据可靠性与计算机化系统检查", 60),
    ]
    static let testingInstitutes = [
        PartyRef(name: "上海市医疗器械检验研究院"), PartyRef(name: "上海市食品药品检验研究院"), PartyRef(name: "上海市药品和医疗器械不良反应监测中心"),
        PartyRef(name: "上海交通大学医学院"), PartyRef(name: "复旦大学药学院"),
    ]
    static let bureau = PartyRef(name: "上海市药品监督管理局", uscc: USCC.completing("11310000MB2F3188X"))

    /// The profiles, the one of index 0 linked to the demo account by the caller.
    public static func profiles(today: CivilDate, institutions: [String], enterprises: [PartyRef], seed: UInt64 = DemoCity.seed)
        -> [InspectorProfile]
    {
        var random = SplitMix64(seed: seed &+ 31)
        let surnames = DemoTrials.surnames, given = DemoTrials.given
        var profiles: [InspectorProfile] = []
        for index in 0..<(total + left) {
            let isDevice = index < device || (index >= total && index % 2 == 0)
            let fullTime = isDevice ? index < deviceFullTime : index - device < drugFullTime
            var categories: [InspectorCategory] = [isDevice ? .device : .drug]
            // Some device inspectors inspect drugs too (the device corps is counted as the city counts it).
            if isDevice, index % 11 == 5 { categories.append(.drug) }
            let specialties: [InspectionSpecialty] =
                isDevice
                ? [.deviceQMS] + (index % 4 == 1 ? [.deviceGCP] : []) + (index % 9 == 2 ? [.deviceVigilance] : [])
                : [[.gcp], [.gmp], [.gcp, .pharmacovigilance], [.gsp], [.gmp, .glp], [.gcp]][index % 6]
            let name =
                String(surnames[Int.random(in: 0..<surnames.count, using: &random)]) + String(given[Int.random(in: 0..<given.count, using: &random)])
                + (Bool.random(using: &random) ? String(given[Int.random(in: 0..<given.count, using: &random)]) : "")
            var employments: [InspectorEmployment] = []
            let joined = today.adding(days: -Int.random(in: 700...7_000, using: &random))
            if fullTime {
                employments.append(InspectorEmployment(employer: bureau, from: joined))
                // Some full-timers came from industry within the last few years.
                if index % 13 == 3, let firm = enterprises.isEmpty ? nil : enterprises[index % enterprises.count] {
                    employments.insert(
                        InspectorEmployment(employer: firm, from: joined.adding(days: -2_000), to: joined.adding(days: -1)), at: 0)
                }
            } else if specialties.contains(.gcp) || specialties.contains(.deviceGCP), !institutions.isEmpty {
                // Part-time GCP inspectors are clinicians at the city's hospitals.
                employments.append(InspectorEmployment(employer: PartyRef(name: institutions[index % institutions.count]), from: joined))
            } else {
                employments.append(InspectorEmployment(employer: testingInstitutes[index % testingInstitutes.count], from: joined))
                if index % 17 == 4, !enterprises.isEmpty {
                    let left = today.adding(days: -Int.random(in: 200...1_800, using: &random))
                    employments.insert(
                        InspectorEmployment(employer: enterprises[(index / 17) % enterprises.count], from: left.adding(days: -1_500), to: left),
                        at: 0)
                }
            }
            var relationships: [InspectorRelationship] = []
            if index % 53 == 7, !enterprises.isEmpty {
                relationships.append(
                    InspectorRelationship(
                        party: enterprises[(index / 53) % enterprises.count], kind: index % 2 == 0 ? .family : .consulting,
                        declaredOn: today.adding(days: -Int.random(in: 30...600, using: &random)),
                        note: index % 2 == 0 ? "配偶在该企业任质量负责人" : "曾为其提供注册申报咨询"))
            }
            let trainings = (0..<Int.random(in: 1...4, using: &random)).map { number in
                let (course, tenths) = courses[(index + number * 3) % courses.count]
                return InspectorTraining(on: today.adding(days: -Int.random(in: 5...700, using: &random)), course: course, tenthsOfHours: tenths)
            }.sorted { $0.on < $1.on }
            profiles.append(
                InspectorProfile(
                    name: index == 0 ? "陈刚" : name, categories: categories, specialties: specialties, fullTime: fullTime,
                    rank: index == 0 || index % 7 == 0 ? .lead : .member,
                    capacityDays: fullTime ? Int.random(in: 180...220, using: &random) : Int.random(in: 15...60, using: &random),
                    active: index < total, employments: employments, relationships: relationships, trainings: trainings))
        }
        return profiles
    }

    /// Writes the corps (inside the demo's transaction), the first linked to `userID`.
    public static func generate(today: CivilDate, now: Date, linking userID: UUID?, on db: any Database) async throws -> Int {
        let institutions = try await TrialInstitutionModel.query(on: db).sort(\.$code).all().map(\.name)
        let enterprises = DemoData.enterprises.map { PartyRef(name: $0.name, uscc: $0.uscc) }
        let profiles = Self.profiles(today: today, institutions: institutions, enterprises: enterprises)
        try await InspectorStore.insertInBulk(profiles.enumerated().map { ($1, $0 == 0 ? userID : nil) }, now: now, on: db)
        return profiles.count
    }
}
