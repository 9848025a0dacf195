import ArgumentParser
import Foundation
import Logging
import TongdaoCore
import TongdaoServer
import TongdaoUseCases
import Vapor

/// Builds the configured application for one command and always shuts it down.
enum ApplicationRunner {
    static func configuration() throws -> AppConfiguration {
        do {
            return try AppConfiguration.from()
        } catch {
            printError("configuration error: \(error)")
            throw ExitCode(2)
        }
    }

    static func bootstrapLogging(_ configuration: AppConfiguration) {
        let level = configuration.logLevel
        switch configuration.logFormat {
        case .json:
            LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: level) }
        case .text:
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
    }

    /// Runs `body` with a configured application, shutting it down afterwards whatever happens.
    static func withApplication<T>(
        arguments: [String] = ["tongdao"],
        _ body: (Application, AppConfiguration) async throws -> T
    ) async throws -> T {
        let configuration = try configuration()
        bootstrapLogging(configuration)
        let app = try await Application.make(Environment(name: "production", arguments: arguments))
        do {
            try await configure(app, configuration: configuration)
            let result = try await body(app, configuration)
            try await app.asyncShutdown()
            return result
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// `withApplication` with the schema brought up to date and the reference data loaded first:
    /// what every command that reads or writes data needs.
    static func withMigratedApplication<T>(_ body: (Application, AppConfiguration) async throws -> T) async throws -> T {
        try await withApplication { app, configuration in
            try await prepareDatabase(app, migrate: true)
            return try await body(app, configuration)
        }
    }

    /// Prints a use case's refusal (each field problem on its own line) and exits 2.
    static func fail(_ refusal: UseCaseError, _ prefix: String = "error") -> ExitCode {
        let problems = refusal.problems
        if problems.isEmpty {
            printError("\(prefix): \(refusal)")
        } else {
            for problem in problems { printError("\(prefix): \(problem.field): \(problem.message)") }
        }
        return ExitCode(2)
    }

    /// Writes an export to `output`, or to standard output when there is none.
    static func write(_ data: Data, to output: String?) throws {
        if let output {
            try data.write(to: URL(fileURLWithPath: output))
        } else {
            FileHandle.standardOutput.write(data)
        }
    }

    /// Runs an import with a progress bar on standard error, ended however the import ends; a
    /// refusal is printed and exits 2.
    static func withProgressBar<T>(_ body: (@escaping @Sendable (String, Int, Int) -> Void) async throws -> T) async throws -> T {
        let bar = ProgressBar()
        let result: T
        do {
            result = try await body { phase, done, total in bar.show(phase, done, total) }
        } catch let refusal as UseCaseError {
            bar.finish()
            throw fail(refusal)
        } catch {
            bar.finish()
            throw error
        }
        bar.finish()
        return result
    }

    /// Lists a sheet's rejected rows, the first 200 of them, in Chinese.
    static func printRejected(_ rejected: [RowProblem]) {
        for problem in rejected.prefix(200) {
            print("  第 \(problem.row) 行 · \(problem.column)：\(problem.reason)")
        }
        if rejected.count > 200 { print("  …… 另有 \(rejected.count - 200) 处") }
    }

    /// A file's bytes, or exit 2 naming it.
    static func contents(of file: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: file) else {
            printError("error: cannot read \(file)")
            throw ExitCode(2)
        }
        return data
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
