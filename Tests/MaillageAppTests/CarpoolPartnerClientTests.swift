import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

/// The search also shows partner operators' journeys ("Aussi sur …"), asked through their
/// standard covoiturage API: a partner that is slow, failing or answering nonsense never hides or
/// delays our own results beyond the deadline, a paused partner is not asked, and the key staff
/// typed is sent to the partner only and never shown back in full.
@Suite("Carpool partner operators queried by the search", .serialized)
struct CarpoolPartnerClientTests {
    typealias S = CarpoolStandardTests
    static let slug = S.slug
    static var page: String { "/c/\(slug)/carpool/partners" }

    static func signedIn(_ app: Application, _ user: User) async throws -> Visitor {
        let visitor = Visitor(app)
        user.passwordHash = try app.password.hash("un mot de passe solide")
        try await user.save(on: app.db)
        try await visitor.logIn(user.email, password: "un mot de passe solide")
        return visitor
    }

    /// The search page for the commute's day: Saint-Nazaire → Nantes, a seat wanted.
    static func search(_ app: Application, on day: LocalDate, time: String = "") async throws -> TestingHTTPResponse {
        try await Visitor(app).get("/c/\(slug)/carpool?from=commune%3ASaint-Nazaire&to=commune%3ANantes&date=\(day.iso)&time=\(time)&looking_for=driver")
    }

    static func partner(_ app: Application, _ f: LendingFixture, name: String, port: Int, key: String = "cle-du-partenaire-1234") async throws -> UUID {
        try await PartnerOperators.add(.init(name: name, baseURL: "http://127.0.0.1:\(port)/standard", key: key),
                                       in: try f.coop.requireID(), by: nil, on: app.db)
    }

