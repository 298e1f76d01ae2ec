import Fluent
import Foundation
import MaillageCore

/// The operator API's bodies, named as the standard names them. Our people appear under an
/// alias and an opaque id (the ride's), never their name: partners' users are not members here.
enum StandardDTO {
    struct User: Codable, Sendable {
        var id: String
        var `operator`: String
        var alias: String

        static func member(of ad: RideAdRow, ctx: StandardAPI.Context) -> User {
            User(id: ad.id.uuidString.lowercased(), operator: ctx.operatorName, alias: "Membre \(ad.id.uuidString.prefix(6).lowercased())")
        }
    }

    struct Price: Codable, Sendable {
        var type: String?
        var amount: Double?
        var currency: String?

        init(type: String?, amount: Double?, currency: String?) {
            self.type = type
            self.amount = amount
            self.currency = currency
        }

        /// What the cooperative suggests for `km`, never a commission: free, or the cost share in euros.
        init(_ settings: CarpoolSettings, km: Double) {
            if settings.contribution == .free {
                self.init(type: "FREE", amount: 0, currency: "EUR")
            } else {
                self.init(type: "PAYING", amount: Double(settings.contribution.suggestedCents(km: km)) / 100, currency: "EUR")
            }
        }
    }

    struct Journey: Encodable, Sendable {
        var id: String
        var `operator`: String
        var driver: User?
        var passenger: User?
        var passengerPickupLat: Double
        var passengerPickupLng: Double
        var passengerDropLat: Double
        var passengerDropLng: Double
        var passengerPickupAddress: String
        var passengerDropAddress: String
        var driverDepartureLat: Double
        var driverDepartureLng: Double
        var driverArrivalLat: Double
        var driverArrivalLng: Double
        var driverDepartureAddress: String
        var driverArrivalAddress: String
        var duration: Int
        var distance: Int
        var passengerPickupDate: Int
        var driverDepartureDate: Int
        var type = "PLANNED"
        var webUrl: String
        var availableSeats: Int?
        var requestedSeats: Int?
        var price: Price?

        init(_ journey: StandardJourneys.Journey, drivers: Bool, ctx: StandardAPI.Context, settings: CarpoolSettings) {
            let ad = journey.ad, who = User.member(of: ad, ctx: ctx)
            id = journey.id.text; `operator` = ctx.operatorName
            driver = drivers ? who : nil; passenger = drivers ? nil : who
            passengerPickupLat = journey.pickup.lat; passengerPickupLng = journey.pickup.lon
            passengerDropLat = journey.drop.lat; passengerDropLng = journey.drop.lon
            passengerPickupAddress = journey.pickupName; passengerDropAddress = journey.dropName
            driverDepartureLat = journey.pickup.lat; driverDepartureLng = journey.pickup.lon
            driverArrivalLat = journey.drop.lat; driverArrivalLng = journey.drop.lon
            driverDepartureAddress = journey.pickupName; driverArrivalAddress = journey.dropName
            duration = Int((ad.minutes * 60).rounded()); distance = Int((ad.distance_km * 1000).rounded())
            passengerPickupDate = journey.pickupAt; driverDepartureDate = journey.pickupAt
            webUrl = "\(ctx.baseURL)\(ctx.access.base)/ads/\(ad.id)"
            if drivers {
                availableSeats = journey.seatsLeft
                price = Price(settings, km: ad.distance_km)
            } else {
                requestedSeats = ad.seats
            }
        }
    }

    struct Schedule: Encodable, Sendable {
        var passengerPickupDay: String
        var passengerPickupTimeOfDay: String
    }

    struct RegularTrip: Encodable, Sendable {
        var `operator`: String
        var driver: User?
        var passenger: User?
        var passengerPickupLat: Double
        var passengerPickupLng: Double
        var passengerDropLat: Double
        var passengerDropLng: Double
        var passengerPickupAddress: String
        var passengerDropAddress: String
        var duration: Int
        var distance: Int
        var webUrl: String
        var schedules: [Schedule]

        init(_ trip: StandardJourneys.RegularTrip, drivers: Bool, ctx: StandardAPI.Context, settings: CarpoolSettings) {
            let ad = trip.ad, who = User.member(of: ad, ctx: ctx)
            `operator` = ctx.operatorName
            driver = drivers ? who : nil; passenger = drivers ? nil : who
            passengerPickupLat = trip.pickup.lat; passengerPickupLng = trip.pickup.lon
            passengerDropLat = trip.drop.lat; passengerDropLng = trip.drop.lon
            passengerPickupAddress = trip.pickupName; passengerDropAddress = trip.dropName
            duration = Int((ad.minutes * 60).rounded()); distance = Int((ad.distance_km * 1000).rounded())
            webUrl = "\(ctx.baseURL)\(ctx.access.base)/ads/\(ad.id)"
            schedules = trip.days.map { Schedule(passengerPickupDay: StandardJourneyQuery.weekdayNames[$0.weekday - 1],
                                                 passengerPickupTimeOfDay: StandardJourneyQuery.partialTime(minute: $0.minute)) }
        }
    }

    struct Booking: Codable, Sendable {
        var id: String
        var driver: User
        var passenger: User
        var passengerPickupDate: Double
        var passengerPickupLat: Double
        var passengerPickupLng: Double
        var passengerDropLat: Double
        var passengerDropLng: Double
        var passengerPickupAddress: String?
        var passengerDropAddress: String?
        var status: String
        var duration: Int?
        var distance: Int?
        var webUrl: String?
        var price: Price
        var driverJourneyId: String?
        var passengerJourneyId: String?

        init(_ row: PartnerBookingRow, ctx: StandardAPI.Context, on db: any Database) async throws {
            let ad = try await CarpoolAds.find(row.ad_id, in: row.cooperative_id, on: db)
            let settings = try await CarpoolSettings.of(row.cooperative_id, on: db)
            let leg = RideLeg(rawValue: row.leg) ?? .outward
            id = row.id.uuidString.lowercased()
            driver = User.member(of: ad, ctx: ctx)
            passenger = User(id: row.passenger_ref, operator: row.passenger_operator, alias: row.passenger_alias)
            passengerPickupDate = row.pickup_at.timeIntervalSince1970.rounded()
            passengerPickupLat = row.pickup_lat; passengerPickupLng = row.pickup_lon
            passengerDropLat = row.drop_lat; passengerDropLng = row.drop_lon
            (passengerPickupAddress, passengerDropAddress) = leg == .outward ? (ad.origin_name, ad.destination_name) : (ad.destination_name, ad.origin_name)
            status = row.status
            duration = Int((ad.minutes * 60).rounded()); distance = Int((ad.distance_km * 1000).rounded())
            webUrl = "\(ctx.baseURL)\(ctx.access.base)/ads/\(ad.id)"
            price = Price(settings, km: ad.distance_km)
            driverJourneyId = LocalDate(iso: row.travel_date).map { StandardJourneyID(ad: ad.id, date: $0, leg: leg).text }
        }
    }

    struct BookingEventData: Codable, Sendable {
        var id: String
        var status: String
    }

    struct BookingEvent: Codable, Sendable {
        var id: String
        var idToken: String
        var data: BookingEventData
    }

    struct Message: Codable, Sendable {
        var from: User
        var to: User
        var message: String
        var recipientCarpoolerType: String
        var driverJourneyId: String?
        var passengerJourneyId: String?
        var bookingId: String?
    }
}
