import Fluent
import MaillageCore
import Vapor

/// A question put to the members of a cooperative.
final class Proposal: Model, @unchecked Sendable {
    static let schema = "proposals"

    @ID(key: .id) var id: UUID?
    @Parent(key: "cooperative_id") var cooperative: Cooperative
    @Parent(key: "author_id") var author: User
    @Field(key: "title") var title: String
    @Field(key: "body") var body: String
    @Field(key: "method") var method: String
    /// Option labels in order, as JSON (an array of strings).
    @Field(key: "options") var optionsJSON: String
    @Field(key: "grades") var grades: Int
    @Field(key: "opens_at") var opensAt: Date
    @Field(key: "closes_at") var closesAt: Date
    @Field(key: "secret") var secret: Bool
    @Field(key: "quorum") var quorum: String
    @Field(key: "majority") var majority: String
    @Field(key: "weighted") var weighted: Bool
    @OptionalField(key: "electorate_taken_at") var electorateTakenAt: Date?
    @OptionalField(key: "closed_at") var closedAt: Date?
    @OptionalField(key: "result") var result: String?
    @OptionalField(key: "outcome_statement") var outcomeStatement: String?
    /// Proposed by a member: nothing happens until the board opens it.
    @OptionalField(key: "awaiting_board") var awaitingBoard: Bool?
    /// The colleges' weights when a weighted vote opened (JSON of `[CollegeWeight]`).
    @OptionalField(key: "college_weights") var collegeWeightsJSON: String?
    @OptionalParent(key: "assembly_id") var assembly: Assembly?
    /// Cancelled by the board before it closed, and why: nothing is counted.
    @OptionalField(key: "cancelled_at") var cancelledAt: Date?
    @OptionalField(key: "cancel_reason") var cancelReason: String?
    /// Its text and options were set by another part of the cooperative's books (the year-end
    /// allocation): the board cancels it, it does not rewrite it.
    @OptionalField(key: "fixed_terms") var fixedTerms: Bool?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    var tallyMethod: TallyMethod { TallyMethod(rawValue: method) ?? .singleChoice }
    var requiredMajority: RequiredMajority { RequiredMajority(rawValue: majority) ?? .simple }
    var options: [String] {
        (try? JSONDecoder().decode([String].self, from: Data(optionsJSON.utf8))) ?? []
    }
    /// The times and the one clock comparison every page and API answer reads.
    var schedule: VoteSchedule {
        VoteSchedule(opensAt: opensAt, closesAt: closesAt, closedAt: closedAt, cancelledAt: cancelledAt, awaitingBoard: awaitingBoard == true)
    }
    func phase(at now: Date = Date()) -> ProposalPhase { schedule.phase(at: now) }
    var outcome: TallyOutcome? { result.map { TallyOutcome(report: Data($0.utf8)) } }
}

/// Who may vote: the members in good standing when the vote opened, with their college then.
final class ProposalVoter: Model, @unchecked Sendable {
    static let schema = "proposal_voters"

    @ID(key: .id) var id: UUID?
    @Parent(key: "proposal_id") var proposal: Proposal
    @Parent(key: "user_id") var user: User
    @OptionalParent(key: "college_id") var college: College?
    @OptionalField(key: "voted_at") var votedAt: Date?

    init() {}
}

/// A counted ballot. In a secret vote it holds no voter; who took part is kept apart.
final class Ballot: Model, @unchecked Sendable {
    static let schema = "ballots"

    @ID(key: .id) var id: UUID?
    @Parent(key: "proposal_id") var proposal: Proposal
    @OptionalParent(key: "voter_id") var voter: User?
    @OptionalParent(key: "college_id") var college: College?
    @Field(key: "content") var content: String
    @Field(key: "cast_at") var castAt: Date

    init() {}
}
