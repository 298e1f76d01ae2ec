import Fluent
import MaillageCore
import Plot
import Vapor

/// A store's pages: its deliveries, the form to order one (with a price preview and the
/// acceptance), and for staff the people who may order for it.
enum DeliveryStorePages {
    /// `/c/<slug>/delivery`: the public prices, and the stores this person orders for.
    @Sendable static func home(_ req: Request) async throws -> Response {
        let access = try await DeliveryAccess(req)
        let t = req.t, base = access.base
        var mine: [DeliveryStoreRow] = []
        if let user = access.user?.id { mine = try await DeliverySettings.stores(of: user, in: access.coopID, on: req.db) }
        return Layout.page(req, title: t("Livraison à vélo — \(access.coop.name)", "Bike delivery — \(access.coop.name)"),
            .p(.a(.href("/c/\(access.coop.slug)"), .text("← " + access.coop.name))),
            .h1(.text(t("Livraison à vélo", "Bike delivery"))),
            .p(.a(.href("\(base)/tarifs"), .text(t("Nos tarifs publics", "Our public prices")))),
            .if(access.isStaff, .p(.a(.href("\(base)/manage"), .text(t("Gestion de la livraison", "Delivery management"))))),
            .if(!mine.isEmpty, .h2(.text(t("Vos magasins", "Your stores")))),
            .ul(.forEach(mine) { .li(.a(.href("\(base)/stores/\($0.id)"), .text($0.name))) }))
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        let access = try await DeliveryAccess(req, signedIn: true)
        let store = try await access.store(req.parameters.get("store", as: UUID.self), on: req.db)
        return try await view(req, access: access, store: store, state: FormState(values: ["vehicle": DeliveryVehicle.bike.rawValue]))
    }

    static func view(_ req: Request, access: DeliveryAccess, store: DeliveryStoreRow, state: FormState, preview: DeliveryOrders.Assessment? = nil,
                     memberState: FormState = FormState(), status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.t, language = req.language, base = access.base, db = req.db
        let deliveries = try await DeliveryOrders.deliveries(ofStore: store.id, on: db)
        let months = try await DeliveryInvoices.months(of: store.id, on: db)
        let types = try await DeliverySettings.packageTypes(of: access.coopID, on: db)
        let typeOptions = types.map { ($0.name, "\($0.name) (\($0.volume_units) u.)") }
        let members = access.isStaff ? try await DeliverySettings.members(of: store.id, on: db) : []
        let names = try await DeliveryAccess.names(Set(members), on: db)
        return Layout.page(req, title: "\(store.name) — \(access.coop.name)", status: status,
            .p(.a(.href(base), .text("← " + t("Livraison à vélo", "Bike delivery")))),
            .h1(.text(store.name)),
            .p(.text(store.address)),
            .p(.a(.href("\(base)/stores/\(store.id)/connect"), .text(t("Connecter votre logiciel : API, webhook, import CSV", "Connect your software: API, webhook, CSV import")))),
            .h2(.text(t("Livraisons", "Deliveries"))),
            .if(deliveries.isEmpty, .p(.text(t("Aucune livraison pour l’instant.", "No delivery yet.")))),
            .ul(.forEach(deliveries) { delivery in
                .li(.a(.href("\(base)/deliveries/\(delivery.id)"), .text(DateText.short(delivery.created_at, language))),
                    .text(" — \(delivery.deliveryStatus.words(language)) · \(Euros.format(cents: delivery.price_cents, language))"))
            }),
            .h2(.text(t("Factures mensuelles", "Monthly invoices"))),
            .if(months.isEmpty, .p(.text(t("Aucune livraison facturée pour l’instant.", "No delivery billed yet.")))),
            .ul(.forEach(months) { month in
                .li(.a(.href("\(base)/stores/\(store.id)/invoices/\(month)"), .text(DeliveryInvoicePages.monthName(month, language))))
            }),
            .h2(.id("order"), .text(t("Commander une livraison", "Order a delivery"))),
            .unwrap(preview) { assessment in
                .div(.class("notice"), .attribute(named: "role", value: "status"),
                     .unwrap(assessment.quote) { quote in
                         .p(.text(t("Prix : ", "Price: ")), .strong(.text(Euros.format(cents: quote.totalCents, language))),
                            .text(t(" dont coursier·ères ", " of which couriers ") + Euros.format(cents: quote.split.couriersCents, language)
                                  + t(", coopérative ", ", cooperative ") + Euros.format(cents: quote.split.cooperativeCents, language)
                                  + t(", réserves ", ", reserves ") + Euros.format(cents: quote.split.reservesCents, language)))
                     },
                     .if(assessment.accepted, .p(.text(t("Cette livraison serait acceptée.", "This delivery would be accepted."))),
                         else: .ul(.forEach(assessment.refusals) { .li(.text(t($0.message))) })))
            },
            Form.post(req, action: "\(base)/stores/\(store.id)/deliveries",
                Form.summary(state, t),
                .forEach(DeliveryForm.stops) { stop in stopFields(stop.prefix, kind: stop.kind, optional: stop.optional, state: state, types: typeOptions, t) },
                Form.select("vehicle", label: t("Véhicule", "Vehicle"), state: state, t, options: DeliveryVehicle.allCases.map { ($0.rawValue, t($0.words)) }),
                .div(.class("actions"),
                     .button(.type(.submit), .name("preview"), .value("1"), .text(t("Voir le prix", "See the price"))),
                     .button(.type(.submit), .text(t("Commander", "Order"))))),
            .if(access.isStaff, .group(
                .h2(.text(t("Personnes qui commandent", "People who order"))),
                .ul(.forEach(members) { .li(.text(names[$0] ?? "")) }),
                Form.post(req, action: "\(base)/stores/\(store.id)/members",
                    Form.summary(memberState, t),
                    Form.field("email", label: t("Adresse e-mail de son compte", "Their account's email"), state: memberState, t, type: .email),
                    Form.submit(t("Ajouter", "Add"))))))
    }

