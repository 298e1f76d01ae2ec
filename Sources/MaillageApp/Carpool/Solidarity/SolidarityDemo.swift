import Fluent
import Foundation
import MaillageCore

/// Solidarity transport in the carpool demo: three volunteers (Ursule in Nantes, Théo in Savenay,
/// Victor in Pornic, who is paused), Madeleine in Savenay who has no car, a trip to the hospital
/// done and paid last week, and a market trip being handled.
enum SolidarityDemo {
    static func seed(_ demo: DemoTerritory) async throws {
        guard let coop = demo.cooperative(.carpool) else { return }
        let db = demo.db, coopID = try coop.requireID(), today = LocalZone.paris.localDate(at: Date())
        let samir = try demo.user("samir").requireID()
        try await Solidarity.save(.standard, for: coopID, by: samir, on: db)
        let week = WeekSlot.all.filter { $0.weekday <= 5 && $0.period != .evening }
        let volunteers: [(String, VolunteerProfile)] = [
            ("ursule", VolunteerProfile(slots: Set(week), homeCommune: "Nantes", maxKm: 50, vehicle: "Berlingo, accès facile", paused: false, monthlyLimit: 6)),
            ("theo", VolunteerProfile(slots: Set(week.filter { $0.period == .morning }), homeCommune: "Savenay", maxKm: 60, vehicle: "Clio", paused: false, monthlyLimit: 3)),
            ("victor", VolunteerProfile(slots: Set(WeekSlot.all), homeCommune: "Pornic", maxKm: 80, vehicle: "Kangoo", paused: true, monthlyLimit: 4)),
        ]
        for (handle, profile) in volunteers {
            try await SolidarityVolunteers.save(profile, of: demo.user(handle).requireID(), in: coopID, on: db)
        }
        let madeleine = SolidarityBeneficiaries.Draft(name: "Madeleine Guérin", phone: "02 40 56 78 90", commune: "Savenay",
                                                      address: "12 rue des Tilleuls", answers: [:], account: "")
        let id = try await SolidarityBeneficiaries.register(madeleine, answers: ["no_car": "oui", "situation": "Personne âgée"], account: nil,
                                                           in: coopID, by: samir, on: db)
        try await SolidarityBeneficiaries.decide(id, accept: true, reason: "", in: coopID, on: db)
        let person = try await SolidarityBeneficiaries.find(id, in: coopID, on: db)
        let settings = SolidaritySettings.standard
        // Last week: to the hospital in Nantes with Ursule, 2 × 37 km, paid at 0,32 € per km.
        let lastWeek = today.adding(days: -7)!
        let done = try await SolidarityRequests.create(for: person, reason: "Rendez-vous médical", destination: "CHU Hôtel-Dieu",
                                                       destinationCommune: "Nantes",
                                                       timing: SolidarityTiming(first: lastWeek, withinDays: 0, period: .morning, back: .after(hours: 2)),
                                                       settings: settings, by: samir, on: db)
        var request = try await SolidarityRequests.find(done, in: coopID, on: db)
        try await SolidarityDiary.write(done, kind: .call, by: samir, withWhom: "Madeleine Guérin",
                                        note: "Consultation de cardiologie à 10 h ; elle marche avec une canne.", on: db)
        let ursule = try demo.user("ursule").requireID()
        try await SolidarityRequests.ask([ursule], for: request, slug: coop.slug, by: samir, on: db)
        request = try await SolidarityRequests.find(done, in: coopID, on: db)
        try await SolidarityRequests.assign(request, to: ursule, by: ursule, on: db)
        request = try await SolidarityRequests.find(done, in: coopID, on: db)
        try await SolidarityTrips.done(request, tenthsOfKm: 740, tenthsOfHours: 35, on: lastWeek, by: samir, settings: settings, on: db)
        // Next week: the market in Savenay, Théo asked and not yet answered.
        let market = try await SolidarityRequests.create(for: person, reason: "Courses, marché", destination: "Marché, place de l’Église",
                                                         destinationCommune: "Savenay",
                                                         timing: SolidarityTiming(first: today.adding(days: 7)!, withinDays: 7, period: .morning, back: .after(hours: 1)),
                                                         settings: settings, by: samir, on: db)
        try await SolidarityRequests.ask([try demo.user("theo").requireID()], for: try await SolidarityRequests.find(market, in: coopID, on: db),
                                         slug: coop.slug, by: samir, on: db)
    }
}
