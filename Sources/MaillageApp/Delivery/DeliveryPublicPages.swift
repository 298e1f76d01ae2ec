import Fluent
import MaillageCore
import Plot
import Vapor

/// What anyone may read: the cooperative's public prices ("tarifs publics") with how each euro
/// is shared out, and a recipient's tracking page behind its unguessable link.
enum DeliveryPublicPages {
    @Sendable static func prices(_ req: Request) async throws -> Response {
        let access = try await DeliveryAccess(req)
        let t = req.t, language = req.language, coop = access.coop
        let grid = try await DeliverySettings.pricing(of: access.coopID, on: req.db)
        let split = grid.split
        func percent(_ basisPoints: Int) -> String {
            let text = basisPoints % 100 == 0 ? String(basisPoints / 100) : String(Double(basisPoints) / 100)
            return (language == .fr ? text.replacingOccurrences(of: ".", with: ",") : text) + " %"
        }
        return Layout.page(req, title: t("Tarifs publics — \(coop.name)", "Public prices — \(coop.name)"),
            .p(.a(.href("/c/\(coop.slug)"), .text("← " + coop.name))),
            .h1(.text(t("Tarifs publics de la livraison", "Public delivery prices"))),
            .p(.text(grid.mode == .firstMatch
                     ? t("Le premier tarif qui s’applique donne le prix.", "The first price that applies gives the price.")
                     : t("Les tarifs qui s’appliquent s’additionnent.", "The prices that apply add up."))),
            .if(grid.rules.isEmpty, .p(.text(t("La coopérative n’a pas encore publié ses tarifs.", "The cooperative has not published its prices yet.")))),
            .if(!grid.rules.isEmpty, .table(
                .thead(.tr(.th(.text(t("Tarif", "Price"))), .th(.text(t("Conditions", "Conditions"))), .th(.text(t("Montant", "Amount"))))),
                .tbody(.forEach(grid.rules) { rule in
                    .tr(.td(.text(rule.label)),
                        .td(.text(rule.conditions.isEmpty ? t("toujours", "always") : rule.conditions.map { $0.words(language) }.joined(separator: ", "))),
                        .td(.text(amount(rule, language))))
                }))),
            .h2(.text(t("Où va l’argent", "Where the money goes"))),
            .ul(.li(.text(t("Rémunération des coursier·ères : ", "Couriers' pay: ") + percent(split.couriersBasisPoints))),
                .li(.text(t("Fonctionnement de la coopérative : ", "The cooperative's running costs: ") + percent(split.cooperativeBasisPoints))),
                .li(.text(t("Réserves : ", "Reserves: ") + percent(split.reservesBasisPoints)))))
    }

    static func amount(_ rule: PricingRule, _ language: Language) -> String {
        var text = Euros.format(cents: rule.baseCents, language)
        if rule.perKmCents > 0 { text += (language == .fr ? " + " : " + ") + Euros.format(cents: rule.perKmCents, language) + (language == .fr ? " par km entamé" : " per started km") }
        if rule.target == .task { text += language == .fr ? " par étape" : " per stop" }
        return text
    }

    /// `/delivery/track/<token>`: the recipient sees the status and the expected window, never
    /// the store's other deliveries nor anyone's phone number.
    @Sendable static func track(_ req: Request) async throws -> Response {
        let t = req.t, language = req.language
        let delivery = try await DeliveryOrders.delivery(tracking: req.parameters.get("token") ?? "", on: req.db)
        let tasks = try await DeliveryOrders.tasks(of: delivery.id, on: req.db)
        let dropoffs = tasks.filter { $0.kind == DeliveryTaskKind.dropoff.rawValue }
        let response = Layout.page(req, title: t("Suivi de livraison", "Delivery tracking"),
            .h1(.text(t("Votre livraison", "Your delivery"))),
            .p(.class("status"), .text(t("État : ", "Status: ")), .strong(.text(delivery.deliveryStatus.words(language)))),
            .forEach(dropoffs) { task in
                .section(.h2(.text(task.address)),
                         .p(.text(t("Créneau prévu : ", "Expected window: ") + window(task, language))))
            },
            .if(delivery.deliveryStatus == .failed, .p(.text(t("Motif : ", "Reason: ") + (delivery.failure_reason ?? "")))))
        // The token is the permission: never let it travel further in a Referer.
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "no-referrer")
        return response
    }

    static func window(_ task: DeliveryTaskRow, _ language: Language) -> String {
        switch (task.after_at, task.before_at) {
        case let (after?, before?): DateText.short(after, language) + " – " + DateText.time(before, language)
        case let (after?, nil): (language == .fr ? "à partir de " : "from ") + DateText.short(after, language)
        case let (nil, before?): (language == .fr ? "avant " : "before ") + DateText.short(before, language)
        case (nil, nil): language == .fr ? "dans la journée" : "during the day"
        }
    }
}
