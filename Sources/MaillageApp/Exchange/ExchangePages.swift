import Fluent
import MaillageCore
import Plot
import Vapor

/// `/c/<slug>/exchange`: offers and wants of goods and services (search by words, category and
/// distance), publishing one, and recording a service done — in hours or as free help.
enum ExchangePages {
    struct OfferForm: Content {
        var exchangeType: String?
        var itemType: String?
        var transactionType: [String]?
        var category: String?
        var tags: String?
        var title: String?
        var description: String?
        var scope: String?
        var publicEmail: String?
        var acceptsTimeBank: String?
        var expiresOn: String?
        var commune: String?

        enum CodingKeys: String, CodingKey {
            case category, tags, title, description, scope, commune
            case exchangeType = "exchange_type", itemType = "item_type", transactionType = "transaction_type"
            case publicEmail = "public_email", acceptsTimeBank = "accepts_time_bank", expiresOn = "expires_on"
        }

        var draft: OfferWantDraft {
            OfferWantDraft(exchangeType: exchangeType ?? "", itemType: itemType ?? "", transactionTypes: transactionType ?? [],
                           category: category ?? "", tags: tags ?? "", title: title ?? "", description: description ?? "",
                           scope: scope ?? "local", publicEmail: publicEmail ?? "",
                           acceptsTimeBank: acceptsTimeBank == "1", expiresOn: expiresOn ?? "")
        }
        var values: [String: String] {
            var out = ["exchange_type": exchangeType ?? "", "item_type": itemType ?? "", "category": category ?? "", "tags": tags ?? "",
                       "title": title ?? "", "description": description ?? "", "scope": scope ?? "local",
                       "public_email": publicEmail ?? "", "accepts_time_bank": acceptsTimeBank ?? "", "expires_on": expiresOn ?? "",
                       "commune": commune ?? ""]
            for type in transactionType ?? [] { out["tt-" + type] = "1" }
            return out
        }
    }

    struct ServiceForm: Content {
        var counterpart: String?
        var role: String?
        var settlement: String?
        var duration: String?
        var serviceDescription: String?
        var doneOn: String?
        var offerWant: String?

        enum CodingKeys: String, CodingKey {
            case counterpart, role, settlement, duration
            case serviceDescription = "service_description", doneOn = "done_on", offerWant = "offer_want"
        }

        func input() throws -> ExchangeStore.ServiceInput {
            guard let settled = ExchangeStore.Settlement(rawValue: settlement ?? "") else { throw ExchangeWords.unknownSettlement }
            return ExchangeStore.ServiceInput(counterpart: counterpart.flatMap(UUID.init(uuidString:)), role: role == "given" ? .given : .received,
                                              settlement: settled, duration: duration ?? "", description: serviceDescription ?? "",
                                              doneOn: doneOn ?? "", offerWant: offerWant.flatMap(UUID.init(uuidString:)))
        }
        var values: [String: String] {
            ["counterpart": counterpart ?? "", "role": role ?? "received", "settlement": settlement ?? "hours", "duration": duration ?? "",
             "service_description": serviceDescription ?? "", "done_on": doneOn ?? "", "offer_want": offerWant ?? ""]
        }
    }

    static func access(_ req: Request, member: Bool = false) async throws -> LendingAccess {
        try await LendingAccess(req, member: member, activity: .exchange)
    }

    @Sendable static func list(_ req: Request) async throws -> Response {
        let access = try await access(req)
        return try await listView(req, access: access, serviceState: FormState(values: ["role": "received", "settlement": "hours",
                                                                                         "done_on": LocalZone.paris.localDate(at: Date()).iso,
                                                                                         "offer_want": req.query[String.self, at: "service_for"] ?? ""]))
    }

