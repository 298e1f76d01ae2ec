import Fluent
import Foundation
import MaillageCore

/// Votes of the demo food cooperative: one decided last week, one open, one to come. Each is
/// made as it would have happened, at its own times, so what a page says about it (« Clos »,
/// its closing time, who votes) reads as it would on a real site.
enum GovernanceDemo {
    static func seed(_ demo: DemoTerritory) async throws {
        guard let coop = demo.cooperative(.food) else { return }
        let loaded = try await Cooperatives.find(slug: coop.slug, on: demo.db)
        let now = Date()
        let voters = ["alice", "gaelle", "david", "chloe", "emma", "farid", "hugo", "ines", "jules"]

        // Opened twelve days ago for a week; counted as the job counts, just after its close.
        let day: TimeInterval = 86_400
        let opened = now.addingTimeInterval(-12 * day), closes = now.addingTimeInterval(-5 * day)
        let decided = try await Votes.create(ProposalDraft(
            title: "Jour de retrait des paniers", body: "Quel jour de la semaine retirons-nous les paniers à partir de janvier ?",
            method: .majorityJudgment, options: ["Mardi soir", "Jeudi soir", "Samedi matin"], opensAt: opened, closesAt: closes),
            by: demo.user("alice"), in: loaded, floors: .history, on: demo.db, now: opened)
        // Two options share the majority grade « Bien »: the page explains how the tie is broken.
        let grades = [[5, 3, 6], [4, 4, 5], [2, 5, 6], [3, 3, 4], [6, 2, 5], [4, 5, 3], [1, 3, 6], [5, 4, 4], [3, 6, 5]]
        for (index, (handle, ballot)) in zip(voters, grades).enumerated() {
            try await Votes.cast(Data("\(ballot)".utf8), on: decided, by: demo.user(handle), on: demo.db,
                                 now: opened.addingTimeInterval(Double(index + 1) * 3_600))
        }
        try await Votes.close(decided, in: loaded, on: demo.db, now: closes.addingTimeInterval(30))
        decided.outcomeStatement = "Les paniers seront retirés le samedi matin à partir du 9 janvier."
        try await decided.save(on: demo.db)

        let open = try await Votes.create(ProposalDraft(
            title: "Adhésion au réseau des épiceries coopératives", body: "Proposition : rejoindre le réseau régional et échanger nos catalogues au format DFC.",
            method: .consent, options: [], opensAt: now, closesAt: now.addingTimeInterval(5 * 86_400), quorum: "1/4"),
            by: demo.user("gaelle"), in: loaded, floors: .standard, on: demo.db, now: now)
        for (handle, position) in [("alice", "agree"), ("david", "agree"), ("emma", "abstain")] {
            try await Votes.cast(Data(#"{"position": "\#(position)", "reason": ""}"#.utf8), on: open, by: demo.user(handle), on: demo.db, now: now)
        }

        // Upcoming, to be decided at the assembly: who will vote is fixed only when it opens. (An
        // allocation of the year's result is proposed from the treasury, which keeps its figures.)
        let surplus = try await Votes.create(ProposalDraft(
            title: "Tarif solidaire des paniers", body: "Proposition du conseil : un panier à prix réduit de 30 % pour les foyers au quotient familial inférieur à 700 €, financé par la réserve statutaire.",
            method: .singleChoice, options: ["Pour", "Contre"], opensAt: now.addingTimeInterval(7 * 86_400),
            closesAt: now.addingTimeInterval(14 * 86_400), secret: true, quorum: "1/4", majority: .twoThirds),
            by: demo.user("alice"), in: loaded, floors: .history, on: demo.db, now: now)

        let assembly = try await Assemblies.convene(.init(
            title: "Assemblée générale ordinaire 2026", kind: .ordinary, startsAt: now.addingTimeInterval(10 * 86_400),
            place: "Salle des fêtes de Vertou", proxiesPerHolder: 1, agenda: [try open.requireID(), try surplus.requireID()]),
            by: demo.user("alice"), in: loaded, on: demo.db, now: now)
        try await Assemblies.record(.present, for: demo.user("gaelle").requireID(), holder: nil, in: assembly, coop: loaded, on: demo.db)
        try await Assemblies.record(.represented, for: demo.user("jules").requireID(), holder: demo.user("gaelle").requireID(),
                                    in: assembly, coop: loaded, on: demo.db)
    }
}
