import Foundation
import Testing
import TongdaoCore

@Suite("Roles and scopes")
struct RoleScopeTests {
    @Test(
        "scopes parse from their text form and print back the same",
        arguments: [
            "city", "district:310115", "park:zhangjiang", "station:pudong-1", "enterprise:9131000013221158XC", "province:JS", "province:ZJ",
            "province:AH",
        ])
    func roundTrip(text: String) throws {
        #expect(try Scope.parse(text).description == text)
    }

    @Test(
        "malformed scopes are refused with a reason",
        arguments: [
            "", "City", "district", "district:", "district:320115", "district:31011", "park:Zhang Jiang", "enterprise:123",
            "enterprise:9131000013221158XA", "province:31", "city:310000", "province:SH", "province:js", "province:FJ", "province:",
        ])
    func refused(text: String) {
        #expect(throws: Scope.Problem.self) { try Scope.parse(text) }
    }

    @Test("every role has a scope kind; officers' scopes follow the tree")
    func roles() {
        #expect(Role.allCases.count == 12)
        #expect(Role.partnerRegulator.scopeKind == .province && Role(rawValue: "partner_regulator") == .partnerRegulator)
        #expect(Role.healthOfficer.scopeKind == .city)
        #expect(Role.trialInstitutionOfficer.scopeKind == .institution)
        #expect(Role(rawValue: "city_admin") == .cityAdmin)
        #expect(Role.districtOfficer.scopeKind == .district)
        #expect(Role.parkOfficer.scopeKind == .park)
        #expect(Role.enterpriseUser.scopeKind == .enterprise)
        #expect(Role.industryOfficer.scopeKind == .city)
    }

