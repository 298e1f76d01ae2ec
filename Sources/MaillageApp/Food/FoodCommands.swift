import Fluent
import Foundation
import MaillageCore
import SQLKit
import Vapor

/// `maillage import products --cooperative SLUG [--producer NAME] FILE.csv`: creates or updates
/// products from a CSV file, with a progress bar and the refused lines listed at the end.
struct ImportCommands: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] { ["products": ImportProductsCommand()] }
    var help: String { "Import data from files (products)." }
}

struct ImportProductsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "CSV file, one line per variant") var file: String
        @Option(name: "cooperative", short: "c", help: "The food cooperative's slug") var cooperative: String?
        @Option(name: "producer", short: "p", help: "The producer's name, when the file has no producer column") var producer: String?
    }

    var help: String { "Create or update products from a CSV file (columns: producer, product, variant, quantity, unit, price, vat, stock, category, description)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application, console = context.console
        guard let slug = signature.cooperative else { throw ImportFailure("--cooperative SLUG is required") }
        try await DatabaseSetup.migrate(app)
        let coop = try await Cooperatives.find(slug: slug, on: app.db)
        let coopID = try coop.requireID()
        var producer: ProducerRow?
        if let name = signature.producer {
            producer = try await FoodCatalogStore.producers(of: coopID, on: app.db).first { SearchText.fold($0.name) == SearchText.fold(name) }
            guard producer != nil else { throw ImportFailure("no producer named “\(name)” in \(slug)") }
        }
        let text = try String(contentsOfFile: signature.file, encoding: .utf8)
        let bar = ProgressBar(label: "products")
        let outcome = try await FoodImport.run(csv: text, producer: producer, cooperative: coopID, on: app.db) { done, total in bar.show(done, of: total) }
        bar.finish()
        console.print("\(outcome.created) created, \(outcome.updated) updated, \(outcome.issues.count) line(s) refused of \(outcome.rows).")
        for issue in outcome.issues.prefix(200) { console.print("  line \(issue.line): \(issue.message.en)") }
        if !outcome.issues.isEmpty { throw ImportFailure("\(outcome.issues.count) line(s) refused") }
    }
}

struct ImportFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A progress bar on the terminal (redrawn in place), or a line every tenth when not a terminal.
final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let lock = NSLock()
    private var lastTenth = -1
    private let isTerminal = isatty(STDOUT_FILENO) != 0

    init(label: String) { self.label = label }

    func show(_ done: Int, of total: Int) {
        lock.lock(); defer { lock.unlock() }
        let fraction = total == 0 ? 1 : Double(done) / Double(total)
        if isTerminal {
            let filled = Int(fraction * 30)
            let line = "\r  \(label) [" + String(repeating: "#", count: filled) + String(repeating: " ", count: 30 - filled) + "] \(Int(fraction * 100)) % (\(done)/\(total))"
            FileHandle.standardOutput.write(Data(line.utf8))
        } else if Int(fraction * 10) > lastTenth {
            lastTenth = Int(fraction * 10)
            print("  \(label): \(Int(fraction * 100)) % (\(done)/\(total))")
        }
    }

    func finish() { if isTerminal { FileHandle.standardOutput.write(Data("\n".utf8)) } }
}

