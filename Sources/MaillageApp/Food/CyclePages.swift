import Fluent
import Foundation
import MaillageCore
import Plot
import SQLKit
import Vapor

/// The coordinators' side (staff and board): cycles, pickup points, producers, and handing out.
enum CyclePages {
    static func context(_ req: Request) async throws -> FoodAccess { try await FoodAccess(req, minimum: .staff) }

    struct CycleForm: Content {
        var name: String?
        var opens_at: String?
        var closes_at: String?
        var fee_percent: String?
        var delivery_fee: String?
        var publish: String?
        var producers: [String]?
        var points: [String]?
        var slot_start: String?
        var slot_end: String?

        var values: [String: String] {
            ["name": name ?? "", "opens_at": opens_at ?? "", "closes_at": closes_at ?? "", "fee_percent": fee_percent ?? "",
             "delivery_fee": delivery_fee ?? "", "publish": publish ?? "", "slot_start": slot_start ?? "", "slot_end": slot_end ?? "",
             "producers": (producers ?? []).joined(separator: ","), "points": (points ?? []).joined(separator: ",")]
        }
    }

    @Sendable static func manage(_ req: Request) async throws -> Response {
        let access = try await context(req)
        let rule = try await FeeRules.rule(for: .food, in: access.coopID, on: req.db)
        // Round daytime hours, a slot that never crosses midnight (`CycleSchedule`).
        let schedule = CycleSchedule.suggested(at: Date(), in: LocalZone(DateText.zone))
        let opens = DateText.localInput.string(from: schedule.opensAt)
        let closes = DateText.localInput.string(from: schedule.closesAt)
        let slotStart = DateText.localInput.string(from: schedule.slotStart)
        let slotEnd = DateText.localInput.string(from: schedule.slotEnd)
        let percent = String(format: "%.2f", Double(rule.basisPoints) / 100).replacingOccurrences(of: ".", with: req.language == .fr ? "," : ".")
        return try await manageView(req, access: access, cycleState: FormState(values: ["opens_at": opens, "closes_at": closes, "fee_percent": percent,
                                                                                       "slot_start": slotStart, "slot_end": slotEnd, "publish": "on"]),
                                    pointState: FormState(), producerState: FormState())
    }

