/// The rules for a password set on the platform.
public enum PasswordRules {
    /// At least this many characters.
    public static let minimumLength = 10
    /// bcrypt reads the first 72 bytes of a password and ignores the rest, so a longer one would sign
    /// in with its first 72 bytes and anything after them: the limit is in bytes (24 Chinese characters).
    public static let maximumBytes = 72

    /// Passwords too common to be guessed last: the most used ones, and what people type for a
    /// platform like this.
    static let common: Set<String> = [
        "1234567890", "0123456789", "12345678910", "1234567890a", "a1234567890", "qwertyuiop", "1qaz2wsx3edc", "1q2w3e4r5t",
        "password123", "password1234", "passw0rd123", "p@ssw0rd123", "iloveyou123", "abc1234567", "abcd123456", "aa12345678",
        "qwerty1234", "qwerty12345", "admin12345", "admin123456", "administrator", "welcome123", "letmein123", "changeme123",
        "tongdao123", "tongdao1234", "tongdao-demo", "shanghai123", "shanghai2026", "woaini1314", "woaini123456", "zhang123456",
        "wang123456", "li12345678", "abcdefghij", "zxcvbnm123", "asdfghjkl1",
    ]

    /// What is wrong with a password (for the account `username`), or nil.
    public static func problem(with password: String, username: String? = nil) -> FieldProblem? {
        if password.count < minimumLength {
            return FieldProblem("password", "must be at least \(minimumLength) characters", chinese: "密码至少 \(minimumLength) 个字符")
        }
        if password.utf8.count > maximumBytes {
            return FieldProblem(
                "password", "must be at most \(maximumBytes) bytes in UTF-8 (bcrypt reads no more; 24 Chinese characters)",
                chinese: "密码不超过 \(maximumBytes) 个字节（约 24 个汉字；bcrypt 只读取前 \(maximumBytes) 个字节）")
        }
        if let username, password.lowercased() == username.lowercased() {
            return FieldProblem("password", "must not be the username", chinese: "密码不能与用户名相同")
        }
        if Set(password).count == 1 {
            return FieldProblem("password", "must not be one character repeated", chinese: "密码不能由同一个字符重复组成")
        }
        if common.contains(password.lowercased()) {
            return FieldProblem("password", "is too common to be safe", chinese: "该密码过于常见，请换一个")
        }
        return nil
    }
}
