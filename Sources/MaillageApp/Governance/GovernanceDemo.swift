import Fluent
import Foundation
import MaillageCore

/// Votes of the demo food cooperative: one decided, one open, one to come.
enum GovernanceDemo {
    static func seed(_ demo: DemoTerritory) async throws {
        guard let coop = demo.cooperative(.food) else { return }
        let loaded = try await Cooperatives.find(slug: coop.slug, on: demo.db)
        let now = Date()
        let voters = ["alice", "gaelle", "david", "chloe", "emma", "farid", "hugo", "ines", "jules"]

        let decided = try await Votes.create(ProposalDraft(
            title: "Jour de retrait des paniers", body: "Quel jour de la semaine retirons-nous les paniers à partir de janvier ?",
            method: .majorityJudgment, options: ["Mardi soir", "Jeudi soir", "Samedi matin"], opensAt: now, closesAt: now.addingTimeInterval(3600)),
            by: demo.user("alice"), in: loaded, floors: .history, on: demo.db, now: now)
        let grades = [[5, 3, 6], [4, 4, 5], [2, 5, 6], [3, 3, 4], [6, 2, 5], [4, 5, 3], [1, 3, 6], [5, 4, 4], [3, 6, 5]]
        for (handle, ballot) in zip(voters, grades) {
            try await Votes.cast(Data("\(ballot)".utf8), on: decided, by: demo.user(handle), on: demo.db, now: now)
        }
        try await Votes.close(decided, in: loaded, on: demo.db, now: now.addingTimeInterval(1))
        decided.outcomeStatement = "Les paniers seront retirés le samedi matin à partir du 9 janvier."
        try await decided.save(on: demo.db)

        let open = try await Votes.create(ProposalDraft(
            title: "Adhésion au réseau des épiceries coopératives", body: "Proposition : rejoindre le réseau régional et échanger nos catalogues au format DFC.",
            method: .consent, options: [], opensAt: now, closesAt: now.addingTimeInterval(5 * 86_400), quorum: "1/4"),
            by: demo.user("gaelle"), in: loaded, floors: .standard, on: demo.db, now: now)
        for (handle, position) in [("alice", "agree"), ("david", "agree"), ("emma", "abstain")] {
            try await Votes.cast(Data(#"{"position": "\#(position)", "reason": ""}"#.utf8), on: open, by: demo.user(handle), on: demo.db, now: now)
        }

        let surplus = try await Votes.create(ProposalDraft(
            title: "Affectation des excédents 2026", body: "Répartition proposée par le conseil : 15 % réserve légale, 50 % réserve statutaire, 35 % investissements.",
            method: .singleChoice, options: ["Pour", "Contre"], opensAt: now.addingTimeInterval(7 * 86_400),
            closesAt: now.addingTimeInterval(14 * 86_400), secret: true, quorum: "1/4", majority: .twoThirds),
            by: demo.user("alice"), in: loaded, floors: .history, on: demo.db, now: now)

        let assembly = try await Assemblies.convene(.init(
            title: "Assemblée générale ordinaire 2026", kind: .ordinary, startsAt: now.addingTimeInterval(10 * 86_400),
            place: "Salle des fêtes de Vertou, 18 h 30", proxiesPerHolder: 1, agenda: [try open.requireID(), try surplus.requireID()]),
            by: demo.user("alice"), in: loaded, on: demo.db, now: now)
        try await Assemblies.record(.present, for: demo.user("gaelle").requireID(), holder: nil, in: assembly, coop: loaded, on: demo.db)
        try await Assemblies.record(.represented, for: demo.user("jules").requireID(), holder: demo.user("gaelle").requireID(),
                                    in: assembly, coop: loaded, on: demo.db)
    }
}
