import Fluent
import MaillageCore
import Plot
import Vapor

/// `/c/<slug>/delivery/deliveries/<id>`: one delivery for its store and the staff — stops,
/// price and its split, the tracking link to give the recipient, every change with who and
/// when; staff move it on, the store may cancel it.
enum DeliveryPages {
    @Sendable static func show(_ req: Request) async throws -> Response {
        let access = try await DeliveryAccess(req, signedIn: true)
        let (delivery, store) = try await access.delivery(req.parameters.get("id", as: UUID.self), on: req.db)
        return try await view(req, access: access, delivery: delivery, store: store)
    }

    static func view(_ req: Request, access: DeliveryAccess, delivery: DeliveryRow, store: DeliveryStoreRow,
                     state: FormState = FormState(), status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.t, language = req.language, base = access.base, db = req.db
        let tasks = try await DeliveryOrders.tasks(of: delivery.id, on: db)
        let events = try await DeliveryOrders.events(of: delivery.id, on: db)
        let names = try await DeliveryAccess.names(Set(events.compactMap(\.actor_id)), on: db)
        let reasons = access.isStaff ? try await DeliverySettings.failureReasons(of: access.coopID, on: db) : []
        let current = delivery.deliveryStatus
        let action = "\(base)/deliveries/\(delivery.id)/status"
        let tracking = PublicAddress.baseURL(req) + "/delivery/track/\(delivery.tracking_token)"
        return Layout.page(req, title: t("Livraison — \(store.name)", "Delivery — \(store.name)"), status: status,
            .p(.a(.href("\(base)/stores/\(store.id)"), .text("← " + store.name))),
            .h1(.text(t("Livraison du ", "Delivery of ") + DateText.short(delivery.created_at, language))),
            .p(.text(t("État : ", "Status: ")), .strong(.text(current.words(language))),
               .unwrap(delivery.failure_reason) { .text(" (\($0))") }),
            .p(.text(t("Prix : ", "Price: ")), .strong(.text(Euros.format(cents: delivery.price_cents, language))),
               .text(t(" — coursier·ères ", " — couriers ") + Euros.format(cents: delivery.couriers_cents, language)
                     + t(", coopérative ", ", cooperative ") + Euros.format(cents: delivery.cooperative_cents, language)
                     + t(", réserves ", ", reserves ") + Euros.format(cents: delivery.reserves_cents, language))),
            .ul(.forEach(delivery.lines) { .li(.text("\($0.label) : \(Euros.format(cents: $0.cents, language))")) }),
            .p(.text(t("Lien de suivi pour la personne livrée : ", "Tracking link for the recipient: ")), .code(.text(tracking))),
            .h2(.text(t("Étapes", "Stops"))),
            .ol(.forEach(tasks) { task in
                .li(.strong(.text(task.kind == "pickup" ? t("Retrait", "Pickup") : t("Livraison", "Dropoff"))),
                    .text(" — \(task.address) · \(DeliveryPublicPages.window(task, language))"),
                    .if(!task.contact_name.isEmpty, .text(" · \(task.contact_name) \(task.phone)")),
                    .if(!task.packageLines.isEmpty, .text(" · " + task.packageLines.map { "\($0.quantity) × \($0.type.name)" }.joined(separator: ", "))),
                    .if(task.doorstep, .text(t(" · devant la porte possible", " · may be left at the door"))),
                    .if(!task.reference.isEmpty, .text(" · réf. \(task.reference)")),
                    .if(!task.comments.isEmpty, .p(.text(task.comments))))
            }),
            .h2(.text(t("Historique", "History"))),
            .ul(.forEach(events) { event in
                .li(.text("\(DateText.short(event.at, language)) — \(DeliveryStatus(rawValue: event.to_status)?.words(language) ?? event.to_status)"
                          + (event.actor_id.flatMap { names[$0] }.map { " · \($0)" } ?? "") + " · \(event.channel)"
                          + (event.reason.map { " · \($0)" } ?? "")))
            }),
            .if(!current.isFinal, .group(
                .h2(.text(t("Faire avancer", "Move on"))),
                Form.post(req, action: action, Form.summary(state, t)),
                .if(access.isStaff && current.canMove(to: .doing),
                    Form.post(req, action: action, .input(.type(.hidden), .name("to"), .value("doing")), Form.submit(t("Commencer", "Start")))),
                .if(access.isStaff && current.canMove(to: .done),
                    Form.post(req, action: action, .input(.type(.hidden), .name("to"), .value("done")), Form.submit(t("Livrée", "Delivered")))),
                .if(access.isStaff && current.canMove(to: .failed),
                    Form.post(req, action: action, .input(.type(.hidden), .name("to"), .value("failed")),
                              Form.select("reason", label: t("Raison de l’échec", "Reason for the failure"), state: state, t,
                                          options: reasons.map { ($0.label, $0.label) }),
                              Form.submit(t("Échec", "Failed")))),
                Form.post(req, action: action, .input(.type(.hidden), .name("to"), .value("cancelled")), Form.submit(t("Annuler la livraison", "Cancel the delivery"))))))
    }

    /// Staff move a delivery on; the store's people may only cancel it.
    @Sendable static func move(_ req: Request) async throws -> Response {
        let access = try await DeliveryAccess(req, signedIn: true)
        let (delivery, store) = try await access.delivery(req.parameters.get("id", as: UUID.self), on: req.db)
        let values = try req.content.decode([String: String].self)
        guard let next = DeliveryStatus(rawValue: values["to"] ?? ""), next != .todo else { throw Problem.notFound }
        guard next == .cancelled || access.isStaff else { throw Problem.forbidden }
        do {
            let moved = try await DeliveryOrders.move(delivery.id, in: access.coopID, to: next, reason: values["reason"], by: access.actor(req), on: req.db)
            return req.done(Localized(fr: "Livraison : \(moved.deliveryStatus.words.fr).", en: "Delivery: \(moved.deliveryStatus.words.en)."),
                            goTo: "\(access.base)/deliveries/\(delivery.id)")
        } catch let error as DomainError {
            let fresh = try await DeliveryOrders.delivery(delivery.id, in: access.coopID, on: req.db)
            return try await view(req, access: access, delivery: fresh, store: store, state: try FormState(refused: error, values: values),
                                  status: error.kind == .conflict ? .conflict : .unprocessableEntity)
        }
    }
}
