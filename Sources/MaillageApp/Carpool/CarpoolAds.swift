import Fluent
import Foundation
import MaillageCore
import SQLKit

/// An ad as stored: what its page, the search results and the API show.
struct RideAdRow: Sendable, Decodable {
    var id: UUID
    var cooperative_id: UUID
    var author_id: UUID
    var role: String
    var frequency: String
    var origin_name: String
    var origin_lat: Double
    var origin_lon: Double
    var destination_name: String
    var destination_lat: Double
    var destination_lon: Double
    var distance_km: Double
    var minutes: Double
    var from_date: String
    var until_date: String
    var margin: Int
    var seats: Int
    var options: String
    var comment: String
    var phone: String?
    var community_id: UUID?
    var created_at: Date
    var withdrawn_at: Date?

    var rideRole: RideRole { RideRole(rawValue: role) ?? .driver }
    var optionList: [RideOption] { options.split(separator: ",").compactMap { RideOption(rawValue: String($0)) } }
    var isRegular: Bool { frequency == "regular" }
    var origin: GeoPoint { GeoPoint(lat: origin_lat, lon: origin_lon) ?? GeoPoint(lat: 0, lon: 0)! }
    var destination: GeoPoint { GeoPoint(lat: destination_lat, lon: destination_lon) ?? GeoPoint(lat: 0, lon: 0)! }
    var trip: CarpoolMatching.Trip { CarpoolMatching.Trip(origin: origin, destination: destination) }
    var lastDay: LocalDate? { LocalDate(iso: until_date) }
}

extension RideAdRow {
    /// Read column by column, for the search's shown ads: `Decodable`'s keyed containers cost
    /// more than the query that reads them.
    init(row: any SQLRow) throws {
        func value<T: Decodable>(_ column: String, _ type: T.Type = T.self) throws -> T { try row.decode(column: column, as: T.self) }
        self.init(id: try value("id"), cooperative_id: try value("cooperative_id"), author_id: try value("author_id"), role: try value("role"),
                  frequency: try value("frequency"), origin_name: try value("origin_name"), origin_lat: try value("origin_lat"),
                  origin_lon: try value("origin_lon"), destination_name: try value("destination_name"),
                  destination_lat: try value("destination_lat"), destination_lon: try value("destination_lon"),
                  distance_km: try value("distance_km"), minutes: try value("minutes"), from_date: try value("from_date"),
                  until_date: try value("until_date"), margin: try value("margin"), seats: try value("seats"), options: try value("options"),
                  comment: try value("comment"), phone: try value("phone"), community_id: try value("community_id"),
                  created_at: try value("created_at"), withdrawn_at: try value("withdrawn_at"))
    }
}

/// One leg and day (or weekday) an ad travels.
struct RideTimeRow: Sendable, Decodable {
    var leg: String
    var on_date: String?
    var weekday: Int?
    var minute: Int
    var margin: Int
}

enum CarpoolAds {
    static let estimator: any RouteEstimator = StraightLineEstimator.standard
    static let adWord = Localized(fr: "Annonce de covoiturage", en: "Carpool ad")

    /// Stores a checked ad and the rows the matching reads (one per leg and day), in one transaction.
    static func publish(_ ad: RideAd, phone: String?, author: UUID, coop: UUID, on db: any Database) async throws -> UUID {
        let rows = CarpoolAdRows(ad, phone: phone, author: author, coop: coop)
        try await db.writeTransaction { tx in try await CarpoolAdRows.insert([rows], on: tx.sql) }
        return rows.id
    }

    static let columns = ["id", "cooperative_id", "author_id", "role", "frequency", "origin_name", "origin_lat", "origin_lon",
                          "destination_name", "destination_lat", "destination_lon", "distance_km", "minutes", "from_date", "until_date",
                          "margin", "seats", "options", "comment", "phone", "community_id", "created_at", "withdrawn_at"]

    /// The ad `id` of the cooperative, or 404.
    static func find(_ id: UUID?, in coop: UUID, on db: any Database) async throws -> RideAdRow {
        guard let id, let row = try await db.sql.select().columns(columns.map { SQLColumn($0) }).from("carpool_ads")
            .where("id", .equal, SQLBind(id)).where("cooperative_id", .equal, SQLBind(coop)).first(decoding: RideAdRow.self)
        else { throw Problem.notFound(adWord) }
        return row
    }

