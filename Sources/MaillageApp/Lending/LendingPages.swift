import Fluent
import MaillageCore
import Plot
import Vapor

/// `/c/<slug>/lending`: the catalogue (search by words, category, distance), an item with its
/// availability calendar and the request form, lending a new item.
enum LendingPages {
    struct ItemForm: Content {
        var title: String?
        var category: String?
        var description: String?
        var condition: String?
        var deposit: String?
        var maximumLoanDays: String?
        var pickup: String?
        var commune: String?

        enum CodingKeys: String, CodingKey {
            case title, category, description, condition, deposit, pickup, commune
            case maximumLoanDays = "maximum_loan_days"
        }

        var input: LendingStore.ItemInput {
            LendingStore.ItemInput(draft: LendingItemDraft(title: title ?? "", category: category ?? "", description: description ?? "",
                                                           condition: condition ?? "", deposit: deposit ?? "",
                                                           maximumLoanDays: maximumLoanDays ?? "", pickupAtShowcase: pickup == "vitrine"),
                                   commune: commune ?? "")
        }
        var values: [String: String] {
            ["title": title ?? "", "category": category ?? "", "description": description ?? "", "condition": condition ?? "",
             "deposit": deposit ?? "", "maximum_loan_days": maximumLoanDays ?? "", "pickup": pickup ?? "domicile",
             "commune": commune ?? ""]
        }
    }

    struct RequestForm: Content {
        var firstDay: String?
        var lastDay: String?
        var message: String?
        enum CodingKeys: String, CodingKey { case message, firstDay = "first_day", lastDay = "last_day" }
        var values: [String: String] { ["first_day": firstDay ?? "", "last_day": lastDay ?? "", "message": message ?? ""] }
    }

