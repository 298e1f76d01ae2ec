import Fluent
import MaillageCore
import Plot
import Vapor

/// A request's case, for coordinators: the matcher's proposals, asking volunteers, recording a
/// phone answer, the case diary, and the end of the case (trip done and paid, cancelled, closed).
enum SolidarityRequestPages {
    static func routes(_ routes: any RoutesBuilder) {
        routes.get("requests", ":id", use: show)
        routes.post("requests", ":id", "diary", use: diary)
        routes.post("requests", ":id", "ask", use: ask)
        routes.post("requests", ":id", "answer", use: answer)
        routes.post("requests", ":id", "done", use: done)
        routes.post("requests", ":id", "close", use: close)
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        let access = try await Solidarity.coordinator(req)
        return try await view(req, access: access)
    }

    /// What the case page shows, read once.
    struct Case {
        var request: SolidarityRequests.Row
        var person: SolidarityBeneficiaries.Row
        var entries: [SolidarityDiary.Entry]
        var asked: [SolidarityRequests.Asked]
        var proposals: [SolidarityMatcher.Proposal]
        var volunteers: [SolidarityVolunteers.Row]
        var names: [UUID: String]
        var settings: SolidaritySettings
        var estimate: RouteEstimate?
    }

    static func read(_ req: Request, access: CarpoolAccess) async throws -> Case {
        let request = try await SolidarityRequests.find(req.parameters.get("id", as: UUID.self), in: access.coopID, on: req.db)
        let person = try await SolidarityBeneficiaries.find(request.beneficiary_id, in: access.coopID, on: req.db)
        try await SolidarityBeneficiaries.opened(person, by: try req.requireUser(), coop: access.coop, on: req.db)
        let entries = try await SolidarityDiary.entries(of: request.id, on: req.db)
        let asked = try await SolidarityRequests.asked(request.id, on: req.db)
        var proposals: [SolidarityMatcher.Proposal] = []
        if request.state == .created || request.state == .handling, let pickup = person.place {
            proposals = try await SolidarityVolunteers.proposals(for: request, pickup: pickup, in: access.coop,
                                                                 today: LocalZone.paris.localDate(at: Date()), on: req.db)
        }
        let volunteers = try await SolidarityVolunteers.all(in: access.coopID, on: req.db)
        var people = Set(entries.compactMap(\.by_id) + entries.compactMap(\.about_id))
        people.formUnion(asked.map(\.volunteer_id))
        people.formUnion(volunteers.map(\.user_id))
        if let volunteer = request.volunteer_id { people.insert(volunteer) }
        let names = try await CarpoolAccess.names(people, on: req.db)
        let settings = try await Solidarity.settings(of: access.coopID, on: req.db)
        var estimate: RouteEstimate?
        if let pickup = person.place, let place = Communes.coordinates(of: request.destination_commune),
           let destination = GeoPoint(lat: place.lat, lon: place.lon) {
            estimate = Solidarity.estimator.estimate(from: pickup, to: destination)
        }
        return Case(request: request, person: person, entries: entries, asked: asked, proposals: proposals, volunteers: volunteers,
                    names: names, settings: settings, estimate: estimate)
    }

    static func view(_ req: Request, access: CarpoolAccess, diaryState: FormState = FormState(values: ["kind": "call"]),
                     doneState: FormState? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.t, language = req.language, home = SolidarityPages.base(access)
        let c = try await read(req, access: access)
        let request = c.request, person = c.person
        let title = t("Demande de \(person.name)", "Request by \(person.name)")
        let held: String = request.volunteer_id.map { " — " + (c.names[$0] ?? "") } ?? ""
        let trip = "\(person.commune) (\(person.address)) → \(request.destination), \(request.destination_commune)"
        var driven: Node<HTML.BodyContext> = .empty
        if let km = request.km_tenths {
            let paid = Amount.euros(cents: request.allowance_cents ?? 0).formatted(language)
            driven = .p(.text(t("Parcouru : \(MileageAllowance.kmText(km, language)) km — indemnité \(paid)",
                                "Driven: \(MileageAllowance.kmText(km, language)) km — allowance \(paid)")))
        }
        let facts: Node<HTML.BodyContext> = .dl(
            .dt(.text(t("État", "State"))), .dd(.strong(.text(t(request.state.label))), .text(held)),
            .dt(.text(t("Quand", "When"))), .dd(.text(request.timing.text(language))),
            .dt(.text(t("Trajet", "Trip"))), .dd(.text(trip)),
            .dt(.text(t("Motif", "Reason"))), .dd(.text(request.reason)),
            .dt(.text(t("Téléphone", "Phone"))), .dd(.text(person.phone)))
        return Layout.page(req, title: title, status: status,
            .p(.a(.href("\(home)/beneficiaries/\(person.id)"), .text("← " + person.name))),
            .h1(.text(title)),
            facts, driven,
            proposalsSection(req, c, home: home),
            doneSection(req, c, home: home, state: doneState),
            closeSection(req, c, home: home),
            diarySection(req, c, home: home, state: diaryState))
    }

