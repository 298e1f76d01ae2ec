import Fluent
import MaillageCore
import Plot
import Vapor

/// General assemblies: convene, record attendance and proxies, print the minutes.
enum AssemblyPages {
    @Sendable static func list(_ req: Request) async throws -> Response {
        let (coop, _, membership) = try await Cooperatives.memberContext(req)
        let t = req.t
        let assemblies = try await Assembly.query(on: req.db).filter(\.$cooperative.$id == coop.requireID()).sort(\.$startsAt, .descending).all()
        return Layout.page(req, title: t("Assemblées générales", "General assemblies"),
            .p(.a(.href("/c/\(coop.slug)/votes"), .text("← " + t("Votes", "Votes")))),
            .h1(.text(t("Assemblées générales", "General assemblies"))),
            .if(membership.memberRole == .board, .p(.a(.class("button"), .href("/c/\(coop.slug)/assemblies/new"), .text(t("Convoquer une assemblée", "Convene an assembly"))))),
            .if(assemblies.isEmpty, .p(.text(t("Aucune assemblée pour l’instant.", "No assembly yet."))),
                else: .ul(.forEach(assemblies) { assembly in
                    .li(.a(.href("/c/\(coop.slug)/assemblies/\(assembly.id?.uuidString ?? "")"), .text(assembly.title)),
                        .text(" — " + DateText.short(assembly.startsAt, req.language) + " · " + assembly.place))
                })))
    }

    @Sendable static func newPage(_ req: Request) async throws -> Response {
        let (coop, _, _) = try await Cooperatives.memberContext(req, minimum: .board)
        return try await newView(req, coop: coop, state: FormState(values: ["kind": "ordinary", "proxies_per_holder": "1"]))
    }

    struct ConveneForm: Content {
        var title: String?
        var kind: String?
        var starts_at: String?
        var place: String?
        var proxies_per_holder: String?
        var agenda: [String]?
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let (coop, user, _) = try await Cooperatives.memberContext(req, minimum: .board)
        let form = try req.content.decode(ConveneForm.self)
        let values = ["title": form.title ?? "", "kind": form.kind ?? "", "starts_at": form.starts_at ?? "", "place": form.place ?? "",
                      "proxies_per_holder": form.proxies_per_holder ?? "", "agenda": (form.agenda ?? []).joined(separator: ",")]
        do {
            guard let startsAt = DateText.localInput.date(from: form.starts_at ?? "") else {
                throw DomainError(.invalid, code: "invalid_date", field: "starts_at",
                                  fr: "Date et heure attendues, par exemple 2026-12-01T18:00.", en: "A date and time is expected, e.g. 2026-12-01T18:00.")
            }
            let convocation = Assemblies.Convocation(
                title: form.title ?? "", kind: AssemblyKind(rawValue: form.kind ?? "") ?? .ordinary, startsAt: startsAt, place: form.place ?? "",
                proxiesPerHolder: Int(form.proxies_per_holder ?? "") ?? 0, agenda: (form.agenda ?? []).compactMap(UUID.init(uuidString:)))
            let assembly = try await Assemblies.convene(convocation, by: user, in: coop, on: req.db)
            return req.done(Localized(fr: "Assemblée convoquée : chaque sociétaire a reçu la convocation.",
                                      en: "Assembly convened: every member has received the notice."),
                            goTo: "/c/\(coop.slug)/assemblies/\(try assembly.requireID())")
        } catch {
            return try await newView(req, coop: coop, state: try FormState(refused: error, values: values), status: .unprocessableEntity)
        }
    }

    static func newView(_ req: Request, coop: Cooperative, state: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.t
        let open = try await Proposal.query(on: req.db).filter(\.$cooperative.$id == coop.requireID()).filter(\.$closedAt == nil)
            .filter(\.$cancelledAt == nil).sort(\.$closesAt).all()
        let chosen = Set(state["agenda"].split(separator: ",").map(String.init))
        return Layout.page(req, title: t("Convoquer une assemblée", "Convene an assembly"), status: status,
            .p(.a(.href("/c/\(coop.slug)/assemblies"), .text("← " + t("Assemblées", "Assemblies")))),
            .h1(.text(t("Convoquer une assemblée générale", "Convene a general assembly"))),
            Form.post(req, action: "/c/\(coop.slug)/assemblies",
                Form.summary(state, t),
                Form.field("title", label: t("Titre", "Title"), state: state, t),
                Form.select("kind", label: t("Nature", "Kind"), state: state, t, options: AssemblyKind.allCases.map { ($0.rawValue, t($0.label)) }),
                Form.field("starts_at", label: t("Date et heure (heure de Paris)", "Date and time (Paris time)"), state: state, t, type: .datetimeLocal),
                Form.field("place", label: t("Lieu ou lien de visioconférence", "Place or video link"), state: state, t),
                Form.field("proxies_per_holder", label: t("Pouvoirs par personne (statuts)", "Proxies per person (statutes)"), state: state, t, type: .number,
                           extra: [.attribute(named: "min", value: "1"), .attribute(named: "max", value: "10")]),
                .fieldset(.element(named: "legend", nodes: [.text(t("Ordre du jour : votes soumis à l’assemblée", "Agenda: votes put to the assembly"))]),
                          .unwrap(state.errors.message(for: "agenda")) { .p(.class("field-error"), .id("agenda"), .text(t($0))) },
                          .if(open.isEmpty, .p(.text(t("Aucun vote en cours ou à venir.", "No open or upcoming vote.")))),
                          .forEach(open) { proposal in
                              Form.checkbox("agenda[]", value: proposal.id?.uuidString ?? "", label: proposal.title,
                                            checked: chosen.contains(proposal.id?.uuidString ?? ""), id: "agenda-\(proposal.id?.uuidString ?? "")")
                          }),
                Form.submit(t("Convoquer", "Convene"))))
    }
}
