import Fluent
import Foundation
import MaillageCore
import SQLKit

/// Writes a group of postings the short way (the ledger aims at 5 000 transfers a second on SQLite; `maillage ledger-benchmark` measures it):
/// the group's accounts are read once, the core `PostingBook` decides every posting in memory —
/// the same rules, each posting all or none and with its own outcome — and the accepted ones are
/// written with one multi-row INSERT and one UPDATE of every account touched: four statements a
/// group (two reads, two writes) instead of five a posting, and no savepoint.
///
/// Deciding in Swift is safe here because the database still has the last word: the UPDATE sets
/// an account's new figures only `WHERE` its row still holds the figures the book started from, and the
/// CHECK constraints hold every limit. Should anything have moved meanwhile, the update changes no
/// row, the whole transaction rolls back and `PostingGroups` writes each member again alone, with
/// the conditional statements of `LedgerStore`.
enum GroupPosting {
    /// The row moved under the book: the group is written again, member by member.
    struct AccountMoved: Error {}

    /// Whether the book can decide a posting alone: immediate and pending transfers. Settling a
    /// pending transfer or reversing one reads stored transfers: `LedgerStore` writes those.
    static func fits(_ postings: [Posting]) -> Bool {
        postings.allSatisfy { posting in
            guard posting.transfer.reverses == nil else { return false }
            switch posting.transfer.phase {
            case .immediate, .pending: return true
            case .posting, .voiding: return false
            }
        }
    }

    /// Decides and writes the group inside the caller's transaction; one result per member. A
    /// member whose id or key is already stored fails with `KeyClash`, which `LedgerStore.post`
    /// answers after the commit by reading what is stored (a retry gets its first result).
    static func write(_ group: [[Posting]], on db: any Database) async throws -> [Result<Void, any Error>] {
        let all = group.flatMap { $0 }
        let stored = try await storedKeys(of: all, on: db)
        let accountIDs = Array(Set(all.flatMap { [$0.transfer.debit.uuid, $0.transfer.credit.uuid] }))
        let rows = try await db.sql.select().column("*").from("ledger_accounts").where("id", .in, SQLBind.group(accountIDs))
            .all(decoding: LedgerAccountRow.self)
        let books = Dictionary(rows.map { ($0.id, $0.cooperativeID) }, uniquingKeysWith: { first, _ in first })
        var book = PostingBook(accounts: rows.map(\.account))

        var results: [Result<Void, any Error>] = [], accepted: [Posting] = []
        for postings in group {
            if postings.contains(where: { stored.ids.contains($0.transfer.id.uuid) || $0.transfer.idempotencyKey.map(stored.keys.contains) ?? false }) {
                results.append(.failure(LedgerStore.KeyClash()))
                continue
            }
            // Whose books: an account of another cooperative is unknown here, as `LedgerStore` says.
            if let (index, account) = foreignAccount(in: postings, books: books) {
                results.append(.failure(LedgerStore.numbered(.unknownAccount(account), index, of: postings.count)))
                continue
            }
            if let refused = book.post(all: postings.map(\.transfer)) {
                switch refused.refusal {
                case .duplicateTransfer, .idempotencyKeyReused:
                    // Two members of the group with one key or id: the first wins, the other replays it.
                    results.append(.failure(LedgerStore.KeyClash()))
                default:
                    results.append(.failure(LedgerStore.numbered(refused.refusal.error, refused.index, of: postings.count)))
                }
                continue
            }
            accepted += postings
            results.append(.success(()))
        }
        guard !accepted.isEmpty else { return results }

        // SQLite takes at most 32 766 bound values a statement: 19 a row, so a few hundred rows at once.
        for start in stride(from: 0, to: accepted.count, by: 500) {
            var insert = db.sql.insert(into: "ledger_transfers").columns(LedgerTransferRow.columns)
            for posting in accepted[start..<min(start + 500, accepted.count)] { insert = insert.values(LedgerStore.row(posting)) }
            try await insert.run()
        }
        let moved = rows.compactMap { row -> (UUID, now: Balance, then: Balance)? in
            guard let now = book.account(AccountID(row.id))?.balance, now != row.account.balance else { return nil }
            return (row.id, now, row.account.balance)
        }
        // One statement for every account touched (7 values each, well within SQLite's limit).
        for start in stride(from: 0, to: moved.count, by: 1_000) {
            let chunk = moved[start..<min(start + 1_000, moved.count)]
            let values = SQLList(chunk.map { account in
                SQLGroupExpression(SQLList([SQLBind(account.0), SQLBind(account.now.posted), SQLBind(account.now.debitsPending),
                                            SQLBind(account.now.creditsPending), SQLBind(account.then.posted),
                                            SQLBind(account.then.debitsPending), SQLBind(account.then.creditsPending)]))
            })
            let changed = try await db.sql.raw("""
                WITH moved(id, posted, debits_pending, credits_pending, was_posted, was_debits_pending, was_credits_pending)
                AS (VALUES \(values))
                UPDATE ledger_accounts SET posted = moved.posted, debits_pending = moved.debits_pending,
                credits_pending = moved.credits_pending FROM moved WHERE ledger_accounts.id = moved.id
                AND ledger_accounts.posted = moved.was_posted AND ledger_accounts.debits_pending = moved.was_debits_pending
                AND ledger_accounts.credits_pending = moved.was_credits_pending RETURNING ledger_accounts.id
                """).all()
            if changed.count != chunk.count { throw AccountMoved() }
        }
        return results
    }

    /// Ids and keys of the group already stored, in one read.
    private static func storedKeys(of postings: [Posting], on db: any Database) async throws -> (ids: Set<UUID>, keys: Set<String>) {
        struct Stored: Decodable { var id: UUID; var idempotency_key: String? }
        let keys = postings.compactMap(\.transfer.idempotencyKey)
        var query = db.sql.select().column("id").column("idempotency_key").from("ledger_transfers")
            .where("id", .in, SQLBind.group(postings.map(\.transfer.id.uuid)))
        if !keys.isEmpty { query = query.orWhere("idempotency_key", .in, SQLBind.group(keys)) }
        let found = try await query.all(decoding: Stored.self)
        return (Set(found.map(\.id)), Set(found.compactMap(\.idempotency_key)))
    }

    /// The first transfer naming an account outside the posting's cooperative, and that account.
    private static func foreignAccount(in postings: [Posting], books: [UUID: UUID]) -> (Int, AccountID)? {
        for (index, posting) in postings.enumerated() {
            for account in [posting.transfer.debit, posting.transfer.credit] {
                if let coop = books[account.uuid], coop != posting.cooperative { return (index, account) }
            }
        }
        return nil
    }
}
