import Fluent
import Foundation
import MaillageCore
import SQLKit

/// A seat booked by a partner operator for one of its users (not a member here), on one of our
/// drivers' rides, one day, one leg.
struct PartnerBookingRow: Sendable, Decodable {
    var id: UUID
    var cooperative_id: UUID
    var partner_key_id: UUID
    var ad_id: UUID
    var travel_date: String
    var leg: String
    var status: String
    var passenger_alias: String
    var passenger_ref: String
    var passenger_operator: String
    var pickup_lat: Double
    var pickup_lon: Double
    var drop_lat: Double
    var drop_lon: Double
    var pickup_at: Date
    var created_at: Date
    var updated_at: Date
    /// When each side said the ride happened (the partner for its passenger, the driver here).
    var driver_confirmed_at: Date?
    var passenger_confirmed_at: Date?

    var standardStatus: StandardBookingStatus { StandardBookingStatus(rawValue: status) ?? .cancelled }
}

enum StandardBookings {
    static let columns = ["id", "cooperative_id", "partner_key_id", "ad_id", "travel_date", "leg", "status", "passenger_alias", "passenger_ref",
                          "passenger_operator", "pickup_lat", "pickup_lon", "drop_lat", "drop_lon", "pickup_at", "created_at", "updated_at", "driver_confirmed_at", "passenger_confirmed_at"]

    /// What a new booking writes: the row, and its driver (the ad's author) for their data export.
    static var written: [String] { Array(columns.prefix(17)) + ["driver_id"] }

    static let duplicate = DomainError(.invalid, code: "duplicate_booking", field: "id",
        fr: "Une réservation porte déjà cet identifiant.", en: "A booking already has this id.")
    static let missingBooking = DomainError(.notFound, code: "missing_booking",
        fr: "Réservation introuvable.", en: "Booking not found.")
    static let full = DomainError(.invalid, code: "ride_full",
        fr: "Il n’y a plus de place libre sur ce trajet ce jour-là.", en: "There is no free seat left on this ride that day.")

    struct Passenger: Sendable {
        var alias: String
        var ref: String
        var operatorName: String
    }

