import Fluent
import Foundation
import MaillageCore
import SQLKit

/// Money in the demo territory: a food cooperative with prepaid credit, sales, fees and costs
/// over two years; a barter network with trades and an invoice waiting; a time bank with hours.
enum LedgerDemo {
    static func seed(_ demo: DemoTerritory) async throws {
        let db = demo.db
        let calendar = Calendar(identifier: .gregorian)
        let year = calendar.component(.year, from: Date())
        func day(_ y: Int, _ month: Int, _ d: Int) -> Date {
            min(Date().addingTimeInterval(-3600), calendar.date(from: DateComponents(timeZone: TimeZone(identifier: "Europe/Paris"), year: y, month: month, day: d, hour: 10)) ?? Date())
        }
        // Shares of every cooperative with capital.
        for coop in try await Cooperative.query(on: db).all() { try await ShareCapitalBooking.reconcile(coop, on: db, now: day(year - 1, 1, 15)) }

        if let food = demo.cooperative(.food) {
            let coopID = try food.requireID()
            try await FeeRules.save(try FeeRule(basisPoints: 800), for: .food, in: coopID, by: demo.user("alice").requireID(), on: db)
            let shoppers = ["emma", "farid", "hugo", "ines", "jules"], producers = ["gaelle", "david"]
            let clearing = try await AccountBook.open(.clearing, cooperative: coopID, on: db)
            for (index, handle) in shoppers.enumerated() {
                for y in [year - 1, year] {
                    let wallet = try await AccountBook.open(.wallet, cooperative: coopID, user: demo.user(handle).requireID(), on: db)
                    try await LedgerStore.post(Posting(transfer: Transfer(debit: AccountID(clearing.id), credit: AccountID(wallet.id), amount: .euros(cents: 30_000),
                                                                          memo: "Virement reçu", idempotencyKey: "demo:topup:\(handle):\(y)", time: day(y, 1, 10 + index)),
                                                       cooperative: coopID, category: .topUp), on: db)
                }
            }
            var n = 0
            for y in [year - 1, year] {
                for month in 2...(y == year ? max(2, min(10, calendar.component(.month, from: Date()) - 1)) : 12) {
                    for (index, handle) in shoppers.enumerated() where (month + index) % 2 == 0 {
                        n += 1
                        let total = Int64(1_800 + (n * 731) % 2_700)
                        try await Payments.pay(Payments.Sale(cooperative: coopID, activity: .food, buyer: try demo.user(handle).requireID(),
                                                             seller: try demo.user(producers[n % 2]).requireID(), total: .euros(cents: total),
                                                             memo: "Panier du \(month)/\(y)", idempotencyKey: "demo:sale:\(n)", time: day(y, month, 3 + index)), on: db)
                    }
                }
            }
            let operating = try await AccountBook.open(.operating, cooperative: coopID, on: db)
            let costs: [(String, String, Int64, Int)] = [("premises", "Loyer du local de retrait", 2_500, 3), ("services", "Hébergement et logiciels libres", 1_200, 6),
                                                         ("insurance", "Assurance et frais bancaires", 600, 9)]
            for (kind, label, cents, month) in costs {
                try await LedgerStore.post(Posting(transfer: Transfer(debit: AccountID(operating.id), credit: AccountID(clearing.id), amount: .euros(cents: cents),
                                                                      memo: label, idempotencyKey: "demo:cost:\(kind):\(year - 1)", time: day(year - 1, month, 28)),
                                                   cooperative: coopID, category: .cost, tag: kind), on: db)
            }
        }

        if let barter = demo.cooperative(.barter) {
            let coopID = try barter.requireID()
            try await CreditSettings(defaultLine: 100_000, yearlyFee: 12_000, timeFloor: nil).save(coopID, on: db)
            let trades: [(String, String, Int64, String)] = [
                ("victor", "alice", 45_000, "Conseil en communication — 3 jours"), ("bruno", "victor", 12_000, "Livraisons de colis, octobre"),
                ("quentin", "ursule", 80_000, "Réfection de la vitrine"), ("ursule", "bruno", 25_000, "Impression de 500 flyers"),
                ("alice", "quentin", 30_000, "Paniers pour le séminaire"),
            ]
            for (index, trade) in trades.enumerated() {
                let invoice = try await BarterInvoices.issue(by: demo.user(trade.0), to: try demo.user(trade.1).requireID(), amount: .barter(cents: trade.2),
                                                             description: trade.3, in: barter, on: db, now: day(year, 2 + index, 5))
                try await BarterInvoices.accept(invoice.id, by: demo.user(trade.1), in: barter, on: db, now: day(year, 2 + index, 8))
            }
            _ = try await BarterInvoices.issue(by: demo.user("ursule"), to: try demo.user("victor").requireID(), amount: .barter(cents: 18_000),
                                               description: "Maintenance du site web", in: barter, on: db)
            for (handle, kind, title) in [("victor", "offer", "Conseil en communication"), ("ursule", "offer", "Imprimerie : flyers, affiches"),
                                          ("quentin", "want", "Location d’un utilitaire"), ("bruno", "offer", "Livraison à vélo-cargo")] {
                try await db.sql.insert(into: "barter_offers").columns("id", "cooperative_id", "user_id", "kind", "title", "description", "created_at")
                    .values(SQLBind(UUID()), SQLBind(coopID), SQLBind(try demo.user(handle).requireID()), SQLBind(kind), SQLBind(title),
                            SQLBind(""), SQLBind(day(year, 1, 20))).run()
            }
        }

        if let exchange = demo.cooperative(.exchange) {
            let coopID = try exchange.requireID()
            let services: [(String, String, Int64, String)] = [
                ("paul", "jules", 90, "Aide au déménagement"), ("jules", "oceane", 60, "Cours de guitare"),
                ("oceane", "emma", 120, "Réparation de vélo"), ("rose", "paul", 45, "Garde de chat"), ("emma", "rose", 30, "Arrosage des plantes"),
            ]
            for (index, service) in services.enumerated() {
                let receiver = try await AccountBook.open(.hours, cooperative: coopID, user: demo.user(service.0).requireID(), on: db)
                let giver = try await AccountBook.open(.hours, cooperative: coopID, user: demo.user(service.1).requireID(), on: db)
                let bank = try TimeBank(id: coopID, floor: .time(minutes: -600))
                let transfer = try bank.service(given: AccountID(giver.id), to: AccountID(receiver.id), duration: .time(minutes: service.2),
                                                description: service.3, time: day(year, 3 + index, 12), idempotencyKey: "demo:service:\(index)")
                try await LedgerStore.post(Posting(transfer: transfer, cooperative: coopID, category: .service), on: db)
            }
        }
        if let delivery = demo.cooperative(.delivery) {
            try await FeeRules.save(try FeeRule(basisPoints: 1_000, fixed: .euros(cents: 50)), for: .delivery, in: try delivery.requireID(), by: nil, on: db)
        }
    }
}
