import Fluent
import MaillageCore
import Plot
import Vapor

/// Registering a person (often for someone on the phone), reading their record — each opening
/// is written down — deciding on it, and recording their requests.
enum SolidarityBeneficiaryPages {
    static func routes(_ routes: any RoutesBuilder) {
        routes.get("beneficiaries", "new", use: new)
        routes.post("beneficiaries", use: create)
        routes.get("beneficiaries", ":id", use: show)
        routes.post("beneficiaries", ":id", "decision", use: decide)
        routes.post("beneficiaries", ":id", "requests", use: addRequest)
    }

    static let fixed = ["name", "phone", "commune", "address", "account"]

    /// The structure's eligibility questions as form controls.
    static func eligibility(_ fields: [EligibilityField], state: FormState, _ t: Translator) -> Node<HTML.FormContext> {
        .fieldset(.element(named: "legend", nodes: [.text(t("Éligibilité", "Eligibility"))]),
            .forEach(fields) { field in
                switch field.kind {
                case .text: Form.field(field.key, label: field.label, state: state, t, required: field.required)
                case .date: Form.field(field.key, label: field.label, state: state, t, type: .date, required: field.required)
                case .file: Form.field(field.key, label: field.label, state: state, t, required: field.required,
                                       hint: t("Notez la pièce vue (par exemple « avis CAF 2025 ») : elle n’est pas conservée.",
                                               "Note the document seen (for example “benefits notice 2025”): it is not kept."))
                case .choice: Form.select(field.key, label: field.label, state: state, t,
                                          options: [("", t("— choisir —", "— choose —"))] + field.choices.map { ($0, $0) }, required: field.required)
                case .checkbox: .group(Form.checkbox(field.key, value: "oui", label: field.label + (field.required ? "" : t(" (facultatif)", " (optional)")),
                                                     checked: !state[field.key].isEmpty, id: field.key),
                                       .unwrap(state.errors.message(for: field.key)) { .p(.class("field-error"), .text(t($0))) })
                }
            })
    }

    @Sendable static func new(_ req: Request) async throws -> Response {
        let access = try await Solidarity.coordinator(req)
        return try await form(req, access: access, state: FormState())
    }

    static func form(_ req: Request, access: CarpoolAccess, state: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.t, home = SolidarityPages.base(access)
        let settings = try await Solidarity.settings(of: access.coopID, on: req.db)
        return Layout.page(req, title: t("Inscrire une personne", "Register a person"), status: status,
            .p(.a(.href(home), .text("← " + t("Transport solidaire", "Solidarity transport")))),
            .h1(.text(t("Inscrire une personne", "Register a person"))),
            .p(.class("hint"), .text(t("Au téléphone, lisez les questions à la personne. Elle consent à ce que la structure garde ces informations le temps de son accompagnement.",
                                       "On the phone, read the questions to the person. They agree that the structure keeps this information while it helps them."))),
            Form.post(req, action: "\(home)/beneficiaries",
                Form.summary(state, t),
                Form.field("name", label: t("Nom et prénom", "Full name"), state: state, t),
                Form.field("phone", label: t("Téléphone", "Phone"), state: state, t, type: .tel),
                Form.select("commune", label: t("Commune", "Commune"), state: state, t,
                            options: [("", t("— choisir —", "— choose —"))] + Communes.known.map { ($0.name, $0.name) }),
                Form.field("address", label: t("Adresse où la prendre", "Address to pick them up"), state: state, t, required: false),
                Form.field("account", label: t("Adresse e-mail de son compte, si elle en a un", "Their account's e-mail, if they have one"), state: state, t,
                           type: .email, required: false, hint: t("Elle pourra alors lire qui a ouvert sa fiche.", "They can then read who opened their record.")),
                eligibility(settings.fields, state: state, t),
                Form.submit(t("Inscrire", "Register"))))
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let access = try await Solidarity.coordinator(req)
        let settings = try await Solidarity.settings(of: access.coopID, on: req.db)
        let raw = (try? req.content.decode([String: String].self)) ?? [:]
        let keys = fixed + settings.fields.map(\.key)
        let values = raw.filter { keys.contains($0.key) }
        do {
            var errors = ValidationErrors()
            let account = values["account"]?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            var linked: UUID?
            if !account.isEmpty {
                linked = try await User.query(on: req.db).filter(\.$email == account).first()?.id
                if linked == nil {
                    errors.add(DomainError(.invalid, code: "unknown_account", field: "account",
                                           fr: "Aucun compte n’a cette adresse : laissez vide si la personne n’en a pas.",
                                           en: "No account has this address: leave it empty if the person has none."))
                }
            }
            let draft = SolidarityBeneficiaries.Draft(name: values["name"] ?? "", phone: values["phone"] ?? "", commune: values["commune"] ?? "",
                                                      address: values["address"] ?? "", answers: values, account: account)
            let checked = try errors.collect { try SolidarityBeneficiaries.check(draft, settings: settings) }
            try errors.throwIfAny()
            let id = try await SolidarityBeneficiaries.register(checked!.0, answers: checked!.1, account: linked, in: access.coopID,
                                                                by: try access.memberID(), on: req.db)
            return req.done(Localized(fr: "Personne inscrite : enregistrez la décision.", en: "Person registered: record the decision."),
                            goTo: "\(SolidarityPages.base(access))/beneficiaries/\(id)")
        } catch {
            return try await form(req, access: access, state: try FormState(refused: error, values: values), status: .unprocessableEntity)
        }
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        let access = try await Solidarity.coordinator(req)
        return try await view(req, access: access, state: FormState(values: ["within": "0", "period": "morning", "back": "none"]))
    }