    /// Records the partner's booking; a confirmed one takes its seat through the same counter as
    /// the members' asks, in the same transaction, so the car is never overbooked.
    static func create(id: UUID, journey: StandardJourneys.Journey, status: StandardBookingStatus, passenger: Passenger,
                       pickup: GeoPoint, drop: GeoPoint, partner: UUID, coop: UUID, now: Date = Date(), on db: any Database) async throws -> PartnerBookingRow {
        try StandardBookingRules.checkOpening(status)
        if try await db.sql.select().column("id").from("carpool_partner_bookings").where("id", .equal, SQLBind(id)).first() != nil { throw duplicate }
        do {
            try await db.writeTransaction { tx in
                try await tx.sql.insert(into: "carpool_partner_bookings").columns(written.map { SQLColumn($0) })
                    .values(SQLBind(id), SQLBind(coop), SQLBind(partner), SQLBind(journey.ad.id), SQLBind(journey.id.date.iso),
                            SQLBind(journey.id.leg.rawValue), SQLBind(status.rawValue), SQLBind(passenger.alias), SQLBind(passenger.ref),
                            SQLBind(passenger.operatorName), SQLBind(pickup.lat), SQLBind(pickup.lon), SQLBind(drop.lat), SQLBind(drop.lon),
                            SQLBind(Date(timeIntervalSince1970: Double(journey.pickupAt))), SQLBind(now), SQLBind(now), SQLBind(journey.ad.author_id))
                    .run()
                if status.holdsSeat {
                    guard try await CarpoolSeats.take(1, ad: journey.ad.id, date: journey.id.date.iso, leg: journey.id.leg.rawValue,
                                                      capacity: journey.ad.seats, on: tx) else { throw full }
                }
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw duplicate
        }
        return try await find(id, partner: partner, coop: coop, on: db)
    }

    /// The booking, for the partner that made it only.
    static func find(_ id: UUID?, partner: UUID, coop: UUID, on db: any Database) async throws -> PartnerBookingRow {
        guard let id, let row = try await db.sql.select().columns(columns.map { SQLColumn($0) }).from("carpool_partner_bookings")
            .where("id", .equal, SQLBind(id)).where("partner_key_id", .equal, SQLBind(partner)).where("cooperative_id", .equal, SQLBind(coop))
            .first(decoding: PartnerBookingRow.self) else { throw missingBooking }
        return row
    }

    /// Moves the booking on, by the standard's order; confirming takes the seat, cancelling a
    /// confirmed booking gives it back. A concurrent change of the same booking makes this one a conflict.
    static func move(_ booking: PartnerBookingRow, to next: StandardBookingStatus, now: Date = Date(), on db: any Database) async throws -> PartnerBookingRow {
        let current = booking.standardStatus
        try StandardBookingRules.check(from: current, to: next)
        try await db.writeTransaction { tx in
            if next.holdsSeat && !current.holdsSeat {
                let ad = try await CarpoolAds.find(booking.ad_id, in: booking.cooperative_id, on: tx)
                guard try await CarpoolSeats.take(1, ad: booking.ad_id, date: booking.travel_date, leg: booking.leg, capacity: ad.seats, on: tx)
                else { throw CarpoolErrors.full }
            } else if current.holdsSeat && next == .cancelled {
                try await CarpoolSeats.give(1, ad: booking.ad_id, date: booking.travel_date, leg: booking.leg, on: tx)
            }
            // After the ride the partner speaks for its passenger: VALIDATED needs the driver's word too.
            let rideHappened = next == .completedPendingValidation || next == .validated
            let stored = rideHappened ? StandardBookingRules.afterRide(driverConfirmed: booking.driver_confirmed_at != nil, passengerConfirmed: true) : next
            var update = tx.sql.update("carpool_partner_bookings").set("status", to: SQLBind(stored.rawValue)).set("updated_at", to: SQLBind(now))
            if rideHappened {
                update = update.set("passenger_confirmed_at", to: SQLFunction("COALESCE", args: SQLColumn("passenger_confirmed_at"), SQLBind(now)))
            }
            let moved = try await update.where("id", .equal, SQLBind(booking.id)).where("status", .equal, SQLBind(booking.status))
                .returning("id").all()
            guard !moved.isEmpty else { throw StandardBookingRules.alreadySet }
        }
        return try await find(booking.id, partner: booking.partner_key_id, coop: booking.cooperative_id, on: db)
    }

    /// The driver says the ride happened; with the partner's word for its passenger, the booking is VALIDATED.
    /// Conditional on the row as read, so two clicks (or a partner's change meanwhile) never count twice.
    static func driverCompleted(_ booking: PartnerBookingRow, now: Date = Date(), on db: any Database) async throws -> StandardBookingStatus {
        try StandardBookingRules.checkDriverCompletion(booking.standardStatus, alreadyConfirmed: booking.driver_confirmed_at != nil,
                                                       pickupPassed: booking.pickup_at <= now)
        let next = StandardBookingRules.afterRide(driverConfirmed: true, passengerConfirmed: booking.passenger_confirmed_at != nil)
        let moved = try await db.sql.update("carpool_partner_bookings").set("status", to: SQLBind(next.rawValue))
            .set("driver_confirmed_at", to: SQLBind(now)).set("updated_at", to: SQLBind(now))
            .where("id", .equal, SQLBind(booking.id)).where("status", .equal, SQLBind(booking.status))
            .where("driver_confirmed_at", .is, SQLLiteral.null).returning("id").all()
        guard !moved.isEmpty else { throw StandardBookingRules.alreadySet }
        return next
    }

    /// The partner bookings on one ad, for its driver.
    static func on(ad: UUID, on db: any Database) async throws -> [PartnerBookingRow] {
        try await db.sql.select().columns(columns.map { SQLColumn($0) }).from("carpool_partner_bookings")
            .where("ad_id", .equal, SQLBind(ad)).orderBy("travel_date").orderBy("created_at").all(decoding: PartnerBookingRow.self)
    }
}
