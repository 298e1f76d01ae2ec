import Fluent
import MaillageCore
import Plot
import Vapor

/// An assembly's page (attendance, proxies, agenda) and its minutes.
enum AssemblyAttendancePages {
    @Sendable static func show(_ req: Request) async throws -> Response {
        let (coop, user, membership) = try await Cooperatives.memberContext(req)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
        return try await view(req, coop: coop, user: user, membership: membership, assembly: try await Assemblies.find(id, in: coop, on: req.db), problem: nil)
    }

    struct AttendanceForm: Content { var member: String?; var status: String?; var holder: String? }

    /// The board records anyone's attendance; a member may give their own proxy.
    @Sendable static func record(_ req: Request) async throws -> Response {
        let (coop, user, membership) = try await Cooperatives.memberContext(req)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
        let assembly = try await Assemblies.find(id, in: coop, on: req.db)
        let form = try req.content.decode(AttendanceForm.self)
        let me = try user.requireID()
        let subject = form.member.flatMap(UUID.init(uuidString:)) ?? me
        guard subject == me || membership.memberRole == .board else { throw Problem.forbidden }
        do {
            guard let status = AttendanceStatus(rawValue: form.status ?? "") else {
                throw DomainError(.invalid, code: "invalid_status", field: "status", fr: "Choisissez une présence.", en: "Choose an attendance.")
            }
            try await Assemblies.record(status, for: subject, holder: form.holder.flatMap(UUID.init(uuidString:)), in: assembly, coop: coop, on: req.db)
            let name = subject == me ? nil : try await User.find(subject, on: req.db)?.displayName
            let said = status.label
            return req.done(name.map { Localized(fr: "Présence de \($0) enregistrée : \(said.fr.lowercased()).", en: "\($0)’s attendance recorded: \(said.en.lowercased()).") }
                                ?? Localized(fr: "Votre présence est enregistrée : \(said.fr.lowercased()).", en: "Your attendance is recorded: \(said.en.lowercased())."),
                            goTo: "/c/\(coop.slug)/assemblies/\(id)")
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            return try await view(req, coop: coop, user: user, membership: membership, assembly: assembly, problem: error, status: .unprocessableEntity)
        }
    }

    static func view(_ req: Request, coop: Cooperative, user: User, membership: Membership, assembly: Assembly,
                     problem: DomainError?, status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.t
        let summary = try await Assemblies.summary(assembly, coop: coop, on: req.db)
        let members = try await Cooperatives.members(of: coop, status: .active, on: req.db)
        let id = assembly.id?.uuidString ?? ""
        let memberOptions = members.map { ($0.$user.id.uuidString, $0.user.displayName) }
        let isBoard = membership.memberRole == .board
        return Layout.page(req, title: assembly.title, status: status,
            .p(.a(.href("/c/\(coop.slug)/assemblies"), .text("← " + t("Assemblées", "Assemblies")))),
            .unwrap(problem) { .p(.class("error-message"), .attribute(named: "role", value: "alert"), .text(t($0.message))) },
            .h1(.text(assembly.title)),
            .p(.class("meta"), .text(t(assembly.assemblyKind.label) + " · " + DateText.short(assembly.startsAt, req.language) + " · " + assembly.place)),
            quorumLine(summary.quorum, t),
            .h2(.text(t("Ordre du jour", "Agenda"))),
            .ol(.forEach(summary.agenda) { proposal in
                .li(.a(.href("/c/\(coop.slug)/votes/\(proposal.id?.uuidString ?? "")"), .text(proposal.title)))
            }),
            .p(.a(.class("button"), .href("/c/\(coop.slug)/assemblies/\(id)/minutes"), .text(t("Procès-verbal", "Minutes")))),
            .h2(.text(t("Présences et pouvoirs", "Attendance and proxies"))),
            StackedTable.node(.table(.thead(.tr(.th(.text(t("Sociétaire", "Member"))), .th(.text(t("Présence", "Attendance"))), .th(.text(t("Pouvoir donné à", "Proxy given to"))))),
                   .tbody(.forEach(summary.attendance) { row in
                       .tr(.td(.text(row.user.displayName)), .td(.text(t(row.attendanceStatus.label))), .td(.text(row.proxyHolder?.displayName ?? "—")))
                   }))),
            Form.post(req, action: "/c/\(coop.slug)/assemblies/\(id)/attendance",
                .h3(.text(isBoard ? t("Enregistrer une présence", "Record attendance") : t("Ma présence ou mon pouvoir", "My attendance or proxy"))),
                isBoard ? Form.select("member", label: t("Sociétaire", "Member"), state: FormState(values: ["member": (try? user.requireID().uuidString) ?? ""]), t,
                                      options: memberOptions) : .empty,
                Form.select("status", label: t("Présence", "Attendance"), state: FormState(), t,
                            options: AttendanceStatus.allCases.map { ($0.rawValue, t($0.label)) }),
                Form.select("holder", label: t("Pouvoir donné à (si représenté·e)", "Proxy given to (if represented)"), state: FormState(), t,
                            options: [("", "—")] + memberOptions, required: false),
                Form.submit(t("Enregistrer", "Save"))))
    }

