import Fluent
import Foundation
import MaillageCore
import SQLKit

/// The year-end allocation: figures read from the books, the proposal computed by the core under
/// the cooperative's legal form, put to the members' vote with a two-thirds majority, and booked
/// by a job once adopted — never before, never twice.
enum YearEnd {
    static let forOption = "Pour — adopter l’affectation"
    static let againstOption = "Contre"

    static let alreadyProposed = DomainError(.conflict, code: "allocation_already_proposed", field: "year",
        fr: "Une affectation de cet exercice est déjà au vote ou comptabilisée.",
        en: "An allocation of this year is already being voted on or booked.")
    static let noSurplus = DomainError(.invalid, code: "no_surplus", field: "year",
        fr: "Cet exercice n’a pas d’excédent à affecter.", en: "This year has no surplus to allocate.")

    /// The year it is in Paris, where the books are kept.
    static func currentYear(now: Date = Date()) -> Int { LocalZone.paris.localDate(at: now).year }

    /// The calendar year as a half-open range of instants, in Paris time (the books' time zone).
    static func period(_ year: Int) -> Range<Date> {
        guard let first = LocalDate(year: year, month: 1, day: 1), let next = LocalDate(year: year + 1, month: 1, day: 1) else {
            return Date.distantPast..<Date.distantFuture
        }
        return LocalZone.paris.start(of: first)..<LocalZone.paris.start(of: next)
    }

    /// The year's result: what the operating account received minus what it paid, year-end
    /// allocations left out. The allocation and the transparency page both read this one figure.
    static func result(_ coopID: UUID, year: Int, on db: any Database) async throws -> Int64 {
        let operating = try await AccountBook.open(.operating, cooperative: coopID, on: db)
        return try await LedgerQueries.net(of: operating.id, over: period(year), withoutAllocations: true, on: db)
    }

    /// The year's result (operating credits minus debits, allocations left out) and each
    /// member's paid-up capital and purchases through the cooperative (patronage).
    static func figures(_ coop: Cooperative, year: Int, subsidies: Amount = .zero(.eur), on db: any Database) async throws -> YearResult {
        let coopID = try coop.requireID()
        let range = period(year)
        let result = try await result(coopID, year: year, on: db)
        struct Purchase: Decodable { var user_id: UUID; var total: Int64 }
        // What each member paid the cooperative from their credit, net of every reversal (a
        // cancelled order gives its payment back): a reversal counts in the year of what it
        // reverses, so an order and its cancellation always cancel out.
        let purchases = try await db.sql.raw("""
            SELECT user_id, CAST(SUM(amount) AS BIGINT) AS total FROM (
                SELECT a.user_id AS user_id, t.amount AS amount FROM ledger_transfers t JOIN ledger_accounts a ON a.id = t.debit_id
                WHERE t.cooperative_id = \(bind: coopID) AND a.purpose = 'wallet' AND t.category IN ('sale', 'fee', 'delivery')
                AND t.phase IN ('immediate', 'posting') AND t.reverses IS NULL
                AND t.time >= \(bind: range.lowerBound) AND t.time < \(bind: range.upperBound)
                UNION ALL
                SELECT a.user_id AS user_id, -r.amount AS amount FROM ledger_transfers r
                JOIN ledger_transfers o ON o.id = r.reverses JOIN ledger_accounts a ON a.id = r.credit_id
                WHERE r.cooperative_id = \(bind: coopID) AND a.purpose = 'wallet' AND o.category IN ('sale', 'fee', 'delivery')
                AND o.debit_id = r.credit_id AND o.time >= \(bind: range.lowerBound) AND o.time < \(bind: range.upperBound)
            ) moves GROUP BY user_id
            """).all(decoding: Purchase.self)
        let patronage = Dictionary(purchases.map { ($0.user_id, $0.total) }, uniquingKeysWith: +)
        let members = try await Cooperatives.members(of: coop, status: .active, on: db).map { membership in
            MemberFigures(member: membership.$user.id,
                          paidUpCapital: .euros(cents: Int64(membership.shares) * coop.shareNominalCents),
                          patronage: patronage[membership.$user.id] ?? 0)
        }
        return YearResult(year: year, result: .euros(cents: result), members: members, publicSubsidies: subsidies)
    }

