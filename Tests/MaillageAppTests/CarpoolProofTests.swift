import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import MaillageTestFixtures
import NIOConcurrencyHelpers
import SQLKit
import Testing
import Vapor
import VaporTesting

/// A carpool proof registry of our own, on a free port of 127.0.0.1, as the real one behaves: a
/// token from `/auth/access_token` for the right keys only, `POST /journeys` refused without it,
/// each body checked (against the spec's own schema when `MAILLAGE_FIXTURES` is set, else
/// against the fields the spec requires), a journey id recorded once (409 after), and the
/// passengers it is told to refuse refused with the registry's error shape (422).
struct TestProofRegistry: Sendable {
    final class State: Sendable {
        let bodies = NIOLockedValueBox<[String]>([])
        let tokenRequests = NIOLockedValueBox(0)
        let problems = NIOLockedValueBox<[String]>([])
        let issued = NIOLockedValueBox<Set<String>>([])
        /// What `GET /journeys/{id}` answers for a journey recorded (else "pending"), and how often it was asked.
        let states = NIOLockedValueBox<[String: String]>([:])
        let statusRequests = NIOLockedValueBox(0)
    }
    static let accessKey = "cle-acces", secretKey = "cle-secrete"
    let app: Application
    let port: Int
    let state: State

    var url: String { "http://127.0.0.1:\(port)" }
    var settings: ProofRegistrySettings { ProofRegistrySettings(url: url, accessKey: Self.accessKey, secretKey: Self.secretKey) }

    /// The request body schema of `POST /journeys` with the spec's components beside it, so its
    /// `$ref`s resolve; nil without the fixtures.
    static func journeySchema() throws -> SchemaJSON? {
        guard Fixtures.conformanceAvailable else { return nil }
        let spec = YAMLSubset.read(String(decoding: try Fixtures.conformance("carpool/rpc-operateurs-api-v3.3.yaml"), as: UTF8.self))
        guard spec.object?["components"]?.object?["schemas"]?.object?["identity"] != nil,
              let body = spec.object?["paths"]?.object?["/journeys"]?.object?["post"]?.object?["requestBody"]?.object?["content"]?
                .object?["application/json"]?.object?["schema"]?.object else { throw SchemaProblem.unresolved("/journeys post") }
        return .object((spec.object ?? [:]).merging(body) { _, new in new })
    }

    static let required = ["operator_journey_id", "operator_trip_id", "incentives", "operator_class", "start", "end", "distance", "driver", "passenger"]

