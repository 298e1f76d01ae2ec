import Fluent
import Foundation
import MaillageCore

/// Roulons Ensemble Estuaire: four relay points of the estuary, a suggested contribution of
/// 0,06 € per km paid between the people, commuters' regular trips between Saint-Nazaire, Savenay
/// and Nantes, a few one-off trips, two communities, an alert, and one accepted seat with its
/// conversation.
enum CarpoolDemo {
    static let relayPoints: [(name: String, kind: String, commune: String, lat: String, lon: String, description: String)] = [
        ("Gare de Saint-Nazaire", "station", "Saint-Nazaire", "47.2865", "-2.2106", "Dépose-minute côté nord, devant l’entrée principale."),
        ("Aire de covoiturage de Savenay", "carpool-area", "Savenay", "47.3563", "-1.9265", "À la sortie de la N165, 60 places."),
        ("Gare de Nantes, sortie nord", "station", "Nantes", "47.2180", "-1.5420", "Arrêt minute boulevard de Stalingrad."),
        ("Parking relais de la Haluchère", "car-park", "Nantes", "47.2490", "-1.5210", "Parking relais du tram, ligne 1."),
    ]

    static func seed(_ demo: DemoTerritory) async throws {
        guard let coop = demo.cooperative(.carpool) else { return }
        let db = demo.db, coopID = try coop.requireID(), zone = LocalZone.paris
        let today = zone.localDate(at: Date())
        try await CarpoolSettings(contribution: .atCost(centsPerKm: CarpoolContribution.defaultCentsPerKm), payment: .direct, reviews: false)
            .save(for: coopID, by: demo.user("samir").requireID(), on: db)
        var places: [String: RidePlace] = [:]
        for point in relayPoints {
            let id = try await RelayPoint.add(name: point.name, kind: point.kind, commune: point.commune, lat: point.lat, lon: point.lon,
                                              description: point.description, to: coopID, on: db)
            places[point.name] = RidePlace(name: point.name, point: GeoPoint(lat: Double(point.lat)!, lon: Double(point.lon)!)!, relayPoint: id)
        }
        func commune(_ name: String) -> RidePlace {
            let place = Communes.coordinates(of: name)!
            return RidePlace(name: place.name, point: GeoPoint(lat: place.lat, lon: place.lon)!)
        }
        let weekdays = Dictionary(uniqueKeysWithValues: (1...5).map { ($0, (outward: "07:15", back: "17:45")) })
        let inSixMonths = today.adding(days: 180)!.iso
        let ads: [(String, RideDraft, RidePlace, RidePlace, String?)] = [
            ("samir", RideDraft(role: "driver", frequency: "regular", fromDate: today.iso, untilDate: inSixMonths, weekdays: weekdays, seats: "3",
                                comment: "Je travaille aux Chantiers ; départ de la gare, retour après 17 h 30."),
             places["Gare de Saint-Nazaire"]!, places["Gare de Nantes, sortie nord"]!, "06 12 34 56 78"),
            ("theo", RideDraft(role: "driver", frequency: "punctual", date: today.adding(days: 1)!.iso, time: "08:00", returnTime: "18:00", seats: "2",
                               options: ["luggage"], comment: "Rendez-vous médical à Nantes, je peux prendre deux personnes."),
             places["Aire de covoiturage de Savenay"]!, places["Parking relais de la Haluchère"]!, nil),
            ("alice", RideDraft(role: "passenger", frequency: "regular", fromDate: today.iso, untilDate: inSixMonths,
                                weekdays: [1: ("07:45", "17:30"), 2: ("07:45", "17:30"), 4: ("07:45", "17:30")], seats: "1",
                                comment: "Je cherche un covoiturage pour aller travailler à Nantes trois jours par semaine."),
             places["Aire de covoiturage de Savenay"]!, places["Gare de Nantes, sortie nord"]!, nil),
            ("victor", RideDraft(role: "driver", frequency: "regular", fromDate: today.iso, untilDate: inSixMonths,
                                 weekdays: Dictionary(uniqueKeysWithValues: (1...5).map { ($0, (outward: "06:50", back: "")) }), seats: "3"),
             commune("Pornic"), commune("Nantes"), nil),
            ("yasmine", RideDraft(role: "passenger", frequency: "punctual", date: today.adding(days: 3)!.iso, time: "09:00", seats: "1",
                                  comment: "Entretien d’embauche à 10 h."),
             commune("Saint-Nazaire"), commune("Nantes"), nil),
            ("ursule", RideDraft(role: "both", frequency: "punctual", date: today.adding(days: 5)!.iso, time: "10:00", seats: "2", options: ["bike"]),
             commune("Nantes"), commune("Saint-Nazaire"), nil),
        ]
        var published: [String: UUID] = [:]
        for (author, draft, from, to, phone) in ads {
            let ad = try draft.validated(origin: from, destination: to, community: nil, now: Date())
            published[author] = try await CarpoolAds.publish(ad, phone: phone, author: demo.user(author).requireID(), coop: coopID, on: db)
        }
        // Two communities: the shipyard's commuters (by approval: Yasmine waits for Samir's answer)
        // and the parents of a school (open: Alice is in); Ursule's alert for a seat to Nantes.
        let samirID = try demo.user("samir").requireID()
        let shipyard = try await CarpoolCommunities.create(CommunityDraft(name: "Chantiers de l’estuaire",
            description: "Les salariés et sous-traitants des chantiers, en horaires décalés.", joining: "approval"), by: samirID, in: coopID, on: db)
        let school = try await CarpoolCommunities.create(CommunityDraft(name: "Parents du lycée de Savenay",
            description: "Pour emmener les lycéens aux activités du mercredi.", joining: "open"), by: samirID, in: coopID, on: db)
        for (community, handle) in [(shipyard, "yasmine"), (school, "alice")] {
            let user = demo.user(handle)
            _ = try await CarpoolCommunities.join(try await CarpoolCommunities.find(community, in: coopID, on: db), person: user.requireID(),
                                                  email: user.email, emailConfirmed: true, slug: coop.slug, on: db)
        }
        _ = try await CarpoolAlerts.create(RideAlert(lookingFor: .driver, weekdays: [1, 2, 3, 4, 5], time: RideTime(minute: 450, margin: 30)),
                                           from: places["Aire de covoiturage de Savenay"], to: commune("Nantes"),
                                           person: demo.user("ursule").requireID(), coop: coopID, on: db)

        // Alice rides with Samir next Monday: asked, accepted, and a first word about the meeting point.
        guard let samirAd = published["samir"] else { return }
        var monday = today.adding(days: 1)!
        while monday.weekday != 1 { monday = monday.adding(days: 1)! }
        let ad = try await CarpoolAds.find(samirAd, in: coopID, on: db)
        let alice = try demo.user("alice").requireID(), samir = try demo.user("samir").requireID()
        let ask = try await CarpoolAsks.open(CarpoolAsks.Opening(ad: ad, date: monday, leg: .outward, seats: 1, askSeat: true,
                                                                 pickup: places["Gare de Saint-Nazaire"], dropoff: places["Gare de Nantes, sortie nord"]),
                                             by: alice, settings: try await CarpoolSettings.of(coopID, on: db), on: db)
        _ = try await CarpoolAsks.act(.accept, on: ask.id, by: samir, in: coopID, on: db)
        let thread = try await ThreadStore.openThread(of: CarpoolThread.access(ask, slug: coop.slug).subject, on: db)
        _ = try await ThreadStore.insert(body: "Bonjour Samir, je serai devant l’entrée principale à 7 h 10. Merci !", by: alice, in: thread, on: db)
        _ = try await ThreadStore.insert(body: "Parfait, à lundi ! Je conduis une Clio grise.", by: samir, in: thread, on: db)
    }
}
