import Fluent
import MaillageCore
import Plot
import Vapor

/// A request for a seat between two people: its state and history, the answer buttons of whoever
/// answers, their conversation (with a plain warning about payment scams), and their contact
/// details only once it is accepted.
enum CarpoolAskPages {
    struct OpenForm: Content {
        var travel: String?
        var seats: String?
        var from: String?
        var to: String?
        var askSeat: String?
        var phone: String?
        enum CodingKeys: String, CodingKey { case travel, seats, from, to, phone, askSeat = "ask_seat" }
    }

    @Sendable static func open(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true)
        let form = try req.content.decode(OpenForm.self)
        let adID = req.parameters.get("id", as: UUID.self)
        let values = ["travel": form.travel ?? "", "seats": form.seats ?? "1", "from": form.from ?? "", "to": form.to ?? "", "phone": form.phone ?? ""]
        do {
            let ad = try await CarpoolAds.find(adID, in: access.coopID, on: req.db)
            let parts = (form.travel ?? "").split(separator: "/")
            guard parts.count == 2, let date = LocalDate(iso: String(parts[0])), let leg = RideLeg(rawValue: String(parts[1])) else {
                throw CarpoolErrors.notTravelling
            }
            guard let seats = Int((form.seats ?? "1").trimmingCharacters(in: .whitespaces)) else { throw CarpoolErrors.seats }
            let relayPoints = try await RelayPoint.all(of: access.coopID, on: req.db)
            let opening = CarpoolAsks.Opening(ad: ad, date: date, leg: leg, seats: seats, askSeat: form.askSeat != "0",
                                              pickup: CarpoolPlaces.resolve(form.from ?? "", relayPoints),
                                              dropoff: CarpoolPlaces.resolve(form.to ?? "", relayPoints), phone: form.phone)
            let member = try access.memberID()
            let ask = try await CarpoolAsks.open(opening, by: member, settings: try await CarpoolSettings.of(access.coopID, on: req.db), notify: access.coop.slug, on: req.db)
            return req.done(ask.askStatus == .pending ? Localized(fr: "Demande envoyée.", en: "Request sent.")
                                                      : Localized(fr: "Vous pouvez écrire votre premier message.", en: "You can write your first message."),
                            goTo: "\(access.base)/asks/\(ask.id)#messages")
        } catch let error as DomainError where error.kind != .notFound {
            var state = try FormState(refused: error, values: values)
            if error.field == nil { state = try FormState(refused: DomainError(error.kind, code: error.code, field: "travel", fr: error.message.fr, en: error.message.en), values: values) }
            return try await CarpoolAdPages.showView(req, id: adID, askState: state, status: error.status)
        }
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true)
        return try await view(req, access: access, id: req.parameters.get("id", as: UUID.self))
    }

    static func view(_ req: Request, access: CarpoolAccess, id: UUID?, state: FormState = FormState(), status: HTTPResponseStatus = .ok,
                     problem: DomainError? = nil) async throws -> Response {
        let t = req.t, language = req.language, base = access.base
        let member = try access.memberID()
        let ask = try await CarpoolAsks.find(id, in: access.coopID, for: member, on: req.db)
        let ad = try await CarpoolAds.find(ask.ad_id, in: access.coopID, on: req.db)
        guard let side = ask.side(of: member) else { throw Problem.notFound(CarpoolAsks.askWord) }
        let otherID = ask.other(than: member)
        let history = try await CarpoolAsks.history(of: ask.id, on: req.db)
        let names = try await CarpoolAccess.names(Set([ask.driver_id, ask.passenger_id] + history.compactMap(\.by_id)), on: req.db)
        let other = names[otherID] ?? ""
        let waitingFor = ask.askStatus == .pending ? AskRules.waitingFor(askedBy: ask.askedBy) : nil
        let thread = try await Threads.section(req, access: CarpoolThread.access(ask, slug: access.coop.slug), state: state,
                                               title: Localized(fr: "Conversation avec \(other)", en: "Conversation with \(other)"))
        let contact: Node<HTML.BodyContext> = ask.askStatus.revealsContact ? try await contactDetails(req, of: otherID, ad: ad, ask: ask) : .p(.class("hint"),
            .text(t("Le téléphone et l’adresse de chacun·e apparaissent ici une fois la demande acceptée.", "Each person's phone and address appear here once the request is accepted.")))
        let action = { (name: AskAction, label: String, style: String?) -> Node<HTML.BodyContext> in
            Form.post(req, action: "\(base)/asks/\(ask.id)/\(name.rawValue)",
                      .button(.type(.submit), .class(style ?? ""), .text(label)))
        }
        var buttons: [Node<HTML.BodyContext>] = []
        switch ask.askStatus {
        case .initiated:
            buttons.append(action(.ask, side == .passenger ? t("Demander une place", "Ask for a seat") : t("Proposer de l’emmener", "Offer the ride"), nil))
            buttons.append(action(.cancel, t("Clore sans suite", "Close without a ride"), "secondary"))
        case .pending where side == waitingFor:
            buttons.append(action(.accept, t("Accepter", "Accept"), nil))
            buttons.append(action(.decline, t("Décliner", "Decline"), "secondary"))
        case .pending:
            buttons.append(action(.cancel, t("Retirer ma demande", "Withdraw my request"), "secondary"))
        case .accepted:
            if let day = ask.date, LocalZone.paris.start(of: day) <= Date() { buttons.append(action(.complete, t("Le trajet a eu lieu", "The ride took place"), nil)) }
            buttons.append(Confirmation.ask(t("Annuler le trajet", "Cancel the ride"), at: "\(base)/asks/\(ask.id)/cancel"))
        default: break
        }
        let settings = try await CarpoolSettings.of(access.coopID, on: req.db)
        if settings.payment == .ledger, side == .passenger, ask.contribution_cents > 0, ask.paid_at == nil,
           ask.askStatus == .accepted || ask.askStatus == .completed {
            buttons.append(Form.post(req, action: "\(base)/asks/\(ask.id)/pay",
                .button(.type(.submit), .text(t("Régler \(Amount.euros(cents: ask.contribution_cents).formatted(language)) par le compte de la coopérative",
                                                "Pay \(Amount.euros(cents: ask.contribution_cents).formatted(language)) through the cooperative's account")))))
        }
        let trip = "\(ask.pickup_name) → \(ask.dropoff_name)"
        return Layout.page(req, title: trip + " — " + t("Demande de place", "Seat request"), status: status,
            .p(.a(.href("\(base)/mine"), .text("← " + t("Mes trajets et demandes", "My rides and requests")))),
            .h1(.text(trip)),
            .unwrap(problem) { .p(.class("error-message"), .attribute(named: "role", value: "alert"), .text(t($0.message))) },
            .dl(.class("figures"),
                .dt(.text(t("Le", "On"))), .dd(.text((ask.date.map { CarpoolAdPages.rideDay($0, language) } ?? ask.travel_date) + " · " + t(ask.rideLeg.label))),
                .dt(.text(t("Conducteur·rice", "Driver"))), .dd(.text(names[ask.driver_id] ?? "")),
                .dt(.text(t("Passager·ère", "Passenger"))), .dd(.text(names[ask.passenger_id] ?? "")),
                .dt(.text(t("Places", "Seats"))), .dd(.text("\(ask.seats)")),
                .dt(.text(t("État", "State"))), .dd(.strong(.text(t(ask.askStatus.label)))),
                ask.contribution_cents > 0 ? .group(.dt(.text(t("Participation suggérée", "Suggested contribution"))),
                    .dd(.text(Amount.euros(cents: ask.contribution_cents).formatted(language)
                              + t(" (\(t.decimal(ask.shared_km, digits: 0)) km ensemble ; jamais plus que les frais)", " (\(t.decimal(ask.shared_km, digits: 0)) km together; never more than the costs)")
                              + (ask.paid_at == nil ? "" : t(" — réglée par le compte", " — paid through the account"))))) : .empty),
            .p(.a(.href("\(base)/ads/\(ad.id)"), .text(t("Voir l’annonce", "See the ad")))),
            buttons.isEmpty ? .empty : .div(.class("actions"), .group(buttons)),
            .section(.h2(.text(t("Coordonnées", "Contact details"))), contact),
            .p(.class("warning"), .attribute(named: "role", value: "note"),
               .strong(.text(t("Attention aux arnaques : ", "Beware of scams: "))),
               .text(t("ne payez jamais d’avance par mandat, carte cadeau, crypto-monnaie ou lien envoyé dans un message. ",
                       "never pay in advance by money order, gift card, cryptocurrency or a link sent in a message. ")
                     + (settings.payment == .ledger
                        ? t("La participation se règle par le compte de la coopérative, une fois la demande acceptée, ou le jour du trajet. ",
                            "The contribution is paid through the cooperative's account once the request is accepted, or on the day of the ride. ")
                        : t("La participation se règle le jour du trajet, directement. ", "The contribution is paid on the day of the ride, directly. "))
                     + t("Signalez tout message suspect.", "Report any suspicious message."))),
            thread,
            try await CarpoolReviews.section(req, access: access, ask: ask),
            .section(.h2(.text(t("Historique", "History"))),
                .ol(.forEach(history) { event in
                    .li(.text("\(DateText.short(event.at, language)) — \(t(CarpoolAsks.label(of: event.status)))"
                              + (event.by_id.flatMap { names[$0] }.map { " · \($0)" } ?? "") + (event.reason.isEmpty ? "" : " : « \(event.reason) »")))
                })))
    }

    /// The other person's phone (from their ad, or from their request, when they gave one) and address.
    static func contactDetails(_ req: Request, of person: UUID, ad: RideAdRow, ask: RideAskRow) async throws -> Node<HTML.BodyContext> {
        let t = req.t
        let user = try await User.find(person, on: req.db)
        let phone = ad.author_id == person ? ad.phone : ask.asker_phone
        return .dl(.class("figures"),
                   .dt(.text(t("Adresse e-mail", "Email"))), .dd(.unwrap(user?.email) { .a(.href("mailto:\($0)"), .text($0)) }),
                   .dt(.text(t("Téléphone", "Phone"))), .dd(.unwrap(phone, { .a(.href("tel:\($0)"), .text($0)) }, else: .text(t("non indiqué", "not given")))))
    }

    @Sendable static func pay(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true)
        let id = try req.parameters.require("id", as: UUID.self)
        let member = try access.memberID()
        let ask = try await CarpoolAsks.find(id, in: access.coopID, for: member, on: req.db)
        do {
            try await CarpoolPayments.pay(ask, by: member, settings: try await CarpoolSettings.of(access.coopID, on: req.db), on: req.db)
            return req.done(Localized(fr: "Participation réglée. Merci !", en: "Contribution paid. Thank you!"), goTo: "\(access.base)/asks/\(id)")
        } catch let error as DomainError where error.kind != .notFound {
            return try await view(req, access: access, id: id, status: error.status, problem: error)
        }
    }

    @Sendable static func act(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true)
        let id = try req.parameters.require("id", as: UUID.self)
        guard let action = AskAction(rawValue: req.parameters.get("action") ?? "") else { throw Problem.notFound }
        let member = try access.memberID()
        let reason = (try? req.content.get(String.self, at: "reason")) ?? ""
        let current = try await CarpoolAsks.find(id, in: access.coopID, for: member, on: req.db)
        // Cancelling an accepted ride asks first, with the reason the other person will read.
        if action == .cancel && current.askStatus == .accepted && !req.isConfirmed {
            return cancelQuestion(req, access: access, ask: current)
        }
        do {
            let ask = try await CarpoolAsks.act(action, on: id, by: member, in: access.coopID, reason: reason, notify: access.coop.slug, on: req.db)
            return req.done(Localized(fr: "C’est noté : \(ask.askStatus.label.fr.lowercased()).", en: "Done: \(ask.askStatus.label.en.lowercased())."),
                            goTo: "\(access.base)/asks/\(id)")
        } catch let error as DomainError where error.code == "reason_required" {
            return cancelQuestion(req, access: access, ask: current, problem: error)
        } catch let error as DomainError where error.kind != .notFound {
            return try await view(req, access: access, id: id, status: error.status, problem: error)
        }
    }

    static func cancelQuestion(_ req: Request, access: CarpoolAccess, ask: RideAskRow, problem: DomainError? = nil) -> Response {
        let t = req.t
        return Confirmation.page(req, title: t("Annuler ce trajet ?", "Cancel this ride?"),
            consequences: [t("L’autre personne est prévenue tout de suite, avec votre raison.", "The other person is told at once, with your reason."),
                           t("Les places sont libérées pour d’autres.", "The seats are freed for others.")],
            action: "\(access.base)/asks/\(ask.id)/cancel", button: t("Annuler le trajet", "Cancel the ride"), back: "\(access.base)/asks/\(ask.id)",
            status: problem == nil ? .ok : .unprocessableEntity, problem: problem,
            fields: [.label(.for("reason"), .text(t("Pourquoi ? (l’autre personne le lira)", "Why? (the other person will read it)"))),
                     .textarea(.id("reason"), .name("reason"), .attribute(named: "rows", value: "3"), .attribute(named: "required", value: "required"),
                               .attribute(named: "maxlength", value: "\(TextLimits.reason)"))])
    }
}