    @Test("only city_admin may publish a calendar year, change procedures or manage users; audit is the regulator's")
    func matrix() {
        for role in Role.allCases {
            #expect(AccessPolicy.allows(role, .writeCalendarYear) == (role == .cityAdmin), "\(role)")
            #expect(AccessPolicy.allows(role, .writeProcedure) == (role == .cityAdmin), "\(role)")
            #expect(AccessPolicy.allows(role, .manageUsers) == (role == .cityAdmin), "\(role)")
            #expect(AccessPolicy.allows(role, .readAudit) == [.cityAdmin, .cityRegulator].contains(role), "\(role)")
            #expect(
                AccessPolicy.allows(role, .readEnterprises) == ![.healthOfficer, .partnerRegulator].contains(role),
                "every role but the health commission and the partner provinces reads enterprises, within its scope: \(role)")
            #expect(
                AccessPolicy.allows(role, .writeEnterprises)
                    == [.cityAdmin, .cityRegulator, .districtOfficer, .parkOfficer, .enterpriseUser].contains(role), "\(role)")
            #expect(
                AccessPolicy.allows(role, .readConfidentialReview) == [.cityAdmin, .cityRegulator, .reviewer, .inspector].contains(role),
                "\(role)")
            #expect(AccessPolicy.allows(role, .writeApplications) == [.cityAdmin, .cityRegulator, .reviewer].contains(role), "\(role)")
            #expect(AccessPolicy.allows(role, .recordInspections) == [.cityAdmin, .cityRegulator, .reviewer, .inspector].contains(role), "\(role)")
            #expect(!AccessPolicy.allows(role, .runDigest), "the digest is the platform's job, no user's: \(role)")
            #expect(
                AccessPolicy.allows(role, .readTrials) == (role != .partnerRegulator),
                "every role of the city reads trials, within its scope: \(role)")
            #expect(
                AccessPolicy.allows(role, .writeTrials) == [.cityAdmin, .cityRegulator, .enterpriseUser, .trialInstitutionOfficer].contains(role),
                "\(role)")
            #expect(
                AccessPolicy.allows(role, .writeTrialRegistry) == [.cityAdmin, .cityRegulator, .trialInstitutionOfficer].contains(role), "\(role)")
            #expect(
                AccessPolicy.allows(role, .readPILoad)
                    == [.cityAdmin, .cityRegulator, .reviewer, .inspector, .trialInstitutionOfficer].contains(role),
                "\(role)")
            #expect(AccessPolicy.allows(role, .assessTrialWarnings) == [.cityAdmin, .cityRegulator].contains(role), "\(role)")
            #expect(AccessPolicy.allows(role, .readInspectors) == [.cityAdmin, .cityRegulator, .inspector].contains(role), "\(role)")
            #expect(AccessPolicy.allows(role, .manageInspectors) == [.cityAdmin, .cityRegulator].contains(role), "\(role)")
            #expect(AccessPolicy.allows(role, .planInspections) == [.cityAdmin, .cityRegulator].contains(role), "\(role)")
        }
        #expect(!AccessPolicy.allows(.industryOfficer, .readPILoad), "the industry department counts overloaded PIs, it does not name them")
        // The health commission reads trials, inspections (closed ones of trial institutions), the notice and the published
        // FAQ and case library and the policy handbook; nothing else.
        #expect(
            Set(Action.allCases.filter { AccessPolicy.allows(.healthOfficer, $0) })
                == [.readTrials, .readInspections, .readInspectionNotice, .readLibrary, .readPolicies])
        #expect(
            Set(Role.allCases.filter { AccessPolicy.allows($0, .readInspectionNotice) })
                == [.cityAdmin, .cityRegulator, .reviewer, .inspector, .healthOfficer])
        #expect(
            Action.allCases.filter { AccessPolicy.allows(.partnerRegulator, $0) } == [.readDelta, .respondDelta],
            "a partner province's regulator reads nothing of the city's own records: the Delta's records are its only door")
        for action in [Action.importCensus, .writeEnterprises, .writeProducts, .writeApplications, .readConfidentialReview, .readAudit] {
            #expect(!AccessPolicy.allows(.trialInstitutionOfficer, action), "an institution's office keeps to its trials: \(action)")
        }
        for action in Action.allCases {
            #expect(!action.label.isEmpty && action.label.unicodeScalars.contains { $0.value > 0x3000 }, "\(action) has a Chinese label")
        }
        #expect(!AccessPolicy.allows(.industryOfficer, .readConfidentialReview), "the industry department sees the pipeline, not review notes")
    }
}

@Suite("Scope filters: city ⊃ district ⊃ park ⊃ enterprise")
struct ScopeFilterTests {
    static let zhangjiangFirm = RecordLocation(district: "310115", park: "zhangjiang", enterprise: "91310115MA1K000016")
    static let pudongFirm = RecordLocation(district: "310115", park: nil, enterprise: "91310115MA1K00003C")
    static let xuhuiFirm = RecordLocation(district: "310104", park: nil, enterprise: "91310104MA1K00004H")
    static let all = [zhangjiangFirm, pudongFirm, xuhuiFirm]

    static func stations(_ code: String) -> Set<String>? {
        code == "xuhui" ? ["310104", "310101"] : nil
    }

    @Test(
        "each scope admits exactly the records beneath it",
        arguments: [
            ("city", [true, true, true]),
            ("district:310115", [true, true, false]),
            ("district:310104", [false, false, true]),
            ("park:zhangjiang", [true, false, false]),
            ("park:lingang", [false, false, false]),
            ("station:xuhui", [false, false, true]),
            ("station:unknown", [false, false, false]),
            ("enterprise:91310115MA1K000016", [true, false, false]),
            ("institution:0192A3B4-C5D6-7E8F-9A0B-1C2D3E4F5A6B", [false, false, false]),
            ("province:JS", [false, false, false]),
        ])
    func admits(scope text: String, expected: [Bool]) throws {
        let filter = ScopeFilter.resolve(try Scope.parse(text), stationDistricts: Self.stations)
        #expect(Self.all.map(filter.admits) == expected)
    }

