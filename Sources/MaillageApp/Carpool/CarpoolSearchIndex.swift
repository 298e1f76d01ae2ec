import Fluent
import Foundation
import MaillageCore
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// Each cooperative's ride times in memory (`CarpoolDayIndex`), kept fresh through
/// `CarpoolSearchChanges`: before each search one indexed read says which ads changed since the
/// index was read, and only those are read again. One per application (one database): processes
/// sharing a database each hold theirs and learn of each other's writes the same way.
final class CarpoolSearchIndex: Sendable {
    private struct Held: Sendable {
        var version: Int
        var index: CarpoolDayIndex
    }

    private let held = NIOLockedValueBox<[UUID: Held]>([:])
    /// One full read per cooperative at a time: the searches that arrive meanwhile wait for it.
    private let loads = NIOLockedValueBox<[UUID: Task<Held, any Error>]>([:])

    /// The cooperative's index as of now.
    func index(of coop: UUID, on db: any Database) async throws -> CarpoolDayIndex {
        guard let mine = held.withLockedValue({ $0[coop] }) else { return try await load(coop, on: db).index }
        let (current, changed) = try await CarpoolSearchChanges.since(mine.version, coop: coop, on: db.sql)
        guard current > mine.version else { return mine.index }
        guard let changed else { return try await load(coop, on: db).index }
        let rows = try await Self.rows(of: coop, ads: Array(changed), on: db.sql)
        let byAd = Dictionary(grouping: rows, by: \.ad)
        return held.withLockedValue { all in
            // Another search may have moved it on meanwhile: apply ours only over an older one.
            var fresh = all[coop] ?? mine
            guard fresh.version < current else { return fresh.index }
            for ad in changed { fresh.index.replace(ad: ad, with: byAd[ad] ?? []) }
            fresh.version = current
            all[coop] = fresh
            return fresh.index
        }
    }

    /// Reads the cooperative's rows whole. The version is read first: a change that lands
    /// while the rows are read is read again at the next search (reading an ad twice is harmless).
    private func load(_ coop: UUID, on db: any Database) async throws -> Held {
        let task = loads.withLockedValue { loads in
            if let running = loads[coop] { return running }
            let task = Task<Held, any Error> {
                let version = try await CarpoolSearchChanges.current(coop: coop, on: db.sql)
                return Held(version: version, index: CarpoolDayIndex(try await Self.rows(of: coop, ads: nil, on: db.sql)))
            }
            loads[coop] = task
            return task
        }
        defer { loads.withLockedValue { if $0[coop] == task { $0[coop] = nil } } }
        let loaded = try await task.value
        held.withLockedValue { all in
            if (all[coop]?.version ?? -1) < loaded.version { all[coop] = loaded }
        }
        return loaded
    }

    static let columns = ["ad_id", "leg", "on_date", "weekday", "from_date", "until_date", "minute", "margin", "role", "community_id", "author_id",
                          "origin_lat", "origin_lon", "destination_lat", "destination_lon", "bearing", "distance_km", "minutes",
                          "min_lat", "max_lat", "min_lon", "max_lon", "ext_min_lat", "ext_max_lat", "ext_min_lon", "ext_max_lon"]

    /// The day rows of the cooperative (of `ads` only, when given).
    static func rows(of coop: UUID, ads: [UUID]?, on sql: any SQLDatabase) async throws -> [CarpoolDayIndex.Row] {
        if let ads, ads.isEmpty { return [] }
        var rows: [CarpoolDayIndex.Row] = []
        for chunk in ads.map({ ads in stride(from: 0, to: ads.count, by: 2_000).map { Array(ads[$0..<min(ads.count, $0 + 2_000)]) } }) ?? [nil] {
            let select = sql.select().columns(columns.map { SQLColumn($0) }).from("carpool_ad_times").where("cooperative_id", .equal, SQLBind(coop))
            if let chunk { select.where("ad_id", .in, SQLBind.group(chunk)) }
            rows += try await select.all().compactMap(row)
        }
        return rows
    }

    /// One stored row, read column by column (a full read decodes hundreds of thousands); a row
    /// that cannot be read (coordinates erased) is left out of the search.
    private static func row(_ row: any SQLRow) throws -> CarpoolDayIndex.Row? {
        func double(_ column: String) throws -> Double { try row.decode(column: column, as: Double.self) }
        guard let leg = RideLeg(rawValue: try row.decode(column: "leg", as: String.self)),
              let role = RideRole(rawValue: try row.decode(column: "role", as: String.self)),
              let origin = GeoPoint(lat: try double("origin_lat"), lon: try double("origin_lon")),
              let destination = GeoPoint(lat: try double("destination_lat"), lon: try double("destination_lon"))
        else { return nil }
        let days: CarpoolDayIndex.Row.Days
        if let date = try row.decode(column: "on_date", as: String?.self).flatMap(LocalDate.init(iso:)) {
            days = .on(date)
        } else if let weekday = try row.decode(column: "weekday", as: Int?.self),
                  let from = LocalDate(iso: try row.decode(column: "from_date", as: String.self)),
                  let until = LocalDate(iso: try row.decode(column: "until_date", as: String.self)) {
            days = .weekly(weekday: weekday, from: from, until: until)
        } else { return nil }
        let geometry = CarpoolMatching.Prefilter(
            bearing: try double("bearing"), distanceKm: try double("distance_km"),
            box: GeoBoundingBox(minLat: try double("min_lat"), maxLat: try double("max_lat"), minLon: try double("min_lon"), maxLon: try double("max_lon")),
            extendedBox: GeoBoundingBox(minLat: try double("ext_min_lat"), maxLat: try double("ext_max_lat"),
                                        minLon: try double("ext_min_lon"), maxLon: try double("ext_max_lon")))
        return CarpoolDayIndex.Row(ad: try row.decode(column: "ad_id", as: UUID.self), leg: leg, days: days,
                                   time: RideTime(minute: try row.decode(column: "minute", as: Int.self), margin: try row.decode(column: "margin", as: Int.self)),
                                   role: role, community: try row.decode(column: "community_id", as: UUID?.self),
                                   author: try row.decode(column: "author_id", as: UUID?.self),
                                   origin: origin, destination: destination, geometry: geometry, minutes: try double("minutes"))
    }
}

extension Application {
    private struct CarpoolSearchIndexKey: StorageKey, LockKey { typealias Value = CarpoolSearchIndex }

    /// This application's ride index (made on first use).
    var carpoolSearchIndex: CarpoolSearchIndex {
        if let index = storage[CarpoolSearchIndexKey.self] { return index }
        return locks.lock(for: CarpoolSearchIndexKey.self).withLock {
            if let index = storage[CarpoolSearchIndexKey.self] { return index }
            let index = CarpoolSearchIndex()
            storage[CarpoolSearchIndexKey.self] = index
            return index
        }
    }
}
