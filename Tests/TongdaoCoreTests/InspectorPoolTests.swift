import Testing
import TongdaoCore

@Suite("The inspector pool: conflicts of interest and training hours")
struct InspectorPoolTests {
    static let hospital = PartyRef(name: "复旦大学附属中山医院", uscc: "12310000425005166U")
    static let firm = PartyRef(name: "上海联影医疗科技股份有限公司", uscc: "91310114MA1GT8F48H")
    static let other = PartyRef(name: "上海微创医疗器械（集团）有限公司", uscc: "91310115607360913J")

    // Left the hospital on Fri 30 Jun 2023; with 3 years it may not be inspected through Tue 30 Jun
    // 2026 and may from Wed 1 Jul 2026. Employed at the firm since 1 Jul 2023 (current).
    static let ties = InspectorTies(
        employments: [
            InspectorEmployment(employer: hospital, from: day("2015-09-01"), to: day("2023-06-30")),
            InspectorEmployment(employer: firm, from: day("2023-07-01")),
        ],
        relationships: [InspectorRelationship(party: other, kind: .family, declaredOn: day("2024-03-01"), note: "配偶任职")])

    @Test(
        "a current employer, a past one within the years, a declared tie: each a reason, named in Chinese",
        arguments: [
            ("2026-06-30", "hospital", ["曾任职于复旦大学附属中山医院（至 2023-06-30）"]),
            ("2026-07-01", "hospital", []),
            ("2023-06-30", "hospital", ["现任职于复旦大学附属中山医院"]),
            ("2015-08-31", "hospital", []),
            ("2026-11-23", "firm", ["现任职于上海联影医疗科技股份有限公司"]),
            ("2023-06-30", "firm", []),
            ("2026-11-23", "other", ["已申报与上海微创医疗器械（集团）有限公司存在利益关系：近亲属任职"]),
        ])
    func reasons(on text: String, target name: String, expected: [String]) {
        let target = ["hospital": Self.hospital, "firm": Self.firm, "other": Self.other][name]!
        let reasons = ConflictOfInterest.reasons(Self.ties, target: target, on: day(text), rule: .standard)
        #expect(reasons.map(\.chinese) == expected)
    }

    @Test("the years after leaving are policy: none bars nothing past the last day; five bar longer")
    func yearsArePolicy() {
        let target = Self.hospital
        #expect(ConflictOfInterest.reasons(Self.ties, target: target, on: day("2023-07-01"), rule: .init(pastEmployerYears: 0)).isEmpty)
        #expect(ConflictOfInterest.reasons(Self.ties, target: target, on: day("2028-06-30"), rule: .init(pastEmployerYears: 5)).count == 1)
        #expect(ConflictOfInterest.reasons(Self.ties, target: target, on: day("2028-07-01"), rule: .init(pastEmployerYears: 5)).isEmpty)
        #expect(ConflictOfInterest.Rule(pastEmployerYears: 31).problems().map(\.field) == ["pastEmployerYears"])
        #expect(ConflictOfInterest.Rule.standard.problems().isEmpty)
    }

    @Test("parties are the same by credit code, or by name where a code is missing; a namesake with another code is another party")
    func sameParty() {
        let byName = PartyRef(name: " 复旦大学附属中山医院 ")
        #expect(ConflictOfInterest.reasons(Self.ties, target: byName, on: day("2024-01-01"), rule: .standard).count == 1)
        let namesake = PartyRef(name: "复旦大学附属中山医院", uscc: "12310000425005999X")
        #expect(ConflictOfInterest.reasons(Self.ties, target: namesake, on: day("2024-01-01"), rule: .standard).isEmpty)
    }

    @Test("a day some years on: 29 February becomes 28 February in a common year")
    func addingYears() {
        #expect(day("2024-02-29").adding(years: 1) == day("2025-02-28"))
        #expect(day("2024-02-29").adding(years: 4) == day("2028-02-29"))
        #expect(day("2023-06-30").adding(years: 3) == day("2026-06-30"))
    }

    @Test(
        "training hours in tenths: whole or one decimal, nothing else",
        arguments: [
            ("3", 30), ("3.5", 35), ("0.5", 5), ("120", 1_200), ("3.", nil), (".5", nil), ("3.25", nil), ("-1", nil), ("三", nil), ("", nil),
            ("1e2", nil),
        ])
    func hours(text: String, tenths: Int?) {
        #expect(InspectorTraining.tenths(of: text) == tenths)
        if let tenths { #expect(InspectorTraining(on: day("2026-01-05"), course: "GCP", tenthsOfHours: tenths).hoursText == text) }
    }
}

@Suite("An inspector's year: the inspections closed in it, led, on time, the ratings averaged")
struct InspectorPerformanceTests {
    @Test("hand-worked: three in 2026 (one led, two on time, rated 4 and 5: 4.5), one in 2025 unrated; the latest year first")
    func byYear() {
        let entries = [
            InspectorPerformance.Entry(closedOn: CivilDate("2026-03-02")!, led: false, onTime: true, rating: 4),
            InspectorPerformance.Entry(closedOn: CivilDate("2026-07-15")!, led: true, onTime: true, rating: nil),
            InspectorPerformance.Entry(closedOn: CivilDate("2026-12-31")!, led: false, onTime: false, rating: 5),
            InspectorPerformance.Entry(closedOn: CivilDate("2025-12-31")!, led: false, onTime: nil, rating: nil),
        ]
        let years = InspectorPerformance.byYear(entries)
        #expect(years.map(\.year) == [2026, 2025])
        #expect(years[0].inspections == 3 && years[0].led == 1 && years[0].onTime == 2 && years[0].averageRating == 4.5)
        #expect(years[0].summary == "3 次（组长 1 次），按时 2 次，平均评分 4.5（2 人次评分）")
        #expect(years[1].averageRating == nil && years[1].summary == "1 次，按时 0 次，尚无评分")
        // 4, 4, 5 → 4.333… shown to one decimal.
        let thirds = InspectorPerformance.byYear([4, 4, 5].map { .init(closedOn: CivilDate("2026-01-05")!, led: false, onTime: true, rating: $0) })
        #expect(thirds[0].averageRating == 4.3)
    }
}
