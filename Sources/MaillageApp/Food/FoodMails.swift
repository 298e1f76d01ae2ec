import Foundation
import MaillageCore
import Vapor

/// The shopper's receipt, mailed when an order is confirmed: what was bought at what price,
/// where and when to collect it, how it is paid, and a link to the order.
enum FoodMails {
    /// Who is told and how: given by the page or API call that confirms the order. A checkout
    /// without it (demo seeding, a benchmark's baseline) mails nothing.
    struct Receipt: Sendable {
        var baseURL: String
        var language: Language
        var cooperativeName: String
        var cooperativeSlug: String

        init(baseURL: String, language: Language, cooperativeName: String, cooperativeSlug: String) {
            self.baseURL = baseURL
            self.language = language
            self.cooperativeName = cooperativeName
            self.cooperativeSlug = cooperativeSlug
        }

        init(_ req: Request, cooperativeName: String, slug: String) {
            self.init(baseURL: PublicAddress.baseURL(req), language: req.language, cooperativeName: cooperativeName, cooperativeSlug: slug.lowercased())
        }

        init(_ req: Request, access: FoodAccess) {
            self.init(req, cooperativeName: access.coop.name, slug: access.coop.slug)
        }
    }

    /// `number`: the order's number as text (a group placeholder's marker when it is not taken yet).
    static func confirmed(order: FoodOrder, number: String, cycle: OrderCycle, shopper: User, receipt: Receipt) -> MailContent {
        let language = shopper.language.flatMap(Language.init(rawValue:)) ?? receipt.language
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
            subject: t("Commande n° \(number) confirmée — \(cycle.name)", "Order no. \(number) confirmed — \(cycle.name)"),
            greeting: t("Bonjour \(shopper.displayName),", "Hello \(shopper.displayName),"),
            paragraphs: [t("\(receipt.cooperativeName) a bien reçu votre commande n° \(number) pour « \(cycle.name) ».",
                           "\(receipt.cooperativeName) has your order no. \(number) for “\(cycle.name)”."),
                         collect + " " + paid],
            action: .init(label: t("Voir ma commande", "See my order"),
                          url: receipt.baseURL + "/c/\(receipt.cooperativeSlug)/food/orders/\(order.id.uuidString.lowercased())"),
            footer: t("Vous recevez ce courriel parce que vous avez passé cette commande sur Maillage. Pour l’annuler, ouvrez-la tant que le cycle est ouvert.",
                      "You get this mail because you placed this order on Maillage. To cancel it, open it while the cycle is open."),
            items: items)
    }
}