    private static func stopFields(_ p: String, kind: DeliveryTaskKind, optional: Bool, state: FormState,
                                   types: [(String, String)], _ t: Translator) -> Node<HTML.FormContext> {
        let slots = TimeSlotPlan.standard.slots(at: Date(), days: 4).map { slot in
            (DeliveryForm.slotValue(slot), DateText.short(slot.start, t.language) + " – " + DateText.time(slot.end, t.language))
        }
        let title = kind == .pickup ? t("Retrait", "Pickup") : (optional ? t("Deuxième livraison (facultatif)", "Second dropoff (optional)") : t("Livraison", "Dropoff"))
        return .fieldset(.element(named: "legend", nodes: [.text(title)]),
            Form.field("\(p)_address", label: t("Adresse", "Address"), state: state, t, required: !optional),
            Form.select("\(p)_commune", label: t("Commune", "Commune"), state: state, t, options: DeliveryManagePages.communes),
            Form.field("\(p)_lat", label: t("Latitude", "Latitude"), state: state, t, required: false),
            Form.field("\(p)_lon", label: t("Longitude", "Longitude"), state: state, t, required: false),
            Form.field("\(p)_contact", label: t("Contact", "Contact"), state: state, t, required: false),
            Form.field("\(p)_phone", label: t("Téléphone", "Phone"), state: state, t, type: .tel, required: false),
            .if(kind == .pickup, Form.select("pickup_slot", label: t("Créneau de retrait", "Pickup slot"), state: state, t,
                                              options: [("", t("— autre, ci-dessous —", "— other, below —"))] + slots, required: false,
                                              hint: t("Créneaux de 2 h en semaine ; le jour même jusqu’à 11 h, une heure à l’avance.",
                                                      "2-hour slots on working days; same day until 11:00, an hour ahead."))),
            Form.field("\(p)_after", label: t("Pas avant", "Not before"), state: state, t, type: .datetimeLocal, required: false),
            Form.field("\(p)_before", label: t("Au plus tard", "At the latest"), state: state, t, type: .datetimeLocal, required: false),
            .if(kind == .dropoff, .group(
                Form.select("\(p)_package_type", label: t("Type de colis", "Package type"), state: state, t, options: types),
                Form.field("\(p)_quantity", label: t("Nombre de colis", "Number of parcels"), state: state, t, type: .number, required: false),
                Form.field("\(p)_weight", label: t("Poids total (kg)", "Total weight (kg)"), state: state, t, required: false),
                Form.checkbox("\(p)_doorstep", value: "on", label: t("Peut être laissé devant la porte", "May be left at the door"),
                              checked: state["\(p)_doorstep"] == "on", id: "\(p)_doorstep"),
                Form.field("\(p)_reference", label: t("Référence", "Reference"), state: state, t, required: false),
                Form.field("\(p)_tags", label: t("Étiquettes (séparées par des virgules)", "Tags (comma separated)"), state: state, t, required: false))),
            Form.textarea("\(p)_comments", label: t("Commentaires", "Comments"), state: state, t, rows: 2, required: false))
    }

    @Sendable static func order(_ req: Request) async throws -> Response {
        let access = try await DeliveryAccess(req, signedIn: true)
        let store = try await access.store(req.parameters.get("store", as: UUID.self), on: req.db)
        let values = try req.content.decode([String: String].self)
        do {
            let types = try await DeliverySettings.packageTypes(of: access.coopID, on: req.db).map(\.type)
            let draft = try DeliveryForm(values: values).draft(packageTypes: types)
            if values["preview"] == "1" {
                let assessment = try await DeliveryOrders.assess(draft, store: store, on: req.db)
                return try await view(req, access: access, store: store, state: FormState(values: values), preview: assessment)
            }
            let delivery = try await DeliveryOrders.create(draft, store: store, by: access.actor(req), on: req.db)
            return req.done(Localized(fr: "Livraison commandée : \(Euros.format(cents: delivery.price_cents, .fr)).",
                                      en: "Delivery ordered: \(Euros.format(cents: delivery.price_cents, .en))."),
                            goTo: "\(access.base)/deliveries/\(delivery.id)")
        } catch {
            return try await view(req, access: access, store: store, state: FormState(refused: error, values: values), status: .unprocessableEntity)
        }
    }

    @Sendable static func addMember(_ req: Request) async throws -> Response {
        let access = try await DeliveryAccess(req, minimum: .staff)
        let store = try await access.store(req.parameters.get("store", as: UUID.self), on: req.db)
        let values = try req.content.decode([String: String].self)
        do {
            let email = try Validate.email(values["email"] ?? "")
            guard let person = try await User.query(on: req.db).filter(\.$email == email).first()?.id else { throw DeliveryWords.unknownPerson }
            try await DeliverySettings.addMember(person, to: store.id, on: req.db)
            return req.done(Localized(fr: "Personne ajoutée au magasin.", en: "Person added to the store."), goTo: "\(access.base)/stores/\(store.id)")
        } catch {
            return try await view(req, access: access, store: store, state: FormState(), memberState: FormState(refused: error, values: values),
                                  status: .unprocessableEntity)
        }
    }
}
