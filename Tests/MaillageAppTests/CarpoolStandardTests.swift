import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import MaillageTestFixtures
import SQLKit
import Testing
import VaporTesting

/// The "standard covoiturage" operator API as a partner operator uses it: a key per partner,
/// journeys within the radii and the delta, bookings whose statuses follow the standard, and
/// seats shared with members' asks without ever overbooking.
@Suite("Carpool standard operator API: partner keys, journeys, bookings", .serialized)
struct CarpoolStandardTests {
    static let slug = "covoiturage-standard"
    static var standard: String { "/c/\(slug)/carpool/standard" }
    static var api: String { "/api/v1/cooperatives/\(slug)/carpool" }
    static let saintNazaire = GeoPoint(commune: "Saint-Nazaire")!
    static let nantes = GeoPoint(commune: "Nantes")!

    static func carpool(_ app: Application, members: Int = 5) async throws -> LendingFixture {
        try await LendingFixture.make(app, members: members, activity: .carpool, slug: slug)
    }

    static func key(_ app: Application, _ f: LendingFixture, name: String = "Partenaire") async throws -> String {
        try await StandardPartners.create(name: name, in: try f.coop.requireID(), by: nil, on: app.db).key
    }

    static func next(_ weekday: Int) -> LocalDate {
        var day = LocalZone.paris.localDate(at: Date()).adding(days: 1)!
        while day.weekday != weekday { day = day.adding(days: 1)! }
        return day
    }

