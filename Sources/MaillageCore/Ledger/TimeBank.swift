import Foundation

/// A time bank for neighbourhood services: one hour given is one hour received, whatever the
/// service, counted in minutes. The one who receives the service pays the time to the one who
/// gave it; an optional floor caps how far a member may be in debt of hours.
public struct TimeBank: Sendable, Hashable, Codable {
    public let id: UUID
    /// In `HOUR` (minutes), at most zero; nil lets a balance go as low as members trust it to.
    public let floor: Amount?

    public init(id: UUID = UUID(), floor: Amount? = nil) throws(DomainError) {
        if let floor {
            guard floor.unit == .hour else { throw .unitMismatch(.hour, floor.unit) }
            guard floor.minorUnits <= 0 else { throw .invalidLimits }
        }
        self.id = id
        self.floor = floor
    }

    public func memberAccount(id: AccountID = AccountID(), member: UUID) throws(DomainError) -> Account {
        Account(id: id, owner: .member(member), unit: .hour,
                limits: try BalanceLimits(floor: floor.map(\.minorUnits)))
    }

    /// `duration` of service given by `giver` to `receiver`.
    public func service(given giver: AccountID, to receiver: AccountID, duration: Amount, description: String,
                        time: Date, idempotencyKey: String? = nil) throws(DomainError) -> Transfer {
        guard duration.unit == .hour else { throw .unitMismatch(.hour, duration.unit) }
        guard duration.isPositive else { throw .amountNotPositive(duration) }
        return Transfer(debit: receiver, credit: giver, amount: duration, memo: description,
                        idempotencyKey: idempotencyKey, time: time)
    }
}
