import Fluent
import Foundation
import MaillageCore
import SQLKit
import Vapor

/// Core's generated ads as the app stores them: each one typed into the ad form (`RideDraft`),
/// checked, and written by `CarpoolAdRows` in large transactions. For the benchmark and the tests
/// that need a territory's worth of ads.
enum CarpoolBenchAds {
    /// The generated ad as its author would have typed it; nil if the form refuses it.
    static func rideAd(_ generated: CarpoolAdGenerator.GeneratedAd, today: LocalDate) -> RideAd? {
        let origin = RidePlace(name: nearestCommune(to: generated.trip.origin), point: generated.trip.origin)
        let destination = RidePlace(name: nearestCommune(to: generated.trip.destination), point: generated.trip.destination)
        let draft: RideDraft
        if let pattern = generated.pattern, let from = generated.from, let until = generated.until {
            draft = RideDraft(role: generated.role, frequency: "regular", margin: "\(pattern.days.values.first?.margin ?? RideTime.defaultMargin)",
                              fromDate: from.iso, untilDate: until.iso,
                              weekdays: pattern.days.mapValues { (outward: RideTime.clock($0.minute), back: "") }, seats: "\(generated.seats)")
        } else if let date = generated.departureDate, let window = generated.window {
            draft = RideDraft(role: generated.role, frequency: "punctual", date: date.iso, time: RideTime.clock(window.minute),
                              margin: "\(window.margin)", seats: "\(generated.seats)")
        } else {
            return nil
        }
        let startOfToday = LocalZone.paris.instant(on: today, hour: 0, minute: 0)
        return try? draft.validated(origin: origin, destination: destination, community: nil, now: startOfToday)
    }

    /// Writes `ads` into `coop` by `author`, 2,000 ads a transaction; `progress` gets the count written.
    static func store(_ ads: [CarpoolAdGenerator.GeneratedAd], today: LocalDate, author: UUID, coop: UUID, on db: any Database,
                      progress: (Int) -> Void = { _ in }) async throws -> Int {
        let batch = 2_000, now = Date()
        var written = 0
        for start in stride(from: 0, to: ads.count, by: batch) {
            let rows = ads[start..<min(ads.count, start + batch)].compactMap { generated in
                rideAd(generated, today: today).map { CarpoolAdRows($0, phone: nil, author: author, coop: coop, id: generated.id, now: now) }
            }
            try await db.writeTransaction { tx in try await CarpoolAdRows.insert(rows, on: tx.sql) }
            written += rows.count
            progress(min(ads.count, start + batch))
        }
        return written
    }

    private static let communes = Communes.known

    /// The name shown for a generated place: the commune whose town hall is nearest.
    static func nearestCommune(to point: GeoPoint) -> String {
        let scale = cos(point.lat * .pi / 180)
        return communes.min { a, b in
            let da = (a.lat - point.lat) * (a.lat - point.lat) + (a.lon - point.lon) * (a.lon - point.lon) * scale * scale
            let db = (b.lat - point.lat) * (b.lat - point.lat) + (b.lon - point.lon) * (b.lon - point.lon) * scale * scale
            return da < db
        }?.name ?? "Nantes"
    }
}
