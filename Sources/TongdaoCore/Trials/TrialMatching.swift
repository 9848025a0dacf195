import Foundation

/// Matching a product to the city's trial capacity (临床试验加速器: “实现专业适配…缩短临床试验评价启动时间”):
/// the institutions filed for the product's kind of trial that hold a specialty fitting its
/// classification and key areas, and have an investigator in it under the load threshold, ranked by
/// how quickly they take trials on, each rank explained in words.
///
/// The ranking, first key first (each match says which key put it ahead of the next):
/// 1. an investigator who meets the trial's PI rules (`SiteQualification`) is free to take it;
/// 2. for a Class III product, a 三级甲等 hospital (a trial that needs approval runs only there);
/// 3. the conclusion of its last closed inspection of the trial's kind (`Inspected`): compliant
///    first, then none yet, then not compliant;
/// 4. the median activation time of the sites in the fitting specialties (`SiteTimes`), shorter first;
/// 5. their median ethics review time, shorter first;
/// 6. more qualified investigators free; 7. more investigators free; 8. the name.
public enum TrialMatching {
    /// The specialties (as institutions file them) that fit each sub-catalogue of the device
    /// classification catalogue (医疗器械分类目录), by its two-digit code.
    public static let specialtiesBySubCatalogue: [String: [String]] = [
        "01": ["普通外科", "泌尿外科", "神经外科"], "02": ["普通外科", "骨科"], "03": ["心血管内科", "心脏大血管外科", "神经外科", "神经内科"],
        "04": ["骨科"], "05": ["肿瘤科", "放射治疗科"], "06": ["医学影像科", "核医学科"], "07": ["心血管内科", "重症医学科", "神经内科"],
        "08": ["呼吸内科", "麻醉科", "重症医学科", "急诊科"], "09": ["康复医学科", "骨科"], "10": ["肾内科", "心脏大血管外科", "重症医学科"],
        "11": [], "12": ["心血管内科", "神经外科", "耳鼻咽喉科"], "13": ["骨科", "心血管内科", "普通外科"], "14": ["普通外科", "重症医学科"],
        "15": [], "16": ["眼科"], "17": ["口腔科"], "18": ["妇产科"], "19": ["康复医学科", "骨科"], "20": ["中医科"], "21": ["医学影像科"],
        "22": ["检验科", "病理科"],
    ]

    /// The specialties that fit each key area.
    public static let specialtiesByKeyArea: [KeyArea: [String]] = [
        .ai: ["医学影像科"], .surgicalRobot: ["普通外科", "骨科", "泌尿外科", "神经外科"], .brainComputerInterface: ["神经内科", "神经外科", "康复医学科"],
        .particleTherapy: ["肿瘤科", "放射治疗科"], .highEndImaging: ["医学影像科", "核医学科"], .cardiovascularImplant: ["心血管内科", "心脏大血管外科"],
        .tcmDevice: ["中医科"], .molecularDiagnostics: ["检验科", "病理科", "肿瘤科"], .rehabilitation: ["康复医学科", "骨科"],
        .lifeSupport: ["重症医学科", "麻醉科", "急诊科"], .other: [],
    ]

    /// What a product's trial needs: its kind and rules, and the specialties that fit it.
    public struct Need: Sendable, Hashable {
        public var trial: SiteQualification.Trial
        /// The fitting specialties, in the order their sources list them; empty when nothing in the
        /// product names one (every filed specialty is then taken).
        public var specialties: [String]
        /// What the fit is read from, in words (“分类 03 神经和心血管手术器械”, “重点领域 心血管植介入”).
        public var basis: [String]
        /// Why the product needs no matching (nil when it does): a Class I device, or a stage past the trials.
        public var notApplicable: String?

