import FluentKit
import Foundation
import TongdaoCore

/// The demo city's inspection history, so that this year's plan has targets in every state: most
/// trial institutions inspected on time in the years before (a few not since 2024, now overdue),
/// this year's inspections done for many, planned for some (a few for last month, not yet carried
/// out), not yet planned for the rest; the
/// manufacturers likewise by their class. Newly filed specialties without an inspection since ask
/// for one within 60 working days. Each inspection carried out is closed with its conclusion, compliant
/// but for one target in ten, found not compliant the year before last (what the credit files, the
/// notice and the trial matching read).
public enum DemoInspections {
    /// Writes the history (inside the demo's transaction) of every target, or of those `only` names;
    /// returns how many inspections it wrote.
    public static func generate(
        today: CivilDate, now: Date, seed: UInt64 = DemoCity.seed, only: Set<UUID>? = nil, on db: any Database
    ) async throws -> Int {
        var random = SplitMix64(seed: seed &+ 47)
        let targets = try await InspectionStore.targets(on: db).filter { only?.contains($0.target.id) ?? true }
        var new: [InspectionStore.NewInspection] = []
        func day(in year: Int, before limit: CivilDate? = nil) -> CivilDate? {
            guard let first = CivilDate(year: year, month: 2, day: 1) else { return nil }
            let last = min(CivilDate(year: year, month: 12, day: 15) ?? first, limit ?? .init(dayNumber: .max))
            guard last > first else { return nil }
            return first.adding(days: Int.random(in: 0...(last.dayNumber - first.dayNumber), using: &random))
        }
        func concluded(_ index: Int, _ year: Int) -> InspectionStore.NewInspection.Concluded {
            let grades: [FindingGrade] =
                index % 10 == 7 && year == today.year - 2
                ? [.major, .major, .major, .general, .general] : Array(repeating: .general, count: index % 3)
            let (conclusion, reason) = ConclusionRule().explained(grades)
            return .init(conclusion, reason: reason)
        }
        for (index, facts) in targets.enumerated() {
            let target = facts.target
            var types: [InspectionType] = []
            if target.drugFiledOn != nil { types.append(.drugTrialInstitution) }
            if target.deviceFiledOn != nil { types.append(.deviceTrialInstitution) }
            if target.kind == .enterprise { types.append(.manufacturer) }
            guard !types.isEmpty else { continue }
            // One in eight not inspected since 2024: overdue now.
            let lapsed = index % 8 == 3
            for year in (today.year - 3)..<today.year where !(lapsed && year > today.year - 2) {
                let due = types.filter { type in
                    switch type {
                    case .deviceTrialInstitution: year % 2 == index % 2
                    case .manufacturer: target.managementClass == 3 || year % 2 == index % 2
                    default: true
                    }
                }
                guard !due.isEmpty, let done = day(in: year) else { continue }
                new.append(
                    .init(
                        target: facts, types: due, source: .plan, status: .completed, plannedMonth: YearMonth(year: year, month: done.month),
                        dueBy: CivilDate(year: year, month: 12, day: 31), completedOn: done, conclusion: concluded(index, year)))
            }
            guard !lapsed else { continue }
            // This year: done for half, planned for a quarter (some this month, some next), the rest not yet.
            switch index % 4 {
            case 0, 1:
                if let done = day(in: today.year, before: today) {
                    new.append(
                        .init(
                            target: facts, types: [types[0]], source: .plan, status: .completed,
                            plannedMonth: YearMonth(year: today.year, month: done.month), dueBy: CivilDate(year: today.year, month: 12, day: 31),
                            completedOn: done, conclusion: concluded(index, today.year)))
                }
            case 2:
                // One in four of these was planned for last month and not yet carried out: its visit is late.
                let month = index % 16 == 14 && today.month > 1 ? today.month - 1 : Int.random(in: today.month...12, using: &random)
                new.append(
                    .init(
                        target: facts, types: [types[0]], source: .plan, status: .planned, plannedMonth: YearMonth(year: today.year, month: month),
                        dueBy: CivilDate(year: today.year, month: 12, day: 31)))
            default:
                break
            }
        }
        try await InspectionStore.insertInBulk(new, now: now, on: db)
        return new.count
    }
}
