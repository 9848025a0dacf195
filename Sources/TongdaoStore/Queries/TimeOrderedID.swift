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

    static func make(now: Date = Date()) -> UUID {
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
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - index))) }
        bytes[6] = 0x70 | UInt8(counter >> 8)
        bytes[7] = UInt8(truncatingIfNeeded: counter)
        var generator = SystemRandomNumberGenerator()
        for index in 8..<16 { bytes[index] = UInt8.random(in: .min ... .max, using: &generator) }
        bytes[8] = 0x80 | (bytes[8] & 0x3F)
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}
