import Fluent
import Foundation
import MaillageCore
import SQLKit

/// A transfer to persist, with what the books need beside the core `Transfer`.
struct Posting: Sendable {
    var transfer: Transfer
    /// Whose books: both accounts must belong to this cooperative.
    var cooperative: UUID
    var category: LedgerCategory
    var tag: String? = nil
    var createdBy: UUID? = nil
    /// A pending transfer written with a purpose is held for it; posting or voiding it must name
    /// the same purpose (`LedgerFacade` does, for the rule that owns the hold).
    var holdFor: String? = nil
}

/// The persisted ledger. Each rule of the core `Ledger` is a conditional SQL statement here (the
/// numbered steps of `LedgerStorageContract`); a statement that changes no row rolls the whole
/// batch back and a read says why, with the core's own words. Nothing is checked in Swift and then
/// written: the database decides, so concurrent requests can never cross a limit.
enum LedgerStore {
    /// Thrown inside the transaction when the unique keys refused a row: the batch is a retry
    /// (or a clash), settled after the rollback by reading what won.
    struct KeyClash: Error {}

    /// Posts transfers that belong together, all or none; returns them as stored (for a retry,
    /// the earlier ones). `grouped`: written with other postings in flight when the database has
    /// a group-commit queue (`PostingGroups`); false only to measure one transaction per posting.
    ///
    /// A retry is written like a first attempt: each posting's insert comes first, so a stored id
    /// or key refuses it before anything moves, and the answer is then read from what is stored.
    /// Retries are rare; not reading before every write keeps the common path to the write alone.
    @discardableResult
    static func post(_ postings: [Posting], on db: any Database, grouped: Bool = true) async throws -> [Transfer] {
        guard !postings.isEmpty else { return [] }
        for (index, posting) in postings.enumerated() {
            do { try posting.transfer.validateShape() } catch { throw numbered(error, index, of: postings.count) }
        }
        do {
            if grouped, !db.inTransaction, let groups = db.postingGroups {
                try await groups.commit(postings, on: db)
            } else {
                try await db.writeTransaction { db in try await applyAll(postings, on: db) }
            }
        } catch is KeyClash {
            for posting in postings {
                if let original = posting.transfer.reverses, let done = try await reversal(of: original, on: db),
                   done.id != posting.transfer.id.uuid, done.idempotencyKey == nil || done.idempotencyKey != posting.transfer.idempotencyKey {
                    throw DomainError.alreadyReversed(original)
                }
            }
            if let replayed = try await replay(postings, on: db) { return replayed }
            throw DomainError.duplicateTransfer(postings[0].transfer.id)
        }
        return postings.map(\.transfer)
    }

    /// Posts inside a transaction the caller holds (with its own conditional updates, such as
    /// claiming an invoice), so both commit or neither. No retry replay here: the caller's claim
    /// is what makes a second attempt fail.
    @discardableResult
    static func post(_ postings: [Posting], inTransaction db: any Database) async throws -> [Transfer] {
        for (index, posting) in postings.enumerated() {
            do { try posting.transfer.validateShape() } catch { throw numbered(error, index, of: postings.count) }
        }
        do {
            try await applyAll(postings, on: db)
        } catch is KeyClash {
            throw DomainError.duplicateTransfer(postings[0].transfer.id)
        }
        return postings.map(\.transfer)
    }

    /// Applies postings inside the caller's transaction; a refusal leaves that transaction to be
    /// rolled back (whole, or to the savepoint of a group member).
    static func applyAll(_ postings: [Posting], on db: any Database) async throws {
        if db.isPostgres { try await lockAccounts(postings, on: db) }
        for (index, posting) in postings.enumerated() {
            do { try await apply(posting, on: db) } catch let error as DomainError { throw numbered(error, index, of: postings.count) }
        }
    }

    @discardableResult
    static func post(_ posting: Posting, on db: any Database) async throws -> Transfer {
        try await post([posting], on: db)[0]
    }