    static func proposalsSection(_ req: Request, _ c: Case, home: String) -> Node<HTML.BodyContext> {
        let t = req.t, request = c.request
        guard request.state == .created || request.state == .handling else { return .empty }
        let answered = Dictionary(c.asked.map { ($0.volunteer_id, $0.answer ?? "asked") }, uniquingKeysWith: { a, _ in a })
        func label(_ proposal: SolidarityMatcher.Proposal) -> String {
            let km = t.decimal(proposal.approachKm, digits: 0)
            let load = "\(proposal.tripsThisMonth)/\(proposal.monthlyLimit) " + t("trajets ce mois-ci", "trips this month")
            let state: String
            switch answered[proposal.volunteer] {
            case "asked": state = t(" (sollicité·e)", " (asked)")
            case "declined": state = t(" (a décliné)", " (declined)")
            default: state = ""
            }
            return "\(c.names[proposal.volunteer] ?? "—") — \(km) km — \(load)\(state)"
        }
        let list: Node<HTML.BodyContext> = c.proposals.isEmpty
            ? .p(.text(t("Personne n’est disponible à ce moment-là, assez près et sous sa limite du mois.",
                         "Nobody is available then, close enough and under their monthly limit.")))
            : Form.post(req, action: "\(home)/requests/\(request.id)/ask",
                .forEach(c.proposals) { proposal in
                    Form.checkbox("volunteer", value: proposal.volunteer.uuidString, label: label(proposal), checked: false, id: "v-\(proposal.volunteer)")
                },
                Form.submit(t("Solliciter les bénévoles cochés", "Ask the ticked volunteers")))
        let options = c.volunteers.map { ($0.user_id.uuidString, c.names[$0.user_id] ?? "—") }
        return .section(.h2(.text(t("Bénévoles proposé·es", "Proposed volunteers"))), list,
            .h3(.text(t("Réponse reçue par téléphone", "Answer received on the phone"))),
            Form.post(req, action: "\(home)/requests/\(request.id)/answer",
                Form.select("volunteer", label: t("Bénévole", "Volunteer"), state: FormState(), t, options: options),
                Form.select("answer", label: t("Réponse", "Answer"), state: FormState(), t,
                            options: [("yes", t("Accepte le trajet", "Takes the trip")), ("no", t("Ne peut pas", "Cannot"))]),
                Form.submit(t("Enregistrer la réponse", "Record the answer"))))
    }

    static func doneSection(_ req: Request, _ c: Case, home: String, state: FormState?) -> Node<HTML.BodyContext> {
        let t = req.t
        guard c.request.state == .found else { return .empty }
        let legs = c.request.timing.back == .none ? 1.0 : 2.0
        let km = (c.estimate?.distanceKm ?? 0) * legs, hours = ((c.estimate?.minutes ?? 0) * legs) / 60 + 1
        let values = state ?? FormState(values: ["km": t.decimal(km, digits: 1), "hours": t.decimal(hours, digits: 1), "day": c.request.timing.first.iso])
        let rate = Amount.euros(cents: c.settings.centsPerKm)
        return .section(.h2(.text(t("Trajet effectué", "Trip done"))),
            Form.post(req, action: "\(home)/requests/\(c.request.id)/done",
                Form.summary(values, t),
                Form.field("day", label: t("Jour du trajet", "Day of the trip"), state: values, t, type: .date),
                Form.field("km", label: t("Kilomètres parcourus", "Kilometres driven"), state: values, t,
                           hint: t("Indemnité : \(rate.formatted(.fr)) par km, versée sur le compte du ou de la bénévole.",
                                   "Allowance: \(rate.formatted(.en)) per km, paid to the volunteer's account.")),
                Form.field("hours", label: t("Heures données", "Hours given"), state: values, t),
                Form.submit(t("Trajet effectué : verser l’indemnité", "Trip done: pay the allowance"))))
    }

