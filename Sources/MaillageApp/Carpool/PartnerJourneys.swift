import Foundation
import MaillageCore
import NIOConcurrencyHelpers
import Vapor

/// Asks the cooperative's enabled partner operators for driver journeys matching a search, all
/// at once, through the safe fetcher and within a short deadline: a slow, failing or confused
/// partner costs the search at most that deadline and is named as not having answered. Answers
/// are kept a minute per partner and search, so a page reloaded or shared asks no one again.
enum PartnerJourneys {
    /// What one partner gave for one search.
    struct Found: Sendable {
        enum Outcome: Sendable {
            case journeys([PartnerJourney])
            case noAnswer
        }

        var name: String
        /// Where a journey without its own page links to: the partner's address.
        var site: String
        var outcome: Outcome
    }

    /// The whole wait for every partner, asked in parallel.
    static let deadline: Duration = .seconds(2)
    static let resultsPerPartner = 10
    /// Around the searched places: our places are communes and relay points, so a few km.
    static let radiusKm = 5.0
    static let kept: TimeInterval = 60

    /// The standard's query for a search: pickup around the time ± its margin, or the whole day.
    static func queryString(_ query: CarpoolSearch.Query, zone: LocalZone = .paris) -> String {
        let (center, delta): (Date, Int)
        if let time = query.time {
            center = zone.instant(on: query.date, hour: time.minute / 60, minute: time.minute % 60)
            delta = max(time.margin, 15) * 60
        } else {
            center = zone.instant(on: query.date, hour: 12)
            delta = 12 * 3_600
        }
        let items: [(String, String)] = [
            ("departureLat", "\(query.origin.point.lat)"), ("departureLng", "\(query.origin.point.lon)"),
            ("arrivalLat", "\(query.destination.point.lat)"), ("arrivalLng", "\(query.destination.point.lon)"),
            ("departureDate", "\(Int(center.timeIntervalSince1970))"), ("timeDelta", "\(delta)"),
            ("departureRadius", "\(radiusKm)"), ("arrivalRadius", "\(radiusKm)"), ("count", "\(resultsPerPartner)"),
        ]
        return items.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// Every enabled partner's answer, in the partners' order; empty when there is none.
    static func search(_ query: CarpoolSearch.Query, coop: UUID, req: Request) async throws -> [Found] {
        guard query.lookingFor == .driver else { return [] }
        let partners = try await PartnerOperators.enabled(in: coop, on: req.db)
        guard !partners.isEmpty else { return [] }
        let text = queryString(query), fetcher = req.safeFetcher, cache = PartnerJourneyCache.shared
        return await withTaskGroup(of: (Int, Found).self) { group in
            for (index, partner) in partners.enumerated() {
                group.addTask { (index, await ask(partner, query: text, fetcher: fetcher, cache: cache)) }
            }
            var found: [(Int, Found)] = []
            for await answer in group { found.append(answer) }
            return found.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    static func ask(_ partner: PartnerOperators.Row, query: String, fetcher: SafeFetcher, cache: PartnerJourneyCache) async -> Found {
        let cacheKey = "\(partner.id)|\(partner.updated_at.timeIntervalSince1970)|\(query)"
        if let outcome = cache.get(cacheKey) { return Found(name: partner.name, site: partner.base_url, outcome: outcome) }
        let key = PartnerOperators.key(of: partner)
        let outcome: Found.Outcome
        do {
            let document = try await fetcher.fetch("\(partner.base_url)/driver_journeys?\(query)", accept: "application/json",
                credentials: key.map { [(StandardPartners.header, $0)] } ?? [],
                limits: SafeFetcher.Limits(totalTime: deadline, maxBodyBytes: 1_048_576, maxRedirects: 2))
            outcome = .journeys(try PartnerJourneyAnswer.read(Data(document.body.readableBytesView), limit: resultsPerPartner))
        } catch {
            outcome = .noAnswer
        }
        cache.put(cacheKey, outcome, for: kept)
        return Found(name: partner.name, site: partner.base_url, outcome: outcome)
    }
}

/// Partners' answers for a minute, bounded: past the limit, the oldest half goes.
/// One per process: keys name the partner (its id and last change), so instances and tests sharing
/// a process never read each other's answers.
final class PartnerJourneyCache: Sendable {
    static let shared = PartnerJourneyCache()
    private let entries = NIOLockedValueBox<[String: (until: Date, outcome: PartnerJourneys.Found.Outcome)]>([:])
    static let limit = 1_000

    func get(_ key: String, now: Date = Date()) -> PartnerJourneys.Found.Outcome? {
        entries.withLockedValue { entries in
            guard let entry = entries[key] else { return nil }
            guard entry.until > now else { entries[key] = nil; return nil }
            return entry.outcome
        }
    }

    func put(_ key: String, _ outcome: PartnerJourneys.Found.Outcome, for seconds: TimeInterval, now: Date = Date()) {
        entries.withLockedValue { entries in
            if entries.count >= Self.limit {
                entries = entries.filter { $0.value.until > now }
                if entries.count >= Self.limit {
                    let oldest = entries.sorted { $0.value.until < $1.value.until }.prefix(Self.limit / 2).map(\.key)
                    for key in oldest { entries[key] = nil }
                }
            }
            entries[key] = (now.addingTimeInterval(seconds), outcome)
        }
    }
}
