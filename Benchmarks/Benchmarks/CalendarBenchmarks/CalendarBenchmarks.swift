import Benchmark
import TongdaoCore

/// Working-day arithmetic on the bundled calendar (2004–2026): the questions every review clock
/// asks. Inputs are drawn once, before timing, from a fixed seed.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .mallocCountTotal],
        scalingFactor: .mega,
        maxDuration: .seconds(3)
    )

    let calendar = WorkCalendar.bundled
    var generator = SplitMix64(seed: 20_261_123)
    let low = CivilDate(year: 2004, month: 1, day: 1)!.dayNumber
    let high = CivilDate(year: 2026, month: 6, day: 30)!.dayNumber
    let questions: [(CivilDate, CivilDate, Int)] = (0..<4_096).map { _ in
        (CivilDate(dayNumber: .random(in: low...high, using: &generator)),
         CivilDate(dayNumber: .random(in: low...high, using: &generator)),
         Int.random(in: 1...120, using: &generator))
    }

    Benchmark("add-working-days") { benchmark in
        var index = 0
        for _ in benchmark.scaledIterations {
            let (from, _, days) = questions[index & 4_095]
            blackHole(try? calendar.addingWorkingDays(days, to: from))
            index &+= 1
        }
    }

    Benchmark("working-days-between") { benchmark in
        var index = 0
        for _ in benchmark.scaledIterations {
            let (from, to, _) = questions[index & 4_095]
            blackHole(try? calendar.workingDays(from: from, to: to))
            index &+= 1
        }
    }
}
