import Fluent
import MaillageCore
import SQLKit
import Vapor

/// Transparent money: the ledger, fees, share capital, year-end allocation, the barter network
/// and the time bank, and the public transparency pages.
struct LedgerModule: MaillageModule {
    let name = "ledger"
    var threadKinds: [ThreadKind] { [BarterOfferPages.kind] }
    var migrations: [any Migration] { [CreateLedger(), CreateTreasury(), LedgerOpenTransfersIndex(), LedgerHoldPurposes(), LedgerLimitChanges(), LedgerMemosWithoutNames()] }

    var jobs: [ScheduledJob] {
        [
            ScheduledJob("ledger-expire-pending", every: 30) { app in try await LedgerStore.expireDue(on: app.db) },
            ScheduledJob("share-capital-bookings", every: 300) { app in try await ShareCapitalBooking.reconcileAll(on: app.db) },
            ScheduledJob("book-adopted-allocations", every: 60) { app in try await YearEnd.settleVotes(on: app.db) },
            ScheduledJob("barter-yearly-fees", every: 86_400) { app in try await BarterInvoices.chargeYearlyFees(on: app.db) },
            ScheduledJob("ledger-audit", every: 3_600) { app in
                let findings = try await LedgerAudit.run(on: app.db)
                if !findings.isEmpty { app.logger.critical("Ledger audit found: \(findings)") }
            },
        ]
    }

    func pages(_ routes: any RoutesBuilder) {
        routes.get("transparency", use: TransparencyPages.territory)
        routes.get("c", ":slug", "transparency", use: TransparencyPages.cooperative)
        routes.get("c", ":slug", "transparency.csv", use: TransparencyPages.csv)
        let members = routes.grouped(RequireLoginMiddleware()).grouped("c", ":slug")
        members.get("money", use: MoneyPages.overview)
        members.post("money", "pay", use: MoneyPages.pay)
        members.post("money", "top-up", use: MoneyPages.topUp)
        members.post("money", "limits", use: MoneyPages.limits)
        members.get("money", ":account", use: MoneyPages.statement)
        members.get("money", ":account", "statement.csv", use: MoneyPages.statementCSV)
        members.get("money", ":account", "statement.json", use: MoneyPages.statementJSON)
        members.get("barter", use: BarterPages.home)
        members.post("barter", "invoices", use: BarterPages.issue)
        members.get("barter", "invoices", ":id", use: BarterPages.invoice)
        members.post("barter", "invoices", ":id", "accept", use: BarterPages.accept)
        members.post("barter", "invoices", ":id", "decline", use: BarterPages.decline)
        members.post("barter", "invoices", ":id", "cancel", use: BarterPages.cancel)
        members.post("barter", "offers", use: BarterPages.offer)
        members.get("barter", "offers", ":id", use: BarterOfferPages.show)
        members.get("treasury", use: TreasuryPages.show)
        members.post("treasury", "fees", use: TreasuryPages.saveFees)
        members.post("treasury", "credit", use: TreasuryPages.saveCredit)
        members.post("treasury", "costs", use: TreasuryPages.addCost)
        members.post("treasury", "allocation", use: TreasuryPages.proposeAllocation)
    }

    func api(_ routes: any RoutesBuilder) {
        routes.get("cooperatives", ":slug", "transparency", use: LedgerAPI.transparency)
        let coop = routes.grouped("cooperatives", ":slug")
        coop.get("accounts", use: LedgerAPI.accounts)
        coop.get("accounts", ":account", "statement", use: LedgerAPI.statement)
        coop.post("transfers", use: LedgerAPI.transfer)
        coop.get("transfers", ":id", use: LedgerAPI.showTransfer)
        coop.post("transfers", ":id", "post", use: LedgerAPI.settle)
        coop.post("transfers", ":id", "void", use: LedgerAPI.void)
        coop.post("transfers", ":id", "reverse", use: LedgerAPI.reverse)
        coop.get("fees", use: LedgerAPI.fees)
        coop.put("fees", ":activity", use: LedgerAPI.setFee)
        coop.get("fees", ":activity", "split", use: LedgerAPI.split)
        coop.get("barter", "invoices", use: LedgerAPI.invoices)
        coop.post("barter", "invoices", use: LedgerAPI.issueInvoice)
        coop.post("barter", "invoices", ":id", "accept", use: LedgerAPI.acceptInvoice)
        coop.post("barter", "invoices", ":id", "decline", use: LedgerAPI.declineInvoice)
        coop.post("barter", "invoices", ":id", "cancel", use: LedgerAPI.cancelInvoice)
    }

    /// Shares subscribed or paid back are booked as the register changes; the job is the safety net.
    func membershipsChanged(in coop: Cooperative, on db: any Database) async throws {
        try await ShareCapitalBooking.reconcile(coop, on: db)
    }

    /// Transfers posted by the hundred in one commit on SQLite's one writer (`PostingGroups`).
    func sqliteMiddleware(lane: WriterLane?) -> [any AnyModelMiddleware] {
        [lane.map { PostingGroups(writers: 1, lane: $0) } ?? PostingGroups(writers: 1)]
    }

    var openAPI: OpenAPIFragment { LedgerOpenAPI.fragment }
    var dataRegister: [TableRegister] { LedgerRegister.tables }

    /// A member still owing hours or barter units, or holding prepaid credit, settles it first:
    /// the books must show who owes what.
    func openObligations(of user: User, on db: any Database) async throws -> [Localized] {
        let rows = try await db.sql.select().column("*").from("ledger_accounts").where("user_id", .equal, SQLBind(try user.requireID()))
            .where("posted", .notEqual, SQLBind(Int64(0))).all(decoding: LedgerAccountRow.self)
        var out: [Localized] = []
        for row in rows {
            let coop = try await Cooperative.find(row.cooperativeID, on: db)
            let balance = Amount(row.posted, row.unitOfAccount)
            out.append(Localized(fr: "\(coop?.name ?? "") : votre \(row.accountPurpose?.label.fr.lowercased() ?? "compte") est à \(balance.formatted(.fr)) ; soldez-le avec la coopérative avant de supprimer votre compte.",
                                 en: "\(coop?.name ?? ""): your \(row.accountPurpose?.label.en.lowercased() ?? "account") stands at \(balance.formatted(.en)); settle it with the cooperative before deleting your account."))
        }
        return out
    }

    func seedDemo(_ demo: DemoTerritory) async throws { try await LedgerDemo.seed(demo) }

    /// The person's barter offers are emptied. Transfers and invoices are the cooperative's books
    /// (kept ten years, Code de commerce art. L123-22): they keep their amounts and what was sold,
    /// and name nobody in their memos (names are shown from the accounts' owners).
    func erasePersonalData(of user: UUID, name: String, pseudonym: String, on db: any Database) async throws {
        try await db.sql.update("barter_offers").set("title", to: SQLBind("Offre retirée")).set("description", to: SQLBind(""))
            .where("user_id", .equal, SQLBind(user)).run()
    }
}
