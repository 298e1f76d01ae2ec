import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import MaillageTestFixtures
import SQLKit
import Testing
import VaporTesting

/// A standard covoiturage document: two people (one already has an account here, by address),
/// a driver journey on 2030-01-01 at 08:00 Paris time with a confirmed booking, a passenger
/// journey back, a weekday commute, and one journey refused (its two ends are the same place).
enum CarpoolImportSample {
    static func document(knownAddress: String) -> String {
        #"""
        {"users": [{"id": "7", "alias": "alice", "operator": "autre-plateforme.example", "firstName": "Alice", "lastName": "Martin"},
                   {"id": "9", "alias": "bruno", "operator": "autre-plateforme.example", "email": "\#(knownAddress)"}],
         "driverJourneys": [
           {"id": "j1", "driver": {"id": "7", "alias": "alice"}, "operator": "autre-plateforme.example", "duration": 2400,
            "passengerPickupLat": 47.2184, "passengerPickupLng": -1.5536, "passengerDropLat": 47.3563, "passengerDropLng": -1.9265,
            "passengerPickupAddress": "Gare de Nantes", "passengerDropAddress": "Aire de Savenay",
            "passengerPickupDate": 1893481200, "availableSeats": 2, "type": "PLANNED"},
           {"id": "j2", "driver": {"id": "7", "alias": "alice"}, "operator": "autre-plateforme.example", "duration": 60,
            "passengerPickupLat": 47.2184, "passengerPickupLng": -1.5536, "passengerDropLat": 47.2185, "passengerDropLng": -1.5537,
            "passengerPickupDate": 1893481200, "type": "PLANNED"}],
         "passengerJourneys": [
           {"id": "p1", "passenger": {"id": "9", "alias": "bruno"}, "operator": "autre-plateforme.example", "duration": 2400,
            "passengerPickupLat": 47.3563, "passengerPickupLng": -1.9265, "passengerDropLat": 47.2184, "passengerDropLng": -1.5536,
            "passengerPickupDate": 1893481200, "driverDepartureDate": 1893480000, "type": "PLANNED"}],
         "driverRegularTrips": [
           {"driver": {"id": "7", "alias": "alice"}, "operator": "autre-plateforme.example", "duration": 2400,
            "passengerPickupLat": 47.2184, "passengerPickupLng": -1.5536, "passengerDropLat": 47.3563, "passengerDropLng": -1.9265,
            "schedules": [{"passengerPickupDay": "MON", "passengerPickupTimeOfDay": "07:30:00"},
                          {"passengerPickupDay": "THU", "passengerPickupTimeOfDay": "07:30:00"}]}],
         "bookings": [
           {"id": "b1", "driver": {"id": "7", "alias": "alice"}, "passenger": {"id": "9", "alias": "bruno"}, "operator": "autre-plateforme.example",
            "status": "CONFIRMED", "passengerPickupDate": 1893481200, "passengerPickupLat": 47.2184, "passengerPickupLng": -1.5536,
            "passengerDropLat": 47.3563, "passengerDropLng": -1.9265, "driverJourneyId": "j1", "price": {"type": "FREE"}},
           {"id": "b2", "driver": {"id": "7", "alias": "alice"}, "passenger": {"id": "9", "alias": "bruno"}, "operator": "autre-plateforme.example",
            "status": "WAITING_CONFIRMATION", "passengerPickupDate": 1893481200, "passengerPickupLat": 47.2184, "passengerPickupLng": -1.5536,
            "passengerDropLat": 47.3563, "passengerDropLng": -1.9265, "driverJourneyId": "nowhere"}]}
        """#
    }

    /// Rows the import may write, counted for one cooperative.
    static func counts(_ coop: UUID, on db: any Database) async throws -> [String: Int] {
        struct Row: Decodable { var n: Int }
        func count(_ table: String, _ column: String = "cooperative_id") async throws -> Int {
            var select = db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table)
            if table != "users" { select = select.where(column, .equal, SQLBind(coop)) }
            return try await select.first(decoding: Row.self)?.n ?? -1
        }
        struct Taken: Decodable { var taken: Int }
        let taken = try await db.sql.select().column("taken").from("carpool_seats")
            .where("ad_id", .in, SQLGroupExpression(db.sql.select().column("id").from("carpool_ads").where("cooperative_id", .equal, SQLBind(coop)).select))
            .all(decoding: Taken.self).map(\.taken).reduce(0, +)
        return ["users": try await count("users"), "members": try await count("memberships"), "ads": try await count("carpool_ads"),
                "times": try await count("carpool_ad_times"), "asks": try await count("carpool_asks"), "taken": taken,
                "mapped": try await count("carpool_imported_ids")]
    }
}

@Suite("Carpool: importing a standard covoiturage document, and the RDEX+ journeys search", .serialized)
struct CarpoolImportTests {
    static let slug = "covoiturage-importe"

    @Test func anOperatorsDocumentBecomesAccountsAdsAndAsksAndASecondImportChangesNothing() async throws {
        try await withMaillage { app in
            let f = try await LendingFixture.make(app, members: 3, activity: .carpool, slug: Self.slug)
            let coop = try await Cooperatives.find(slug: Self.slug, on: app.db)
            let coopID = try coop.requireID()
            let known = f.users[2]
            let data = try StandardData.read(Data(CarpoolImportSample.document(knownAddress: known.email).utf8))
            let before = try await CarpoolImportSample.counts(coopID, on: app.db)
            let today = LocalZone.paris.localDate(at: Date())
            let report = try await CarpoolImport.run(data, into: coop, today: today, on: app.db)
            #expect(report.imported == [.user: 2, .driverJourney: 1, .passengerJourney: 1, .driverRegularTrip: 1, .booking: 1])
            #expect(Set(report.skipped.map(\.path)) == ["driverJourneys[1]", "bookings[1]"], "\(report.skipped)")
            let after = try await CarpoolImportSample.counts(coopID, on: app.db)
            #expect(after["users"] == (before["users"] ?? 0) + 1, "bruno's address is an account already: only Alice is new")
            #expect(after["members"] == (before["members"] ?? 0) + 1, "Alice joins; the known account was a member already")
            #expect(after["ads"] == 3 && after["asks"] == 1 && after["taken"] == 1 && after["mapped"] == 6)

            let alice = try #require(try await User.query(on: app.db).filter(\.$email == "7.covoiturage@autre-plateforme.example").first())
            #expect(alice.displayName == "Alice Martin")
            #expect(!alice.emailConfirmed)
            #expect(try app.password.verify("", created: alice.passwordHash) == false)
            let membership = try await Cooperatives.membership(of: try alice.requireID(), in: coopID, on: app.db)
            #expect(membership?.memberStatus == .active)
            struct Ask: Decodable { var status: String; var travel_date: String; var passenger_id: UUID; var asked_by: String }
            let ask = try await app.db.sql.select().columns("status", "travel_date", "passenger_id", "asked_by").from("carpool_asks")
                .where("cooperative_id", .equal, SQLBind(coopID)).first(decoding: Ask.self)
            #expect(ask?.status == "accepted" && ask?.travel_date == "2030-01-01" && ask?.asked_by == "passenger")
            #expect(ask?.passenger_id == known.id)

            let again = try await CarpoolImport.run(data, into: coop, today: today, on: app.db)
            #expect(again.changed == 0)
            #expect(again.alreadyThere == [.user: 2, .driverJourney: 1, .passengerJourney: 1, .driverRegularTrip: 1, .booking: 1])
            #expect(try await CarpoolImportSample.counts(coopID, on: app.db) == after)
            #expect(CarpoolImportCommand.lines(again).last == "Aucun changement.")
        }
    }

    @Test func theImportCommandNeedsACarpoolCooperative() async throws {
        try await withMaillage { app in
            _ = try await LendingFixture.make(app, members: 2, activity: .lending, slug: "preterie-voisine")
            await #expect(throws: (any Error).self) { try await CarpoolImportCommand.cooperative("preterie-voisine", on: app.db) }
            await #expect(throws: (any Error).self) { try await CarpoolImportCommand.cooperative(nil, on: app.db) }
            _ = try await LendingFixture.make(app, members: 2, activity: .carpool, slug: Self.slug)
            #expect(try await CarpoolImportCommand.cooperative(nil, on: app.db).slug == Self.slug)
        }
    }

    /// The imported journeys through RDEX+, as a visitor (no account, no token) asks for them.
    static func rdexAnswers(_ app: Application, path base: String) async throws -> (drivers: TestingHTTPResponse, passengers: TestingHTTPResponse) {
        let drivers = try await app.testing().sendRequest(.GET, base
            + "?departureLat=47.2184&departureLng=-1.5536&arrivalLat=47.3563&arrivalLng=-1.9265&departureDate=1893481200&carpoolerType=driver")
        let passengers = try await app.testing().sendRequest(.GET, base
            + "?departureLat=47.3563&departureLng=-1.9265&arrivalLat=47.2184&arrivalLng=-1.5536&departureDate=1893481200&carpoolerType=passenger&timeDelta=1800")
        return (drivers, passengers)
    }

    static func importSample(_ app: Application) async throws -> LendingFixture {
        let f = try await LendingFixture.make(app, members: 3, activity: .carpool, slug: slug)
        let coop = try await Cooperatives.find(slug: slug, on: app.db)
        _ = try await CarpoolImport.run(try StandardData.read(Data(CarpoolImportSample.document(knownAddress: f.users[2].email).utf8)),
                                        into: coop, today: LocalZone.paris.localDate(at: Date()), on: app.db)
        return f
    }

    @Test func rdexJourneysAnswersFromOurAdsWithRdexErrors() async throws {
        try await withMaillage { app in
            _ = try await Self.importSample(app)
            for base in ["/c/\(Self.slug)/carpool/rdex/journeys", "/api/v1/cooperatives/\(Self.slug)/carpool/rdex/journeys"] {
                let (drivers, passengers) = try await Self.rdexAnswers(app, path: base)
                #expect(drivers.status == .ok, "\(drivers.body.string)")
                let found = drivers.json["journeys"] as? [[String: Any]] ?? []
                #expect(found.count == 1 && drivers.json["nbJourneys"] as? Int == 1, "\(drivers.body.string)")
                let journey = found.first ?? [:]
                #expect(journey["carpoolerType"] as? String == "driver" && journey["frequency"] as? String == "punctual")
                #expect(journey["availableSeats"] as? Int == 1, "two seats, one taken by the confirmed booking")
                #expect((journey["from"] as? [String: Any])?["address"] as? String == "Gare de Nantes")
                #expect((journey["outward"] as? [String: Any])?["departureDate"] as? Int == 1893481200)
                #expect((journey["user"] as? [String: Any])?["alias"] as? String == "Conducteur·rice", "no name for a visitor")
                #expect(!drivers.body.string.contains("Alice") && !drivers.body.string.contains("covoiturage@"))
                let wanted = passengers.json["journeys"] as? [[String: Any]] ?? []
                #expect(wanted.map { $0["carpoolerType"] as? String } == ["passenger"], "\(passengers.body.string)")
                #expect(wanted.first?["requestedSeats"] as? Int == 1)

                let missing = try await app.testing().sendRequest(.GET, base + "?departureLat=47.2&departureLng=-1.5&arrivalLat=47.3")
                #expect(missing.status == .badRequest && missing.json["errorCode"] as? String == "missing_required_query_parameter")
                let wrong = try await app.testing().sendRequest(.GET, base + "?departureLat=147&departureLng=-1.5&arrivalLat=47.3&arrivalLng=-1.9")
                #expect(wrong.status == .badRequest && wrong.json["errorCode"] as? String == "invalid_input")
                let regularOnly = try await app.testing().sendRequest(.GET, base
                    + "?departureLat=47.2184&departureLng=-1.5536&arrivalLat=47.3563&arrivalLng=-1.9265&departureDate=1893481200&frequency=regular")
                #expect((regularOnly.json["journeys"] as? [Any])?.isEmpty == true, "the commute runs on Mondays and Thursdays; 2030-01-01 is a Tuesday")
            }
            let nowhere = try await app.testing().sendRequest(.GET, "/c/personne/carpool/rdex/journeys?departureLat=47.2&departureLng=-1.5&arrivalLat=47.3&arrivalLng=-1.9")
            #expect(nowhere.status == .notFound && nowhere.json["errorCode"] as? String == "resource_not_found")
        }
    }

    @Test func rdexGivesARegularTripItsPeriodAndItsDaysTime() async throws {
        try await withMaillage { app in
            _ = try await Self.importSample(app)
            var monday = LocalZone.paris.localDate(at: Date()).adding(days: 1)!
            while monday.weekday != 1 { monday = monday.adding(days: 1)! }
            let leaving = LocalZone.paris.instant(on: monday, hour: 7, minute: 30)
            let answer = try await app.testing().sendRequest(.GET, "/c/\(Self.slug)/carpool/rdex/journeys?departureLat=47.2184&departureLng=-1.5536"
                + "&arrivalLat=47.3563&arrivalLng=-1.9265&departureDate=\(Int(leaving.timeIntervalSince1970))&frequency=both")
            let journeys = answer.json["journeys"] as? [[String: Any]] ?? []
            #expect(journeys.map { $0["frequency"] as? String } == ["regular"], "\(answer.body.string)")
            let outward = journeys.first?["outward"] as? [String: Any] ?? [:]
            var utc = Calendar(identifier: .gregorian)
            utc.timeZone = TimeZone(identifier: "UTC")!
            let clock = utc.dateComponents([.hour, .minute], from: leaving)
            let schedule = (outward["regularSchedule"] as? [[String: Any]])?.first ?? [:]
            #expect(schedule["mondayTime"] as? String == String(format: "%02d:%02d:00", clock.hour!, clock.minute!), "RDEX+ times are UTC")
            #expect(schedule["mondayTimeDelta"] as? Int == 900)
            #expect(outward["departureDate"] as? Int ?? .max <= Int(Date().timeIntervalSince1970), "the period began with the import")
            #expect(outward["maxDate"] as? Int ?? 0 > Int(leaving.timeIntervalSince1970))
        }
    }
}

/// The playground's default data imported as is, and RDEX+ answers against RDEX+'s own schema.
@Suite(.tags(.conformance), .enabled(if: Fixtures.conformanceAvailable, Comment(rawValue: Fixtures.conformanceSkipReason)), .serialized)
struct CarpoolStandardDataConformance {
    @Test func thePlaygroundsDefaultDataImportsOnceAndASecondImportChangesNothing() async throws {
        try await withMaillage { app in
            _ = try await LendingFixture.make(app, members: 2, activity: .carpool, slug: CarpoolImportTests.slug)
            let coop = try await Cooperatives.find(slug: CarpoolImportTests.slug, on: app.db)
            let data = try StandardData.read(try Fixtures.conformance("carpool/playground-defaultData.json"))
            let today = LocalZone.paris.localDate(at: Date())
            let report = try await CarpoolImport.run(data, into: coop, today: today, on: app.db)
            // Bob (id 1 of operator.example.org) drives two journeys Tours area → Paris on 2022-10-12 and asks for two seats.
            #expect(report.imported == [.user: 1, .driverJourney: 2, .passengerJourney: 2])
            #expect(report.skipped.map(\.path) == ["passengerJourneys[0].passenger", "passengerJourneys[1].passenger"],
                    "the playground names a passenger journey's person `driver`: taken, with a remark")
            let bob = try #require(try await User.query(on: app.db).filter(\.$email == "1.covoiturage@operator.example.org").first())
            #expect(bob.displayName == "bob")
            struct Ad: Decodable { var role: String; var from_date: String; var origin_lat: Double; var destination_lon: Double; var author_id: UUID }
            let ads = try await app.db.sql.select().columns("role", "from_date", "origin_lat", "destination_lon", "author_id").from("carpool_ads")
                .where("cooperative_id", .equal, SQLBind(try coop.requireID())).all(decoding: Ad.self)
            #expect(ads.map(\.role).sorted() == ["driver", "driver", "passenger", "passenger"])
            #expect(ads.allSatisfy { $0.from_date == "2022-10-12" && abs($0.origin_lat - 47.461737) < 1e-6 && abs($0.destination_lon - 2.3997529) < 1e-6 })
            #expect(ads.allSatisfy { $0.author_id == bob.id })
            let counts = try await CarpoolImportSample.counts(try coop.requireID(), on: app.db)
            let again = try await CarpoolImport.run(data, into: coop, today: today, on: app.db)
            #expect(again.changed == 0 && again.alreadyThere == [.user: 1, .driverJourney: 2, .passengerJourney: 2])
            #expect(try await CarpoolImportSample.counts(try coop.requireID(), on: app.db) == counts)
        }
    }

    @Test func rdexAnswersMatchTheRdexPlusSchema() async throws {
        try await withMaillage { app in
            _ = try await CarpoolImportTests.importSample(app)
            let text = String(decoding: try Fixtures.conformance("carpool/rdexplus.openapi.yaml"), as: UTF8.self)
            let spec = YAMLSubset.read(text)
            let folded = YAMLSubset.foldingAllOf(spec, in: spec)
            let answer = try #require(folded.object?["paths"]?.object?["/journeys"]?.object?["get"]?.object?["responses"]?.object?["200"]?
                .object?["content"]?.object?["application/json"]?.object?["schema"]?.object)
            let error = try #require(folded.object?["components"]?.object?["schemas"]?.object?["Error"]?.object)
            #expect(answer["properties"]?.object?["journeys"] != nil, "the spec was read")
            // The answer's schema at the root, beside the spec's components its references point to.
            func validator(_ schema: [String: SchemaJSON]) -> SchemaValidator {
                SchemaValidator(root: .object((folded.object ?? [:]).merging(schema) { _, new in new })) { throw SchemaProblem.unresolved($0) }
            }
            let base = "/c/\(CarpoolImportTests.slug)/carpool/rdex/journeys"
            let (drivers, passengers) = try await CarpoolImportTests.rdexAnswers(app, path: base)
            for response in [drivers, passengers] {
                #expect((response.json["journeys"] as? [Any])?.count == 1)
                let errors = try validator(answer).errors(SchemaJSON.read(Data(response.body.string.utf8)))
                #expect(errors.isEmpty, "\(errors)")
            }
            var monday = LocalZone.paris.localDate(at: Date()).adding(days: 1)!
            while monday.weekday != 1 { monday = monday.adding(days: 1)! }
            let regular = try await app.testing().sendRequest(.GET, base + "?departureLat=47.2184&departureLng=-1.5536&arrivalLat=47.3563&arrivalLng=-1.9265"
                + "&departureDate=\(Int(LocalZone.paris.instant(on: monday, hour: 7, minute: 30).timeIntervalSince1970))&frequency=regular")
            #expect((regular.json["journeys"] as? [Any])?.count == 1)
            #expect(try validator(answer).errors(SchemaJSON.read(Data(regular.body.string.utf8))).isEmpty)
            let refused = try await app.testing().sendRequest(.GET, base + "?departureLat=x")
            #expect(refused.status == .badRequest)
            #expect(try validator(error).errors(SchemaJSON.read(Data(refused.body.string.utf8))).isEmpty)
        }
    }
}
