import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

/// Deposits (*cautions*) held on the ledger: a pending transfer from the borrower's credit at the
/// handover, voided at the return, paid to the owner once when staff uphold a claim.
@Suite("Lending: deposits held on the ledger, released, or kept after a claim", .serialized)
struct LendingDepositTests {
    static let password = "un mot de passe solide"

    /// Tops up member `index`'s prepaid credit: the cooperative now keeps member euro accounts.
    func fund(_ app: Application, _ f: LendingFixture, _ index: Int, cents: Int64) async throws {
        let coopID = try f.coop.requireID()
        let clearing = try await AccountBook.open(.clearing, cooperative: coopID, on: app.db)
        let wallet = try await AccountBook.open(.wallet, cooperative: coopID, user: try f.users[index].requireID(), on: app.db)
        try await LedgerStore.post(Posting(transfer: Transfer(debit: AccountID(clearing.id), credit: AccountID(wallet.id), amount: .euros(cents: cents),
                                                              memo: "Virement", time: Date()), cooperative: coopID, category: .topUp), on: app.db)
    }

    func wallet(_ app: Application, _ f: LendingFixture, _ index: Int) async throws -> LedgerAccountRow {
        try await AccountBook.open(.wallet, cooperative: try f.coop.requireID(), user: try f.users[index].requireID(), on: app.db)
    }

