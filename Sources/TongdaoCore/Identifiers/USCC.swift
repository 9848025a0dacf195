/// The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from an alphabet
/// without I, O, Z, S, V; characters 3–8 a GB/T 2260 region code; the 18th a check character.
public enum USCC {
    public static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    /// 3^i mod 31 for positions 1…17.
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    private static let values: [Character: Int] = Dictionary(uniqueKeysWithValues: alphabet.enumerated().map { ($1, $0) })

    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        case length(Int)
        case character(position: Int, character: Character)
        case region(String)
        case checkCharacter(expected: Character, found: Character)

        public var description: String {
            switch self {
            case .length(let count): "must be 18 characters long, not \(count)"
            case .character(let position, let character):
                "character \(position) (\(character)) is not allowed: use 0–9 and capital letters other than I, O, Z, S, V"
            case .region(let code): "characters 3–8 (\(code)) must be a six-digit region code"
            case .checkCharacter(let expected, let found): "the check character is \(found) but should be \(expected)"
            }
        }

        /// The same, for pages.
        public var chineseDescription: String {
            switch self {
            case .length(let count): "应为 18 位，当前为 \(count) 位"
            case .character(let position, let character): "第 \(position) 位（\(character)）不是允许的字符：只能使用数字和除 I、O、Z、S、V 以外的大写字母"
            case .region(let code): "第 3–8 位（\(code)）应为六位行政区划代码"
            case .checkCharacter(let expected, let found): "校验码错误：第 18 位为 \(found)，应为 \(expected)"
            }
        }
    }

    /// The check character for the first 17 characters (nil if they use a character outside the alphabet).
    public static func checkCharacter(for prefix: some StringProtocol) -> Character? {
        var sum = 0
        for (index, character) in prefix.prefix(17).enumerated() {
            guard let value = values[character] else { return nil }
            sum += value * weights[index]
        }
        return alphabet[(31 - sum % 31) % 31]
    }

    /// The whole code for its first 17 characters (nil if one is outside the alphabet).
    public static func completing(_ first17: some StringProtocol) -> String? {
        checkCharacter(for: first17).map { String(first17.prefix(17)) + String($0) }
    }

    /// Each ASCII byte's value in the alphabet, -1 for bytes outside it.
    private static let byteValues: [Int] = (0..<128).map { byte in
        alphabet.firstIndex(of: Character(Unicode.Scalar(UInt8(byte)))) ?? -1
    }

    public static func validate(_ code: String) -> Result<Void, Problem> {
        // The common case, a well-formed code, is checked on its bytes; anything else is explained below.
        if code.utf8.count == 18 {
            var sum = 0, valid = true, index = 0
            for byte in code.utf8 {
                let value = byte < 128 ? byteValues[Int(byte)] : -1
                if value < 0 || (2..<8).contains(index) && value > 9 { valid = false; break }
                if index < 17 { sum += value * weights[index] } else { valid = value == (31 - sum % 31) % 31 }
                index += 1
            }
            if valid { return .success(()) }
        }
        let characters = Array(code)
        guard characters.count == 18 else { return .failure(.length(characters.count)) }
        for (index, character) in characters.enumerated() where values[character] == nil {
            return .failure(.character(position: index + 1, character: character))
        }
        let region = String(characters[2..<8])
        guard region.allSatisfy({ $0.isASCII && $0.isNumber }) else { return .failure(.region(region)) }
        let expected = checkCharacter(for: code)!
        guard characters[17] == expected else { return .failure(.checkCharacter(expected: expected, found: characters[17])) }
        return .success(())
    }

    public static func isValid(_ code: String) -> Bool {
        if case .success = validate(code) { true } else { false }
    }
}
