import Fluent
import MaillageCore
import Plot
import SQLKit
import Vapor

/// `/c/<slug>/barter`: a business's barter account, its invoices, and the network's offers.
enum BarterPages {
    struct InvoiceForm: Content {
        var buyer: String
        var amount: String
        var description: String
        var values: [String: String] { ["buyer": buyer, "amount": amount, "description": description] }
    }

    struct OfferForm: Content {
        var kind: String
        var title: String
        var description: String?
        var values: [String: String] { ["kind": kind, "title": title, "offer_description": description ?? ""] }
    }

    struct Offer: Decodable {
        var id: UUID
        var user_id: UUID
        var kind: String
        var title: String
        var description: String
        var created_at: Date
    }

    static func context(_ req: Request) async throws -> MoneyAccess {
        let access = try await MoneyAccess(req)
        try access.requireBarter()
        return access
    }

    @Sendable static func home(_ req: Request) async throws -> Response {
        try await homeView(req, access: try await context(req), invoiceState: FormState(), offerState: FormState())
    }

    static func homeView(_ req: Request, access: MoneyAccess, invoiceState: FormState, offerState: FormState,
                         status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.t, language = req.language, coop = access.coop
        let account = try await AccountBook.open(.barter, cooperative: access.coopID, user: access.userID, on: req.db)
        let invoices = try await BarterInvoices.list(for: access.userID, in: coop, on: req.db)
        let members = try await Cooperatives.members(of: coop, status: .active, on: req.db)
        let names = Dictionary(members.map { ($0.$user.id, $0.user.displayName) }, uniquingKeysWith: { a, _ in a })
        let offers = try await req.db.sql.select().column("*").from("barter_offers").where("cooperative_id", .equal, SQLBind(access.coopID))
            .orderBy("created_at", .descending).limit(200).all(decoding: Offer.self)
        let network = try await BarterInvoices.network(coop, on: req.db)
        let unit = UnitOfAccount.barter
        let toPay = invoices.filter { $0.buyerID == access.userID && $0.status == "issued" }
        return Layout.page(req, title: t("Réseau de troc — \(coop.name)", "Barter network — \(coop.name)"), status: status,
            .p(.a(.href("/c/\(coop.slug)/money"), .text("← " + t("Comptes", "Accounts")))),
            .h1(.text(t("Réseau de troc", "Barter network"))),
            .p(.class("lead"), .text(t("Les entreprises du réseau se paient en unités de troc (1 unité = 1 €) sans sortir d’euros : chacune peut descendre jusqu’à sa ligne de crédit, et chaque unité détenue par l’une est due par une autre.",
                                       "Network businesses pay each other in barter units (1 unit = €1) without spending euros: each may go down to its credit line, and every unit one holds is owed by another."))),
            .dl(.class("figures"),
                .dt(.text(t("Solde", "Balance"))), .dd(.strong(.text(unit.format(account.posted, language)))),
                .dt(.text(t("Ligne de crédit", "Credit line"))), .dd(.text(account.floor.map { unit.format(-$0, language) } ?? t("illimitée", "unlimited"))),
                .dt(.text(t("Encore disponible", "Still available"))), .dd(.text(account.account.spendable.map { $0.formatted(language) } ?? t("sans limite", "no limit"))),
                .dt(.text(t("Commission du réseau", "Network commission"))),
                .dd(.text(t.percent(Double(network.commissionBasisPoints) / 100, digits: 2) + t(" payée par le vendeur", " paid by the seller")))),
            .p(.a(.href("/c/\(coop.slug)/money/\(account.id)"), .text(t("Relevé de mon compte de troc", "My barter account statement")))),
            toPay.isEmpty ? .empty : .section(.h2(.text(t("Factures à régler", "Invoices to settle"))),
                .ul(.forEach(toPay) { invoice in
                    .li(.a(.href("/c/\(coop.slug)/barter/invoices/\(invoice.id)"),
                           .text("\(invoice.description) — \(unit.format(invoice.amount, language)) — \(names[invoice.sellerID] ?? "")")))
                })),
            .section(.h2(.text(t("Émettre une facture", "Issue an invoice"))),
                Form.post(req, action: "/c/\(coop.slug)/barter/invoices",
                    Form.summary(invoiceState, t),
                    Form.select("buyer", label: t("Entreprise cliente", "Client business"), state: invoiceState, t,
                                options: [("", t("— choisir —", "— choose —"))] + members.filter { $0.$user.id != access.userID }.map { ($0.$user.id.uuidString, $0.user.displayName) }),
                    Form.field("amount", label: t("Montant (unités de troc)", "Amount (barter units)"), state: invoiceState, t, hint: t("Par ex. « 250 » ou « 120,50 ».", "E.g. “250” or “120.50”.")),
                    Form.field("description", label: t("Objet", "What for"), state: invoiceState, t),
                    Form.submit(t("Envoyer la facture", "Send the invoice")))),
            .section(.h2(.text(t("Mes factures", "My invoices"))),
                invoices.isEmpty ? .p(.text(t("Aucune facture.", "No invoice."))) : StackedTable.node(.table(
                    .thead(.tr(.th(.text(t("Date", "Date"))), .th(.text(t("Objet", "What for"))), .th(.text(t("De → à", "From → to"))),
                               .th(.class("num"), .text(t("Montant", "Amount"))), .th(.text(t("État", "Status"))))),
                    .tbody(.forEach(invoices) { invoice in
                        .tr(.td(.text(DateText.short(invoice.issuedAt, language))),
                            .td(.a(.href("/c/\(coop.slug)/barter/invoices/\(invoice.id)"), .text(invoice.description))),
                            .td(.text("\(names[invoice.sellerID] ?? "?") → \(names[invoice.buyerID] ?? "?")")),
                            .td(.class("num"), .text(unit.format(invoice.amount, language))),
                            .td(.text(statusLabel(invoice.status)(language))))
                    })))),
            .section(.h2(.text(t("Offres et besoins des membres", "Members' offers and needs"))),
                offers.isEmpty ? .p(.text(t("Aucune offre publiée.", "No offer published."))) : .ul(.class("offers"), .forEach(offers) { offer in
                    .li(.strong(.a(.href("/c/\(coop.slug)/barter/offers/\(offer.id)"),
                                   .text((offer.kind == "want" ? t("Recherche : ", "Wanted: ") : t("Offre : ", "Offer: ")) + offer.title))),
                        .text(" — \(names[offer.user_id] ?? "")"), offer.description.isEmpty ? .empty : .p(.class("keep-lines"), .text(offer.description)))
                }),
                .h3(.text(t("Publier une offre ou un besoin", "Publish an offer or a need"))),
                Form.post(req, action: "/c/\(coop.slug)/barter/offers",
                    Form.summary(offerState, t),
                    Form.select("kind", label: t("Type", "Kind"), state: offerState, t,
                                options: [("offer", t("J’offre", "I offer")), ("want", t("Je recherche", "I need"))]),
                    Form.field("title", label: t("Titre", "Title"), state: offerState, t),
                    Form.textarea("offer_description", label: t("Description", "Description"), state: offerState, t, rows: 3, required: false),
                    Form.submit(t("Publier", "Publish")))))
    }

