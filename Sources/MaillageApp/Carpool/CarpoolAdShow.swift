import Fluent
import MaillageCore
import Plot
import Vapor

/// One ride's page: where, when, what the car takes, the suggested contribution; a member asks
/// for a seat (or writes first) on one of its coming days; its author sees the requests.
extension CarpoolAdPages {
    /// The departures still to come, at most `limit` (a regular trip runs for months): today's
    /// only while their time and margin are not past.
    static func comingDays(_ times: [RideTimeRow], ad: RideAdRow, now: Date = Date(), zone: LocalZone = .paris,
                           limit: Int = 14) -> [(LocalDate, RideLeg, RideTime)] {
        let today = zone.localDate(at: now), nowMinute = zone.minuteOfDay(at: now)
        guard let until = ad.lastDay, let from = LocalDate(iso: ad.from_date) else { return [] }
        var days: [(LocalDate, RideLeg, RideTime)] = []
        var day = max(from, today)
        while day <= until && days.count < limit {
            for row in times where (row.on_date == day.iso || row.weekday == day.weekday)
                && (day > today || row.minute + row.margin >= nowMinute) {
                days.append((day, RideLeg(rawValue: row.leg) ?? .outward, RideTime(minute: row.minute, margin: row.margin)))
            }
            guard let next = day.adding(days: 1) else { break }
            day = next
        }
        return days.sorted { ($0.0, $0.1 == .outward ? 0 : 1) < ($1.0, $1.1 == .outward ? 0 : 1) }
    }

    /// "Aujourd’hui", "mardi 8 déc.": a regular trip's days are read by their weekday.
    static func rideDay(_ day: LocalDate, _ language: Language) -> String {
        DateText.dayHeading(LocalZone.paris.instant(on: day, hour: 12), language)
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        try await showView(req, id: req.parameters.get("id", as: UUID.self))
    }

    static func showView(_ req: Request, id: UUID?, askState: FormState? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let access = try await CarpoolAccess(req)
        let t = req.t, language = req.language, base = access.base
        let ad = try await CarpoolAds.find(id, in: access.coopID, on: req.db)
        // An ad for a community is for its members only, like the search shows it.
        if let community = ad.community_id, ad.author_id != access.user?.id,
           !(try await CarpoolAds.communities(of: access.user?.id, on: req.db)).contains(community) {
            throw Problem.notFound(CarpoolAds.adWord)
        }
        let times = try await CarpoolAds.times(of: ad.id, on: req.db)
        let days = comingDays(times, ad: ad)
        let taken = try await CarpoolAsks.seatsTaken(on: ad.id, on: req.db)
        let settings = try await CarpoolSettings.of(access.coopID, on: req.db)
        let mine = access.user?.id == ad.author_id
        let author = access.isMember ? try await CarpoolAccess.names([ad.author_id], on: req.db)[ad.author_id] : nil
        let asks = mine ? try await CarpoolAsks.on(ad: ad.id, on: req.db) : []
        let partnerBookings = mine ? try await PartnerBookingPages.section(req, access: access, ad: ad) : .empty
        let askNames = try await CarpoolAccess.names(Set(asks.map { $0.other(than: ad.author_id) }), on: req.db)
        let contribution = settings.contribution.suggestedCents(km: ad.distance_km)
        let wanted = req.query[String.self, at: "date"] ?? days.first?.0.iso ?? ""
        let state = askState ?? FormState(values: ["travel": "\(wanted)/\(req.query[String.self, at: "leg"] ?? "outward")", "seats": "1",
                                                   "from": req.query[String.self, at: "from"] ?? "", "to": req.query[String.self, at: "to"] ?? ""])
        let title = "\(ad.origin_name) → \(ad.destination_name)"
        let why = access.isMember || ad.withdrawn_at != nil ? Node<HTML.BodyContext>.empty
            : try await MembersOnly.why(req, coop: access.coop, action: Localized(fr: "demander une place", en: "ask for a seat"))
        return Layout.page(req, title: title + " — " + access.coop.name, status: status,
            .p(.a(.href(base), .text("← " + t("Covoiturage", "Carpooling")))),
            .h1(.text(title)),
            .dl(.class("figures"),
                .dt(.text(t("Annonce", "Ad"))), .dd(.text(t(ad.rideRole.label) + " · " + (ad.isRegular ? t("trajet régulier", "regular trip") : t("trajet ponctuel", "one-off trip")))),
                .dt(.text(t("Distance estimée", "Estimated distance"))),
                .dd(.text("\(t.decimal(ad.distance_km, digits: 0)) km · \(Int(ad.minutes.rounded())) min")),
                .dt(.text(ad.rideRole.drives ? t("Places offertes", "Seats offered") : t("Places cherchées", "Seats wanted"))), .dd(.text("\(ad.seats)")),
                .dt(.text(t("Dans la voiture", "In the car"))),
                .dd(.text(ad.optionList.isEmpty ? "—" : ad.optionList.map { t($0.label) }.joined(separator: ", "))),
                contribution > 0 ? .group(.dt(.text(t("Participation suggérée", "Suggested contribution"))),
                                          .dd(.text(Amount.euros(cents: contribution).formatted(language) + t(" par place, trajet entier", " per seat, whole trip")))) : .empty,
                .unwrap(author) { .group(.dt(.text(t("Publié par", "Published by"))), .dd(.text($0))) }),
            ad.comment.isEmpty ? .empty : .p(.class("keep-lines"), .text(ad.comment)),
            .p(.class("hint"), .text(CarpoolPages.moneyRule(settings, t))),
            ad.withdrawn_at != nil ? .p(.class("notice"), .text(t("Ce trajet a été retiré.", "This ride was withdrawn."))) : .empty,
            .section(.h2(.text(t("Prochains départs", "Next departures"))),
                days.isEmpty ? .p(.text(t("Plus de départ à venir.", "No departure to come."))) :
                .table(.class("stack"),
                    .caption(.text(t("Les six prochains départs et leurs places libres ; la demande propose les deux semaines à venir.",
                                     "The next six departures and their free seats; the request offers the coming two weeks."))),
                    .thead(.tr(.th(.text(t("Jour", "Day"))), .th(.text(t("Trajet", "Way"))), .th(.text(t("Heure", "Time"))), .th(.text(t("Places libres", "Free seats"))))),
                    .tbody(.forEach(days.prefix(6)) { day, leg, time in
                        .tr(.td(.attribute(named: "data-label", value: t("Jour", "Day")), .text(rideDay(day, language))),
                            .td(.attribute(named: "data-label", value: t("Trajet", "Way")), .text(t(leg.label))),
                            .td(.attribute(named: "data-label", value: t("Heure", "Time")), .text("\(time.clock) ±\u{00A0}\(time.margin)\u{00A0}min")),
                            .td(.attribute(named: "data-label", value: t("Places libres", "Free seats")),
                                .text("\(max(0, ad.seats - (taken["\(day.iso)/\(leg.rawValue)"] ?? 0)))")))
                    }))),
            access.isMember && !mine && ad.withdrawn_at == nil && !days.isEmpty ? askForm(req, access: access, ad: ad, days: days, state: state) : .empty,
            why,
            mine ? .section(.h2(.text(t("Demandes reçues", "Requests"))),
                asks.isEmpty ? .p(.text(t("Aucune demande pour l’instant.", "No request yet."))) :
                .ul(.forEach(asks) { ask in
                    .li(.a(.href("\(base)/asks/\(ask.id)"),
                           .text("\(ask.date.map { DayText.short($0, language) } ?? ask.travel_date) · \(t(ask.rideLeg.label)) · \(askNames[ask.other(than: ad.author_id)] ?? "") — \(t(ask.askStatus.label))")))
                }),
                ad.withdrawn_at == nil ? Confirmation.ask(t("Retirer ce trajet", "Withdraw this ride"), at: "\(base)/ads/\(ad.id)/withdraw") : .empty) : .empty,
            partnerBookings)
    }