    static func start(refusingPassengers refused: Set<String> = []) async throws -> TestProofRegistry {
        let app = try await Application.make(.testing)
        let schema = try journeySchema()
        let registry = State()
        func rpcError(_ status: HTTPStatus, code: Int, message: String, data: String) -> Response {
            Response(status: status, headers: ["Content-Type": "application/json"],
                     body: .init(string: #"{"id": 1, "jsonrpc": "2.0", "error": {"code": \#(code), "message": "\#(message)", "data": "\#(data)"}}"#))
        }
        app.post("auth", "access_token") { req async throws -> Response in
            registry.tokenRequests.withLockedValue { $0 += 1 }
            struct Keys: Content { var access_key: String; var secret_key: String }
            guard let keys = try? req.content.decode(Keys.self), keys.access_key == accessKey, keys.secret_key == secretKey else {
                return rpcError(.unauthorized, code: -32501, message: "Unauthorized Error", data: "Unauthorized application")
            }
            let claims = Data(#"{"exp": \#(Int(Date().timeIntervalSince1970) + 300)}"#.utf8).base64EncodedString()
                .replacingOccurrences(of: "=", with: "").replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            let token = "eyJhbGciOiJIUzI1NiJ9.\(claims).\(UUID().uuidString.lowercased())"
            registry.issued.withLockedValue { _ = $0.insert(token) }
            return Response(status: .created, headers: ["Content-Type": "application/json"], body: .init(string: #"{"access_token": "\#(token)"}"#))
        }
        app.post("journeys") { req async throws -> Response in
            guard let bearer = req.headers.bearerAuthorization?.token, registry.issued.withLockedValue({ $0.contains(bearer) }) else {
                return rpcError(.unauthorized, code: -32501, message: "Unauthorized Error", data: "Unauthorized application")
            }
            let text = req.body.string ?? ""
            guard let instance = try? SchemaJSON.read(text), let fields = instance.object else {
                return rpcError(.badRequest, code: -32602, message: "Invalid params", data: "not JSON")
            }
            var found = Self.required.filter { fields[$0] == nil }.map { "missing \($0)" }
            if let schema { found += try SchemaValidator(root: schema) { throw SchemaProblem.unresolved($0) }.errors(instance) }
            guard found.isEmpty else {
                registry.problems.withLockedValue { $0 += found }
                return rpcError(.badRequest, code: -32602, message: "Invalid params", data: found.joined(separator: ", "))
            }
            let journey = fields["operator_journey_id"]?.string ?? ""
            if registry.bodies.withLockedValue({ $0.contains { $0.contains(#""\#(journey)""#) } }) {
                return Response(status: .conflict)
            }
            let passenger = fields["passenger"]?.object?["identity"]?.object?["operator_user_id"]?.string ?? ""
            if refused.contains(passenger) {
                return Response(status: .unprocessableEntity, headers: ["Content-Type": "application/json"], body: .init(string: #"""
                    {"id": 1, "jsonrpc": "2.0", "error": {"code": -32422, "message": "Unprocessable Request",
                     "data": {"terms_violation_labels": ["too_many_trips_by_day"]}}}
                    """#))
            }
            registry.bodies.withLockedValue { $0.append(text) }
            return Response(status: .created, headers: ["Content-Type": "application/json"], body: .init(string: #"""
                {"id": 1, "jsonrpc": "2.0", "result": {"meta": null, "data": {"operator_journey_id": "\#(journey)", "created_at": "2026-01-01T00:00:00+0100"}}}
                """#))
        }
        app.get("journeys", ":id") { req async throws -> Response in
            guard let bearer = req.headers.bearerAuthorization?.token, registry.issued.withLockedValue({ $0.contains(bearer) }) else {
                return rpcError(.unauthorized, code: -32501, message: "Unauthorized Error", data: "Unauthorized application")
            }
            registry.statusRequests.withLockedValue { $0 += 1 }
            let journey = req.parameters.get("id") ?? ""
            guard registry.bodies.withLockedValue({ $0.contains { $0.contains(#""\#(journey)""#) } }) else {
                return Response(status: .notFound, headers: ["Content-Type": "application/json"], body: .init(string: #"{"code": 404, "error": "Not found"}"#))
            }
            let status = registry.states.withLockedValue { $0[journey] } ?? "pending"
            let labels = status == "fraud_error" ? #"[{"label": "interoperator_overlap_trip"}]"# : "[]"
            return Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(string: #"""
                {"status": "\#(status)", "operator_journey_id": "\#(journey)", "journey_id": "rpc-1", "created_at": "2026-01-01T00:00:00+01:00",
                 "fraud_error_labels": \#(labels), "anomaly_error_details": []}
                """#))
        }
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        guard let port = app.http.server.shared.localAddress?.port else { throw Abort(.internalServerError, reason: "no port") }
        return TestProofRegistry(app: app, port: port, state: registry)
    }

    var received: [String] { state.bodies.withLockedValue { $0 } }
    var tokensGiven: Int { state.tokenRequests.withLockedValue { $0 } }
    var schemaProblems: [String] { state.problems.withLockedValue { $0 } }

    func stop() async throws {
        await app.server.shutdown()
        try await app.asyncShutdown()
    }

    static func with(refusingPassengers refused: Set<String> = [], _ body: (TestProofRegistry) async throws -> Void) async throws {
        let registry = try await start(refusingPassengers: refused)
        do { try await body(registry) } catch { try await registry.stop(); throw error }
        try await registry.stop()
    }
}

/// Completed rides become proofs sent to the registry through the outbox, for members who chose
/// it, with Mobicoop's exclusions, the registry's answer shown to the person, and nothing sent
/// at all until the instance names a registry.
@Suite("Carpool proofs: consent, exclusions, the registry round trip", .serialized)
struct CarpoolProofTests {
    static let slug = "covoiturage-preuves"
    static var api: String { "/api/v1/cooperatives/\(slug)/carpool" }
    static var page: String { "/c/\(slug)/carpool/proofs" }

    struct Ride {
        var f: LendingFixture
        var ad: String
        var day: LocalDate
        var departure: Date { LocalZone.paris.instant(on: day, hour: 7, minute: 15) }
    }

    /// users[1] drives Saint-Nazaire → Nantes at 07:15 (back 17:45) every weekday, 3 seats.
    static func ride(_ app: Application, members: Int = 6) async throws -> Ride {
        let f = try await LendingFixture.make(app, members: members, activity: .carpool, slug: slug)
        let ad = try await commute(f, by: 1)
        return Ride(f: f, ad: ad, day: CarpoolStandardTests.next(1))
    }

    static func commute(_ f: LendingFixture, by client: Int) async throws -> String {
        let response = try await f.clients[client].send(.POST, "\(api)/ads", json: #"""
            {"role": "driver", "from": {"commune": "Saint-Nazaire"}, "to": {"commune": "Nantes"}, "frequency": "regular",
             "untilDate": "\#(LocalZone.paris.localDate(at: Date()).adding(days: 90)!.iso)", "seats": 3,
             "schedule": [\#((1...5).map { #"{"weekday": \#($0), "outward": "07:15", "return": "17:45"}"# }.joined(separator: ", "))]}
            """#)
        #expect(response.status == .created, "the commute is published: \(response.body.string)")
        return try #require(response.json["id"] as? String)
    }

    /// `passenger` asks a seat on `ad`'s `leg` that day, the author accepts, and the ride is done.
    @discardableResult
    static func completed(_ f: LendingFixture, ad: String, driver: Int = 1, passenger: Int, day: LocalDate, leg: String = "outward",
                          on db: any Database) async throws -> UUID {
        let asked = try await f.clients[passenger].send(.POST, "\(api)/ads/\(ad)/asks", json: #"{"date": "\#(day.iso)", "leg": "\#(leg)"}"#)
        #expect(asked.status == .created, "\(asked.body.string)")
        let id = try #require(asked.json["id"] as? String)
        let accepted = try await f.clients[driver].send(.POST, "\(api)/asks/\(id)/accept")
        #expect(accepted.status == .ok, "\(accepted.body.string)")
        // The day has not come yet in the test's clock: the ride is marked done as both sides would.
        try await db.sql.update("carpool_asks").set("status", to: SQLBind("completed")).where("id", .equal, SQLBind(UUID(uuidString: id)!)).run()
        return UUID(uuidString: id)!
    }

    static func signedIn(_ app: Application, _ user: User) async throws -> Visitor {
        let visitor = Visitor(app)
        user.passwordHash = try app.password.hash("un mot de passe solide")
        try await user.save(on: app.db)
        try await visitor.logIn(user.email, password: "un mot de passe solide")
        return visitor
    }

    /// Opts in through the page, as the person does.
    @discardableResult
    static func optIn(_ app: Application, _ user: User, phone: String = "06 12 34 56 78", lastName: String = "Le Goff") async throws -> Visitor {
        let visitor = try await signedIn(app, user)
        let page = try await visitor.get(page)
        #expect(page.status == .ok && page.body.string.contains("Registre de preuve de covoiturage"), "\(page.status)")
        let saved = try await visitor.post(Self.page, [("phone", phone), ("last_name", lastName), ("consent", "yes")])
        #expect(saved.status == .seeOther, "the consent is recorded: \(saved.body.string.prefix(300))")
        return visitor
    }

    static func proof(of ask: UUID, on db: any Database) async throws -> ProofRow {
        try #require(try await db.sql.select().columns(CarpoolProofs.columns.map { SQLColumn($0) }).from("carpool_proofs")
            .where("ask_id", .equal, SQLBind(ask)).first(decoding: ProofRow.self), "a proof for the ride")
    }

    static func id(_ user: User) -> String { user.id!.uuidString.lowercased() }

    @Test func aCompletedRideGoesToTheRegistryAndThePersonSeesItAccepted() async throws {
        try await withMaillage { app in
            try await TestProofRegistry.with { registry in
                app.carpoolProofRegistry = registry.settings
                let ride = try await Self.ride(app)
                let f = ride.f
                try await Self.optIn(app, f.users[1], phone: "07 01 02 03 04", lastName: "D'Hérûg-de-l'Hérault")
                let passenger = try await Self.optIn(app, f.users[2], phone: "+33 6 12 34 56 78", lastName: "Le Goff")
                try await Self.optIn(app, f.users[3], phone: "0690 10 10 10", lastName: "Nérée")
                let first = try await Self.completed(f, ad: ride.ad, passenger: 2, day: ride.day, on: app.db)
                let second = try await Self.completed(f, ad: ride.ad, passenger: 3, day: ride.day, on: app.db)
                #expect(try await CarpoolProofs.buildDue(app, now: ride.departure.addingTimeInterval(3_600)) == 2)
                #expect(try await CarpoolProofs.buildDue(app, now: ride.departure.addingTimeInterval(3_700)) == 0, "one proof per ride")
                #expect(try await Self.proof(of: first, on: app.db).proofStatus == .waiting)
                try await app.outboxSender!.sendDue(app, now: ride.departure.addingTimeInterval(3_700))

                #expect(registry.received.count == 2, "both journeys reached the registry: \(registry.schemaProblems)")
                #expect(registry.tokensGiven == 1, "the token is kept until it expires")
                let bodies = try registry.received.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
                #expect(Set(bodies.compactMap { $0["operator_trip_id"] as? String }).count == 1, "one car, one trip")
                #expect(Set(bodies.compactMap { $0["operator_journey_id"] as? String }).count == 2, "one journey per passenger")
                let body = try #require(bodies.first { ($0["passenger"] as? [String: Any]).flatMap { $0["identity"] as? [String: Any] }?["operator_user_id"] as? String == Self.id(f.users[2]) })
                let driver = try #require((body["driver"] as? [String: Any])?["identity"] as? [String: Any])
                // sha256("+33701020304-D HERUG DE L HERAULT"), the spec's own example.
                #expect(driver["identity_key"] as? String == "f44ff5364363e53da750d8b7b44fa3176ea36228c5f951a9c1e606c915093d30")
                #expect(driver["phone_trunc"] as? String == "+337010203" && driver["phone"] == nil, "never the full number")
                #expect(((body["passenger"] as? [String: Any])?["identity"] as? [String: Any])?["phone_trunc"] as? String == "+336123456")
                #expect((body["distance"] as? Int ?? 0) > 40_000 && body["operator_class"] as? String == "A")
                #expect((body["start"] as? [String: Any])?["datetime"] as? String == ProofDocument.datetime(ride.departure))
                #expect(!registry.received.joined().contains("Goff"), "no name leaves the instance")

                #expect(try await Self.proof(of: first, on: app.db).proofStatus == .accepted)
                #expect(try await Self.proof(of: second, on: app.db).proofStatus == .accepted)
                let shown = try await passenger.get(Self.page)
                #expect(shown.body.string.contains("Acceptée par le registre") && shown.body.string.contains("HTTP 201 — recorded 2026-01-01T00:00:00+0100"),
                        "\(shown.body.string)")
            }
        }
    }

    @Test func theRegistryRefusesAJourneyWithoutAValidTokenAndWrongKeysSendNothing() async throws {
        try await withMaillage { app in
            try await TestProofRegistry.with { registry in
                let journeys = URI(string: "\(registry.url)/journeys")
                let bare = try await registry.app.client.post(journeys) { try $0.content.encode(["operator_journey_id": "abc"], as: .json) }
                #expect(bare.status == .unauthorized, "no token, no journey")
                let forged = try await registry.app.client.post(journeys, headers: ["Authorization": "Bearer eyJ.forged.token"]) {
                    try $0.content.encode(["operator_journey_id": "abc"], as: .json)
                }
                #expect(forged.status == .unauthorized, "a token it did not give is refused")

                var wrong = registry.settings
                wrong.secretKey = "pas-la-bonne"
                app.carpoolProofRegistry = wrong
                let ride = try await Self.ride(app)
                try await Self.optIn(app, ride.f.users[1])
                try await Self.optIn(app, ride.f.users[2], phone: "06 98 76 54 32", lastName: "Martin")
                let ask = try await Self.completed(ride.f, ad: ride.ad, passenger: 2, day: ride.day, on: app.db)
                try await CarpoolProofs.buildDue(app, now: ride.departure.addingTimeInterval(600))
                try await app.outboxSender!.sendDue(app, now: ride.departure.addingTimeInterval(700))
                #expect(registry.received.isEmpty && registry.tokensGiven == 1)
                let proof = try await Self.proof(of: ask, on: app.db)
                #expect(proof.proofStatus == .waiting && (proof.registry_message ?? "").contains("401"), "\(proof)")
            }
        }
    }

    /// After accepting a journey the registry checks it; its later state is asked every few hours
    /// until it settles, and shown to the person with the registry's reasons.
    @Test func theRegistrysLaterCheckIsAskedUntilItSettlesAndShown() async throws {
        try await withMaillage { app in
            try await TestProofRegistry.with { registry in
                app.carpoolProofRegistry = registry.settings
                let ride = try await Self.ride(app)
                try await Self.optIn(app, ride.f.users[1])
                let passenger = try await Self.optIn(app, ride.f.users[2], phone: "06 98 76 54 32", lastName: "Martin")
                try await Self.optIn(app, ride.f.users[3], phone: "06 11 22 33 44", lastName: "Durand")
                let first = try await Self.completed(ride.f, ad: ride.ad, passenger: 2, day: ride.day, on: app.db)
                let second = try await Self.completed(ride.f, ad: ride.ad, passenger: 3, day: ride.day, on: app.db)
                try await CarpoolProofs.buildDue(app, now: ride.departure.addingTimeInterval(600))
                try await app.outboxSender!.sendDue(app, now: ride.departure.addingTimeInterval(700))
                #expect(try await Self.proof(of: first, on: app.db).proofStatus == .accepted)
                let accepted = try #require(try await Self.proof(of: first, on: app.db).answered_at)

                // First check: both still pending at the registry.
                #expect(try await CarpoolProofStatusChecks.checkDue(app, now: accepted.addingTimeInterval(60)) == 2)
                #expect(try await Self.proof(of: first, on: app.db).registry_state == "pending")
                #expect(try await CarpoolProofStatusChecks.checkDue(app, now: accepted.addingTimeInterval(3_600)) == 0, "not again within six hours")

                let journeys = try await app.db.sql.select().columns("ask_id", "journey_id").from("carpool_proofs").all()
                let byAsk = Dictionary(uniqueKeysWithValues: try journeys.map { (try $0.decode(column: "ask_id", as: UUID.self), try $0.decode(column: "journey_id", as: String.self)) })
                registry.state.states.withLockedValue { $0 = [byAsk[first]!: "fraud_error", byAsk[second]!: "ok"] }
                #expect(try await CarpoolProofStatusChecks.checkDue(app, now: accepted.addingTimeInterval(7 * 3_600)) == 2)
                #expect(try await Self.proof(of: second, on: app.db).registry_state == "ok")
                let flagged = try await Self.proof(of: first, on: app.db)
                #expect(flagged.registry_state == "fraud_error" && flagged.registry_reasons == "interoperator_overlap_trip")
                let asked = registry.state.statusRequests.withLockedValue { $0 }
                #expect(try await CarpoolProofStatusChecks.checkDue(app, now: accepted.addingTimeInterval(20 * 3_600)) == 0, "settled: never asked again")
                #expect(registry.state.statusRequests.withLockedValue { $0 } == asked)
                let shown = try await passenger.get(Self.page).body.string
                #expect(shown.contains("Rejetée : suspicion de fraude") && shown.contains("interoperator_overlap_trip"), "\(shown)")
            }
        }
    }

    @Test func aRefusalIsStoredWithTheRegistrysMessageAndShown() async throws {
        try await withMaillage { app in
            let ride = try await Self.ride(app)
            try await TestProofRegistry.with(refusingPassengers: [Self.id(ride.f.users[2])]) { registry in
                app.carpoolProofRegistry = registry.settings
                try await Self.optIn(app, ride.f.users[1])
                let passenger = try await Self.optIn(app, ride.f.users[2], phone: "06 98 76 54 32", lastName: "Martin")
                let ask = try await Self.completed(ride.f, ad: ride.ad, passenger: 2, day: ride.day, on: app.db)
                try await CarpoolProofs.buildDue(app, now: ride.departure.addingTimeInterval(600))
                try await app.outboxSender!.sendDue(app, now: ride.departure.addingTimeInterval(700))
                let proof = try await Self.proof(of: ask, on: app.db)
                #expect(proof.proofStatus == .refused && proof.registry_status == 422)
                #expect(proof.registry_message == "Unprocessable Request: too_many_trips_by_day")
                let shown = try await passenger.get(Self.page).body.string
                #expect(shown.contains("Refusée par le registre") && shown.contains("too_many_trips_by_day"))
            }
        }
    }

    @Test func shortTripsPeopleWhoDidNotOptInAndMissingPhonesAreLeftOutWithTheirReason() async throws {
        try await withMaillage { app in
            let ride = try await Self.ride(app)
            let f = ride.f
            app.carpoolProofRegistry = ProofRegistrySettings(url: "http://127.0.0.1:9", accessKey: "a", secretKey: "b")
            try await Self.optIn(app, f.users[1])
            let short = try await Self.optIn(app, f.users[2], phone: "06 98 76 54 32", lastName: "Martin")
            // Opted in before the number was asked for: the rule must hold whatever the page lets through.
            try await CarpoolProofConsents.give(ProofConsent(phone: "", lastName: "Sans Numéro"), by: f.users[4].id!, in: f.coop.id!, on: app.db)
            let shortAsk = try await Self.completed(f, ad: ride.ad, passenger: 2, day: ride.day, on: app.db)
            try await app.db.sql.update("carpool_asks").set("shared_km", to: SQLBind(1.5)).where("id", .equal, SQLBind(shortAsk)).run()
            let notOptedIn = try await Self.completed(f, ad: ride.ad, passenger: 3, day: ride.day, on: app.db)
            let noPhone = try await Self.completed(f, ad: ride.ad, passenger: 4, day: ride.day, on: app.db)
            #expect(try await CarpoolProofs.buildDue(app, now: ride.departure.addingTimeInterval(600)) == 3)
            #expect(try await Self.proof(of: shortAsk, on: app.db).excludedFor == .tooShort)
            #expect(try await Self.proof(of: notOptedIn, on: app.db).excludedFor == .passengerNotOptedIn)
            #expect(try await Self.proof(of: noPhone, on: app.db).excludedFor == .missingIdentity)
            struct Count: Decodable { var n: Int }
            let queued = try await app.db.sql.raw("SELECT COUNT(*) AS n FROM outbox_messages WHERE channel = 'carpool-proof'").first(decoding: Count.self)
            #expect(queued?.n == 0, "nothing excluded is queued")
            let page = try await short.get(Self.page).body.string
            #expect(page.contains("Non envoyée") && page.contains("moins de 2 km"))
        }
    }

    /// Two builders at once (two processes, or a slow run overtaken by the next): each ride has
    /// one proof and one message, never two.
    @Test func buildersRunningAtOnceWriteEachProofOnce() async throws {
        try await withMaillage { app in
            let ride = try await Self.ride(app)
            app.carpoolProofRegistry = ProofRegistrySettings(url: "http://127.0.0.1:9", accessKey: "a", secretKey: "b")
            for person in [1, 2, 3, 4] { try await Self.optIn(app, ride.f.users[person], phone: "06 00 00 00 1\(person)", lastName: "Membre") }
            for passenger in [2, 3, 4] { try await Self.completed(ride.f, ad: ride.ad, passenger: passenger, day: ride.day, on: app.db) }
            let now = ride.departure.addingTimeInterval(600)
            let counts = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<4 { group.addTask { try await CarpoolProofs.buildDue(app, now: now) } }
                return try await group.reduce(0, +)
            }
            #expect(counts == 3, "three rides, three proofs, whichever builder wrote them")
            struct Count: Decodable { var n: Int }
            let proofs = try await app.db.sql.raw("SELECT COUNT(*) AS n FROM carpool_proofs").first(decoding: Count.self)
            let queued = try await app.db.sql.raw("SELECT COUNT(*) AS n FROM outbox_messages WHERE channel = 'carpool-proof'").first(decoding: Count.self)
            #expect(proofs?.n == 3 && queued?.n == 3)
        }
    }

    @Test func theFifthTripOfADayIsNotSent() async throws {
        try await withMaillage { app in
            let ride = try await Self.ride(app, members: 6)
            let f = ride.f
            let others = [try await Self.commute(f, by: 3), try await Self.commute(f, by: 4)]
            app.carpoolProofRegistry = ProofRegistrySettings(url: "http://127.0.0.1:9", accessKey: "a", secretKey: "b")
            for person in [1, 2, 3, 4] { try await Self.optIn(app, f.users[person], phone: "06 00 00 00 0\(person)", lastName: "Membre \(["", "Un", "Deux", "Trois", "Quatre"][person])") }
            // Three cars, there and back: six trips for the passenger on one day.
            var asks: [(UUID, String)] = []
            for (ad, driver) in [(ride.ad, 1), (others[0], 3), (others[1], 4)] {
                for leg in ["outward", "return"] {
                    asks.append((try await Self.completed(f, ad: ad, driver: driver, passenger: 2, day: ride.day, leg: leg, on: app.db), leg))
                }
            }
            #expect(try await CarpoolProofs.buildDue(app, now: LocalZone.paris.instant(on: ride.day, hour: 19, minute: 0)) == 6)
            var statuses: [String: [ProofExclusion?]] = [:]
            for (ask, leg) in asks { statuses[leg, default: []].append(try await Self.proof(of: ask, on: app.db).excludedFor) }
            #expect(statuses["outward"] == [nil, nil, nil], "the three morning trips go")
            #expect(statuses["return"]?.filter { $0 == nil }.count == 1 && statuses["return"]?.filter { $0 == .tooManyTrips }.count == 2,
                    "the fourth goes, the fifth and sixth do not: \(statuses)")
        }
    }

    @Test func withNoRegistryNothingIsSentAndTheProofSaysSo() async throws {
        try await withMaillage { app in
            app.carpoolProofRegistry = nil
            let ride = try await Self.ride(app)
            try await Self.optIn(app, ride.f.users[1])
            let passenger = try await Self.optIn(app, ride.f.users[2], phone: "06 98 76 54 32", lastName: "Martin")
            let ask = try await Self.completed(ride.f, ad: ride.ad, passenger: 2, day: ride.day, on: app.db)
            try await CarpoolProofs.buildDue(app, now: ride.departure.addingTimeInterval(600))
            #expect(try await Self.proof(of: ask, on: app.db).proofStatus == .off)
            struct Count: Decodable { var n: Int }
            let queued = try await app.db.sql.raw("SELECT COUNT(*) AS n FROM outbox_messages WHERE channel = 'carpool-proof'").first(decoding: Count.self)
            #expect(queued?.n == 0)
            let page = try await passenger.get(Self.page).body.string
            #expect(page.contains("pas encore reliée au registre") && page.contains("la coopérative n’est pas reliée au registre"))
        }
    }

    @Test func optingOutErasesThePhoneAndLastNameAndAWaitingProofNeverLeaves() async throws {
        try await withMaillage { app in
            let ride = try await Self.ride(app)
            app.carpoolProofRegistry = ProofRegistrySettings(url: "http://127.0.0.1:9", accessKey: "a", secretKey: "b")
            try await Self.optIn(app, ride.f.users[1])
            let passenger = try await Self.optIn(app, ride.f.users[2], phone: "06 55 44 33 22", lastName: "Quérangal")
            let ask = try await Self.completed(ride.f, ad: ride.ad, passenger: 2, day: ride.day, on: app.db)
            try await CarpoolProofs.buildDue(app, now: ride.departure.addingTimeInterval(600))
            #expect(try await Self.proof(of: ask, on: app.db).proofStatus == .waiting)
            let before = try await ErasureScanTests.traces(of: ["+33655443322", "Quérangal"], on: app.db)
            #expect(!before.isEmpty)

            let question = try await passenger.get(Self.page + "/opt-out")
            #expect(question.status == .ok && question.body.string.contains("effacés"))
            let done = try await passenger.post(Self.page + "/opt-out", [("confirmed", "yes")])
            #expect(done.status == .seeOther)
            #expect(try await CarpoolProofConsents.find(ride.f.users[2].id!, in: ride.f.coop.id!, on: app.db) == nil)
            let after = try await ErasureScanTests.traces(of: ["+33655443322", "Quérangal", "+336554433"], on: app.db)
            #expect(after.isEmpty, Comment(rawValue: after.joined(separator: "\n")))
            let proof = try await Self.proof(of: ask, on: app.db)
            #expect(proof.proofStatus == .excluded && proof.excludedFor == .withdrawn)
            struct Count: Decodable { var n: Int }
            let queued = try await app.db.sql.raw("SELECT COUNT(*) AS n FROM outbox_messages WHERE channel = 'carpool-proof'").first(decoding: Count.self)
            #expect(queued?.n == 0, "the waiting message left the outbox")
        }
    }

    @Test func deletingTheAccountForgetsTheConsentAndTheExportHoldsIt() async throws {
        try await withMaillage { app in
            let ride = try await Self.ride(app)
            let passenger = try await Self.optIn(app, ride.f.users[2], phone: "06 55 44 33 21", lastName: "Kerbrat")
            let export = try await passenger.get("/account/export")
            #expect(export.body.string.contains("carpool_proof_consents") && export.body.string.contains("Kerbrat"), "\(export.status)")
            try await Erasure.erase(ride.f.users[2], on: app.db)
            #expect(try await ErasureScanTests.traces(of: ["+33655443321", "Kerbrat"], on: app.db).isEmpty)
        }
    }

    @Test func aPersonWhoIsNotAMemberCannotOptIn() async throws {
        try await withMaillage { app in
            let ride = try await Self.ride(app)
            let stranger = User(email: "passant@example.org", passwordHash: "x", displayName: "Passant")
            try await stranger.save(on: app.db)
            let visitor = try await Self.signedIn(app, stranger)
            #expect(try await visitor.get(Self.page).status == .forbidden)
            _ = ride
            #expect(try await Visitor(app).get(Self.page).status != .ok, "signed out: to the login")
        }
    }
}

/// Each body the channel sends, checked against `POST /journeys` of the registry's own OpenAPI document.
@Suite(.tags(.conformance), .enabled(if: Fixtures.conformanceAvailable, Comment(rawValue: Fixtures.conformanceSkipReason)), .serialized)
struct CarpoolProofConformance {
    @Test func everyProofSentIsValidAgainstTheRegistrysSchema() async throws {
        let schema = try #require(try TestProofRegistry.journeySchema())
        // The schema is read whole and does check: a body missing its passenger is refused.
        #expect(!(try SchemaValidator(root: schema) { throw SchemaProblem.unresolved($0) }.errors(.object([:]))).isEmpty)
        try await withMaillage { app in
            try await TestProofRegistry.with { registry in
                app.carpoolProofRegistry = registry.settings
                let ride = try await CarpoolProofTests.ride(app)
                try await CarpoolProofTests.optIn(app, ride.f.users[1])
                try await CarpoolProofTests.optIn(app, ride.f.users[2], phone: "+590 690 10 10 10", lastName: "Lô")
                try await CarpoolProofTests.completed(ride.f, ad: ride.ad, passenger: 2, day: ride.day, on: app.db)
                try await CarpoolProofs.buildDue(app, now: ride.departure.addingTimeInterval(600))
                try await app.outboxSender!.sendDue(app, now: ride.departure.addingTimeInterval(700))
                #expect(registry.schemaProblems.isEmpty, "\(registry.schemaProblems)")
                #expect(registry.received.count == 1)
            }
        }
    }
}