    static func numbered(_ error: DomainError, _ index: Int, of count: Int) -> DomainError {
        guard count > 1 else { return error }
        return DomainError(error.kind, code: error.code, field: "transfers[\(index)]",
                           fr: "Opération n° \(index + 1) : \(error.message.fr)", en: "Transfer no. \(index + 1): \(error.message.en)")
    }

    // MARK: Idempotency

    /// The earlier transfers when every posting was already stored (same key or same id) and asks
    /// the same; nil when none was; a refusal when a key is reused for something else.
    private static func replay(_ postings: [Posting], on db: any Database) async throws -> [Transfer]? {
        let keys = postings.compactMap(\.transfer.idempotencyKey)
        let ids = postings.map(\.transfer.id.uuid)
        var query = LedgerQueries.transfers(on: db).where("id", .in, SQLBind.group(ids))
        if !keys.isEmpty { query = query.orWhere("idempotency_key", .in, SQLBind.group(keys)) }
        let rows = try await query.all(decoding: LedgerTransferRow.self)
        guard !rows.isEmpty else { return nil }
        var earlier: [Transfer] = []
        for posting in postings {
            let asked = posting.transfer
            let row = rows.first { row in asked.idempotencyKey.map { row.idempotencyKey == $0 } ?? false }
                ?? rows.first { $0.id == asked.id.uuid }
            guard let row else { return nil }
            let stored = row.transfer
            let same = stored.debit == asked.debit && stored.credit == asked.credit && stored.amount == asked.amount
                && stored.phase == asked.phase && stored.reverses == asked.reverses && row.cooperativeID == posting.cooperative
            guard same else {
                if let key = asked.idempotencyKey, row.idempotencyKey == key { throw DomainError.idempotencyKeyReused(key) }
                throw DomainError.duplicateTransfer(asked.id)
            }
            earlier.append(stored)
        }
        return earlier
    }

    // MARK: Applying one transfer (inside the transaction)

    /// PostgreSQL: lock every account of the batch in one order before anything else, so two
    /// transactions touching the same accounts wait for each other instead of deadlocking. Even a
    /// single transfer does: its insert, or its claim of a pending transfer, would otherwise hold a
    /// lock while it waits for an account a group of postings has locked (seen in the benchmark).
    /// NO KEY UPDATE is the lock an UPDATE takes: it leaves the inserts' foreign-key checks free.
    static func lockAccounts(_ postings: [Posting], on db: any Database) async throws {
        let ids = Set(postings.flatMap { [$0.transfer.debit.uuid, $0.transfer.credit.uuid] }).sorted { $0.uuidString < $1.uuidString }
        guard !ids.isEmpty else { return }
        try await db.sql.raw("SELECT id FROM ledger_accounts WHERE id IN \(SQLBind.group(ids)) ORDER BY id FOR NO KEY UPDATE").run()
    }

    private static func apply(_ posting: Posting, on db: any Database) async throws {
        let transfer = posting.transfer
        try await insert(posting, on: db)
        if let original = transfer.reverses { try await checkReversal(transfer, of: original, posting: posting, on: db) }
        let amount = transfer.amount.minorUnits
        switch transfer.phase {
        case .immediate:
            try await move(transfer, posting: posting, pending: false, on: db)
        case .pending:
            try await move(transfer, posting: posting, pending: true, on: db)
        case .posting(let pendingID), .voiding(let pendingID):
            let reserved = try await claim(pendingID, by: transfer, purpose: posting.holdFor, on: db)
            let moved: Int64 = if case .voiding = transfer.phase { 0 } else { amount }
            // Settling only lowers what was reserved: no limit can be crossed (contract step 4).
            for (account, isDebit) in ordered(transfer) {
                let side = isDebit ? "debits_pending" : "credits_pending"
                try await db.sql.raw("""
                    UPDATE ledger_accounts SET \(unsafeRaw: side) = \(unsafeRaw: side) - \(bind: reserved),
                    posted = posted \(unsafeRaw: isDebit ? "-" : "+") \(bind: moved) WHERE id = \(bind: account.uuid)
                    """).run()
            }
        }
    }

