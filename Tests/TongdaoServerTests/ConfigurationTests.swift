import Foundation
import Logging
import Synchronization
import Testing
import TongdaoCore
import TongdaoTestSupport
import TongdaoUseCases
import TongdaoServer
import TongdaoStore

@Suite("Configuration from the environment and JSON logs")
struct ConfigurationTests {
    @Test("with nothing set: SQLite under ./.tongdao, text logs at info")
    func defaults() throws {
        let configuration = try AppConfiguration.from(environment: [:])
        #expect(configuration.database == .sqliteFile(path: ".tongdao/tongdao.sqlite"))
        #expect(configuration.logFormat == .text)
        #expect(configuration.logLevel == .info)
        #expect(configuration.runsDigest, "serve runs the daily digest unless told not to")
        #expect(try AppConfiguration.from(environment: ["TONGDAO_DIGEST": "off"]).runsDigest == false)
        #expect(configuration.clock == .system, "the platform's clock is the system's unless TONGDAO_TODAY says otherwise")
    }

    @Test("TONGDAO_TODAY starts the platform's clock on a day")
    func today() throws {
        let clock = try AppConfiguration.from(environment: ["TONGDAO_TODAY": "2027-03-01"]).clock
        #expect(clock.today() == CivilDate("2027-03-01")!)
        #expect(clock != .system)
    }

    @Test("TONGDAO_DATA_DIR moves the SQLite file; DATABASE_URL selects PostgreSQL")
    func locations() throws {
        #expect(
            try AppConfiguration.from(environment: ["TONGDAO_DATA_DIR": "/var/lib/tongdao"]).database
                == .sqliteFile(path: "/var/lib/tongdao/tongdao.sqlite"))
        let url = "postgres://app:s3cret@db:5432/tongdao"
        let configuration = try AppConfiguration.from(environment: ["DATABASE_URL": url, "TONGDAO_DATA_DIR": "/ignored"])
        #expect(configuration.database == .postgres(url: url))
        #expect(!configuration.database.description.contains("s3cret"), "logs never show the password")
    }

    @Test(
        "bad values are refused with the variable named",
        arguments: [
            (["DATABASE_URL": "mysql://localhost/x"], "DATABASE_URL"),
            (["LOG_FORMAT": "xml"], "LOG_FORMAT"),
            (["LOG_LEVEL": "loud"], "LOG_LEVEL"),
            (["TONGDAO_DIGEST": "sometimes"], "TONGDAO_DIGEST"),
            (["TONGDAO_TODAY": "tomorrow"], "TONGDAO_TODAY"),
        ])
    func badValues(environment: [String: String], variable: String) {
        #expect {
            try AppConfiguration.from(environment: environment)
        } throws: { error in
            (error as? AppConfiguration.Problem)?.variable == variable
        }
    }

    @Test("LOG_FORMAT=json writes one JSON object a line with the request ID as a field")
    func jsonLogLines() throws {
        let lines = Mutex<[String]>([])
        var logger = Logger(label: "test") { label in
            JSONLogHandler(label: label, level: .info) { line in lines.withLock { $0.append(line) } }
        }
        logger[metadataKey: "request-id"] = "req-7"
        logger.info("GET /api/v1/regions", metadata: ["status": "200"])
        logger.debug("below the level: dropped")
        let written = lines.withLock { $0 }
        #expect(written.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(written[0].utf8)) as? [String: String])
        #expect(object["request-id"] == "req-7")
        #expect(object["message"] == "GET /api/v1/regions")
        #expect(object["level"] == "info")
        #expect(object["status"] == "200")
        #expect(!written[0].contains("\n"))
    }
}
