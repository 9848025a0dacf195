import Foundation
import Synchronization

/// UUIDs in the layout of RFC 9562 version 7: 48 bits of Unix milliseconds, then a 12-bit counter,
/// then random bits. Sorting such ids (PostgreSQL compares `uuid` bytewise; SQLite stores them as
/// upper-case text, which sorts the same) sorts them by creation, which lets append-only tables
/// page with the id alone as the cursor. Within this process they are strictly increasing.
enum TimeOrderedID {
    private struct State {
        var milliseconds: UInt64 = 0
        var counter: UInt16 = 0
    }

    private static let state = Mutex(State())

    static func make(now: Date) -> UUID {
        let wall = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        let (milliseconds, counter) = state.withLock { state in
            if wall > state.milliseconds {
                state = State(milliseconds: wall, counter: 0)
            } else if state.counter < 0x0FFF {
                state.counter += 1
            } else {
                state = State(milliseconds: state.milliseconds + 1, counter: 0)
            }
            return (state.milliseconds, state.counter)
        }
        var generator = SystemRandomNumberGenerator()
        let random = generator.next() as UInt64
        func byte(_ value: UInt64, _ index: Int) -> UInt8 { UInt8(truncatingIfNeeded: value >> (8 * index)) }
        return UUID(
            uuid: (
                byte(milliseconds, 5), byte(milliseconds, 4), byte(milliseconds, 3), byte(milliseconds, 2), byte(milliseconds, 1),
                byte(milliseconds, 0), 0x70 | UInt8(counter >> 8), UInt8(truncatingIfNeeded: counter),
                0x80 | (byte(random, 0) & 0x3F), byte(random, 1), byte(random, 2), byte(random, 3), byte(random, 4), byte(random, 5),
                byte(random, 6), byte(random, 7)
            ))
    }
}
