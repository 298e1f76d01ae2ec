import Foundation
import MaillageCore
import Testing

/// The batch path against the full ledger: after a random history (pending, settled, reversed,
/// closed accounts), both are given the same random transfers — near limits, near overflow,
/// mixing units, reusing keys — and must accept and refuse the same ones, with the same words,
/// and end with the same balances, each audited clean.
@Suite struct PostingBookTests {
    /// A transfer like `fresh`, with a key only the book's era can have used: the book knows the
    /// keys of its own journal, the ledger all of them.
    static func rekeyed(_ transfer: Transfer, _ key: String?) -> Transfer {
        Transfer(id: transfer.id, debit: transfer.debit, credit: transfer.credit, amount: transfer.amount, memo: transfer.memo,
                 idempotencyKey: key, time: transfer.time, phase: transfer.phase, reverses: transfer.reverses)
    }

    @Test(arguments: LedgerPropertyTests.seeds)
    func theBookAcceptsAndRefusesWhatTheLedgerDoesWithTheSameWords(seed: UInt64) throws {
        // setup: a ledger with a history, and a book over its accounts as they stand
        var run = try LedgerPropertyTests.Run(seed: seed)
        for _ in 0..<200 { try? run.step() }
        var book = PostingBook(accounts: run.ledger.accounts.values)
        var used: [String] = []
        var accepted = 0, refused = 0

        for n in 0..<400 {
            // act: the same transfer to both
            var key: String? = nil
            if Int.random(in: 0..<3, using: &run.random) == 0 {
                key = used.isEmpty || Bool.random(using: &run.random) ? "book-\(n)" : used.randomElement(using: &run.random)
            }
            let transfer = Self.rekeyed(run.fresh(), key)
            let outcome = book.post(transfer)
            do throws(DomainError) {
                let posted = try run.ledger.post(transfer)
                if posted.id == transfer.id {
                    // check: accepted by both
                    #expect(outcome == nil, "seed \(seed): the ledger posted what the book refused: \(String(describing: outcome))")
                    accepted += 1
                    if let key { used.append(key) }
                } else {
                    // A retry of an earlier key: the ledger answers with the first transfer; the
                    // book, which keeps no answers, refuses the key (the database answers in the app).
                    #expect(outcome == .idempotencyKeyReused(key ?? ""), "seed \(seed): \(String(describing: outcome))")
                }
            } catch {
                // check: refused by both, in the same words
                #expect(outcome?.error == error, "seed \(seed): ledger refused \(error.code), book said \(String(describing: outcome))")
                refused += 1
            }
        }
        for id in run.ids { #expect(book.account(id)?.balance == run.ledger.accounts[id]?.balance, "seed \(seed)") }
        #expect(book.audit().isEmpty, "seed \(seed): \(book.audit())")
        #expect(run.ledger.audit().isEmpty)
        #expect(accepted > 50 && refused > 20, "seed \(seed): \(accepted) accepted, \(refused) refused — too few to prove much")
    }

    @Test(arguments: LedgerPropertyTests.seeds)
    func aGroupPostsAllOrNoneLikeTheLedgersBatch(seed: UInt64) throws {
        var run = try LedgerPropertyTests.Run(seed: seed)
        for _ in 0..<100 { try? run.step() }
        var book = PostingBook(accounts: run.ledger.accounts.values)
        for _ in 0..<200 {
            let group = (0..<Int.random(in: 1...4, using: &run.random)).map { _ in Self.rekeyed(run.fresh(), nil) }
            let before = book.accounts
            let journal = book.journal.count
            let outcome = book.post(all: group)
            do throws(DomainError) {
                try run.ledger.post(group)
                #expect(outcome == nil, "seed \(seed): \(String(describing: outcome))")
            } catch {
                #expect(outcome.map { "transfers[\($0.index)]" } == error.field, "seed \(seed): refused at another place")
                #expect(outcome?.refusal.error.code == error.code, "seed \(seed)")
                // check: a refused group leaves no trace
                #expect(book.accounts == before && book.journal.count == journal, "seed \(seed): a refused group changed the book")
            }
        }
        for id in run.ids { #expect(book.account(id)?.balance == run.ledger.accounts[id]?.balance, "seed \(seed)") }
        #expect(book.audit().isEmpty, "seed \(seed): \(book.audit())")
    }

    @Test(arguments: LedgerPropertyTests.seeds)
    func aBatchByAccountIndexDecidesAsPostingByIdOneByOne(seed: UInt64) throws {
        var run = try LedgerPropertyTests.Run(seed: seed)
        for _ in 0..<200 { try? run.step() }
        var byID = PostingBook(accounts: run.ledger.accounts.values)
        var batched = byID
        var entries: [PostingBook.Entry] = [], expected: [(index: Int, refusal: PostingBook.Refusal)] = []
        while entries.count < 400 {
            let transfer = Self.rekeyed(run.fresh(), nil)
            // An entry carries no time: a reservation expiring before it is made is a transfer's refusal only.
            if case .pending(let expiresAt?) = transfer.phase, expiresAt <= transfer.time { continue }
            let entry = PostingBook.Entry(debit: try #require(batched.index(of: transfer.debit)),
                                          credit: try #require(batched.index(of: transfer.credit)),
                                          amount: transfer.amount, pending: transfer.isPending)
            if let refusal = byID.post(transfer) { expected.append((entries.count, refusal)) }
            entries.append(entry)
        }

        // act: the whole batch at once, by index
        let refused = batched.post(each: entries)

        // check: the same refusals, in the same words, and the same books
        #expect(refused.map(\.index) == expected.map(\.index), "seed \(seed)")
        #expect(refused.map(\.refusal.error) == expected.map(\.refusal.error), "seed \(seed)")
        #expect(batched.accounts == byID.accounts && batched.journal == byID.journal, "seed \(seed)")
        #expect(batched.audit().isEmpty, "seed \(seed): \(batched.audit())")
        #expect(refused.count > 20 && refused.count < 380, "seed \(seed): \(refused.count) refused — too few or too many to prove much")
    }

    @Test func anEntryNamingNoAccountOrOneAccountTwiceIsRefused() {
        var book = PostingBook(accounts: [Account(owner: .system, unit: .eur, limits: .unbounded),
                                          Account(owner: .member(UUID()), unit: .eur)])
        #expect(book.post(PostingBook.Entry(debit: 0, credit: 2, amount: .euros(cents: 1)))?.error.code == "unknown_account")
        #expect(book.post(PostingBook.Entry(debit: -1, credit: 1, amount: .euros(cents: 1)))?.error.code == "unknown_account")
        #expect(book.post(PostingBook.Entry(debit: 1, credit: 1, amount: .euros(cents: 1)))?.error.code == "same_account")
        #expect(book.post(PostingBook.Entry(debit: 0, credit: 1, amount: .euros(cents: 0)))?.error.code == "amount_not_positive")
        #expect(book.post(PostingBook.Entry(debit: 1, credit: 0, amount: .euros(cents: 1)))?.error.code == "below_floor")
        #expect(book.post(PostingBook.Entry(debit: 0, credit: 1, amount: .euros(cents: 5))) == nil)
        #expect(book.journal.count == 1 && book.audit().isEmpty)
    }

    @Test func settlingOrReversingIsLeftToTheLedger() throws {
        let (a, b) = (AccountID(), AccountID())
        var ledger = Ledger()
        try ledger.open(Account(id: a, owner: .system, unit: .eur, limits: .unbounded))
        try ledger.open(Account(id: b, owner: .member(UUID()), unit: .eur))
        let pending = Transfer(debit: a, credit: b, amount: .euros(cents: 500), time: LedgerWorld.at(1), phase: .pending(expiresAt: nil))
        try ledger.post(pending)
        var book = PostingBook(accounts: ledger.accounts.values)
        #expect(book.post(.posting(pending, time: LedgerWorld.at(2))) == .needsJournal)
        #expect(book.post(.voiding(pending, time: LedgerWorld.at(2))) == .needsJournal)
        for id in [a, b] { #expect(book.account(id)?.balance == ledger.accounts[id]?.balance) }
    }
}
