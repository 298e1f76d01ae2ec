import Foundation

/// The lending and exchange figures the observatory publishes: loans completed, services
/// exchanged, hours given. Computed from the lists, so the observatory and a cooperative's own
/// page count the same way.
public struct NeighbourhoodImpact: Sendable, Hashable, Codable {
    /// Loans returned (both sides confirmed).
    public let loansCompleted: Int
    /// Services recorded, in hours or as free help.
    public let servicesExchanged: Int
    /// Of which free help.
    public let freeHelp: Int
    /// Time given through the time bank, in `HOUR` (minutes).
    public let hoursGiven: Amount

    /// Counts loans returned, and services recorded, within `period` when given (a half-open
    /// span of instants, e.g. a year in the territory's zone). Refuses a sum of hours too large
    /// for 64 bits rather than trapping.
    public init(loans: [Loan], services: [ServiceRecord], period: Range<Date>? = nil) throws(DomainError) {
        func inside(_ date: Date?) -> Bool {
            guard let date else { return false }
            return period.map { $0.contains(date) } ?? true
        }
        loansCompleted = loans.filter { $0.status == .returned && inside($0.giveBack.completedAt) }.count
        let counted = services.filter { inside($0.recordedAt) }
        servicesExchanged = counted.count
        freeHelp = counted.filter { $0.settlement == .freeHelp }.count
        var minutes = Amount.zero(.hour)
        for service in counted where service.minutesGiven > 0 {
            minutes = try minutes.adding(.time(minutes: service.minutesGiven))
        }
        hoursGiven = minutes
    }
}