    /// Member 3 borrows the owner's drill (deposit 30 €) for today and tomorrow; accepted.
    func acceptedLoan(_ f: LendingFixture) async throws -> String {
        let item = try await f.item()
        let asked = try await f.clients[3].send(.POST, "\(f.base)/items/\(item)/loans", json: #"{"firstDay": "\#(day(0))", "lastDay": "\#(day(1))"}"#)
        let loan = try #require(asked.json["id"] as? String)
        #expect(try await f.clients[0].send(.POST, "\(f.base)/loans/\(loan)/accept").status == .ok)
        return loan
    }

    func handOver(_ f: LendingFixture, _ loan: String) async throws {
        #expect(try await f.clients[0].send(.POST, "\(f.base)/loans/\(loan)/handover").status == .ok)
        let handed = try await f.clients[3].send(.POST, "\(f.base)/loans/\(loan)/handover")
        #expect(handed.json["status"] as? String == "handed_over", "\(handed.body.string)")
    }

    func giveBack(_ f: LendingFixture, _ loan: String) async throws {
        _ = try await f.clients[3].send(.POST, "\(f.base)/loans/\(loan)/return")
        let back = try await f.clients[0].send(.POST, "\(f.base)/loans/\(loan)/return")
        #expect(back.json["status"] as? String == "returned", "\(back.body.string)")
    }

    func visitor(_ app: Application, _ user: User) async throws -> Visitor {
        user.passwordHash = try app.password.hash(Self.password)
        try await user.save(on: app.db)
        let visitor = Visitor(app)
        try await visitor.logIn(user.email, password: Self.password)
        return visitor
    }

    /// Member 3 borrows the drill, its 30 € deposit held from 50 € of credit; the owner (member 0,
    /// board) files a claim on it.
    func claimedLoan(_ app: Application) async throws -> (LendingFixture, String, LoanRow, DepositClaimRow) {
        let f = try await LendingFixture.make(app, members: 4)
        try await fund(app, f, 3, cents: 5_000)
        let loan = try await acceptedLoan(f)
        try await handOver(f, loan)
        let row = try await loanRow(app, f, loan)
        let claim = try await LoanDepositClaims.file(row, by: try f.users[0].requireID(), reason: .damaged, note: "Mandrin cassé",
                                                     coopSlug: f.coop.slug, on: app.db)
        return (f, loan, row, claim)
    }

    /// The deposit's pending transfer as the ledger stores it, whatever its status.
    func heldTransfer(_ loan: UUID, on db: any Database) async throws -> LedgerTransferRow? {
        try await LedgerQueries.transfers(on: db).where("idempotency_key", .equal, SQLBind(LoanDeposits.key(loan))).first(decoding: LedgerTransferRow.self)
    }

    func loanRow(_ app: Application, _ f: LendingFixture, _ loan: String) async throws -> LoanRow {
        try await LendingStore.loan(UUID(uuidString: loan), in: try f.coop.requireID(), on: app.db)
    }

    @Test func theDepositIsHeldAtHandoverAndReleasedAtReturn() async throws {
        try await withMaillage { app in
            let f = try await LendingFixture.make(app, members: 4)
            try await fund(app, f, 3, cents: 5_000)
            let loan = try await acceptedLoan(f)
            let owner = try await visitor(app, f.users[0])
            let page = "/c/\(f.coop.slug)/lending/loans/\(loan)"
            #expect(try await owner.get(page).body.string.contains("sera retenue sur"), "before the handover")
            try await handOver(f, loan)
            let held = try #require(try await heldTransfer(UUID(uuidString: loan)!, on: app.db))
            #expect(held.status == "open" && held.amount == 3_000 && held.expiresAt == nil && held.phase == "pending")
            var borrower = try await wallet(app, f, 3)
            #expect(borrower.posted == 5_000 && borrower.debitsPending == 3_000, "available credit drops to 20 €")
            let holding = try await AccountBook.open(.deposits, cooperative: try f.coop.requireID(), on: app.db)
            #expect(holding.creditsPending == 3_000 && holding.posted == 0)
            // The ledger's expiry job leaves a deposit alone, however late it runs.
            #expect(try await LedgerStore.expireDue(now: Date().addingTimeInterval(400 * 86_400), on: app.db) == 0)
            #expect(try await owner.get(page).body.string.contains("retenue sur"))
            #expect(try await f.clients[3].send(.GET, "\(f.base)/loans/\(loan)").json["deposit"] as? String == "held")
            try await giveBack(f, loan)
            #expect(try await heldTransfer(UUID(uuidString: loan)!, on: app.db)?.status == "voided")
            borrower = try await wallet(app, f, 3)
            #expect(borrower.posted == 5_000 && borrower.debitsPending == 0, "the whole credit is free again")
            let shown = try await owner.get(page).body.string
            #expect(shown.contains("rendue à") && shown.contains("30,00"), "the loan page says it was released")
            #expect(try await f.clients[3].send(.GET, "\(f.base)/loans/\(loan)").json["deposit"] as? String == "released")
        }
    }

    /// A held deposit is settled only by the loan's own rules (its return, a claim decision):
    /// the borrower cannot void it, nor post part of it, through the generic transfer API, though
    /// they see the transfer and may debit the wallet it reserves.
    @Test func theBorrowerCannotReleaseTheirOwnDepositThroughTheTransferAPI() async throws {
        try await withMaillage { app in
            let f = try await LendingFixture.make(app, members: 4)
            try await fund(app, f, 3, cents: 5_000)
            let loan = try await acceptedLoan(f)
            try await handOver(f, loan)
            let held = try #require(try await heldTransfer(UUID(uuidString: loan)!, on: app.db))
            let transfers = "/api/v1/cooperatives/\(f.coop.slug)/transfers/\(held.id)"
            let voided = try await f.clients[3].send(.POST, transfers + "/void", headers: ["Idempotency-Key": "void-my-deposit"])
            #expect(voided.status == .conflict, "\(voided.status) \(voided.body.string)")
            #expect(voided.errorCode == "held_for_purpose")
            let posted = try await f.clients[3].send(.POST, transfers + "/post", json: #"{"amount": 1}"#, headers: ["Idempotency-Key": "post-my-deposit"])
            #expect(posted.status == .conflict, "\(posted.status) \(posted.body.string)")
            #expect(try await heldTransfer(UUID(uuidString: loan)!, on: app.db)?.status == "open", "the deposit is still held")
            let borrower = try await wallet(app, f, 3)
            #expect(borrower.posted == 5_000 && borrower.debitsPending == 3_000)
            // The loan's own rule still releases it.
            try await giveBack(f, loan)
            #expect(try await heldTransfer(UUID(uuidString: loan)!, on: app.db)?.status == "voided")
        }
    }

    @Test func shortCreditRefusesTheHandoverAndWritesNothing() async throws {
        try await withMaillage { app in
            let f = try await LendingFixture.make(app, members: 4)
            try await fund(app, f, 3, cents: 1_000)
            let loan = try await acceptedLoan(f)
            #expect(try await f.clients[0].send(.POST, "\(f.base)/loans/\(loan)/handover").status == .ok)
            let refused = try await f.clients[3].send(.POST, "\(f.base)/loans/\(loan)/handover")
            #expect(refused.status == .conflict && refused.errorCode == "insufficient_credit", "\(refused.body.string)")
            #expect(refused.body.string.contains("10,00") || refused.body.string.contains("10.00"), "says what is available")
            let row = try await loanRow(app, f, loan)
            #expect(row.status == "accepted" && row.handoverBorrowerAt == nil && row.handoverOwnerAt != nil)
            #expect(try await heldTransfer(UUID(uuidString: loan)!, on: app.db) == nil)
            let borrower = try await wallet(app, f, 3)
            #expect(borrower.posted == 1_000 && borrower.debitsPending == 0)
            struct Kind: Decodable { var kind: String }
            let kinds = try await app.db.sql.select().column("kind").from("loan_events").where("loan_id", .equal, SQLBind(UUID(uuidString: loan)!))
                .all(decoding: Kind.self).map(\.kind)
            #expect(kinds.sorted() == ["accepted", "handover_confirmed", "requested"], "no event for the refused confirmation")
            // The web form says why, in French.
            let web = try await visitor(app, f.users[3])
            let page = "/c/\(f.coop.slug)/lending/loans/\(loan)"
            try await web.get(page)
            let answer = try await web.post(page + "/handover", [])
            #expect(answer.status == .conflict && answer.body.string.contains("ne suffit pas pour la caution"))
        }
    }

    @Test func withoutMemberCreditTheDepositStaysOnPaper() async throws {
        try await withMaillage { app in
            let f = try await LendingFixture.make(app, members: 4)
            let loan = try await acceptedLoan(f)
            try await handOver(f, loan)
            #expect(try await heldTransfer(UUID(uuidString: loan)!, on: app.db) == nil)
            let owner = try await visitor(app, f.users[0])
            #expect(try await owner.get("/c/\(f.coop.slug)/lending/loans/\(loan)").body.string.contains("en main propre"))
        }
    }

    @Test func twentyConcurrentUpholdsPayTheOwnerExactlyOnce() async throws {
        try await withMaillage { app in
            let (f, loan, row, claim) = try await claimedLoan(app)
            let coopID = try f.coop.requireID(), staff = try f.users[1].requireID(), slug = f.coop.slug
            let db = app.db
            let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        do {
                            _ = try await LoanDepositClaims.settle(claim.id, uphold: true, by: staff, coop: coopID, coopSlug: slug, on: db)
                            return "ok"
                        } catch let error as DomainError { return error.code }
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == "ok" }.count == 1, "\(outcomes)")
            #expect(outcomes.filter { $0 == "deposit_claim_settled" }.count == 19, "\(outcomes)")
            struct Count: Decodable { var n: Int64 }
            let paid = try await app.db.sql.raw("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM ledger_transfers WHERE idempotency_key LIKE \(bind: LoanDeposits.key(row.id) + ":%")")
                .first(decoding: Count.self)?.n
            #expect(paid == 2, "one posting of the hold and one payout")
            #expect(try await wallet(app, f, 0).posted == 3_000, "the owner is paid the deposit once")
            let borrower = try await wallet(app, f, 3)
            #expect(borrower.posted == 2_000 && borrower.debitsPending == 0)
            let holding = try await AccountBook.open(.deposits, cooperative: coopID, on: app.db)
            #expect(holding.posted == 0 && holding.creditsPending == 0, "the deposits account passes the money on")
            // The return afterwards moves nothing more; the page says the deposit was kept.
            try await giveBack(f, loan)
            #expect(try await wallet(app, f, 3).posted == 2_000)
            let owner = try await visitor(app, f.users[0])
            #expect(try await owner.get("/c/\(slug)/lending/loans/\(loan)").body.string.contains("versée au"))
            #expect(try await f.clients[0].send(.GET, "\(f.base)/loans/\(loan)").json["deposit"] as? String == "kept")
        }
    }

