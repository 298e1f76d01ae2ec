import Fluent
import MaillageCore
import Plot
import Vapor

/// `/c/<slug>/carpool`: finding a ride (or passengers) between two places on a day, each result
/// saying why it matched; the way to publish, one's own rides, alerts and communities.
enum CarpoolPages {
    static func routes(_ routes: any RoutesBuilder) {
        routes.get("c", ":slug", "carpool", use: search)
        routes.get("c", ":slug", "carpool", "ads", ":id", use: CarpoolAdPages.show)
        let members = routes.grouped(RequireLoginMiddleware()).grouped("c", ":slug", "carpool")
        members.get("new", use: CarpoolAdPages.newPage)
        members.post("ads", use: CarpoolAdPages.create)
        members.get("ads", ":id", "withdraw", use: CarpoolAdPages.withdrawQuestion)
        members.post("ads", ":id", "withdraw", use: CarpoolAdPages.withdraw)
        members.post("ads", ":id", "asks", use: CarpoolAskPages.open)
        members.get("asks", ":id", use: CarpoolAskPages.show)
        members.post("asks", ":id", "pay", use: CarpoolAskPages.pay)
        members.post("asks", ":id", ":action", use: CarpoolAskPages.act)
        members.get("mine", use: CarpoolAskPages.mine)
        members.get("settings", use: CarpoolManagePages.show)
        members.post("settings", use: CarpoolManagePages.save)
        members.post("relay-points", use: CarpoolManagePages.addRelayPoint)
        members.post("relay-points", ":id", "withdraw", use: CarpoolManagePages.withdrawRelayPoint)
    }

    /// The search's fields as typed.
    static func searchValues(_ req: Request, today: LocalDate) -> [String: String] {
        var values: [String: String] = [:]
        for key in ["from", "to", "date", "time", "looking_for"] { values[key] = req.query[String.self, at: key] ?? "" }
        if values["date"]?.isEmpty ?? true { values["date"] = today.iso }
        if values["looking_for"]?.isEmpty ?? true { values["looking_for"] = "driver" }
        return values
    }

    /// The search the values describe, or the problems to show next to the fields.
    static func query(_ values: [String: String], relayPoints: [RelayPoint], person: UUID?) throws -> CarpoolSearch.Query {
        var errors = ValidationErrors()
        let origin = CarpoolPlaces.resolve(values["from"] ?? "", relayPoints)
        let destination = CarpoolPlaces.resolve(values["to"] ?? "", relayPoints)
        if origin == nil { errors.add(CarpoolErrors.unknownPlace("from")) }
        if destination == nil { errors.add(CarpoolErrors.unknownPlace("to")) }
        let date = LocalDate(iso: values["date"] ?? "")
        if date == nil { errors.add(CarpoolErrors.date("date")) }
        let timeText = (values["time"] ?? "").trimmingCharacters(in: .whitespaces)
        let minute = timeText.isEmpty ? nil : RideTime.minute(of: timeText)
        if !timeText.isEmpty && minute == nil { errors.add(CarpoolErrors.time("time")) }
        let role = RideRole(rawValue: values["looking_for"] ?? "")
        if role == nil || role == .both { errors.add(CarpoolErrors.unknownChoice("looking_for")) }
        try errors.throwIfAny()
        guard let origin, let destination, let date, let role else { throw CarpoolErrors.unknownPlace("from") }
        return CarpoolSearch.Query(origin: origin, destination: destination, date: date,
                                   time: minute.map { RideTime(minute: $0, margin: 60) }, lookingFor: role, person: person)
    }