    @Test("an institution's scope admits what involves the institution, and nothing of the enterprise registry")
    func institution() throws {
        let id = UUID()
        let scope = try Scope.parse("institution:\(id.uuidString.lowercased())")
        #expect(scope == .institution(id.uuidString) && scope.description == "institution:\(id.uuidString)")
        let filter = ScopeFilter.resolve(scope, stationDistricts: Self.stations)
        var trial = Self.xuhuiFirm
        #expect(!filter.admits(trial))
        trial.institutions = [UUID(), id]
        #expect(filter.admits(trial) && ScopeFilter.everything.admits(trial) && ScopeFilter.districts(["310104"]).admits(trial))
        #expect(!ScopeFilter.resolve(.institution("not-an-id"), stationDistricts: Self.stations).admits(trial))
        #expect(throws: Scope.Problem.self) { try Scope.parse("institution:zhongshan") }
    }

    @Test("a partner province's scope admits the records located in that province, and nothing of Shanghai's")
    func province() throws {
        let suzhou = RecordLocation(district: "320500", enterprise: "91320506MA1K00001X")
        let hangzhou = RecordLocation(district: "330100", enterprise: "91330100MA1K00001X")
        let jiangsu = ScopeFilter.resolve(try Scope.parse("province:JS"), stationDistricts: Self.stations)
        #expect(jiangsu == .province(.jiangsu))
        #expect(jiangsu.admits(suzhou) && !jiangsu.admits(hangzhou) && Self.all.allSatisfy { !jiangsu.admits($0) })
        #expect(ScopeFilter.everything.admits(suzhou), "the city's side sees the partner provinces' parties")
        #expect(!ScopeFilter.districts(["310115"]).admits(suzhou))
    }

    @Test("nesting: whatever a narrower scope admits, the scope above it admits too")
    func nesting() throws {
        let chains: [[String]] = [
            ["city", "district:310115", "park:zhangjiang", "enterprise:91310115MA1K000016"],
            ["city", "district:310115", "enterprise:91310115MA1K00003C"],
        ]
        for chain in chains {
            let filters = try chain.map { ScopeFilter.resolve(try Scope.parse($0), stationDistricts: Self.stations) }
            for location in Self.all {
                for (outer, inner) in zip(filters, filters.dropFirst()) where inner.admits(location) {
                    #expect(outer.admits(location), "\(outer) must admit what \(inner) admits")
                }
            }
        }
    }
}

@Suite("Enterprise drafts")
struct EnterpriseDraftTests {
    static let valid = EnterpriseDraft(uscc: "91310115MA1K000016", name: "上海示例医疗科技有限公司", district: "310115", park: "zhangjiang", kind: .registrant)

    @Test("a complete draft has no problems")
    func valid() {
        #expect(Self.valid.problems().isEmpty)
    }

    @Test("each bad field is named, in English and in Chinese")
    func problems() {
        var draft = Self.valid
        draft.uscc = "91310115MA1K00001A"
        draft.name = " x"
        draft.district = "320101"
        draft.park = "Zhang Jiang"
        draft.contactPhone = "call me"
        let problems = draft.problems()
        #expect(problems.map(\.field) == ["uscc", "name", "district", "park", "contactPhone"])
        #expect(problems[0].message.contains("check character"))
        #expect(problems[0].chinese.contains("校验码"))
    }
}

@Suite("Unified social credit codes (GB 32100-2015)")
struct USCCTests {
    @Test("published examples validate, and are completed from their first 17 characters", arguments: ["91350100M000100Y43", "9131000013221158XC"])
    func valid(code: String) {
        #expect(USCC.isValid(code))
        #expect(USCC.completing(code.prefix(17)) == code)
        #expect(USCC.completing("9131000013221I58X") == nil, "I is not in the alphabet")
    }

