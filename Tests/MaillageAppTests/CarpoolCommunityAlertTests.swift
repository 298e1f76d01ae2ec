import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

@Suite("Carpool: communities, alerts and reviews", .serialized)
struct CarpoolCommunityAlertTests {
    static let slug = "covoiturage-des-tests"
    var communities: String { "/api/v1/cooperatives/\(Self.slug)/carpool/communities" }
    var alerts: String { "/api/v1/cooperatives/\(Self.slug)/carpool/alerts" }

    /// users[0] board, users[1] staff, users[2…] members; addresses `covoiturage-des-tests-<n>@example.org`.
    func carpool(_ app: Application) async throws -> LendingFixture {
        try await LendingFixture.make(app, members: 5, activity: .carpool, slug: Self.slug)
    }

    func confirm(_ user: User, on db: any Database) async throws {
        user.emailConfirmedAt = Date()
        try await user.save(on: db)
    }

    /// A member of the cooperative who signs in on pages and has a token, with a confirmed address.
    func member(_ app: Application, _ f: LendingFixture, email: String, role: MemberRole = .member) async throws -> (Visitor, APIClient, UUID) {
        let (visitor, client) = try await personWithToken(app, email: email, name: "Personne \(email)")
        let user = try #require(try await User.query(on: app.db).filter(\.$email == email).first())
        let membership = Membership()
        membership.$cooperative.id = try f.coop.requireID()
        membership.$user.id = try user.requireID()
        membership.shares = 0
        membership.role = role.rawValue
        membership.status = MembershipStatus.active.rawValue
        membership.message = ""
        try await membership.create(on: app.db)
        return (visitor, client, try user.requireID())
    }