    /// A posting's row in `ledger_transfers`, in the order of `LedgerTransferRow.columns`.
    static func row(_ posting: Posting) -> [any SQLExpression] {
        let t = posting.transfer
        var expires: Date?
        if case .pending(let at) = t.phase { expires = at }
        return [SQLBind(t.id.uuid), SQLBind(posting.cooperative), SQLBind(t.debit.uuid), SQLBind(t.credit.uuid),
                SQLBind(t.amount.unit.code), SQLBind(t.amount.minorUnits), SQLBind(t.memo), SQLBind(posting.category.rawValue),
                SQLBind(posting.tag), SQLBind(t.idempotencyKey), SQLBind(t.time), SQLBind(t.phase.stored),
                SQLBind(t.phase.settles?.uuid), SQLBind(expires), SQLBind(t.reverses?.uuid),
                SQLBind(t.isPending ? "open" : nil), SQLBind(UUID?.none), SQLBind(posting.createdBy),
                SQLBind(t.isPending ? posting.holdFor : nil)]
    }

    private static func insert(_ posting: Posting, on db: any Database) async throws {
        do {
            try await db.sql.insert(into: "ledger_transfers").columns(LedgerTransferRow.columns).values(row(posting)).run()
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // PostgreSQL has aborted the transaction: say why only after the rollback.
            throw KeyClash()
        }
    }

    /// The two balance updates of an immediate or pending transfer, in ascending account order
    /// (contract steps 2 and 3).
    private static func move(_ transfer: Transfer, posting: Posting, pending: Bool, on db: any Database) async throws {
        let amount = transfer.amount.minorUnits
        for (account, isDebit) in ordered(transfer) {
            let sql: SQLQueryString
            switch (isDebit, pending) {
            case (true, false):
                sql = """
                    UPDATE ledger_accounts SET posted = posted - \(bind: amount) WHERE id = \(bind: account.uuid)
                    AND cooperative_id = \(bind: posting.cooperative) AND unit = \(bind: transfer.amount.unit.code) AND closed_at IS NULL
                    AND posted - debits_pending >= COALESCE(floor, \(bind: Int64.min)) + \(bind: amount)
                    """
            case (false, false):
                sql = """
                    UPDATE ledger_accounts SET posted = posted + \(bind: amount) WHERE id = \(bind: account.uuid)
                    AND cooperative_id = \(bind: posting.cooperative) AND unit = \(bind: transfer.amount.unit.code) AND closed_at IS NULL
                    AND posted + credits_pending <= COALESCE(ceiling, \(bind: Int64.max)) - \(bind: amount)
                    """
            case (true, true):
                sql = """
                    UPDATE ledger_accounts SET debits_pending = debits_pending + \(bind: amount) WHERE id = \(bind: account.uuid)
                    AND cooperative_id = \(bind: posting.cooperative) AND unit = \(bind: transfer.amount.unit.code) AND closed_at IS NULL
                    AND debits_pending <= \(bind: Int64.max) - \(bind: amount)
                    AND posted - debits_pending >= COALESCE(floor, \(bind: Int64.min)) + \(bind: amount)
                    """
            case (false, true):
                sql = """
                    UPDATE ledger_accounts SET credits_pending = credits_pending + \(bind: amount) WHERE id = \(bind: account.uuid)
                    AND cooperative_id = \(bind: posting.cooperative) AND unit = \(bind: transfer.amount.unit.code) AND closed_at IS NULL
                    AND credits_pending <= \(bind: Int64.max) - \(bind: amount)
                    AND posted + credits_pending <= COALESCE(ceiling, \(bind: Int64.max)) - \(bind: amount)
                    """
            }
            let changed = try await db.sql.raw(sql + " RETURNING id").all()
            if changed.isEmpty { throw try await refusal(transfer, account: account, isDebit: isDebit, posting: posting, on: db) }
        }
    }