    static func view(_ req: Request, access: CarpoolAccess, state: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.t, language = req.language, home = SolidarityPages.base(access)
        let person = try await SolidarityBeneficiaries.find(req.parameters.get("id", as: UUID.self), in: access.coopID, on: req.db)
        try await SolidarityBeneficiaries.opened(person, by: try req.requireUser(), coop: access.coop, on: req.db)
        let settings = try await Solidarity.settings(of: access.coopID, on: req.db)
        let requests = try await SolidarityRequests.list(in: access.coopID, beneficiary: person.id, on: req.db)
        let openings = try await SolidarityBeneficiaries.openings(of: person.id, on: req.db)
        let names = try await CarpoolAccess.names(Set(openings.compactMap(\.actor_id)), on: req.db)
        let answers = person.answerList
        let today = LocalZone.paris.localDate(at: Date())
        return Layout.page(req, title: person.name, status: status,
            .p(.a(.href(home), .text("← " + t("Transport solidaire", "Solidarity transport")))),
            .h1(.text(person.name)),
            .dl(.dt(.text(t("Téléphone", "Phone"))), .dd(.text(person.phone)),
                .dt(.text(t("Commune", "Commune"))), .dd(.text(person.commune)),
                .dt(.text(t("Adresse", "Address"))), .dd(.text(person.address.isEmpty ? "—" : person.address)),
                .dt(.text(t("Décision", "Decision"))),
                .dd(.text(t(person.state.label) + (person.refusal_reason.isEmpty ? "" : " — " + person.refusal_reason))),
                .forEach(settings.fields) { field in .group(.dt(.text(field.label)), .dd(.text(answers[field.key] ?? "—"))) }),
            person.state == .pending ? .section(.h2(.text(t("Décision", "Decision"))),
                Form.post(req, action: "\(home)/beneficiaries/\(person.id)/decision",
                    Form.summary(state, t),
                    Form.select("decision", label: t("La demande est", "The application is"), state: state, t,
                                options: [("accept", t("Acceptée", "Accepted")), ("refuse", t("Refusée", "Refused"))]),
                    Form.textarea("reason", label: t("Motif du refus", "Reason for refusal"), state: state, t, rows: 2, required: false),
                    Form.submit(t("Enregistrer la décision", "Record the decision")))) : .empty,
            person.state == .accepted ? .section(.h2(.text(t("Nouvelle demande de trajet", "New trip request"))),
                Form.post(req, action: "\(home)/beneficiaries/\(person.id)/requests",
                    Form.summary(state, t),
                    Form.select("reason", label: t("Motif", "Reason"), state: state, t, options: settings.reasons.map { ($0, $0) }),
                    Form.field("destination", label: t("Destination (lieu, adresse)", "Destination (place, address)"), state: state, t),
                    Form.select("destination_commune", label: t("Commune de destination", "Destination commune"), state: state, t,
                                options: Communes.known.map { ($0.name, $0.name) }),
                    Form.field("date", label: t("Date (ou premier jour possible)", "Date (or first possible day)"), state: state, t, type: .date,
                               extra: [.attribute(named: "min", value: today.iso)]),
                    Form.select("within", label: t("Souplesse", "Flexibility"), state: state, t,
                                options: [("0", t("Ce jour-là", "That day")), ("7", t("Dans les 7 jours", "Within 7 days")),
                                          ("15", t("Dans les 15 jours", "Within 15 days")), ("30", t("Dans les 30 jours", "Within 30 days"))]),
                    Form.select("period", label: t("Moment", "Time of day"), state: state, t, options: DayPeriod.allCases.map { ($0.rawValue, t($0.label)) }),
                    Form.field("back", label: t("Retour", "Return"), state: state, t,
                               hint: t("none (aller simple), +1h, +2h, +3h, ou une date (aaaa-mm-jj).", "none (one way), +1h, +2h, +3h, or a date (yyyy-mm-dd).")),
                    Form.submit(t("Enregistrer la demande", "Record the request")))) : .empty,
            .section(.h2(.text(t("Demandes", "Requests"))),
                requests.isEmpty ? .p(.text(t("Aucune demande.", "No request."))) :
                .ul(.forEach(requests) { request in
                    .li(.a(.href("\(home)/requests/\(request.id)"), .text("\(request.reason) → \(request.destination_commune)")),
                        .text(" — \(request.timing.text(language)) — \(t(request.state.label))"))
                })),
            .section(.h2(.text(t("Qui a ouvert cette fiche", "Who opened this record"))),
                .ul(.forEach(openings) { opening in
                    .li(.text("\(opening.actor_id.flatMap { names[$0] } ?? "—") — \(DateText.short(opening.at, language))"))
                })))
    }

