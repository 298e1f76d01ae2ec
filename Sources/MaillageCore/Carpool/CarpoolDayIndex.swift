import Foundation

/// A cooperative's ride times, held in memory so that a search reads only the few hundred that
/// could match: the rows of one day (the date's one-off rows, the weekday's regular ones) are
/// kept by 10° sector of their bearing, each sector in departure order. A search picks the
/// sectors around its own bearing, enters each at its earliest possible departure, and stops at
/// the latest; what remains is the prefilter's arithmetic on a few numbers per row.
///
/// The index never changes in place for a reader: it is a value, and a change makes a new one
/// (each sector's array is copied only when it changes), so a search works on one consistent day.
public struct CarpoolDayIndex: Sendable {
    /// One leg of an ad on the days it travels, with what the prefilter and the exact check read.
    public struct Row: Sendable, Hashable {
        public enum Days: Sendable, Hashable {
            /// A one-off trip: that date only.
            case on(LocalDate)
            /// A regular trip: every `weekday` (1 = Monday) from one date to another, both included.
            case weekly(weekday: Int, from: LocalDate, until: LocalDate)
        }

        public let ad: UUID
        public let leg: RideLeg
        public let days: Days
        public let time: RideTime
        public let role: RideRole
        public let community: UUID?
        public let author: UUID?
        /// The ad's two ends as the ad states them (a return leg travels them backwards: `trip`).
        public let origin: GeoPoint
        public let destination: GeoPoint
        /// The leg's prefilter geometry (`CarpoolMatching.prefilter`) and the ad's route.
        public let geometry: CarpoolMatching.Prefilter
        public let minutes: Double

        public init(ad: UUID, leg: RideLeg, days: Days, time: RideTime, role: RideRole, community: UUID?, author: UUID?,
                    origin: GeoPoint, destination: GeoPoint, geometry: CarpoolMatching.Prefilter, minutes: Double) {
            self.ad = ad
            self.leg = leg
            self.days = days
            self.time = time
            self.role = role
            self.community = community
            self.author = author
            self.origin = origin
            self.destination = destination
            self.geometry = geometry
            self.minutes = minutes
        }

        /// The leg as it is driven.
        public var trip: CarpoolMatching.Trip {
            leg == .outward ? CarpoolMatching.Trip(origin: origin, destination: destination)
                            : CarpoolMatching.Trip(origin: destination, destination: origin)
        }

        var sector: Int { CarpoolDayIndex.sector(of: geometry.bearing) }

        func travels(on date: LocalDate) -> Bool {
            switch days {
            case let .on(day): day == date
            case let .weekly(weekday, from, until): weekday == date.weekday && from <= date && date <= until
            }
        }
    }

    public static let sectors = 36

    /// The 10° sector a bearing (0..<360) is kept under, 0...35.
    public static func sector(of bearing: Double) -> Int { min(sectors - 1, max(0, Int(bearing / 10))) }

    /// One-off rows by day (days since the epoch), then sector; regular rows by weekday, then sector.
    private var dated: [Int: [[Row]]] = [:]
    private var weekly: [[[Row]]] = Array(repeating: Array(repeating: [], count: sectors), count: 7)
    /// Where each ad's rows are, to take them out when it changes (the rows themselves are
    /// kept once, in their buckets).
    private var bucketsByAd: [UUID: [Bucket]] = [:]
    public private(set) var rowCount = 0

    private enum Bucket: Hashable {
        case dated(day: Int, sector: Int)
        case weekly(weekday: Int, sector: Int)
    }

    public init() {}

    public init<S: Sequence>(_ rows: S) where S.Element == Row {
        for row in rows { append(row) }
        for day in dated.keys { for sector in 0..<Self.sectors { dated[day]![sector].sort(by: Self.departureOrder) } }
        for weekday in 0..<7 { for sector in 0..<Self.sectors { weekly[weekday][sector].sort(by: Self.departureOrder) } }
    }

    /// Ads in the index.
    public var adCount: Int { bucketsByAd.count }

    /// The ad's legs become `rows` (none when the ad was withdrawn or erased).
    public mutating func replace(ad: UUID, with rows: [Row]) {
        for bucket in Set(bucketsByAd[ad] ?? []) { remove(ad, from: bucket) }
        bucketsByAd[ad] = nil
        for row in rows { insert(row) }
    }

    // MARK: Reading a day

    /// The rows that could match `query`, earliest departure first: the same rules as
    /// `CarpoolMatching.passesPrefilter`, widened by the time windows (`Query`).
    public func candidates(_ query: Query) -> [Row] {
        var found: [Row] = []
        let bounds = query.departures
        let day = query.date.daysSinceEpoch, weekday = query.date.weekday - 1
        for (range, sector) in query.sectors {
            for rows in [dated[day]?[sector] ?? [], weekly[weekday][sector]] {
                var index = Self.firstIndex(in: rows, atOrAfter: bounds.lowerBound)
                while index < rows.count, rows[index].time.minute <= bounds.upperBound {
                    let row = rows[index]
                    index += 1
                    if range.contains(row.geometry.bearing), row.travels(on: query.date), query.admits(row) { found.append(row) }
                }
            }
        }
        // Sorting by departure alone is enough: the search reads every candidate of a minute
        // before it stops, and ranks them itself.
        return found.sorted { $0.time.minute < $1.time.minute }
    }

    // MARK: Keeping the buckets in departure order

    /// Within a minute the order does not matter: the search reads every row of a minute.
    static func departureOrder(_ a: Row, _ b: Row) -> Bool { a.time.minute < b.time.minute }

    /// The first position whose departure is at or after `minute` (rows in departure order).
    static func firstIndex(in rows: [Row], atOrAfter minute: Int) -> Int {
        var low = 0, high = rows.count
        while low < high {
            let middle = (low + high) / 2
            if rows[middle].time.minute < minute { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private func bucket(of row: Row) -> Bucket? {
        switch row.days {
        case let .on(date): .dated(day: date.daysSinceEpoch, sector: row.sector)
        case let .weekly(weekday, _, _): (1...7).contains(weekday) ? .weekly(weekday: weekday - 1, sector: row.sector) : nil
        }
    }

    private mutating func withRows(of bucket: Bucket, _ change: (inout [Row]) -> Void) {
        switch bucket {
        case let .dated(day, sector):
            change(&dated[day, default: Array(repeating: [], count: Self.sectors)][sector])
            if dated[day]?.allSatisfy(\.isEmpty) == true { dated[day] = nil }
        case let .weekly(weekday, sector):
            change(&weekly[weekday][sector])
        }
    }

    /// Adds a row at the end of its bucket (the whole index is sorted once built).
    private mutating func append(_ row: Row) {
        guard let bucket = bucket(of: row) else { return }
        withRows(of: bucket) { $0.append(row) }
        bucketsByAd[row.ad, default: []].append(bucket)
        rowCount += 1
    }

    /// Adds a row after those leaving at the same minute or earlier.
    private mutating func insert(_ row: Row) {
        guard let bucket = bucket(of: row) else { return }
        withRows(of: bucket) { rows in rows.insert(row, at: Self.firstIndex(in: rows, atOrAfter: row.time.minute + 1)) }
        bucketsByAd[row.ad, default: []].append(bucket)
        rowCount += 1
    }

    private mutating func remove(_ ad: UUID, from bucket: Bucket) {
        var removed = 0
        withRows(of: bucket) { rows in
            let before = rows.count
            rows.removeAll { $0.ad == ad }
            removed = before - rows.count
        }
        rowCount -= removed
    }
}
