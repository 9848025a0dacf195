import Foundation

extension UUID {
    /// The UUID a text names in the form `uuidString` writes (upper or lower case hex, dashes after
    /// the 8th, 12th, 16th and 20th digit), as `UUID(uuidString:)` reads it, without Foundation's
    /// formatted scanning (a sheet of 100,000 rows names hundreds of thousands); nil for any other text.
    public init?(text: String) {
        var value: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let parsed =
            text.utf8.count == 36
            && withUnsafeMutableBytes(of: &value) { out in
                var digits = 0
                for (position, byte) in text.utf8.enumerated() {
                    if position == 8 || position == 13 || position == 18 || position == 23 {
                        guard byte == UInt8(ascii: "-") else { return false }
                        continue
                    }
                    let nibble: UInt8
                    switch byte {
                    case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte - UInt8(ascii: "0")
                    case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = byte - UInt8(ascii: "A") + 10
                    case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte - UInt8(ascii: "a") + 10
                    default: return false
                    }
                    out[digits / 2] |= digits % 2 == 0 ? nibble << 4 : nibble
                    digits += 1
                }
                return true
            }
        guard parsed else { return nil }
        self.init(uuid: value)
    }
}
