import Fluent
import MaillageCore
import Plot
import Vapor

/// `/c/<slug>/carpool/solidarity`: the coordinators' desk (beneficiaries, requests, fairness,
/// settings); volunteers have their own page, and answer the trips they are asked for.
enum SolidarityPages {
    static func routes(_ routes: any RoutesBuilder) {
        let signedIn = routes.grouped(RequireLoginMiddleware()).grouped("c", ":slug", "carpool", "solidarity")
        signedIn.get(use: desk)
        signedIn.get("settings", use: settings)
        signedIn.post("settings", use: saveSettings)
        signedIn.get("fairness", use: fairness)
        SolidarityBeneficiaryPages.routes(signedIn)
        SolidarityRequestPages.routes(signedIn)
        SolidarityVolunteerPages.routes(signedIn)
        SolidarityApplicationPages.routes(signedIn)
    }

    static func base(_ access: CarpoolAccess) -> String { "\(access.base)/solidarity" }


    @Sendable static func desk(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true)
        guard access.isStaff else { return req.redirect(to: "\(base(access))/volunteer") }
        let t = req.t, language = req.language, home = base(access)
        let people = try await SolidarityBeneficiaries.all(in: access.coopID, on: req.db)
        let requests = try await SolidarityRequests.list(in: access.coopID, on: req.db)
        let names = Dictionary(people.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let impact = try await SolidarityTrips.impact(in: access.coopID, on: req.db)
        let open = requests.filter { !$0.state.isClosed }
        return Layout.page(req, title: t("Transport solidaire", "Solidarity transport"),
            .p(.a(.href(access.base), .text("← " + t("Covoiturage", "Carpooling")))),
            .h1(.text(t("Transport solidaire", "Solidarity transport"))),
            .p(.a(.href("\(home)/beneficiaries/new"), .class("button"), .text(t("Inscrire une personne", "Register a person"))), .text(" · "),
               .a(.href("\(home)/fairness"), .text(t("Équité entre bénévoles", "Fairness between volunteers"))), .text(" · "),
               .a(.href("\(home)/settings"), .text(t("Réglages", "Settings"))), .text(" · "),
               .a(.href("\(home)/volunteer"), .text(t("Ma page de bénévole", "My volunteer page")))),
            .p(.text(t("Depuis le début : \(impact.trips) trajets, \(impact.people) personnes aidées, \(MileageAllowance.kmText(impact.tenths ?? 0, .fr)) km parcourus par les bénévoles.",
                       "So far: \(impact.trips) trips, \(impact.people) people helped, \(MileageAllowance.kmText(impact.tenths ?? 0, .en)) km driven by volunteers."))),
            .section(.h2(.text(t("Demandes en cours", "Open requests"))),
                open.isEmpty ? .p(.text(t("Aucune demande en cours.", "No open request."))) :
                .ul(.forEach(open) { request in
                    .li(.a(.href("\(home)/requests/\(request.id)"), .text("\(names[request.beneficiary_id] ?? "—") → \(request.destination_commune)")),
                        .text(" — \(request.timing.text(language)) — \(t(request.state.label))"))
                })),
            .section(.h2(.text(t("Personnes inscrites", "Registered people"))),
                people.isEmpty ? .p(.text(t("Personne n’est encore inscrit.", "Nobody is registered yet."))) :
                .ul(.forEach(people) { person in
                    .li(.a(.href("\(home)/beneficiaries/\(person.id)"), .text(person.name)), .text(" (\(person.commune)) — \(t(person.state.label))"))
                })))
    }

    // MARK: Settings

    struct SettingsForm: Content {
        var reasons: String?
        var fields: String?
        var rate: String?
        var retention_years: String?
    }

    @Sendable static func settings(_ req: Request) async throws -> Response {
        let access = try await Solidarity.coordinator(req)
        let current = try await Solidarity.settings(of: access.coopID, on: req.db)
        return settingsPage(req, access: access, state: FormState(values: [
            "reasons": current.reasons.joined(separator: "\n"), "fields": current.fieldsText,
            "rate": req.t.decimal(Double(current.centsPerKm) / 100, digits: 2), "retention_years": "\(current.retentionYears)"]))
    }

    static func settingsPage(_ req: Request, access: CarpoolAccess, state: FormState, status: HTTPResponseStatus = .ok) -> Response {
        let t = req.t
        return Layout.page(req, title: t("Réglages du transport solidaire", "Solidarity transport settings"), status: status,
            .p(.a(.href(base(access)), .text("← " + t("Transport solidaire", "Solidarity transport")))),
            .h1(.text(t("Réglages du transport solidaire", "Solidarity transport settings"))),
            Form.post(req, action: "\(base(access))/settings",
                Form.summary(state, t),
                Form.textarea("reasons", label: t("Motifs de déplacement", "Trip reasons"), state: state, t, rows: 5,
                              hint: t("Un motif par ligne.", "One reason a line.")),
                Form.textarea("fields", label: t("Formulaire d’éligibilité", "Eligibility form"), state: state, t, rows: 6, required: false,
                              hint: t("Une question par ligne : type|intitulé|obligatoire (oui/non)|réponses séparées par ; (pour choice). Types : text, choice, checkbox, date, file (pièce vue, jamais conservée).",
                                      "One question a line: type|label|required (yes/no)|answers separated by ; (for choice). Types: text, choice, checkbox, date, file (document seen, never kept).")),
                Form.field("rate", label: t("Indemnité kilométrique (€ par km)", "Mileage allowance (€ per km)"), state: state, t),
                Form.field("retention_years", label: t("Conservation des dossiers clos (années)", "Retention of closed cases (years)"), state: state, t,
                           type: .number, hint: t("2 ans par défaut.", "2 years by default.")),
                Form.submit(t("Enregistrer", "Save"))))
    }

