import Fluent
import MaillageCore
import Plot
import Vapor

/// The owner's side of an item page: edit, withdraw, keep it for some days (blocks).
enum ItemOwnerPages {
    struct BlockForm: Content {
        var firstDay: String?
        var lastDay: String?
        var reason: String?
        enum CodingKeys: String, CodingKey { case reason, firstDay = "block_first_day", lastDay = "block_last_day" }
        var values: [String: String] { ["block_first_day": firstDay ?? "", "block_last_day": lastDay ?? "", "reason": reason ?? ""] }
    }

    /// Shown to the owner under the calendar.
    static func ownerSection(_ req: Request, base: String, blocks: [ItemBlockRow], state: FormState) -> Node<HTML.BodyContext> {
        let t = req.t, language = req.language
        return .section(.class("owner"),
            .h2(.id("owner"), .text(t("Votre objet", "Your item"))),
            .p(.class("actions"), .a(.class("button"), .href("\(base)/edit"), .text(t("Modifier", "Edit")))),
            .h3(.text(t("Photo", "Photo"))),
            LendingItemPhotos.form(req, base: base),
            .h3(.text(t("Garder l’objet certains jours", "Keep the item on some days"))),
            .if(!blocks.isEmpty, .ul(.forEach(blocks) { block in
                .li(.text(block.period.map { DayText.period($0, language) } ?? block.firstDay),
                    .if(!block.reason.isEmpty, .text(" — " + block.reason)),
                    Form.post(req, action: "\(base)/blocks/\(block.id)/remove",
                              .button(.type(.submit), .text(t("Débloquer", "Unblock")))))
            })),
            Form.post(req, action: "\(base)/blocks",
                Form.summary(state, t),
                Form.field("block_first_day", label: t("Du", "From"), state: state, t, type: .date),
                Form.field("block_last_day", label: t("Au (inclus)", "To (included)"), state: state, t, type: .date),
                Form.field("reason", label: t("Motif (pour vous seul·e)", "Reason (for you only)"), state: state, t, required: false),
                Form.submit(t("Bloquer ces jours", "Block these days"))),
            .h3(.text(t("Retirer l’objet", "Withdraw the item"))),
            .p(.text(t("Les demandes en attente seront refusées et leurs auteurs prévenus. Un prêt accepté doit d’abord être annulé.",
                       "Pending requests will be declined and their authors told. An accepted loan must be cancelled first."))),
            Form.post(req, action: "\(base)/withdraw",
                      .button(.type(.submit), .class("danger"), .text(t("Retirer l’objet du catalogue", "Withdraw the item from the catalogue")))))
    }

    private static func owned(_ req: Request) async throws -> (LendingAccess, LendingItemRow, UUID) {
        let access = try await LendingAccess(req, member: true)
        let row = try await LendingStore.item(req.parameters.get("id", as: UUID.self), in: access.coopID, on: req.db)
        let me = try access.memberID()
        guard row.ownerID == me else { throw Problem.notFound(LendingWords.item) }
        return (access, row, me)
    }

    @Sendable static func edit(_ req: Request) async throws -> Response {
        let (access, row, _) = try await owned(req)
        let deposit = row.depositCents == 0 ? "" : "\(row.depositCents / 100),\(row.depositCents % 100 < 10 ? "0" : "")\(row.depositCents % 100)"
        let values = ["title": row.title, "category": row.category, "description": row.description, "condition": row.condition,
                      "deposit": deposit, "maximum_loan_days": String(row.maxLoanDays), "pickup": row.pickup, "commune": row.commune]
        return try await LendingPages.newItemView(req, access: access, state: FormState(values: values), editing: row.id)
    }

    @Sendable static func update(_ req: Request) async throws -> Response {
        let (access, row, me) = try await owned(req)
        let form = try req.content.decode(LendingPages.ItemForm.self)
        do {
            _ = try await LendingStore.updateItem(row, form.input, by: me, on: req.db)
            return req.done(Localized(fr: "Objet modifié.", en: "Item updated."), goTo: "/c/\(access.coop.slug)/lending/items/\(row.id)")
        } catch {
            return try await LendingPages.newItemView(req, access: access, state: try FormState(refused: error, values: form.values),
                                                      status: (error as? DomainError)?.status ?? .unprocessableEntity, editing: row.id)
        }
    }

    @Sendable static func withdraw(_ req: Request) async throws -> Response {
        let (access, row, me) = try await owned(req)
        do {
            try await LendingStore.withdraw(row, by: me, coopSlug: access.coop.slug, on: req.db)
            return req.done(Localized(fr: "Objet retiré du catalogue.", en: "Item withdrawn from the catalogue."), goTo: "/c/\(access.coop.slug)/lending/items/\(row.id)")
        } catch let error as DomainError {
            return try await LendingPages.itemView(req, access: access, row: row, state: try FormState(refused: error, values: [:]), status: error.status)
        }
    }

    @Sendable static func block(_ req: Request) async throws -> Response {
        let (access, row, me) = try await owned(req)
        let form = try req.content.decode(BlockForm.self)
        do {
            let period = try LoanPeriod(firstISO: form.firstDay ?? "", lastISO: form.lastDay ?? "")
            _ = try await LendingStore.block(row, period: period, reason: form.reason ?? "", by: me, on: req.db)
            return req.done(Localized(fr: "Période bloquée : l’objet n’y est plus proposé.", en: "Period blocked: the item is not offered then."),
                            goTo: "/c/\(access.coop.slug)/lending/items/\(row.id)#owner")
        } catch {
            // The period's own errors name first_day/last_day: point them at this form's fields.
            var state = try FormState(refused: error, values: form.values)
            var moved = ValidationErrors()
            for one in state.errors.errors {
                let field = one.field.map { $0 == "first_day" || $0 == "last_day" ? "block_" + $0 : $0 }
                moved.add(DomainError(one.kind, code: one.code, field: field, fr: one.message.fr, en: one.message.en))
            }
            state.errors = moved
            return try await LendingPages.itemView(req, access: access, row: row, state: state,
                                                   status: (error as? DomainError)?.status ?? .unprocessableEntity)
        }
    }

    @Sendable static func unblock(_ req: Request) async throws -> Response {
        let (access, row, me) = try await owned(req)
        guard let block = req.parameters.get("block", as: UUID.self) else { throw Problem.notFound(LendingWords.block) }
        try await LendingStore.unblock(block, item: row, by: me, on: req.db)
        return req.done(Localized(fr: "Période débloquée.", en: "Period unblocked."), goTo: "/c/\(access.coop.slug)/lending/items/\(row.id)#owner")
    }
}