    static func listView(_ req: Request, access: LendingAccess, serviceState: FormState,
                         status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.t, language = req.language, coop = access.coop
        let values = ["q": req.query[String.self, at: "q"] ?? "", "category": req.query[String.self, at: "category"] ?? "",
                      "near": req.query[String.self, at: "near"] ?? "", "radius": req.query[String.self, at: "radius"] ?? "",
                      "kind": req.query[String.self, at: "kind"] ?? ""]
        var state = FormState(values: values)
        var results: [(OfferWantRow, Double?)] = []
        do {
            results = try await ExchangeStore.search(try NeighbourhoodSearch.query(req), kind: ExchangeType(rawValue: values["kind"] ?? ""),
                                                     coop: access.coopID, on: req.db)
        } catch let error as DomainError {
            state = try FormState(refused: error, values: values)
        }
        let names = access.isMember ? try await LendingAccess.names(Set(results.map(\.0.authorID)), on: req.db) : [:]
        let members = access.isMember ? try await Cooperatives.members(of: coop, status: .active, on: req.db).filter { $0.$user.id != access.user?.id } : []
        let mine = access.isMember ? try await ExchangeStore.services(of: access.coopID, member: try access.memberID(), on: req.db) : []
        let serviceNames = try await LendingAccess.names(Set(mine.flatMap { [$0.giverID, $0.receiverID] }), on: req.db)
        let why = access.isMember ? Node<HTML.BodyContext>.empty
            : try await MembersOnly.why(req, coop: coop, action: Localized(fr: "publier une offre ou une demande et noter un service rendu",
                                                                           en: "publish an offer or a want and record a service"))
        return Layout.page(req, title: t("Échanges — \(coop.name)", "Exchange — \(coop.name)"), status: status,
            .p(.a(.href("/c/\(coop.slug)"), .text("← " + coop.name))),
            .h1(.text(t("Offres et demandes", "Offers and wants"))),
            why,
            .p(.class("actions"),
               access.isMember ? .a(.class("button"), .href("/c/\(coop.slug)/exchange/new"), .text(t("Publier une offre ou une demande", "Publish an offer or a want"))) : .empty,
               .a(.href("/api/v1/cooperatives/\(coop.slug)/exchange/offers-wants"), .attribute(named: "title", value: t("Flux ouvert au format Murmurations", "Open feed in the Murmurations format")),
                  .text(t("Ces annonces pour d’autres sites", "These ads for other websites"))),
               .a(.href("/c/\(coop.slug)/impact"), .text(t("Impact", "Impact")))),
            .form(.method(.get), .action("/c/\(coop.slug)/exchange"), .class("filters"), .attribute(named: "role", value: "search"),
                  Form.summary(state, t),
                  Form.field("q", label: t("Rechercher", "Search"), state: state, t, type: .search, required: false),
                  Form.select("kind", label: t("Type", "Kind"), state: state, t,
                              options: [("", t("Offres et demandes", "Offers and wants")), ("offer", t("Offres", "Offers")), ("want", t("Demandes", "Wants"))]),
                  Form.select("category", label: t("Catégorie", "Category"), state: state, t, options: NeighbourhoodSearch.categoryOptions(t, any: t("Toutes", "All"))),
                  Form.select("near", label: t("Près de", "Near"), state: state, t, options: NeighbourhoodSearch.communeOptions(t("Partout", "Anywhere"))),
                  Form.field("radius", label: t("Rayon (km)", "Radius (km)"), state: state, t, type: .number, required: false),
                  .button(.type(.submit), .text(t("Chercher", "Search")))),
            .ul(.class("cards"), .forEach(results) { row, distance in
                let offer = row.offerWant
                return .li(.class("card"), .article(
                    .h2(.a(.href("/c/\(coop.slug)/exchange/\(row.id)"), .text(t(offer.exchangeType.label) + t(" : ", ": ") + row.title))),
                    .p(.class("meta"), .text(([t(offer.itemType.label)] + offer.transactionTypes.map { t($0.label) }
                                              + [row.commune, distance.map { t.decimal($0, digits: 1) + " km" }, names[row.authorID]].compactMap { $0 })
                                             .joined(separator: " · "))),
                    offer.acceptsTimeBank ? .p(.text(t("Réglable en heures (banque de temps)", "Can be settled in hours (time bank)"))) : .empty,
                    .p(.text(row.description))))
            }),
            access.isMember ? .section(
                .h2(.id("service"), .text(t("Noter un service rendu", "Record a service done"))),
                .p(.class("hint"), .text(t("Reçu : vous le réglez en heures (une heure donnée vaut une heure reçue) ou le notez comme coup de main gratuit. Donné : notez-le comme coup de main gratuit ; c’est la personne aidée qui règle en heures.",
                                           "Received: settle it in hours (an hour given is an hour received) or record it as free help. Given: record it as free help; the person helped settles in hours."))),
                Form.post(req, action: "/c/\(coop.slug)/exchange/services",
                    Form.summary(serviceState, t),
                    Form.select("counterpart", label: t("Avec", "With"), state: serviceState, t,
                                options: [("", t("— choisir —", "— choose —"))] + members.map { ($0.$user.id.uuidString, $0.user.displayName) }),
                    Form.select("role", label: t("Le service", "The service"), state: serviceState, t,
                                options: [("received", t("Je l’ai reçu", "I received it")), ("given", t("Je l’ai rendu", "I gave it"))]),
                    Form.select("settlement", label: t("Règlement", "Settlement"), state: serviceState, t,
                                options: [("hours", t("En heures (banque de temps)", "In hours (time bank)")), ("free", t("Coup de main gratuit", "Free help"))]),
                    Form.field("duration", label: t("Durée", "Duration"), state: serviceState, t, required: false,
                               hint: t("Pour un règlement en heures : « 1 h 30 », « 2 », « 45 min ».", "For hours: “1 h 30”, “2”, “45 min”.")),
                    Form.field("service_description", label: t("Service rendu", "Service done"), state: serviceState, t),
                    Form.field("done_on", label: t("Le", "On"), state: serviceState, t, type: .date),
                    .input(.type(.hidden), .name("offer_want"), .value(serviceState["offer_want"])),
                    Form.submit(t("Noter le service", "Record the service")))) : .empty,
            mine.isEmpty ? .empty : .section(.h2(.text(t("Mes services", "My services"))),
                .ul(.forEach(mine) { service in
                    .li(.text("\(service.doneOn) — \(service.description) — \(serviceNames[service.giverID] ?? "") → \(serviceNames[service.receiverID] ?? "") — "
                              + (service.settlement == "hours" ? Amount.time(minutes: service.minutes).formatted(language) : t("coup de main gratuit", "free help"))))
                })))
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        try await showView(req, id: req.parameters.get("id", as: UUID.self))
    }

