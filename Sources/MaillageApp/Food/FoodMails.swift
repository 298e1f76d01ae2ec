import Foundation
import MaillageCore
import Vapor

/// The shopper's receipt, mailed when an order is confirmed: what was bought at what price,
/// where and when to collect it, how it is paid, and a link to the order.
enum FoodMails {
    /// Who is told and how: given by the page or API call that confirms the order. A checkout
    /// without it (demo seeding, a benchmark's baseline) mails nothing.
    struct Receipt: Sendable, Codable {
        var baseURL: String
        var language: Language

        init(baseURL: String, language: Language) {
            self.baseURL = baseURL
            self.language = language
        }

        init(_ req: Request) {
            self.init(baseURL: PublicAddress.baseURL(req), language: req.language)
        }
    }

    /// What the receipt's outbox row holds: the order it is about and how to speak of it. Kept
    /// short (the rest is read from the order when the mail is written out): on SQLite every
    /// byte a checkout adds is written before its commit is durable.
    struct ReceiptData: Codable {
        var order: UUID
        var receipt: Receipt
    }

    /// Written out when it goes (or is read in the mailbox), from the order as stored: the
    /// checkout only writes the row naming it.
    static let receiptTemplate = MailTemplate(name: "food.receipt") { data, db in
        let stored = try JSONDecoder().decode(ReceiptData.self, from: data)
        let row = try await FoodCheckout.order(stored.order, on: db)
        guard let coop = try await Cooperative.find(row.cooperativeID, on: db) else { throw Problem.notFound(FoodCheckout.orderWord) }
        let cycleRow = try await FoodCycles.row(row.cycleID, on: db)
        let cycle = cycleRow.cycle(offers: [], points: try await FoodCycles.points(of: cycleRow, on: db))
        guard let shopper = try await User.find(row.shopperID, on: db) else { throw Problem.notFound(FoodCheckout.orderWord) }
        return confirmed(order: try row.order(), number: String(row.number), cycle: cycle, shopper: shopper, cooperative: coop,
                         receipt: stored.receipt)
    }

    /// The receipt's envelope, written with the order. Its line in the operators' lists names
    /// the cycle; the mail itself, written out later, names the order by its number (a checkout
    /// in a group commit knows its number only once the group is written).
    static func receiptEnvelope(order: UUID, cycleName: String, shopper: User, receipt: Receipt) throws -> OutboxEnvelope {
        let t = Translator(language: language(of: shopper, receipt))
        return try MailChannel.envelope(to: shopper.email, name: shopper.displayName,
                                        subject: t("Commande confirmée — \(cycleName)", "Order confirmed — \(cycleName)"),
                                        template: receiptTemplate, data: ReceiptData(order: order, receipt: receipt))
    }

    static func language(of shopper: User, _ receipt: Receipt) -> Language {
        shopper.language.flatMap(Language.init(rawValue:)) ?? receipt.language
    }

    static func subject(number: String, cycleName: String, _ t: Translator) -> String {
        t("Commande n° \(number) confirmée — \(cycleName)", "Order no. \(number) confirmed — \(cycleName)")
    }

    static func confirmed(order: FoodOrder, number: String, cycle: OrderCycle, shopper: User, cooperative: Cooperative,
                          receipt: Receipt) -> MailContent {
        let language = language(of: shopper, receipt)
        let t = Translator(language: language)
        let money = { (cents: Int64) in Euros.format(cents: cents, language) }
        var items = order.cart.lines.map { line in
            MailContent.Item(label: "\(line.quantity) × \(line.productName)" + (line.variantLabel.isEmpty ? "" : " (\(line.variantLabel))"),
                             amount: money(line.totalCents))
        }
        if order.cart.deliveryCents > 0 { items.append(.init(label: t("Livraison", "Delivery"), amount: money(order.cart.deliveryCents))) }
        items.append(.init(label: t("Total TTC", "Total incl. VAT"), amount: money(order.cart.totalCents), total: true))
        let collect = t("Retrait : ", "Collection: ") + FoodViews.fulfilmentText(order.fulfilment, points: cycle.pickupPoints, t, language) + "."
        let paid: String = switch order.payment {
        case .atPickup: t("Vous réglez au retrait.", "You pay at pickup.")
        case .memberCredit: t("Réglée sur votre avoir de membre.", "Paid from your member credit.")
        }
        return MailContent(
            to: shopper.email, toName: shopper.displayName, language: language,
            subject: subject(number: number, cycleName: cycle.name, t),
            greeting: t("Bonjour \(shopper.displayName),", "Hello \(shopper.displayName),"),
            paragraphs: [t("\(cooperative.name) a bien reçu votre commande n° \(number) pour « \(cycle.name) ».",
                           "\(cooperative.name) has your order no. \(number) for “\(cycle.name)”."),
                         collect + " " + paid],
            action: .init(label: t("Voir ma commande", "See my order"),
                          url: receipt.baseURL + "/c/\(cooperative.slug)/food/orders/\(order.id.uuidString.lowercased())"),
            footer: t("Vous recevez ce courriel parce que vous avez passé cette commande sur Maillage. Pour l’annuler, ouvrez-la tant que le cycle est ouvert.",
                      "You get this mail because you placed this order on Maillage. To cancel it, open it while the cycle is open."),
            items: items)
    }
}