        public init(
            category: ProductCategory, managementClass: ManagementClass, classificationCode: String?, keyAreas: [KeyArea], innovative: Bool,
            stage: DevelopmentStage
        ) {
            let kind: TrialKind = category == .drug ? .drug : category == .ivd ? .ivd : .device
            let classThree = kind != .drug && managementClass == .three
            trial = SiteQualification.Trial(kind: kind, innovative: innovative, classThree: classThree)
            var specialties: [String] = [], basis: [String] = []
            if kind != .drug, let code = classificationCode?.split(separator: "-").first.map(String.init),
                let fitting = specialtiesBySubCatalogue[code], !fitting.isEmpty
            {
                specialties += fitting
                basis.append("分类 \(code) \(ClassificationCode.subCatalogues[code] ?? "")")
            }
            for area in keyAreas {
                guard let fitting = specialtiesByKeyArea[area], !fitting.isEmpty else { continue }
                specialties += fitting
                basis.append("重点领域 \(area.label)")
            }
            self.specialties = specialties.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
            self.basis = basis
            if kind != .drug, managementClass == .one {
                notApplicable = "第一类医疗器械实行备案管理，无需开展临床试验"
            } else if ![.intention, .guidance, .typeTesting, .clinical].contains(stage) {
                notApplicable = "产品已进入\(stage.label)阶段，临床试验已完成"
            } else {
                notApplicable = nil
            }
        }

        /// Whether a filed specialty fits.
        public func fits(_ specialty: String) -> Bool { specialties.isEmpty || specialties.contains(specialty) }
    }

    /// A filed specialty of an institution.
    public struct Filed: Sendable, Equatable, Codable {
        public var name: String
        public var filedOn: String

        public init(name: String, filedOn: String) {
            self.name = name
            self.filedOn = filedOn
        }
    }

    /// An investigator in a fitting specialty, as the ranking counts them.
    public struct Investigator: Sendable, Equatable {
        public var specialty: String
        public var activeSites: Int
        public var senior: Bool
        public var earlierTrials: Int
        /// Active sites in the phases the policy limits.
        public var phaseLoads: [TrialPhase: Int]

        public init(specialty: String, activeSites: Int, senior: Bool, earlierTrials: Int, phaseLoads: [TrialPhase: Int] = [:]) {
            self.specialty = specialty
            self.activeSites = activeSites
            self.senior = senior
            self.earlierTrials = earlierTrials
            self.phaseLoads = phaseLoads
        }
    }

    /// A closed inspection of an institution: when it closed, what it inspected and its conclusion.
    public struct Inspected: Sendable, Equatable {
        public var closedOn: CivilDate
        public var types: [InspectionType]
        public var conclusion: InspectionConclusion

        public init(closedOn: CivilDate, types: [InspectionType], conclusion: InspectionConclusion) {
            self.closedOn = closedOn
            self.types = types
            self.conclusion = conclusion
        }

        /// Whether it inspected what a trial of `kind` needs: every inspection but one only of the
        /// other kind's institution filing (a device inspection says nothing of the drug trials).
        public func speaks(to kind: TrialKind) -> Bool {
            let other: InspectionType = kind == .drug ? .deviceTrialInstitution : .drugTrialInstitution
            return !types.allSatisfy { $0 == other }
        }

        /// Its place in the ranking: compliant 0, none 1, not compliant 2 (a conclusion still to be
        /// judged after rectification stands with none).
        static func tier(_ inspected: Inspected?) -> Int {
            switch inspected?.conclusion {
            case .compliant: 0
            case .nonCompliant: 2
            case .rectify, nil: 1
            }
        }

        /// In words: “最近一次检查（2026-03-12 结案，药物临床试验机构监督检查）结论为符合要求”.
        var text: String {
            "最近一次检查（\(closedOn) 结案，\(types.map(\.label).joined(separator: "、"))）结论为\(conclusion.label)"
        }
    }

    /// An institution as the ranking reads it.
    public struct Institution: Sendable, Equatable {
        public var id: UUID
        public var name: String
        public var grade: HospitalGrade
        public var drugFiled: Bool
        public var deviceFiled: Bool
        public var specialties: [Filed]
        /// Its investigators in the fitting specialties (not merged into another record).
        public var investigators: [Investigator]
        /// The dates of its sites whose PI is in a fitting specialty.
        public var samples: [SiteTimes.Sample]
        /// The medians of all its sites, taken when none is in a fitting specialty.
        public var overall: SiteTimes.Summary?
        /// Its closed inspections, in any order.
        public var inspections: [Inspected]