    /// The listing with its thread; `state` is the thread's form sent back with what to fix.
    static func showView(_ req: Request, id: UUID?, state: FormState = FormState(), status: HTTPResponseStatus = .ok) async throws -> Response {
        let access = try await access(req)
        let t = req.t, language = req.language, coop = access.coop
        let row = try await ExchangeStore.find(id, in: access.coopID, on: req.db)
        let thread = try await Threads.section(req, access: ExchangeThread.access(access, row), state: state,
                                               title: Localized(fr: "Écrire à l’auteur·e", en: "Write to the author"))
        let offer = row.offerWant
        let author = access.isMember ? try await LendingAccess.names([row.authorID], on: req.db)[row.authorID] : nil
        let mine = access.user?.id == row.authorID
        // Who may not read the conversation is told why, and the way in.
        let why = access.isMember || row.withdrawnAt != nil ? Node<HTML.BodyContext>.empty
            : try await MembersOnly.why(req, coop: coop, action: Localized(fr: "écrire à l’auteur·e de l’annonce", en: "write to the listing's author"))
        return Layout.page(req, title: row.title + " — " + coop.name, status: status,
            .p(.a(.href("/c/\(coop.slug)/exchange"), .text("← " + t("Offres et demandes", "Offers and wants")))),
            .h1(.text(t(offer.exchangeType.label) + t(" : ", ": ") + row.title)),
            .dl(.class("figures"),
                .dt(.text(t("Nature", "Kind"))), .dd(.text(t(offer.itemType.label))),
                .dt(.text(t("Échange", "Exchange"))), .dd(.text(offer.transactionTypes.map { t($0.label) }.joined(separator: ", "))),
                .dt(.text(t("Catégorie", "Category"))), .dd(.text(offer.category.map { t($0.label) } ?? "—")),
                .dt(.text(t("Mots-clés", "Tags"))), .dd(.text(offer.tags.joined(separator: ", "))),
                .dt(.text(t("Commune", "Commune"))), .dd(.text(row.commune)),
                .dt(.text(t("Banque de temps", "Time bank"))), .dd(.text(offer.acceptsTimeBank ? t("oui", "yes") : t("non", "no"))),
                .unwrap(offer.expiresAt) { .group(.dt(.text(t("Jusqu’au", "Until"))), .dd(.text(DateText.short($0, language)))) },
                .unwrap(author) { .group(.dt(.text(t("Publié par", "Published by"))), .dd(.text($0))) }),
            .p(.class("keep-lines"), .text(row.description)),
            access.isMember && !mine ? .p(.a(.class("button"), .href("/c/\(coop.slug)/exchange?service_for=\(row.id)#service"),
                                             .text(t("Noter un service lié à cette annonce", "Record a service for this listing")))) : .empty,
            row.withdrawnAt != nil ? .p(.class("notice"), .text(t("Cette annonce a été retirée.", "This listing was withdrawn."))) : .empty,
            mine && row.withdrawnAt == nil ? .section(.class("owner"),
                .p(.class("actions"), .a(.class("button"), .href("/c/\(coop.slug)/exchange/\(row.id)/edit"), .text(t("Modifier", "Edit")))),
                Form.post(req, action: "/c/\(coop.slug)/exchange/\(row.id)/withdraw",
                          .button(.type(.submit), .class("danger"), .text(t("Retirer l’annonce", "Withdraw the listing"))))) : .empty,
            why,
            thread)
    }

