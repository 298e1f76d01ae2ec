import Foundation

/// A mutual-credit network of businesses, like France Barter: each member's `BARTER` account
/// may go below zero down to the credit line the network grants, so the network needs no money
/// of its own — every unit a seller holds is one a buyer owes, and the unit still sums to zero.
/// One unit is worth one euro. The network lives on a commission on each trade and a yearly fee.
public struct BarterNetwork: Sendable, Hashable, Codable {
    public enum CommissionPayer: String, Sendable, Hashable, Codable {
        /// Taken from what the seller receives, so the commission can never fail for lack of credit.
        case seller
        case buyer
    }

    public let id: UUID
    /// The network's own `BARTER` account, credited with commissions.
    public let commissionAccount: AccountID
    public let commissionBasisPoints: Int64
    public let commissionPayer: CommissionPayer
    /// Charged once a year, usually in euros.
    public let yearlyFee: Amount

    public init(id: UUID = UUID(), commissionAccount: AccountID, commissionBasisPoints: Int64 = 500,
                commissionPayer: CommissionPayer = .seller, yearlyFee: Amount) throws(DomainError) {
        guard (0...10_000).contains(commissionBasisPoints) else { throw .invalidRate(field: "commission") }
        guard !yearlyFee.isNegative else { throw .amountNegative(field: "yearlyFee") }
        self.id = id
        self.commissionAccount = commissionAccount
        self.commissionBasisPoints = commissionBasisPoints
        self.commissionPayer = commissionPayer
        self.yearlyFee = yearlyFee
    }

    /// The network's commission account, which only ever receives.
    public var networkAccount: Account {
        Account(id: commissionAccount, owner: .network(id), unit: .barter, limits: .nonNegative)
    }

    /// A business's account, with the credit line the network grants it (changed later with
    /// `Ledger.setLimits`, which refuses to cut a line still in use).
    public func memberAccount(id: AccountID = AccountID(), business: UUID, creditLine: Amount) throws(DomainError) -> Account {
        guard creditLine.unit == .barter else { throw .unitMismatch(.barter, creditLine.unit) }
        return Account(id: id, owner: .member(business), unit: .barter, limits: try .creditLine(creditLine))
    }

    /// The commission on a trade, rounded half up to the hundredth of a unit.
    public func commission(on amount: Amount) -> Amount {
        let rate = min(max(commissionBasisPoints, 0), 10_000)   // as decoded, unchecked
        return Amount(Apportionment.basisPoints(rate, of: max(0, amount.minorUnits), rounding: .halfUp), amount.unit)
    }

    /// The yearly membership fee of a business for `year`. Its idempotency key names the
    /// network, the payer and the year, so however often the job runs, a year is charged once.
    public func membershipFee(year: Int, from payer: AccountID, to revenue: AccountID, time: Date,
                              language: Language = .fr) throws(DomainError) -> Transfer {
        guard yearlyFee.isPositive else { throw .amountNotPositive(yearlyFee) }
        let memo = language == .fr ? "Cotisation annuelle \(year) au réseau de troc" : "Barter network membership fee \(year)"
        return Transfer(debit: payer, credit: revenue, amount: yearlyFee, memo: memo,
                        idempotencyKey: "barter:\(id.uuidString.lowercased()):fee:\(payer):\(year)", time: time)
    }
}

/// A seller's invoice in barter units to another business of the network. Nothing moves until
/// the buyer accepts; then the trade and the commission post together.
public struct BarterInvoice: Sendable, Hashable, Codable, Identifiable {
    public enum Status: Sendable, Hashable, Codable {
        case issued
        case accepted(at: Date)
        case declined(at: Date)
        case cancelled(at: Date)
    }

    public let id: UUID
    public let seller: AccountID
    public let buyer: AccountID
    public let amount: Amount
    public let description: String
    public let issuedAt: Date
    public private(set) var status: Status = .issued

    public init(id: UUID = UUID(), seller: AccountID, buyer: AccountID, amount: Amount,
                description: String, issuedAt: Date) throws(DomainError) {
        guard amount.unit == .barter else { throw .unitMismatch(.barter, amount.unit) }
        guard amount.isPositive else { throw .amountNotPositive(amount) }
        guard seller != buyer else { throw .sameAccount }
        self.id = id
        self.seller = seller
        self.buyer = buyer
        self.amount = amount
        self.description = description
        self.issuedAt = issuedAt
    }

    /// The buyer accepts: returns the transfers to post as one batch (`Ledger.post(_: [Transfer])`)
    /// and marks the invoice accepted. The app saves the invoice only if the batch posts; the
    /// keys ("invoice:<id>:trade", ":commission") make a retried acceptance pay once.
    public mutating func accept(at time: Date, in network: BarterNetwork) throws(DomainError) -> [Transfer] {
        guard status == .issued else { throw .invoiceNotOpen }
        let key = "invoice:\(id.uuidString.lowercased())"
        var transfers = [Transfer(debit: buyer, credit: seller, amount: amount, memo: description,
                                  idempotencyKey: "\(key):trade", time: time)]
        let commission = network.commission(on: amount)
        if commission.isPositive {
            let payer = network.commissionPayer == .seller ? seller : buyer
            transfers.append(Transfer(debit: payer, credit: network.commissionAccount, amount: commission,
                                      memo: "Commission · \(description)", idempotencyKey: "\(key):commission", time: time))
        }
        status = .accepted(at: time)
        return transfers
    }

    public mutating func decline(at time: Date) throws(DomainError) {
        guard status == .issued else { throw .invoiceNotOpen }
        status = .declined(at: time)
    }

    /// The seller withdraws an invoice not yet accepted.
    public mutating func cancel(at time: Date) throws(DomainError) {
        guard status == .issued else { throw .invoiceNotOpen }
        status = .cancelled(at: time)
    }
}

extension DomainError {
    public static let invoiceNotOpen = DomainError(
        .conflict, code: "invoice_not_open", field: "invoice",
        fr: "Cette facture a déjà été acceptée, refusée ou annulée.",
        en: "This invoice was already accepted, declined or cancelled.")
}
