import Foundation
import Vapor

/// `maillage lending-bench-seed --items 50000 --out DIR`: writes a lending cooperative of that
/// many items into the configured database (the one a running server reads), then
/// `DIR/lending.env` with its slug, for `bench/lending.sh` to search it over HTTP.
struct LendingBenchSeedCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "items", help: "Items to seed (default 50000)") var items: Int?
        @Option(name: "out", help: "Folder for lending.env") var out: String?
    }

    var help: String { "Seeds a lending cooperative with many items for the HTTP search benchmark." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let count = max(100, signature.items ?? 50_000)
        try await DatabaseSetup.migrate(app)
        let seeded = try await LendingBenchmarkCommand.seed(items: count, on: app.db, console: context.console)
        let folder = signature.out ?? "."
        try "LENDING_SLUG=\(seeded.slug)\nLENDING_ITEMS=\(count)\n".write(toFile: folder + "/lending.env", atomically: true, encoding: .utf8)
        context.console.print("Seeded \(count) lending items in the cooperative \(seeded.slug)")
    }
}