    @Sendable static func newPage(_ req: Request) async throws -> Response {
        let access = try await access(req, member: true)
        return try await newView(req, access: access, state: FormState(values: ["exchange_type": "offer", "item_type": "service", "scope": "local",
                                                                                "commune": access.coop.commune, "tt-receive-donate": "1"]))
    }

    /// The listing form, empty to publish or filled to edit `editing` (the author's).
    static func newView(_ req: Request, access: LendingAccess, state: FormState, status: HTTPResponseStatus = .ok,
                        editing: UUID? = nil) async throws -> Response {
        let t = req.t, coop = access.coop
        let heading = editing == nil ? t("Publier une offre ou une demande", "Publish an offer or a want") : t("Modifier l’annonce", "Edit the listing")
        return Layout.page(req, title: heading, status: status,
            .p(.a(.href("/c/\(coop.slug)/exchange"), .text("← " + t("Offres et demandes", "Offers and wants")))),
            .h1(.text(heading)),
            Form.post(req, action: editing.map { "/c/\(coop.slug)/exchange/\($0)/edit" } ?? "/c/\(coop.slug)/exchange",
                Form.summary(state, t),
                Form.select("exchange_type", label: t("Je…", "I…"), state: state, t, options: ExchangeType.allCases.map { ($0.rawValue, t($0.label)) }),
                Form.select("item_type", label: t("Quoi", "What"), state: state, t, options: ExchangeItemType.allCases.map { ($0.rawValue, t($0.label)) }),
                .fieldset(.attribute(named: "id", value: "transaction_type"), .element(named: "legend", nodes: [.text(t("Façons d’échanger", "Ways to exchange"))]),
                          .unwrap(state.errors.message(for: "transaction_type")) { .p(.class("field-error"), .text(t($0))) },
                          .forEach(TransactionType.allCases) { type in
                              Form.checkbox("transaction_type", value: type.rawValue, label: t(type.label), checked: state["tt-" + type.rawValue] == "1",
                                            id: "tt-" + type.rawValue)
                          }),
                Form.field("title", label: t("Titre", "Title"), state: state, t),
                Form.textarea("description", label: t("Description", "Description"), state: state, t, rows: 4),
                Form.select("category", label: t("Catégorie", "Category"), state: state, t, options: NeighbourhoodSearch.categoryOptions(t, any: t("— aucune —", "— none —"))),
                Form.field("tags", label: t("Mots-clés", "Tags"), state: state, t, required: false, hint: t("Séparés par des virgules.", "Separated by commas.")),
                Form.select("commune", label: t("Commune", "Commune"), state: state, t, options: NeighbourhoodSearch.communeOptions()),
                Form.select("scope", label: t("Portée", "Scope"), state: state, t, options: GeographicScope.allCases.map { ($0.rawValue, t($0.label)) }),
                Form.checkbox("accepts_time_bank", value: "1", label: t("Réglable en heures dans la banque de temps (services)", "Can be settled in time-bank hours (services)"),
                              checked: state["accepts_time_bank"] == "1", id: "accepts_time_bank"),
                Form.field("public_email", label: t("E-mail public", "Public email"), state: state, t, type: .email, required: false,
                           hint: t("Laissez vide pour être contacté·e par le site seulement.", "Leave empty to be contacted through the site only.")),
                Form.field("expires_on", label: t("Visible jusqu’au", "Shown until"), state: state, t, type: .date, required: false),
                Form.submit(editing == nil ? t("Publier", "Publish") : t("Enregistrer les changements", "Save the changes"))))
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let access = try await access(req, member: true)
        let form = try req.content.decode(OfferForm.self)
        do {
            let row = try await ExchangeStore.publish(form.draft, commune: form.commune ?? "", author: try access.memberID(), coop: access.coopID, on: req.db)
            return req.done(Localized(fr: "Annonce publiée.", en: "Listing published."), goTo: "/c/\(access.coop.slug)/exchange/\(row.id)")
        } catch {
            return try await newView(req, access: access, state: try FormState(refused: error, values: form.values), status: .unprocessableEntity)
        }
    }

    @Sendable static func recordService(_ req: Request) async throws -> Response {
        let access = try await access(req, member: true)
        let form = try req.content.decode(ServiceForm.self)
        do {
            _ = try await ExchangeStore.record(try form.input(), by: try access.memberID(), in: access.coop, on: req.db)
            return req.done(Localized(fr: "Service noté. Merci !", en: "Service recorded. Thank you!"), goTo: "/c/\(access.coop.slug)/exchange")
        } catch {
            return try await listView(req, access: access, serviceState: try FormState(refused: error, values: form.values),
                                      status: (error as? DomainError)?.status ?? .unprocessableEntity)
        }
    }
}
