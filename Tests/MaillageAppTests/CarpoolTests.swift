import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

@Suite("Carpool: rides, search, asks that never overbook, contact after acceptance, cost sharing", .serialized)
struct CarpoolTests {
    static let slug = "covoiturage-des-tests"
    var base: String { "/api/v1/cooperatives/\(Self.slug)/carpool" }

    /// users[0] board, users[1] staff, the others members.
    func carpool(_ app: Application, members: Int = 5) async throws -> LendingFixture {
        try await LendingFixture.make(app, members: members, activity: .carpool, slug: Self.slug)
    }

    /// A browser signed in as `user`.
    func signedIn(_ app: Application, _ user: User) async throws -> Visitor {
        let visitor = Visitor(app)
        user.passwordHash = try app.password.hash("un mot de passe solide")
        try await user.save(on: app.db)
        try await visitor.logIn(user.email, password: "un mot de passe solide")
        return visitor
    }

    /// The next day with this ISO weekday, at least tomorrow.
    func next(_ weekday: Int) -> LocalDate {
        var day = LocalZone.paris.localDate(at: Date()).adding(days: 1)!
        while day.weekday != weekday { day = day.adding(days: 1)! }
        return day
    }

    /// A weekday commute Saint-Nazaire → Nantes at 07:15, back at 17:45, by `client`.
    func commute(_ f: LendingFixture, by client: Int = 0, seats: Int = 3, phone: String = "06 11 22 33 44") async throws -> String {
        let response = try await f.clients[client].send(.POST, "\(base)/ads", json: #"""
            {"role": "driver", "from": {"commune": "Saint-Nazaire"}, "to": {"commune": "Nantes"}, "frequency": "regular",
             "untilDate": "\#(LocalZone.paris.localDate(at: Date()).adding(days: 90)!.iso)", "seats": \#(seats), "phone": "\#(phone)",
             "schedule": [\#((1...5).map { #"{"weekday": \#($0), "outward": "07:15", "return": "17:45"}"# }.joined(separator: ", "))]}
            """#)
        #expect(response.status == .created, "the commute is published: \(response.body.string)")
        return try #require(response.json["id"] as? String)
    }

    @Test func aPassengerFindsARegularTripAsksIsAcceptedAndOnlyThenSeesThePhone() async throws {
        try await withMaillage { app in
            let f = try await carpool(app)
            let ad = try await commute(f)
            let monday = next(1)
            // Searching from Saint-Nazaire to Nantes around 07:20 on a Monday finds it, with why.
            let found = try await APIClient(app: app).send(.GET, "\(base)/search?fromCommune=Saint-Nazaire&toCommune=Nantes&date=\(monday.iso)&time=07:20")
            #expect(found.status == .ok, "\(found.body.string)")
            let results = found.json["data"] as? [[String: Any]] ?? []
            let hit = try #require(results.first { $0["ad"] as? String == ad }, "the commute is found: \(found.body.string)")
            #expect(hit["seatsLeft"] as? Int == 3 && hit["time"] as? String == "07:15" && hit["leg"] as? String == "outward")
            #expect((hit["detourKm"] as? Double ?? 99) < 1, "the same ends: no detour")
            // The same search percent-encoded, or by coordinates, finds it too.
            let encoded = try await APIClient(app: app).send(.GET, "\(base)/search?fromCommune=Saint%2DNazaire&toCommune=%4Eantes&date=\(monday.iso)&time=07%3A20")
            #expect((encoded.json["data"] as? [[String: Any]] ?? []).contains { $0["ad"] as? String == ad }, "\(encoded.body.string)")
            let byPoint = try await APIClient(app: app).send(.GET, "\(base)/search?fromLat=47.2736&fromLon=-2.2139&toLat=47.2184&toLon=-1.5536&date=\(monday.iso)&time=07:20")
            #expect((byPoint.json["data"] as? [[String: Any]] ?? []).contains { $0["ad"] as? String == ad }, "\(byPoint.body.string)")
            // The other way in the morning, or a Sunday, finds nothing; the evening return is found on its own.
            let wrongWay = try await APIClient(app: app).send(.GET, "\(base)/search?fromCommune=Nantes&toCommune=Saint-Nazaire&date=\(monday.iso)&time=07:20")
            #expect((wrongWay.json["data"] as? [[String: Any]] ?? []).isEmpty, "\(wrongWay.body.string)")
            let sunday = try await APIClient(app: app).send(.GET, "\(base)/search?fromCommune=Saint-Nazaire&toCommune=Nantes&date=\(next(7).iso)")
            #expect((sunday.json["data"] as? [[String: Any]] ?? []).isEmpty)
            let evening = try await APIClient(app: app).send(.GET, "\(base)/search?fromCommune=Nantes&toCommune=Saint-Nazaire&date=\(monday.iso)&time=17:30")
            #expect((evening.json["data"] as? [[String: Any]] ?? []).contains { $0["ad"] as? String == ad && $0["leg"] as? String == "return" })

            // The passenger asks; the page hides the phone until the driver accepts.
            let asked = try await f.clients[2].send(.POST, "\(base)/ads/\(ad)/asks", json: #"{"date": "\#(monday.iso)", "seats": 1}"#)
            #expect(asked.status == .created && asked.json["status"] as? String == "pending", "\(asked.body.string)")
            let ask = try #require(asked.json["id"] as? String)
            let passenger = try await signedIn(app, f.users[2])
            let before = try await passenger.get("/c/\(Self.slug)/carpool/asks/\(ask)")
            #expect(before.status == .ok && !before.body.string.contains("06 11 22 33 44"), "the phone stays hidden while pending")
            #expect(before.body.string.contains("arnaques"), "the thread warns about payment scams")
            let told = try await Notice.query(on: app.db).filter(\.$user.$id == f.users[0].requireID()).all()
            #expect(told.contains { $0.kind == NoticeKind.rides.rawValue && $0.link.hasSuffix(ask) }, "the driver is told of the request")

            // The passenger cannot accept their own request; the driver can.
            #expect(try await f.clients[2].send(.POST, "\(base)/asks/\(ask)/accept").status == .forbidden)
            let accepted = try await f.clients[0].send(.POST, "\(base)/asks/\(ask)/accept")
            #expect(accepted.status == .ok && accepted.json["status"] as? String == "accepted", "\(accepted.body.string)")
            let after = try await passenger.get("/c/\(Self.slug)/carpool/asks/\(ask)")
            #expect(after.body.string.contains("06 11 22 33 44") && after.body.string.contains(f.users[0].email), "accepted: phone and address shown")
            let seats = try await APIClient(app: app).send(.GET, "\(base)/search?fromCommune=Saint-Nazaire&toCommune=Nantes&date=\(monday.iso)&time=07:20")
            #expect((seats.json["data"] as? [[String: Any]])?.first { $0["ad"] as? String == ad }?["seatsLeft"] as? Int == 2)

            // Both people find the ride in their own data export.
            let register = Modules.all.flatMap(\.dataRegister)
            for person in [f.users[0], f.users[2]] {
                let exported = try await DataExport.tables(for: try person.requireID(), register: register, on: app.db)
                #expect(exported.first { $0.name == "carpool_asks" }?.rows.contains { $0["id"]?.lowercased() == ask.lowercased() } == true,
                        "\(person.displayName)'s export holds the ask")
            }

            // Someone else cannot read their ask, nor learn it exists.
            #expect(try await f.clients[3].send(.GET, "\(base)/asks/\(ask)").status == .notFound)
            let stranger = try await signedIn(app, f.users[3])
            #expect(try await stranger.get("/c/\(Self.slug)/carpool/asks/\(ask)").status == .notFound)
        }
    }

    @Test func fiftyPassengersAskForTheLastTwoSeatsAndTheDriverAcceptsThemAllAtOnce() async throws {
        try await withMaillage { app in
            let f = try await carpool(app, members: 53)
            let ad = try await commute(f, seats: 3)
            let monday = next(1).iso
            // One seat is already taken: two are left.
            let first = try await f.clients[2].send(.POST, "\(base)/ads/\(ad)/asks", json: #"{"date": "\#(monday)"}"#)
            #expect(try await f.clients[0].send(.POST, "\(base)/asks/\(first.json["id"] as? String ?? "")/accept").status == .ok)
            var asks: [String] = []
            try await withRunningServer(app) { server in
                // Fifty passengers ask at once…
                asks = try await withThrowingTaskGroup(of: String?.self, returning: [String].self) { group in
                    for index in 3..<53 {
                        group.addTask {
                            let (status, json) = try await f.clients[index].post(to: server, "\(base)/ads/\(ad)/asks", json: #"{"date": "\#(monday)"}"#)
                            return status == 201 ? json["id"] as? String : nil
                        }
                    }
                    var ids: [String] = []
                    for try await id in group { if let id { ids.append(id) } }
                    return ids
                }
                #expect(asks.count == 50, "every request is recorded: \(asks.count)")
                // …and the driver accepts all fifty at once.
                let statuses = try await withThrowingTaskGroup(of: (UInt, String).self, returning: [(UInt, String)].self) { group in
                    for ask in asks {
                        group.addTask {
                            let (status, json) = try await f.clients[0].post(to: server, "\(base)/asks/\(ask)/accept", json: "{}")
                            return (status, ((json["error"] as? [String: Any])?["code"] as? String) ?? "")
                        }
                    }
                    var out: [(UInt, String)] = []
                    for try await one in group { out.append(one) }
                    return out
                }
                #expect(statuses.filter { $0.0 == 200 }.count == 2, "exactly the two last seats: \(Dictionary(grouping: statuses, by: \.0).mapValues(\.count))")
                #expect(statuses.filter { $0.0 == 409 }.allSatisfy { $0.1 == "ride_full" } && statuses.allSatisfy { $0.0 < 500 })
            }
            struct Count: Decodable { var n: Int }
            let accepted = try await app.db.sql.raw("SELECT COUNT(*) AS n FROM carpool_asks WHERE status = 'accepted'").first(decoding: Count.self)?.n
            let taken = try await app.db.sql.raw("SELECT taken AS n FROM carpool_seats").first(decoding: Count.self)?.n
            #expect(accepted == 3 && taken == 3, "3 seats, 3 accepted, 3 taken: \(accepted ?? -1), \(taken ?? -1)")
        }
    }

    @Test func anAcceptedRideIsCancelledOnlyWithAReasonAndFreesItsSeat() async throws {
        try await withMaillage { app in
            let f = try await carpool(app)
            let ad = try await commute(f, seats: 1)
            let monday = next(1).iso
            let ask = try #require(try await f.clients[2].send(.POST, "\(base)/ads/\(ad)/asks", json: #"{"date": "\#(monday)"}"#).json["id"] as? String)
            #expect(try await f.clients[0].send(.POST, "\(base)/asks/\(ask)/accept").status == .ok)
            let other = try #require(try await f.clients[3].send(.POST, "\(base)/ads/\(ad)/asks", json: #"{"date": "\#(monday)"}"#).json["id"] as? String)
            let full = try await f.clients[0].send(.POST, "\(base)/asks/\(other)/accept")
            #expect(full.status == .conflict && full.errorCode == "ride_full")
            let noReason = try await f.clients[2].send(.POST, "\(base)/asks/\(ask)/cancel", json: "{}")
            #expect(noReason.status == .unprocessableEntity && noReason.errorCode == "reason_required")
            let cancelled = try await f.clients[2].send(.POST, "\(base)/asks/\(ask)/cancel", json: #"{"reason": "Ma réunion est annulée"}"#)
            #expect(cancelled.status == .ok && cancelled.json["status"] as? String == "cancelled")
            let told = try await Notice.query(on: app.db).filter(\.$user.$id == f.users[0].requireID()).all()
            #expect(told.contains { $0.textFR.contains("Ma réunion est annulée") }, "the driver reads the reason")
            #expect(try await f.clients[0].send(.POST, "\(base)/asks/\(other)/accept").status == .ok, "the freed seat goes to the next")
            // Completing waits for the day of the ride.
            let early = try await f.clients[0].send(.POST, "\(base)/asks/\(other)/complete")
            #expect(early.status == .conflict && early.errorCode == "not_yet")
        }
    }

    @Test func badInputIsRefusedWithWhatToFixNeverAServerError() async throws {
        try await withMaillage { app in
            let f = try await carpool(app)
            let yesterday = LocalZone.paris.localDate(at: Date()).adding(days: -1)!.iso
            let bad = try await f.clients[2].send(.POST, "\(base)/ads", json: #"""
                {"role": "pilot", "from": {"commune": "Atlantis"}, "to": {"lat": 95, "lon": 0}, "frequency": "punctual", "date": "\#(yesterday)", "time": "25:00", "seats": 12}
                """#)
            #expect(bad.status == .unprocessableEntity, "\(bad.body.string)")
            let past = try await f.clients[2].send(.POST, "\(base)/ads", json: #"""
                {"role": "driver", "from": {"commune": "Nantes"}, "to": {"commune": "Clisson"}, "frequency": "punctual", "date": "\#(yesterday)", "time": "08:00"}
                """#)
            #expect(past.status == .unprocessableEntity && past.errorCode == "in_the_past" && past.errorField == "date", "\(past.body.string)")
            let ad = try await commute(f)
            let sunday = try await f.clients[2].send(.POST, "\(base)/ads/\(ad)/asks", json: #"{"date": "\#(next(7).iso)"}"#)
            #expect(sunday.status == .unprocessableEntity && sunday.errorCode == "not_travelling")
            let own = try await f.clients[0].send(.POST, "\(base)/ads/\(ad)/asks", json: #"{"date": "\#(next(1).iso)"}"#)
            #expect(own.status == .unprocessableEntity && own.errorCode == "own_ad")
            let twice = try await f.clients[2].send(.POST, "\(base)/ads/\(ad)/asks", json: #"{"date": "\#(next(1).iso)"}"#)
            #expect(twice.status == .created)
            let again = try await f.clients[2].send(.POST, "\(base)/ads/\(ad)/asks", json: #"{"date": "\#(next(1).iso)"}"#)
            #expect(again.status == .conflict && again.errorCode == "already_asked")
            let search = try await APIClient(app: app).send(.GET, "\(base)/search?fromCommune=Nowhere&toCommune=Nantes&date=tomorrow")
            #expect(search.status == .unprocessableEntity)

            // The page form keeps what was typed and says what to fix, in French.
            let visitor = try await signedIn(app, f.users[2])
            try await visitor.get("/c/\(Self.slug)/carpool/new")
            let form = try await visitor.post("/c/\(Self.slug)/carpool/ads", [("role", "driver"), ("from", "commune:Nantes"), ("to", "commune:Nantes"),
                                                                              ("frequency", "punctual"), ("date", yesterday), ("time", "8h"),
                                                                              ("comment", "Départ devant la mairie")])
            #expect(form.status == .unprocessableEntity)
            #expect(form.body.string.contains("Départ devant la mairie") && form.body.string.contains("Cette date est passée"))
            #expect(form.body.string.contains("Le départ et l’arrivée sont au même endroit"))
        }
    }

    @Test func theCooperativeSetsItsMoneyRuleAndTheSuggestionNeverExceedsRateTimesKilometres() async throws {
        try await withMaillage { app in
            let f = try await carpool(app)
            let board = try await signedIn(app, f.users[0]), member = try await signedIn(app, f.users[2])
            #expect(try await member.get("/c/\(Self.slug)/carpool/settings").status == .forbidden)
            try await board.get("/c/\(Self.slug)/carpool/settings")
            let tooHigh = try await board.post("/c/\(Self.slug)/carpool/settings", [("contribution", "at-cost"), ("rate", "0,50"), ("payment", "direct")])
            #expect(tooHigh.status == .unprocessableEntity && tooHigh.body.string.contains("0,50"))
            let saved = try await board.post("/c/\(Self.slug)/carpool/settings", [("contribution", "at-cost"), ("rate", "0,06"), ("payment", "direct")])
            #expect(saved.status == .seeOther)
            let ad = try await commute(f)
            let asked = try await f.clients[2].send(.POST, "\(base)/ads/\(ad)/asks", json: #"{"date": "\#(next(2).iso)"}"#)
            let km = try #require(asked.json["sharedKm"] as? Double), cents = try #require(asked.json["suggestedContributionCents"] as? Int)
            #expect(cents > 0 && Double(cents) <= km * 6, "\(cents) cents for \(km) km at 6 cents a km")
            let page = try await member.get("/c/\(Self.slug)/carpool")
            #expect(page.body.string.contains("partage des frais") && page.body.string.contains("aucune commission"))
            // A relay point added by staff is offered in the forms and the API.
            let added = try await board.post("/c/\(Self.slug)/carpool/relay-points", [("name", "Aire de covoiturage de Savenay"), ("kind", "carpool-area"),
                                                                                      ("commune", "Savenay"), ("lat", "47,3563"), ("lon", "-1,9265")])
            #expect(added.status == .seeOther)
            let points = try await APIClient(app: app).send(.GET, "\(base)/relay-points")
            #expect((points.json["data"] as? [[String: Any]])?.first?["name"] as? String == "Aire de covoiturage de Savenay")
            #expect(try await member.post("/c/\(Self.slug)/carpool/relay-points", [("name", "Chez moi"), ("kind", "other"), ("commune", "Nantes")]).status == .forbidden)
        }
    }

    @Test func aCooperativeThatChoseItsAccountsLetsThePassengerPayTheDriverOnceWithNoFee() async throws {
        try await withMaillage { app in
            let f = try await carpool(app)
            let board = try await signedIn(app, f.users[0])
            try await board.get("/c/\(Self.slug)/carpool/settings")
            #expect(try await board.post("/c/\(Self.slug)/carpool/settings", [("contribution", "at-cost"), ("rate", "0,06"), ("payment", "ledger")]).status == .seeOther)
            let ad = try await commute(f)
            let ask = try #require(try await f.clients[2].send(.POST, "\(base)/ads/\(ad)/asks", json: #"{"date": "\#(next(1).iso)"}"#).json["id"] as? String)
            #expect(try await f.clients[2].send(.POST, "\(base)/asks/\(ask)/pay").status == .conflict, "nothing is paid before the driver accepts")
            #expect(try await f.clients[0].send(.POST, "\(base)/asks/\(ask)/accept").status == .ok)
            let broke = try await f.clients[2].send(.POST, "\(base)/asks/\(ask)/pay")
            #expect(broke.status == .conflict && broke.errorCode == "credit_short", "\(broke.body.string)")
            try await board.get("/c/\(Self.slug)/money")
            let passenger = try f.users[2].requireID(), driver = try f.users[0].requireID(), coop = try f.coop.requireID()
            #expect(try await board.post("/c/\(Self.slug)/money/top-up", [("member", passenger.uuidString), ("amount", "20"), ("memo", "")]).status == .seeOther)
            #expect(try await f.clients[0].send(.POST, "\(base)/asks/\(ask)/pay").status == .forbidden, "the driver does not pay themselves")
            // Two payments at once: one goes through.
            async let one = f.clients[2].send(.POST, "\(base)/asks/\(ask)/pay")
            async let two = f.clients[2].send(.POST, "\(base)/asks/\(ask)/pay")
            let answers = try await [one, two]
            #expect(answers.filter { $0.status == .ok }.count == 1 && answers.contains { $0.errorCode == "already_paid" })
            let cents = try #require(answers.first { $0.status == .ok }?.json["suggestedContributionCents"] as? Int)
            #expect(try await LedgerFacade.availableCredit(of: driver, in: coop, on: app.db) == Int64(cents), "the driver receives it all: no fee")
            #expect(try await LedgerFacade.availableCredit(of: passenger, in: coop, on: app.db) == 2_000 - Int64(cents))
        }
    }

    @Test func anErasedPersonsAddressLeavesEveryCommunitysList() async throws {
        try await withMaillage { app in
            let f = try await carpool(app)
            let coop = try f.coop.requireID()
            let leaving = f.users[3], staying = f.users[4]
            let community = try await CarpoolCommunities.create(CommunityDraft(name: "Chantiers", joining: "list",
                                                                               addresses: "\(leaving.email), \(staying.email)"),
                                                                by: try f.users[0].requireID(), in: coop, on: app.db)
            try await Erasure.erase(leaving, on: app.db)
            let row = try await CarpoolCommunities.find(community, in: coop, on: app.db)
            #expect(row.addressList == [staying.email.lowercased()], "\(row.addressList)")
        }
    }
}
