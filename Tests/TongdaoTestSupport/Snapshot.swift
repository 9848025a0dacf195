import Foundation

/// Text snapshots kept beside the tests in `__Snapshots__/`; `SNAPSHOT_RECORD=1 swift test` rewrites them.
public enum Snapshot {
    public enum Outcome: Equatable {
        case matches
        /// Written now (first run, or `SNAPSHOT_RECORD=1`): the test should fail so a person looks at it.
        case recorded(String)
        case differs(String)
    }

    /// Compares `text` with `__Snapshots__/<name>` next to `sourceFile`.
    public static func compare(_ text: String, named name: String, sourceFile: String) throws -> Outcome {
        let directory = URL(fileURLWithPath: sourceFile).deletingLastPathComponent().appendingPathComponent("__Snapshots__")
        let file = directory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["SNAPSHOT_RECORD"] == "1" || !FileManager.default.fileExists(atPath: file.path) {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
            return .recorded("recorded snapshot \(name); run again to compare")
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        return expected == text ? .matches : .differs("differs from __Snapshots__/\(name) (SNAPSHOT_RECORD=1 to accept)")
    }
}