        public init(
            id: UUID, name: String, grade: HospitalGrade, drugFiled: Bool, deviceFiled: Bool, specialties: [Filed], investigators: [Investigator],
            samples: [SiteTimes.Sample], overall: SiteTimes.Summary? = nil, inspections: [Inspected] = []
        ) {
            self.id = id
            self.name = name
            self.grade = grade
            self.drugFiled = drugFiled
            self.deviceFiled = deviceFiled
            self.specialties = specialties
            self.investigators = investigators
            self.samples = samples
            self.overall = overall
            self.inspections = inspections
        }

        /// Its last closed inspection that speaks to a trial of `kind` (of two closed on one day,
        /// the worse conclusion).
        public func lastInspection(for kind: TrialKind) -> Inspected? {
            inspections.filter { $0.speaks(to: kind) }.max { a, b in
                a.closedOn != b.closedOn ? a.closedOn < b.closedOn : Inspected.tier(a) < Inspected.tier(b)
            }
        }
    }

    /// A ranked institution and why it stands where it does.
    public struct Match: Sendable, Equatable {
        public var rank: Int
        public var institutionID: UUID
        public var name: String
        public var grade: HospitalGrade
        /// Its filed specialties that fit.
        public var specialties: [Filed]
        /// Investigators in those specialties; those under the load threshold; those of them who
        /// also meet the trial's PI rules.
        public var investigators: Int
        public var available: Int
        public var qualified: Int
        /// The medians of its sites in the fitting specialties (of all its sites when `overallTimes`).
        public var times: SiteTimes.Summary
        public var overallTimes: Bool
        /// Its last closed inspection of the trial's kind; nil when it has none.
        public var lastInspection: Inspected?
        /// The rank explained: the facts, then why it stands ahead of the next (or behind the one before).
        public var explanation: [String]
    }

    /// The ranking of every institution for a need, under a load policy.
    public struct Outcome: Sendable, Equatable {
        public var need: Need
        public var matches: [Match]
        /// Institutions filed for the trial's kind that hold a fitting specialty but have no
        /// investigator in it under the threshold, by name.
        public var full: [String]
    }

    /// Ranks `institutions` for `need`: those filed for its kind (and of a grade that may run a
    /// device trial) holding a fitting specialty with an investigator under the threshold; none
    /// for a product that needs no trial.
    public static func rank(_ institutions: [Institution], for need: Need, policy: PILoadPolicy) -> Outcome {
        guard need.notApplicable == nil else { return Outcome(need: need, matches: [], full: []) }
        var candidates: [Candidate] = [], full: [String] = []
        // The institution's own rules first, with an investigator who meets every rule.
        let anyone = SiteQualification.Investigator(senior: true, earlierTrials: .max)
        for institution in institutions {
            let place = SiteQualification.Institution(
                grade: institution.grade, drugFiled: institution.drugFiled, deviceFiled: institution.deviceFiled)
            guard SiteQualification.problems(need.trial, investigator: anyone, institution: place).isEmpty else { continue }
            let held = institution.specialties.filter { need.fits($0.name) }
            guard !held.isEmpty else { continue }
            let names = Set(held.map(\.name))
            let people = institution.investigators.filter { names.contains($0.specialty) }
            let free = people.filter { !policy.isOverloaded($0.activeSites + 1, specialty: $0.specialty, phaseLoads: $0.phaseLoads) }
            guard !free.isEmpty else {
                full.append(institution.name)
                continue
            }
            let qualified = free.filter {
                SiteQualification.problems(
                    need.trial, investigator: .init(senior: $0.senior, earlierTrials: $0.earlierTrials), institution: place
                ).allSatisfy { $0.field != "investigatorId" }
            }
            let samples = institution.samples.filter { names.contains($0.specialty) }
            let own = SiteTimes.Summary(samples)
            let useOverall = own.activationSites == 0 && own.ethicsSites == 0 && institution.overall != nil
            candidates.append(
                Candidate(
                    institution: institution, held: held, investigators: people.count, available: free.count, qualified: qualified.count,
                    times: useOverall ? institution.overall! : own, overallTimes: useOverall,
                    lastInspection: institution.lastInspection(for: need.trial.kind),
                    threshold: held.map { policy.threshold(specialty: $0.name) }.min() ?? policy.threshold))
        }
        candidates.sort { a, b in Key.allCases.lazy.compactMap { $0.order(a, b, need) }.first ?? false }
        let matches = candidates.enumerated().map { index, candidate in
            var explanation = candidate.facts(need: need)
            if index + 1 < candidates.count {
                explanation.append(ahead(of: candidates[index + 1], candidate, rank: index + 1, need: need))
            } else if index > 0 {
                explanation.append(behind(candidates[index - 1], candidate, rank: index + 1, need: need))
            }
            return Match(
                rank: index + 1, institutionID: candidate.institution.id, name: candidate.institution.name, grade: candidate.institution.grade,
                specialties: candidate.held, investigators: candidate.investigators, available: candidate.available, qualified: candidate.qualified,
                times: candidate.times, overallTimes: candidate.overallTimes, lastInspection: candidate.lastInspection,
                explanation: explanation)
        }
        return Outcome(need: need, matches: matches, full: full.sorted())
    }