    static func manageView(_ req: Request, access: FoodAccess, cycleState: FormState, pointState: FormState, producerState: FormState,
                           status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.t, language = req.language, coop = access.coop, now = Date()
        let cycles = try await FoodCycles.cycles(of: access.coopID, on: req.db)
        let points = try await FoodCycles.pickupPoints(of: access.coopID, on: req.db)
        let producers = try await FoodCatalogStore.producers(of: access.coopID, on: req.db)
        let members = try await Cooperatives.members(of: coop, status: .active, on: req.db)
        let producerUsers = Set(producers.map(\.userID))
        let chosenProducers = Set(cycleState["producers"].split(separator: ",").map(String.init))
        let chosenPoints = Set(cycleState["points"].split(separator: ",").map(String.init))
        let base = "/c/\(coop.slug)/food/manage"
        return Layout.page(req, title: t("Coordination — \(coop.name)", "Coordination — \(coop.name)"), status: status,
            .p(.a(.href("/c/\(coop.slug)/food"), .text("← " + t("Épicerie", "Food shop"))), .text(" · "),
               .a(.href("/c/\(coop.slug)/food/home-delivery"), .text(t("Livraison à domicile", "Home delivery")))),
            .h1(.text(t("Coordination des cycles de commande", "Order cycle coordination"))),
            .section(.h2(.text(t("Cycles", "Cycles"))),
                cycles.isEmpty ? .p(.text(t("Aucun cycle.", "No cycle."))) : StackedTable.node(.table(
                    .thead(.tr(.th(.text(t("Cycle", "Cycle"))), .th(.text(t("Ouverture", "Opens"))), .th(.text(t("Clôture", "Closes"))), .th(.text(t("État", "Status"))))),
                    .tbody(.forEach(cycles) { cycle in
                        .tr(.td(.a(.href("\(base)/cycles/\(cycle.id)"), .text(cycle.name))), .td(.text(DateText.short(cycle.opensAt, language))),
                            .td(.text(DateText.short(cycle.closesAt, language))), .td(FoodViews.phaseBadge(cycle.phase(at: now), t)))
                    })))),
            .section(.h2(.text(t("Nouveau cycle", "New cycle"))),
                Form.post(req, action: "\(base)/cycles",
                    Form.summary(cycleState, t),
                    Form.field("name", label: t("Nom", "Name"), state: cycleState, t, hint: t("Par ex. « Panier de la semaine 48 ».", "E.g. “Week 48 basket”.")),
                    Form.field("opens_at", label: t("Ouverture (heure de Paris)", "Opens (Paris time)"), state: cycleState, t, type: .datetimeLocal),
                    Form.field("closes_at", label: t("Clôture (heure de Paris)", "Closes (Paris time)"), state: cycleState, t, type: .datetimeLocal),
                    Form.field("fee_percent", label: t("Frais de la coopérative (%)", "Cooperative fee (%)"), state: cycleState, t,
                               hint: t("Prélevés sur le prix des produits ; par défaut, ceux votés pour l’activité.", "Taken from the products' price; by default, those voted for the activity.")),
                    Form.field("delivery_fee", label: t("Livraison à domicile : prix (€)", "Home delivery: price (€)"), state: cycleState, t, required: false,
                               hint: t("Vide = pas de livraison.", "Empty = no delivery.")),
                    .fieldset(.id("producers"), .element(named: "legend", nodes: [.text(t("Producteurs participants (tous leurs produits en vente)", "Participating producers (all their products on sale)"))]),
                              .forEach(producers) { producer in
                                  Form.checkbox("producers[]", value: producer.id.uuidString, label: producer.name,
                                                checked: chosenProducers.isEmpty || chosenProducers.contains(producer.id.uuidString), id: "pr-\(producer.id)")
                              }),
                    .fieldset(.id("points"), .element(named: "legend", nodes: [.text(t("Points de retrait", "Pickup points"))]),
                              .forEach(points) { point in
                                  Form.checkbox("points[]", value: point.id.uuidString, label: "\(point.name) — \(point.address)",
                                                checked: chosenPoints.isEmpty || chosenPoints.contains(point.id.uuidString), id: "pt-\(point.id)")
                              }),
                    Form.field("slot_start", label: t("Créneau de retrait : début", "Pickup slot: start"), state: cycleState, t, type: .datetimeLocal),
                    Form.field("slot_end", label: t("Créneau de retrait : fin", "Pickup slot: end"), state: cycleState, t, type: .datetimeLocal),
                    Form.checkbox("publish", value: "on", label: t("Publier (sinon brouillon)", "Publish (otherwise a draft)"), checked: cycleState["publish"] == "on", id: "publish"),
                    Form.submit(t("Créer le cycle", "Create the cycle")))),
            .section(.h2(.text(t("Points de retrait", "Pickup points"))),
                .ul(.forEach(points) { .li(.text("\($0.name) — \($0.address)")) }),
                Form.post(req, action: "\(base)/points",
                    Form.summary(pointState, t),
                    Form.field("point_name", label: t("Nom du lieu", "Place name"), state: pointState, t),
                    Form.field("point_address", label: t("Adresse", "Address"), state: pointState, t),
                    Form.submit(t("Ajouter le point de retrait", "Add the pickup point")))),
            .section(.h2(.text(t("Producteurs", "Producers"))),
                .ul(.forEach(producers) { producer in
                    .li(.a(.href("/c/\(coop.slug)/food/products?producer=\(producer.id)"), .text(producer.name)), .text(producer.commune.isEmpty ? "" : " (\(producer.commune))"))
                }),
                Form.post(req, action: "\(base)/producers",
                    Form.summary(producerState, t),
                    Form.select("user", label: t("Sociétaire", "Member"), state: producerState, t,
                                options: [("", t("— choisir —", "— choose —"))] + members.filter { !producerUsers.contains($0.$user.id) }.map { ($0.$user.id.uuidString, $0.user.displayName) }),
                    Form.field("name", label: t("Nom de la ferme ou de l’atelier", "Farm or workshop name"), state: producerState, t),
                    Form.field("commune", label: t("Commune", "Town"), state: producerState, t, required: false),
                    Form.textarea("description", label: t("Présentation", "About"), state: producerState, t, rows: 2, required: false),
                    Form.submit(t("Donner le rôle de producteur", "Give the producer role")))))
    }

