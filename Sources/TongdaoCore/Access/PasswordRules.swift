/// The rules for a password set on the platform (bcrypt reads at most 72 bytes).
public enum PasswordRules {
    public static let lengths = 10...72

    /// What is wrong with a password, or nil.
    public static func problem(with password: String) -> FieldProblem? {
        if password.count < lengths.lowerBound {
            return FieldProblem("password", "must be at least \(lengths.lowerBound) characters", chinese: "密码至少 \(lengths.lowerBound) 个字符")
        }
        if password.count > lengths.upperBound {
            return FieldProblem(
                "password", "must be at most \(lengths.upperBound) characters (bcrypt's limit)",
                chinese: "密码不超过 \(lengths.upperBound) 个字符（bcrypt 的上限）")
        }
        return nil
    }
}
