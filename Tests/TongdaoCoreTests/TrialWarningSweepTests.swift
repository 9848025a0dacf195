import Foundation
import Testing
import TongdaoCore

@Suite("The nightly sweep of trial warnings: raised once, ended when gone, raised again when worse")
struct TrialWarningSweepTests {
    static let (pi, other, trial) = (UUID(), UUID(), UUID())

    static func live(_ kind: TrialWarningKind, _ subject: UUID, grade: Int) -> TrialWarningSweep.Live {
        .init(id: UUID(), kind: kind, subject: subject, grade: grade)
    }

    @Test("a condition without a live warning is raised; one already covered at its grade or above is not")
    func raisedOnce() {
        let overloaded = TrialWarningSweep.Condition(kind: .piOverload, subject: Self.pi, grade: 7)
        let first = TrialWarningSweep.plan(conditions: [overloaded], live: [])
        #expect(first.raise == [overloaded] && first.end.isEmpty)
        let again = TrialWarningSweep.plan(conditions: [overloaded], live: [Self.live(.piOverload, Self.pi, grade: 7)])
        #expect(again.raise.isEmpty && again.end.isEmpty, "the second night raises nothing")
        let lighter = TrialWarningSweep.plan(
            conditions: [.init(kind: .piOverload, subject: Self.pi, grade: 6)], live: [Self.live(.piOverload, Self.pi, grade: 7)])
        #expect(lighter.raise.isEmpty && lighter.end.isEmpty, "a load that fell but stays over the threshold keeps its warning")
    }

    @Test("a warning ends when its condition is gone, and is superseded by a new one when the condition grew past it")
    func endedOrSuperseded() {
        let warning = Self.live(.piOverload, Self.pi, grade: 6)
        let gone = TrialWarningSweep.plan(conditions: [], live: [warning])
        #expect(gone.raise.isEmpty && gone.end == [warning.id])
        let worse = TrialWarningSweep.Condition(kind: .piOverload, subject: Self.pi, grade: 8)
        let grown = TrialWarningSweep.plan(conditions: [worse], live: [warning])
        #expect(grown.raise == [worse] && grown.end == [warning.id])
        let amber = Self.live(.lateStart, Self.trial, grade: 1)
        let red = TrialWarningSweep.Condition(kind: .lateStart, subject: Self.trial, grade: 2)
        let turned = TrialWarningSweep.plan(conditions: [red], live: [amber])
        #expect(turned.raise == [red] && turned.end == [amber.id], "amber turned red is raised again")
    }

    @Test("kinds and subjects are apart: one subject's warning neither covers nor ends another's")
    func apart() {
        let overload = TrialWarningSweep.Condition(kind: .piOverload, subject: Self.other, grade: 6)
        let late = TrialWarningSweep.Condition(kind: .lateStart, subject: Self.pi, grade: 1)
        let kept = Self.live(.piOverload, Self.pi, grade: 6)
        let plan = TrialWarningSweep.plan(conditions: [overload, late], live: [kept])
        #expect(plan.raise == [overload, late])
        #expect(plan.end == [kept.id], "the PI no longer overloaded ends, though a trial of the same id is late")
        let twice = TrialWarningSweep.plan(conditions: [overload, overload], live: [])
        #expect(twice.raise == [overload], "a condition found twice is raised once")
    }

    @Test("a late start's grade follows the 12-week rule: none before 8 weeks or once started, 1 from 8, 2 past 12")
    func lateStartGrade() {
        let approved = CivilDate("2026-06-01")!
        func grade(afterDays days: Int, consent: CivilDate? = nil) -> Int? {
            TrialWarningSweep.lateStartGrade(
                StartRule.read(pilot: true, approvedOn: approved, firstConsentOn: consent, today: approved.adding(days: days)))
        }
        #expect(grade(afterDays: 55) == nil)
        #expect(grade(afterDays: 56) == 1)
        #expect(grade(afterDays: 84) == 1)
        #expect(grade(afterDays: 85) == 2)
        #expect(grade(afterDays: 100, consent: approved.adding(days: 90)) == nil)
        #expect(
            TrialWarningSweep.lateStartGrade(
                StartRule.read(pilot: false, approvedOn: approved, firstConsentOn: nil, today: approved.adding(days: 100))) == nil)
    }
}