    static func quorumLine(_ quorum: AssemblyRules.Quorum, _ t: Translator) -> Node<HTML.BodyContext> {
        let fr = "Quorum (\(quorum.required)) : " + Plural.count(Int(quorum.present), "présent·e", "présent·e·s", .fr)
            + " + " + Plural.count(Int(quorum.represented), "représenté·e", "représenté·e·s", .fr)
            + " sur " + Plural.count(Int(quorum.members), "sociétaire", "sociétaires", .fr) + " — "
        let en = "Quorum (\(quorum.required)): \(quorum.present) present + \(quorum.represented) represented of "
            + Plural.count(Int(quorum.members), "member", "members", .en) + " — "
        return .p(.strong(.text(t(fr, en)
                         + (quorum.reached ? t("atteint.", "reached.") : t("non atteint.", "not reached.")))))
    }

    /// The minutes (procès-verbal): a printable page of who attended and what was decided.
    @Sendable static func minutes(_ req: Request) async throws -> Response {
        let (coop, _, _) = try await Cooperatives.memberContext(req)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
        let assembly = try await Assemblies.find(id, in: coop, on: req.db)
        let summary = try await Assemblies.summary(assembly, coop: coop, on: req.db)
        let t = req.t
        let present = summary.attendance.filter { $0.attendanceStatus == .present }
        let represented = summary.attendance.filter { $0.attendanceStatus == .represented }
        return Layout.page(req, title: t("Procès-verbal — \(assembly.title)", "Minutes — \(assembly.title)"),
            .article(.class("minutes"),
                .h1(.text(t("Procès-verbal", "Minutes"))),
                .p(.strong(.text(coop.name)), .text(" — " + t(coop.form.label) + ", " + coop.commune)),
                .p(.text(t(assembly.assemblyKind.label) + t(" « \(assembly.title) », ", " “\(assembly.title)”, ") + t("réunie le ", "held on ") + DateText.short(assembly.startsAt, req.language)
                         + t(", lieu : ", ", place: ") + assembly.place + ".")),
                quorumLine(summary.quorum, t),
                .p(.text(t("Présent·e·s : ", "Present: ") + (present.isEmpty ? "—" : present.map(\.user.displayName).joined(separator: ", ")))),
                .p(.text(t("Représenté·e·s : ", "Represented: ") + (represented.isEmpty ? "—" : represented.map { "\($0.user.displayName) (\(t("pouvoir à", "proxy to")) \($0.proxyHolder?.displayName ?? "?"))" }.joined(separator: ", ")))),
                .h2(.text(t("Résolutions", "Resolutions"))),
                .ol(.forEach(summary.agenda) { proposal in
                    let outcome = proposal.outcome
                    return .li(.h3(.text(proposal.title)),
                               .p(.text(proposal.body)),
                               .p(.text(proposal.cancelledAt != nil
                                        ? t("Vote annulé par le conseil. Raison : ", "Vote cancelled by the board. Reason: ") + (proposal.cancelReason ?? "")
                                        : outcome == nil ? t("Vote non clos.", "Vote not closed.")
                                        : t("Participation : \(outcome!.participants). Résultat : ", "Turnout: \(outcome!.participants). Result: ")
                                          + outcome!.winners.joined(separator: ", ") + " — "
                                          + (outcome!.adopted ? t("résolution adoptée.", "resolution adopted.") : t("résolution non adoptée.", "resolution not adopted.")))),
                               .unwrap(proposal.outcomeStatement) { .p(.em(.text($0))) })
                }),
                .p(.class("hint"), .text(t("Document établi par Maillage à partir des votes enregistrés ; les fichiers de bulletins permettent de recompter chaque résolution.",
                                           "Document produced by Maillage from the recorded votes; the ballot files let anyone recount each resolution.")))))
    }
}
