import Fluent
import SQLKit

/// The carpool module's tables: the cooperative's choices, relay points, ads with their departure
/// times (the rows the matching prefilter reads), asks with their history and the seats they hold,
/// communities, alerts and reviews. No position trace is ever stored: only the places people chose.
struct CreateCarpool: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("carpool_settings")
            .field("cooperative_id", .uuid, .identifier(auto: false), .references(Cooperative.schema, "id", onDelete: .cascade))
            .field("contribution", .string, .required)
            .field("cents_per_km", .int, .required)
            .field("payment", .string, .required)
            .field("reviews", .bool, .required)
            .field("updated_at", .datetime, .required)
            .field("updated_by", .uuid, .references(User.schema, "id"))
            .constraint(.custom(SQLRaw("CONSTRAINT carpool_settings_contribution CHECK (contribution IN ('free','at-cost') AND cents_per_km BETWEEN 1 AND 30)")))
            .constraint(.custom(SQLRaw("CONSTRAINT carpool_settings_payment CHECK (payment IN ('direct','ledger'))")))
            .create()
        try await database.schema("carpool_relay_points")
            .id()
            .field("cooperative_id", .uuid, .required, .references(Cooperative.schema, "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("commune", .string, .required)
            .field("lat", .double, .required)
            .field("lon", .double, .required)
            .field("description", .string, .required)
            .field("created_at", .datetime, .required)
            .field("withdrawn_at", .datetime)
            .unique(on: "cooperative_id", "name")
            .create()
        try await createAds(database)
        try await createAsks(database)
        try await createCommunitiesAlertsReviews(database)
    }

    private func createAds(_ database: any Database) async throws {
        try await database.schema("carpool_ads")
            .id()
            .field("cooperative_id", .uuid, .required, .references(Cooperative.schema, "id", onDelete: .cascade))
            .field("author_id", .uuid, .required, .references(User.schema, "id"))
            .field("role", .string, .required)
            .field("frequency", .string, .required)
            .field("origin_name", .string, .required)
            .field("origin_lat", .double, .required)
            .field("origin_lon", .double, .required)
            .field("origin_relay_id", .uuid, .references("carpool_relay_points", "id"))
            .field("destination_name", .string, .required)
            .field("destination_lat", .double, .required)
            .field("destination_lon", .double, .required)
            .field("destination_relay_id", .uuid, .references("carpool_relay_points", "id"))
            .field("distance_km", .double, .required)
            .field("minutes", .double, .required)
            // Local days as ISO text ("2027-01-15"), which sorts as dates on both engines.
            .field("from_date", .string, .required)
            .field("until_date", .string, .required)
            .field("margin", .int, .required)
            .field("seats", .int, .required)
            .field("options", .string, .required)
            .field("comment", .string, .required)
            // The author's phone for this trip, shown to the other side once an ask is accepted.
            .field("phone", .string)
            .field("community_id", .uuid)
            .field("created_at", .datetime, .required)
            .field("withdrawn_at", .datetime)
            .constraint(.custom(SQLRaw("CONSTRAINT carpool_ads_role CHECK (role IN ('driver','passenger','both') AND frequency IN ('punctual','regular'))")))
            .constraint(.custom(SQLRaw("CONSTRAINT carpool_ads_seats CHECK (seats BETWEEN 1 AND 8 AND margin BETWEEN 0 AND 120)")))
            .create()
        try await database.sql.create(index: "carpool_ads_cooperative").on("carpool_ads").column("cooperative_id").column("until_date").run()
        try await database.sql.create(index: "carpool_ads_author").on("carpool_ads").column("author_id").run()
        // One row per leg and day an ad travels: a punctual leg names its date, a regular one its
        // weekday. The matching prefilter reads only this table (bearing, boxes, distance, time),
        // so each row carries the ad's geometry: the leg's bearing, the plain rectangle of its two
        // ends and the rectangle grown by the largest detour (`CarpoolMatching.Prefilter`).
        try await database.schema("carpool_ad_times")
            .field("ad_id", .uuid, .required, .references("carpool_ads", "id", onDelete: .cascade))
            .field("cooperative_id", .uuid, .required)
            .field("leg", .string, .required)
            .field("on_date", .string)
            .field("weekday", .int)
            .field("minute", .int, .required)
            .field("margin", .int, .required)
            .field("role", .string, .required)
            .field("bearing", .double, .required)
            .field("distance_km", .double, .required)
            .field("minutes", .double, .required)
            .field("min_lat", .double, .required).field("max_lat", .double, .required)
            .field("min_lon", .double, .required).field("max_lon", .double, .required)
            .field("ext_min_lat", .double, .required).field("ext_max_lat", .double, .required)
            .field("ext_min_lon", .double, .required).field("ext_max_lon", .double, .required)
            .field("from_date", .string, .required)
            .field("until_date", .string, .required)
            .field("community_id", .uuid)
            .constraint(.custom(SQLRaw("CONSTRAINT carpool_ad_times_day CHECK ((on_date IS NULL) <> (weekday IS NULL) AND (weekday IS NULL OR weekday BETWEEN 1 AND 7) AND minute BETWEEN 0 AND 1439)")))
            .create()
        // Covering indexes: the search reads a day's rows in a bearing range and filters them on
        // their rectangles, distance and times inside the index, never reading the table (4× faster
        // at 100,000 ads: docs/performance.md, "Carpool search").
        let filtered = ["ext_min_lat", "ext_max_lat", "ext_min_lon", "ext_max_lon", "min_lat", "max_lat", "min_lon", "max_lon", "distance_km",
                        "minute", "margin", "minutes", "role", "community_id", "ad_id", "leg"]
        var dated = database.sql.create(index: "carpool_ad_times_dated").on("carpool_ad_times").column("cooperative_id").column("on_date").column("bearing")
        var weekly = database.sql.create(index: "carpool_ad_times_weekly").on("carpool_ad_times").column("cooperative_id").column("weekday").column("bearing")
        for column in filtered {
            dated = dated.column(column)
            weekly = weekly.column(column)
        }
        try await dated.run()
        try await weekly.column("from_date").column("until_date").run()
        try await database.sql.create(index: "carpool_ad_times_ad").on("carpool_ad_times").column("ad_id").run()
    }

    private func createAsks(_ database: any Database) async throws {
        try await database.schema("carpool_asks")
            .id()
            .field("cooperative_id", .uuid, .required, .references(Cooperative.schema, "id", onDelete: .cascade))
            .field("ad_id", .uuid, .required, .references("carpool_ads", "id"))
            .field("travel_date", .string, .required)
            .field("leg", .string, .required)
            .field("driver_id", .uuid, .required, .references(User.schema, "id"))
            .field("passenger_id", .uuid, .required, .references(User.schema, "id"))
            .field("asked_by", .string, .required)
            .field("status", .string, .required)
            .field("seats", .int, .required)
            .field("pickup_name", .string, .required)
            .field("dropoff_name", .string, .required)
            .field("shared_km", .double, .required)
            .field("contribution_cents", .int64, .required)
            // When the passenger paid it through the cooperative's accounts (once: a conditional update).
            .field("paid_at", .datetime)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .constraint(.custom(SQLRaw("CONSTRAINT carpool_asks_status CHECK (status IN ('initiated','pending','accepted','declined','cancelled','completed') AND asked_by IN ('driver','passenger') AND leg IN ('outward','return') AND seats BETWEEN 1 AND 8 AND driver_id <> passenger_id)")))
            .create()
        // One open ask per ride, day, leg and pair of people: a double click makes one request.
        try await database.sql.raw("""
            CREATE UNIQUE INDEX carpool_asks_open ON carpool_asks (ad_id, travel_date, leg, driver_id, passenger_id)
            WHERE status IN ('initiated','pending','accepted')
            """).run()
        try await database.sql.create(index: "carpool_asks_driver").on("carpool_asks").column("driver_id").column("travel_date").run()
        try await database.sql.create(index: "carpool_asks_passenger").on("carpool_asks").column("passenger_id").column("travel_date").run()
        try await database.schema("carpool_ask_events")
            .id()
            .field("ask_id", .uuid, .required, .references("carpool_asks", "id", onDelete: .cascade))
            .field("status", .string, .required)
            .field("by_id", .uuid, .references(User.schema, "id"))
            .field("reason", .string, .required)
            .field("at", .datetime, .required)
            .create()
        try await database.sql.create(index: "carpool_ask_events_ask").on("carpool_ask_events").column("ask_id").column("at").run()
        // The seats an ad's accepted asks hold on one day and leg. The check is the invariant:
        // an acceptance is a conditional `taken = taken + n`, so no interleaving can overbook.
        try await database.schema("carpool_seats")
            .field("ad_id", .uuid, .required, .references("carpool_ads", "id", onDelete: .cascade))
            .field("travel_date", .string, .required)
            .field("leg", .string, .required)
            .field("capacity", .int, .required)
            .field("taken", .int, .required)
            .compositeIdentifier(over: "ad_id", "travel_date", "leg")
            .constraint(.custom(SQLRaw("CONSTRAINT carpool_seats_bounds CHECK (taken >= 0 AND taken <= capacity)")))
            .create()
    }

    private func createCommunitiesAlertsReviews(_ database: any Database) async throws {
        try await database.schema("carpool_communities")
            .id()
            .field("cooperative_id", .uuid, .required, .references(Cooperative.schema, "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("description", .string, .required)
            .field("joining", .string, .required)
            // Comma-separated, cleaned by `CommunityJoining.entries`.
            .field("domains", .string, .required)
            .field("addresses", .string, .required)
            .field("created_by", .uuid, .required, .references(User.schema, "id"))
            .field("created_at", .datetime, .required)
            .field("closed_at", .datetime)
            .unique(on: "cooperative_id", "name")
            .constraint(.custom(SQLRaw("CONSTRAINT carpool_communities_joining CHECK (joining IN ('open','approval','domain','list'))")))
            .create()
        try await database.schema("carpool_community_members")
            .field("community_id", .uuid, .required, .references("carpool_communities", "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references(User.schema, "id"))
            .field("status", .string, .required)
            .field("joined_at", .datetime, .required)
            .compositeIdentifier(over: "community_id", "user_id")
            .constraint(.custom(SQLRaw("CONSTRAINT carpool_community_members_status CHECK (status IN ('manager','member','waiting'))")))
            .create()
        try await database.sql.create(index: "carpool_community_members_user").on("carpool_community_members").column("user_id").run()
        try await database.schema("carpool_alerts")
            .id()
            .field("cooperative_id", .uuid, .required, .references(Cooperative.schema, "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references(User.schema, "id"))
            // The role the person looks for: 'driver' (they want a seat) or 'passenger'.
            .field("looking_for", .string, .required)
            .field("origin_name", .string, .required)
            .field("origin_lat", .double, .required)
            .field("origin_lon", .double, .required)
            .field("destination_name", .string, .required)
            .field("destination_lat", .double, .required)
            .field("destination_lon", .double, .required)
            // ISO weekdays "1,2,3,4,5", or empty for any day.
            .field("weekdays", .string, .required)
            .field("minute", .int)
            .field("margin", .int, .required)
            .field("created_at", .datetime, .required)
            .field("paused_at", .datetime)
            .constraint(.custom(SQLRaw("CONSTRAINT carpool_alerts_role CHECK (looking_for IN ('driver','passenger'))")))
            .create()
        try await database.sql.create(index: "carpool_alerts_cooperative").on("carpool_alerts").column("cooperative_id").run()
        // One notice per alert and ad, whatever the number of processes that publish.
        try await database.schema("carpool_alert_hits")
            .field("alert_id", .uuid, .required, .references("carpool_alerts", "id", onDelete: .cascade))
            .field("ad_id", .uuid, .required, .references("carpool_ads", "id", onDelete: .cascade))
            .field("at", .datetime, .required)
            .compositeIdentifier(over: "alert_id", "ad_id")
            .create()
        try await database.schema("carpool_reviews")
            .id()
            .field("ask_id", .uuid, .required, .references("carpool_asks", "id", onDelete: .cascade))
            .field("author_id", .uuid, .required, .references(User.schema, "id"))
            .field("about_id", .uuid, .required, .references(User.schema, "id"))
            .field("body", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "ask_id", "author_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in ["carpool_reviews", "carpool_alert_hits", "carpool_alerts", "carpool_community_members", "carpool_communities",
                      "carpool_seats", "carpool_ask_events", "carpool_asks", "carpool_ad_times", "carpool_ads",
                      "carpool_relay_points", "carpool_settings"] {
            try await database.schema(table).delete()
        }
    }
}