    static func closeSection(_ req: Request, _ c: Case, home: String) -> Node<HTML.BodyContext> {
        let t = req.t, state = c.request.state
        guard !state.isClosed else { return .empty }
        var outcomes: [(value: String, label: String)] = []
        if state == .found { outcomes.append((SolidarityStatus.handling.rawValue, t("Le ou la bénévole se désiste : chercher à nouveau", "The volunteer withdraws: search again"))) }
        outcomes.append((SolidarityStatus.cancelled.rawValue, t(SolidarityStatus.cancelled.label)))
        if state != .found { outcomes.append((SolidarityStatus.unsolved.rawValue, t(SolidarityStatus.unsolved.label))) }
        return .section(.h2(.text(t("Clore le dossier", "Close the case"))),
            Form.post(req, action: "\(home)/requests/\(c.request.id)/close",
                Form.select("status", label: t("Issue", "Outcome"), state: FormState(), t, options: outcomes),
                Form.field("note", label: t("Pourquoi", "Why"), state: FormState(), t, required: false),
                Form.submit(t("Enregistrer", "Save"))))
    }

    static func diarySection(_ req: Request, _ c: Case, home: String, state: FormState) -> Node<HTML.BodyContext> {
        let t = req.t, language = req.language
        func line(_ entry: SolidarityDiary.Entry) -> String {
            let kind = SolidarityDiary.Kind(rawValue: entry.kind).map { t($0.label) } ?? entry.kind
            let who = entry.by_id.flatMap { c.names[$0] } ?? "—"
            let whom = entry.about_id.flatMap { c.names[$0] } ?? entry.with_whom
            return "\(DateText.short(entry.at, language)) — \(kind) — \(who)" + (whom.isEmpty ? "" : " → \(whom)")
        }
        return .section(.h2(.id("diary"), .text(t("Journal du dossier", "Case diary"))),
            .ol(.forEach(c.entries) { entry in
                .li(.text(line(entry)), entry.note.isEmpty ? .empty : .p(.class("keep-lines"), .text(entry.note)))
            }),
            Form.post(req, action: "\(home)/requests/\(c.request.id)/diary",
                Form.summary(state, t),
                Form.select("kind", label: t("Type", "Kind"), state: state, t,
                            options: [("call", t(SolidarityDiary.Kind.call.label)), ("note", t(SolidarityDiary.Kind.note.label))]),
                Form.field("with_whom", label: t("Avec qui", "With whom"), state: state, t, required: false),
                Form.textarea("note", label: t("Ce qui a été dit", "What was said"), state: state, t, rows: 3),
                Form.submit(t("Ajouter au journal", "Add to the diary"))))
    }

    static func target(_ req: Request) async throws -> (CarpoolAccess, SolidarityRequests.Row) {
        let access = try await Solidarity.coordinator(req)
        return (access, try await SolidarityRequests.find(req.parameters.get("id", as: UUID.self), in: access.coopID, on: req.db))
    }

    static func back(_ access: CarpoolAccess, _ request: SolidarityRequests.Row) -> String { "\(SolidarityPages.base(access))/requests/\(request.id)" }

    struct DiaryForm: Content { var kind: String?; var with_whom: String?; var note: String? }

