import Foundation

/// The standard's journeys and regular trips as our ads. A journey is kept even when its day has
/// passed (an operator brings its history): the search never shows a day gone by.
extension StandardData {
    /// The name an imported place shows: its address, else its coordinates with decimal commas.
    public static func placeName(_ place: Place) -> String {
        if let address = place.address { return address }
        func french(_ value: Double) -> String { String(format: "%.4f", value).replacingOccurrences(of: ".", with: ",") }
        return "\(french(place.point.lat)) ; \(french(place.point.lon))"
    }

    static func ridePlace(_ place: Place) -> RidePlace { RidePlace(name: placeName(place), point: place.point) }

    /// A driver journey: a driver ad from the pickup to the drop-off, leaving at the pickup time;
    /// a passenger journey: a passenger ad the same way.
    public static func ad(_ journey: Journey, zone: LocalZone = .paris) -> RideAd {
        let time = RideTime(minute: zone.minuteOfDay(at: journey.pickupDate))
        return RideAd(role: journey.role, origin: ridePlace(journey.pickup), destination: ridePlace(journey.drop),
                      schedule: .punctual(date: zone.localDate(at: journey.pickupDate), outward: time, backDate: nil, back: nil),
                      seats: journey.seats ?? journey.role.defaultSeats, options: [], comment: "", community: nil)
    }

    /// A regular trip: every listed weekday, from its first listed journey (or `today`) for a year
    /// at most, as the ad form allows.
    public static func ad(_ trip: RegularTrip, today: LocalDate, zone: LocalZone = .paris) -> RideAd {
        let from = trip.firstDate.map { zone.localDate(at: $0) } ?? today
        let longest = from.adding(days: RideDraft.longestRegularDays - 1) ?? from
        let until = min(max(trip.lastDate.map { zone.localDate(at: $0) } ?? longest, from), longest)
        return RideAd(role: trip.role, origin: ridePlace(trip.pickup), destination: ridePlace(trip.drop),
                      schedule: .regular(from: from, until: until, outward: trip.days.mapValues { RideTime(minute: $0) }, back: [:]),
                      seats: trip.seats ?? trip.role.defaultSeats, options: [], comment: "", community: nil)
    }
}
