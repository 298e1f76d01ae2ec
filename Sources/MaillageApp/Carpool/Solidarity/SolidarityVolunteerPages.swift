import Fluent
import MaillageCore
import Plot
import Vapor

/// A volunteer driver's own page: availability, pause, monthly limit, their trips; the trips they
/// are asked for, which they accept or decline; their yearly statement.
enum SolidarityVolunteerPages {
    static func routes(_ routes: any RoutesBuilder) {
        routes.get("volunteer", use: mine)
        routes.post("volunteer", use: save)
        routes.get("offers", ":id", use: offer)
        routes.post("offers", ":id", "accept", use: accept)
        routes.post("offers", ":id", "decline", use: decline)
        routes.post("offers", ":id", "withdraw", use: withdraw)
        routes.get("statement", ":year", use: ownStatement)
        routes.get("volunteers", ":person", "statement", ":year", use: statementForCoordinators)
    }

    struct ProfileForm: Content {
        var slot: [String]?
        var home_commune: String?
        var max_km: String?
        var vehicle: String?
        var paused: String?
        var monthly_limit: String?
    }

    @Sendable static func mine(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true)
        let person = try access.memberID()
        let profile = try await SolidarityVolunteers.of(person, in: access.coopID, on: req.db)
        var values = ["home_commune": profile?.home_commune ?? "", "max_km": "\(profile?.max_km ?? 20)", "vehicle": profile?.vehicle ?? "",
                      "paused": profile?.paused == true ? "1" : "", "monthly_limit": "\(profile?.monthly_limit ?? 4)"]
        for slot in VolunteerProfile.slots(from: profile?.slots ?? "") { values["slot-\(slot.code)"] = "1" }
        return try await page(req, access: access, state: FormState(values: values))
    }

    static func page(_ req: Request, access: CarpoolAccess, state: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.t, language = req.language, home = SolidarityPages.base(access)
        let person = try access.memberID()
        let trips = try await SolidarityRequests.list(in: access.coopID, volunteer: person, on: req.db)
        let year = LocalZone.paris.localDate(at: Date()).year
        return Layout.page(req, title: t("Conduire bénévolement", "Volunteer driving"), status: status,
            .p(.a(.href(access.base), .text("← " + t("Covoiturage", "Carpooling")))),
            .h1(.text(t("Conduire bénévolement", "Volunteer driving"))),
            .p(.text(t("Vous conduisez des personnes sans voiture à un rendez-vous médical, un entretien, au marché. La structure vous rembourse vos kilomètres.",
                       "You drive people without a car to a medical appointment, an interview, the market. The structure pays your kilometres back."))),
            Form.post(req, action: "\(home)/volunteer",
                Form.summary(state, t),
                .table(.class("grid"),
                    .caption(.text(t("Quand pouvez-vous conduire ?", "When can you drive?"))),
                    .thead(.tr(.th(.text("")), .forEach(DayPeriod.allCases) { .th(.text(t($0.label))) })),
                    .tbody(.forEach(1...7) { day in
                        .tr(.th(.attribute(named: "scope", value: "row"), .text(t(CarpoolAdPages.weekdayNames[day]!))),
                            .forEach(DayPeriod.allCases) { period in
                                let code = WeekSlot(weekday: day, period: period)!.code
                                return .td(.input(.type(.checkbox), .name("slot"), .value(code), .id("slot-\(code)"), .checked(state["slot-\(code)"] == "1"),
                                                  .attribute(named: "aria-label", value: "\(t(CarpoolAdPages.weekdayNames[day]!)) \(t(period.label))")))
                            })
                    })),
                Form.select("home_commune", label: t("Commune de départ", "Home commune"), state: state, t,
                            options: [("", t("— choisir —", "— choose —"))] + Communes.known.map { ($0.name, $0.name) }),
                Form.field("max_km", label: t("Distance maximale depuis chez vous (km)", "Maximum distance from home (km)"), state: state, t, type: .number),
                Form.field("vehicle", label: t("Véhicule", "Vehicle"), state: state, t, required: false,
                           hint: t("Par exemple « Clio, 4 places, accès facile ».", "For example “small car, 4 seats, easy access”.")),
                Form.field("monthly_limit", label: t("Au plus, trajets par mois", "At most, trips a month"), state: state, t, type: .number,
                           hint: t("Personne ne vous sollicitera au-delà.", "Nobody will ask you beyond that.")),
                Form.checkbox("paused", value: "1", label: t("Je fais une pause (on ne me propose plus de trajet)", "I am taking a break (no trip is proposed to me)"),
                              checked: state["paused"] == "1", id: "paused"),
                Form.submit(t("Enregistrer mes disponibilités", "Save my availability"))),
            .section(.h2(.text(t("Mes trajets", "My trips"))),
                trips.isEmpty ? .p(.text(t("Aucun trajet pour l’instant.", "No trip yet."))) :
                .ul(.forEach(trips) { trip in
                    .li(.a(.href("\(home)/offers/\(trip.id)"), .text("\(trip.destination_commune) — \(trip.timing.text(language))")),
                        .text(" — \(t(trip.state.label))"))
                }),
                .p(.a(.href("\(home)/statement/\(year)"), .text(t("Mon relevé \(year) (kilomètres et indemnités)", "My \(year) statement (kilometres and allowances)"))))))
    }

    @Sendable static func save(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true)
        let form = try req.content.decode(ProfileForm.self)
        var values = ["home_commune": form.home_commune ?? "", "max_km": form.max_km ?? "", "vehicle": form.vehicle ?? "",
                      "paused": form.paused ?? "", "monthly_limit": form.monthly_limit ?? ""]
        for code in form.slot ?? [] { values["slot-\(code)"] = "1" }
        do {
            let profile = try VolunteerProfile.check(slots: form.slot ?? [], homeCommune: values["home_commune"]!, maxKm: values["max_km"]!,
                                                     vehicle: values["vehicle"]!, paused: form.paused == "1", monthlyLimit: values["monthly_limit"]!)
            try await SolidarityVolunteers.save(profile, of: try access.memberID(), in: access.coopID, on: req.db)
            return req.done(Localized(fr: "Disponibilités enregistrées. Merci !", en: "Availability saved. Thank you!"),
                            goTo: "\(SolidarityPages.base(access))/volunteer")
        } catch {
            return try await page(req, access: access, state: try FormState(refused: error, values: values), status: .unprocessableEntity)
        }
    }

    /// The request as a volunteer sees it: the volunteer asked or assigned, nobody else (not
    /// found). Before they take it, where and when only; once theirs, whom to pick up and how to call.
    static func offered(_ req: Request) async throws -> (CarpoolAccess, SolidarityRequests.Row, UUID) {
        let access = try await CarpoolAccess(req, member: true)
        let person = try access.memberID()
        let request = try await SolidarityRequests.find(req.parameters.get("id", as: UUID.self), in: access.coopID, on: req.db)
        let asked = try await SolidarityRequests.asked(request.id, on: req.db).contains { $0.volunteer_id == person }
        guard asked || request.volunteer_id == person else { throw Solidarity.notFound }
        return (access, request, person)
    }

    @Sendable static func offer(_ req: Request) async throws -> Response {
        let (access, request, person) = try await offered(req)
        let t = req.t, language = req.language, home = SolidarityPages.base(access)
        let mine = request.volunteer_id == person
        let open = request.state == .created || request.state == .handling
        let beneficiary = mine ? try await SolidarityBeneficiaries.find(request.beneficiary_id, in: access.coopID, on: req.db) : nil
        let from = mine ? nil : try await SolidarityBeneficiaries.find(request.beneficiary_id, in: access.coopID, on: req.db).commune
        return Layout.page(req, title: t("Trajet solidaire", "Solidarity trip"),
            .p(.a(.href("\(home)/volunteer"), .text("← " + t("Ma page de bénévole", "My volunteer page")))),
            .h1(.text(t("Trajet solidaire vers \(request.destination_commune)", "Solidarity trip to \(request.destination_commune)"))),
            .dl(.dt(.text(t("Quand", "When"))), .dd(.text(request.timing.text(language))),
                .dt(.text(t("Motif", "Reason"))), .dd(.text(request.reason)),
                .dt(.text(t("État", "State"))), .dd(.text(t(request.state.label))),
                .unwrap(from) { .group(.dt(.text(t("Départ", "From"))), .dd(.text($0))) },
                .unwrap(beneficiary) { who in .group(
                    .dt(.text(t("Personne à conduire", "Person to drive"))), .dd(.text(who.name)),
                    .dt(.text(t("Téléphone", "Phone"))), .dd(.text(who.phone)),
                    .dt(.text(t("Où la prendre", "Pick-up"))), .dd(.text("\(who.address), \(who.commune)")),
                    .dt(.text(t("Destination", "Destination"))), .dd(.text(request.destination))) }),
            open ? .div(
                Form.post(req, action: "\(home)/offers/\(request.id)/accept", Form.submit(t("J’accepte ce trajet", "I take this trip"))),
                Form.post(req, action: "\(home)/offers/\(request.id)/decline",
                          .button(.type(.submit), .class("secondary"), .text(t("Je ne peux pas", "I cannot"))))) : .empty,
            mine && request.state == .found ? Form.post(req, action: "\(home)/offers/\(request.id)/withdraw",
                .p(.text(t("Un empêchement ? Rendez ce trajet : la coordination cherchera quelqu’un d’autre.",
                           "Something came up? Give this trip back: the coordinators will find someone else."))),
                .button(.type(.submit), .class("secondary"), .text(t("Je me désiste", "I withdraw")))) : .empty)
    }

    @Sendable static func accept(_ req: Request) async throws -> Response {
        let (access, request, person) = try await offered(req)
        try await SolidarityRequests.assign(request, to: person, by: person, on: req.db)
        return req.done(Localized(fr: "Merci ! Le trajet est à vous : appelez la personne pour convenir de l’heure.",
                                  en: "Thank you! The trip is yours: call the person to agree on the time."),
                        goTo: "\(SolidarityPages.base(access))/offers/\(request.id)")
    }

    @Sendable static func decline(_ req: Request) async throws -> Response {
        let (access, request, person) = try await offered(req)
        guard request.state == .created || request.state == .handling else { throw Solidarity.wrongState(request.state) }
        try await SolidarityRequests.decline(request, by: person, recordedBy: person, on: req.db)
        return req.done(Localized(fr: "C’est noté, merci d’avoir répondu.", en: "Noted, thank you for answering."), goTo: "\(SolidarityPages.base(access))/volunteer")
    }

    /// The assigned volunteer gives the trip back; another volunteer asked for it finds nothing to
    /// give back (not found), and a trip no longer held says where it stands.
    @Sendable static func withdraw(_ req: Request) async throws -> Response {
        let (access, request, person) = try await offered(req)
        try await SolidarityRequests.withdraw(request, volunteer: person, slug: access.coop.slug, on: req.db)
        return req.done(Localized(fr: "C’est noté : la coordination est prévenue et cherchera quelqu’un d’autre.",
                                  en: "Noted: the coordinators are told and will find someone else."), goTo: "\(SolidarityPages.base(access))/volunteer")
    }

    // MARK: Yearly statement

    @Sendable static func ownStatement(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true)
        return try await statement(req, access: access, volunteer: try access.memberID())
    }

    @Sendable static func statementForCoordinators(_ req: Request) async throws -> Response {
        let access = try await Solidarity.coordinator(req)
        guard let person = req.parameters.get("person", as: UUID.self),
              try await SolidarityVolunteers.of(person, in: access.coopID, on: req.db) != nil else { throw Solidarity.notFound }
        return try await statement(req, access: access, volunteer: person)
    }

    /// A printable page: each trip, its kilometres and the allowance paid, with the year's totals,
    /// which the volunteer keeps for their tax return (unpaid volunteer costs).
    static func statement(_ req: Request, access: CarpoolAccess, volunteer: UUID) async throws -> Response {
        guard let year = req.parameters.get("year", as: Int.self), (2000...9999).contains(year) else { throw Solidarity.notFound }
        let t = req.t, language = req.language
        let lines = try await SolidarityTrips.statement(of: volunteer, year: year, in: access.coopID, on: req.db)
        let name = try await CarpoolAccess.names([volunteer], on: req.db)[volunteer] ?? ""
        let settings = try await Solidarity.settings(of: access.coopID, on: req.db)
        let km = lines.reduce(0) { $0 + $1.km_tenths }, paid = lines.reduce(Int64(0)) { $0 + $1.allowance_cents }
        return Layout.page(req, title: t("Relevé \(year) — \(name)", "\(year) statement — \(name)"),
            .h1(.text(t("Relevé des trajets bénévoles \(year)", "Volunteer trips statement \(year)"))),
            .p(.text("\(access.coop.name) — \(name)")),
            .table(.class("stack"),
                .thead(.tr(.th(.text(t("Jour", "Day"))), .th(.text(t("Destination", "Destination"))), .th(.text(t("Motif", "Reason"))),
                           .th(.text("km")), .th(.text(t("Indemnité versée", "Allowance paid"))))),
                .tbody(.forEach(lines) { line in
                    .tr(.td(.text(line.done_on)), .td(.text(line.destination_commune)), .td(.text(line.reason)),
                        .td(.text(MileageAllowance.kmText(line.km_tenths, language))), .td(.text(Amount.euros(cents: line.allowance_cents).formatted(language))))
                }),
                .tfoot(.tr(.th(.attribute(named: "colspan", value: "3"), .text(t("Total", "Total"))),
                           .td(.text(MileageAllowance.kmText(km, language))), .td(.text(Amount.euros(cents: paid).formatted(language)))))),
            .p(.class("hint"), .text(t("Indemnité au taux de la structure : \(Amount.euros(cents: settings.centsPerKm).formatted(.fr)) par km. Les frais engagés au-delà de ce qui vous a été versé, et auxquels vous renoncez, peuvent ouvrir droit à la réduction d’impôt des dons si la structure vous délivre un reçu.",
                                       "Allowance at the structure's rate: \(Amount.euros(cents: settings.centsPerKm).formatted(.en)) per km. Costs beyond what you were paid, which you give up, may qualify for the tax reduction on gifts if the structure gives you a receipt."))))
    }
}
