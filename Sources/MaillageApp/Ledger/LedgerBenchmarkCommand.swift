import Fluent
import Foundation
import MaillageCore
import SQLKit
import Vapor

/// `maillage ledger-benchmark`: the core posting rate in memory, then the persisted rate through
/// `LedgerStore` (the code the API runs), printed beside a ceiling measured in the same run — the
/// rate of empty write transactions on the same database. Run it on a scratch database:
/// `DATABASE_URL=/tmp/bench.sqlite maillage ledger-benchmark`.
struct LedgerBenchmarkCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "transfers", help: "Transfers to persist (default 20000)") var transfers: Int?
        @Option(name: "concurrency", help: "Transfers in flight at once (default 8), for the ceiling and both persisted runs") var concurrency: Int?
        @Option(name: "core", help: "Transfers for the in-memory run (default 1000000)") var core: Int?
    }

    var help: String { "Times ledger postings in memory and persisted, beside the database's empty-transaction ceiling." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application, console = context.console
        let count = max(100, signature.transfers ?? 20_000), width = max(1, signature.concurrency ?? 8)
        console.print("In memory: posting \(signature.core ?? 1_000_000) transfers…")
        let core = LedgerBenchmark.run(transfers: signature.core ?? 1_000_000)
        console.print("  " + core.description)

        try await DatabaseSetup.migrate(app)
        let db = app.db
        let tag = UUID().uuidString.prefix(8).lowercased()
        var users: [User] = []
        for index in 0..<100 {
            let user = User(email: "bench-\(tag)-\(index)@example.invalid", passwordHash: "x", displayName: "Banc \(index)")
            try await user.create(on: db)
            users.append(user)
        }
        let draft = CooperativeDraft(name: "Banc d’essai \(tag)", slug: "banc-\(tag)", legalForm: .association1901, commune: "Nantes",
                                     description: "Coopérative de mesure du grand livre.", activities: [.exchange], colleges: [],
                                     shareNominalCents: 0, charter: [])
        let coop = try await Cooperatives.create(draft, creator: users[0], review: .approved, on: db)
        let coopID = try coop.requireID()
        try await CreditSettings(defaultLine: 0, yearlyFee: 0, timeFloor: -600).save(coopID, on: db)
        var opened: [UUID] = []
        for user in users { opened.append(try await AccountBook.open(.hours, cooperative: coopID, user: user.requireID(), on: db).id) }
        let accounts = opened

        // Ceiling: the same number of write transactions that each touch one row and move nothing.
        let ceilingCount = count / 2
        let ceiling = try await TimedRun.measure(ceilingCount, width: width, label: "ceiling", console) { n in
            try await db.writeTransaction { db in
                try await db.sql.raw("UPDATE ledger_accounts SET posted = posted WHERE id = \(bind: accounts[n % accounts.count])").run()
            }
        }
        var random = SplitMix64(seed: 47_1775)
        let plan: [(Int, Int, Int64)] = (0..<count).map { _ in
            let a = Int.random(in: 0..<100, using: &random)
            var b = Int.random(in: 0..<99, using: &random)
            if b >= a { b += 1 }
            return (a, b, Int64.random(in: 1...60, using: &random))
        }
        // The same transfers twice: one write transaction each, then grouped with whatever else is
        // in flight (`PostingGroups`, what the API does).
        var rates: [(String, TimedRun, Int)] = []
        for (label, grouped) in [("one transaction per transfer", false), ("group commit", true)] {
            let refused = RefusalCounter()
            let run = try await TimedRun.measure(count, width: width, label: label, console) { n in
                let (a, b, minutes) = plan[n]
                let transfer = Transfer(debit: AccountID(accounts[a]), credit: AccountID(accounts[b]), amount: .time(minutes: minutes),
                                        memo: "banc \(n)", idempotencyKey: "bench:\(tag):\(grouped):\(n)", time: Date())
                do {
                    try await LedgerStore.post([Posting(transfer: transfer, cooperative: coopID, category: .service)], on: db, grouped: grouped)
                } catch let error as DomainError where error.code == "below_floor" {
                    refused.increment()
                }
            }
            rates.append((label, run, refused.value))
        }
        let findings = try await LedgerAudit.run(on: db)
        if let written = await db.postingGroups?.written(), written.groups > 0 {
            console.print(String(format: "  group commit: %d transfers in %d transactions (%.1f each on average)",
                                 written.members, written.groups, Double(written.members) / Double(written.groups)))
        }
        console.print(String(format: "Core, in memory, batch: %.0f transfers/s (%.2f of its ceiling, %.0f/s with no rule checked; one by one through Ledger.post: %.0f/s)",
                             core.transfersPerSecond, core.transfersPerSecond / max(core.ceilingPerSecond, 1), core.ceilingPerSecond,
                             core.ledgerTransfersPerSecond))
        console.print(String(format: "Ceiling (empty write transactions, %d in flight): %.0f tx/s", width, ceiling.rate))
        for (label, run, refused) in rates {
            console.print(String(format: "Persisted through LedgerStore, %@: %.0f transfers/s (%.2f of the ceiling), %d refused at a floor; ",
                                 label, run.rate, run.rate / ceiling.rate, refused) + run.waitSummary("transfer"))
        }
        console.print(findings.isEmpty ? "Ledger audit clean: every unit balances, every account within its limits"
                                       : "Ledger audit FOUND \(findings)")
    }
}

/// A counter shared by the benchmark's tasks.
final class RefusalCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
