// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Maillage",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "maillage", targets: ["maillage"]),
        .library(name: "MaillageCore", targets: ["MaillageCore"]),
        .library(name: "MaillageApp", targets: ["MaillageApp"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.52.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/JohnSundell/Plot.git", from: "0.14.0"),
        // Already there through Vapor; named for NIOPosix (tasks on the event loops).
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        // Already there through Vapor; named for the SMTP client's TLS (STARTTLS, smtps).
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.34.0"),
        // Already there through Vapor; the safe fetcher pins each hop to the address it checked.
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        // Pure domain rules: no Vapor, no Fluent, no networking.
        .target(name: "MaillageCore"),
        .target(
            name: "MaillageApp",
            dependencies: [
                "MaillageCore",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                // FluentSQL: Fluent models decoded from hand-written SQL on hot paths.
                .product(name: "FluentSQL", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Plot", package: "Plot"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .executableTarget(name: "maillage", dependencies: ["MaillageApp"]),
        // The tests' own documents and the one helper that reads them (and the third-party set
        // named by MAILLAGE_FIXTURES, for conformance tests).
        .target(name: "MaillageTestFixtures", path: "Tests/Fixtures", resources: [.copy("documents")]),
        .testTarget(name: "MaillageCoreTests", dependencies: ["MaillageCore", "MaillageTestFixtures"]),
        .testTarget(
            name: "MaillageAppTests",
            dependencies: [
                "MaillageApp",
                "MaillageTestFixtures",
                .product(name: "VaporTesting", package: "vapor"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