    static func statusLabel(_ status: String) -> Localized {
        switch status {
        case "issued": Localized(fr: "À régler", en: "To settle")
        case "accepted": Localized(fr: "Réglée", en: "Settled")
        case "declined": Localized(fr: "Refusée", en: "Declined")
        default: Localized(fr: "Annulée", en: "Cancelled")
        }
    }

    @Sendable static func issue(_ req: Request) async throws -> Response {
        let access = try await context(req)
        let form = try req.content.decode(InvoiceForm.self)
        do {
            guard let buyer = UUID(uuidString: form.buyer) else { throw BarterInvoices.buyerNotMember }
            guard let amount = Amount.parse(MoneyPages.negativeSafe(form.amount), in: .barter) else {
                throw DomainError(.invalid, code: "invalid_amount", field: "amount", fr: "Montant illisible, par ex. « 250 » ou « 120,50 ».", en: "Unreadable amount, e.g. “250” or “120.50”.")
            }
            let row = try await BarterInvoices.issue(by: access.user, to: buyer, amount: amount, description: form.description, in: access.coop, on: req.db)
            return req.done(Localized(fr: "Facture envoyée : l’entreprise cliente la règle ou la refuse.", en: "Invoice sent: the client business pays or declines it."),
                            goTo: "/c/\(access.coop.slug)/barter/invoices/\(row.id)")
        } catch {
            return try await homeView(req, access: access, invoiceState: try FormState(refused: error, values: form.values),
                                      offerState: FormState(), status: .unprocessableEntity)
        }
    }