    func place(_ commune: String) throws -> RidePlace { try #require(CarpoolPlaces.resolve("commune:\(commune)", [])) }

    var tomorrow: LocalDate { LocalZone.paris.localDate(at: Date()).adding(days: 1)! }

    /// Publishes a one-off ride leaving tomorrow at `time`, as the ad form does, and runs the alerts.
    func publish(_ app: Application, _ f: LendingFixture, by author: Int, from: String, to: String, role: String = "driver",
                 time: String = "08:00", community: UUID? = nil, alerts: Bool = true) async throws -> UUID {
        let ad = try RideDraft(role: role, frequency: "punctual", date: tomorrow.iso, time: time, margin: "15", seats: "3")
            .validated(origin: try place(from), destination: try place(to), community: community, now: Date())
        let coop = try f.coop.requireID()
        let id = try await CarpoolAds.publish(ad, phone: nil, author: try f.users[author].requireID(), coop: coop, on: app.db)
        if alerts { try await CarpoolAlerts.adPublished(id, in: coop, slug: Self.slug, on: app.db) }
        return id
    }

    func notices(_ app: Application, to user: UUID, about ad: UUID) async throws -> Int {
        try await Notice.query(on: app.db).filter(\.$user.$id == user).all().filter { $0.link.contains(ad.uuidString) }.count
    }

    @Test func joiningFollowsTheCommunitysRule() async throws {
        try await withMaillage { app in
            let f = try await carpool(app)
            let staff = f.clients[1]
            let domain = try await staff.send(.POST, communities, json: #"{"name": "Chantiers de l’Atlantique", "joining": "domain", "domains": ["@Chantiers.fr"]}"#)
            #expect(domain.status == .created, "\(domain.body.string)")
            #expect(domain.json["domains"] as? [String] == ["chantiers.fr"] && domain.json["myStatus"] as? String == "manager")
            let list = try await staff.send(.POST, communities, json: #"{"name": "École Jules-Verne", "joining": "list", "addresses": ["\#(f.users[3].email)"]}"#)
            let approval = try await staff.send(.POST, communities, json: #"{"name": "Festival", "joining": "approval"}"#)
            #expect(list.status == .created && approval.status == .created)
            let noDomain = try await staff.send(.POST, communities, json: #"{"name": "Sans domaine", "joining": "domain"}"#)
            #expect(noDomain.status == .unprocessableEntity && noDomain.errorField == "domains")
            let twice = try await staff.send(.POST, communities, json: #"{"name": "Festival", "joining": "open"}"#)
            #expect(twice.status == .conflict && twice.errorCode == "community_exists")
            let byMember = try await f.clients[2].send(.POST, communities, json: #"{"name": "La mienne", "joining": "open"}"#)
            #expect(byMember.status == .forbidden, "staff create communities")
            let domainID = try #require(domain.json["id"] as? String), listID = try #require(list.json["id"] as? String)
            let approvalID = try #require(approval.json["id"] as? String)

            // A domain or a list trusts only a confirmed address.
            f.users[3].emailConfirmedAt = nil
            try await f.users[3].save(on: app.db)
            let unconfirmed = try await f.clients[3].send(.POST, "\(communities)/\(listID)/members")
            #expect(unconfirmed.status == .forbidden && unconfirmed.errorCode == "email_unconfirmed")
            try await confirm(f.users[3], on: app.db)
            let otherDomain = try await f.clients[2].send(.POST, "\(communities)/\(domainID)/members")
            #expect(otherDomain.status == .forbidden && otherDomain.errorCode == "community_domain")
            let notListed = try await f.clients[2].send(.POST, "\(communities)/\(listID)/members")
            #expect(notListed.status == .forbidden && notListed.errorCode == "community_closed")
            let listed = try await f.clients[3].send(.POST, "\(communities)/\(listID)/members")
            #expect(listed.status == .created && listed.json["status"] as? String == "member", "\(listed.body.string)")
            let again = try await f.clients[3].send(.POST, "\(communities)/\(listID)/members")
            #expect(again.status == .conflict && again.errorCode == "already_in_community")
            let (_, worker, _) = try await member(app, f, email: "lea@chantiers.fr")
            let sameDomain = try await worker.send(.POST, "\(communities)/\(domainID)/members")
            #expect(sameDomain.status == .created && sameDomain.json["status"] as? String == "member", "\(sameDomain.body.string)")

            // Approval: the person waits, the managers are told, and a manager lets them in.
            let waiting = try await f.clients[2].send(.POST, "\(communities)/\(approvalID)/members")
            #expect(waiting.status == .created && waiting.json["status"] as? String == "waiting")
            let staffID = try f.users[1].requireID(), memberID = try f.users[2].requireID()
            #expect(try await Notice.query(on: app.db).filter(\.$user.$id == staffID).all().contains { $0.link.hasSuffix(approvalID.lowercased()) || $0.link.hasSuffix(approvalID) })
            let festival = try await CarpoolCommunities.find(UUID(uuidString: approvalID), in: try f.coop.requireID(), on: app.db)
            #expect(try await CarpoolAds.communityChoices(of: memberID, in: try f.coop.requireID(), on: app.db).isEmpty, "waiting sees nothing yet")
            try await CarpoolCommunities.answer(festival, person: memberID, approve: true, slug: Self.slug, on: app.db)
            #expect(try await CarpoolAds.communityChoices(of: memberID, in: try f.coop.requireID(), on: app.db).map(\.name) == ["Festival"])
            await #expect(throws: DomainError.self) { try await CarpoolCommunities.answer(festival, person: memberID, approve: true, slug: Self.slug, on: app.db) }
            let listing = try await APIClient(app: app).send(.GET, communities)
            let counts = ((listing.json["data"] as? [[String: Any]]) ?? []).map { "\($0["name"] ?? ""):\($0["members"] ?? "")" }.sorted()
            #expect(counts == ["Chantiers de l’Atlantique:2", "Festival:2", "École Jules-Verne:2"], "\(counts)")
        }
    }

    @Test func aCommunityRideIsFoundByItsMembersAndNobodyElse() async throws {
        try await withMaillage { app in
            let f = try await carpool(app)
            let coop = try f.coop.requireID()
            let created = try await f.clients[1].send(.POST, communities, json: #"{"name": "Hôpital", "joining": "open"}"#)
            let community = try #require((created.json["id"] as? String).flatMap(UUID.init(uuidString:)))
            #expect(try await f.clients[2].send(.POST, "\(communities)/\(community)/members").status == .created)
            let ad = try await publish(app, f, by: 1, from: "Saint-Nazaire", to: "Nantes", community: community)
            func found(by person: UUID?) async throws -> Bool {
                let query = CarpoolSearch.Query(origin: try place("Saint-Nazaire"), destination: try place("Nantes"), date: tomorrow,
                                                time: RideTime(minute: 480, margin: 60), lookingFor: .driver, person: person)
                return try await CarpoolSearch.run(query, coop: coop, relayPoints: [], index: app.carpoolSearchIndex, on: app.db).contains { $0.ad.id == ad }
            }
            #expect(try await found(by: try f.users[2].requireID()), "a member of the community finds its ride")
            #expect(try await !found(by: try f.users[3].requireID()), "another member of the cooperative does not")
            #expect(try await !found(by: nil), "nor does a visitor")
            let open = try await publish(app, f, by: 1, from: "Saint-Nazaire", to: "Nantes", time: "08:10")
            #expect(try await found(by: try f.users[3].requireID()) == false)
            let query = CarpoolSearch.Query(origin: try place("Saint-Nazaire"), destination: try place("Nantes"), date: tomorrow,
                                            time: RideTime(minute: 480, margin: 60), lookingFor: .driver, person: try f.users[3].requireID())
            #expect(try await CarpoolSearch.run(query, coop: coop, relayPoints: [], index: app.carpoolSearchIndex, on: app.db).map(\.ad.id) == [open], "a ride for all is found by all")
        }
    }

    @Test func anAlertTellsOnceWhenAMatchingRideIsPublished() async throws {
        try await withMaillage { app in
            let f = try await carpool(app)
            let wantsSeat = #"{"lookingFor": "driver", "origin": {"commune": "Saint-Nazaire"}, "destination": {"commune": "Nantes"}, "time": "08:00", "margin": 30}"#
            let made = try await f.clients[2].send(.POST, alerts, json: wantsSeat)
            #expect(made.status == .created, "\(made.body.string)")
            #expect(made.json["time"] as? String == "08:00" && made.json["weekdays"] as? [Int] == [])
            let otherWay = try await f.clients[3].send(.POST, alerts, json: #"{"lookingFor": "driver", "origin": {"commune": "Nantes"}, "destination": {"commune": "Saint-Nazaire"}}"#)
            #expect(otherWay.status == .created)
            let evening = try await f.clients[4].send(.POST, alerts, json: #"{"lookingFor": "driver", "origin": {"commune": "Saint-Nazaire"}, "destination": {"commune": "Nantes"}, "time": "18:00", "margin": 15}"#)
            #expect(evening.status == .created)
            // The author's own alert for the same trip stays quiet.
            #expect(try await f.clients[1].send(.POST, alerts, json: wantsSeat).status == .created)
            let bad = try await f.clients[2].send(.POST, alerts, json: #"{"lookingFor": "driver", "origin": {"commune": "Nantes"}, "destination": {"commune": "Nantes"}}"#)
            #expect(bad.status == .unprocessableEntity && bad.errorCode == "same_place")
            let unknown = try await f.clients[2].send(.POST, alerts, json: #"{"lookingFor": "both", "origin": {"commune": "Atlantis"}, "destination": {"commune": "Nantes"}, "time": "25:00"}"#)
            #expect(unknown.status == .unprocessableEntity)

            let ad = try await publish(app, f, by: 1, from: "Saint-Nazaire", to: "Nantes", alerts: false)
            // Published twice at once (two processes, a retry): one notice.
            let coop = try f.coop.requireID()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 { group.addTask { try await CarpoolAlerts.adPublished(ad, in: coop, slug: Self.slug, on: app.db) } }
                try await group.waitForAll()
            }
            try await CarpoolAlerts.adPublished(ad, in: coop, slug: Self.slug, on: app.db)
            #expect(try await notices(app, to: try f.users[2].requireID(), about: ad) == 1, "one notice per alert and ride")
            #expect(try await notices(app, to: try f.users[3].requireID(), about: ad) == 0, "the other direction does not match")
            #expect(try await notices(app, to: try f.users[4].requireID(), about: ad) == 0, "the evening does not meet the morning")
            #expect(try await notices(app, to: try f.users[1].requireID(), about: ad) == 0, "nobody is told of their own ride")
            let text = try #require(try await Notice.query(on: app.db).filter(\.$user.$id == (try f.users[2].requireID())).first())
            #expect(text.textFR.contains("Saint-Nazaire → Nantes") && text.link == "/c/\(Self.slug)/carpool/ads/\(ad)")

            // A ride elsewhere tells nobody; a paused alert is quiet; a deleted one is gone.
            let elsewhere = try await publish(app, f, by: 1, from: "Vertou", to: "Savenay")
            #expect(try await notices(app, to: try f.users[2].requireID(), about: elsewhere) == 0)
            let alertID = try #require((made.json["id"] as? String).flatMap(UUID.init(uuidString:)))
            try await CarpoolAlerts.pause(alertID, true, of: try f.users[2].requireID(), in: coop, on: app.db)
            let later = try await publish(app, f, by: 1, from: "Saint-Nazaire", to: "Nantes", time: "07:50")
            #expect(try await notices(app, to: try f.users[2].requireID(), about: later) == 0, "a paused alert tells nothing")
            #expect(try await f.clients[3].send(.DELETE, "\(alerts)/\(alertID)").status == .notFound, "someone else's alert is not found")
            #expect(try await f.clients[2].send(.DELETE, "\(alerts)/\(alertID)").status == .noContent)
            let mine = try await f.clients[2].send(.GET, alerts)
            #expect((mine.json["data"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func aCommunityRideTellsOnlyTheCommunitysAlerts() async throws {
        try await withMaillage { app in
            let f = try await carpool(app)
            let created = try await f.clients[1].send(.POST, communities, json: #"{"name": "Usine", "joining": "open"}"#)
            let community = try #require((created.json["id"] as? String).flatMap(UUID.init(uuidString:)))
            #expect(try await f.clients[2].send(.POST, "\(communities)/\(community)/members").status == .created)
            let alert = #"{"lookingFor": "driver", "origin": {"commune": "Saint-Nazaire"}, "destination": {"commune": "Nantes"}}"#
            for client in 2...3 { #expect(try await f.clients[client].send(.POST, alerts, json: alert).status == .created) }
            let ad = try await publish(app, f, by: 1, from: "Saint-Nazaire", to: "Nantes", community: community)
            #expect(try await notices(app, to: try f.users[2].requireID(), about: ad) == 1)
            #expect(try await notices(app, to: try f.users[3].requireID(), about: ad) == 0, "outside the community, nobody hears of its rides")
        }
    }

    @Test func aReviewIsWrittenOnlyAfterTheRideAndWhenTheCooperativeAllowsIt() async throws {
        try await withMaillage { app in
            let f = try await carpool(app)
            let coop = try f.coop.requireID()
            let driver = try f.users[1].requireID(), passenger = try f.users[2].requireID()
            let adID = try await publish(app, f, by: 1, from: "Saint-Nazaire", to: "Nantes")
            let ad = try await CarpoolAds.find(adID, in: coop, on: app.db)
            let settings = try await CarpoolSettings.of(coop, on: app.db)
            let opened = try await CarpoolAsks.open(.init(ad: ad, date: tomorrow, leg: .outward, seats: 1, askSeat: true, pickup: nil, dropoff: nil),
                                                    by: passenger, settings: settings, on: app.db)
            let accepted = try await CarpoolAsks.act(.accept, on: opened.id, by: driver, in: coop, on: app.db)
            // Reviews are on, but the ride has not happened.
            var on = settings
            on.reviews = true
            try await on.save(for: coop, by: try f.users[0].requireID(), on: app.db)
            await #expect(throws: RideReview.notCompleted) { try await CarpoolReviews.write("Très ponctuel.", on: accepted, by: passenger, on: app.db) }
            let after = Date().addingTimeInterval(3 * 86_400)
            let done = try await CarpoolAsks.act(.complete, on: opened.id, by: passenger, in: coop, now: after, on: app.db)
            #expect(done.askStatus == .completed)
            // Turned off, nobody writes.
            try await settings.save(for: coop, by: try f.users[0].requireID(), on: app.db)
            await #expect(throws: RideReview.off) { try await CarpoolReviews.write("Très ponctuel.", on: done, by: passenger, on: app.db) }
            try await on.save(for: coop, by: try f.users[0].requireID(), on: app.db)
            await #expect(throws: RideReview.bodyLength) { try await CarpoolReviews.write(" ", on: done, by: passenger, on: app.db) }
            try await CarpoolReviews.write("Très ponctuel, conduite douce.", on: done, by: passenger, on: app.db)
            await #expect(throws: RideReview.already) { try await CarpoolReviews.write("Encore", on: done, by: passenger, on: app.db) }
            try await CarpoolReviews.write("Passagère agréable.", on: done, by: driver, on: app.db)
            await #expect(throws: (any Error).self) { try await CarpoolReviews.write("Je n’y étais pas.", on: done, by: try f.users[3].requireID(), on: app.db) }
            let reviews = try await CarpoolReviews.of(ask: done.id, on: app.db)
            #expect(reviews.count == 2 && reviews.first { $0.author_id == passenger }?.about_id == driver)
            // Erasing the passenger's account empties the words by and about them.
            try await CarpoolReviews.erase(passenger, on: app.db)
            #expect(try await CarpoolReviews.of(ask: done.id, on: app.db).allSatisfy { $0.body.isEmpty })
        }
    }

    @Test func pagesLetAMemberKeepAlertsAndStaffCreateCommunities() async throws {
        try await withMaillage { app in
            let f = try await carpool(app)
            let (staff, _, _) = try await member(app, f, email: "camille@example.org", role: .staff)
            let base = "/c/\(Self.slug)/carpool"
            let list = try await staff.get("\(base)/communities")
            #expect(list.status == .ok && list.body.string.contains("Créer une communauté"), "\(list.status)")
            let refused = try await staff.post("\(base)/communities", [("name", "X"), ("joining", "open")])
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("2 à 80"))
            let made = try await staff.post("\(base)/communities", [("name", "Lycée Aristide-Briand"), ("joining", "approval"), ("description", "Parents et élèves")])
            #expect(made.status == .seeOther)
            let page = try await staff.get(made.headers.first(name: .location) ?? "")
            #expect(page.status == .ok && page.body.string.contains("Lycée Aristide-Briand") && page.body.string.contains("Vous gérez cette communauté"))

            let (visitor, _, _) = try await member(app, f, email: "noe@example.org")
            let empty = try await visitor.get("\(base)/alerts?from=commune:Savenay&to=commune:Nantes")
            #expect(empty.status == .ok && empty.body.string.contains("Créer une alerte"))
            let wrong = try await visitor.post("\(base)/alerts", [("from", "commune:Savenay"), ("to", "commune:Savenay"), ("looking_for", "driver")])
            #expect(wrong.status == .unprocessableEntity && wrong.body.string.contains("même endroit"))
            let saved = try await visitor.post("\(base)/alerts", [("from", "commune:Savenay"), ("to", "commune:Nantes"), ("looking_for", "driver"),
                                                                  ("weekday", "1"), ("weekday", "2"), ("time", "07:30"), ("margin", "20")])
            #expect(saved.status == .seeOther)
            let mine = try await visitor.get("\(base)/alerts")
            #expect(mine.body.string.contains("Savenay → Nantes") && mine.body.string.contains("lundi, mardi"), "\(mine.body.string.prefix(0))")
            let alert = try #require(try await app.db.sql.select().column("id").from("carpool_alerts").first()?.decode(column: "id", as: UUID.self))
            let unasked = try await visitor.post("\(base)/alerts/\(alert)/delete", [])
            #expect(unasked.status == .seeOther && unasked.headers.first(name: .location) == "\(base)/alerts/\(alert)/delete", "deleting asks first")
            #expect(try await visitor.get("\(base)/alerts/\(alert)/delete").body.string.contains("Supprimer l’alerte"))
            let deleted = try await visitor.post("\(base)/alerts/\(alert)/delete", [("confirmed", "yes")])
            #expect(deleted.status == .seeOther)
            #expect(try await app.db.sql.select().column("id").from("carpool_alerts").all().isEmpty)
        }
    }

    @Test func theAskPageShowsTheReviewFormOnceTheRideIsDoneAndReviewsAreOn() async throws {
        try await withMaillage { app in
            let f = try await carpool(app)
            let coop = try f.coop.requireID()
            let (passengerPage, _, passenger) = try await member(app, f, email: "ines@example.org")
            let (driverPage, _, driver) = try await member(app, f, email: "marc@example.org")
            let ride = try RideDraft(role: "driver", frequency: "punctual", date: tomorrow.iso, time: "08:00", seats: "2")
                .validated(origin: try place("Savenay"), destination: try place("Nantes"), community: nil, now: Date())
            let adID = try await CarpoolAds.publish(ride, phone: nil, author: driver, coop: coop, on: app.db)
            let ad = try await CarpoolAds.find(adID, in: coop, on: app.db)
            let ask = try await CarpoolAsks.open(.init(ad: ad, date: tomorrow, leg: .outward, seats: 1, askSeat: true, pickup: nil, dropoff: nil),
                                                 by: passenger, settings: CarpoolSettings(), on: app.db)
            _ = try await CarpoolAsks.act(.accept, on: ask.id, by: driver, in: coop, on: app.db)
            _ = try await CarpoolAsks.act(.complete, on: ask.id, by: driver, in: coop, now: Date().addingTimeInterval(3 * 86_400), on: app.db)
            let path = "/c/\(Self.slug)/carpool/asks/\(ask.id)"
            let off = try await passengerPage.get(path)
            #expect(off.status == .ok && !off.body.string.contains("Avis après le trajet"), "reviews are off by default")
            let refused = try await passengerPage.post("\(path)/review", [("body", "Merci !")])
            #expect(refused.status == .forbidden && refused.body.string.contains("n’a pas ouvert les avis"))
            var settings = CarpoolSettings()
            settings.reviews = true
            try await settings.save(for: coop, by: try f.users[0].requireID(), on: app.db)
            let open = try await passengerPage.get(path)
            #expect(open.body.string.contains("Avis après le trajet") && open.body.string.contains("Pas de note ni d’étoiles"))
            let short = try await passengerPage.post("\(path)/review", [("body", "ok")])
            #expect(short.status == .unprocessableEntity && short.body.string.contains("3 à 1 000 caractères") && short.body.string.contains(">ok</textarea>"))
            let written = try await passengerPage.post("\(path)/review", [("body", "Conduite douce, à l’heure.")])
            #expect(written.status == .seeOther)
            let seen = try await driverPage.get(path)
            #expect(seen.body.string.contains("Conduite douce, à l’heure.") && seen.body.string.contains("Votre avis sur"), "the driver reads it and may write theirs")
            let again = try await passengerPage.get(path)
            #expect(again.body.string.contains("Votre avis") && !again.body.string.contains("Publier l’avis"), "one review per side")
        }
    }
}
