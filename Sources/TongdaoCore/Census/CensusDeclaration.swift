/// A product's declared plan for one census year (年度注册意向): the stage it has reached, when it
/// expects to file, through which channels, and what guidance it needs. Submitted by the
/// enterprise itself, by its district or park officer, or read from a census sheet.
public struct CensusDeclaration: Sendable, Equatable, Codable {
    public var stage: DevelopmentStage
    public var expectedFiling: YearMonth?
    public var channels: [FilingChannel]
    /// 指导需求: what the enterprise asks of the regulator (free text, trimmed), if anything.
    public var guidanceNeeds: String?

    /// The longest guidance-needs text accepted, in characters.
    public static let guidanceNeedsLength = 500

    public init(stage: DevelopmentStage, expectedFiling: YearMonth?, channels: [FilingChannel], guidanceNeeds: String? = nil) {
        self.stage = stage
        self.expectedFiling = expectedFiling
        self.channels = channels
        // Surrounding white space is not part of what was asked; nothing asked is nil.
        self.guidanceNeeds = guidanceNeeds.map { $0.trimmingWhitespace() }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The declaration a census sheet's row makes.
    public init(_ record: CensusRecord) {
        self.init(
            stage: record.product.stage, expectedFiling: record.product.expectedFiling, channels: record.product.channels,
            guidanceNeeds: record.guidanceNeeds)
    }

    /// The product's own plan, as this declaration states it: stage, expected filing and channels.
    public func plan(of product: ProductDraft) -> ProductDraft {
        var planned = product
        planned.stage = stage
        planned.expectedFiling = expectedFiling
        planned.channels = channels
        return planned
    }

    /// What is wrong with it for a product of `managementClass`, by field (`stage`, `expectedFiling`,
    /// `channels`, `guidanceNeeds`).
    public func problems(managementClass: ManagementClass) -> [FieldProblem] {
        FilingChannel.problems(channels, managementClass: managementClass)
            + [Self.guidanceNeedsProblem(guidanceNeeds), TextRules.problem("guidanceNeeds", guidanceNeeds, multiline: true)].compactMap { $0 }
    }

    /// Guidance needs longer than `guidanceNeedsLength` characters (field `guidanceNeeds`).
    public static func guidanceNeedsProblem(_ text: String?) -> FieldProblem? {
        guard let text, text.count > guidanceNeedsLength else { return nil }
        return FieldProblem("guidanceNeeds", "must be at most \(guidanceNeedsLength) characters", chinese: "指导需求不超过 \(guidanceNeedsLength) 个字符")
    }
}

extension CensusDeclaration {
    /// Which years a declaration may be made for: this year and next; past years' declarations are
    /// corrected by the district or park officer, not the enterprise (field `year`).
    public static func yearProblem(_ year: Int, thisYear: Int, byEnterprise: Bool) -> FieldProblem? {
        if year > thisYear + 1 {
            return FieldProblem("year", "a declaration may be made for this year or next, not \(year)", chinese: "只能申报本年度或下一年度")
        }
        if year < thisYear, byEnterprise {
            return FieldProblem("year", "past years' declarations are corrected by the district or park officer", chinese: "往年的申报由所在区或园区的工作人员更正")
        }
        return nil
    }
}