    /// Computes the allocation and opens the vote on it; returns the vote.
    static func propose(_ coop: Cooperative, year: Int, terms: AllocationTerms, subsidies: Amount, closesAt: Date,
                        by board: User, on db: any Database, now: Date = Date(), opensAt: Date? = nil) async throws -> Proposal {
        try await Cooperatives.require(.board, board, in: coop, on: db)
        let coopID = try coop.requireID()
        let figures = try await figures(coop, year: year, subsidies: subsidies, on: db)
        let allocation = try SurplusAllocation.propose(for: figures, legalForm: coop.form, terms: terms)
        guard !allocation.isDeficit else { throw noSurplus }
        let liveKey = "\(coopID.uuidString.lowercased()):\(year)"
        let body = allocation.motion(.fr) + "\n\n" + allocation.motion(.en)
            + "\n\n" + "Quorum : un quart des sociétaires ; majorité requise : deux tiers des suffrages exprimés. / Quorum: a quarter of the members; required majority: two thirds of the votes cast."
        // The board may set the vote to open later (with the general assembly, say); it is then
        // "scheduled" everywhere the allocation is shown.
        let opens = max(opensAt ?? now, now)
        try AllocationVote.checkDuration(opensAt: opens, closesAt: closesAt)
        let draft = ProposalDraft(title: "Affectation du résultat \(year) / Allocation of the \(year) result", body: body,
                                  method: .singleChoice, options: [forOption, againstOption], opensAt: opens, closesAt: closesAt,
                                  quorum: AllocationVote.rules.quorum.description, majority: AllocationVote.rules.majority)
        // Claim the year first (the unique live key settles two board members proposing at once),
        // then open the vote; if the vote cannot open, the claim is withdrawn.
        let allocationID = UUID()
        do {
            try await db.sql.insert(into: "allocations")
                .columns("id", "cooperative_id", "year", "proposal_id", "live_key", "content", "status", "created_at", "created_by", "booked_at")
                .values(SQLBind(allocationID), SQLBind(coopID), SQLBind(year), SQLBind(UUID?.none), SQLBind(liveKey),
                        SQLBind(String(decoding: try JSONEncoder().encode(allocation), as: UTF8.self)), SQLBind("voting"),
                        SQLBind(now), SQLBind(try board.requireID()), SQLBind(Date?.none))
                .run()
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw alreadyProposed
        }
        do {
            let proposal = try await Votes.create(draft, by: board, in: coop, floors: AllocationVote.floors, on: db, now: now, fixedTerms: true)
            try await db.sql.update("allocations").set("proposal_id", to: SQLBind(try proposal.requireID()))
                .where("id", .equal, SQLBind(allocationID)).run()
            return proposal
        } catch {
            try await db.sql.delete(from: "allocations").where("id", .equal, SQLBind(allocationID)).run()
            throw error
        }
    }

    struct Stored: Decodable, Sendable {
        var id: UUID
        var cooperative_id: UUID
        var year: Int
        var proposal_id: UUID?
        var content: String
        var status: String
        var booked_at: Date?
        var allocation: AllocationProposal? { try? JSONDecoder().decode(AllocationProposal.self, from: Data(content.utf8)) }
    }

    /// Newest year first, and within a year the latest proposal first.
    static func allocations(of coop: UUID, on db: any Database) async throws -> [Stored] {
        try await db.sql.select().columns("id", "cooperative_id", "year", "proposal_id", "content", "status", "booked_at")
            .from("allocations").where("cooperative_id", .equal, SQLBind(coop)).orderBy("year", .descending)
            .orderBy("created_at", .descending).all(decoding: Stored.self)
    }

    /// Whether a vote's outcome adopts the allocation: quorum, two thirds, and "for" alone ahead.
    static func adopts(_ outcome: TallyOutcome) -> Bool { outcome.adopted && outcome.winners == [forOption] }