    @Sendable static func catalogue(_ req: Request) async throws -> Response {
        let access = try await LendingAccess(req)
        let t = req.t, language = req.language, coop = access.coop
        let values = ["q": req.query[String.self, at: "q"] ?? "", "category": req.query[String.self, at: "category"] ?? "",
                      "near": req.query[String.self, at: "near"] ?? "", "radius": req.query[String.self, at: "radius"] ?? ""]
        var state = FormState(values: values)
        var results: [(LendingItemRow, Double?)] = []
        var status = HTTPResponseStatus.ok
        do {
            results = try await LendingStore.search(try NeighbourhoodSearch.query(req), coop: access.coopID, limit: 100, on: req.db)
        } catch let error as DomainError {
            state = try FormState(refused: error, values: values)
            status = .unprocessableEntity
        }
        let showcase = try await LendingStore.showcase(of: access.coopID, on: req.db)?.location
        return Layout.page(req, title: t("Objets à emprunter — \(coop.name)", "Items to borrow — \(coop.name)"), status: status,
            .p(.a(.href("/c/\(coop.slug)"), .text("← " + coop.name))),
            .h1(.text(t("Objets à emprunter", "Items to borrow"))),
            access.isMember ? .empty : try await MembersOnly.why(req, coop: coop, action: Localized(fr: "emprunter et prêter", en: "borrow and lend")),
            .p(.class("actions"),
               access.isMember ? .group(
                   .a(.class("button"), .href("/c/\(coop.slug)/lending/items/new"), .text(t("Prêter un objet", "Lend an item"))),
                   .a(.href("/c/\(coop.slug)/lending/loans"), .text(t("Mes prêts et emprunts", "My loans and borrowings")))) : .empty,
               access.isStaff ? .a(.href("/c/\(coop.slug)/lending/staff"), .text(t("Suivi de l’équipe", "Staff overview"))) : .empty,
               access.isStaff ? .a(.href("/c/\(coop.slug)/lending/showcase"), .text(t("Lieu vitrine", "Showcase location"))) : .empty,
               .a(.href("/c/\(coop.slug)/impact"), .text(t("Impact", "Impact")))),
            .unwrap(showcase) { place in
                .section(.h2(.text(t("Lieu vitrine", "Showcase location"))),
                         .p(.strong(.text(place.name)), .text(" — \(place.address), \(place.commune)")),
                         .p(.text(t("Ouvert : ", "Open: ") + place.hours.text(language))))
            },
            .form(.method(.get), .action("/c/\(coop.slug)/lending"), .class("filters"),
                  .attribute(named: "role", value: "search"),
                  Form.summary(state, t),
                  Form.field("q", label: t("Rechercher", "Search"), state: state, t, type: .search, required: false),
                  Form.select("category", label: t("Catégorie", "Category"), state: state, t, options: NeighbourhoodSearch.categoryOptions(t, any: t("Toutes", "All"))),
                  Form.select("near", label: t("Près de", "Near"), state: state, t, options: NeighbourhoodSearch.communeOptions(t("Partout", "Anywhere"))),
                  Form.field("radius", label: t("Rayon (km)", "Radius (km)"), state: state, t, type: .number, required: false,
                             extra: [.attribute(named: "min", value: "0.1"), .attribute(named: "max", value: "200"), .attribute(named: "step", value: "0.1")]),
                  .button(.type(.submit), .text(t("Chercher", "Search")))),
            .h2(.text(t("\(results.count) objet\(results.count > 1 ? "s" : "")", "\(results.count) item\(results.count == 1 ? "" : "s")"))),
            .ul(.class("cards"), .forEach(results) { row, distance in
                .li(.class("card"), .article(
                    .h3(.a(.href("/c/\(coop.slug)/lending/items/\(row.id)"), .text(row.title))),
                    .p(.class("meta"), .text([t(row.itemCategory.label), t(row.itemCondition.label), row.commune,
                                              distance.map { t.decimal($0, digits: 1) + " km" }].compactMap { $0 }.joined(separator: " · "))),
                    .p(.text(t("Caution : ", "Deposit: ") + (row.depositCents == 0 ? t("aucune", "none") : Euros.format(cents: row.depositCents, language))
                             + " · " + t("jusqu’à \(row.maxLoanDays) j", "up to \(row.maxLoanDays) days")
                             + " · " + (row.atShowcase ? t("au lieu vitrine", "at the showcase") : t("chez le ou la propriétaire", "at the owner’s"))))))
            }))
    }

    @Sendable static func newItem(_ req: Request) async throws -> Response {
        let access = try await LendingAccess(req, member: true)
        return try await newItemView(req, access: access, state: FormState(values: ["commune": access.coop.commune, "maximum_loan_days": "7",
                                                                                     "condition": ItemCondition.good.rawValue, "pickup": "domicile"]))
    }

