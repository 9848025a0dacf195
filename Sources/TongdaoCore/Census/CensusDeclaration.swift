/// A product's declared plan for one census year (年度注册意向): the stage it has reached, when it
/// expects to file, through which channels, and what guidance it needs. Submitted by the
/// enterprise itself, by its district or park officer, or read from a census sheet.
public struct CensusDeclaration: Sendable, Equatable, Codable {
    public var stage: DevelopmentStage
    public var expectedFiling: YearMonth?
    public var channels: [FilingChannel]
    /// 指导需求: what the enterprise asks of the regulator (free text), if anything.
    public var guidanceNeeds: String?

    /// The longest guidance-needs text accepted, in characters.
    public static let guidanceNeedsLength = 500

    public init(stage: DevelopmentStage, expectedFiling: YearMonth?, channels: [FilingChannel], guidanceNeeds: String? = nil) {
        self.stage = stage
        self.expectedFiling = expectedFiling
        self.channels = channels
        self.guidanceNeeds = guidanceNeeds
    }

    /// The declaration a census sheet's row makes.
    public init(_ record: CensusRecord) {
        self.init(
            stage: record.product.stage, expectedFiling: record.product.expectedFiling, channels: record.product.channels,
            guidanceNeeds: record.guidanceNeeds)
    }

    /// What is wrong with it for a product of `managementClass`, by field (`stage`, `expectedFiling`,
    /// `channels`, `guidanceNeeds`).
    public func problems(managementClass: ManagementClass) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if Set(channels).count != channels.count {
            problems.append(.init("channels", "lists a channel twice", chinese: "拟申请通道有重复"))
        }
        if channels.contains(where: { $0 == .shanghaiInnovative || $0 == .shanghaiPriority }), managementClass != .two {
            problems.append(.init("channels", "the Shanghai procedures are for Class II products only", chinese: "上海二类创新、优先程序仅适用于第二类产品"))
        }
        if let guidanceNeeds, guidanceNeeds.count > Self.guidanceNeedsLength {
            problems.append(.init(
                "guidanceNeeds", "must be at most \(Self.guidanceNeedsLength) characters",
                chinese: "指导需求不超过 \(Self.guidanceNeedsLength) 个字符"))
        }
        return problems
    }
}
