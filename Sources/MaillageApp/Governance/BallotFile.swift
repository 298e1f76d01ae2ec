import Fluent
import Foundation
import MaillageCore

/// The anonymised ballot file of a vote: exactly what the tally reads at close, downloadable
/// so that anyone can recount it with `maillage tally`.
enum BallotFile {
    static func build(for proposal: Proposal, on db: any Database) async throws -> Data {
        let proposalID = try proposal.requireID()
        let ballots = try await Ballot.query(on: db).filter(\.$proposal.$id == proposalID).all()
        let electorate = try await ProposalVoter.query(on: db).filter(\.$proposal.$id == proposalID).count()
        let method = proposal.tallyMethod
        // Sorted by content, never by time or voter: the file must not tell who cast which ballot.
        func contents(_ ballots: [Ballot]) -> [Any] {
            // Each in the method's own shape: a key a ballot stored before that rule still carries
            // (a ranked ballot's `count`) never weighs in the count.
            ballots.map(\.content).sorted().compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8), options: [.fragmentsAllowed]) }
                .compactMap { BallotRules.shape($0, for: method) }
        }
        var file: [String: Any] = ["electorate": electorate]
        if method != .consent { file["options"] = proposal.options }
        if method == .majorityJudgment { file["grades"] = proposal.grades }
        if proposal.quorum != "0" { file["quorum"] = proposal.quorum }
        if [.singleChoice, .approval, .consent].contains(method) { file["majority"] = proposal.requiredMajority.rawValue }
        if proposal.weighted {
            // The weights as they stood when the vote opened; a vote opened before they were kept
            // reads today's.
            let stored = try await Proposal.query(on: db).filter(\.$id == proposalID).first()?.collegeWeightsJSON
            let colleges: [CollegeWeight]
            if let stored, let kept = try? JSONDecoder().decode([CollegeWeight].self, from: Data(stored.utf8)) {
                colleges = kept
            } else {
                colleges = try await College.query(on: db).filter(\.$cooperative.$id == proposal.$cooperative.id).sort(\.$position).all()
                    .map { CollegeWeight(id: try $0.requireID(), name: $0.name, weight: $0.weight ?? 0) }
            }
            let byCollege = Dictionary(grouping: ballots) { $0.$college.id }
            file["colleges"] = colleges.map { college -> [String: Any] in
                ["name": college.name, "weight": college.weight, "ballots": contents(byCollege[college.id] ?? [])]
            }
        } else {
            file["ballots"] = contents(ballots)
        }
        return try JSONSerialization.data(withJSONObject: file, options: [.sortedKeys, .prettyPrinted, .fragmentsAllowed])
    }
}