    static func percent(_ raw: String?) -> Int64? {
        let text = (raw ?? "").replacingOccurrences(of: ",", with: ".").replacingOccurrences(of: "%", with: "").trimmingCharacters(in: .whitespaces)
        guard let value = Decimal(string: text, locale: Locale(identifier: "en_US")), value >= 0, value <= 100 else { return nil }
        return NSDecimalNumber(decimal: value * 100).rounding(accordingToBehavior: nil).int64Value
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let access = try await context(req)
        let form = try req.content.decode(CycleForm.self)
        do {
            var errors = ValidationErrors()
            func date(_ raw: String?, _ field: String) -> Date? {
                if let raw, let parsed = DateText.localInput.date(from: raw) { return parsed }
                errors.add(DomainError(.invalid, code: "invalid_date", field: field, fr: "Date et heure attendues, par exemple 2026-12-01T18:00.",
                                       en: "A date and time is expected, e.g. 2026-12-01T18:00."))
                return nil
            }
            let opens = date(form.opens_at, "opens_at"), closes = date(form.closes_at, "closes_at")
            let start = date(form.slot_start, "slot_start"), end = date(form.slot_end, "slot_end")
            let basisPoints = percent(form.fee_percent)
            if basisPoints == nil { errors.add(DomainError(.invalid, code: "invalid_rate", field: "fee_percent", fr: "Pourcentage entre 0 et 100.", en: "A percentage between 0 and 100.")) }
            var delivery: Int64?
            if let raw = form.delivery_fee, !raw.trimmingCharacters(in: .whitespaces).isEmpty {
                delivery = Euros.parseCents(raw)
                if delivery == nil { errors.add(DomainError.invalidPrice(field: "delivery_fee")) }
            }
            try errors.throwIfAny()
            let points = (form.points ?? []).compactMap(UUID.init(uuidString:))
            let setup = FoodCycles.Setup(name: form.name ?? "", opensAt: opens!, closesAt: closes!, published: form.publish == "on",
                                         fee: try FeeRule(basisPoints: basisPoints ?? 0), deliveryFeeCents: delivery,
                                         slots: points.map { ($0, start!, end!) }, producers: (form.producers ?? []).compactMap(UUID.init(uuidString:)))
            let cycle: CycleRow
            do { cycle = try await FoodCycles.create(setup, in: access.coopID, by: access.userID, on: req.db) }
            catch let errors as ValidationErrors { throw formFields(errors) }
            catch let error as DomainError { throw formFields({ var e = ValidationErrors(); e.add(error); return e }()) }
            return req.done(cycle.published
                                ? Localized(fr: "Cycle « \(cycle.name) » créé et publié : les sociétaires le voient dans l’épicerie.",
                                            en: "Cycle “\(cycle.name)” created and published: members see it in the food shop.")
                                : Localized(fr: "Cycle « \(cycle.name) » créé comme brouillon : publiez-le quand il est prêt.",
                                            en: "Cycle “\(cycle.name)” created as a draft: publish it when it is ready."),
                            goTo: "/c/\(access.coop.slug)/food/manage/cycles/\(cycle.id)")
        } catch {
            return try await manageView(req, access: access, cycleState: try FormState(refused: error, values: form.values), pointState: FormState(),
                                        producerState: FormState(), status: .unprocessableEntity)
        }
    }

    /// The core names a cycle's fields as its model does (`closesAt`, `pickupPoints[0].slots[0]`);
    /// the form's names differ, and each message must sit next to its own field.
    static func formFields(_ errors: ValidationErrors) -> ValidationErrors {
        var out = ValidationErrors()
        for error in errors.errors {
            let field: String? = switch error.field {
            case "closesAt"?: "closes_at"
            case "fulfilment"?: "points"
            case "homeDelivery.fee"?: "delivery_fee"
            case let name? where name.hasPrefix("pickupPoints"): name.contains("slots") ? "slot_start" : "points"
            case let name? where name.hasPrefix("offers"): "producers"
            default: error.field
            }
            out.add(DomainError(error.kind, code: error.code, field: field, fr: error.message.fr, en: error.message.en))
        }
        return out
    }

    struct PointForm: Content { var point_name: String; var point_address: String }

    @Sendable static func addPoint(_ req: Request) async throws -> Response {
        let access = try await context(req)
        let form = try req.content.decode(PointForm.self)
        do {
            let point = try await FoodCycles.addPickupPoint(name: form.point_name, address: form.point_address, in: access.coopID, on: req.db)
            return req.done(Localized(fr: "Point de retrait « \(point.name) » ajouté : il est proposé aux prochains cycles.",
                                      en: "Pickup point “\(point.name)” added: it is offered to the next cycles."),
                            goTo: "/c/\(access.coop.slug)/food/manage")
        } catch {
            return try await manageView(req, access: access, cycleState: FormState(), pointState: try FormState(refused: error, values: ["point_name": form.point_name, "point_address": form.point_address]),
                                        producerState: FormState(), status: .unprocessableEntity)
        }
    }

    struct ProducerForm: Content { var user: String; var name: String; var commune: String?; var description: String? }

    @Sendable static func addProducer(_ req: Request) async throws -> Response {
        let access = try await context(req)
        let form = try req.content.decode(ProducerForm.self)
        do {
            guard let user = UUID(uuidString: form.user), let membership = try await Cooperatives.membership(of: user, in: access.coopID, on: req.db),
                  membership.memberStatus == .active else {
                throw DomainError(.invalid, code: "not_member", field: "user", fr: "Choisissez un sociétaire de la coopérative.", en: "Choose a member of the cooperative.")
            }
            let producer = try await FoodCatalogStore.addProducer(user: user, name: form.name, description: form.description ?? "", commune: form.commune ?? "",
                                                                  in: access.coopID, on: req.db)
            return req.done(Localized(fr: "« \(producer.name) » est producteur de la coopérative : ses produits peuvent être mis en vente.",
                                      en: "“\(producer.name)” is a producer of the cooperative: their products can be put on sale."),
                            goTo: "/c/\(access.coop.slug)/food/manage")
        } catch {
            return try await manageView(req, access: access, cycleState: FormState(), pointState: FormState(),
                                        producerState: try FormState(refused: error, values: ["user": form.user, "name": form.name, "commune": form.commune ?? "", "description": form.description ?? ""]),
                                        status: .unprocessableEntity)
        }
    }
}