    struct Candidate {
        var institution: Institution
        var held: [Filed]
        var investigators: Int
        var available: Int
        var qualified: Int
        var times: SiteTimes.Summary
        var overallTimes: Bool
        var lastInspection: Inspected?
        var threshold: Int

        func facts(need: Need) -> [String] {
            let specialties = held.map { "\($0.name)（\($0.filedOn) 备案）" }.joined(separator: "、")
            var facts = [
                need.specialties.isEmpty
                    ? "备案专业 \(specialties)；产品未标明适配的专业，机构的备案专业均纳入比较。"
                    : "备案专业 \(specialties)，与产品的\(need.basis.joined(separator: "、"))相适配。",
                "这些专业的 \(investigators) 名主要研究者中，\(available) 名在研项目低于负荷阈值（\(threshold) 项），其中 \(qualified) 名符合本试验对主要研究者的要求（\(need.trial.ruleText)）。",
            ]
            let scope = overallTimes ? "适配专业尚无可计的中心，按机构全部中心计：" : ""
            let activation = times.activationMedianDays.map { "中心启动用时中位 \(SiteTimes.text($0)) 日（\(times.activationSites) 个中心）" } ?? "尚无中心启动用时记录"
            let ethics = times.ethicsMedianDays.map { "伦理审查用时中位 \(SiteTimes.text($0)) 日（\(times.ethicsSites) 个参加单位中心）" } ?? "尚无伦理审查用时记录"
            facts.append("\(scope)\(activation)，\(ethics)。")
            facts.append(lastInspection.map { "\($0.text)。" } ?? "尚无已结案的\(need.trial.kind.label)临床试验机构检查记录。")
            if need.trial.classThree, institution.grade != .tertiaryA {
                facts.append("本机构为\(institution.grade.label)医院：第三类产品的临床试验如需审批，应在三级甲等医疗机构开展。")
            }
            return facts
        }
    }

    /// The keys of the ranking, first first; `order` is nil when the key does not tell two apart,
    /// true when `a` comes first.
    enum Key: CaseIterable {
        case qualified, grade, inspection, activation, ethics, moreQualified, moreAvailable, name

