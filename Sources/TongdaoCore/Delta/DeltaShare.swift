/// What of a closed inspection Shanghai shares with a partner province, field by field.
public enum SharedField: String, LabelledCode {
    /// 检查结论 and its reason.
    case conclusion
    /// 缺陷项: each finding's clause, grade and description.
    case findings
    /// 证据记录: each finding's evidence note — only under a confidentiality commitment.
    case evidence

    public var label: String {
        switch self {
        case .conclusion: "检查结论"
        case .findings: "缺陷项"
        case .evidence: "证据记录"
        }
    }
}

/// The rules of sharing an inspection's result that need no database.
public enum ShareRules {
    /// Everything wrong with a share: the inspection closed (`inspection`); at least one field, the
    /// evidence only with the findings it belongs to and only under a commitment in force (`fields`).
    public static func problems(fields: Set<SharedField>, closed: Bool, commitmentInForce: Bool, province: DeltaProvince) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if !closed {
            problems.append(FieldProblem("inspection", "is not closed", chinese: "只能共享已结案检查的结果"))
        }
        if fields.isEmpty {
            problems.append(FieldProblem("fields", "needs at least one field", chinese: "请选择要共享的内容"))
        } else if fields.contains(.evidence), !fields.contains(.findings) {
            problems.append(FieldProblem("fields", "evidence goes with its findings", chinese: "共享证据记录须同时共享缺陷项"))
        } else if fields.contains(.evidence), !commitmentInForce {
            problems.append(
                FieldProblem(
                    "fields", "evidence needs a confidentiality commitment with the partner on record",
                    chinese: "未与\(province.name)药品监督管理局签署有效的保密承诺，不能共享证据记录"))
        }
        return problems
    }
}