    /// Nobody decides a dispute they are in: the board member who owns the item and filed the
    /// claim, and the borrower, are refused; a staff member who is not a party decides.
    @Test func aPartyToTheLoanCannotSettleItsDepositClaim() async throws {
        try await withMaillage { app in
            let (f, loan, row, claim) = try await claimedLoan(app)
            let coopID = try f.coop.requireID(), slug = f.coop.slug
            for party in [0, 3] {
                do {
                    _ = try await LoanDepositClaims.settle(claim.id, uphold: true, by: try f.users[party].requireID(), coop: coopID, coopSlug: slug, on: app.db)
                    Issue.record("member \(party), a party to the loan, settled the claim")
                } catch let error as DomainError {
                    #expect(error.code == "party_to_claim", "\(error.code)")
                }
            }
            #expect(try await heldTransfer(UUID(uuidString: loan)!, on: app.db)?.status == "open", "still held")
            #expect(try await wallet(app, f, 0).posted == 0, "the owner paid nothing to themself")
            // Over the page too: the owner, a board member, sees no way to rule on their own claim.
            let owner = try await visitor(app, f.users[0])
            try await owner.get("/c/\(slug)/lending/loans/\(loan)")
            let own = try await owner.post("/c/\(slug)/lending/deposit-claims/\(claim.id)/uphold", [])
            #expect(own.status == .forbidden, "\(own.status)")
            _ = try await LoanDepositClaims.settle(claim.id, uphold: true, by: try f.users[1].requireID(), coop: coopID, coopSlug: slug, on: app.db)
            #expect(try await wallet(app, f, 0).posted == 3_000, "staff who are not a party decide")
        }
    }

