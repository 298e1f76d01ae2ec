import Fluent
import Foundation
import MaillageCore
import Plot
import Vapor

/// `/c/<slug>/food/home-delivery`: the food cooperative's staff name a delivery cooperative of
/// the instance for their home deliveries, and the hub its couriers collect the baskets from.
/// When a cycle closes, each of its home-delivery orders becomes a delivery on that cooperative's
/// side, priced by its public grid.
enum HomeDeliveryPartnerPages {
    static let unknownCooperative = DomainError(.invalid, code: "home_delivery_cooperative_unknown", field: "delivery_cooperative",
        fr: "Choisissez une coopérative de livraison de l’instance.", en: "Choose a delivery cooperative of the instance.")
    static let hubMissing = DomainError(.invalid, code: "home_delivery_hub_missing", field: "hub_address",
        fr: "Indiquez l’adresse où les coursier·ères prennent les paniers.", en: "Give the address where couriers collect the baskets.")
    static let hubCommuneUnknown = DomainError(.invalid, code: "home_delivery_hub_commune", field: "hub_commune",
        fr: "Cette commune n’est pas dans la géographie de l’instance : vérifiez son nom.",
        en: "This commune is not in the instance's geography: check its name.")

    @Sendable static func show(_ req: Request) async throws -> Response {
        let access = try await FoodAccess(req, minimum: .staff)
        let partner = try await HomeDeliveryPartner.of(access.coopID, on: req.db)
        var values: [String: String] = [:]
        if let partner {
            values = ["delivery_cooperative": partner.delivery_cooperative_id.uuidString, "hub_address": partner.hub_address, "hub_commune": partner.hub_commune]
        } else {
            values = ["hub_commune": access.coop.commune]
        }
        return try await view(req, access: access, state: FormState(values: values))
    }

    @Sendable static func save(_ req: Request) async throws -> Response {
        let access = try await FoodAccess(req, minimum: .staff)
        let values = try req.content.decode([String: String].self)
        if values["stop"] == "1" {
            try await HomeDeliveryPartner.stop(for: access.coopID, on: req.db)
            return req.done(Localized(fr: "Livraison à domicile par une coopérative de livraison arrêtée.", en: "Home delivery by a delivery cooperative stopped."),
                            goTo: "/c/\(access.coop.slug)/food/home-delivery")
        }
        var errors = ValidationErrors()
        let choices = try await deliveryCooperatives(except: access.coopID, on: req.db)
        let chosen = UUID(uuidString: values["delivery_cooperative"] ?? "").flatMap { id in choices.first { $0.id == id } }
        if chosen == nil { errors.add(unknownCooperative) }
        let hub = (values["hub_address"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if hub.isEmpty || hub.count > 300 { errors.add(hubMissing) }
        let commune = (values["hub_commune"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if GeoPoint(commune: commune) == nil { errors.add(hubCommuneUnknown) }
        guard errors.isEmpty, let chosen, let id = chosen.id else {
            return try await view(req, access: access, state: FormState(values: values, errors: errors), status: .unprocessableEntity)
        }
        try await HomeDeliveryPartner.name(id, hubAddress: hub, hubCommune: commune, for: access.coopID, by: access.userID, on: req.db)
        return req.done(Localized(fr: "Les livraisons à domicile iront à \(chosen.name) à la clôture de chaque cycle.",
                                  en: "Home deliveries will go to \(chosen.name) when each cycle closes."),
                        goTo: "/c/\(access.coop.slug)/food/home-delivery")
    }

    /// The instance's public cooperatives that deliver, other than this one.
    static func deliveryCooperatives(except coop: UUID, on db: any Database) async throws -> [Cooperative] {
        try await Cooperative.query(on: db).sort(\.$name).all()
            .filter { $0.id != coop && $0.isPublic && $0.activityList.contains(.delivery) }
    }

    static func view(_ req: Request, access: FoodAccess, state: FormState, status: HTTPStatus = .ok) async throws -> Response {
        let t = req.t
        let choices = try await deliveryCooperatives(except: access.coopID, on: req.db)
        let partner = try await HomeDeliveryPartner.of(access.coopID, on: req.db)
        let action = "/c/\(access.coop.slug)/food/home-delivery"
        let response = Layout.page(req, title: t("Livraison à domicile", "Home delivery"),
            .h1(.text(t("Livraison à domicile par une coopérative de livraison", "Home delivery by a delivery cooperative"))),
            .p(.text(t(
                "À la clôture d’un cycle, chaque commande à livrer à domicile devient une livraison chez la coopérative choisie : retrait au point indiqué ici, livraison à l’adresse de la personne, dans le créneau de retrait du cycle, au prix de sa grille publique. Chaque coopérative tient ses comptes : elle inscrit une créance sur nous, nous inscrivons la dette correspondante.",
                "When a cycle closes, each order to deliver at home becomes a delivery at the chosen cooperative: collected at the address given here, delivered to the person's address, in the cycle's pickup window, at its public prices. Each cooperative keeps its books: it records a receivable from us, we record the matching payable."))),
            .if(choices.isEmpty, .p(.class("hint"), .text(t("Aucune coopérative de livraison n’est encore sur l’instance.", "No delivery cooperative is on the instance yet.")))),
            .if(!choices.isEmpty, Form.post(req, action: action,
                Form.summary(state, t),
                Form.select("delivery_cooperative", label: t("Coopérative de livraison", "Delivery cooperative"), state: state, t,
                            options: [("", t("— choisir —", "— choose —"))] + choices.map { ($0.id?.uuidString ?? "", "\($0.name) (\($0.commune))") }),
                Form.field("hub_address", label: t("Adresse de retrait des paniers", "Address where baskets are collected"), state: state, t),
                Form.field("hub_commune", label: t("Commune de cette adresse", "Commune of that address"), state: state, t),
                Form.submit(t("Enregistrer", "Save")))),
            .if(partner != nil, Form.post(req, action: action, .input(.type(.hidden), .name("stop"), .value("1")),
                                          .button(.type(.submit), .text(t("Arrêter la livraison par cette coopérative", "Stop delivery by this cooperative"))))))
        response.status = status
        return response
    }
}
