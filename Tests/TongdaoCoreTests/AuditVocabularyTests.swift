import Foundation
import Testing
import TongdaoCore

@Suite("The audit trail reads in Chinese: every action and entity type the code writes has a label")
struct AuditVocabularyTests {
    /// The `Sources` directory of this package.
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources")

    /// Every `audit("action", entityType: "type"` the sources write, across line breaks, and every
    /// step's `audit: "action"` (an inspection's steps name theirs so; their entity type is `inspection`).
    static func written() throws -> (actions: Set<String>, entityTypes: Set<String>) {
        let pattern = try NSRegularExpression(pattern: #"audit\(\s*"([a-z_.]+)",\s*entityType:\s*"([a-z_]+)""#)
        let steps = try NSRegularExpression(pattern: #"\baudit:\s*"([a-z_.]+)""#)
        var actions: Set<String> = []
        var types: Set<String> = []
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            guard file.pathExtension == "swift" else { continue }
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                actions.insert(String(text[Range(match.range(at: 1), in: text)!]))
                types.insert(String(text[Range(match.range(at: 2), in: text)!]))
            }
            for match in steps.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                actions.insert(String(text[Range(match.range(at: 1), in: text)!]))
            }
        }
        return (actions, types)
    }

    @Test("each code the sources audit is labelled")
    func labelled() throws {
        let (actions, types) = try Self.written()
        #expect(
            actions.count > 20 && actions.contains("trial.warning.assess") && actions.contains("inspection.conclude"),
            "the scan finds the audited writes")
        #expect(actions.subtracting(AuditVocabulary.actions.keys).sorted() == [], "actions without a Chinese label")
        #expect(types.subtracting(AuditVocabulary.entityTypes.keys).sorted() == [], "entity types without a Chinese label")
    }
}