    /// The item form, empty to lend a new item or filled to edit `editing` (the owner's).
    static func newItemView(_ req: Request, access: LendingAccess, state: FormState, status: HTTPResponseStatus = .ok,
                            editing: UUID? = nil) async throws -> Response {
        let t = req.t, coop = access.coop
        let heading = editing == nil ? t("Prêter un objet", "Lend an item") : t("Modifier l’objet", "Edit the item")
        let action = editing.map { "/c/\(coop.slug)/lending/items/\($0)/edit" } ?? "/c/\(coop.slug)/lending/items"
        let showcase = try await LendingStore.showcase(of: access.coopID, on: req.db)
        var pickups: [(value: String, label: String)] = [("domicile", t("Chez moi (l’adresse n’est donnée qu’une fois le prêt accepté)", "At my home (the address is given once the loan is accepted)"))]
        if let showcase { pickups.append(("vitrine", t("Au lieu vitrine : ", "At the showcase: ") + showcase.name)) }
        return Layout.page(req, title: heading, status: status,
            .p(.a(.href("/c/\(coop.slug)/lending"), .text("← " + t("Objets à emprunter", "Items to borrow")))),
            .h1(.text(heading)),
            Form.post(req, action: action,
                Form.summary(state, t),
                Form.field("title", label: t("Titre", "Title"), state: state, t, hint: t("Par ex. « Perceuse à percussion ».", "E.g. “Hammer drill”.")),
                Form.select("category", label: t("Catégorie", "Category"), state: state, t, options: NeighbourhoodSearch.categoryOptions(t, any: t("— choisir —", "— choose —"))),
                Form.textarea("description", label: t("Description", "Description"), state: state, t, rows: 4, required: false),
                Form.select("condition", label: t("État", "Condition"), state: state, t, options: ItemCondition.allCases.map { ($0.rawValue, t($0.label)) }),
                Form.field("deposit", label: t("Caution (€)", "Deposit (€)"), state: state, t, required: false,
                           hint: t("Laissée par l’emprunteur pendant le prêt ; vide pour aucune.", "Left by the borrower during the loan; empty for none.")),
                Form.field("maximum_loan_days", label: t("Durée maximale d’un prêt (jours)", "Longest loan (days)"), state: state, t, type: .number,
                           extra: [.attribute(named: "min", value: "1"), .attribute(named: "max", value: "60")]),
                Form.select("pickup", label: t("Où le retirer", "Where to collect it"), state: state, t, options: pickups),
                Form.select("commune", label: t("Commune", "Commune"), state: state, t, options: NeighbourhoodSearch.communeOptions(),
                            hint: t("Seule la commune est publiée, pour la recherche par distance.", "Only the commune is published, for searching by distance.")),
                Form.submit(editing == nil ? t("Publier l’objet", "Publish the item") : t("Enregistrer les changements", "Save the changes"))))
    }

    @Sendable static func createItem(_ req: Request) async throws -> Response {
        let access = try await LendingAccess(req, member: true)
        let form = try req.content.decode(ItemForm.self)
        do {
            let row = try await LendingStore.createItem(form.input, owner: try access.memberID(), coop: access.coopID, on: req.db)
            return req.done(Localized(fr: "Objet publié : les sociétaires peuvent demander à l’emprunter. Ajoutez-lui une photo ci-dessous.",
                                      en: "Item published: members can ask to borrow it. Add a photo below."),
                            goTo: "/c/\(access.coop.slug)/lending/items/\(row.id)")
        } catch {
            return try await newItemView(req, access: access, state: try FormState(refused: error, values: form.values), status: .unprocessableEntity)
        }
    }

    @Sendable static func item(_ req: Request) async throws -> Response {
        let access = try await LendingAccess(req)
        let row = try await LendingStore.item(req.parameters.get("id", as: UUID.self), in: access.coopID, on: req.db)
        let today = LocalZone.paris.localDate(at: Date())
        return try await itemView(req, access: access, row: row, state: FormState(values: ["first_day": today.iso, "last_day": today.iso]))
    }

