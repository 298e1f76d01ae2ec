import Fluent
import MaillageCore
import SQLKit
import Vapor

/// Lending between neighbours (like Tipimi, Lend Engine): items, requests, loans confirmed by both
/// sides, the showcase location, availability calendars and iCalendar feeds, reviews, messages.
struct LendingModule: MaillageModule {
    let name = "lending"
    var migrations: [any Migration] { [CreateLending(), CreateLendingItemWords(), CreateItemBlocks(), CreateLendingItemPhotos(), CreateLoanDepositClaims(),
                                      DropPhotoLinks(table: "lending_items", column: "photo_url"), MoveLoanMessagesToThreads()] }
    var threadKinds: [ThreadKind] { [LoanThread.kind] }

    var jobs: [ScheduledJob] {
        [ScheduledJob("lending-overdue-reminders", every: 900) { app in try await OverdueLoans.remind(on: app.db) }]
    }

    func pages(_ routes: any RoutesBuilder) {
        routes.get("c", ":slug", "lending", use: LendingPages.catalogue)
        routes.get("c", ":slug", "lending", "items", ":id", use: LendingPages.item)
        routes.get("c", ":slug", "lending", "items", ":id", "availability.ics", use: LendingPages.ics)
        routes.get("c", ":slug", "lending", "photos", ":id", use: LendingItemPhotos.serve)
        let members = routes.grouped(RequireLoginMiddleware()).grouped("c", ":slug", "lending")
        members.get("items", "new", use: LendingPages.newItem)
        members.post("items", use: LendingPages.createItem)
        members.post("items", ":id", "request", use: LendingPages.request)
        members.get("items", ":id", "edit", use: ItemOwnerPages.edit)
        members.post("items", ":id", "edit", use: ItemOwnerPages.update)
        members.post("items", ":id", "withdraw", use: ItemOwnerPages.withdraw)
        members.on(.POST, "items", ":id", "photo", body: .collect(maxSize: "6mb"), use: LendingItemPhotos.upload)
        members.post("items", ":id", "blocks", use: ItemOwnerPages.block)
        members.post("items", ":id", "blocks", ":block", "remove", use: ItemOwnerPages.unblock)
        members.get("loans", use: LoanPages.mine)
        members.get("loans", ":id", use: LoanPages.show)
        members.post("loans", ":id", "messages", use: LoanPages.message)
        members.post("loans", ":id", "review", use: LoanPages.review)
        members.post("loans", ":id", "deposit-claim", use: LoanDepositPages.file)
        members.post("deposit-claims", ":claim", ":decision", use: LoanDepositPages.settle)
        members.post("loans", ":id", ":action", use: LoanPages.act)
        members.get("staff", use: LoanPages.staff)
        members.get("showcase", use: ShowcasePages.edit)
        members.post("showcase", use: ShowcasePages.save)
    }

    func api(_ routes: any RoutesBuilder) {
        let lending = routes.grouped("cooperatives", ":slug", "lending")
        lending.get("items", use: LendingAPI.search)
        lending.post("items", use: LendingAPI.create)
        lending.get("items", ":id", use: LendingAPI.item)
        lending.post("items", ":id", "loans", use: LendingAPI.request)
        lending.get("loans", use: LendingAPI.loans)
        lending.get("loans", ":id", use: LendingAPI.loan)
        for action in LendingStore.Action.allCases { lending.post("loans", ":id", .constant(action.rawValue), use: LendingAPI.step(action)) }
        lending.post("loans", ":id", "messages", use: LendingAPI.message)
        lending.post("loans", ":id", "review", use: LendingAPI.review)
    }

    var openAPI: OpenAPIFragment { LendingOpenAPI.fragment }
    var dataRegister: [TableRegister] { LendingRegister.tables }

    /// An item borrowed and not yet returned, or lent out, must come back first.
    func openObligations(of user: User, on db: any Database) async throws -> [Localized] {
        let id = try user.requireID()
        let rows = try await db.sql.select().columns(LoanRow.columns.map { SQLColumn($0) }).from("loans")
            .where("status", .equal, SQLBind(LoanStatus.handedOver.rawValue))
            .where { $0.where("borrower_id", .equal, SQLBind(id)).orWhere("owner_id", .equal, SQLBind(id)) }
            .all(decoding: LoanRow.self)
        return rows.map { row in
            row.borrowerID == id
                ? Localized(fr: "Vous avez un objet emprunté à rendre (\(row.firstDay) → \(row.lastDay)).", en: "You have a borrowed item to return (\(row.firstDay) → \(row.lastDay)).")
                : Localized(fr: "Un de vos objets est prêté et pas encore rendu (\(row.firstDay) → \(row.lastDay)).", en: "One of your items is lent and not back yet (\(row.firstDay) → \(row.lastDay)).")
        }
    }

    func seedDemo(_ demo: DemoTerritory) async throws { try await LendingDemo.seed(demo) }

    /// The person's items leave the catalogue (withdrawn, their words and photos gone; loans
    /// keep pointing at them); what they wrote — reviews, claim notes, block reasons —
    /// is wiped. Loans and their events stay: the cooperative's record of who lent what.
    func erasePersonalData(of user: UUID, name: String, pseudonym: String, on db: any Database) async throws {
        struct Item: Decodable { var id: UUID }
        let items = try await db.sql.select().column("id").from("lending_items").where("owner_id", .equal, SQLBind(user)).all(decoding: Item.self)
        for item in items {
            try await db.sql.delete(from: "lending_item_words").where("item_id", .equal, SQLBind(item.id)).run()
            try await db.sql.delete(from: "lending_item_photos").where("item_id", .equal, SQLBind(item.id)).run()
        }
        try await db.sql.update("lending_items").set("title", to: SQLBind("Objet retiré")).set("description", to: SQLBind(""))
            .set("search_text", to: SQLBind(""))
            .set("withdrawn_at", to: SQLFunction("COALESCE", args: SQLColumn("withdrawn_at"), SQLBind(Date())))
            .where("owner_id", .equal, SQLBind(user)).run()
        try await db.sql.update("item_blocks").set("reason", to: SQLBind("")).where("owner_id", .equal, SQLBind(user)).run()
        try await db.sql.update("loan_reviews").set("text", to: SQLBind("")).where("author_id", .equal, SQLBind(user)).run()
        try await db.sql.update("loan_deposit_claims").set("note", to: SQLBind("")).where("owner_id", .equal, SQLBind(user)).run()
    }
}
