import Foundation

/// Proposes volunteer drivers for a request: those free in one of its slots, living close enough
/// to drive it, below the monthly limit they set, the less loaded first.
public enum SolidarityMatcher {
    public struct Candidate: Sendable, Hashable {
        public let volunteer: UUID
        public let profile: VolunteerProfile
        /// Trips done or promised this calendar month (their monthly limit counts these).
        public let tripsThisMonth: Int
        /// Kilometres driven for the structure over the last 30 days: the recent load that breaks ties.
        public let recentKm: Double

        public init(volunteer: UUID, profile: VolunteerProfile, tripsThisMonth: Int, recentKm: Double) {
            self.volunteer = volunteer
            self.profile = profile
            self.tripsThisMonth = tripsThisMonth
            self.recentKm = recentKm
        }
    }

    public struct Proposal: Sendable, Hashable {
        public let volunteer: UUID
        /// Road kilometres from the volunteer's home to the pickup.
        public let approachKm: Double
        public let sharedSlots: [WeekSlot]
        public let tripsThisMonth: Int
        public let monthlyLimit: Int
    }

    public struct Trip: Sendable, Hashable {
        public let pickup: GeoPoint
        public let destination: GeoPoint
        public let slots: Set<WeekSlot>

        public init(pickup: GeoPoint, destination: GeoPoint, slots: Set<WeekSlot>) {
            self.pickup = pickup
            self.destination = destination
            self.slots = slots
        }
    }

    /// The volunteers who may be asked, best first: fewer trips this month, then fewer recent
    /// km, then the closer. A paused volunteer, one at their monthly limit, one with no common
    /// slot or whose home is farther than their maximum from the pickup or the destination is
    /// never proposed.
    public static func propose(for trip: Trip, among candidates: [Candidate], estimator: any RouteEstimator,
                               limit: Int = 10) -> [Proposal] {
        let ranked = candidates.compactMap { candidate -> (Proposal, Double)? in
            let profile = candidate.profile
            guard !profile.paused, candidate.tripsThisMonth < profile.monthlyLimit else { return nil }
            let shared = profile.slots.intersection(trip.slots)
            guard !shared.isEmpty, let place = Communes.coordinates(of: profile.homeCommune),
                  let home = GeoPoint(lat: place.lat, lon: place.lon) else { return nil }
            let approach = estimator.estimate(from: home, to: trip.pickup).distanceKm
            let reach = estimator.estimate(from: home, to: trip.destination).distanceKm
            guard approach <= Double(profile.maxKm), reach <= Double(profile.maxKm) else { return nil }
            return (Proposal(volunteer: candidate.volunteer, approachKm: approach, sharedSlots: shared.sorted(),
                             tripsThisMonth: candidate.tripsThisMonth, monthlyLimit: profile.monthlyLimit), candidate.recentKm)
        }
        return ranked.sorted { a, b in
            if a.0.tripsThisMonth != b.0.tripsThisMonth { return a.0.tripsThisMonth < b.0.tripsThisMonth }
            if a.1 != b.1 { return a.1 < b.1 }
            if a.0.approachKm != b.0.approachKm { return a.0.approachKm < b.0.approachKm }
            return a.0.volunteer.uuidString < b.0.volunteer.uuidString
        }.prefix(limit).map(\.0)
    }
}

/// The volunteer's mileage allowance: kilometres driven × the structure's rate, in cents.
public enum MileageAllowance {
    /// Kilometres are kept in tenths so that 42,5 km pays exactly 42,5 × the rate.
    public static func cents(tenthsOfKm: Int, centsPerKm: Int64) -> Int64 {
        (Int64(tenthsOfKm) * centsPerKm + 5) / 10
    }

    /// Reads "42,5" or "42.5" km; 0 to 2 000 km.
    public static func parseKm(_ text: String, field: String = "km") throws -> Int {
        let cleaned = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".")
        guard let km = Double(cleaned), km.isFinite, km >= 0, km <= 2_000 else {
            throw DomainError(.invalid, code: "invalid_km", field: field,
                              fr: "Indiquez les kilomètres parcourus, par exemple 42,5.", en: "Give the kilometres driven, for example 42.5.")
        }
        return Int((km * 10).rounded())
    }

    /// Reads a rate per km in euros ("0,32"), 0 to 2 €.
    public static func parseRate(_ text: String) throws -> Int64 {
        let cleaned = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".")
        guard let euros = Double(cleaned), euros.isFinite, euros >= 0, euros <= 2 else {
            throw DomainError(.invalid, code: "invalid_rate", field: "rate",
                              fr: "Indiquez un montant par km entre 0 et 2 €, par exemple 0,32.", en: "Give an amount per km between 0 and 2 €, for example 0.32.")
        }
        return Int64((euros * 100).rounded())
    }

    /// "42,5" for the tenths 425.
    public static func kmText(_ tenths: Int, _ language: Language) -> String {
        let whole = tenths / 10, tenth = tenths % 10
        return tenth == 0 ? "\(whole)" : "\(whole)\(language == .fr ? "," : ".")\(tenth)"
    }
}
