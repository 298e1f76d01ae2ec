import Foundation

/// The days a proof-of-delivery bundle covers, from the form's `from` and `to` (`YYYY-MM-DD`,
/// both included, in the cooperative's zone). At most a year, so one download stays a size a
/// store's accountant opens.
public struct DeliveryProofPeriod: Sendable, Hashable {
    public static let longest = 366

    public let from: LocalDate
    public let to: LocalDate

    public init(from: String, to: String) throws(DomainError) {
        guard let start = LocalDate(iso: from.trimmingCharacters(in: .whitespaces)) else { throw .proofPeriodUnreadable(field: "from") }
        guard let end = LocalDate(iso: to.trimmingCharacters(in: .whitespaces)) else { throw .proofPeriodUnreadable(field: "to") }
        guard start <= end else { throw .proofPeriodReversed }
        guard start.days(to: end) < Self.longest else { throw .proofPeriodTooLong }
        self.from = start
        self.to = end
    }

    /// The day after the last one: the period is `[from, end)` in instants.
    public var end: LocalDate { to.adding(days: 1) ?? to }

    /// A name safe in an archive's paths: letters, digits, dashes; at most 40 characters.
    public static func pathName(_ text: String) -> String {
        let kept = text.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || scalar == "-" || scalar == "_") ? Character(scalar) : "-"
        }
        return String(String(kept).prefix(40))
    }
}
