import Foundation
import Testing
import TongdaoCore

@Suite("How quickly an institution takes a trial on: ethics review and activation medians")
struct SiteTimesTests {
    static func day(_ text: String) -> CivilDate { CivilDate(text)! }

    static func site(_ specialty: String, lead: String?, ethics: String?, activated: String?, isLead: Bool = false) -> SiteTimes.Sample {
        SiteTimes.Sample(
            specialty: specialty, lead: isLead, leadEthicsApprovedOn: lead.map(day), ethicsApprovedOn: ethics.map(day),
            activatedOn: activated.map(day))
    }

    @Test("the median is the middle value, or the mean of the two middle ones; none of nothing")
    func median() {
        #expect(SiteTimes.median([]) == nil)
        #expect(SiteTimes.median([7]) == 7)
        #expect(SiteTimes.median([9, 1, 5]) == 5)
        #expect(SiteTimes.median([4, 1, 10, 3]) == 3.5)
        #expect(SiteTimes.median([2, 2, 2, 30]) == 2)
    }

    @Test(
        "a participating site's ethics review counts from the lead site's approval (0 when it approved first), activation from ethics approval; a lead site and sites lacking a date are left out"
    )
    func spans() {
        let sites = [
            Self.site("肿瘤科", lead: "2026-01-01", ethics: "2026-01-31", activated: "2026-03-02"),  // 30, 30
            Self.site("肿瘤科", lead: "2026-02-01", ethics: "2026-01-20", activated: "2026-01-30"),  // approved first: 0, 10
            Self.site("心内科", lead: "2026-03-01", ethics: "2026-03-11", activated: nil),  // 10, none
            Self.site("心内科", lead: nil, ethics: "2026-04-01", activated: "2026-04-21", isLead: true),  // lead: none, 20
            Self.site("心内科", lead: nil, ethics: nil, activated: nil),
        ]
        #expect(sites.map(\.ethicsDays) == [30, 0, 10, nil, nil])
        #expect(sites.map(\.activationDays) == [30, 10, nil, 20, nil])
        #expect(Self.site("眼科", lead: "2026-01-01", ethics: "2026-02-01", activated: nil, isLead: true).ethicsDays == nil)
        let report = SiteTimes.Report(sites)
        #expect(report.overall.sites == 5 && report.overall.ethicsSites == 3 && report.overall.ethicsMedianDays == 10)
        #expect(report.overall.activationSites == 3 && report.overall.activationMedianDays == 20)
        #expect(report.bySpecialty.map(\.specialty) == ["心内科", "肿瘤科"])
        let heart = report.bySpecialty[0].summary, oncology = report.bySpecialty[1].summary
        #expect(heart.sites == 3 && heart.ethicsMedianDays == 10 && heart.activationMedianDays == 20)
        #expect(oncology.ethicsMedianDays == 15 && oncology.activationMedianDays == 20)
        #expect(SiteTimes.Report([]).overall == SiteTimes.Summary([]) && SiteTimes.Report([]).overall.ethicsMedianDays == nil)
    }

    @Test("a PI's load month by month: the sites active on each month's last day, today for this month")
    func monthlyLoad() {
        let sites = [
            SiteDates(activatedOn: Self.day("2026-03-15"), closedOn: Self.day("2026-06-10")),
            SiteDates(activatedOn: Self.day("2026-05-31")),
            SiteDates(activatedOn: Self.day("2026-06-30"), closedOn: Self.day("2026-06-30")),  // closed the day it opened
            SiteDates(ethicsApprovedOn: Self.day("2026-01-05")),  // never activated
        ]
        let months = SiteDates.monthlyLoad(sites, through: Self.day("2026-07-04"), months: 6)
        #expect(months.map(\.month) == ["2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07"])
        #expect(months.map(\.active) == [0, 1, 1, 2, 1, 1])
        // Across a year's end.
        #expect(SiteDates.monthlyLoad([], through: Self.day("2027-01-15"), months: 3).map(\.month) == ["2026-11", "2026-12", "2027-01"])
    }

}
