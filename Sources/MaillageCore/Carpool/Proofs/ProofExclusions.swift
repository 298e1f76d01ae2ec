import Foundation

/// Why a completed ride is not sent to the registry: Mobicoop's checks before sending, and ours.
/// Each is shown to both people with the proof.
public enum ProofExclusion: String, Sendable, Hashable, CaseIterable {
    case driverNotOptedIn = "driver-not-opted-in"
    case passengerNotOptedIn = "passenger-not-opted-in"
    case missingIdentity = "missing-identity"
    case tooShort = "too-short"
    case sameDevice = "same-device"
    case tooManyTrips = "too-many-trips"
    case tooLate = "too-late"
    case invalid
    /// One of the two withdrew their consent before the proof left.
    case withdrawn

    public var reason: Localized {
        switch self {
        case .driverNotOptedIn:
            Localized(fr: "Le ou la conductrice n’a pas choisi d’envoyer ses trajets au registre.", en: "The driver has not chosen to send their rides to the registry.")
        case .passengerNotOptedIn:
            Localized(fr: "Le ou la passagère n’a pas choisi d’envoyer ses trajets au registre.", en: "The passenger has not chosen to send their rides to the registry.")
        case .missingIdentity:
            Localized(fr: "Il manque un numéro de téléphone ou un nom de famille valable à l’un des deux.", en: "One of the two lacks a valid phone number or last name.")
        case .tooShort:
            Localized(fr: "Le trajet fait moins de 2 km.", en: "The ride is shorter than 2 km.")
        case .sameDevice:
            Localized(fr: "Le trajet a été déclaré depuis le même appareil par les deux personnes.", en: "Both people declared the ride from the same device.")
        case .tooManyTrips:
            Localized(fr: "Plus de 4 trajets le même jour pour l’une des deux personnes.", en: "More than 4 rides on one day for one of the two.")
        case .tooLate:
            Localized(fr: "Le trajet a été confirmé plus de 24 h après le départ : le registre ne l’accepte plus.", en: "The ride was confirmed more than 24 hours after departure: the registry no longer takes it.")
        case .invalid:
            Localized(fr: "La preuve ne respecte pas le format du registre.", en: "The proof does not follow the registry's format.")
        case .withdrawn:
            Localized(fr: "L’une des deux personnes a retiré son accord avant l’envoi.", en: "One of the two withdrew their consent before it was sent.")
        }
    }
}

/// Where a proof stands, as both people see it.
public enum ProofStatus: String, Sendable, Hashable, CaseIterable {
    /// Written, waiting for its turn in the outbox (or for the registry to answer again).
    case waiting
    /// Not sent, for a reason told with it.
    case excluded
    /// Not sent: the cooperative has not connected the registry.
    case off
    /// The registry recorded it.
    case accepted
    /// The registry refused it, with its message.
    case refused

    public var label: Localized {
        switch self {
        case .waiting: Localized(fr: "En attente d’envoi", en: "Waiting to be sent")
        case .excluded: Localized(fr: "Non envoyée", en: "Not sent")
        case .off: Localized(fr: "Non envoyée : la coopérative n’est pas reliée au registre", en: "Not sent: the cooperative is not connected to the registry")
        case .accepted: Localized(fr: "Acceptée par le registre", en: "Accepted by the registry")
        case .refused: Localized(fr: "Refusée par le registre", en: "Refused by the registry")
        }
    }
}

/// The checks, in the order they are told: consent first (nothing about a person who did not
/// choose it is looked at further), then identity, then the ride itself.
public enum ProofRules {
    /// Mobicoop does not send rides under 2 km: too short to be carpooling rather than a lift.
    public static let minimumMetres = 2_000
    /// Nor more than 4 trips a day for one person (a trip: one car, one day, one leg).
    public static let tripsPerDay = 4
    /// The registry refuses a journey sent more than 24 hours after its start.
    public static let sendingWindow: TimeInterval = 24 * 3_600

    public struct Side: Sendable, Hashable {
        public var optedIn: Bool
        /// In E.164, when given and valid.
        public var phone: String?
        /// The registry's spelling, when given.
        public var lastName: String?
        /// The device the person confirmed the ride from, when known.
        public var device: String?
        /// Trips (distinct cars, days and legs) already proved for this person that day, this one apart.
        public var otherTripsThatDay: Int

        public init(optedIn: Bool, phone: String?, lastName: String?, device: String? = nil, otherTripsThatDay: Int) {
            self.optedIn = optedIn
            self.phone = phone
            self.lastName = lastName
            self.device = device
            self.otherTripsThatDay = otherTripsThatDay
        }
    }

    public static func exclusion(driver: Side, passenger: Side, metres: Int, departure: Date, now: Date) -> ProofExclusion? {
        if !driver.optedIn { return .driverNotOptedIn }
        if !passenger.optedIn { return .passengerNotOptedIn }
        for side in [driver, passenger] where (side.phone ?? "").isEmpty || (side.lastName ?? "").isEmpty { return .missingIdentity }
        if metres < minimumMetres { return .tooShort }
        if let one = driver.device, let other = passenger.device, one == other { return .sameDevice }
        if driver.otherTripsThatDay >= tripsPerDay || passenger.otherTripsThatDay >= tripsPerDay { return .tooManyTrips }
        if now.timeIntervalSince(departure) > sendingWindow { return .tooLate }
        return nil
    }
}