    private static func ordered(_ transfer: Transfer) -> [(AccountID, Bool)] {
        let pair = [(transfer.debit, true), (transfer.credit, false)]
        return pair.sorted { $0.0.uuid.uuidString < $1.0.uuid.uuidString }
    }

    /// Why an account refused: the same error the core ledger gives.
    private static func refusal(_ transfer: Transfer, account: AccountID, isDebit: Bool, posting: Posting,
                                on db: any Database) async throws -> DomainError {
        guard let row = try await AccountBook.find(account.uuid, on: db), row.cooperativeID == posting.cooperative else {
            return .unknownAccount(account)
        }
        if row.closedAt != nil { return .accountClosed(account) }
        if row.unitOfAccount != transfer.amount.unit { return .unitMismatch(row.unitOfAccount, transfer.amount.unit) }
        let current = row.account
        if isDebit, let floor = row.floor {
            return .belowFloor(account, floor: Amount(floor, row.unitOfAccount), available: current.availableBalance, asked: transfer.amount)
        }
        if !isDebit, let ceiling = row.ceiling { return .aboveCeiling(account, ceiling: Amount(ceiling, row.unitOfAccount)) }
        return .amountOverflow
    }

    // MARK: Settling and correcting

    /// Claims an open pending transfer for its posting or voiding (contract steps 4 and 5);
    /// returns the amount it reserved.
    private static func claim(_ pendingID: TransferID, by transfer: Transfer, purpose: String?, on db: any Database) async throws -> Int64 {
        let isVoid: Bool = if case .voiding = transfer.phase { true } else { false }
        let status = isVoid ? "voided" : "posted"
        var sql: SQLQueryString = """
            UPDATE ledger_transfers SET status = \(bind: status), settled_by = \(bind: transfer.id.uuid)
            WHERE id = \(bind: pendingID.uuid) AND status = 'open' AND debit_id = \(bind: transfer.debit.uuid)
            AND credit_id = \(bind: transfer.credit.uuid) AND COALESCE(hold_for, '') = \(bind: purpose ?? "")
            """
        if isVoid {
            sql = sql + " AND amount = \(bind: transfer.amount.minorUnits)"
        } else {
            sql = sql + " AND amount >= \(bind: transfer.amount.minorUnits) AND (expires_at IS NULL OR expires_at > \(bind: transfer.time))"
        }
        struct Claimed: Decodable { var amount: Int64 }
        if let claimed = try await db.sql.raw(sql + " RETURNING amount").first(decoding: Claimed.self) { return claimed.amount }
        // Why not: read the pending transfer as it stands.
        let row = try await LedgerQueries.transfer(pendingID.uuid, on: db)
        guard let row, row.phase == "pending" else { throw DomainError.unknownPending(pendingID) }
        guard row.status == "open" else { throw DomainError.pendingSettled(pendingID) }
        guard row.holdFor == purpose else { throw DomainError.heldForPurpose }
        guard row.debitID == transfer.debit.uuid, row.creditID == transfer.credit.uuid else { throw DomainError.settlementMismatch }
        if isVoid { throw DomainError.settlementMismatch }
        if transfer.amount.minorUnits > row.amount { throw DomainError.postExceedsReserved(Amount(row.amount, transfer.amount.unit)) }
        throw DomainError.pendingExpired(pendingID)
    }

    private static func checkReversal(_ transfer: Transfer, of original: TransferID, posting: Posting, on db: any Database) async throws {
        guard case .immediate = transfer.phase,
              let row = try await LedgerQueries.transfer(original.uuid, on: db),
              row.cooperativeID == posting.cooperative, row.transfer.movesPostedBalance
        else { throw DomainError.cannotReverse }
        guard row.creditID == transfer.debit.uuid, row.debitID == transfer.credit.uuid, row.amount == transfer.amount.minorUnits
        else { throw DomainError.reversalMismatch }
    }

    static func reversal(of original: TransferID, on db: any Database) async throws -> LedgerTransferRow? {
        try await LedgerQueries.transfers(on: db).where("reverses", .equal, SQLBind(original.uuid)).first(decoding: LedgerTransferRow.self)
    }

