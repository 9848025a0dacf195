// swift-tools-version: 6.1
// Benchmarks live in a package of their own so that `swift test` never builds them.
// Run: cd Benchmarks && swift package --disable-sandbox benchmark
import Foundation
import PackageDescription

/// A path dependency is known by its directory's name, which depends on where the repository was cloned.
let rootPackage = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "tongdao-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/package-benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "CalendarBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "TongdaoCore", package: rootPackage),
            ],
            path: "Benchmarks/CalendarBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
    ]
)
