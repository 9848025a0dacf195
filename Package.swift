// swift-tools-version: 6.1
import PackageDescription

/// Strict habits from STYLE.md: explicit existentials and imports that say what a file uses.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "tongdao",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "tongdao", targets: ["tongdao"]),
        // For the separate benchmark package in Benchmarks/.
        .library(name: "TongdaoCore", targets: ["TongdaoCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        // Bulk writes use the drivers directly: native SQLite binds, PostgreSQL COPY.
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        // Hot reads take SQLite's rows from the connection, binds encoded as SQLKit would.
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-openapi-generator.git", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.4"),
        .package(url: "https://github.com/vapor/swift-openapi-vapor.git", from: "1.2.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        // Tests read the live feed as a browser does, over a real connection (Vapor depends on it too).
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        // Pure domain: Foundation only, nothing of ours, no I/O.
        .target(
            name: "TongdaoCore",
            resources: [.copy("Resources/holidays.txt"), .copy("Resources/procedures.json")],
            swiftSettings: strict
        ),
        // Spreadsheets: XLSX workbooks read and written (ZIP + streamed XML), no Excel needed.
        .target(
            name: "TongdaoXLSX",
            dependencies: ["TongdaoCore", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: strict
        ),
        // HTML as a tree of nodes, every text and attribute value escaped where it is rendered.
        .target(
            name: "TongdaoHTML",
            swiftSettings: strict
        ),
        .testTarget(
            name: "TongdaoHTMLTests",
            dependencies: ["TongdaoHTML"],
            swiftSettings: strict
        ),
        // Charts as accessible SVG, drawn on the server: Foundation only, no chart library.
        .target(
            name: "TongdaoCharts",
            swiftSettings: strict
        ),
        .target(
            name: "TongdaoStore",
            dependencies: [
                "TongdaoCore",
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQL", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            resources: [.process("Seed/Resources")],
            swiftSettings: strict
        ),
        // The use cases: every read and write of the platform as one function of (caller, input),
        // which checks permission and scope, validates, writes entity + timeline event + audit row
        // in one transaction and announces it. The API, the pages and the commands all call these.
        .target(
            name: "TongdaoUseCases",
            dependencies: [
                "TongdaoCore",
                "TongdaoStore",
                "TongdaoXLSX",
                .product(name: "FluentKit", package: "fluent-kit"),
            ],
            swiftSettings: strict
        ),
        // The /api/v1 contract: openapi.yaml is the source; types and server stubs are generated.
        .target(
            name: "TongdaoAPI",
            dependencies: [
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")
            ],
            resources: [.copy("openapi.yaml")],
            swiftSettings: strict,
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),
        .target(
            name: "TongdaoServer",
            dependencies: [
                "TongdaoCore",
                "TongdaoStore",
                "TongdaoUseCases",
                "TongdaoAPI",
                "TongdaoXLSX",
                "TongdaoCharts",
                "TongdaoHTML",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "OpenAPIVapor", package: "swift-openapi-vapor"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            resources: [.copy("Public")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "tongdao",
            dependencies: [
                "TongdaoServer",
                "TongdaoUseCases",
                "TongdaoXLSX",
                "TongdaoStore",
                "TongdaoCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
            ],
            swiftSettings: strict
        ),
        // Shared by the test targets: throwaway databases (SQLite files, fresh PostgreSQL databases), the
        // configured application, the test clock and the fixtures written through the use cases.
        .target(
            name: "TongdaoTestSupport",
            dependencies: [
                "TongdaoStore",
                "TongdaoCore",
                "TongdaoServer",
                "TongdaoUseCases",
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Vapor", package: "vapor"),
            ],
            path: "Tests/TongdaoTestSupport",
            swiftSettings: strict
        ),
        .testTarget(
            name: "TongdaoCoreTests",
            dependencies: ["TongdaoCore"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TongdaoStoreTests",
            dependencies: [
                "TongdaoUseCases",
                "TongdaoStore",
                "TongdaoServer",
                "TongdaoTestSupport",
                "TongdaoCore",
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Vapor", package: "vapor"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // The use cases called directly, without HTTP: permission, scope, validation, the clock, the
        // audit row, for every role, on SQLite and PostgreSQL.
        .testTarget(
            name: "TongdaoUseCasesTests",
            dependencies: [
                "TongdaoUseCases",
                "TongdaoServer",
                "TongdaoTestSupport",
                "TongdaoStore",
                "TongdaoCore",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Vapor", package: "vapor"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TongdaoChartsTests",
            dependencies: ["TongdaoCharts", "TongdaoTestSupport"],
            exclude: ["__Snapshots__"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TongdaoXLSXTests",
            dependencies: ["TongdaoXLSX", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TongdaoAPITests",
            dependencies: ["TongdaoAPI", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TongdaoServerTests",
            dependencies: [
                "TongdaoUseCases",
                "TongdaoServer",
                "TongdaoTestSupport",
                "TongdaoStore",
                "TongdaoAPI",
                "TongdaoCore",
                "TongdaoXLSX",
                .product(name: "Fluent", package: "fluent"),
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            exclude: ["__Snapshots__"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "tongdaoTests",
            dependencies: ["tongdao", "TongdaoTestSupport", "TongdaoCore", "TongdaoUseCases"],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
