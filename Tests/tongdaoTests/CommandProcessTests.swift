import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import Testing
import TongdaoCore
import TongdaoTestSupport

/// The built `tongdao` binary, run as a user runs it, against a data directory of its own.
@Suite("tongdao as a process")
struct CommandProcessTests {
    struct Run {
        var status: Int32
        var output: String
    }

    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("tongdao")
    }

    /// The binary, set up to run with these arguments, on SQLite unless `environment` says otherwise.
    static func process(_ arguments: [String], environment: [String: String]) -> Process {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "DATABASE_URL")
        // The binary runs on the suites' day, as the in-process tests do (nothing reads the system date).
        env["TONGDAO_TODAY"] = Fixtures.today.description
        env.merge(environment) { $1 }
        process.environment = env
        return process
    }

    static func run(_ arguments: [String], environment: [String: String], input: String? = nil) throws -> Run {
        let process = process(arguments, environment: environment)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let stdin = Pipe()
        process.standardInput = stdin
        try process.run()
        stdin.fileHandleForWriting.write(Data((input ?? "").utf8))
        try stdin.fileHandleForWriting.close()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    @Test("migrate creates the SQLite file; seed --demo says demo mode and is a no-op the second time; migrate --revert reverts")
    func lifecycle() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build the tongdao product first")
        try await withTemporaryDirectory { directory in
            let env = ["TONGDAO_DATA_DIR": directory.appendingPathComponent("data").path]
            // when
            let migrate = try Self.run(["migrate"], environment: env)
            // then
            #expect(migrate.status == 0, "\(migrate.output)")
            #expect(migrate.output.contains("schema up to date"))
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("data/tongdao.sqlite").path))

            let firstSeed = try Self.run(["seed", "--demo"], environment: env)
            #expect(firstSeed.status == 0)
            #expect(firstSeed.output.contains("DEMO MODE 演示模式"))
            #expect(firstSeed.output.contains("demo data loaded into an empty database"), "reference data alone does not count as data")
            let secondSeed = try Self.run(["seed", "--demo"], environment: env)
            #expect(secondSeed.output.contains("demo data was loaded by an earlier run; nothing was added"))
            #expect(secondSeed.output.contains("password for all: tongdao-demo"), "the accounts stay listed")

            let revert = try Self.run(["migrate", "--revert"], environment: env)
            #expect(revert.status == 0, "\(revert.output)")
            #expect(revert.output.contains("reverted the last batch"))
            let again = try Self.run(["migrate"], environment: env)
            #expect(again.status == 0, "the schema comes back after a revert")
        }
    }

    @Test("calendar import rejects a bad file whole, naming its lines; a good file makes the year usable at once")
    func calendarImport() async throws {
        try await withTemporaryDirectory { directory in
            let env = ["TONGDAO_DATA_DIR": directory.appendingPathComponent("data").path]
            let bad = directory.appendingPathComponent("bad.txt")
            try "year 2027\nholiday 2027-02-06..2027-02-12 春节\nworkday 2027-02-10 春节\nbogus line\n".write(to: bad, atomically: true, encoding: .utf8)
            let good = directory.appendingPathComponent("good.txt")
            try "year 2027\nholiday 2027-01-01 元旦\nholiday 2027-02-06..2027-02-12 春节\nworkday 2027-02-13 春节\n".write(
                to: good, atomically: true, encoding: .utf8)

            let before = try Self.run(["calendar", "add", "2026-12-20", "20"], environment: env)
            #expect(before.status == 2)
            #expect(before.output.contains("the holiday schedule for 2027 is not published"))

            let rejected = try Self.run(["calendar", "import", bad.path], environment: env)
            #expect(rejected.status == 2)
            #expect(rejected.output.contains("line 3: adjusted working day 2027-02-10 is not a Saturday or Sunday"))
            #expect(rejected.output.contains("line 4: unknown entry `bogus`"))
            #expect(try Self.run(["calendar", "day", "2027-02-08"], environment: env).status == 2, "nothing of the bad file was imported")

            let imported = try Self.run(["calendar", "import", good.path], environment: env)
            #expect(imported.status == 0)
            #expect(imported.output.contains("imported 2027"))
            // 20 working days after Sun 20 Dec 2026: 21–31 Dec (9), 4–8 Jan (5, 1 Jan off), 11–15 Jan (5), Mon 18 Jan.
            let after = try Self.run(["calendar", "add", "2026-12-20", "20"], environment: ["LOG_LEVEL": "error"].merging(env) { $1 })
            #expect(after.output.trimmingCharacters(in: .whitespacesAndNewlines) == "2027-01-18")
        }
    }

    @Test("user create reads the password from standard input; a bad role or scope exits 2 naming it")
    func userCreate() async throws {
        try await withTemporaryDirectory { directory in
            let env = ["TONGDAO_DATA_DIR": directory.path, "TONGDAO_BCRYPT_COST": "4"]
            let badRole = try Self.run(
                ["user", "create", "--username", "a.b", "--role", "king", "--scope", "city", "--password-stdin"], environment: env,
                input: "long enough password\n")
            #expect(badRole.status == 2)
            #expect(badRole.output.contains("--role `king` is not a role"))
            let badScope = try Self.run(
                ["user", "create", "--username", "a.b", "--role", "district_officer", "--scope", "district:99", "--password-stdin"], environment: env,
                input: "long enough password\n")
            #expect(badScope.status == 2)
            #expect(badScope.output.contains("--scope"))
            let mismatch = try Self.run(
                ["user", "create", "--username", "a.b", "--role", "district_officer", "--scope", "city", "--password-stdin"], environment: env,
                input: "long enough password\n")
            #expect(mismatch.status == 2)
            #expect(mismatch.output.contains("needs a district scope"))
            let short = try Self.run(
                ["user", "create", "--username", "a.b", "--role", "city_admin", "--scope", "city", "--password-stdin"], environment: env,
                input: "short\n")
            #expect(short.status == 2)
            let created = try Self.run(
                ["user", "create", "--username", "pudong.officer", "--role", "district_officer", "--scope", "district:310115", "--password-stdin"],
                environment: env, input: "long enough password\n")
            #expect(created.status == 0, "\(created.output)")
            #expect(created.output.contains("created pudong.officer (district_officer, district:310115)"))
            let disabled = try Self.run(["user", "disable", "pudong.officer"], environment: env)
            #expect(disabled.status == 0)
            #expect(try Self.run(["user", "disable", "nobody"], environment: env).status == 2)
        }
    }

    @Test("a bad environment variable is named and exits with status 2")
    func badConfiguration() throws {
        let run = try Self.run(["migrate"], environment: ["DATABASE_URL": "mysql://localhost/tongdao"])
        #expect(run.status == 2)
        #expect(run.output.contains("DATABASE_URL"))
    }

    @Test("serve --demo on an empty data directory shows the banner and serves the 16 districts")
    func serveDemo() async throws {
        try await withTemporaryDirectory { directory in
            let port = Int.random(in: 20_000...40_000)
            let process = Self.process(
                ["serve", "--demo", "--port", String(port)], environment: ["TONGDAO_DATA_DIR": directory.path, "TONGDAO_BCRYPT_COST": "4"])
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            defer {
                process.interrupt()
                process.waitUntilExit()
            }
            // when: the server answers
            var html: String?
            for _ in 0..<100 where html == nil {
                try await Task.sleep(for: .milliseconds(200))
                if let (data, _) = try? await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/")!) {
                    html = String(decoding: data, as: UTF8.self)
                }
            }
            // then
            let page = try #require(html, "the server did not answer on port \(port)")
            // the banner's demo account signs in
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/api/v1/auth/tokens")!)
            request.httpMethod = "POST"
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(#"{"username":"admin","password":"tongdao-demo"}"#.utf8)
            let (_, response) = try await URLSession.shared.data(for: request)
            #expect((response as? HTTPURLResponse)?.statusCode == 201)
            for district in ["黄浦区", "浦东新区", "崇明区", "嘉定区"] {
                #expect(page.contains(district))
            }
            process.interrupt()
            process.waitUntilExit()
            let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(printed.contains("DEMO MODE 演示模式"))
            #expect(printed.contains("demo data loaded into an empty database"))
            #expect(printed.contains("password for all: tongdao-demo"))
            for role in ["city_admin", "district_officer", "park_officer", "station_officer", "enterprise_user"] {
                #expect(printed.contains(role), "the banner lists a demo account for \(role)")
            }
        }
    }
}
