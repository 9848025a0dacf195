import Foundation
import Testing
import TongdaoCore

@Suite("Matching a product to trial capacity: the fitting specialties, who is filtered out, the order and its words")
struct TrialMatchingTests {
    static let cardiac = TrialMatching.Need(
        category: .device, managementClass: .three, classificationCode: "03-13", keyAreas: [.cardiovascularImplant], innovative: true,
        stage: .clinical)

    /// Sites of a specialty, each activated `activation` days after its ethics approval; the
    /// participating ones approved `ethics` days after their lead site.
    static func sites(_ specialty: String, activation: [Int], ethics: [Int] = []) -> [SiteTimes.Sample] {
        let start = CivilDate("2026-01-05")!
        return activation.map { days in
            SiteTimes.Sample(
                specialty: specialty, lead: true, leadEthicsApprovedOn: nil, ethicsApprovedOn: start, activatedOn: start.adding(days: days))
        }
            + ethics.map { days in
                SiteTimes.Sample(
                    specialty: specialty, lead: false, leadEthicsApprovedOn: start, ethicsApprovedOn: start.adding(days: days), activatedOn: nil)
            }
    }

    static func institution(
        _ name: String, grade: HospitalGrade = .tertiaryA, deviceFiled: Bool = true, specialty: String = "心血管内科",
        people: [TrialMatching.Investigator] = [.init(specialty: "心血管内科", activeSites: 1, senior: true, earlierTrials: 8)],
        samples: [SiteTimes.Sample] = []
    ) -> TrialMatching.Institution {
        TrialMatching.Institution(
            id: UUID(), name: name, grade: grade, drugFiled: true, deviceFiled: deviceFiled,
            specialties: [.init(name: specialty, filedOn: "2020-03-01")],
            investigators: people, samples: samples)
    }

