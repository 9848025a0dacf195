import Foundation
import TongdaoCore

/// JSON written byte by byte into one buffer, for the response read most often (the application
/// list). Foundation's `JSONEncoder` over the generated `Codable` types builds a tree of boxed values,
/// sorts every object's keys and then serializes the tree, looking up generic metadata for each
/// value on the way: about 3 ms of CPU for a page of 50 applications, most of the page's cost.
/// Writing the same document straight into bytes costs a small part of that.
///
/// The writer only places commas and escapes text; which members an object has, in which order
/// and when an optional one is left out is its caller's, and a test holds each caller's output to
/// what the generated types encode.
struct JSONBytes {
    private(set) var bytes: [UInt8] = []
    /// A value was written at this level: the next member or element is preceded by a comma.
    private var afterValue = false

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    // MARK: Containers

    mutating func object(_ members: (inout JSONBytes) -> Void) {
        open(UInt8(ascii: "{"))
        members(&self)
        close(UInt8(ascii: "}"))
    }

    mutating func array<S: Sequence>(_ elements: S, _ element: (inout JSONBytes, S.Element) -> Void) {
        open(UInt8(ascii: "["))
        for value in elements {
            separate()
            element(&self, value)
        }
        close(UInt8(ascii: "]"))
    }

    private mutating func open(_ bracket: UInt8) {
        bytes.append(bracket)
        afterValue = false
    }

    private mutating func close(_ bracket: UInt8) {
        bytes.append(bracket)
        afterValue = true
    }

    private mutating func separate() {
        if afterValue { bytes.append(UInt8(ascii: ",")) }
        afterValue = false
    }

    /// Starts a member of the object being written: its key (plain ASCII, as every key of the
    /// contract is) and the colon.
    mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    // MARK: Values

    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        // Most texts need no escape: copied whole.
        if text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            for byte in text.utf8 { escaped(byte) }
        } else {
            bytes.append(contentsOf: text.utf8)
        }
        bytes.append(UInt8(ascii: "\""))
        afterValue = true
    }

    private mutating func escaped(_ byte: UInt8) {
        let escape: UInt8? =
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): byte
            case 0x0A: UInt8(ascii: "n")
            case 0x0D: UInt8(ascii: "r")
            case 0x09: UInt8(ascii: "t")
            case 0..<0x20: UInt8(ascii: "u")
            default: nil
            }
        guard let escape else { return bytes.append(byte) }
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(escape)
        if escape == UInt8(ascii: "u") {
            // Every other control character as \u00XX (JSON allows none of them raw).
            bytes.append(UInt8(ascii: "0"))
            bytes.append(UInt8(ascii: "0"))
            bytes.append(Self.hexDigit(byte >> 4))
            bytes.append(Self.hexDigit(byte & 0x0F))
        }
    }

    mutating func int(_ value: Int) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        let magnitude = value.magnitude
        var divisor: UInt = 1
        while divisor <= magnitude / 10 { divisor *= 10 }
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude / divisor % 10))
            divisor /= 10
        } while divisor > 0
        afterValue = true
    }

    mutating func bool(_ value: Bool) {
        let text: StaticString = value ? "true" : "false"
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
        afterValue = true
    }

    /// `YYYY-MM-DD`, as `CivilDate.description` writes it.
    mutating func date(_ date: CivilDate) {
        let (year, month, day) = date.components
        guard (0...9999).contains(year) else { return string(date.description) }
        bytes.append(UInt8(ascii: "\""))
        digits(year / 100)
        digits(year % 100)
        bytes.append(UInt8(ascii: "-"))
        digits(month)
        bytes.append(UInt8(ascii: "-"))
        digits(day)
        bytes.append(UInt8(ascii: "\""))
        afterValue = true
    }

    /// Two digits of a number under 100.
    private mutating func digits(_ value: Int) {
        bytes.append(UInt8(ascii: "0") + UInt8(value / 10))
        bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    /// An id as `UUID.uuidString` writes it (upper case), which is what the API answers.
    mutating func uuid(_ id: UUID) {
        bytes.append(UInt8(ascii: "\""))
        withUnsafeBytes(of: id.uuid) { raw in
            for index in 0..<16 {
                if index == 4 || index == 6 || index == 8 || index == 10 { bytes.append(UInt8(ascii: "-")) }
                bytes.append(Self.hexDigit(raw[index] >> 4))
                bytes.append(Self.hexDigit(raw[index] & 0x0F))
            }
        }
        bytes.append(UInt8(ascii: "\""))
        afterValue = true
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "A") + nibble - 10
    }

    // MARK: Members

    mutating func member(_ name: StaticString, _ text: String?) {
        guard let text else { return }
        key(name)
        string(text)
    }

    mutating func member(_ name: StaticString, _ value: Int?) {
        guard let value else { return }
        key(name)
        int(value)
    }

    mutating func member(_ name: StaticString, _ value: Bool) {
        key(name)
        bool(value)
    }

    mutating func member(_ name: StaticString, _ date: CivilDate?) {
        guard let date else { return }
        key(name)
        self.date(date)
    }

    mutating func member(_ name: StaticString, _ id: UUID) {
        key(name)
        uuid(id)
    }

    mutating func member<Code: RawRepresentable>(_ name: StaticString, _ code: Code) where Code.RawValue == String {
        key(name)
        string(code.rawValue)
    }
}
