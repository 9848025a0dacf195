import TongdaoCore

extension CalendarPage {
    /// A year laid out as twelve month grids, weeks starting on Monday.
    struct Model: Equatable {
        struct Cell: Equatable {
            var day: Int
            var kind: WorkCalendar.DayKind
        }

        struct Month: Equatable {
            var number: Int
            /// Rows of seven; nil pads the days before the 1st and after the last.
            var weeks: [[Cell?]]
            var workingDays: Int
        }

        var year: Int
        var published: Bool
        var months: [Month]
        var publishedYears: ClosedRange<Int>?

        init(year: Int, calendar: WorkCalendar) {
            self.year = year
            published = calendar.isPublished(year)
            let years = calendar.publishedYears
            publishedYears = years.isEmpty ? nil : years[0]...years[years.count - 1]
            months = (1...12).map { month in
                var cells: [Cell?] = []
                let first = CivilDate(year: year, month: month, day: 1)!
                cells.append(contentsOf: Array(repeating: nil, count: first.weekday - 1))
                var working = 0
                for day in 1...CivilDate.daysIn(month: month, year: year) {
                    let date = first.adding(days: day - 1)
                    // provisional: an unpublished year is shown from weekends alone, and says so.
                    let kind = (try? calendar.day(date, provisional: true).kind) ?? (date.isWeekend ? .weekend : .workday)
                    if kind.isWorkingDay { working += 1 }
                    cells.append(Cell(day: day, kind: kind))
                }
                cells.append(contentsOf: Array(repeating: nil, count: (7 - cells.count % 7) % 7))
                let weeks = stride(from: 0, to: cells.count, by: 7).map { Array(cells[$0..<($0 + 7)]) }
                return Month(number: month, weeks: weeks, workingDays: working)
            }
        }

        var workingDays: Int { months.reduce(0) { $0 + $1.workingDays } }
    }
}