    static func itemView(_ req: Request, access: LendingAccess, row: LendingItemRow, state: FormState,
                         status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.t, language = req.language, coop = access.coop
        let today = LocalZone.paris.localDate(at: Date())
        let month = req.query[String.self, at: "month"].flatMap { LocalDate(iso: $0 + "-01") } ?? LocalDate(year: today.year, month: today.month, day: 1) ?? today
        let taken = try await LendingStore.taken(item: row.id, on: req.db)
        let blocks = try await LendingStore.blocks(item: row.id, on: req.db)
        let calendar = AvailabilityMonth(year: month.year, month: month.month, taken: taken, blocked: blocks.compactMap(\.period), today: today)
        let showcase = row.atShowcase ? try await LendingStore.showcase(of: access.coopID, on: req.db)?.location : nil
        let owner = access.isMember ? try await LendingAccess.names([row.ownerID], on: req.db)[row.ownerID] : nil
        let isOwner = access.user?.id == row.ownerID
        let hasPhoto = try await LendingItemPhotos.has(item: row.id, on: req.db)
        let previous = month.adding(days: -1).map { String($0.iso.prefix(7)) }
        let next = month.adding(days: LocalDate.daysIn(month: month.month, year: month.year)).map { String($0.iso.prefix(7)) }
        let base = "/c/\(coop.slug)/lending/items/\(row.id)"
        return Layout.page(req, title: row.title + " — " + coop.name, status: status,
            .p(.a(.href("/c/\(coop.slug)/lending"), .text("← " + t("Objets à emprunter", "Items to borrow")))),
            .h1(.text(row.title)),
            hasPhoto ? .img(.src(LendingItemPhotos.path(coop: coop.slug, item: row.id)), .alt(row.title), .class("product-photo")) : .empty,
            .dl(.class("figures"),
                .dt(.text(t("Catégorie", "Category"))), .dd(.text(t(row.itemCategory.label))),
                .dt(.text(t("État", "Condition"))), .dd(.text(t(row.itemCondition.label))),
                .dt(.text(t("Caution", "Deposit"))), .dd(.text(row.depositCents == 0 ? t("aucune", "none") : Euros.format(cents: row.depositCents, language))),
                .dt(.text(t("Durée maximale", "Longest loan"))), .dd(.text(t("\(row.maxLoanDays) jour\(row.maxLoanDays > 1 ? "s" : "")", "\(row.maxLoanDays) day\(row.maxLoanDays > 1 ? "s" : "")"))),
                .dt(.text(t("Retrait", "Pickup"))),
                .dd(.text(showcase.map { "\(t("Lieu vitrine", "Showcase")) \($0.name), \($0.address) — \($0.hours.text(language))" }
                          ?? t("Chez le ou la propriétaire, à \(row.commune)", "At the owner’s, in \(row.commune)"))),
                .unwrap(owner) { .group(.dt(.text(t("Propriétaire", "Owner"))), .dd(.text($0))) }),
            row.description.isEmpty ? .empty : .p(.class("keep-lines"), .text(row.description)),
            .section(.h2(.id("calendar"), .text(t("Disponibilités", "Availability"))),
                .unwrap(calendar) { monthTable($0, language) },
                .p(.class("legend calendar"), .span(.class("free"), .text(t(DayStatus.free.label))), .span(.class("booked"), .text(t(DayStatus.booked.label))),
                   .span(.class("blocked"), .text(t(DayStatus.blocked.label))),
                   .span(.class("past"), .text(t("Passé", "Past")))),
                .p(.class("actions"),
                   .unwrap(previous) { .a(.href("\(base)?month=\($0)#calendar"), .text(t("← Mois précédent", "← Previous month"))) },
                   .unwrap(next) { .a(.href("\(base)?month=\($0)#calendar"), .text(t("Mois suivant →", "Next month →"))) },
                   .a(.href("\(base)/availability.ics"), .text(t("Agenda iCalendar (abonnement)", "iCalendar feed (subscribe)"))))),
            row.withdrawnAt != nil ? .p(.class("notice"), .text(t("Cet objet a été retiré : il n’est plus prêté.", "This item was withdrawn: it is no longer lent."))) : .empty,
            isOwner && row.withdrawnAt == nil ? ItemOwnerPages.ownerSection(req, base: base, blocks: blocks, state: state) : .empty,
            access.isMember && !isOwner && row.withdrawnAt == nil ? .section(
                .h2(.text(t("Demander à l’emprunter", "Ask to borrow it"))),
                Form.post(req, action: "\(base)/request",
                    Form.summary(state, t),
                    Form.field("first_day", label: t("Premier jour", "First day"), state: state, t, type: .date),
                    Form.field("last_day", label: t("Dernier jour (retour le soir)", "Last day (returned in the evening)"), state: state, t, type: .date),
                    Form.textarea("message", label: t("Message au ou à la propriétaire", "Message to the owner"), state: state, t, rows: 3, required: false),
                    Form.submit(t("Envoyer la demande", "Send the request")))) : .empty,
            access.isMember || row.withdrawnAt != nil ? .empty
                : try await MembersOnly.why(req, coop: coop, action: Localized(fr: "emprunter", en: "borrow")))
    }