    static func times(of ad: UUID, on db: any Database) async throws -> [RideTimeRow] {
        try await db.sql.select().columns("leg", "on_date", "weekday", "minute", "margin").from("carpool_ad_times")
            .where("ad_id", .equal, SQLBind(ad)).orderBy("leg", .descending).orderBy("weekday").all(decoding: RideTimeRow.self)
    }

    /// The departure of `leg` on `date`, when the ad travels then.
    static func time(of ad: UUID, on date: LocalDate, leg: RideLeg, on db: any Database) async throws -> RideTimeRow? {
        try await times(of: ad, on: db).first { row in
            row.leg == leg.rawValue && (row.on_date == date.iso || row.weekday == date.weekday)
        }
    }

    /// The person's ads still to come, newest first.
    static func mine(_ person: UUID, in coop: UUID, today: LocalDate, on db: any Database) async throws -> [RideAdRow] {
        try await db.sql.select().columns(columns.map { SQLColumn($0) }).from("carpool_ads")
            .where("author_id", .equal, SQLBind(person)).where("cooperative_id", .equal, SQLBind(coop))
            .where("withdrawn_at", .is, SQLLiteral.null).where("until_date", .greaterThanOrEqual, SQLBind(today.iso))
            .orderBy("from_date").all(decoding: RideAdRow.self)
    }

    /// Withdraws the author's ad: it leaves the search; asks already accepted stay, and their
    /// people are told by the caller.
    static func withdraw(_ id: UUID, by author: UUID, in coop: UUID, on db: any Database) async throws {
        try await db.writeTransaction { tx in
            let rows = try await tx.sql.update("carpool_ads").set("withdrawn_at", to: SQLBind(Date()))
                .where("id", .equal, SQLBind(id)).where("cooperative_id", .equal, SQLBind(coop)).where("author_id", .equal, SQLBind(author))
                .where("withdrawn_at", .is, SQLLiteral.null).returning("id").all()
            guard !rows.isEmpty else { throw Problem.notFound(adWord) }
            try await tx.sql.delete(from: "carpool_ad_times").where("ad_id", .equal, SQLBind(id)).run()
            try await CarpoolSearchChanges.touch([id], coop: coop, on: tx.sql)
        }
    }

    /// The communities whose ads the person may see.
    static func communities(of person: UUID?, on db: any Database) async throws -> [UUID] {
        guard let person else { return [] }
        struct Row: Decodable { var community_id: UUID }
        return try await db.sql.select().column("community_id").from("carpool_community_members")
            .where("user_id", .equal, SQLBind(person)).where("status", .in, SQLBind.group(["manager", "member"]))
            .all(decoding: Row.self).map(\.community_id)
    }

    /// The communities the person belongs to, to offer "visible to this community only".
    static func communityChoices(of person: UUID, in coop: UUID, on db: any Database) async throws -> [(id: UUID, name: String)] {
        struct Row: Decodable { var id: UUID; var name: String }
        return try await db.sql.select().column(SQLColumn("id", table: "c")).column(SQLColumn("name", table: "c"))
            .from(SQLAlias(SQLIdentifier("carpool_communities"), as: SQLIdentifier("c")))
            .join(SQLAlias(SQLIdentifier("carpool_community_members"), as: SQLIdentifier("m")),
                  on: SQLColumn("community_id", table: "m"), .equal, SQLColumn("id", table: "c"))
            .where(SQLColumn("cooperative_id", table: "c"), .equal, SQLBind(coop)).where(SQLColumn("closed_at", table: "c"), .is, SQLLiteral.null)
            .where(SQLColumn("user_id", table: "m"), .equal, SQLBind(person))
            .where(SQLColumn("status", table: "m"), .in, SQLBind.group(["manager", "member"]))
            .orderBy(SQLColumn("name", table: "c")).all(decoding: Row.self).map { ($0.id, $0.name) }
    }

    /// The community an ad is limited to, checked: one the author belongs to, or none.
    static func community(_ value: String?, for person: UUID, in coop: UUID, on db: any Database) async throws -> UUID? {
        guard let value, !value.isEmpty else { return nil }
        guard let id = UUID(uuidString: value), try await communityChoices(of: person, in: coop, on: db).contains(where: { $0.id == id })
        else { throw CarpoolErrors.unknownChoice("community") }
        return id
    }
}