    /// Where one proposed allocation stands, from its row and its vote: the one answer every
    /// page showing it reads (treasury, transparency).
    static func status(_ stored: Stored?, on db: any Database) async throws -> AllocationStatus {
        guard let stored else { return .none }
        var proposal: Proposal?
        if let id = stored.proposal_id { proposal = try await Proposal.find(id, on: db) }
        return AllocationStatus.decide(stored: stored.status, vote: proposal?.phase(), adopted: proposal?.outcome.map(adopts))
    }

    /// The year's allocation as it stands: the latest proposed for that year, or none.
    static func status(of coop: UUID, year: Int, on db: any Database) async throws -> AllocationStatus {
        try await status(try await allocations(of: coop, on: db).first { $0.year == year }, on: db)
    }

    /// The job: for each allocation whose vote was cancelled, free its year; whose vote has closed, book it if adopted (two thirds for the
    /// "for" option, quorum reached), or mark it rejected so another may be proposed.
    static func settleVotes(on db: any Database, now: Date = Date()) async throws {
        let voting = try await db.sql.select().columns("id", "cooperative_id", "year", "proposal_id", "content", "status", "booked_at")
            .from("allocations").where("status", .equal, SQLBind("voting")).all(decoding: Stored.self)
        for stored in voting {
            guard let proposalID = stored.proposal_id, let proposal = try await Proposal.find(proposalID, on: db) else { continue }
            if proposal.cancelledAt != nil {
                // The board cancelled its vote: nothing to book, and the year is free for another proposal.
                try await db.sql.update("allocations").set("status", to: SQLBind("cancelled")).set("live_key", to: SQLLiteral.null)
                    .where("id", .equal, SQLBind(stored.id)).where("status", .equal, SQLBind("voting")).run()
                continue
            }
            guard proposal.closedAt != nil, let outcome = proposal.outcome else { continue }
            if adopts(outcome), let allocation = stored.allocation {
                try await book(stored, allocation, on: db, now: now)
            } else {
                try await db.sql.update("allocations").set("status", to: SQLBind("rejected")).set("live_key", to: SQLLiteral.null)
                    .where("id", .equal, SQLBind(stored.id)).where("status", .equal, SQLBind("voting")).run()
            }
        }
    }

    /// Moves the surplus from the operating account to the reserves and members' prepaid credit,
    /// in one batch whose keys name the allocation: a second run books nothing more.
    static func book(_ stored: Stored, _ allocation: AllocationProposal, on db: any Database, now: Date) async throws {
        let coop = stored.cooperative_id
        let operating = AccountID(try await AccountBook.open(.operating, cooperative: coop, on: db).id)
        var accounts: [AllocationLine.Destination: AccountID] = [:]
        for line in allocation.lines {
            let purpose: AccountPurpose? = switch line.destination {
            case .legalReserve: .legalReserve
            case .statutoryReserve: .statutoryReserve
            case .patronageRefund, .interestOnShares: .wallet
            case .retained: nil
            }
            guard let purpose else { continue }
            accounts[line.destination] = AccountID(try await AccountBook.open(purpose, cooperative: coop, user: line.destination.member, on: db).id)
        }
        // An association keeps its surplus where it is: nothing to move.
        let keeps = allocation.lines.contains { $0.destination == .retained }
        let transfers = keeps ? [] : try allocation.transfers(from: operating, accountFor: { accounts[$0] }, time: now,
                                                              idempotencyPrefix: "allocation:\(stored.id.uuidString.lowercased())")
        try await LedgerStore.post(transfers.map { Posting(transfer: $0, cooperative: coop, category: .allocation, tag: String(allocation.year)) }, on: db)
        try await db.sql.update("allocations").set("status", to: SQLBind("booked")).set("booked_at", to: SQLBind(now))
            .where("id", .equal, SQLBind(stored.id)).where("status", .equal, SQLBind("voting")).run()
    }
}