    @Sendable static func search(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req)
        let t = req.t, coop = access.coop, language = req.language
        let today = LocalZone.paris.localDate(at: Date())
        let values = searchValues(req, today: today)
        let relayPoints = try await RelayPoint.all(of: access.coopID, on: req.db)
        let settings = try await CarpoolSettings.of(access.coopID, on: req.db)
        var state = FormState(values: values)
        var results: [CarpoolSearch.Result]? = nil
        var elsewhere: [PartnerJourneys.Found] = []
        if !(values["from"] ?? "").isEmpty || !(values["to"] ?? "").isEmpty {
            do {
                let asked = try query(values, relayPoints: relayPoints, person: access.user?.id)
                results = try await CarpoolSearch.run(asked, coop: access.coopID, relayPoints: relayPoints.compactMap(\.point), index: req.application.carpoolSearchIndex, on: req.db)
                elsewhere = try await PartnerJourneys.search(asked, coop: access.coopID, req: req)
            } catch let error as DomainError {
                state = try FormState(refused: error, values: values)
            } catch let errors as ValidationErrors {
                state = try FormState(refused: errors, values: values)
            }
        }
        let why = access.isMember ? Node<HTML.BodyContext>.empty
            : try await MembersOnly.why(req, coop: coop, action: Localized(fr: "publier un trajet et demander une place", en: "publish a ride and ask for a seat"))
        let carry = "from=\(values["from"] ?? "")&to=\(values["to"] ?? "")".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? ""
        return Layout.page(req, title: t("Covoiturage — \(coop.name)", "Carpooling — \(coop.name)"),
            .p(.a(.href("/c/\(coop.slug)"), .text("← " + coop.name))),
            .h1(.text(t("Covoiturage", "Carpooling"))),
            .p(.class("lead"), .text(moneyRule(settings, t))),
            why,
            .nav(.class("actions"), .attribute(named: "aria-label", value: t("Covoiturage", "Carpooling")),
                 access.isMember ? .a(.class("button"), .href("\(access.base)/new"), .text(t("Publier un trajet", "Publish a ride"))) : .empty,
                 access.isMember ? .a(.href("\(access.base)/mine"), .text(t("Mes trajets et demandes", "My rides and requests"))) : .empty,
                 access.isMember ? .a(.href("\(access.base)/alerts"), .text(t("Mes alertes", "My alerts"))) : .empty,
                 access.isMember ? .a(.href("\(access.base)/proofs"), .text(t("Preuves de covoiturage", "Carpool proofs"))) : .empty,
                 access.isMember ? .a(.href("\(access.base)/solidarity"),
                                      .text(access.isStaff ? t("Transport solidaire", "Solidarity transport") : t("Conduire en bénévole (transport solidaire)", "Drive as a volunteer (solidarity transport)"))) : .empty,
                 access.user != nil && !access.isStaff ? .a(.href("\(access.base)/solidarity/apply"), .text(t("Sans voiture ? Demander le transport solidaire", "No car? Apply for solidarity transport"))) : .empty,
                 .a(.href("\(access.base)/communities"), .text(t("Communautés", "Communities"))),
                 access.isStaff ? .a(.href("\(access.base)/settings"), .text(t("Réglages et points de rendez-vous", "Settings and meeting points"))) : .empty),
            .form(.method(.get), .action(access.base), .class("filters"), .attribute(named: "role", value: "search"),
                  Form.summary(state, t),
                  Form.select("from", label: t("Départ", "From"), state: state, t, options: CarpoolPlaces.options(relayPoints, t, empty: t("— choisir —", "— choose —"))),
                  Form.select("to", label: t("Arrivée", "To"), state: state, t, options: CarpoolPlaces.options(relayPoints, t, empty: t("— choisir —", "— choose —"))),
                  Form.field("date", label: t("Le", "On"), state: state, t, type: .date),
                  Form.field("time", label: t("Vers (heure)", "Around (time)"), state: state, t, type: .time, required: false,
                             hint: t("Laissez vide pour toute la journée.", "Leave empty for the whole day.")),
                  Form.select("looking_for", label: t("Je cherche", "I look for"), state: state, t,
                              options: [("driver", t("Une place (conducteur·rice)", "A seat (a driver)")), ("passenger", t("Des passager·ères", "Passengers"))]),
                  .button(.type(.submit), .text(t("Chercher", "Search")))),
            .unwrap(results) { results in
                .section(.attribute(named: "aria-live", value: "polite"),
                    .h2(.text(t.count(results.count, "trajet trouvé", "trajets trouvés", "ride found", "rides found"))),
                    results.isEmpty ? .p(.text(t("Aucun trajet ne correspond pour l’instant. Créez une alerte : vous serez prévenu·e dès qu’un trajet est publié.",
                                                 "No ride matches yet. Create an alert: you will be told as soon as one is published.")),
                                         .text(" "), .a(.href("\(access.base)/alerts?\(carry)"), .text(t("Créer une alerte", "Create an alert")))) : .empty,
                    .ul(.class("cards"), .forEach(results) { result in
                        .li(.class("card"), resultCard(result, base: access.base, carry: carry, settings: settings, t: t, language: language))
                    }))
            },
            PartnerJourneyCards.render(elsewhere, t: t, language: language))
    }

    static func resultCard(_ result: CarpoolSearch.Result, base: String, carry: String, settings: CarpoolSettings,
                           t: Translator, language: Language) -> Node<HTML.BodyContext> {
        let ad = result.ad, match = result.match
        let (from, to) = result.leg == .outward ? (ad.origin_name, ad.destination_name) : (ad.destination_name, ad.origin_name)
        let detour = t.decimal(match.detourKm, digits: 1) + " km / \(Int(match.detourMinutes.rounded())) min"
        var reasons = [t("Détour : ", "Detour: ") + detour + (match.isNoticeable ? t(" (sensible)", " (noticeable)") : "")]
        if match.walkToPickupKm > 0.05 {
            reasons.append(t("\(Int(match.walkToPickupMinutes.rounded())) min à pied jusqu’au point de rendez-vous",
                             "\(Int(match.walkToPickupMinutes.rounded())) min walk to the meeting point"))
        }
        if match.walkFromDropoffKm > 0.05 {
            reasons.append(t("\(Int(match.walkFromDropoffMinutes.rounded())) min à pied à l’arrivée", "\(Int(match.walkFromDropoffMinutes.rounded())) min walk at the end"))
        }
        reasons.append(t("trajet commun \(t.decimal(match.commonKm, digits: 0)) km", "\(t.decimal(match.commonKm, digits: 0)) km together"))
        let contribution = settings.contribution.suggestedCents(km: match.commonKm)
        return .article(
            .h3(.a(.href("\(base)/ads/\(ad.id)?date=\(result.date.iso)&leg=\(result.leg.rawValue)&\(carry)"),
                   .text("\(result.time.clock) · \(from) → \(to)"))),
            .p(.class("meta"), .text([t(ad.rideRole.label), ad.isRegular ? t("trajet régulier", "regular trip") : t("trajet ponctuel", "one-off trip"),
                                      "±\u{00A0}\(result.time.margin)\u{00A0}min",
                                      ad.rideRole.drives ? t.count(result.seatsLeft, "place libre", "places libres", "free seat", "free seats")
                                                         : t.count(ad.seats, "place cherchée", "places cherchées", "seat wanted", "seats wanted")]
                                     .joined(separator: " · "))),
            .p(.text(reasons.joined(separator: " · "))),
            contribution > 0 ? .p(.text(t("Participation suggérée : ", "Suggested contribution: ") + Amount.euros(cents: contribution).formatted(language))) : .empty)
    }

    /// The cooperative's money rule, with the law it follows.
    static func moneyRule(_ settings: CarpoolSettings, _ t: Translator) -> String {
        switch settings.contribution {
        case .free:
            return t("Ici, les trajets sont gratuits. La coopérative ne prend aucune commission.", "Here rides are free. The cooperative takes no commission.")
        case let .atCost(cents):
            let rate = t.decimal(Double(cents) / 100, digits: 2)
            return t("Participation aux frais suggérée : \(rate)\u{00A0}€ par km et par place. La loi limite le covoiturage au partage des frais ; la coopérative ne prend aucune commission.",
                     "Suggested cost sharing: €\(rate) per km per seat. The law limits carpooling to sharing costs; the cooperative takes no commission.")
        }
    }
}