    @Test func aClaimKeepsTheDepositPastTheReturnUntilStaffRejectIt() async throws {
        try await withMaillage { app in
            let f = try await LendingFixture.make(app, members: 4)
            try await fund(app, f, 3, cents: 5_000)
            let loan = try await acceptedLoan(f)
            try await handOver(f, loan)
            let page = "/c/\(f.coop.slug)/lending/loans/\(loan)"
            let owner = try await visitor(app, f.users[0])
            #expect(try await owner.get(page).body.string.contains("Demander la caution"))
            let filed = try await owner.post(page + "/deposit-claim", [("reason", "damaged"), ("note", "Mandrin cassé")])
            #expect(filed.status == .seeOther, "\(filed.body.string)")
            let again = try await owner.post(page + "/deposit-claim", [("reason", "not_returned"), ("note", "")])
            #expect(again.status == .conflict && again.body.string.contains("existe déjà"))
            try await giveBack(f, loan)
            #expect(try await heldTransfer(UUID(uuidString: loan)!, on: app.db)?.status == "open", "held while the claim waits")
            let claim = try #require(try await LoanDepositClaims.claim(of: UUID(uuidString: loan)!, on: app.db))
            // A member cannot decide; staff see the claim and reject it.
            let borrower = try await visitor(app, f.users[3])
            try await borrower.get(page)
            let forbidden = try await borrower.post("/c/\(f.coop.slug)/lending/deposit-claims/\(claim.id)/uphold", [])
            #expect(forbidden.status == .forbidden || forbidden.status == .notFound, "\(forbidden.status)")
            let staff = try await visitor(app, f.users[1])
            #expect(try await staff.get("/c/\(f.coop.slug)/lending/staff").body.string.contains("Réclamations de caution (1)"))
            #expect(try await staff.get(page).body.string.contains("Refuser : rendre la caution"))
            let rejected = try await staff.post("/c/\(f.coop.slug)/lending/deposit-claims/\(claim.id)/reject", [])
            #expect(rejected.status == .seeOther, "\(rejected.body.string)")
            #expect(try await heldTransfer(UUID(uuidString: loan)!, on: app.db)?.status == "voided")
            let after = try await wallet(app, f, 3)
            #expect(after.posted == 5_000 && after.debitsPending == 0)
            #expect(try await wallet(app, f, 0).posted == 0)
            let twice = try await staff.post("/c/\(f.coop.slug)/lending/deposit-claims/\(claim.id)/uphold", [])
            #expect(twice.status == .conflict)
            #expect(try await wallet(app, f, 0).posted == 0, "a settled claim is never settled again")
        }
    }
}