    @Test("the specialties are read from the classification sub-catalogue and the key areas; a Class I device or a later stage needs none")
    func need() {
        let need = Self.cardiac
        #expect(need.trial == SiteQualification.Trial(kind: .device, innovative: true, classThree: true))
        #expect(need.specialties == ["心血管内科", "心脏大血管外科", "神经外科", "神经内科"])
        #expect(need.basis == ["分类 03 神经和心血管手术器械", "重点领域 心血管植介入"])
        #expect(need.notApplicable == nil && need.fits("心血管内科") && !need.fits("眼科"))
        let drug = TrialMatching.Need(
            category: .drug, managementClass: .three, classificationCode: "03", keyAreas: [], innovative: false, stage: .guidance)
        #expect(
            drug.trial.kind == .drug && !drug.trial.classThree && drug.specialties.isEmpty && drug.fits("眼科"), "a drug names no specialty: any fits")
        let classOne = TrialMatching.Need(
            category: .device, managementClass: .one, classificationCode: "16", keyAreas: [], innovative: false, stage: .clinical)
        #expect(classOne.notApplicable == "第一类医疗器械实行备案管理，无需开展临床试验")
        let reviewed = TrialMatching.Need(
            category: .ivd, managementClass: .two, classificationCode: "22", keyAreas: [.molecularDiagnostics], innovative: false,
            stage: .technicalReview)
        #expect(reviewed.notApplicable == "产品已进入技术审评阶段，临床试验已完成" && reviewed.trial.kind == .ivd)
        #expect(reviewed.specialties == ["检验科", "病理科", "肿瘤科"])
        // Every sub-catalogue and key area has an entry.
        #expect(Set(TrialMatching.specialtiesBySubCatalogue.keys) == Set(ClassificationCode.subCatalogues.keys))
        #expect(Set(TrialMatching.specialtiesByKeyArea.keys) == Set(KeyArea.allCases))
    }

    @Test("institutions not filed for the kind, of too low a grade, without a fitting specialty or with every PI at the threshold are left out")
    func filtered() {
        let policy = PILoadPolicy(threshold: 5, effectiveFrom: "2026-01-01")
        let outcome = TrialMatching.rank(
            [
                Self.institution("甲医院"), Self.institution("未备案医院", deviceFiled: false), Self.institution("二乙医院", grade: .secondaryB),
                Self.institution("眼科医院", specialty: "眼科", people: [.init(specialty: "眼科", activeSites: 0, senior: true, earlierTrials: 9)]),
                Self.institution("满负荷医院", people: [.init(specialty: "心血管内科", activeSites: 5, senior: true, earlierTrials: 9)]),
                // A PI of another specialty does not count for this one.
                Self.institution("他科医院", people: [.init(specialty: "眼科", activeSites: 0, senior: true, earlierTrials: 9)]),
            ], for: Self.cardiac, policy: policy)
        #expect(outcome.matches.map(\.name) == ["甲医院"])
        #expect(outcome.full == ["他科医院", "满负荷医院"])
        // A higher threshold for the specialty frees the busy PI.
        var lenient = policy
        lenient.bySpecialty = ["心血管内科": 6]
        let freed = TrialMatching.rank(
            [Self.institution("满负荷医院", people: [.init(specialty: "心血管内科", activeSites: 5, senior: true, earlierTrials: 9)])], for: Self.cardiac,
            policy: lenient)
        #expect(freed.matches.map(\.available) == [1])
    }

    @Test("the order: a qualified PI, then 三级甲等 for Class III, then activation, then ethics; each rank says why in words")
    func order() {
        let policy = PILoadPolicy(threshold: 5, effectiveFrom: "2026-01-01")
        let junior = TrialMatching.Investigator(specialty: "心血管内科", activeSites: 0, senior: true, earlierTrials: 1)
        let outcome = TrialMatching.rank(
            [
                Self.institution("丁医院", people: [junior], samples: Self.sites("心血管内科", activation: [2])),
                Self.institution("丙医院", grade: .tertiaryB, samples: Self.sites("心血管内科", activation: [3])),
                Self.institution("乙医院", samples: Self.sites("心血管内科", activation: [20, 21, 19], ethics: [9])),
                Self.institution("甲医院", samples: Self.sites("心血管内科", activation: [10, 30, 11, 12], ethics: [4])),
                Self.institution("戊医院", samples: Self.sites("心血管内科", activation: [20, 20, 20], ethics: [8])),
            ], for: Self.cardiac, policy: policy)
        #expect(outcome.matches.map(\.name) == ["甲医院", "戊医院", "乙医院", "丙医院", "丁医院"])
        #expect(outcome.matches.map(\.rank) == [1, 2, 3, 4, 5])
        let first = outcome.matches[0]
        #expect(first.times.activationMedianDays == 11.5 && first.times.activationSites == 4 && first.qualified == 1)
        #expect(first.explanation.last == "排第 1 位，在第 2 位之前：中心启动用时中位 11.5 日，短于戊医院（20 日）。")
        #expect(first.explanation[0] == "备案专业 心血管内科（2020-03-01 备案），与产品的分类 03 神经和心血管手术器械、重点领域 心血管植介入相适配。")
        #expect(outcome.matches[1].explanation.last == "排第 2 位，在第 3 位之前：启动用时相同，伦理审查用时中位 8 日，短于乙医院（9 日）。")
        #expect(outcome.matches[2].explanation.last == "排第 3 位，在第 4 位之前：为三级甲等医院，丙医院不是。")
        #expect(outcome.matches[3].explanation.contains("本机构为三级乙等医院：第三类产品的临床试验如需审批，应在三级甲等医疗机构开展。"))
        #expect(outcome.matches[3].explanation.last == "排第 4 位，在第 5 位之前：有符合本试验要求的主要研究者可承接，丁医院没有。")
        let last = outcome.matches[4]
        #expect(last.qualified == 0 && last.available == 1)
        #expect(last.explanation.last == "排第 5 位（末位），在第 4 位之后：丙医院有符合本试验要求的主要研究者可承接，丁医院没有。")
        #expect(last.explanation[1].contains("1 名在研项目低于负荷阈值（5 项），其中 0 名符合本试验对主要研究者的要求（具有高级职称，参加过 3 项以上临床试验）"))
    }

    @Test("without dated sites in the fitting specialties the institution's own medians stand in, and say so")
    func overall() {
        var place = Self.institution("甲医院", samples: Self.sites("眼科", activation: [7]))
        place.overall = SiteTimes.Summary(Self.sites("眼科", activation: [7]))
        let outcome = TrialMatching.rank([place], for: Self.cardiac, policy: PILoadPolicy(threshold: 5, effectiveFrom: "2026-01-01"))
        #expect(outcome.matches.first?.overallTimes == true && outcome.matches.first?.times.activationMedianDays == 7)
        #expect(outcome.matches.first?.explanation[2].hasPrefix("适配专业尚无可计的中心，按机构全部中心计：中心启动用时中位 7 日（1 个中心）") == true)
    }

    @Test("the last closed inspection of the trial's kind ranks before the times: compliant, then none, then not compliant; said in words")
    func inspection() {
        let policy = PILoadPolicy(threshold: 5, effectiveFrom: "2026-01-01")
        func closed(_ day: String, _ conclusion: InspectionConclusion, _ types: [InspectionType] = [.deviceTrialInstitution])
            -> TrialMatching.Inspected
        {
            TrialMatching.Inspected(closedOn: CivilDate(day)!, types: types, conclusion: conclusion)
        }
        var quick = Self.institution("甲医院", samples: Self.sites("心血管内科", activation: [5]))
        // Compliant once, then not compliant at the last device inspection; a later drug inspection does not speak to it.
        quick.inspections = [
            closed("2025-04-01", .compliant), closed("2026-03-12", .nonCompliant), closed("2026-09-01", .compliant, [.drugTrialInstitution]),
        ]
        let unseen = Self.institution("乙医院", samples: Self.sites("心血管内科", activation: [30]))
        var slow = Self.institution("丙医院", samples: Self.sites("心血管内科", activation: [60]))
        slow.inspections = [closed("2026-05-20", .compliant, [.newFiling, .deviceTrialInstitution])]
        let outcome = TrialMatching.rank([quick, unseen, slow], for: Self.cardiac, policy: policy)
        #expect(outcome.matches.map(\.name) == ["丙医院", "乙医院", "甲医院"])
        #expect(outcome.matches[0].lastInspection == closed("2026-05-20", .compliant, [.newFiling, .deviceTrialInstitution]))
        #expect(outcome.matches[2].lastInspection?.closedOn == CivilDate("2026-03-12"))
        #expect(outcome.matches[1].lastInspection == nil)
        #expect(outcome.matches[0].explanation.contains("最近一次检查（2026-05-20 结案，新备案（新增专业）现场检查、医疗器械临床试验机构监督检查）结论为符合要求。"))
        #expect(outcome.matches[1].explanation.contains("尚无已结案的医疗器械临床试验机构检查记录。"))
        #expect(outcome.matches[0].explanation.last == "排第 1 位，在第 2 位之前：最近一次检查结论为符合要求（2026-05-20 结案），乙医院尚无已结案检查。")
        #expect(outcome.matches[1].explanation.last == "排第 2 位，在第 3 位之前：尚无已结案检查，甲医院最近一次检查结论为不符合要求（2026-03-12 结案）。")
        #expect(outcome.matches[2].explanation.last == "排第 3 位（末位），在第 2 位之后：乙医院尚无已结案检查，甲医院最近一次检查结论为不符合要求（2026-03-12 结案）。")
        // For a drug trial the drug inspection is the one that speaks, and 甲医院 leads on its time.
        let drug = TrialMatching.Need(
            category: .drug, managementClass: .three, classificationCode: nil, keyAreas: [], innovative: false, stage: .clinical)
        #expect(TrialMatching.rank([quick, unseen], for: drug, policy: policy).matches.map(\.name) == ["甲医院", "乙医院"])
        // Two closed on one day: the worse stands.
        var twice = quick
        twice.inspections = [closed("2026-03-12", .compliant), closed("2026-03-12", .nonCompliant)]
        #expect(twice.lastInspection(for: .device)?.conclusion == .nonCompliant)
    }
}
