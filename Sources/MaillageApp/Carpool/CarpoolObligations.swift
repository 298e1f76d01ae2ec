import Fluent
import Foundation
import MaillageCore
import SQLKit

/// What a person must settle before deleting their account: a ride someone counts on. An accepted
/// ride still to come (as driver or passenger), or a seat a partner platform's user holds on one of
/// their rides, is cancelled first — with its reason, so the other person is told — never left
/// to vanish with the account. A solidarity trip a volunteer holds is given back first, so the
/// coordinators find another driver.
enum CarpoolObligations {
    struct Ride: Decodable { var travel_date: String; var pickup_name: String; var dropoff_name: String; var driver_id: UUID }
    struct PartnerSeat: Decodable { var travel_date: String; var passenger_alias: String }

    static func open(of person: UUID, today: LocalDate = LocalZone.paris.localDate(at: Date()), on db: any Database) async throws -> [Localized] {
        let rides = try await db.sql.select().columns("travel_date", "pickup_name", "dropoff_name", "driver_id").from("carpool_asks")
            .where("status", .equal, SQLBind(AskStatus.accepted.rawValue)).where("travel_date", .greaterThanOrEqual, SQLBind(today.iso))
            .where { $0.where("driver_id", .equal, SQLBind(person)).orWhere("passenger_id", .equal, SQLBind(person)) }
            .orderBy("travel_date").all(decoding: Ride.self)
        let seats = try await db.sql.select().columns("travel_date", "passenger_alias").from("carpool_partner_bookings")
            .where("driver_id", .equal, SQLBind(person)).where("travel_date", .greaterThanOrEqual, SQLBind(today.iso))
            .where("status", .equal, SQLBind(StandardBookingStatus.confirmed.rawValue))
            .orderBy("travel_date").all(decoding: PartnerSeat.self)
        let trips = try await SolidarityTrips.toCome(of: person, today: today, on: db)
        return rides.map { ride in
            let trip = "\(ride.pickup_name) → \(ride.dropoff_name)"
            return ride.driver_id == person
                ? Localized(fr: "Vous conduisez quelqu’un le \(ride.travel_date) (\(trip)) : annulez ce trajet accepté d’abord, la personne sera prévenue.",
                            en: "You drive someone on \(ride.travel_date) (\(trip)): cancel this accepted ride first; they will be told.")
                : Localized(fr: "Une place vous attend le \(ride.travel_date) (\(trip)) : annulez ce trajet accepté d’abord, le conducteur ou la conductrice sera prévenu·e.",
                            en: "A seat is waiting for you on \(ride.travel_date) (\(trip)): cancel this accepted ride first; the driver will be told.")
        } + seats.map { seat in
            Localized(fr: "\(seat.passenger_alias), d’une plateforme partenaire, a une place confirmée le \(seat.travel_date) : annulez-la d’abord.",
                      en: "\(seat.passenger_alias), from a partner platform, has a confirmed seat on \(seat.travel_date): cancel it first.")
        } + trips.map(solidarityTrip)
    }

    /// A solidarity trip the volunteer holds: the day and where to, never the person driven.
    static func solidarityTrip(_ trip: SolidarityRequests.Row) -> Localized {
        let timing = trip.timing, to = "\(trip.destination) (\(trip.destination_commune))"
        let fr = timing.withinDays == 0 ? "le \(timing.first.iso)" : "entre le \(timing.first.iso) et le \(timing.last.iso)"
        let en = timing.withinDays == 0 ? "on \(timing.first.iso)" : "between \(timing.first.iso) and \(timing.last.iso)"
        return Localized(fr: "Vous conduisez quelqu’un \(fr) vers \(to) en transport solidaire : désistez-vous d’abord de ce trajet, la coordination cherchera quelqu’un d’autre.",
                         en: "You drive someone \(en) to \(to) for solidarity transport: withdraw from this trip first; the coordinators will find someone else.")
    }
}