    @Sendable static func offer(_ req: Request) async throws -> Response {
        let access = try await context(req)
        let form = try req.content.decode(OfferForm.self)
        do {
            var errors = ValidationErrors()
            var title = "", description = ""
            do { title = try Validate.text(form.title, field: "title", label: Localized(fr: "Titre", en: "Title"), range: 3...120) } catch { errors.add(error) }
            do { description = try Validate.text(form.description, field: "offer_description", label: Localized(fr: "Description", en: "Description"), range: 0...1000) } catch { errors.add(error) }
            try errors.throwIfAny()
            try await req.db.sql.insert(into: "barter_offers").columns("id", "cooperative_id", "user_id", "kind", "title", "description", "created_at")
                .values(SQLBind(UUID()), SQLBind(access.coopID), SQLBind(access.userID), SQLBind(form.kind == "want" ? "want" : "offer"),
                        SQLBind(title), SQLBind(description), SQLBind(Date())).run()
            return req.done(Localized(fr: "Annonce publiée dans le réseau.", en: "Listing published in the network."), goTo: "/c/\(access.coop.slug)/barter")
        } catch {
            return try await homeView(req, access: access, invoiceState: FormState(),
                                      offerState: try FormState(refused: error, values: form.values), status: .unprocessableEntity)
        }
    }

