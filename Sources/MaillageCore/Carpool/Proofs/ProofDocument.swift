import Foundation

/// One journey as the registry takes it (`POST /journeys`, API v3.3): one passenger with one
/// driver; the passengers of one car on one day and leg share `operator_trip_id`. Amounts are
/// cents, distances metres, times UTC.
public struct ProofDocument: Sendable, Hashable, Encodable {
    public struct TimedPoint: Sendable, Hashable, Encodable {
        /// `YYYY-MM-DDThh:mm:ssZ`.
        public var datetime: String
        public var lat: Double
        public var lon: Double

        public init(datetime: String, lat: Double, lon: Double) {
            self.datetime = datetime
            self.lat = lat
            self.lon = lon
        }
    }

    /// Only what the spec requires: the key, the truncated phone and our id for the person (the
    /// full number is never sent).
    public struct Identity: Sendable, Hashable, Encodable {
        public var identityKey: String
        public var phoneTrunc: String
        public var operatorUserID: String

        enum CodingKeys: String, CodingKey {
            case identityKey = "identity_key", phoneTrunc = "phone_trunc", operatorUserID = "operator_user_id"
        }

        public init(identityKey: String, phoneTrunc: String, operatorUserID: String) {
            self.identityKey = identityKey
            self.phoneTrunc = phoneTrunc
            self.operatorUserID = operatorUserID
        }
    }

    public struct Driver: Sendable, Hashable, Encodable {
        public var identity: Identity
        /// What the driver received: the passenger's contribution, whole (no commission).
        public var revenue: Int64

        public init(identity: Identity, revenue: Int64) {
            self.identity = identity
            self.revenue = revenue
        }
    }

    public struct Passenger: Sendable, Hashable, Encodable {
        public var identity: Identity
        public var contribution: Int64
        public var seats: Int

        public init(identity: Identity, contribution: Int64, seats: Int) {
            self.identity = identity
            self.contribution = contribution
            self.seats = seats
        }
    }

    /// No incentive is paid by the cooperative itself; the registry computes the public ones.
    public struct Incentive: Sendable, Hashable, Encodable {}

    public var operatorJourneyID: String
    public var operatorTripID: String
    public var operatorClass: ProofClass
    public var incentives: [Incentive] = []
    public var start: TimedPoint
    public var end: TimedPoint
    public var distance: Int
    public var driver: Driver
    public var passenger: Passenger

    enum CodingKeys: String, CodingKey {
        case operatorJourneyID = "operator_journey_id", operatorTripID = "operator_trip_id", operatorClass = "operator_class"
        case incentives, start, end, distance, driver, passenger
    }

    public init(operatorJourneyID: String, operatorTripID: String, operatorClass: ProofClass, start: TimedPoint, end: TimedPoint,
                distance: Int, driver: Driver, passenger: Passenger) {
        self.operatorJourneyID = operatorJourneyID
        self.operatorTripID = operatorTripID
        self.operatorClass = operatorClass
        self.start = start
        self.end = end
        self.distance = distance
        self.driver = driver
        self.passenger = passenger
    }

    /// The body sent, keys sorted so the same proof is always the same text.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    /// Ids the registry accepts: lower-case letters and digits only (`^[a-z0-9]{1,256}$`).
    public static func id(_ parts: String...) -> String {
        parts.joined().lowercased().filter { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }

    public static func datetime(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// What the spec's schema asks of each field, checked before anything is sent whether or not
    /// its document is at hand: "field: why" for each problem, empty when the proof may go.
    public var problems: [String] {
        var found: [String] = []
        func idCheck(_ value: String, _ name: String) {
            if value.isEmpty || value.count > 256 || !value.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber) }) {
                found.append("\(name): letters a-z and digits, 1 to 256")
            }
        }
        idCheck(operatorJourneyID, "operator_journey_id")
        if operatorTripID.isEmpty { found.append("operator_trip_id: empty") }
        for (name, point) in [("start", start), ("end", end)] {
            if !(-90...90).contains(point.lat) || !(-180...180).contains(point.lon) { found.append("\(name): not a position") }
            if point.datetime.count != 20 || !point.datetime.hasSuffix("Z") { found.append("\(name).datetime: not UTC YYYY-MM-DDThh:mm:ssZ") }
        }
        if end.datetime < start.datetime { found.append("end: before start") }
        if !(0...1_000_000).contains(distance) { found.append("distance: 0 to 1,000,000 m") }
        for (name, identity) in [("driver", driver.identity), ("passenger", passenger.identity)] {
            if identity.identityKey.count != 64 || !identity.identityKey.allSatisfy(\.isHexDigit) { found.append("\(name).identity.identity_key: 64 hex digits") }
            let digits = identity.phoneTrunc.dropFirst()
            if !identity.phoneTrunc.hasPrefix("+") || !(8...12).contains(digits.count) || !digits.allSatisfy({ $0.isASCII && $0.isNumber }) {
                found.append("\(name).identity.phone_trunc: + and 8 to 12 digits")
            }
            if identity.operatorUserID.isEmpty { found.append("\(name).identity.operator_user_id: empty") }
        }
        if driver.revenue < 0 { found.append("driver.revenue: negative") }
        if passenger.contribution < 0 { found.append("passenger.contribution: negative") }
        if !(1...8).contains(passenger.seats) { found.append("passenger.seats: 1 to 8") }
        if driver.identity.operatorUserID == passenger.identity.operatorUserID { found.append("driver and passenger: the same person") }
        return found
    }
}

/// The registry's proof classes: C needs position traces from both phones, which we never keep
/// (no trace of where people are); B a ride attested by something beyond one person's word.
/// Our reading: a contribution paid through the cooperative's ledger (a transfer from one to the
/// other, dated) attests it; anything else is A, the operator's declaration.
public enum ProofClass: String, Sendable, Hashable, Encodable, CaseIterable {
    case A, B, C

    public static func of(paidThroughLedger: Bool) -> ProofClass { paidThroughLedger ? .B : .A }
}