    /// A month, Monday first, each day saying in words whether the item is free.
    static func monthTable(_ month: AvailabilityMonth, _ language: Language) -> Node<HTML.BodyContext> {
        let t = Translator(language: language)
        let names = (1...7).map { String(WeeklyHours.weekdayName($0, language).prefix(3)) }
        let cells: [AvailabilityMonth.Day?] = Array(repeating: nil, count: month.leadingBlanks) + month.days.map { $0 }
        let weeks = stride(from: 0, to: cells.count, by: 7).map { Array(cells[$0..<min($0 + 7, cells.count)]) }
        let monthName = DayText.monthName(month.month, language) + " \(month.year)"
        return .table(.class("calendar"),
            .caption(.text(monthName)),
            .thead(.tr(.forEach(names) { .th(.attribute(named: "scope", value: "col"), .text($0)) })),
            .tbody(.forEach(weeks) { week in
                .tr(.forEach(week) { day in
                    guard let day else { return .td() }
                    let kind = day.isPast ? "past" : day.status.rawValue
                    return .td(.class(kind), .text("\(day.date.day)"),
                               .span(.class("visually-hidden"), .text(" " + (day.isPast ? t("passé", "past") : t(day.status.label)))))
                })
            }))
    }

    @Sendable static func request(_ req: Request) async throws -> Response {
        let access = try await LendingAccess(req, member: true)
        let row = try await LendingStore.item(req.parameters.get("id", as: UUID.self), in: access.coopID, on: req.db)
        let form = try req.content.decode(RequestForm.self)
        do {
            let period = try LoanPeriod(firstISO: form.firstDay ?? "", lastISO: form.lastDay ?? "")
            let loan = try await LendingStore.request(item: row, borrower: try access.memberID(), period: period, message: form.message,
                                                      coopSlug: access.coop.slug, on: req.db)
            return req.done(Localized(fr: "Demande envoyée : le ou la propriétaire est prévenu·e.", en: "Request sent: the owner has been told."),
                            goTo: "/c/\(access.coop.slug)/lending/loans/\(loan.id)")
        } catch {
            return try await itemView(req, access: access, row: row, state: try FormState(refused: error, values: form.values),
                                      status: (error as? DomainError)?.status ?? .unprocessableEntity)
        }
    }

    /// The item's availability as iCalendar (RFC 5545): public, and it names no borrower.
    @Sendable static func ics(_ req: Request) async throws -> Response {
        let access = try await LendingAccess(req)
        let row = try await LendingStore.item(req.parameters.get("id", as: UUID.self), in: access.coopID, on: req.db)
        let loans = try await LendingStore.loans(of: access.coopID, statuses: [.accepted, .handedOver], on: req.db).filter { $0.itemID == row.id }
        let blocks = try await LendingStore.blocks(item: row.id, on: req.db).compactMap { block in
            block.period.map { AvailabilityFeed.Entry(id: block.id, kind: .block, period: $0, updatedAt: block.createdAt) }
        }
        let entries = try loans.compactMap { AvailabilityFeed.Entry(loan: try $0.loan()) } + blocks
        let host = req.headers.first(name: .host)?.split(separator: ":").first.map(String.init) ?? "maillage.local"
        let body = AvailabilityFeed.render(calendarName: "\(row.title) — \(access.coop.name)", entries: entries, domain: host, language: req.language)
        let response = Response(status: .ok, body: .init(string: body))
        response.headers.replaceOrAdd(name: .contentType, value: AvailabilityFeed.mediaType)
        response.headers.replaceOrAdd(name: .contentDisposition, value: "inline; filename=\"disponibilites-\(row.id.uuidString.prefix(8).lowercased()).ics\"")
        return response
    }
}

extension DayText {
    static func monthName(_ month: Int, _ language: Language) -> String {
        let fr = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"]
        let en = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        let index = min(max(month, 1), 12) - 1
        return language == .fr ? fr[index] : en[index]
    }
}
