import Foundation
import SQLKit

/// Reads the columns of an SQL row by hand, for the lists read on every request: no Fluent model
/// (whose fields are found by reflection for every row), no `Codable` container per row, and ids
/// parsed without `sscanf`. Each read names its column; a missing or mistyped one throws.
struct RowReader {
    let row: any SQLRow
    /// PostgreSQL returns `uuid` columns as such; SQLite keeps them as text.
    let nativeUUIDs: Bool

    init(_ row: any SQLRow, on database: any SQLDatabase) {
        self.row = row
        nativeUUIDs = database.dialect.name == "postgresql"
    }

    func text(_ column: String) throws -> String { try row.decode(column: column, as: String.self) }

    func optionalText(_ column: String) throws -> String? { try row.decodeNil(column: column) ? nil : text(column) }

    func int(_ column: String) throws -> Int { try row.decode(column: column, as: Int.self) }

    func optionalInt(_ column: String) throws -> Int? { try row.decodeNil(column: column) ? nil : int(column) }

    func bool(_ column: String) throws -> Bool { try row.decode(column: column, as: Bool.self) }

    func uuid(_ column: String) throws -> UUID {
        if nativeUUIDs { return try row.decode(column: column, as: UUID.self) }
        let text = try text(column)
        guard let id = UUID(hyphenated: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "\(column) is not a UUID: \(text)"))
        }
        return id
    }

    func optionalUUID(_ column: String) throws -> UUID? { try row.decodeNil(column: column) ? nil : uuid(column) }

    /// A column holding the raw value of `T` (a status, a kind).
    func value<T: RawRepresentable>(_ column: String, as _: T.Type) throws -> T where T.RawValue == String {
        let raw = try text(column)
        guard let value = T(rawValue: raw) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "\(column) holds no \(T.self): \(raw)"))
        }
        return value
    }
}

extension UUID {
    /// `8-4-4-4-12` hexadecimal digits, either case, as stored: parsed digit by digit (Foundation's
    /// `UUID(uuidString:)` calls `sscanf` for every byte).
    init?(hyphenated text: String) {
        var text = text
        guard let bytes = text.withUTF8({ Self.parse(UnsafeRawBufferPointer($0)) }) else { return nil }
        self.init(uuid: bytes)
    }

    private static func parse(_ text: UnsafeRawBufferPointer) -> uuid_t? {
        guard text.count == 36 else { return nil }
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let parsed = withUnsafeMutableBytes(of: &bytes) { out -> Bool in
            var index = 0
            var position = 0
            while position < 36 {
                if position == 8 || position == 13 || position == 18 || position == 23 {
                    guard text[position] == UInt8(ascii: "-") else { return false }
                    position += 1
                    continue
                }
                guard let high = hexValue(text[position]), let low = hexValue(text[position + 1]) else { return false }
                out[index] = high << 4 | low
                index += 1
                position += 2
            }
            return true
        }
        return parsed ? bytes : nil
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