    // MARK: Expiry, limits

    /// Releases pending transfers past their expiry (contract step 6), each in its own
    /// transaction; returns how many. Run by a job, so an abandoned checkout frees its money.
    @discardableResult
    static func expireDue(now: Date = Date(), on db: any Database) async throws -> Int {
        struct Due: Decodable { var id: UUID }
        // 'open' written out, not bound, so both planners see the partial index `ledger_transfers_open` fits.
        let due = try await db.sql.select().column("id").from("ledger_transfers").where(SQLRaw("status = 'open'"))
            .where("expires_at", .lessThanOrEqual, SQLBind(now)).limit(1000).all(decoding: Due.self)
        var released = 0
        for item in due {
            let done = try await db.writeTransaction { db -> Bool in
                struct Claimed: Decodable { var debit_id: UUID; var credit_id: UUID; var amount: Int64 }
                guard let claimed = try await db.sql.raw("""
                    UPDATE ledger_transfers SET status = 'expired' WHERE id = \(bind: item.id) AND status = 'open'
                    AND expires_at <= \(bind: now) RETURNING debit_id, credit_id, amount
                    """).first(decoding: Claimed.self) else { return false }
                for (account, side) in [(claimed.debit_id, "debits_pending"), (claimed.credit_id, "credits_pending")]
                    .sorted(by: { $0.0.uuidString < $1.0.uuidString }) {
                    try await db.sql.raw("UPDATE ledger_accounts SET \(unsafeRaw: side) = \(unsafeRaw: side) - \(bind: claimed.amount) WHERE id = \(bind: account)").run()
                }
                return true
            }
            if done { released += 1 }
        }
        return released
    }

    /// New floor and ceiling of a credit-line account, refused when the balance counted at its
    /// worst falls outside (contract step 8): a credit line is cut only once it is no longer
    /// used. Every change is kept in `ledger_limit_changes`, with who made it.
    static func setLimits(_ limits: BalanceLimits, for account: UUID, cooperative: UUID, by user: UUID, on db: any Database) async throws {
        struct Before: Decodable { var floor: Int64?; var ceiling: Int64? }
        let changed = try await db.writeTransaction { db -> Bool in
            let before = try await db.sql.select().columns("floor", "ceiling").from("ledger_accounts").where("id", .equal, SQLBind(account))
                .first(decoding: Before.self)
            var sql: SQLQueryString = """
                UPDATE ledger_accounts SET floor = \(bind: limits.floor), ceiling = \(bind: limits.ceiling)
                WHERE id = \(bind: account) AND cooperative_id = \(bind: cooperative)
                AND purpose IN (\(binds: AccountPurpose.allCases.filter(\.isCreditLine).map(\.rawValue)))
                """
            if let floor = limits.floor { sql = sql + " AND posted - debits_pending >= \(bind: floor)" }
            if let ceiling = limits.ceiling { sql = sql + " AND posted + credits_pending <= \(bind: ceiling)" }
            guard try await !db.sql.raw(sql + " RETURNING id").all().isEmpty else { return false }
            try await db.sql.insert(into: "ledger_limit_changes")
                .columns("id", "cooperative_id", "account_id", "floor_before", "floor_after", "ceiling_before", "ceiling_after", "changed_by", "changed_at")
                .values(SQLBind(UUID()), SQLBind(cooperative), SQLBind(account), SQLBind(before?.floor), SQLBind(limits.floor),
                        SQLBind(before?.ceiling), SQLBind(limits.ceiling), SQLBind(user), SQLBind(Date()))
                .run()
            return true
        }
        guard !changed else { return }
        guard let row = try await AccountBook.find(account, on: db), row.cooperativeID == cooperative else {
            throw DomainError.unknownAccount(AccountID(account))
        }
        guard row.accountPurpose?.isCreditLine == true else { throw DomainError.notACreditLine }
        throw DomainError.limitsExcludeBalance(AccountID(account), balance: row.account.availableBalance)
    }
}
