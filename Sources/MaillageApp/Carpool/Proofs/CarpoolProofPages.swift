import Fluent
import MaillageCore
import Plot
import Vapor

/// `/c/<slug>/carpool/proofs`: a member chooses to send their completed rides to the state's
/// carpool proof registry (for public incentives), gives what it needs, sees each proof and the
/// registry's answer, and can stop at any time (their phone and last name are then erased).
enum CarpoolProofPages {
    struct ConsentForm: Content {
        var phone: String?
        var lastName: String?
        var consent: String?

        enum CodingKeys: String, CodingKey {
            case phone, consent
            case lastName = "last_name"
        }

        var values: [String: String] { ["phone": phone ?? "", "last_name": lastName ?? "", "consent": consent ?? ""] }
    }

    static func pages(_ routes: any RoutesBuilder) {
        let proofs = routes.grouped(RequireLoginMiddleware()).grouped("c", ":slug", "carpool", "proofs")
        proofs.get(use: show)
        proofs.post(use: optIn)
        proofs.get("opt-out", use: optOutQuestion)
        proofs.post("opt-out", use: optOut)
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true)
        let consent = try await CarpoolProofConsents.find(try access.memberID(), in: access.coopID, on: req.db)
        return try await view(req, access: access, state: FormState(values: ["phone": consent?.phone ?? "", "last_name": consent?.last_name ?? ""]))
    }

    static func view(_ req: Request, access: CarpoolAccess, state: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.t, language = req.language, base = access.base
        let person = try access.memberID()
        let consent = try await CarpoolProofConsents.find(person, in: access.coopID, on: req.db)
        let proofs = try await CarpoolProofs.mine(person, in: access.coopID, on: req.db)
        var asks: [UUID: RideAskRow] = [:]
        for proof in proofs { asks[proof.ask_id] = try? await CarpoolAsks.find(proof.ask_id, in: access.coopID, on: req.db) }
        let connected = req.application.carpoolProofRegistry != nil
        return Layout.page(req, title: t("Preuves de covoiturage — \(access.coop.name)", "Carpool proofs — \(access.coop.name)"), status: status,
            .p(.a(.href(base), .text("← " + t("Covoiturage", "Carpooling")))),
            .h1(.text(t("Preuves de covoiturage", "Carpool proofs"))),
            .p(.class("lead"), .text(t("Des collectivités et des employeurs versent des aides à qui covoiture. Pour y avoir droit, vos trajets doivent être déclarés au Registre de preuve de covoiturage, un service public de l’État et de l’ADEME.",
                                       "Local authorities and employers pay incentives to people who carpool. To be eligible, your rides must be declared to the carpool proof registry, a public service of the State and ADEME."))),
            connected ? .empty : .p(.class("notice"), .text(t("La coopérative n’est pas encore reliée au registre : rien n’est envoyé pour l’instant.",
                                                             "The cooperative is not connected to the registry yet: nothing is sent for now."))),
            .section(.attribute(named: "aria-labelledby", value: "what-is-sent"),
                .h2(.id("what-is-sent"), .text(t("Ce qui est envoyé, à qui, pourquoi", "What is sent, to whom, why"))),
                .ul(
                    .li(.text(t("Pour chaque trajet effectué, dans les 24 h : le jour et l’heure, les lieux de départ et d’arrivée, la distance, la participation aux frais et le nombre de places.",
                                "For each completed ride, within 24 hours: the day and time, where it started and ended, the distance, the contribution and the number of seats."))),
                    .li(.text(t("Pour vous reconnaître sans vous nommer : une empreinte (SHA-256) de votre numéro de téléphone et de votre nom de famille, votre numéro sans ses deux derniers chiffres, et un identifiant propre à cette coopérative. Ni votre nom ni votre numéro complet ne sont envoyés.",
                                "To recognise you without naming you: a fingerprint (SHA-256) of your phone number and last name, your number without its last two digits, and an identifier of this cooperative's own. Neither your name nor your full number is sent."))),
                    .li(.text(t("À qui : le Registre de preuve de covoiturage (ministère de la Transition écologique, ADEME), qui calcule les aides des campagnes de votre territoire.",
                                "To whom: the carpool proof registry (ministry for the ecological transition, ADEME), which computes the incentives of your area's campaigns."))),
                    .li(.text(t("Un trajet n’est envoyé que si les deux personnes l’ont accepté ici. Ne sont pas envoyés : les trajets de moins de 2 km, plus de 4 trajets par jour, ceux sans numéro ou sans nom.",
                                "A ride is sent only if both people accepted it here. Not sent: rides under 2 km, more than 4 rides a day, those without a number or a name."))),
                    .li(.text(t("Votre numéro et votre nom ne servent qu’à cela. Vous pouvez arrêter à tout moment : ils sont alors effacés et vos trajets en attente ne partent pas.",
                                "Your number and name are used for this only. You can stop at any time: they are then erased and your waiting rides are not sent."))))),
            .section(.attribute(named: "aria-labelledby", value: "consent"),
                .h2(.id("consent"), .text(consent == nil ? t("Envoyer mes trajets au registre", "Send my rides to the registry")
                                                          : t("Mes informations pour le registre", "My details for the registry"))),
                .unwrap(consent) { given in
                    .p(.text(t("Vous avez donné votre accord le \(DateText.day(given.consented_at, language)) (texte version \(given.text_version)).",
                               "You gave your consent on \(DateText.day(given.consented_at, language)) (text version \(given.text_version)).")))
                },
                Form.post(req, action: "\(base)/proofs",
                    Form.summary(state, t),
                    Form.field("phone", label: t("Numéro de téléphone", "Phone number"), state: state, t, type: .tel,
                               hint: t("Le numéro que vous utilisez pour covoiturer, par exemple 06 12 34 56 78.", "The number you carpool with, for instance 06 12 34 56 78."),
                               autocomplete: "tel"),
                    Form.field("last_name", label: t("Nom de famille (tel que sur vos papiers)", "Last name (as on your papers)"), state: state, t,
                               autocomplete: "family-name"),
                    .unwrap(state.errors.message(for: "consent")) { .p(.class("field-error"), .id("consent-error"), .text(t($0))) },
                    Form.checkbox("consent", value: "yes", label: t("J’accepte que mes trajets effectués soient envoyés au Registre de preuve de covoiturage comme décrit ci-dessus.",
                                                                    "I agree that my completed rides are sent to the carpool proof registry as described above."),
                                  checked: consent != nil || state["consent"] == "yes", id: "consent-box"),
                    Form.submit(consent == nil ? t("Donner mon accord", "Give my consent") : t("Enregistrer", "Save"))),
                consent == nil ? .empty : Confirmation.ask(t("Arrêter d’envoyer mes trajets", "Stop sending my rides"), at: "\(base)/proofs/opt-out")),
            .section(.attribute(named: "aria-labelledby", value: "my-proofs"),
                .h2(.id("my-proofs"), .text(t("Mes preuves", "My proofs"))),
                proofs.isEmpty ? .p(.text(t("Aucun trajet effectué pour l’instant.", "No completed ride yet."))) :
                .table(.class("stack"),
                    .caption(.text(t("Une preuve par trajet effectué, la plus récente d’abord.", "One proof per completed ride, newest first."))),
                    .thead(.tr(.th(.text(t("Jour", "Day"))), .th(.text(t("Trajet", "Ride"))), .th(.text(t("Vous étiez", "You were"))),
                               .th(.text(t("État", "Status"))), .th(.text(t("Réponse du registre", "Registry's answer"))))),
                    .tbody(.forEach(proofs) { proof in
                        let ask = asks[proof.ask_id]
                        let day = LocalDate(iso: proof.travel_date).map { DateText.longDay($0, language) } ?? proof.travel_date
                        let ride = ask.map { "\($0.pickup_name) → \($0.dropoff_name)" } ?? "—"
                        let side = proof.driver_id == person ? t("conducteur·rice", "driver") : t("passager·ère", "passenger")
                        let checked = proof.registry_state.flatMap(RegistryJourneyState.init(rawValue:)).map { state in
                            " · " + t(state.label) + (proof.registry_reasons.map { " (\($0))" } ?? "")
                        } ?? ""
                        let state = t(proof.proofStatus.label) + (proof.excludedFor.map { " : " + t($0.reason) } ?? "") + checked
                        let answer = [proof.registry_status.map { "HTTP \($0)" }, proof.registry_message].compactMap { $0 }.joined(separator: " — ")
                        return .tr(.td(.attribute(named: "data-label", value: t("Jour", "Day")), .text(day)),
                                   .td(.attribute(named: "data-label", value: t("Trajet", "Ride")), .text(ride)),
                                   .td(.attribute(named: "data-label", value: t("Vous étiez", "You were")), .text(side)),
                                   .td(.attribute(named: "data-label", value: t("État", "Status")), .class("proof-\(proof.status)"), .text(state)),
                                   .td(.attribute(named: "data-label", value: t("Réponse du registre", "Registry's answer")), .text(answer.isEmpty ? "—" : answer)))
                    }))))
    }

    @Sendable static func optIn(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true)
        let form = try req.content.decode(ConsentForm.self)
        do {
            let consent = try ProofConsent.parse(phone: form.phone ?? "", lastName: form.lastName ?? "", consent: form.consent == "yes")
            try await CarpoolProofConsents.give(consent, by: try access.memberID(), in: access.coopID, on: req.db)
            return req.done(Localized(fr: "Votre accord est enregistré : vos prochains trajets effectués seront envoyés au registre.",
                                      en: "Your consent is recorded: your next completed rides will be sent to the registry."), goTo: "\(access.base)/proofs")
        } catch {
            return try await view(req, access: access, state: try FormState(refused: error, values: form.values),
                                  status: (error as? DomainError)?.status ?? .unprocessableEntity)
        }
    }

    @Sendable static func optOutQuestion(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true)
        let t = req.t
        return Confirmation.page(req, title: t("Arrêter d’envoyer vos trajets au registre ?", "Stop sending your rides to the registry?"),
            consequences: [t("Votre numéro de téléphone et votre nom de famille sont effacés.", "Your phone number and last name are erased."),
                           t("Vos trajets pas encore envoyés ne le seront pas ; ceux déjà envoyés restent au registre.",
                             "Your rides not sent yet will not be; those already sent stay with the registry."),
                           t("Vous ne pourrez plus prétendre aux aides pour vos prochains trajets.", "You will no longer be eligible for incentives on your next rides.")],
            action: "\(access.base)/proofs/opt-out", button: t("Arrêter l’envoi", "Stop sending"), back: "\(access.base)/proofs")
    }

    @Sendable static func optOut(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true)
        guard req.isConfirmed else { return req.askFirst("\(access.base)/proofs/opt-out") }
        try await CarpoolProofConsents.withdraw(try access.memberID(), in: access.coopID, on: req.db)
        return req.done(Localized(fr: "C’est arrêté : votre numéro et votre nom sont effacés.", en: "Stopped: your number and name are erased."),
                        goTo: "\(access.base)/proofs")
    }
}