    struct DecisionForm: Content { var decision: String?; var reason: String? }

    @Sendable static func decide(_ req: Request) async throws -> Response {
        let access = try await Solidarity.coordinator(req)
        let person = try await SolidarityBeneficiaries.find(req.parameters.get("id", as: UUID.self), in: access.coopID, on: req.db)
        let form = try req.content.decode(DecisionForm.self)
        do {
            guard let decision = form.decision, ["accept", "refuse"].contains(decision) else { throw CarpoolErrors.unknownChoice("decision") }
            try await SolidarityBeneficiaries.decide(person.id, accept: decision == "accept", reason: form.reason ?? "", in: access.coopID, on: req.db)
            return req.done(decision == "accept" ? Localized(fr: "Demande acceptée.", en: "Application accepted.")
                                                 : Localized(fr: "Refus enregistré, avec son motif.", en: "Refusal recorded, with its reason."),
                            goTo: "\(SolidarityPages.base(access))/beneficiaries/\(person.id)")
        } catch {
            return try await view(req, access: access, state: try FormState(refused: error, values: ["decision": form.decision ?? "", "reason": form.reason ?? ""]),
                                  status: (error as? DomainError)?.status ?? .unprocessableEntity)
        }
    }

    struct RequestForm: Content {
        var reason: String?
        var destination: String?
        var destination_commune: String?
        var date: String?
        var within: String?
        var period: String?
        var back: String?
    }

    @Sendable static func addRequest(_ req: Request) async throws -> Response {
        let access = try await Solidarity.coordinator(req)
        let person = try await SolidarityBeneficiaries.find(req.parameters.get("id", as: UUID.self), in: access.coopID, on: req.db)
        let form = try req.content.decode(RequestForm.self)
        let values = ["reason": form.reason ?? "", "destination": form.destination ?? "", "destination_commune": form.destination_commune ?? "",
                      "date": form.date ?? "", "within": form.within ?? "0", "period": form.period ?? "", "back": form.back ?? "none"]
        do {
            let settings = try await Solidarity.settings(of: access.coopID, on: req.db)
            var errors = ValidationErrors()
            let timing = try errors.collect {
                try SolidarityTiming.check(date: values["date"]!, within: values["within"]!, period: values["period"]!, back: values["back"]!,
                                           today: LocalZone.paris.localDate(at: Date()))
            }
            try errors.throwIfAny()
            let id = try await SolidarityRequests.create(for: person, reason: values["reason"]!, destination: values["destination"]!,
                                                         destinationCommune: values["destination_commune"]!, timing: timing!, settings: settings,
                                                         by: try access.memberID(), on: req.db)
            return req.done(Localized(fr: "Demande enregistrée : voici les bénévoles proposé·es.", en: "Request recorded: here are the proposed volunteers."),
                            goTo: "\(SolidarityPages.base(access))/requests/\(id)")
        } catch {
            return try await view(req, access: access, state: try FormState(refused: error, values: values),
                                  status: (error as? DomainError)?.status ?? .unprocessableEntity)
        }
    }
}