        func order(_ a: Candidate, _ b: Candidate, _ need: Need) -> Bool? {
            func differ<T: Comparable>(_ x: T, _ y: T, smallerFirst: Bool) -> Bool? { x == y ? nil : (x < y) == smallerFirst }
            func median(_ x: Double?, _ y: Double?) -> Bool? {
                switch (x, y) {
                case (nil, nil): nil
                case (.some, nil): true
                case (nil, .some): false
                case (.some(let x), .some(let y)): differ(x, y, smallerFirst: true)
                }
            }
            switch self {
            case .qualified: return differ(a.qualified > 0 ? 0 : 1, b.qualified > 0 ? 0 : 1, smallerFirst: true)
            case .grade:
                guard need.trial.classThree else { return nil }
                return differ(a.institution.grade == .tertiaryA ? 0 : 1, b.institution.grade == .tertiaryA ? 0 : 1, smallerFirst: true)
            case .inspection: return differ(Inspected.tier(a.lastInspection), Inspected.tier(b.lastInspection), smallerFirst: true)
            case .activation: return median(a.times.activationMedianDays, b.times.activationMedianDays)
            case .ethics: return median(a.times.ethicsMedianDays, b.times.ethicsMedianDays)
            case .moreQualified: return differ(a.qualified, b.qualified, smallerFirst: false)
            case .moreAvailable: return differ(a.available, b.available, smallerFirst: false)
            case .name: return a.institution.name == b.institution.name ? nil : a.institution.name < b.institution.name
            }
        }

        /// Why `a` stands ahead of `b` under this key, in words.
        func reason(_ a: Candidate, _ b: Candidate) -> String {
            func medianText(_ value: Double?) -> String { value.map { "\(SiteTimes.text($0)) 日" } ?? "无记录" }
            switch self {
            case .qualified: return "有符合本试验要求的主要研究者可承接，\(b.institution.name)没有"
            case .grade: return "为三级甲等医院，\(b.institution.name)不是"
            case .inspection:
                let (mine, theirs) = (a.lastInspection, b.lastInspection)
                guard let mine else {
                    return "尚无已结案检查，\(b.institution.name)最近一次检查结论为\(theirs?.conclusion.label ?? "")（\(theirs?.closedOn.description ?? "") 结案）"
                }
                return "最近一次检查结论为\(mine.conclusion.label)（\(mine.closedOn) 结案），\(b.institution.name)"
                    + (theirs.map { "为\($0.conclusion.label)（\($0.closedOn) 结案）" } ?? "尚无已结案检查")
            case .activation:
                return "中心启动用时中位 \(medianText(a.times.activationMedianDays))，短于\(b.institution.name)（\(medianText(b.times.activationMedianDays))）"
            case .ethics:
                return "启动用时相同，伦理审查用时中位 \(medianText(a.times.ethicsMedianDays))，短于\(b.institution.name)（\(medianText(b.times.ethicsMedianDays))）"
            case .moreQualified: return "用时相同，可承接且符合要求的主要研究者 \(a.qualified) 名，多于\(b.institution.name)（\(b.qualified) 名）"
            case .moreAvailable: return "用时相同，负荷低于阈值的主要研究者 \(a.available) 名，多于\(b.institution.name)（\(b.available) 名）"
            case .name: return "各项条件与\(b.institution.name)相同，按名称排序"
            }
        }
    }

    static func decisive(_ a: Candidate, _ b: Candidate, _ need: Need) -> Key {
        Key.allCases.first { $0.order(a, b, need) != nil } ?? .name
    }

    static func ahead(of next: Candidate, _ candidate: Candidate, rank: Int, need: Need) -> String {
        "排第 \(rank) 位，在第 \(rank + 1) 位之前：\(decisive(candidate, next, need).reason(candidate, next))。"
    }

    static func behind(_ previous: Candidate, _ candidate: Candidate, rank: Int, need: Need) -> String {
        "排第 \(rank) 位（末位），在第 \(rank - 1) 位之后：\(previous.institution.name)\(decisive(previous, candidate, need).reason(previous, candidate))。"
    }
}

extension SiteQualification.Trial {
    /// The PI rules of such a trial, in words.
    var ruleText: String {
        needsExperience ? "具有高级职称，参加过 \(SiteQualification.leastEarlierTrials) 项以上临床试验" : "具有高级职称"
    }
}
