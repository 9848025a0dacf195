/// A forward-only reader of the XML inside a workbook: start tags with their attributes, end tags and
/// text, with entities decoded. It reads what Excel, WPS and the usual libraries write (prefixed names,
/// CDATA, character references); it does not validate, and it skips declarations, comments and DTDs.
///
/// Written for speed on large worksheets: one pass over the bytes, no DOM, no Foundation XML. A
/// worksheet is read as it inflates: `append` adds the next bytes, and `next` answers nil where what
/// is left is an unfinished token (kept for the next bytes) until `finish` says there are no more.
struct XMLScanner {
    enum Event {
        /// A start tag; `selfClosing` when it is also its end (`<c r="A1"/>`).
        case start(name: Substring, attributes: [(name: Substring, value: String)], selfClosing: Bool)
        case end(name: Substring)
        case text(String)
    }

    private var bytes: [UInt8]
    private var position = 0
    /// Whether every byte of the document is in `bytes` (otherwise more may follow).
    private var complete: Bool
    /// Whether the last token failed because the bytes ran out (rather than being malformed).
    private var ranOut = false
    private var checkedMark = false

    /// A scanner over a whole document.
    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.complete = true
        skipByteOrderMark()
    }

    /// A scanner that is given the document piece by piece (`append`, then `finish`).
    init(streaming: ()) {
        self.bytes = []
        self.complete = false
    }

    /// A UTF-8 byte order mark before the declaration.
    private mutating func skipByteOrderMark() {
        guard !checkedMark, bytes.count >= 3 || complete else { return }
        checkedMark = true
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    /// The next bytes of a streamed document. What was read already is let go.
    mutating func append(_ chunk: some Collection<UInt8>) {
        if position > 0 {
            bytes.removeSubrange(0..<position)
            position = 0
        }
        bytes.append(contentsOf: chunk)
        skipByteOrderMark()
    }

    /// No more bytes follow: an unfinished token at the end is now malformed.
    mutating func finish() {
        complete = true
        skipByteOrderMark()
    }

    /// Bytes held that are not read yet (an unfinished token of a streamed document).
    var pending: Int { bytes.count - position }

    /// The next event; nil at the end of the document, or, streaming, where the bytes so far end
    /// inside a token (it is read again once more bytes are appended).
    mutating func next() throws(XLSX.Problem) -> Event? {
        let start = position
        do {
            return try readEvent()
        } catch {
            guard ranOut, !complete else { throw error }
            ranOut = false
            position = start
            return nil
        }
    }

    /// Thrown where a token needs bytes past the end: malformed in a whole document, and in a
    /// streamed one a sign to wait for more.
    private mutating func outOfBytes() -> XLSX.Problem {
        ranOut = true
        return Self.malformed
    }

    private mutating func readEvent() throws(XLSX.Problem) -> Event? {
        while position < bytes.count {
            if bytes[position] != UInt8(ascii: "<") {
                let start = position
                while position < bytes.count, bytes[position] != UInt8(ascii: "<") { position += 1 }
                // Streaming, text that reaches the end may go on in the next bytes.
                if position == bytes.count, !complete { throw outOfBytes() }
                return .text(try Self.decodeText(bytes[start..<position]))
            }
            guard position + 1 < bytes.count else { throw outOfBytes() }
            switch bytes[position + 1] {
            case UInt8(ascii: "?"):
                try skip(past: "?>")
            case UInt8(ascii: "!"):
                if matches("<![CDATA[") {
                    let start = position + 9
                    try skip(past: "]]>")
                    return .text(String(decoding: bytes[start..<(position - 3)], as: UTF8.self))
                } else if matches("<!--") {
                    try skip(past: "-->")
                } else {
                    try skip(past: ">")
                }
            case UInt8(ascii: "/"):
                position += 2
                let name = readName()
                try skip(past: ">")
                return .end(name: name)
            default:
                position += 1
                return try readStartTag()
            }
        }
        return nil
    }

    /// The local part of a qualified name: `x:row` → `row`.
    static func localName(_ name: Substring) -> Substring {
        guard let colon = name.lastIndex(of: ":") else { return name }
        return name[name.index(after: colon)...]
    }

    static let malformed = XLSX.Problem("XLSX 文件中的 XML 不完整或已损坏")

    private func matches(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        return literal.withUTF8Buffer { buffer in
            for index in 0..<count where bytes[position + index] != buffer[index] { return false }
            return true
        }
    }

    private mutating func skip(past literal: StaticString) throws(XLSX.Problem) {
        while position < bytes.count {
            if matches(literal) {
                position += literal.utf8CodeUnitCount
                return
            }
            position += 1
        }
        throw outOfBytes()
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private mutating func skipSpace() {
        while position < bytes.count, Self.isSpace(bytes[position]) { position += 1 }
    }

    private mutating func readName() -> Substring {
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            if Self.isSpace(byte) || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "=") { break }
            position += 1
        }
        return Substring(String(decoding: bytes[start..<position], as: UTF8.self))
    }

    private mutating func readStartTag() throws(XLSX.Problem) -> Event {
        let name = readName()
        guard !name.isEmpty else { throw Self.malformed }
        var attributes: [(name: Substring, value: String)] = []
        while true {
            skipSpace()
            guard position < bytes.count else { throw outOfBytes() }
            switch bytes[position] {
            case UInt8(ascii: ">"):
                position += 1
                return .start(name: name, attributes: attributes, selfClosing: false)
            case UInt8(ascii: "/"):
                guard position + 1 < bytes.count else { throw outOfBytes() }
                guard bytes[position + 1] == UInt8(ascii: ">") else { throw Self.malformed }
                position += 2
                return .start(name: name, attributes: attributes, selfClosing: true)
            default:
                let attribute = readName()
                skipSpace()
                guard position < bytes.count else { throw outOfBytes() }
                guard !attribute.isEmpty, bytes[position] == UInt8(ascii: "=") else { throw Self.malformed }
                position += 1
                skipSpace()
                guard position < bytes.count else { throw outOfBytes() }
                let quote = bytes[position]
                guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { throw Self.malformed }
                position += 1
                let start = position
                while position < bytes.count, bytes[position] != quote { position += 1 }
                guard position < bytes.count else { throw outOfBytes() }
                attributes.append((attribute, try Self.decodeText(bytes[start..<position])))
                position += 1
            }
        }
    }

    /// Text with its entity and character references replaced.
    static func decodeText(_ slice: ArraySlice<UInt8>) throws(XLSX.Problem) -> String {
        guard slice.contains(UInt8(ascii: "&")) else { return String(decoding: slice, as: UTF8.self) }
        var output: [UInt8] = []
        output.reserveCapacity(slice.count)
        var index = slice.startIndex
        while index < slice.endIndex {
            let byte = slice[index]
            guard byte == UInt8(ascii: "&") else {
                output.append(byte)
                index += 1
                continue
            }
            guard let semicolon = slice[index...].firstIndex(of: UInt8(ascii: ";")), semicolon - index <= 12 else { throw malformed }
            let entity = String(decoding: slice[(index + 1)..<semicolon], as: UTF8.self)
            switch entity {
            case "amp": output.append(UInt8(ascii: "&"))
            case "lt": output.append(UInt8(ascii: "<"))
            case "gt": output.append(UInt8(ascii: ">"))
            case "quot": output.append(UInt8(ascii: "\""))
            case "apos": output.append(UInt8(ascii: "'"))
            default:
                let value: UInt32?
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                    value = UInt32(entity.dropFirst(2), radix: 16)
                } else if entity.hasPrefix("#") {
                    value = UInt32(entity.dropFirst(), radix: 10)
                } else {
                    value = nil
                }
                guard let value, let scalar = Unicode.Scalar(value) else { throw malformed }
                output.append(contentsOf: Array(String(Character(scalar)).utf8))
            }
            index = semicolon + 1
        }
        return String(decoding: output, as: UTF8.self)
    }
}