    static func askForm(_ req: Request, access: CarpoolAccess, ad: RideAdRow, days: [(LocalDate, RideLeg, RideTime)], state: FormState) -> Node<HTML.BodyContext> {
        let t = req.t, language = req.language
        let heading = ad.rideRole.drives ? t("Demander une place", "Ask for a seat") : t("Proposer de l’emmener", "Offer a ride")
        return .section(.h2(.id("ask"), .text(heading)),
            .p(.class("hint"), .text(t("Votre téléphone et votre adresse restent cachés jusqu’à ce que la demande soit acceptée.",
                                       "Your phone and address stay hidden until the request is accepted."))),
            Form.post(req, action: "\(access.base)/ads/\(ad.id)/asks",
                Form.summary(state, t),
                Form.select("travel", label: t("Départ", "Departure"), state: state, t,
                            options: days.map { day, leg, time in ("\(day.iso)/\(leg.rawValue)", "\(rideDay(day, language)) · \(t(leg.label)) · \(time.clock)") }),
                ad.rideRole.drives ? Form.field("seats", label: t("Places", "Seats"), state: state, t, type: .number) : .input(.type(.hidden), .name("seats"), .value("1")),
                Form.field("phone", label: t("Votre téléphone (facultatif)", "Your phone (optional)"), state: state, t, type: .tel, required: false,
                           hint: t("Pour qu’on puisse vous appeler le jour du trajet ; montré seulement si la demande est acceptée.",
                                   "So you can be called on the day; shown only if the request is accepted."), autocomplete: "tel"),
                .input(.type(.hidden), .name("from"), .value(state["from"])),
                .input(.type(.hidden), .name("to"), .value(state["to"])),
                .div(.class("actions"),
                     .button(.type(.submit), .name("ask_seat"), .value("1"), .text(heading)),
                     .button(.type(.submit), .name("ask_seat"), .value("0"), .class("secondary"), .text(t("Écrire d’abord, sans demander", "Write first, without asking"))))))
    }

    @Sendable static func withdrawQuestion(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true)
        let ad = try await CarpoolAds.find(req.parameters.get("id", as: UUID.self), in: access.coopID, on: req.db)
        guard ad.author_id == access.user?.id else { throw Problem.notFound(CarpoolAds.adWord) }
        let t = req.t
        return Confirmation.page(req, title: t("Retirer ce trajet ?", "Withdraw this ride?"),
            consequences: [t("Il disparaît de la recherche ; personne ne peut plus demander de place.", "It leaves the search; nobody can ask for a seat any more."),
                           t("Les demandes acceptées restent : annulez-les une à une pour prévenir chaque personne.", "Accepted requests stay: cancel them one by one to tell each person.")],
            action: "\(access.base)/ads/\(ad.id)/withdraw", button: t("Retirer le trajet", "Withdraw the ride"), back: "\(access.base)/ads/\(ad.id)")
    }

    @Sendable static func withdraw(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true)
        let id = try req.parameters.require("id", as: UUID.self)
        guard req.isConfirmed else { return req.askFirst("\(access.base)/ads/\(id)/withdraw") }
        try await CarpoolAds.withdraw(id, by: try access.memberID(), in: access.coopID, on: req.db)
        return req.done(Localized(fr: "Trajet retiré.", en: "Ride withdrawn."), goTo: "\(access.base)/mine")
    }
}
