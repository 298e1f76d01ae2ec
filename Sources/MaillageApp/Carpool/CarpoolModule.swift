import Fluent
import MaillageCore
import SQLKit
import Vapor

/// Carpooling without commission (like Mobicoop): ads as driver or passenger, punctual or
/// regular, between communes and the cooperative's relay points; a search that matches by detour;
/// asks that never overbook a car; communities, alerts, and optional text reviews.
struct CarpoolModule: MaillageModule {
    let name = "carpool"
    var migrations: [any Migration] { [CreateCarpool(), CreateCarpoolImportedIDs(), CreateCarpoolStandard(), CarpoolSearchEnds(), CreateCarpoolPartnerOperators(), CreateCarpoolProofs(), CreateCarpoolSolidarity(), PartnerBookingConfirmations(), CarpoolProofRegistryStates(), CarpoolAskPhones(), CreateCarpoolSearchChanges()] }
    var threadKinds: [ThreadKind] { [CarpoolThread.kind] }
    var outboxChannels: [any OutboxChannel] { [CarpoolProofChannel()] }

    /// Conversations about a ride are kept a year, then deleted; no position trace is ever stored.
    static let messageRetentionDays = 365

    var jobs: [ScheduledJob] {
        [ScheduledJob("purge-carpool-messages", every: 86_400) { app in
            try await ThreadStore.purgeMessages(kind: CarpoolThread.kindName,
                                                writtenBefore: Date().addingTimeInterval(-Double(Self.messageRetentionDays) * 86_400), on: app.db)
        }] + CarpoolProofs.jobs + CarpoolProofStatusChecks.jobs
            + [ScheduledJob("purge-carpool-solidarity-cases", every: 86_400) { app in try await SolidarityRegister.purge(on: app.db) },
               ScheduledJob("prune-carpool-search-changes", every: 86_400) { app in try await CarpoolSearchChanges.prune(on: app.db.sql) }]
    }

    func pages(_ routes: any RoutesBuilder) {
        CarpoolPages.routes(routes)
        CarpoolCommunityPages.pages(routes)
        CarpoolAlertPages.pages(routes)
        CarpoolReviews.pages(routes)
        StandardAPI.pages(routes)
        CarpoolRdex.pages(routes)
        PartnerOperatorPages.routes(routes)
        PartnerBookingPages.routes(routes)
        CarpoolProofPages.pages(routes)
        SolidarityPages.routes(routes)
    }

    func api(_ routes: any RoutesBuilder) {
        CarpoolAPI.routes(routes)
        CarpoolCommunityAPI.api(routes)
        CarpoolAlertAPI.api(routes)
        StandardAPI.api(routes)
        CarpoolRdex.api(routes)
    }

    var openAPI: OpenAPIFragment {
        var fragment = CarpoolOpenAPI.fragment
        for part in [CarpoolCommunityAPI.openAPI, CarpoolAlertAPI.openAPI, CarpoolRdex.openAPI, StandardOpenAPI.fragment] {
            fragment.paths.merge(part.paths) { a, b in a.merged(with: b) }
            fragment.schemas.merge(part.schemas) { a, _ in a }
        }
        return fragment
    }

    var dataRegister: [TableRegister] {
        CarpoolRegister.tables + CarpoolCommunities.register + CarpoolAlerts.register + CarpoolReviews.register + CarpoolImportRegister.tables + StandardRegister.tables
            + PartnerOperatorRegister.tables
            + CarpoolProofRegister.tables
            + SolidarityRegister.tables
    }

    func seedDemo(_ demo: DemoTerritory) async throws {
        try await CarpoolDemo.seed(demo)
        try await SolidarityDemo.seed(demo)
    }

    /// The person's ads leave the search and lose their places, comment and phone; their asks stay
    /// with the other side under the pseudonym (a year, like the conversations), their reasons go.
    /// An erased person's address leaves every community's list of admitted addresses.
    func forgetAddress(_ email: String, on db: any Database) async throws {
        let address = email.lowercased()
        struct Row: Decodable { var id: UUID; var addresses: String }
        let rows = try await db.sql.select().columns("id", "addresses").from("carpool_communities")
            .where("addresses", .like, SQLBind("%\(address)%")).all(decoding: Row.self)
        for row in rows {
            let kept = CommunityJoining.entries(row.addresses).filter { $0 != address }
            try await db.sql.update("carpool_communities").set("addresses", to: SQLBind(kept.joined(separator: ",")))
                .where("id", .equal, SQLBind(row.id)).run()
        }
    }

    /// An accepted ride still to come is cancelled first, so the other person is told (`CarpoolObligations`).
    func openObligations(of user: User, on db: any Database) async throws -> [Localized] {
        try await CarpoolObligations.open(of: try user.requireID(), on: db)
    }

    func erasePersonalData(of user: UUID, name: String, pseudonym: String, on db: any Database) async throws {
        struct Ad: Decodable { var id: UUID; var cooperative_id: UUID }
        let ads = try await db.sql.select().columns("id", "cooperative_id").from("carpool_ads").where("author_id", .equal, SQLBind(user)).all(decoding: Ad.self)
        try await db.sql.raw("DELETE FROM carpool_ad_times WHERE ad_id IN (SELECT id FROM carpool_ads WHERE author_id = \(bind: user))").run()
        for (coop, theirs) in Dictionary(grouping: ads, by: \.cooperative_id) {
            try await CarpoolSearchChanges.touch(theirs.map(\.id), coop: coop, on: db.sql)
        }
        try await db.sql.update("carpool_ads").set("comment", to: SQLBind("")).set("phone", to: SQLLiteral.null)
            .set("origin_name", to: SQLBind("—")).set("destination_name", to: SQLBind("—"))
            .set("origin_lat", to: SQLLiteral.numeric("0")).set("origin_lon", to: SQLLiteral.numeric("0"))
            .set("destination_lat", to: SQLLiteral.numeric("0")).set("destination_lon", to: SQLLiteral.numeric("0"))
            .set("withdrawn_at", to: SQLFunction("COALESCE", args: SQLColumn("withdrawn_at"), SQLBind(Date())))
            .where("author_id", .equal, SQLBind(user)).run()
        try await db.sql.update("carpool_ask_events").set("reason", to: SQLBind("")).where("by_id", .equal, SQLBind(user)).run()
        try await CarpoolCommunities.erase(user, on: db)
        try await CarpoolAlerts.erase(user, on: db)
        try await CarpoolReviews.erase(user, on: db)
        try await CarpoolImportRegister.erase(user, on: db)
        try await CarpoolProofRegister.erase(user, on: db)
        try await StandardRegister.erase(user, on: db)
        try await CarpoolAsks.erasePhones(of: user, on: db)
        try await SolidarityRegister.erase(user, on: db)
    }
}
