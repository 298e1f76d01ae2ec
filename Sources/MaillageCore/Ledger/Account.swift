import Foundation

public struct AccountID: Sendable, Hashable, Codable, CustomStringConvertible {
    public let uuid: UUID
    public init(_ uuid: UUID = UUID()) { self.uuid = uuid }
    public var description: String { uuid.uuidString.lowercased() }
}

/// Who an account belongs to. `system` accounts stand for the world outside the ledger (the bank
/// and payment provider through which euros come in and go out), so money is never created
/// from nothing: a card payment debits the clearing account and credits the member.
public enum AccountOwner: Sendable, Hashable, Codable {
    case cooperative(UUID)
    case member(UUID)
    /// A barter network or time bank, which grants credit lines and earns commissions.
    case network(UUID)
    case system

    public var kind: String {
        switch self {
        case .cooperative: "cooperative"
        case .member: "member"
        case .network: "network"
        case .system: "system"
        }
    }
}

/// How low and how high an account's balance may go. A floor below zero is a credit line
/// (a barter member may owe up to its line); nil means no bound, for system accounts only in
/// practice. Balances start at zero, so a floor above zero or a ceiling below zero is refused.
public struct BalanceLimits: Sendable, Hashable, Codable {
    public let floor: Int64?
    public let ceiling: Int64?

    public init(floor: Int64?, ceiling: Int64? = nil) throws(DomainError) {
        guard floor.map({ $0 <= 0 }) ?? true, ceiling.map({ $0 >= 0 }) ?? true else {
            throw .invalidLimits
        }
        self.floor = floor
        self.ceiling = ceiling
    }

    private init(unchecked floor: Int64?, _ ceiling: Int64?) {
        self.floor = floor
        self.ceiling = ceiling
    }

    /// Limits read back from storage, whose constraints already hold them to the rule.
    public init(stored floor: Int64?, ceiling: Int64?) {
        self.init(unchecked: floor, ceiling)
    }

    /// The usual account: may not go below zero, no ceiling.
    public static let nonNegative = BalanceLimits(unchecked: 0, nil)
    /// A system (clearing) account, unbounded both ways.
    public static let unbounded = BalanceLimits(unchecked: nil, nil)

    /// A credit line of `line` below zero (e.g. 500 € of barter credit → floor −50 000).
    public static func creditLine(_ line: Amount, ceiling: Int64? = nil) throws(DomainError) -> BalanceLimits {
        guard line.minorUnits >= 0 else { throw .invalidLimits }
        return try BalanceLimits(floor: -line.minorUnits, ceiling: ceiling)
    }

    /// Whether a balance, counted at its worst with pending transfers, stays inside.
    public func admit(_ balance: Balance) -> Bool {
        (floor.map { balance.available >= $0 } ?? true) && (ceiling.map { balance.reachable <= $0 } ?? true)
    }
}

/// An account's figures. By the ledger's convention (TigerBeetle's), the debit account of a
/// transfer pays and the credit account receives; `posted` is credits minus debits.
public struct Balance: Sendable, Hashable, Codable {
    public internal(set) var posted: Int64 = 0
    /// Reserved by pending transfers leaving the account.
    public internal(set) var debitsPending: Int64 = 0
    /// Promised by pending transfers coming in.
    public internal(set) var creditsPending: Int64 = 0

    public init() {}

    /// Figures as a persisted ledger stores them.
    public init(posted: Int64, debitsPending: Int64, creditsPending: Int64) {
        self.posted = posted
        self.debitsPending = debitsPending
        self.creditsPending = creditsPending
    }

    /// What may still be spent: pending debits count as spent, pending credits not yet received.
    /// The ledger keeps `posted − debitsPending` and `posted + creditsPending` within 64 bits;
    /// figures read from elsewhere saturate rather than trap.
    public var available: Int64 {
        let (value, overflow) = posted.subtractingReportingOverflow(debitsPending)
        return overflow ? (debitsPending > 0 ? .min : .max) : value
    }

    /// The highest the balance may reach if every pending credit posts (checked against a ceiling).
    public var reachable: Int64 {
        let (value, overflow) = posted.addingReportingOverflow(creditsPending)
        return overflow ? (creditsPending > 0 ? .max : .min) : value
    }
}

public struct Account: Sendable, Hashable, Codable, Identifiable {
    public let id: AccountID
    public let owner: AccountOwner
    public let unit: UnitOfAccount
    public internal(set) var limits: BalanceLimits
    public internal(set) var balance = Balance()
    public internal(set) var closedAt: Date?

    public init(id: AccountID = AccountID(), owner: AccountOwner, unit: UnitOfAccount,
                limits: BalanceLimits = .nonNegative) {
        self.id = id
        self.owner = owner
        self.unit = unit
        self.limits = limits
    }

    /// An account as a persisted ledger read it back, figures and all.
    public init(id: AccountID, owner: AccountOwner, unit: UnitOfAccount, limits: BalanceLimits,
                balance: Balance, closedAt: Date?) {
        self.init(id: id, owner: owner, unit: unit, limits: limits)
        self.balance = balance
        self.closedAt = closedAt
    }

    public var isOpen: Bool { closedAt == nil }
    public var postedBalance: Amount { Amount(balance.posted, unit) }
    public var availableBalance: Amount { Amount(balance.available, unit) }

    /// What the holder may still spend ("disponible" on every page and answer): down to the floor,
    /// a credit line included; pending payments count as spent. Nil without a floor (no limit).
    public var spendable: Amount? { headroom }

    /// How much more the account can pay before reaching its floor; nil without a floor.
    public var headroom: Amount? {
        limits.floor.map { floor in
            let (room, overflow) = balance.available.subtractingReportingOverflow(floor)
            return Amount(overflow ? .max : room, unit)
        }
    }
}