    @Sendable static func invoice(_ req: Request) async throws -> Response {
        let access = try await context(req)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw BarterInvoices.notFound }
        return try await invoiceView(req, access: access, invoice: try await BarterInvoices.find(id, in: access.coop, on: req.db), problem: nil)
    }

    static func invoiceView(_ req: Request, access: MoneyAccess, invoice: BarterInvoices.Row, problem: DomainError?,
                            status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.t, language = req.language, coop = access.coop
        guard invoice.sellerID == access.userID || invoice.buyerID == access.userID || access.seesAll else { throw BarterInvoices.notFound }
        let users = try await User.query(on: req.db).filter(\.$id ~~ [invoice.sellerID, invoice.buyerID]).all()
        let name = { (id: UUID) in users.first { $0.id == id }?.displayName ?? "?" }
        let network = try await BarterInvoices.network(coop, on: req.db)
        let amount = Amount.barter(cents: invoice.amount)
        let commission = network.commission(on: amount)
        let sellerGets = amount.minorUnits - commission.minorUnits
        let parts = try? Apportionment.largestRemainder(10_000, weights: [sellerGets, commission.minorUnits])
        let isBuyer = invoice.buyerID == access.userID, open = invoice.status == "issued"
        let buyerAccount = try await AccountBook.open(.barter, cooperative: access.coopID, user: invoice.buyerID, on: req.db)
        return Layout.page(req, title: t("Facture", "Invoice") + " — " + invoice.description, status: status,
            .p(.a(.href("/c/\(coop.slug)/barter"), .text("← " + t("Réseau de troc", "Barter network")))),
            .h1(.text(t("Facture : ", "Invoice: ") + invoice.description)),
            .unwrap(problem) { .div(.class("form-errors"), .attribute(named: "role", value: "alert"), .p(.text(t($0.message)))) },
            .dl(.class("figures"),
                .dt(.text(t("De", "From"))), .dd(.text(name(invoice.sellerID))),
                .dt(.text(t("À", "To"))), .dd(.text(name(invoice.buyerID))),
                .dt(.text(t("Montant", "Amount"))), .dd(.strong(.text(amount.formatted(language)))),
                .dt(.text(t("Émise le", "Issued"))), .dd(.text(DateText.short(invoice.issuedAt, language))),
                .dt(.text(t("État", "Status"))), .dd(.text(statusLabel(invoice.status)(language)))),
            .section(.h2(.text(t("Où vont les unités", "Where the units go"))),
                Charts.split([(name(invoice.sellerID), parts?[0] ?? 10_000, UnitOfAccount.barter.format(sellerGets, language)),
                              (t("Réseau (commission)", "Network (commission)"), parts?[1] ?? 0, commission.formatted(language))],
                             title: t("Répartition du paiement", "How the payment is shared"), language: language),
                .p(.text(t("Le client paie \(amount.formatted(language)) ; le réseau retient sa commission sur ce que reçoit le vendeur.",
                           "The client pays \(amount.formatted(language)); the network keeps its commission from what the seller receives.")))),
            isBuyer && open ? .section(
                .p(.text(t("Après paiement, votre solde sera de ", "After paying, your balance will be ")
                         + UnitOfAccount.barter.format(buyerAccount.posted - invoice.amount, language)
                         + (buyerAccount.floor.map { t(" (ligne de crédit jusqu’à ", " (credit line down to ") + UnitOfAccount.barter.format($0, language) + ")" } ?? ""))),
                Form.post(req, action: "/c/\(coop.slug)/barter/invoices/\(invoice.id)/accept", Form.submit(t("Accepter et payer", "Accept and pay"))),
                Form.post(req, action: "/c/\(coop.slug)/barter/invoices/\(invoice.id)/decline",
                          .button(.type(.submit), .class("danger"), .text(t("Refuser", "Decline"))))) : .empty,
            invoice.sellerID == access.userID && open
                ? Form.post(req, action: "/c/\(coop.slug)/barter/invoices/\(invoice.id)/cancel",
                            .button(.type(.submit), .class("danger"), .text(t("Annuler la facture", "Cancel the invoice")))) : .empty)
    }

    @Sendable static func accept(_ req: Request) async throws -> Response {
        try await act(req, done: Localized(fr: "Facture réglée en unités de troc.", en: "Invoice paid in barter units.")) { access, id in
            _ = try await BarterInvoices.accept(id, by: access.user, in: access.coop, on: req.db)
        }
    }

    @Sendable static func decline(_ req: Request) async throws -> Response {
        try await act(req, done: Localized(fr: "Facture refusée ; l’entreprise qui l’a émise est prévenue.", en: "Invoice declined; the business that issued it has been told.")) { access, id in
            try await BarterInvoices.close(id, declining: true, by: access.user, in: access.coop, on: req.db)
        }
    }

    @Sendable static func cancel(_ req: Request) async throws -> Response {
        try await act(req, done: Localized(fr: "Facture annulée.", en: "Invoice cancelled.")) { access, id in
            try await BarterInvoices.close(id, declining: false, by: access.user, in: access.coop, on: req.db)
        }
    }

    private static func act(_ req: Request, done: Localized, _ body: (MoneyAccess, UUID) async throws -> Void) async throws -> Response {
        let access = try await context(req)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw BarterInvoices.notFound }
        do {
            try await body(access, id)
            return req.done(done, goTo: "/c/\(access.coop.slug)/barter/invoices/\(id)")
        } catch let error as DomainError where error.kind != .forbidden && error.kind != .notFound {
            return try await invoiceView(req, access: access, invoice: try await BarterInvoices.find(id, in: access.coop, on: req.db),
                                         problem: error, status: error.status)
        }
    }
}
