/// A quantity of value: a whole number of a unit's smallest part (cents or minutes) and the unit.
/// Arithmetic is checked: amounts of different units never mix, and a sum that would not fit in
/// 64 bits is refused with an error instead of trapping the process.
public struct Amount: Sendable, Hashable, Codable, CustomStringConvertible {
    /// In the unit's smallest part: cents for `EUR` and `BARTER`, minutes for `HOUR`.
    public let minorUnits: Int64
    public let unit: UnitOfAccount

    public init(_ minorUnits: Int64, _ unit: UnitOfAccount) {
        self.minorUnits = minorUnits
        self.unit = unit
    }

    public static func euros(cents: Int64) -> Amount { Amount(cents, .eur) }
    public static func barter(cents: Int64) -> Amount { Amount(cents, .barter) }
    public static func time(minutes: Int64) -> Amount { Amount(minutes, .hour) }
    public static func zero(_ unit: UnitOfAccount) -> Amount { Amount(0, unit) }

    public var isZero: Bool { minorUnits == 0 }
    public var isPositive: Bool { minorUnits > 0 }
    public var isNegative: Bool { minorUnits < 0 }

    /// "12.50 EUR", "150 HOUR" — for logs; people get `formatted(_:)`.
    public var description: String { "\(minorUnits) \(unit.code)" }

    public func formatted(_ language: Language) -> String { unit.format(minorUnits, language) }

    /// The machine-readable figure used in CSV and JSON ("-12.50", "2:05").
    public var plain: String { unit.plain(minorUnits) }

    public func adding(_ other: Amount) throws(DomainError) -> Amount {
        try requireSameUnit(other)
        return Amount(try Self.checked(minorUnits.addingReportingOverflow(other.minorUnits)), unit)
    }

    public func subtracting(_ other: Amount) throws(DomainError) -> Amount {
        try requireSameUnit(other)
        return Amount(try Self.checked(minorUnits.subtractingReportingOverflow(other.minorUnits)), unit)
    }

    public func negated() throws(DomainError) -> Amount {
        Amount(try Self.checked(Int64(0).subtractingReportingOverflow(minorUnits)), unit)
    }

    /// `count` times this amount, e.g. shares × nominal value.
    public func multiplied(by count: Int64) throws(DomainError) -> Amount {
        Amount(try Self.checked(minorUnits.multipliedReportingOverflow(by: count)), unit)
    }

    /// The sum of amounts of one unit; nil for an empty list (its unit is unknown).
    public static func sum(_ amounts: [Amount]) throws(DomainError) -> Amount? {
        guard var total = amounts.first else { return nil }
        for amount in amounts.dropFirst() { total = try total.adding(amount) }
        return total
    }

    func requireSameUnit(_ other: Amount) throws(DomainError) {
        guard other.unit == unit else { throw .unitMismatch(unit, other.unit) }
    }

    static func checked(_ result: (partialValue: Int64, overflow: Bool)) throws(DomainError) -> Int64 {
        guard !result.overflow else { throw .amountOverflow }
        return result.partialValue
    }
}

extension Amount {
    /// Reads what a person typed: "12,50", "1 000 €" for money; "2:30", "2 h 30", "2h",
    /// "45 min", "1,5" (hours) for time. Nil when it is not an amount or not exact in the unit.
    public static func parse(_ text: String, in unit: UnitOfAccount) -> Amount? {
        switch unit {
        case .eur: return Euros.parseCents(text).map(euros(cents:))
        case .barter: return Euros.parseCents(String(text.filter { !$0.isLetter })).map(barter(cents:))
        case .hour: return parseMinutes(text).map(time(minutes:))
        }
    }

    static func parseMinutes(_ raw: String) -> Int64? {
        let text = raw.lowercased().filter { !$0.isWhitespace }
        let limit: Int64 = 1_000_000_000_000
        func number(_ s: Substring) -> Int64? {
            guard !s.isEmpty, s.count <= 13, s.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            return Int64(s)
        }
        if text.hasSuffix("min"), !text.contains("h"), !text.contains(":") {
            return number(text.dropLast(3)).flatMap { $0 < limit ? $0 : nil }
        }
        if let separator = text.firstIndex(where: { $0 == "h" || $0 == ":" }) {
            guard let hours = number(text[..<separator]), hours < limit else { return nil }
            var tail = text[text.index(after: separator)...]
            if tail.hasSuffix("min") { tail = tail.dropLast(3) }
            if tail.isEmpty { return hours * 60 }
            guard tail.count == 2, let minutes = number(tail), minutes < 60 else { return nil }
            return hours * 60 + minutes
        }
        // Decimal hours: exact only when the fraction is a whole number of minutes (1,5 → 90).
        let parts = text.replacingOccurrences(of: ",", with: ".").split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let hours = number(parts[0]), hours < limit else { return nil }
        guard parts.count == 2 else { return hours * 60 }
        guard parts[1].count <= 2, let digits = number(parts[1]) else { return nil }
        let hundredths = parts[1].count == 1 ? digits * 10 : digits
        guard (hundredths * 60) % 100 == 0 else { return nil }
        return hours * 60 + hundredths * 60 / 100
    }
}