    /// A weekday commute Saint-Nazaire → Nantes at 07:15, back at 17:45.
    static func commute(_ f: LendingFixture, by client: Int = 0, seats: Int = 3) async throws -> String {
        let response = try await f.clients[client].send(.POST, "\(api)/ads", json: #"""
            {"role": "driver", "from": {"commune": "Saint-Nazaire"}, "to": {"commune": "Nantes"}, "frequency": "regular",
             "untilDate": "\#(LocalZone.paris.localDate(at: Date()).adding(days: 90)!.iso)", "seats": \#(seats),
             "schedule": [\#((1...5).map { #"{"weekday": \#($0), "outward": "07:15", "return": "17:45"}"# }.joined(separator: ", "))]}
            """#)
        #expect(response.status == .created, "the commute is published: \(response.body.string)")
        return try #require(response.json["id"] as? String)
    }

    static func at(_ day: LocalDate, _ hour: Int, _ minute: Int) -> Int {
        Int(LocalZone.paris.instant(on: day, hour: hour, minute: minute).timeIntervalSince1970)
    }

    static func journeysQuery(from: GeoPoint = saintNazaire, to: GeoPoint = nantes, at instant: Int, extra: String = "") -> String {
        "departureLat=\(from.lat)&departureLng=\(from.lon)&arrivalLat=\(to.lat)&arrivalLng=\(to.lon)&departureDate=\(instant)\(extra)"
    }

    static func get(_ app: Application, _ path: String, key: String?) async throws -> TestingHTTPResponse {
        try await app.testing().sendRequest(.GET, path, headers: key.map { ["X-API-Key": $0] } ?? [:])
    }

    static func send(_ app: Application, _ method: HTTPMethod, _ path: String, key: String, json: String? = nil) async throws -> TestingHTTPResponse {
        var headers: HTTPHeaders = ["X-API-Key": key]
        if json != nil { headers.add(name: .contentType, value: "application/json") }
        return try await app.testing().sendRequest(method, path, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    static func bookingJSON(id: UUID, journey: String, status: String = "WAITING_CONFIRMATION") -> String {
        #"""
        {"id": "\#(id.uuidString.lowercased())", "status": "\#(status)", "driverJourneyId": "\#(journey)",
         "driver": {"id": "x", "alias": "x", "operator": "example.coop"},
         "passenger": {"id": "p-42", "alias": "Camille", "operator": "partenaire.example.org"},
         "passengerPickupDate": 1700000000, "passengerPickupLat": \#(saintNazaire.lat), "passengerPickupLng": \#(saintNazaire.lon),
         "passengerDropLat": \#(nantes.lat), "passengerDropLng": \#(nantes.lon), "price": {"type": "FREE"}}
        """#
    }

    static func array(_ response: TestingHTTPResponse) -> [[String: Any]] {
        (try? JSONSerialization.jsonObject(with: Data(response.body.string.utf8))) as? [[String: Any]] ?? []
    }

    @Test func withoutAKeyOrWithARevokedKeyThePartnerIsRefused() async throws {
        try await withMaillage { app in
            let f = try await Self.carpool(app)
            let key = try await Self.key(app, f)
            let path = "\(Self.standard)/driver_journeys?\(Self.journeysQuery(at: Self.at(Self.next(1), 7, 15)))"
            #expect(try await Self.get(app, path, key: nil).status == .unauthorized)
            #expect(try await Self.get(app, path, key: "mlc_not-a-key").status == .unauthorized)
            let allowed = try await Self.get(app, path, key: key)
            #expect(allowed.status == .ok, "\(allowed.body.string)")
            let refused = try await Self.get(app, path, key: nil)
            #expect(refused.json["error"] as? String == "unauthorized", "the standard's error shape: \(refused.body.string)")
            let partner = try #require(try await StandardPartners.all(in: try f.coop.requireID(), on: app.db).first)
            try await StandardPartners.revoke(partner.id, in: try f.coop.requireID(), on: app.db)
            #expect(try await Self.get(app, path, key: key).status == .unauthorized)
            #expect(try await Self.send(app, .POST, "\(Self.standard)/bookings", key: key, json: "{}").status == .unauthorized)
            // The health check needs no key; another cooperative's key opens nothing here.
            #expect(try await Self.get(app, "\(Self.standard)/status", key: nil).status == .ok)
        }
    }

    @Test func journeysAreWithinTheRadiiAndTheDeltaWithStableIdsAndCountRespected() async throws {
        try await withMaillage { app in
            let f = try await Self.carpool(app)
            let key = try await Self.key(app, f)
            let ad = try await Self.commute(f)
            let second = try await Self.commute(f, by: 1)
            let monday = Self.next(1)
            let path = "\(Self.standard)/driver_journeys?\(Self.journeysQuery(at: Self.at(monday, 7, 20)))"
            let found = try await Self.get(app, path, key: key)
            #expect(found.status == .ok, "\(found.body.string)")
            let journeys = Self.array(found)
            let id = StandardJourneyID(ad: UUID(uuidString: ad)!, date: monday, leg: .outward).text
            #expect(Set(journeys.compactMap { $0["id"] as? String }) == [id, StandardJourneyID(ad: UUID(uuidString: second)!, date: monday, leg: .outward).text])
            for journey in journeys {
                let pickup = GeoPoint(lat: journey["passengerPickupLat"] as? Double ?? 0, lon: journey["passengerPickupLng"] as? Double ?? 0)!
                let drop = GeoPoint(lat: journey["passengerDropLat"] as? Double ?? 0, lon: journey["passengerDropLng"] as? Double ?? 0)!
                #expect(pickup.distanceKm(to: Self.saintNazaire) <= 1 && drop.distanceKm(to: Self.nantes) <= 1)
                #expect(abs((journey["passengerPickupDate"] as? Int ?? 0) - Self.at(monday, 7, 20)) <= 900)
                #expect(journey["operator"] as? String == "localhost" || !(journey["operator"] as? String ?? "/").contains("/"), "a bare domain name")
                #expect(journey["type"] as? String == "PLANNED" && journey["availableSeats"] as? Int == 3)
                #expect((journey["driver"] as? [String: Any])?["alias"] is String)
            }
            // The same search answers the same ids; count is respected; the API path answers too.
            #expect(Self.array(try await Self.get(app, path, key: key)).compactMap { $0["id"] as? String } == journeys.compactMap { $0["id"] as? String })
            #expect(Self.array(try await Self.get(app, path + "&count=1", key: key)).count == 1)
            #expect(Self.array(try await Self.get(app, "\(Self.api)/standard/driver_journeys?\(Self.journeysQuery(at: Self.at(monday, 7, 20)))", key: key)).count == 2)
            // Outside the delta, beyond the radius, or the wrong way: nothing.
            #expect(Self.array(try await Self.get(app, "\(Self.standard)/driver_journeys?\(Self.journeysQuery(at: Self.at(monday, 8, 0)))", key: key)).isEmpty)
            #expect(Self.array(try await Self.get(app, "\(Self.standard)/driver_journeys?\(Self.journeysQuery(at: Self.at(monday, 8, 0), extra: "&timeDelta=3600"))", key: key)).count == 2)
            let aside = GeoPoint(lat: Self.saintNazaire.lat + 0.05, lon: Self.saintNazaire.lon)!
            #expect(Self.array(try await Self.get(app, "\(Self.standard)/driver_journeys?\(Self.journeysQuery(from: aside, at: Self.at(monday, 7, 20)))", key: key)).isEmpty)
            #expect(Self.array(try await Self.get(app, "\(Self.standard)/driver_journeys?\(Self.journeysQuery(from: aside, at: Self.at(monday, 7, 20), extra: "&departureRadius=10"))", key: key)).count == 2)
            #expect(Self.array(try await Self.get(app, "\(Self.standard)/driver_journeys?\(Self.journeysQuery(from: Self.nantes, to: Self.saintNazaire, at: Self.at(monday, 7, 20)))", key: key)).isEmpty)
            #expect(Self.array(try await Self.get(app, "\(Self.standard)/driver_journeys?\(Self.journeysQuery(from: Self.nantes, to: Self.saintNazaire, at: Self.at(monday, 17, 45)))", key: key)).count == 2)
            #expect(Self.array(try await Self.get(app, "\(Self.standard)/passenger_journeys?\(Self.journeysQuery(at: Self.at(monday, 7, 20)))", key: key)).isEmpty)
            // Regular trips: by time of day and weekdays.
            let trips = Self.array(try await Self.get(app, "\(Self.standard)/driver_regular_trips?departureLat=\(Self.saintNazaire.lat)&departureLng=\(Self.saintNazaire.lon)&arrivalLat=\(Self.nantes.lat)&arrivalLng=\(Self.nantes.lon)&departureTimeOfDay=07:10:00&departureWeekdays=MON,SAT", key: key))
            #expect(trips.count == 2)
            #expect((trips.first?["schedules"] as? [[String: Any]])?.map { $0["passengerPickupDay"] as? String } == ["MON"])
            // Bad input: 400 in the standard's shape, never a 500.
            for bad in ["departureLat=abc", "departureDate=", "timeDelta=-1", "departureRadius=0", "count=-2", "departureLat=95"] {
                let query = Self.journeysQuery(at: Self.at(monday, 7, 20)).split(separator: "&").filter { !$0.hasPrefix(bad.split(separator: "=")[0] + "=") }.joined(separator: "&")
                let response = try await Self.get(app, "\(Self.standard)/driver_journeys?\(query)&\(bad)", key: key)
                #expect(response.status == .badRequest && response.json["error"] is String, "\(bad): \(response.status) \(response.body.string)")
            }
        }
    }

    @Test func bookingStatusesMoveForwardOnly() async throws {
        try await withMaillage { app in
            let f = try await Self.carpool(app)
            let key = try await Self.key(app, f), other = try await Self.key(app, f, name: "Autre")
            let ad = try await Self.commute(f)
            let journey = StandardJourneyID(ad: UUID(uuidString: ad)!, date: Self.next(2), leg: .outward).text
            let id = UUID()
            let made = try await Self.send(app, .POST, "\(Self.standard)/bookings", key: key, json: Self.bookingJSON(id: id, journey: journey))
            #expect(made.status == .created, "\(made.body.string)")
            #expect(made.json["status"] as? String == "WAITING_CONFIRMATION" && made.json["id"] as? String == id.uuidString.lowercased())
            #expect((made.json["passenger"] as? [String: Any])?["alias"] as? String == "Camille")
            let told = try await Notice.query(on: app.db).filter(\.$user.$id == f.users[0].requireID()).all()
            #expect(told.contains { $0.textFR.contains("Camille") }, "the driver hears of the booking")
            // The same id again: 400; an unknown journey: 400.
            #expect(try await Self.send(app, .POST, "\(Self.standard)/bookings", key: key, json: Self.bookingJSON(id: id, journey: journey)).status == .badRequest)
            #expect(try await Self.send(app, .POST, "\(Self.standard)/bookings", key: key,
                                        json: Self.bookingJSON(id: UUID(), journey: "\(UUID().uuidString.lowercased())-20300101-o")).status == .badRequest)
            let path = "\(Self.standard)/bookings/\(id.uuidString.lowercased())"
            #expect(try await Self.send(app, .PATCH, path + "?status=CONFIRMED", key: key).status == .ok)
            #expect(try await Self.send(app, .PATCH, path + "?status=CONFIRMED", key: key).status == .conflict, "the same status")
            let earlier = try await Self.send(app, .PATCH, path + "?status=WAITING_CONFIRMATION", key: key)
            #expect(earlier.status == .conflict && earlier.json["error"] as? String == "status_already_set")
            #expect(try await Self.send(app, .PATCH, path + "?status=FLYING", key: key).status == .badRequest)
            #expect(try await Self.send(app, .PATCH, "\(Self.standard)/bookings/\(UUID().uuidString)?status=CANCELLED", key: key).status == .notFound)
            #expect(try await Self.get(app, path, key: other).status == .notFound, "another partner's booking is not theirs to see")
            let seen = try await Self.get(app, path, key: key)
            #expect(seen.status == .ok && seen.json["status"] as? String == "CONFIRMED")
            #expect(try await CarpoolAsks.seatsTaken(on: UUID(uuidString: ad)!, on: app.db)["\(Self.next(2).iso)/outward"] == 1, "confirmed takes a seat")
            #expect(try await Self.send(app, .PATCH, path + "?status=CANCELLED&message=Empêchement", key: key).status == .ok)
            #expect(try await CarpoolAsks.seatsTaken(on: UUID(uuidString: ad)!, on: app.db)["\(Self.next(2).iso)/outward"] == 0, "cancelled gives it back")
            #expect(try await Self.send(app, .PATCH, path + "?status=VALIDATED", key: key).status == .conflict, "nothing after a cancellation")
            // A message to the driver about the journey, and a booking event, are received.
            let message = try await Self.send(app, .POST, "\(Self.standard)/messages", key: key, json: #"""
                {"from": {"id": "p-42", "alias": "Camille", "operator": "partenaire.example.org"}, "to": {"id": "x", "alias": "x", "operator": "x"},
                 "message": "Je serai au rond-point.", "recipientCarpoolerType": "DRIVER", "driverJourneyId": "\#(journey)"}
                """#)
            #expect(message.status == .created, "\(message.body.string)")
            let event = try await Self.send(app, .POST, "\(Self.standard)/booking_events", key: key, json: #"""
                {"id": "\#(UUID().uuidString)", "idToken": "t", "data": {"id": "\#(UUID().uuidString)", "status": "CONFIRMED"}}
                """#)
            #expect(event.status == .ok, "\(event.body.string)")
        }
    }

    @Test func aConfirmedPartnerBookingCompetingWithMembersAsksNeverOverbooks() async throws {
        try await withMaillage { app in
            let f = try await Self.carpool(app, members: 6)
            let key = try await Self.key(app, f)
            let ad = try await Self.commute(f, seats: 2)
            let monday = Self.next(1)
            var asks: [String] = []
            for client in 2..<5 {
                let asked = try await f.clients[client].send(.POST, "\(Self.api)/ads/\(ad)/asks", json: #"{"date": "\#(monday.iso)"}"#)
                asks.append(try #require(asked.json["id"] as? String))
            }
            let journey = StandardJourneyID(ad: UUID(uuidString: ad)!, date: monday, leg: .outward).text
            try await withRunningServer(app) { server in
                let answers = try await withThrowingTaskGroup(of: (Bool, UInt, String).self, returning: [(Bool, UInt, String)].self) { group in
                    for ask in asks {
                        group.addTask {
                            let (status, body) = try await f.clients[0].post(to: server, "\(Self.api)/asks/\(ask)/accept", json: "{}")
                            return (false, status, "\(body)")
                        }
                    }
                    for _ in 0..<3 {
                        group.addTask {
                            let (status, body) = try await APIClient(app: app).post(to: server, "\(Self.standard)/bookings",
                                json: Self.bookingJSON(id: UUID(), journey: journey, status: "CONFIRMED"), headers: ["X-API-Key": key])
                            return (true, status, "\(body)")
                        }
                    }
                    var out: [(Bool, UInt, String)] = []
                    for try await answer in group { out.append(answer) }
                    return out
                }
                #expect(answers.filter { $0.1 == 200 || $0.1 == 201 }.count == 2, "exactly the two seats: \(answers)")
                #expect(answers.allSatisfy { $0.1 < 500 }, "neither a partner nor a member is ever answered 500: \(answers)")
            }
            #expect(try await CarpoolAsks.seatsTaken(on: UUID(uuidString: ad)!, on: app.db)["\(monday.iso)/outward"] == 2)
        }
    }

    @Test func staffMakeAKeyShownOnceAndRevokeItAfterAConfirmation() async throws {
        try await withMaillage { app in
            let f = try await Self.carpool(app)
            func signedIn(_ user: User) async throws -> Visitor {
                let visitor = Visitor(app)
                user.passwordHash = try app.password.hash("un mot de passe solide")
                try await user.save(on: app.db)
                try await visitor.logIn(user.email, password: "un mot de passe solide")
                return visitor
            }
            let page = "/c/\(Self.slug)/carpool/partners"
            let member = try await signedIn(f.users[3])
            #expect(try await member.get(page).status == .forbidden, "a plain member does not manage partners")
            let staff = try await signedIn(f.users[1])
            #expect(try await staff.get(page).status == .ok)
            let refused = try await staff.post(page, [("name", "")])
            #expect(refused.status == .unprocessableEntity)
            let made = try await staff.post(page, [("name", "Covoit’ Voisins")])
            #expect(made.status == .seeOther)
            let shown = try await staff.get(made.headers.first(name: .location) ?? page).body.string
            let key = try #require(shown.range(of: #"mlc_[A-Za-z0-9_-]+"#, options: .regularExpression).map { String(shown[$0]) }, "the key is shown once")
            #expect(shown.contains("Covoit’ Voisins"))
            #expect(try await staff.get(page).body.string.range(of: "mlc_") == nil, "and never again")
            let path = "\(Self.standard)/driver_journeys?\(Self.journeysQuery(at: Self.at(Self.next(1), 7, 15)))"
            #expect(try await Self.get(app, path, key: key).status == .ok)
            let partner = try #require(try await StandardPartners.all(in: try f.coop.requireID(), on: app.db).first)
            let revoke = "\(page)/\(partner.id)/revoke"
            let unconfirmed = try await staff.post(revoke, [])
            #expect(unconfirmed.status == .seeOther && unconfirmed.headers.first(name: .location) == revoke, "asked first")
            #expect(try await Self.get(app, path, key: key).status == .ok, "nothing changed without the confirmation")
            #expect(try await staff.get(revoke).status == .ok)
            #expect(try await staff.post(revoke, [("confirmed", "yes")]).status == .seeOther)
            #expect(try await Self.get(app, path, key: key).status == .unauthorized)
        }
    }
}

/// Every answer of the operator API against the standard's own OpenAPI document.
@Suite(.tags(.conformance), .enabled(if: Fixtures.conformanceAvailable, Comment(rawValue: Fixtures.conformanceSkipReason)), .serialized)
struct CarpoolStandardConformance {
    typealias T = CarpoolStandardTests

    /// The standard writes some summaries as a plain scalar starting on the next lines
    /// (`summary:` then indented text); put them on the key's line, which `YAMLSubset` reads.
    static func foldingPlainScalars(_ text: String) -> String {
        let lines = text.components(separatedBy: "\n")
        func indent(_ line: String) -> Int { line.prefix { $0 == " " }.count }
        func isEntry(_ line: String) -> Bool {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            return YAMLSubset.isItem(trimmed) || YAMLSubset.split(trimmed) != nil || trimmed.hasPrefix("#")
        }
        var out: [String] = [], i = 0
        while i < lines.count {
            let line = lines[i]
            i += 1
            guard line.hasSuffix(":"), i < lines.count, indent(lines[i]) > indent(line), !isEntry(lines[i]) else { out.append(line); continue }
            var folded = line
            while i < lines.count, indent(lines[i]) > indent(line), !lines[i].trimmingCharacters(in: .whitespaces).isEmpty {
                folded += " " + lines[i].trimmingCharacters(in: .whitespaces)
                i += 1
            }
            out.append(folded)
        }
        return out.joined(separator: "\n")
    }

    @Test func everyAnswerIsValidAgainstTheStandardsSchemas() async throws {
        try await withMaillage { app in
            let spec = YAMLSubset.read(Self.foldingPlainScalars(String(decoding: try Fixtures.conformance("carpool/standard-covoiturage.openapi.yaml"), as: UTF8.self)))
            #expect(spec.object?["components"]?.object?["schemas"]?.object?["DriverJourney"] != nil, "the whole spec was read")
            let folded = YAMLSubset.foldingAllOf(spec, in: spec)
            func schema(_ path: String, _ method: String, _ status: String) throws -> SchemaJSON {
                var response = try #require(folded.object?["paths"]?.object?[path]?.object?[method]?.object?["responses"]?.object?[status], "\(method) \(path) \(status)")
                if let ref = response.object?["$ref"]?.string {
                    response = try #require(folded.object?["components"]?.object?["responses"]?.object?[String(ref.split(separator: "/").last ?? "")])
                }
                return try #require(response.object?["content"]?.object?["application/json"]?.object?["schema"], "\(method) \(path) \(status) has a schema")
            }
            func check(_ response: TestingHTTPResponse, _ path: String, _ method: String, _ status: Int, nonEmpty: Bool = true) throws {
                #expect(Int(response.status.code) == status, "\(method) \(path): \(response.status) \(response.body.string)")
                let instance = try SchemaJSON.read(Data(response.body.string.utf8))
                if nonEmpty, case .array(let items) = instance { #expect(!items.isEmpty, "\(method) \(path) answered something to check") }
                let root = (folded.object ?? [:]).merging(try schema(path, method, String(status)).object ?? [:]) { _, new in new }
                let errors = try SchemaValidator(root: .object(root)) { throw SchemaProblem.unresolved($0) }.errors(instance)
                #expect(errors.isEmpty, "\(method) \(path) \(status): \(errors)")
            }

            let f = try await T.carpool(app)
            let key = try await T.key(app, f)
            let ad = try await T.commute(f)
            let monday = T.next(1)
            let passenger = try await f.clients[1].send(.POST, "\(T.api)/ads", json: #"""
                {"role": "passenger", "from": {"commune": "Saint-Nazaire"}, "to": {"commune": "Nantes"}, "frequency": "punctual",
                 "date": "\#(monday.iso)", "time": "07:20", "seats": 1}
                """#)
            #expect(passenger.status == .created, "\(passenger.body.string)")
            let host: HTTPHeaders = ["X-API-Key": key, "Host": "covoiturage.example.coop"]
            func get(_ path: String) async throws -> TestingHTTPResponse { try await app.testing().sendRequest(.GET, T.standard + path, headers: host) }
            let query = T.journeysQuery(at: T.at(monday, 7, 20))
            let drivers = try await get("/driver_journeys?\(query)")
            try check(drivers, "/driver_journeys", "get", 200)
            #expect(T.array(drivers).allSatisfy { $0["operator"] as? String == "covoiturage.example.coop" }, "the instance's bare domain")
            try check(try await get("/passenger_journeys?\(query)"), "/passenger_journeys", "get", 200)
            let regular = "departureLat=\(T.saintNazaire.lat)&departureLng=\(T.saintNazaire.lon)&arrivalLat=\(T.nantes.lat)&arrivalLng=\(T.nantes.lon)&departureTimeOfDay=07:15:00"
            try check(try await get("/driver_regular_trips?\(regular)"), "/driver_regular_trips", "get", 200)
            try check(try await get("/passenger_regular_trips?\(regular)"), "/passenger_regular_trips", "get", 200, nonEmpty: false)
            try check(try await get("/driver_journeys?departureLat=x"), "/driver_journeys", "get", 400)

            let id = UUID()
            let journey = StandardJourneyID(ad: UUID(uuidString: ad)!, date: monday, leg: .outward).text
            var posting = host
            posting.add(name: .contentType, value: "application/json")
            let booked = try await app.testing().sendRequest(.POST, T.standard + "/bookings", headers: posting,
                                                             body: ByteBuffer(string: T.bookingJSON(id: id, journey: journey)))
            try check(booked, "/bookings", "post", 201)
            let path = "/bookings/\(id.uuidString.lowercased())"
            try check(try await get(path), "/bookings/{bookingId}", "get", 200)
            try check(try await get("/bookings/\(UUID().uuidString)"), "/bookings/{bookingId}", "get", 404)
            let again = try await app.testing().sendRequest(.PATCH, T.standard + path + "?status=WAITING_CONFIRMATION", headers: host)
            try check(again, "/bookings/{bookingId}", "patch", 409)
            let unknown = try await app.testing().sendRequest(.PATCH, T.standard + path + "?status=FLYING", headers: host)
            try check(unknown, "/bookings/{bookingId}", "patch", 400)
        }
    }
}