extension CarpoolAskPages {
    /// The person's rides still to come: their ads, and their requests as driver or passenger.
    @Sendable static func mine(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true)
        let t = req.t, language = req.language, base = access.base
        let member = try access.memberID()
        let today = LocalZone.paris.localDate(at: Date())
        let ads = try await CarpoolAds.mine(member, in: access.coopID, today: today, on: req.db)
        let asks = try await CarpoolAsks.mine(member, in: access.coopID, since: today, on: req.db)
        let names = try await CarpoolAccess.names(Set(asks.map { $0.other(than: member) }), on: req.db)
        return Layout.page(req, title: t("Mes trajets et demandes", "My rides and requests"),
            .p(.a(.href(base), .text("← " + t("Covoiturage", "Carpooling")))),
            .h1(.text(t("Mes trajets et demandes", "My rides and requests"))),
            .p(.a(.class("button"), .href("\(base)/new"), .text(t("Publier un trajet", "Publish a ride")))),
            .section(.h2(.text(t("Mes annonces", "My ads"))),
                ads.isEmpty ? .p(.text(t("Aucune annonce à venir.", "No ad to come."))) :
                .ul(.forEach(ads) { ad in
                    .li(.a(.href("\(base)/ads/\(ad.id)"), .text("\(ad.origin_name) → \(ad.destination_name)")),
                        .text(" · " + t(ad.rideRole.label) + " · " + (ad.isRegular
                            ? t("régulier jusqu’au ", "regular until ") + (ad.lastDay.map { DayText.short($0, language) } ?? ad.until_date)
                            : (LocalDate(iso: ad.from_date).map { DayText.short($0, language) } ?? ad.from_date))))
                })),
            .section(.h2(.text(t("Mes demandes", "My requests"))),
                asks.isEmpty ? .p(.text(t("Aucune demande à venir.", "No request to come."))) :
                .ul(.forEach(asks) { ask in
                    .li(.a(.href("\(base)/asks/\(ask.id)"),
                           .text("\(ask.date.map { CarpoolAdPages.rideDay($0, language) } ?? ask.travel_date) · \(ask.pickup_name) → \(ask.dropoff_name)")),
                        .text(" · " + (ask.driver_id == member ? t("vous conduisez ", "you drive ") : t("avec ", "with ")) + (names[ask.other(than: member)] ?? "")
                              + " — " + t(ask.askStatus.label)))
                })))
    }
}
