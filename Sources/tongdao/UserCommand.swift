import ArgumentParser
import Fluent
import Foundation
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoUseCases
import Vapor

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Create and disable users (every change leaves an audit row).",
        subcommands: [Create.self, Disable.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a user with one role and one scope; the password is read from standard input.")

        @ArgumentParser.Option(help: "3–64 characters of a–z, 0–9, . _ -") var username: String
        @ArgumentParser.Option(help: "One of: \(Role.allCases.map(\.rawValue).joined(separator: ", "))") var role: String
        @ArgumentParser.Option(help: "city, district:CODE, park:CODE, station:CODE or enterprise:USCC") var scope: String
        @ArgumentParser.Option(help: "The person's name (姓名), as pages show it.") var name: String = ""
        @ArgumentParser.Flag(name: .customLong("password-stdin"), help: "Read the password from standard input (required).") var passwordStdin = false

        func run() async throws {
            guard let role = Role(rawValue: role) else {
                ApplicationRunner.printError(
                    "error: --role `\(role)` is not a role; use one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
                throw ExitCode(2)
            }
            let scope: Scope
            do { scope = try Scope.parse(self.scope) } catch {
                ApplicationRunner.printError("error: --scope: \(error)")
                throw ExitCode(2)
            }
            guard passwordStdin else {
                ApplicationRunner.printError("error: pass --password-stdin and the password on standard input (never on the command line)")
                throw ExitCode(2)
            }
            let password = (readLine(strippingNewline: true) ?? "")
            try await ApplicationRunner.withMigratedApplication { app, _ in
                do {
                    _ = try await app.platform.users.create(
                        NewUserInput(username: username, displayName: name, role: role.rawValue, scope: scope.description, password: password),
                        by: .commandLine("user create"))
                } catch let refusal as UseCaseError {
                    throw ApplicationRunner.fail(refusal)
                }
                print("created \(username) (\(role.rawValue), \(scope))")
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a user and revoke its tokens at once.")
        @ArgumentParser.Argument(help: "The username.") var username: String

        func run() async throws {
            try await ApplicationRunner.withMigratedApplication { app, _ in
                do {
                    try await app.platform.users.disable(username: username, by: .commandLine("user disable"))
                } catch let refusal as UseCaseError {
                    throw ApplicationRunner.fail(refusal)
                }
                print("disabled \(username); its tokens are revoked")
            }
        }
    }
}