    @Test(
        "each fault is named",
        arguments: [
            ("9131000013221158X", USCC.Problem.length(17)),
            ("9131000013221158XCX", .length(19)),
            ("9131000013221I58XC", .character(position: 14, character: "I")),
            ("91AB000013221158XC", .region("AB0000")),
            ("9131000013221158XA", .checkCharacter(expected: "C", found: "A")),
        ])
    func faults(code: String, problem: USCC.Problem) {
        guard case .failure(let found) = USCC.validate(code) else {
            Issue.record("\(code) should be invalid")
            return
        }
        #expect(found == problem)
    }

    @Test("any single changed character is caught (31 is prime, every weight invertible)")
    func singleSubstitution() {
        var generator = SplitMix64(seed: 32_100)
        for _ in 0..<500 {
            var prefix = (0..<2).map { _ in USCC.alphabet.randomElement(using: &generator)! }
            prefix += Array("310115")
            prefix += (0..<9).map { _ in USCC.alphabet.randomElement(using: &generator)! }
            let code = USCC.completing(String(prefix))!
            #expect(USCC.isValid(code))
            var changed = Array(code)
            let position = Int.random(in: 0..<17, using: &generator)
            if position >= 2 && position < 8 { continue }
            changed[position] = USCC.alphabet.filter { $0 != changed[position] }.randomElement(using: &generator)!
            #expect(!USCC.isValid(String(changed)), "\(String(changed))")
        }
    }
}

@Suite("The Delta's provinces")
struct DeltaProvinceTests {
    @Test("a region code's first two digits name the province; a credit code's region code does the same")
    func provinces() {
        #expect(DeltaProvince(regionCode: "310115") == .shanghai)
        #expect(DeltaProvince(regionCode: "320506") == .jiangsu)
        #expect(DeltaProvince(regionCode: "330100") == .zhejiang)
        #expect(DeltaProvince(regionCode: "341800") == .anhui)
        #expect(DeltaProvince(regionCode: "350100") == nil, "福建 is not in the Delta")
        #expect(DeltaProvince(regionCode: "3201") == nil && DeltaProvince(regionCode: "32a500") == nil)
        #expect(DeltaProvince(uscc: "91320506MA1K000010") == .jiangsu)
        #expect(DeltaProvince(uscc: "9131000013221158XC") == .shanghai)
        #expect(DeltaProvince(uscc: "91350100M000100Y43") == nil)
        #expect(DeltaProvince(uscc: "9132") == nil)
        #expect(DeltaProvince.partners.map(\.code) == ["320000", "330000", "340000"])
        #expect(DeltaProvince.allCases.map(\.shortName).joined() == "沪苏浙皖")
    }
}

@Suite("Enterprises of the partner provinces")
struct PartnerEnterpriseDraftTests {
    static let suzhou = USCC.completing("91320506MA1K00001")!

    @Test("an enterprise whose credit code was issued in a partner province is placed in a city of that province, in no park")
    func partner() {
        let valid = EnterpriseDraft(uscc: Self.suzhou, name: "苏州示例生物制药有限公司", district: "320500", kind: .cdmo)
        #expect(valid.problems().isEmpty)
        var inShanghai = valid
        inShanghai.district = "310115"
        #expect(inShanghai.problems().map(\.field) == ["district"])
        #expect(inShanghai.problems().first?.chinese == "统一社会信用代码显示企业登记于江苏省，所在地应为江苏省的城市")
        var inZhejiang = valid
        inZhejiang.district = "330100"
        #expect(inZhejiang.problems().map(\.field) == ["district"])
        var parked = valid
        parked.park = "zhangjiang"
        #expect(parked.problems().map(\.field) == ["park"])
        let shanghaiFirm = EnterpriseDraft(uscc: "91310115MA1K000016", name: "上海示例医疗科技有限公司", district: "320500", kind: .registrant)
        #expect(shanghaiFirm.problems().first?.chinese == "所在地在江苏省，统一社会信用代码应为江苏省登记的代码")
        var fujian = valid
        fujian.district = "350100"
        #expect(fujian.problems().map(\.field) == ["district"])
    }
}