/// `maillage food-bench-seed --products 10000`: a food cooperative with an open cycle of that
/// many products and shoppers holding API tokens, for `bench/run`. Writes `KEY=value` lines
/// (slug, cycle, pickup point, slot) and the tokens and variants files the load scripts read.
struct FoodBenchSeedCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "products", help: "Products in the cycle (default 10000)") var products: Int?
        @Option(name: "shoppers", help: "Shoppers with tokens (default 64)") var shoppers: Int?
        @Option(name: "out", help: "Folder for food.env, tokens.txt, variants.txt (default .)") var out: String?
        @Option(name: "orders", help: "Orders placed in a second cycle to time its reports (default 2000, 0 = none)") var orders: Int?
        @Option(name: "checkouts", help: "One-call checkouts to time in process, beside empty write transactions (default 0 = none)") var checkouts: Int?
        @Option(name: "concurrency", help: "Checkouts in flight at once for --checkouts (default 64)") var concurrency: Int?
        @Option(name: "mail-pairs", help: "After --checkouts, pairs of runs of as many checkouts with and without the receipt mail, alternated (default 0 = none)") var mailPairs: Int?
        @Flag(name: "without-sender", help: "With --mail-pairs: leave the outbox sender stopped (what writing the mail alone costs)") var withoutSender: Bool
    }

    var help: String { "Seeds a food cooperative with a large open cycle for the shopfront and checkout benchmarks." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application, console = context.console, db = app.db
        try await DatabaseSetup.migrate(app)
        let count = max(1, signature.products ?? 10_000), shoppers = max(1, signature.shoppers ?? 64)
        let folder = URL(fileURLWithPath: signature.out ?? ".")
        let tag = UUID().uuidString.prefix(6).lowercased()
        var users: [User] = []
        for index in 0..<(20 + shoppers) {
            let user = User(email: "bench-food-\(tag)-\(index)@example.invalid", passwordHash: "x", displayName: "Banc \(index)")
            try await user.create(on: db)
            users.append(user)
        }
        let coop = try await Cooperatives.create(CooperativeDraft(name: "Épicerie du banc \(tag)", slug: "epicerie-banc-\(tag)", legalForm: .association1901,
                                                                   commune: "Nantes", description: "Coopérative de mesure de la boutique.", activities: [.food],
                                                                   colleges: [], shareNominalCents: 0, charter: []), creator: users[0], review: .approved, on: db)
        let coopID = try coop.requireID()
        for user in users.dropFirst() {
            let membership = Membership()
            membership.$cooperative.id = coopID
            membership.$user.id = try user.requireID()
            membership.shares = 0
            membership.role = MemberRole.member.rawValue
            membership.status = MembershipStatus.active.rawValue
            membership.message = ""
            try await membership.create(on: db)
        }
        var producers: [ProducerRow] = []
        for index in 0..<20 {
            producers.append(try await FoodCatalogStore.addProducer(user: users[index].requireID(), name: "Ferme \(index + 1)", description: "",
                                                                     commune: "Nantes", in: coopID, on: db))
        }
        let words = ["Pommes", "Poires", "Carottes", "Poireaux", "Tomme", "Yaourt", "Pain", "Miel", "Œufs", "Jus", "Courge", "Salade",
                     "Farine", "Confiture", "Beurre", "Fromage", "Lentilles", "Noix", "Cidre", "Terrine"]
        let categories = ["Fruits", "Légumes", "Fromages", "Pain", "Épicerie", "Boissons"]
        let bar = ProgressBar(label: "products")
        var variants: [UUID] = [], offers: [CycleOffer] = []
        let now = Date()
        let farms = producers
        for start in stride(from: 0, to: count, by: 500) {
            let rows = (start..<min(start + 500, count)).map { n in
                FoodBulkProducts.Row(producerID: farms[n % farms.count].id, producerName: farms[n % farms.count].name,
                                     name: "\(words[n % words.count]) n° \(n)", category: categories[n % categories.count],
                                     description: "Produit de banc d’essai \(n).", priceCents: Int64(150 + n % 900))
            }
            for row in rows {
                variants.append(row.variant)
                offers.append(CycleOffer(variantID: row.variant, productID: row.product, producerID: row.producerID))
            }
            try await db.writeTransaction { tx in try await FoodBulkProducts.insert(rows, cooperative: coopID, now: now, on: tx) }
            bar.show(min(start + 500, count), of: count)
        }
        bar.finish()
        let point = try await FoodCycles.addPickupPoint(name: "Halle du banc", address: "1 place du Banc, Nantes", in: coopID, on: db)
        let cycleID = UUID(), slotID = UUID()
        let cycle = CycleRow(id: cycleID, cooperativeID: coopID, name: "Cycle du banc", opensAt: now.addingTimeInterval(-3600),
                             closesAt: now.addingTimeInterval(7 * 86_400), published: true, cancelledAt: nil, feeBasisPoints: 800, feeFixedCents: 0,
                             deliveryFeeCents: nil, lastNumber: 0, createdBy: try users[0].requireID(), createdAt: now)
        let snapshot = offers
        try await db.writeTransaction { tx in
            try await tx.sql.insert(into: "food_cycles").model(cycle).run()
            try await tx.sql.insert(into: "food_cycle_slots").model(SlotRow(id: slotID, cycleID: cycleID, pickupPointID: point.id,
                                                                           startsAt: now.addingTimeInterval(8 * 86_400), endsAt: now.addingTimeInterval(8 * 86_400 + 7200))).run()
            try await FoodCycles.insertOffers(snapshot, cycle: cycleID, on: tx)
        }
        var tokens: [String] = []
        for user in users.dropFirst(20) { tokens.append(try await Tokens.create(for: user, name: "bench", on: db)) }
        try tokens.joined(separator: "\n").appending("\n").write(to: folder.appendingPathComponent("tokens.txt"), atomically: true, encoding: .utf8)
        try variants.prefix(2_000).map { $0.uuidString }.joined(separator: "\n").appending("\n")
            .write(to: folder.appendingPathComponent("variants.txt"), atomically: true, encoding: .utf8)
        let env = "FOOD_SLUG=\(coop.slug)\nFOOD_CYCLE=\(cycleID.uuidString)\nFOOD_POINT=\(point.id.uuidString)\nFOOD_SLOT=\(slotID.uuidString)\n"
        try env.write(to: folder.appendingPathComponent("food.env"), atomically: true, encoding: .utf8)
        console.print("Seeded \(coop.slug): \(count) products in cycle \(cycleID), \(tokens.count) shoppers; files in \(folder.path)")
        let orders = signature.orders ?? 2_000
        if orders > 0 {
            try await timeReports(orders: orders, cycle: cycle, shoppers: Array(users.dropFirst(20)), variants: Array(variants.prefix(200)),
                                  point: point.id, slot: slotID, console: console, on: db)
        }
        // After the reports, so that they are timed on their own orders only.
        if let checkouts = signature.checkouts, checkouts > 0 {
            let shoppers = Array(users.dropFirst(20)), chosen = Array(variants.prefix(2_000))
            try await timeCheckouts(checkouts, width: max(1, signature.concurrency ?? 64), coop: coop.slug, cycle: cycle,
                                    shoppers: shoppers, variants: chosen, point: point.id, slot: slotID, console: console, on: db)
            if let pairs = signature.mailPairs, pairs > 0 {
                let receipt = FoodMails.Receipt(baseURL: "http://localhost:8080", language: .fr)
                try await timeReceiptMails(pairs: pairs, checkouts: checkouts, width: max(1, signature.concurrency ?? 64), coop: coop.slug,
                                           cycle: cycle, shoppers: shoppers, variants: chosen, point: point.id, slot: slotID,
                                           receipt: receipt, sender: !signature.withoutSender, app: app, console: console)
            }
        }
    }

    /// What the receipt mail costs the checkout rate: runs of `checkouts` one-call checkouts with
    /// the mail written in each order's transaction and without, alternated (with first in even
    /// pairs, without first in odd ones, so a drift of the machine weighs on both), while the
    /// process's outbox sender drains as it does in service (mail held, no SMTP server: what a
    /// fresh install does). Each run starts with the outbox empty of due mail. Then checks that
    /// every order of a run with mail has exactly one mail, and the others none.
    private func timeReceiptMails(pairs: Int, checkouts: Int, width: Int, coop slug: String, cycle: CycleRow, shoppers: [User],
                                  variants: [UUID], point: UUID, slot: UUID, receipt: FoodMails.Receipt, sender running: Bool,
                                  app: Application, console: any Console) async throws {
        let db = app.db
        guard let sender = app.outboxSender else { throw ImportFailure("no outbox sender in this process") }
        struct Count: Decodable { var n: Int64 }
        func count(_ sql: SQLQueryString) async throws -> Int64 { try await db.sql.raw(sql).first(decoding: Count.self)?.n ?? -1 }
        let since = Date()
        if running { sender.start(app) }
        var ratios: [Double] = [], mailed = 0
        for pair in 0..<pairs {
            var rates: [Bool: Double] = [:]
            for withMail in pair % 2 == 0 ? [true, false] : [false, true] {
                // The previous run's mail leaves first: each run meets the same outbox.
                while running, try await count("SELECT COUNT(*) AS n FROM outbox_messages WHERE status = 'pending'") > 0 {
                    try await Task.sleep(for: .milliseconds(50))
                }
                let run = try await TimedRun.measure(checkouts, width: width, label: withMail ? "checkouts with mail" : "checkouts without mail", console) { n in
                    let shopper = shoppers[n % shoppers.count]
                    let standing = try await CheckoutReads.cycle(slug: slug, id: cycle.id, user: try shopper.requireID(), on: db)
                    _ = try await FoodCheckout.place(FoodCheckout.Request(cycle: standing, lines: [CartLine(variantID: variants[(n * 7919) % variants.count], quantity: 1)],
                                                                          shopper: shopper, fulfilment: .pickup(point: point, slot: slot), payment: .atPickup,
                                                                          confirm: true, receipt: withMail ? receipt : nil), on: db)
                }
                rates[withMail] = run.rate
                if withMail { mailed += checkouts }
            }
            let with = rates[true] ?? 0, without = rates[false] ?? 1
            ratios.append(with / without)
            console.print(String(format: "Pair %d: with mail %.0f/s, without %.0f/s, ratio %.3f", pair + 1, with, without, with / without))
        }
        while running, try await count("SELECT COUNT(*) AS n FROM outbox_messages WHERE status = 'pending'") > 0 { try await Task.sleep(for: .milliseconds(50)) }
        if running { await sender.stop() }
        let sorted = ratios.sorted(), median = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        console.print(String(format: "Receipt mail: median ratio with/without %.3f over %d pairs (the mail costs %.1f %% of the checkout rate)",
                             median, pairs, (1 - median) * 100))
        // One mail per order: each row names its own order.
        let mails = try await count("SELECT COUNT(*) AS n FROM outbox_messages WHERE channel = 'mail' AND created_at >= \(bind: since)")
        let distinct = try await count("SELECT COUNT(DISTINCT payload) AS n FROM outbox_messages WHERE channel = 'mail' AND created_at >= \(bind: since)")
        console.print(mails == Int64(mailed) && distinct == mails
                      ? "Receipt audit clean: \(mails) mails for \(mailed) checkouts with mail, each naming its own order"
                      : "Receipt audit FOUND \(mails) mails (\(distinct) naming distinct orders) for \(mailed) checkouts with mail")
    }

    /// The checkout rate on this database without HTTP: what `POST …/orders` runs once the token
    /// is checked (the shopper's standing in the cooperative and the cycle, then `FoodCheckout.place`,
    /// a one-line basket confirmed and paid at pickup), `width` at a time, beside the same number
    /// in flight of empty write transactions on the cycle's row. Then checks what was written:
    /// one order and one line per checkout, numbered without a gap.
    private func timeCheckouts(_ count: Int, width: Int, coop slug: String, cycle: CycleRow, shoppers: [User], variants: [UUID],
                               point: UUID, slot: UUID, console: any Console, on db: any Database) async throws {
        let ceiling = try await TimedRun.measure(count / 2, width: width, label: "ceiling", console) { _ in
            try await db.writeTransaction { tx in
                try await tx.sql.raw("UPDATE food_cycles SET last_number = last_number WHERE id = \(bind: cycle.id)").run()
            }
        }
        struct Count: Decodable { var n: Int64 }
        func number(_ sql: SQLQueryString) async throws -> Int64 { try await db.sql.raw(sql).first(decoding: Count.self)?.n ?? -1 }
        let linesOfCycle: SQLQueryString = """
            SELECT COUNT(*) AS n FROM food_order_lines l JOIN food_orders o ON o.id = l.order_id WHERE o.cycle_id = \(bind: cycle.id)
            """
        let before = try await number("SELECT COUNT(*) AS n FROM food_orders WHERE cycle_id = \(bind: cycle.id)")
        let linesBefore = try await number(linesOfCycle)
        let groupsBefore = await db.writeGroups?.written() ?? (groups: 0, members: 0)
        let run = try await TimedRun.measure(count, width: width, label: "checkouts", console) { n in
            let shopper = shoppers[n % shoppers.count]
            let standing = try await CheckoutReads.cycle(slug: slug, id: cycle.id, user: try shopper.requireID(), on: db)
            _ = try await FoodCheckout.place(FoodCheckout.Request(cycle: standing, lines: [CartLine(variantID: variants[(n * 7919) % variants.count], quantity: 1)],
                                                                  shopper: shopper, fulfilment: .pickup(point: point, slot: slot),
                                                                  payment: .atPickup, confirm: true), on: db)
        }
        let groups = await db.writeGroups?.written() ?? (groups: 0, members: 0)
        let placed = try await number("SELECT COUNT(*) AS n FROM food_orders WHERE cycle_id = \(bind: cycle.id)") - before
        let lines = try await number(linesOfCycle) - linesBefore
        let numbers = try await number("SELECT COUNT(DISTINCT number) AS n FROM food_orders WHERE cycle_id = \(bind: cycle.id)")
        let last = try await number("SELECT MAX(number) AS n FROM food_orders WHERE cycle_id = \(bind: cycle.id)")
        console.print(String(format: "Ceiling (empty write transactions, %d in flight): %.0f tx/s", width, ceiling.rate))
        var line = String(format: "Checkouts in process (%d in flight): %.0f/s (%.2f of the ceiling); ", width, run.rate, run.rate / ceiling.rate)
            + run.waitSummary("checkout")
        let members = groups.members - groupsBefore.members, written = groups.groups - groupsBefore.groups
        if written > 0 { line += String(format: "; %.1f checkouts a transaction", Double(members) / Double(written)) }
        console.print(line)
        let sound = placed == Int64(count) && lines == placed && numbers == before + placed && last == before + placed
        console.print(sound ? "Checkout audit clean: \(placed) orders, one line each; the cycle's orders numbered 1 to \(last) without a gap"
                            : "Checkout audit FOUND \(placed) orders for \(count) checkouts, \(lines) lines, \(numbers) numbers up to \(last)")
    }

    /// Places `orders` orders of 3 lines in the cycle, then times what the report pages do —
    /// read the orders, decode them, build the three reports and their CSV — beside the floor of
    /// reading the same rows without decoding them.
    private func timeReports(orders: Int, cycle: CycleRow, shoppers: [User], variants: [UUID], point: UUID, slot: UUID,
                             console: any Console, on db: any Database) async throws {
        let bar = ProgressBar(label: "orders")
        for n in 0..<orders {
            let lines = (0..<3).map { CartLine(variantID: variants[(n * 3 + $0 * 17) % variants.count], quantity: 1 + $0) }
            _ = try await FoodCheckout.place(FoodCheckout.Request(cycle: cycle, lines: lines, shopper: shoppers[n % shoppers.count],
                                                                  fulfilment: .pickup(point: point, slot: slot), payment: .atPickup, confirm: true), on: db)
            bar.show(n + 1, of: orders)
        }
        bar.finish()
        let clock = ContinuousClock()
        let floorStart = clock.now
        let raw = try await db.sql.select().column("*").from("food_orders").where("cycle_id", .equal, SQLBind(cycle.id)).all()
        let floor = clock.now - floorStart
        let start = clock.now
        let rows = try await FoodReports.orders(of: cycle.id, on: db)
        let core = try rows.map { try $0.order() }
        let points = try await FoodCycles.points(of: cycle, on: db)
        let names = Dictionary(try await FoodCatalogStore.producers(of: cycle.cooperativeID, on: db).map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let pickup = PickupReport(cycle: cycle.cycle(offers: [], points: points), orders: core)
        let harvest = HarvestReport(orders: core, producerNames: names)
        let totals = CycleTotals(orders: core, producerNames: names)
        let bytes = pickup.csv(.fr).utf8.count + harvest.csv(.fr).utf8.count + totals.csv(.fr).utf8.count
        let elapsed = clock.now - start
        console.print("Reports of \(core.count) orders (pickup list, harvest, totals, with CSV, \(bytes / 1024) KiB): \(milliseconds(elapsed)) ms; "
                      + "floor, reading the \(raw.count) rows undecoded: \(milliseconds(floor)) ms")
    }

    private func milliseconds(_ duration: Duration) -> String {
        String(format: "%.1f", Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15)
    }
}