    @Sendable static func diary(_ req: Request) async throws -> Response {
        let (access, request) = try await target(req)
        let form = try req.content.decode(DiaryForm.self)
        do {
            try await SolidarityDiary.record(request.id, kind: form.kind ?? "", withWhom: form.with_whom ?? "", note: form.note ?? "",
                                             by: try access.memberID(), on: req.db)
            return req.done(Localized(fr: "Ajouté au journal.", en: "Added to the diary."), goTo: back(access, request) + "#diary")
        } catch {
            return try await view(req, access: access, diaryState: try FormState(refused: error, values: [
                "kind": form.kind ?? "", "with_whom": form.with_whom ?? "", "note": form.note ?? ""]), status: .unprocessableEntity)
        }
    }

    struct AskForm: Content { var volunteer: [UUID]? }

    @Sendable static func ask(_ req: Request) async throws -> Response {
        let (access, request) = try await target(req)
        let chosen = (try? req.content.decode(AskForm.self))?.volunteer ?? []
        guard !chosen.isEmpty else {
            throw DomainError(.invalid, code: "nobody_ticked", field: "volunteer", fr: "Cochez au moins un·e bénévole.", en: "Tick at least one volunteer.")
        }
        try await SolidarityRequests.ask(chosen, for: request, slug: access.coop.slug, by: try access.memberID(), on: req.db)
        return req.done(Localized(fr: "Bénévoles sollicité·es : ils et elles ont reçu une notification.", en: "Volunteers asked: they received a notification."),
                        goTo: back(access, request))
    }

    struct AnswerForm: Content { var volunteer: UUID?; var answer: String? }

    @Sendable static func answer(_ req: Request) async throws -> Response {
        let (access, request) = try await target(req)
        let form = try req.content.decode(AnswerForm.self)
        guard let volunteer = form.volunteer, let answer = form.answer, ["yes", "no"].contains(answer) else { throw CarpoolErrors.unknownChoice("answer") }
        let person = try access.memberID()
        if answer == "yes" {
            try await SolidarityRequests.assign(request, to: volunteer, by: person, on: req.db)
            return req.done(Localized(fr: "Bénévole trouvé·e !", en: "Volunteer found!"), goTo: back(access, request))
        }
        try await SolidarityRequests.decline(request, by: volunteer, recordedBy: person, on: req.db)
        return req.done(Localized(fr: "Réponse enregistrée.", en: "Answer recorded."), goTo: back(access, request))
    }

    struct DoneForm: Content { var day: String?; var km: String?; var hours: String? }

    @Sendable static func done(_ req: Request) async throws -> Response {
        let (access, request) = try await target(req)
        let form = try req.content.decode(DoneForm.self)
        do {
            var errors = ValidationErrors()
            let day = LocalDate(iso: form.day ?? "")
            if day == nil { errors.add(CarpoolErrors.date("day")) }
            let km = try errors.collect { try MileageAllowance.parseKm(form.km ?? "") }
            let hours = try errors.collect { try MileageAllowance.parseKm(form.hours ?? "0", field: "hours") }
            try errors.throwIfAny()
            let settings = try await Solidarity.settings(of: access.coopID, on: req.db)
            try await SolidarityTrips.done(request, tenthsOfKm: km!, tenthsOfHours: hours!, on: day!, by: try access.memberID(), settings: settings, on: req.db)
            return req.done(Localized(fr: "Trajet effectué, indemnité versée.", en: "Trip done, allowance paid."), goTo: back(access, request))
        } catch let error where error is ValidationErrors || (error as? DomainError)?.kind == .invalid {
            return try await view(req, access: access, doneState: try FormState(refused: error, values: [
                "day": form.day ?? "", "km": form.km ?? "", "hours": form.hours ?? ""]), status: .unprocessableEntity)
        }
    }

    struct CloseForm: Content { var status: String?; var note: String? }

    @Sendable static func close(_ req: Request) async throws -> Response {
        let (access, request) = try await target(req)
        let form = try req.content.decode(CloseForm.self)
        guard let next = SolidarityStatus(rawValue: form.status ?? ""), [.handling, .cancelled, .unsolved].contains(next) else {
            throw CarpoolErrors.unknownChoice("status")
        }
        try await SolidarityRequests.move(request, to: next, by: try access.memberID(), note: String((form.note ?? "").prefix(500)), on: req.db)
        return req.done(Localized(fr: "Dossier mis à jour.", en: "Case updated."), goTo: back(access, request))
    }
}
