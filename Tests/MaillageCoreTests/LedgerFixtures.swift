import Foundation
import MaillageCore

/// A ledger with a clock: times are minutes after 1 January 2026, 00:00 UTC.
struct LedgerWorld {
    var ledger = Ledger()
    static let start = Date(timeIntervalSince1970: 1_767_225_600)

    static func at(_ minutes: Int) -> Date { start.addingTimeInterval(Double(minutes) * 60) }

    /// Opens an account and returns its id.
    @discardableResult
    mutating func open(_ unit: UnitOfAccount = .eur, owner: AccountOwner = .member(UUID()),
                       floor: Int64? = 0, ceiling: Int64? = nil, id: AccountID = AccountID()) throws -> AccountID {
        try ledger.open(Account(id: id, owner: owner, unit: unit, limits: BalanceLimits(floor: floor, ceiling: ceiling)))
        return id
    }

    /// A system account to bring money in from, and a member funded with `cents` from it.
    mutating func funded(_ cents: Int64, unit: UnitOfAccount = .eur, floor: Int64? = 0,
                         ceiling: Int64? = nil) throws -> (bank: AccountID, member: AccountID) {
        let bank = try open(unit, owner: .system, floor: nil)
        let member = try open(unit, floor: floor, ceiling: ceiling)
        if cents > 0 { try ledger.post(Transfer(debit: bank, credit: member, amount: Amount(cents, unit), time: Self.at(0))) }
        return (bank, member)
    }

    func posted(_ id: AccountID) -> Int64 { ledger.accounts[id]!.balance.posted }
    func available(_ id: AccountID) -> Int64 { ledger.accounts[id]!.balance.available }
}

func eur(_ cents: Int64) -> Amount { .euros(cents: cents) }

/// The code of the error a throwing body raises, or nil when it succeeds.
func refusal<T>(_ body: () throws -> T) -> String? {
    do { _ = try body(); return nil } catch let error as DomainError { return error.code } catch { return "\(error)" }
}

/// A UUID that is the same on every run, for seeded tests.
func fixedUUID(_ n: UInt64) -> UUID {
    let b = withUnsafeBytes(of: n.bigEndian) { Array($0) }
    return UUID(uuid: (0, 0, 0, 0, 0, 0, 0x40, 0, 0x80, 0, 0, 0, b[4], b[5], b[6], b[7]))
}
