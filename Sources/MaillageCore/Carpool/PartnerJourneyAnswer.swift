import Foundation

/// A driver journey found on a partner operator (another carpool platform), as a person here
/// sees it: where and when the passenger is picked up and dropped, the seats and the price the
/// partner gives, and where to book it (on the partner's site, never here).
public struct PartnerJourney: Sendable, Equatable {
    public enum Price: Sendable, Equatable {
        case free
        case paying(cents: Int)
    }

    public var id: String?
    public var pickup: GeoPoint
    public var drop: GeoPoint
    public var pickupName: String?
    public var dropName: String?
    /// The passenger's pickup time.
    public var pickupAt: Date
    public var seats: Int?
    public var price: Price?
    /// The journey's page on the partner's site: an absolute http(s) address, or nil.
    public var webURL: String?
}

/// Reads a partner's answer to `GET driver_journeys` (standard covoiturage). The partner is
/// another platform: its answer must be the standard's list of `DriverJourney`, each with the
/// fields the standard requires, or none of it is shown. What is kept is bounded (count, text
/// lengths) and a link only ever leads to an http(s) address.
public enum PartnerJourneyAnswer {
    public enum Problem: Error, Equatable {
        /// Not JSON, not a list, or an item without what the standard requires.
        case notTheStandard
    }

    /// The longest place name shown; a partner's longer text is cut.
    public static let nameLimit = 120

    struct Wire: Decodable {
        struct Person: Decodable {
            var id: String
            var alias: String
            var `operator`: String
        }

        struct WirePrice: Decodable {
            var type: String?
            var amount: Double?
        }

        var id: String?
        var `operator`: String
        var driver: Person
        var duration: Int
        var passengerPickupLat: Double
        var passengerPickupLng: Double
        var passengerDropLat: Double
        var passengerDropLng: Double
        var passengerPickupAddress: String?
        var passengerDropAddress: String?
        var driverDepartureAddress: String?
        var driverArrivalAddress: String?
        var passengerPickupDate: Double
        var type: String
        var webUrl: String?
        var availableSeats: Int?
        var price: WirePrice?
    }

    public static func read(_ data: Data, limit: Int = 10) throws(Problem) -> [PartnerJourney] {
        let wires: [Wire]
        do { wires = try JSONDecoder().decode([Wire].self, from: data) } catch { throw .notTheStandard }
        var journeys: [PartnerJourney] = []
        for wire in wires {
            guard ["PLANNED", "DYNAMIC", "LINE"].contains(wire.type),
                  let pickup = GeoPoint(lat: wire.passengerPickupLat, lon: wire.passengerPickupLng),
                  let drop = GeoPoint(lat: wire.passengerDropLat, lon: wire.passengerDropLng),
                  wire.passengerPickupDate.isFinite, abs(wire.passengerPickupDate) < 1e11 else { throw .notTheStandard }
            guard journeys.count < limit else { continue }
            journeys.append(PartnerJourney(
                id: wire.id.map { String($0.prefix(255)) }, pickup: pickup, drop: drop,
                pickupName: name(wire.passengerPickupAddress ?? wire.driverDepartureAddress),
                dropName: name(wire.passengerDropAddress ?? wire.driverArrivalAddress),
                pickupAt: Date(timeIntervalSince1970: wire.passengerPickupDate.rounded()),
                seats: wire.availableSeats.flatMap { (0...99).contains($0) ? $0 : nil },
                price: price(wire.price), webURL: webAddress(wire.webUrl)))
        }
        return journeys
    }

    static func name(_ text: String?) -> String? {
        let cleaned = (text ?? "").components(separatedBy: .controlCharacters).joined(separator: " ").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !cleaned.isEmpty else { return nil }
        return cleaned.count > nameLimit ? String(cleaned.prefix(nameLimit - 1)) + "…" : cleaned
    }

    static func price(_ wire: Wire.WirePrice?) -> PartnerJourney.Price? {
        switch wire?.type {
        case "FREE": return .free
        case "PAYING":
            guard let amount = wire?.amount, amount.isFinite, amount >= 0, amount < 10_000 else { return nil }
            return .paying(cents: Int((amount * 100).rounded()))
        default: return nil
        }
    }

    /// An absolute http or https address; anything else (javascript:, data:, a relative path) is dropped.
    public static func webAddress(_ text: String?) -> String? {
        guard let text, text.utf8.count <= 2_000, let parts = URLComponents(string: text),
              let scheme = parts.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = parts.host, !host.isEmpty, parts.user == nil, parts.password == nil else { return nil }
        return text
    }
}