    /// One journey in the standard's shape, as a partner platform answers.
    static func journeyJSON(at instant: Int, webUrl: String = "https://covoit.example.org/trajets/42") -> String {
        #"""
        [{"id": "j-42", "operator": "covoit.example.org", "type": "PLANNED", "duration": 2700, "distance": 62000,
          "driver": {"id": "d-1", "alias": "Sacha", "operator": "covoit.example.org"},
          "passengerPickupLat": 47.2736, "passengerPickupLng": -2.2139, "passengerDropLat": 47.2184, "passengerDropLng": -1.5536,
          "passengerPickupAddress": "Gare de Saint-Nazaire", "passengerDropAddress": "Gare de Nantes",
          "passengerPickupDate": \#(instant), "availableSeats": 2, "price": {"type": "PAYING", "amount": 4.5, "currency": "EUR"},
          "webUrl": "\#(webUrl)"}]
        """#
    }

    static func ok(_ body: String) -> LocalServer.Answer {
        .answer("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
    }

    @Test func aPartnerMaillageShowsItsJourneysBesideOursWithItsLink() async throws {
        let monday = S.next(1)
        try await withMaillage { partnerApp in
            // The partner: another Maillage, its own cooperative, a commute, and a key for us.
            let pf = try await S.carpool(partnerApp)
            let theirAd = try await S.commute(pf)
            let key = try await S.key(partnerApp, pf, name: "Nous")
            try await withRunningServer(partnerApp) { partnerBase in
                let port = try #require(URLComponents(string: partnerBase)?.port)
                try await withMaillage { app in
                    app.safeFetchPolicy = .allowing([("127.0.0.1", port)])
                    let f = try await S.carpool(app)
                    let ourAd = try await S.commute(f)
                    let staff = try await Self.signedIn(app, f.users[1])
                    try await staff.get(Self.page)
                    let added = try await staff.post("\(Self.page)/operators", [
                        ("operator_name", "Covoit’ Voisins"), ("operator_url", "\(partnerBase)/c/\(S.slug)/carpool/standard/"), ("operator_key", key)])
                    #expect(added.status == .seeOther, "\(added.body.string)")
                    let listed = try await staff.get(Self.page).body.string
                    #expect(listed.contains("Covoit’ Voisins") && listed.contains("…" + key.suffix(4)))
                    #expect(!listed.contains(key), "the key is never shown back in full")

                    let found = try await Self.search(app, on: monday, time: "07:15")
                    #expect(found.status == .ok)
                    let html = found.body.string
                    #expect(html.contains("/c/\(Self.slug)/carpool/ads/\(ourAd)"), "our own ride is there")
                    #expect(html.contains("Aussi sur Covoit’ Voisins"), "the partner's journeys have their own section")
                    #expect(html.contains("\(partnerBase)/c/\(S.slug)/carpool/ads/\(theirAd)"), "linked to the partner's page of the ride")
                    #expect(!html.contains("n’a pas répondu"))
                    // Ours are counted apart: the partner's journey is not one of "our" results.
                    #expect(html.contains("1 trajet trouvé"))
                }
            }
        }
    }

    @Test func aSlowFailingOrConfusedPartnerNeverHidesOurResults() async throws {
        let monday = S.next(1)
        let instant = S.at(monday, 7, 20)
        let slow = try await LocalServer.start { _ in .silence }
        let failing = try await LocalServer.start { _ in .answer("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n") }
        let confused = try await LocalServer.start { _ in Self.ok(#"{"journeys": "bientôt"}"#) }
        let good = try await LocalServer.start { _ in Self.ok(Self.journeyJSON(at: instant)) }
        defer { [slow, failing, confused, good].forEach { $0.stop() } }
        try await withMaillage { app in
            app.safeFetchPolicy = .allowing([slow, failing, confused, good].map { ("127.0.0.1", $0.port) })
            let f = try await S.carpool(app)
            let ourAd = try await S.commute(f)
            _ = try await Self.partner(app, f, name: "Lent", port: slow.port)
            _ = try await Self.partner(app, f, name: "En panne", port: failing.port)
            _ = try await Self.partner(app, f, name: "Confus", port: confused.port)
            _ = try await Self.partner(app, f, name: "Covoit’ Voisins", port: good.port, key: "secret-du-partenaire")
            let started = ContinuousClock.now
            let found = try await Self.search(app, on: monday, time: "07:15")
            let waited = ContinuousClock.now - started
            #expect(found.status == .ok)
            #expect(waited < .seconds(5), "the deadline bounds the wait: \(waited)")
            let html = found.body.string
            #expect(html.contains("/c/\(Self.slug)/carpool/ads/\(ourAd)"), "our results are there")
            for name in ["Lent", "En panne", "Confus"] {
                #expect(html.contains("\(name) n’a pas répondu"), "\(name) is named as not having answered")
                #expect(!html.contains("Aussi sur \(name)"))
            }
            #expect(html.contains("Aussi sur Covoit’ Voisins"))
            #expect(html.contains("Gare de Saint-Nazaire → Gare de Nantes") && html.contains("https://covoit.example.org/trajets/42"))
            #expect(html.contains("4,50"), "the partner's price, in French")
            let asked = try #require(good.requests.first)
            #expect(asked.lowercased().contains("x-api-key: secret-du-partenaire"), "the partner's key goes with the query")
            #expect(asked.contains("GET /standard/driver_journeys?departureLat=47.27"), "\(asked)")
            #expect(asked.contains("departureDate=\(S.at(monday, 7, 15))") && asked.contains("timeDelta=3600"))
            // Asked again within the minute: the answer is kept, no partner is asked twice.
            _ = try await Self.search(app, on: monday, time: "07:15")
            #expect(good.requests.count == 1 && failing.requests.count == 1)
        }
    }

    @Test func aPausedPartnerIsNotAskedAndOnlyStaffManageThem() async throws {
        let monday = S.next(1)
        let good = try await LocalServer.start { _ in Self.ok(Self.journeyJSON(at: S.at(monday, 7, 20))) }
        defer { good.stop() }
        try await withMaillage { app in
            app.safeFetchPolicy = .allowing([("127.0.0.1", good.port)])
            let f = try await S.carpool(app)
            let id = try await Self.partner(app, f, name: "Covoit’ Voisins", port: good.port)
            let member = try await Self.signedIn(app, f.users[3])
            try await member.get("/c/\(Self.slug)/carpool")
            #expect(try await member.post("\(Self.page)/operators/\(id)/disable", []).status == .forbidden)
            #expect(try await member.post("\(Self.page)/operators", [("operator_name", "X"), ("operator_url", "https://x.example.org")]).status == .forbidden)
            let staff = try await Self.signedIn(app, f.users[1])
            try await staff.get(Self.page)
            #expect(try await staff.post("\(Self.page)/operators/\(id)/disable", []).status == .seeOther)
            #expect(try await staff.get(Self.page).body.string.contains("En pause"))
            let paused = try await Self.search(app, on: monday).body.string
            #expect(!paused.contains("Covoit’ Voisins") && good.requests.isEmpty, "a paused partner is not asked")
            #expect(try await staff.post("\(Self.page)/operators/\(id)/enable", []).status == .seeOther)
            #expect(try await Self.search(app, on: monday).body.string.contains("Aussi sur Covoit’ Voisins"))
            #expect(good.requests.count == 1)
            // Removing asks first, then the partner is gone from the page and the search.
            let remove = "\(Self.page)/operators/\(id)/remove"
            let unconfirmed = try await staff.post(remove, [])
            #expect(unconfirmed.status == .seeOther && unconfirmed.headers.first(name: .location) == remove)
            #expect(try await staff.get(remove).status == .ok)
            #expect(try await staff.post(remove, [("confirmed", "yes")]).status == .seeOther)
            #expect(try await PartnerOperators.all(in: try f.coop.requireID(), on: app.db).isEmpty)
        }
    }

    @Test func theKeyIsSealedAndARefusedFormDoesNotGiveItBack() async throws {
        try await withMaillage { app in
            let f = try await S.carpool(app)
            let staff = try await Self.signedIn(app, f.users[1])
            try await staff.get(Self.page)
            let key = "cle-tres-secrete-WXYZ"
            let refused = try await staff.post("\(Self.page)/operators", [("operator_name", "Covoit’ Voisins"), ("operator_url", "javascript:alert(1)"),
                                                                          ("operator_key", key)])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("Donnez l’adresse complète de son API"))
            #expect(!refused.body.string.contains(key), "the key typed is not written back into the page")
            #expect(try await staff.post("\(Self.page)/operators", [("operator_name", "Covoit’ Voisins"), ("operator_url", "https://covoit.example.org/standard"),
                                                                    ("operator_key", key)]).status == .seeOther)
            let twice = try await staff.post("\(Self.page)/operators", [("operator_name", "Encore"), ("operator_url", "https://covoit.example.org/standard/")])
            #expect(twice.status == .conflict && twice.body.string.contains("déjà dans la liste"))
            let row = try #require(try await PartnerOperators.all(in: try f.coop.requireID(), on: app.db).first)
            #expect(row.key_sealed != nil && !(row.key_sealed ?? "").contains(key), "kept sealed, not in clear")
            #expect(PartnerOperators.key(of: row) == key && row.key_end == "WXYZ")
            let html = try await staff.get(Self.page).body.string
            #expect(html.contains("…WXYZ") && !html.contains(key))
        }
    }

    /// A partner's redirect to another address is followed without the key: it belongs to the partner.
    @Test func theKeyNeverFollowsARedirectElsewhere() async throws {
        let monday = S.next(1)
        let elsewhere = try await LocalServer.start { _ in Self.ok(Self.journeyJSON(at: S.at(monday, 7, 20))) }
        let moved = try await LocalServer.start { _ in
            .answer("HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:\(elsewhere.port)/standard/driver_journeys\r\nContent-Length: 0\r\n\r\n")
        }
        defer { elsewhere.stop(); moved.stop() }
        try await withMaillage { app in
            app.safeFetchPolicy = .allowing([("127.0.0.1", moved.port), ("127.0.0.1", elsewhere.port)])
            let f = try await S.carpool(app)
            _ = try await Self.partner(app, f, name: "Déménagé", port: moved.port, key: "secret-du-partenaire")
            let html = try await Self.search(app, on: monday).body.string
            #expect(html.contains("Aussi sur Déménagé"))
            #expect(try #require(moved.requests.first).lowercased().contains("x-api-key: secret-du-partenaire"))
            #expect(!(try #require(elsewhere.requests.first)).lowercased().contains("x-api-key"), "the key stays with the partner's own address")
        }
    }

    @Test func aPartnersAnswerIsReadAsTheStandardSaysOrNotAtAll() throws {
        let good = Data(Self.journeyJSON(at: 1_800_000_000, webUrl: "javascript:alert(1)").utf8)
        let journeys = try PartnerJourneyAnswer.read(good)
        #expect(journeys.count == 1)
        #expect(journeys.first?.webURL == nil, "a link only leads to an http(s) address")
        #expect(journeys.first?.price == .paying(cents: 450) && journeys.first?.seats == 2)
        #expect(journeys.first?.pickupName == "Gare de Saint-Nazaire")
        #expect(throws: PartnerJourneyAnswer.Problem.notTheStandard) { try PartnerJourneyAnswer.read(Data("<html>".utf8)) }
        #expect(throws: PartnerJourneyAnswer.Problem.notTheStandard) { try PartnerJourneyAnswer.read(Data(#"{"a": 1}"#.utf8)) }
        let withoutDriver = Self.journeyJSON(at: 1_800_000_000).replacingOccurrences(of: #""driver": {"id": "d-1", "alias": "Sacha", "operator": "covoit.example.org"},"#, with: "")
        #expect(throws: PartnerJourneyAnswer.Problem.notTheStandard) { try PartnerJourneyAnswer.read(Data(withoutDriver.utf8)) }
        let many = "[" + Array(repeating: String(Self.journeyJSON(at: 1_800_000_000).dropFirst().dropLast()), count: 25).joined(separator: ",") + "]"
        #expect(try PartnerJourneyAnswer.read(Data(many.utf8), limit: 10).count == 10, "at most the count asked")
        #expect(try PartnerJourneyAnswer.read(Data("[]".utf8)).isEmpty)
    }

    /// The driver answers partners' bookings on the ride's page: confirming takes the seat by the
    /// same counter as members' asks (two confirmations at once for the last seat: one wins), a
    /// refusal and a cancellation (asked first) give it back; nobody else reaches them.
    @Test func theDriverAnswersPartnerBookingsWithoutOverbooking() async throws {
        try await withMaillage { app in
            let f = try await S.carpool(app)
            let ad = try await S.commute(f, seats: 1)
            let key = try await S.key(app, f, name: "Covoit’ Voisins")
            let journey = StandardJourneyID(ad: UUID(uuidString: ad)!, date: S.next(1), leg: .outward).text
            let bookings = [UUID(), UUID(), UUID()]
            for id in bookings {
                let made = try await S.send(app, .POST, "\(S.standard)/bookings", key: key, json: S.bookingJSON(id: id, journey: journey))
                #expect(made.status == .created, "\(made.body.string)")
            }
            func status(_ id: UUID) async throws -> String? {
                try await S.get(app, "\(S.standard)/bookings/\(id.uuidString.lowercased())", key: key).json["status"] as? String
            }
            let page = "/c/\(Self.slug)/carpool/ads/\(ad)"
            let other = try await Self.signedIn(app, f.users[3])
            try await other.get(page)
            #expect(!(try await other.get(page).body.string.contains("Camille")), "only the driver sees the bookings")
            #expect(try await other.post("\(page)/partner-bookings/\(bookings[0])/confirm", []).status == .notFound)
            #expect(try await status(bookings[0]) == "WAITING_CONFIRMATION")

            let driver = try await Self.signedIn(app, f.users[0])
            let shown = try await driver.get(page).body.string
            #expect(shown.contains("Réservations venues de plateformes partenaires") && shown.contains("Camille (Covoit’ Voisins)"))
            // Two confirmations at once for the one seat: exactly one takes it.
            try await driver.get(page)
            let csrf = try #require(driver.csrf)
            let (one, two) = (bookings[0], bookings[1])
            async let first = driver.post("\(page)/partner-bookings/\(one)/confirm", [("_csrf", csrf)], withToken: false)
            async let second = driver.post("\(page)/partner-bookings/\(two)/confirm", [("_csrf", csrf)], withToken: false)
            let answers = try await [first.status, second.status]
            #expect(answers.filter { $0 == .seeOther }.count == 1 && answers.filter { $0 == .conflict }.count == 1, "\(answers)")
            let statuses = [try await status(bookings[0]), try await status(bookings[1])]
            #expect(statuses.filter { $0 == "CONFIRMED" }.count == 1 && statuses.filter { $0 == "WAITING_CONFIRMATION" }.count == 1)
            let confirmed = statuses[0] == "CONFIRMED" ? bookings[0] : bookings[1]
            let waiting = confirmed == bookings[0] ? bookings[1] : bookings[0]

            try await driver.get(page)
            #expect(try await driver.post("\(page)/partner-bookings/\(bookings[2])/decline", []).status == .seeOther)
            #expect(try await status(bookings[2]) == "CANCELLED")
            // Cancelling a confirmed seat asks first; then the seat is free for the one still waiting.
            let cancel = "\(page)/partner-bookings/\(confirmed)/cancel"
            let unconfirmed = try await driver.post(cancel, [])
            #expect(unconfirmed.status == .seeOther && unconfirmed.headers.first(name: .location) == cancel)
            #expect(try await status(confirmed) == "CONFIRMED")
            #expect(try await driver.get(cancel).status == .ok)
            #expect(try await driver.post(cancel, [("confirmed", "yes")]).status == .seeOther)
            #expect(try await status(confirmed) == "CANCELLED")
            try await driver.get(page)
            #expect(try await driver.post("\(page)/partner-bookings/\(waiting)/confirm", []).status == .seeOther)
            #expect(try await status(waiting) == "CONFIRMED")
        }
    }

    /// RDEX+'s radii (1 km by default) keep only journeys whose ends lie that close to the places
    /// asked, as the standard covoiturage API does; the detour rule alone would find more.
    @Test func rdexKeepsJourneysWithinTheRadii() async throws {
        try await withMaillage { app in
            let f = try await S.carpool(app)
            let ad = try await S.commute(f)
            // Three km north of where it leaves: on its way for the detour rule, outside a 1 km radius.
            let near = try #require(GeoPoint(lat: S.saintNazaire.lat + 0.027, lon: S.saintNazaire.lon))
            func journeys(from: GeoPoint, radius: String) async throws -> [String] {
                let answer = try await app.testing().sendRequest(.GET, "/c/\(Self.slug)/carpool/rdex/journeys?departureLat=\(from.lat)&departureLng=\(from.lon)"
                    + "&arrivalLat=\(S.nantes.lat)&arrivalLng=\(S.nantes.lon)&departureDate=\(S.at(S.next(1), 7, 30))&timeDelta=3600&frequency=regular\(radius)")
                #expect(answer.status == .ok, "\(answer.body.string)")
                return (answer.json["journeys"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            }
            #expect(try await journeys(from: S.saintNazaire, radius: "") == [ad.lowercased()], "its ends are the places asked")
            #expect(try await journeys(from: near, radius: "").isEmpty, "3 km from where it leaves, outside the default 1 km")
            #expect(try await journeys(from: near, radius: "&departureRadius=5") == [ad.lowercased()])
        }
    }

    @Test func theOperatorsListTheLocalPartnersFetchesMayReach() throws {
        let config = try AppConfig.fromEnvironment(["DATABASE_URL": ":memory:", "SAFE_FETCH_ALLOW": "127.0.0.1:8081, [::1]:8082"])
        #expect(config.safeFetchPolicy == .allowing([("127.0.0.1", 8081), ("::1", 8082)]))
        #expect(try AppConfig.fromEnvironment(["DATABASE_URL": ":memory:"]).safeFetchPolicy == .publicOnly)
        #expect(throws: (any Error).self) { try AppConfig.fromEnvironment(["DATABASE_URL": ":memory:", "SAFE_FETCH_ALLOW": "127.0.0.0/8"]) }
        #expect(throws: (any Error).self) { try AppConfig.fromEnvironment(["DATABASE_URL": ":memory:", "SAFE_FETCH_ALLOW": "localhost:8081"]) }
    }
}
