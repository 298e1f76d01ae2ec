import Fluent
import Foundation
import MaillageCore
import Plot
import Vapor

/// `/c/<slug>/delivery/partners`: for the delivery cooperative's staff, the food cooperatives
/// that named it for their home deliveries, each closed cycle turned into deliveries with its
/// invoice, what each partner owes, and the button that records its settlement transfer.
enum HomeDeliveryDeskPages {
    @Sendable static func show(_ req: Request) async throws -> Response {
        let access = try await DeliveryAccess(req, signedIn: true, minimum: .staff)
        // A cycle that closed since the job last ran is taken now, so the page is never behind.
        try await HomeDeliveries.convert(for: access.coopID, on: req.db)
        let t = req.t, language = req.language
        let partners = try await HomeDeliveryOrders.partners(of: access.coopID, on: req.db)
        let cycles = try await HomeDeliveries.cycles(of: access.coopID, on: req.db)
        var rows: [(coop: Cooperative, owed: Int64, cycles: [HomeDeliveries.HomeCycle])] = []
        for partner in partners {
            guard let coop = try await Cooperative.find(partner.foodCooperative, on: req.db) else { continue }
            let owed = try await LedgerFacade.owed(by: .cooperative(partner.foodCooperative), to: access.coopID, on: req.db)
            rows.append((coop, owed, cycles.filter { $0.food_cooperative_id == partner.foodCooperative }))
        }
        return Layout.page(req, title: t("Livraisons à domicile des coopératives alimentaires", "Food cooperatives' home deliveries"),
            .p(.a(.href(access.base + "/manage"), .text(t("← Gestion", "← Manage")))),
            .h1(.text(t("Livraisons à domicile des coopératives alimentaires", "Food cooperatives' home deliveries"))),
            .p(.class("hint"), .text(t(
                "À la clôture d’un de leurs cycles, chaque commande à livrer devient une livraison ici, au prix de notre grille ; le cycle est facturé : une créance dans nos comptes, la dette correspondante dans les leurs.",
                "When one of their cycles closes, each order to deliver becomes a delivery here, at our grid's prices; the cycle is invoiced: a receivable in our books, the matching payable in theirs."))),
            .if(rows.isEmpty, .p(.text(t("Aucune coopérative alimentaire ne nous a encore choisis.", "No food cooperative has chosen us yet.")))),
            .forEach(rows) { row in
                .section(.class("partner"),
                    .h2(.text(row.coop.name)),
                    .p(.text(t("Doit à ce jour : ", "Owes to date: ")), .strong(.text(Euros.format(cents: row.owed, language)))),
                    .if(row.cycles.isEmpty, .p(.class("hint"), .text(t("Aucun cycle clos depuis le choix.", "No cycle closed since the choice.")))),
                    .if(!row.cycles.isEmpty, .ul(.forEach(row.cycles) { cycle in
                        .li(.text("\(cycle.cycle_name) — \(cycle.number) — " + t("\(cycle.deliveries) livraison(s), ", "\(cycle.deliveries) delivery(ies), ")
                                  + Euros.format(cents: cycle.gross_cents, language) + " · " + DateText.short(cycle.converted_at, language)))
                    })),
                    .if(row.owed > 0, Form.post(req, action: "\(access.base)/partners/\(row.coop.id?.uuidString ?? "")/settle",
                        Form.submit(t("Virement reçu : solder \(Euros.format(cents: row.owed, language))", "Transfer received: settle \(Euros.format(cents: row.owed, language))")))))
            })
    }

    /// Records the partner's settlement transfer in both books.
    @Sendable static func settle(_ req: Request) async throws -> Response {
        let access = try await DeliveryAccess(req, signedIn: true, minimum: .staff)
        // A cooperative that owes nothing here (a former partner paid up, any other id) is told so.
        guard let food = req.parameters.get("coop", as: UUID.self) else { throw HomeDeliveries.nothingOwed }
        let cents = try await HomeDeliveries.settle(food: food, delivery: access.coopID, by: access.user?.id, on: req.db)
        return req.done(Localized(fr: "Règlement de \(Euros.format(cents: cents, .fr)) inscrit dans les deux comptabilités.",
                                  en: "Settlement of \(Euros.format(cents: cents, .en)) recorded in both books."),
                        goTo: "\(access.base)/partners")
    }
}
