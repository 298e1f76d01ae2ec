import Foundation
import MaillageCore
import Plot
import Vapor

/// Pieces the food pages share: prices, a basket's lines, where the money goes.
enum FoodViews {
    static func euros(_ cents: Int64, _ language: Language) -> String { UnitOfAccount.eur.format(cents, language) }

    static func radio(_ name: String, value: String, label: String, checked: Bool, id: String, disabled: Bool = false) -> Node<HTML.FormContext> {
        .div(.class("check"),
             .input(.type(.radio), .id(id), .name(name), .value(value), .checked(checked), .attribute(named: "disabled", value: disabled ? "disabled" : nil)),
             .label(.for(id), .text(label)))
    }

    /// The basket's lines, VAT per rate and totals, as a table. `payable` false: an order
    /// cancelled or abandoned, whose total is shown as what it was, with nothing to pay.
    static func lines(_ cart: PricedCart, _ t: Translator, _ language: Language, payable: Bool = true) -> Node<HTML.BodyContext> {
        .table(
            .caption(.text(t("Détail de la commande", "Order details"))),
            .thead(.tr(.th(.text(t("Produit", "Product"))), .th(.class("num"), .text(t("Quantité", "Quantity"))),
                       .th(.class("num"), .text(t("Prix unitaire", "Unit price"))), .th(.class("num"), .text(t("Total TTC", "Total incl. VAT"))))),
            .tbody(.forEach(cart.lines) { line in
                .tr(.td(.text("\(line.productName) — \(line.variantLabel)")), .td(.class("num"), .text("\(line.quantity)")),
                    .td(.class("num"), .text(euros(line.unitPriceCents, language))), .td(.class("num"), .text(euros(line.totalCents, language))))
            }),
            .tfoot(
                .tr(.th(.attribute(named: "colspan", value: "3"), .text(t("Produits", "Goods"))), .td(.class("num"), .text(euros(cart.goodsCents, language)))),
                .if(cart.deliveryCents > 0, .tr(.th(.attribute(named: "colspan", value: "3"), .text(t("Livraison", "Delivery"))),
                                                 .td(.class("num"), .text(euros(cart.deliveryCents, language))))),
                .forEach(cart.vat) { vat in
                    .tr(.th(.attribute(named: "colspan", value: "3"), .text(t("dont TVA ", "of which VAT ") + vat.rate.formatted(language))),
                        .td(.class("num"), .text(euros(vat.vatCents, language))))
                },
                .tr(.th(.attribute(named: "colspan", value: "3"),
                        .text(payable ? t("Total à payer", "Total to pay") : t("Total (rien à payer)", "Total (nothing to pay)"))),
                    .td(.class("num"), .strong(.text(euros(cart.totalCents, language))))))
        )
    }

    /// Where the shopper's money goes, before they confirm: producers, the cooperative's fee,
    /// delivery — a chart and the same figures in words.
    static func moneySplit(_ cart: PricedCart, producerNames: [UUID: String], _ t: Translator, _ language: Language) -> Node<HTML.BodyContext> {
        let total = max(cart.totalCents, 1)
        var parts: [(label: String, cents: Int64)] = cart.producers.map { (producerNames[$0.producerID] ?? t("Producteur", "Producer"), $0.payoutCents) }
        parts.append((t("Coopérative (frais de fonctionnement)", "Cooperative (running costs)"), cart.split.fee.minorUnits))
        if cart.deliveryCents > 0 { parts.append((t("Livraison", "Delivery"), cart.deliveryCents)) }
        let weights = parts.map(\.cents)
        let shares = (try? Apportionment.largestRemainder(10_000, weights: weights)) ?? weights.map { $0 * 10_000 / total }
        return .section(.class("money-split"),
            .h2(.text(t("Où va votre argent", "Where your money goes"))),
            Charts.split(zip(parts, shares).map { ($0.label, $1, euros($0.cents, language)) },
                         title: t("Répartition de votre paiement", "How your payment is shared"), language: language),
            .p(.class("hint"), .text(t("Les producteurs reçoivent le prix de leurs produits moins les frais de la coopérative (\(feeText(cart, language))), votés par ses sociétaires et publiés sur sa page de transparence.",
                                       "Producers receive the price of their products minus the cooperative's fee (\(feeText(cart, language))), voted by its members and published on its transparency page."))))
    }

    static func feeText(_ cart: PricedCart, _ language: Language) -> String {
        let goods = max(cart.goodsCents, 1)
        let percent = Double(cart.split.fee.minorUnits) / Double(goods) * 100
        return String(format: language == .fr ? "%.1f %%" : "%.1f%%", percent).replacingOccurrences(of: ".", with: language == .fr ? "," : ".")
    }

    static func phaseBadge(_ phase: CyclePhase, _ t: Translator) -> Node<HTML.BodyContext> {
        .span(.class("badge phase-\(phase.rawValue)"), .text(t(phase.label)))
    }

    static func fulfilmentText(_ fulfilment: Fulfilment, points: [PickupPoint], _ t: Translator, _ language: Language) -> String {
        switch fulfilment {
        case let .pickup(pointID, slotID):
            guard let point = points.first(where: { $0.id == pointID }) else { return t("Point de retrait", "Pickup point") }
            let slot = point.slot(slotID)
            return "\(point.name), \(point.address) — " + (slot.map { DateText.short($0.startsAt, language) + " → " + DateText.time($0.endsAt, language) } ?? "")
        case .homeDelivery(let address):
            return t("Livraison à domicile : ", "Home delivery: ") + address
        }
    }
}