    @Sendable static func saveSettings(_ req: Request) async throws -> Response {
        let access = try await Solidarity.coordinator(req)
        let form = try req.content.decode(SettingsForm.self)
        let values = ["reasons": form.reasons ?? "", "fields": form.fields ?? "", "rate": form.rate ?? "", "retention_years": form.retention_years ?? ""]
        do {
            let chosen = try SolidaritySettings.check(reasons: values["reasons"]!, fields: values["fields"]!, rate: values["rate"]!,
                                                      retentionYears: values["retention_years"]!)
            try await Solidarity.save(chosen, for: access.coopID, by: try access.memberID(), on: req.db)
            return req.done(Localized(fr: "Réglages enregistrés.", en: "Settings saved."), goTo: "\(base(access))/settings")
        } catch {
            return settingsPage(req, access: access, state: try FormState(refused: error, values: values), status: .unprocessableEntity)
        }
    }

    // MARK: Fairness

    /// Each volunteer's trips, km and hours this month and this year, beside their limit: the
    /// coordinators see who carries the load before they ask.
    @Sendable static func fairness(_ req: Request) async throws -> Response {
        let access = try await Solidarity.coordinator(req)
        let t = req.t, language = req.language
        let today = LocalZone.paris.localDate(at: Date())
        let volunteers = try await SolidarityVolunteers.all(in: access.coopID, on: req.db)
        let month = try await SolidarityTrips.load(since: today.firstOfMonth.iso, in: access.coopID, on: req.db)
        let year = try await SolidarityTrips.load(since: LocalDate(year: today.year, month: 1, day: 1)!.iso, in: access.coopID, on: req.db)
        let names = try await CarpoolAccess.names(Set(volunteers.map(\.user_id)), on: req.db)
        func figures(_ load: SolidarityTrips.Load?) -> String {
            "\(load?.trips ?? 0) · \(MileageAllowance.kmText(load?.tenths ?? 0, language)) km · \(MileageAllowance.kmText(load?.hours ?? 0, language)) h"
        }
        let sorted = volunteers.sorted { (year[$0.user_id]?.trips ?? 0, names[$0.user_id] ?? "") > (year[$1.user_id]?.trips ?? 0, names[$1.user_id] ?? "") }
        return Layout.page(req, title: t("Équité entre bénévoles", "Fairness between volunteers"),
            .p(.a(.href(base(access)), .text("← " + t("Transport solidaire", "Solidarity transport")))),
            .h1(.text(t("Équité entre bénévoles", "Fairness between volunteers"))),
            .p(.class("hint"), .text(t("Trajets · km · heures. Les propositions mettent en premier les bénévoles les moins sollicité·es ce mois-ci, et jamais au-delà de leur limite.",
                                       "Trips · km · hours. Proposals put first the volunteers asked least this month, and never beyond their limit."))),
            volunteers.isEmpty ? .p(.text(t("Aucun·e bénévole inscrit·e.", "No volunteer registered."))) :
            .table(.class("stack"),
                .thead(.tr(.th(.text(t("Bénévole", "Volunteer"))), .th(.text(t("Ce mois-ci", "This month"))), .th(.text(t("Cette année", "This year"))),
                           .th(.text(t("Limite par mois", "Monthly limit"))), .th(.text(t("Relevé", "Statement"))))),
                .tbody(.forEach(sorted) { volunteer in
                    .tr(.td(.attribute(named: "data-label", value: t("Bénévole", "Volunteer")),
                            .text((names[volunteer.user_id] ?? "—") + (volunteer.paused ? t(" (en pause)", " (paused)") : ""))),
                        .td(.attribute(named: "data-label", value: t("Ce mois-ci", "This month")), .text(figures(month[volunteer.user_id]))),
                        .td(.attribute(named: "data-label", value: t("Cette année", "This year")), .text(figures(year[volunteer.user_id]))),
                        .td(.attribute(named: "data-label", value: t("Limite par mois", "Monthly limit")), .text("\(volunteer.monthly_limit)")),
                        .td(.attribute(named: "data-label", value: t("Relevé", "Statement")),
                            .a(.href("\(base(access))/volunteers/\(volunteer.user_id)/statement/\(today.year)"), .text("\(today.year)"))))
                })))
    }
}
