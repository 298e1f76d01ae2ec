import Foundation

/// One destination of the surplus and what it receives.
public struct AllocationLine: Sendable, Hashable, Codable {
    public enum Destination: Sendable, Hashable, Codable {
        case legalReserve
        case statutoryReserve
        case patronageRefund(member: UUID)
        case interestOnShares(member: UUID)
        /// An association keeps its surplus (carried forward); nothing leaves it.
        case retained

        /// Reserves are impartible: never shared out among members, even on dissolution.
        public var isImpartible: Bool { self == .legalReserve || self == .statutoryReserve }
        public var isDistributed: Bool { member != nil }

        public var member: UUID? {
            switch self {
            case .patronageRefund(let member), .interestOnShares(let member): member
            case .legalReserve, .statutoryReserve, .retained: nil
            }
        }

        public func label(_ regime: AllocationRegime) -> Localized {
            switch self {
            case .legalReserve: Localized(fr: "Réserve légale", en: "Legal reserve")
            case .statutoryReserve where regime == .scop:
                Localized(fr: "Réserve statutaire (fonds de développement)", en: "Statutory reserve (development fund)")
            case .statutoryReserve: Localized(fr: "Réserve statutaire", en: "Statutory reserve")
            case .patronageRefund where regime == .scop: Localized(fr: "Part travail", en: "Workers’ share")
            case .patronageRefund: Localized(fr: "Ristourne", en: "Patronage refund")
            case .interestOnShares: Localized(fr: "Intérêts aux parts sociales", en: "Interest on shares")
            case .retained: Localized(fr: "Report à nouveau (conservé par l’association)", en: "Carried forward (kept by the association)")
            }
        }

        var key: String {
            switch self {
            case .legalReserve: "legal-reserve"
            case .statutoryReserve: "statutory-reserve"
            case .patronageRefund(let member): "refund:\(member.uuidString.lowercased())"
            case .interestOnShares(let member): "interest:\(member.uuidString.lowercased())"
            case .retained: "retained"
            }
        }
    }

    public let destination: Destination
    public let amount: Amount

    public init(_ destination: Destination, _ cents: Int64) {
        self.destination = destination
        self.amount = .euros(cents: cents)
    }
}

/// A proposed allocation of a year's result: the motion put to the members' vote, then, once
/// adopted, the transfers that book it. Its lines add up to the surplus exactly; a deficit has none.
public struct AllocationProposal: Sendable, Hashable, Codable {
    public let year: Int
    public let result: Amount
    public let regime: AllocationRegime
    public let terms: AllocationTerms
    public let lines: [AllocationLine]

    public var isDeficit: Bool { result.minorUnits <= 0 }

    /// Allocating the surplus is voted with two thirds of the votes expressed
    /// (stricter than the simple majority an ordinary assembly needs; statutes may require it).
    public var electorateRules: ElectorateRules { .extraordinary }

    public var impartible: Amount { total { $0.isImpartible } }
    public var distributed: Amount { total { $0.isDistributed } }
    public var allocated: Amount { total { _ in true } }

    /// The impartible share of the surplus in basis points, rounded down; nil for a deficit.
    public var impartibleBasisPoints: Int64? {
        let part = impartible.minorUnits
        return isDeficit || part > result.minorUnits ? nil
            : Apportionment.scale(10_000, by: part, over: result.minorUnits, rounding: .down)
    }

    private func total(_ included: (AllocationLine.Destination) -> Bool) -> Amount {
        // Lines are parts of the surplus, so their sum fits.
        .euros(cents: lines.filter { included($0.destination) }.reduce(0) { $0 + $1.amount.minorUnits })
    }

    /// The motion's text, one sentence a member can vote on.
    public func motion(_ language: Language) -> String {
        let t = { (fr: String, en: String) in Localized(fr: fr, en: en)(language) }
        let money = { (amount: Amount) in amount.formatted(language) }
        guard !isDeficit else {
            return t("Résultat de l’exercice \(year) : déficit de \(money(.euros(cents: -result.minorUnits))) ; rien n’est affecté.",
                     "Result of \(year): a deficit of \(money(.euros(cents: -result.minorUnits))); nothing is allocated.")
        }
        var parts: [String] = []
        for kind in ["legal-reserve", "statutory-reserve", "refund", "interest", "retained"] {
            let matching = lines.filter { $0.destination.key.hasPrefix(kind) }
            guard let first = matching.first else { continue }
            let sum = Amount.euros(cents: matching.reduce(0) { $0 + $1.amount.minorUnits })
            let people = matching.count > 1 || first.destination.isDistributed
                ? t(" (\(matching.count) bénéficiaire\(matching.count > 1 ? "s" : ""))", " (\(matching.count) recipient\(matching.count > 1 ? "s" : ""))") : ""
            parts.append("\(first.destination.label(regime)(language).lowercased()) \(money(sum))\(people)")
        }
        let share = impartibleBasisPoints.map { UnitOfAccount.decimal($0, language) } ?? "0"
        return t("Affectation de l’excédent \(year) (\(money(result))) : \(parts.joined(separator: " ; ")). Part impartageable : \(share) %.",
                 "Allocation of the \(year) surplus (\(money(result))): \(parts.joined(separator: "; ")). Impartible share: \(share) %.")
    }

    /// The transfers that book the adopted allocation, from the account holding the year's
    /// result to the account `accountFor` names for each destination. Keys are
    /// "<prefix>:legal-reserve", "<prefix>:refund:<member>", …, so booking twice books once.
    public func transfers(from resultAccount: AccountID, accountFor: (AllocationLine.Destination) -> AccountID?,
                          time: Date, idempotencyPrefix: String, language: Language = .fr) throws(DomainError) -> [Transfer] {
        var transfers: [Transfer] = []
        for line in lines {
            guard let account = accountFor(line.destination) else { throw .allocationAccountMissing }
            transfers.append(Transfer(debit: resultAccount, credit: account, amount: line.amount,
                                      memo: "\(line.destination.label(regime)(language)) \(year)",
                                      idempotencyKey: "\(idempotencyPrefix):\(line.destination.key)", time: time))
        }
        return transfers
    }
}
