import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

@Suite("Governance: votes, ballots, results", .serialized)
struct GovernanceTests {
    /// A cooperative with `count` active members, made directly in the database (no bcrypt).
    func cooperative(_ app: Application, members count: Int, colleges: [String] = []) async throws -> (Cooperative, [User]) {
        var users: [User] = []
        for index in 0..<count {
            let user = User(email: "m\(index)@example.org", passwordHash: "x", displayName: "Membre \(index)")
            try await user.create(on: app.db)
            users.append(user)
        }
        let draft = CooperativeDraft(name: "Coop des Tests", slug: "coop-des-tests", legalForm: colleges.count >= 3 ? .scic : .association1901,
                                     commune: "Nantes", description: "Une coopérative pour les tests.", activities: [.food],
                                     colleges: colleges, shareNominalCents: 1000, charter: [])
        let coop = try await Cooperatives.create(draft, creator: users[0], review: .approved, on: app.db)
        let loaded = try await Cooperatives.find(slug: coop.slug, on: app.db)
        let collegeIDs = loaded.colleges.sorted { $0.position < $1.position }.map(\.id)
        for (index, user) in users.enumerated().dropFirst() {
            let membership = Membership()
            membership.$cooperative.id = try coop.requireID()
            membership.$user.id = try user.requireID()
            membership.$college.id = collegeIDs.isEmpty ? nil : collegeIDs[index % collegeIDs.count]
            membership.shares = colleges.count >= 3 ? 1 : 0
            membership.role = MemberRole.member.rawValue
            membership.status = MembershipStatus.active.rawValue
            membership.message = ""
            try await membership.create(on: app.db)
        }
        return (loaded, users)
    }

    func proposal(_ method: TallyMethod, options: [String], secret: Bool = false, quorum: String = "0",
                  majority: RequiredMajority = .simple) -> ProposalDraft {
        ProposalDraft(title: "Question de test", body: "", method: method, options: options, opensAt: Date(),
                      closesAt: Date().addingTimeInterval(3600), secret: secret, quorum: quorum, majority: majority)
    }

    @Test func twoHundredMembersVotingAndRevotingAtOnceLeaveOneBallotEach() async throws {
        try await withMaillage { app in
            let (coop, users) = try await cooperative(app, members: 200)
            let vote = try await Votes.create(proposal(.singleChoice, options: ["Oui", "Non"]), by: users[0], in: coop, floors: .notUnderTest, on: app.db)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, user) in users.enumerated() {
                    for round in 0..<2 {
                        group.addTask {
                            let choice = (index + round) % 2 == 0 ? "\"Oui\"" : "\"Non\""
                            try await Votes.cast(Data(choice.utf8), on: vote, by: user, on: app.db)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let counted = try await Ballot.query(on: app.db).filter(\.$proposal.$id == vote.requireID()).count()
            #expect(counted == 200, "one counted ballot per member")
            struct Row: Decodable { var n: Int }
            let history = try await app.db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from("ballot_history").first(decoding: Row.self)
            #expect(history?.n == 400, "every version is kept")
            try await Votes.close(vote, in: coop, on: app.db)
            #expect(vote.outcome?.participants == 200)
        }
    }

    /// A ballot weighs one vote: a ranked ballot with a `count` (or any key the method does not
    /// know) is refused when cast, and one stored before that rule is counted once.
    @Test func aRankedBallotWeighsOneVoteWhateverItSays() async throws {
        try await withMaillage { app in
            let (coop, users) = try await cooperative(app, members: 4)
            let vote = try await Votes.create(proposal(.schulze, options: ["A", "B"]), by: users[0], in: coop, floors: .notUnderTest, on: app.db)
            for stuffed in [#"{"ranking": [["A"], ["B"]], "count": 1000000}"#, #"{"ranking": [["A"], ["B"]], "count": 9223372036854775807}"#,
                            #"{"ranking": [["A"], ["B"]], "weight": 2}"#] {
                do {
                    try await Votes.cast(Data(stuffed.utf8), on: vote, by: users[1], on: app.db)
                    Issue.record("accepted \(stuffed)")
                } catch let error as DomainError {
                    #expect(error.code == "invalid_ballot", "\(error.code)")
                }
            }
            try await Votes.cast(Data(#"{"ranking": [["B"], ["A"]]}"#.utf8), on: vote, by: users[2], on: app.db)
            try await Votes.cast(Data(#"{"ranking": [["B"], ["A"]]}"#.utf8), on: vote, by: users[3], on: app.db)
            // One stored as it was given before the rule, with its count.
            let voterID = try users[1].requireID()
            try await app.db.sql.insert(into: Ballot.schema).columns("id", "proposal_id", "voter_id", "content", "cast_at")
                .values(SQLBind(UUID()), SQLBind(try vote.requireID()), SQLBind(voterID),
                        SQLBind(#"{"count":1000000,"ranking":[["A"],["B"]]}"#), SQLBind(Date())).run()
            try await app.db.sql.update(ProposalVoter.schema).set("voted_at", to: SQLBind(Date()))
                .where("proposal_id", .equal, SQLBind(try vote.requireID())).where("user_id", .equal, SQLBind(voterID)).run()
            try await Votes.close(vote, in: coop, on: app.db)
            let outcome = try #require(vote.outcome)
            #expect(outcome.winners == ["B"], "two ballots for B beat one for A, whatever it claimed: \(outcome.winners)")
            let file = String(decoding: try await BallotFile.build(for: vote, on: app.db), as: UTF8.self)
            #expect(!file.contains("count"), "the ballot file carries no weight of its own")
        }
    }

    /// Members propose, the board opens: a member's question decides nothing, notifies only the
    /// board and never opens or closes by itself; every vote meets the floors (two days, a
    /// fifth of the members, no opening in the past); a member has at most three waiting.
    @Test func aMemberProposesAndOnlyTheBoardOpensAVote() async throws {
        try await withMaillage(demo: true) { app in
            let coop = try await Cooperatives.find(slug: "paniers-de-la-sevre", on: app.db)
            func person(_ handle: String) async throws -> User {
                try #require(try await User.query(on: app.db).filter(\.$email == "\(handle)@demo.maillage.coop").first())
            }
            let chloe = try await person("chloe"), alice = try await person("alice"), emma = try await person("emma")
            let now = Date()
            func codes(_ body: () async throws -> Void) async -> [String] {
                do { try await body(); return [] } catch let error as DomainError { return [error.code] } catch let errors as ValidationErrors {
                    return errors.errors.map(\.code)
                } catch { return ["\(error)"] }
            }
            // An hour-long vote, opened in the past, that one voter carries: refused for everyone.
            let manufactured = ProposalDraft(title: "Tout adopter", body: "", method: .singleChoice, options: ["Oui", "Non"],
                                             opensAt: now.addingTimeInterval(-3_600), closesAt: now.addingTimeInterval(3_600), quorum: "0")
            for author in [chloe, alice] {
                let refused = await codes { _ = try await Votes.create(manufactured, by: author, in: coop, floors: .standard, on: app.db) }
                #expect(Set(refused) == ["opens_in_the_past", "vote_too_short", "quorum_below_floor"], "\(refused)")
            }
            // A proper question from a member waits for the board.
            let question = ProposalDraft(title: "Ouvrir le samedi", body: "", method: .singleChoice, options: ["Oui", "Non"],
                                         opensAt: now, closesAt: now.addingTimeInterval(3 * 86_400), quorum: "1/5")
            let proposed = try await Votes.create(question, by: chloe, in: coop, floors: .standard, on: app.db)
            #expect(proposed.phase() == .proposed && proposed.electorateTakenAt == nil)
            let link = "/c/\(coop.slug)/votes/\(try proposed.requireID())"
            #expect(try await Notice.query(on: app.db).filter(\.$link == link).filter(\.$user.$id == emma.requireID()).count() == 0,
                    "members are not told of a question the board has not opened")
            #expect(try await Notice.query(on: app.db).filter(\.$link == link).filter(\.$user.$id == alice.requireID()).count() == 1)
            #expect(await codes { try await Votes.cast(Data(#""Oui""#.utf8), on: proposed, by: chloe, on: app.db) } == ["vote_not_open"])
            try await Votes.openAndCloseDue(on: app.db, now: now.addingTimeInterval(10 * 86_400))
            let waiting = try await Votes.find(proposed.requireID(), in: coop, on: app.db)
            #expect(waiting.phase() == .proposed && waiting.closedAt == nil, "the job neither opens nor counts it")
            // A member cannot open it; the board can, with the floors counted from now.
            #expect(await codes { try await Votes.open(proposed: waiting, closesAt: nil, in: coop, by: chloe, floors: .standard, on: app.db) } == ["forbidden"])
            #expect(await codes { try await Votes.open(proposed: waiting, closesAt: now.addingTimeInterval(3_600), in: coop, by: alice,
                                                       floors: .standard, on: app.db) } == ["vote_too_short"])
            try await Votes.open(proposed: waiting, closesAt: now.addingTimeInterval(3 * 86_400), in: coop, by: alice, floors: .standard, on: app.db)
            #expect(waiting.phase() == .open && waiting.electorateTakenAt != nil)
            try await Votes.cast(Data(#""Oui""#.utf8), on: waiting, by: chloe, on: app.db)
            #expect(try await Notice.query(on: app.db).filter(\.$link == link).filter(\.$user.$id == emma.requireID()).count() == 1,
                    "opened, every member is told")
            // Three questions may wait at once; a fourth is refused.
            for _ in 0..<3 { _ = try await Votes.create(question, by: chloe, in: coop, floors: .standard, on: app.db) }
            #expect(await codes { _ = try await Votes.create(question, by: chloe, in: coop, floors: .standard, on: app.db) } == ["too_many_proposals"])
        }
    }

    @Test func aMemberChangesTheirBallotAndTheResultCountsTheLastOne() async throws {
        try await withMaillage { app in
            let (coop, users) = try await cooperative(app, members: 3)
            let vote = try await Votes.create(proposal(.singleChoice, options: ["Oui", "Non"], quorum: "1/2"), by: users[0], in: coop, floors: .notUnderTest, on: app.db)
            try await Votes.cast(Data(#""Non""#.utf8), on: vote, by: users[1], on: app.db)
            try await Votes.cast(Data(#""Oui""#.utf8), on: vote, by: users[1], on: app.db)
            try await Votes.cast(Data(#""Oui""#.utf8), on: vote, by: users[2], on: app.db)
            try await Votes.close(vote, in: coop, on: app.db)
            let outcome = try #require(vote.outcome)
            #expect(outcome.winners == ["Oui"])
            #expect(outcome.quorumReached)
            #expect(outcome.majorityReached == true)
            #expect(try await Votes.find(vote.requireID(), in: coop, on: app.db).result == vote.result, "the result is kept")
            await #expect(throws: DomainError.self) { try await Votes.cast(Data(#""Non""#.utf8), on: vote, by: users[2], on: app.db) }
        }
    }

    @Test func aSecretBallotHasNoVoterAndCannotBeChanged() async throws {
        try await withMaillage { app in
            let (coop, users) = try await cooperative(app, members: 4)
            let vote = try await Votes.create(proposal(.singleChoice, options: ["Pour", "Contre"], secret: true, majority: .twoThirds),
                                              by: users[0], in: coop, floors: .notUnderTest, on: app.db)
            for user in users.prefix(3) { try await Votes.cast(Data(#""Pour""#.utf8), on: vote, by: user, on: app.db) }
            try await Votes.cast(Data(#""Contre""#.utf8), on: vote, by: users[3], on: app.db)
            do {
                try await Votes.cast(Data(#""Pour""#.utf8), on: vote, by: users[3], on: app.db)
                Issue.record("a secret ballot cannot be changed")
            } catch let error as DomainError {
                #expect(error.code == "already_voted")
            }
            #expect(try await Ballot.query(on: app.db).filter(\.$proposal.$id == vote.requireID()).count() == 0, "sealed until the close")
            try await Votes.close(vote, in: coop, on: app.db)
            let ballots = try await Ballot.query(on: app.db).filter(\.$proposal.$id == vote.requireID()).all()
            #expect(ballots.count == 4)
            #expect(ballots.allSatisfy { $0.$voter.id == nil }, "no voter id on a secret ballot")
            #expect(Set(ballots.map(\.castAt)).count == 1, "no casting time that could be matched with the participation list")
            #expect(vote.outcome?.majorityReached == true, "3 against 1 reaches two thirds")
        }
    }

    /// With the database in hand — row ids or heap positions, transaction ids, times — a secret
    /// ballot cannot be matched to its voter: while the vote runs the ballots are sealed with the
    /// instance's key in the participation rows; at close they are written shuffled, in one
    /// transaction, all dated at the opening, and the sealed copies wiped.
    @Test func secretBallotsCannotBeMatchedToTheirVotersFromTheDatabase() async throws {
        try await withMaillage { app in
            let options = (1...12).map { "Option \($0)" }
            let (coop, users) = try await cooperative(app, members: 12)
            let vote = try await Votes.create(proposal(.approval, options: options, secret: true), by: users[0], in: coop, floors: .notUnderTest, on: app.db)
            let voteID = try vote.requireID()
            for (index, user) in users.enumerated() {
                try await Votes.cast(try JSONEncoder().encode([options[index]]), on: vote, by: user, on: app.db)
            }
            struct Sealed: Decodable { var sealed_ballot: String? }
            let sealed = try await app.db.sql.select().column("sealed_ballot").from(ProposalVoter.schema)
                .where("proposal_id", .equal, SQLBind(voteID)).all(decoding: Sealed.self).compactMap(\.sealed_ballot)
            #expect(sealed.count == 12 && sealed.allSatisfy { !$0.contains("Option") }, "sealed, not readable from the database")
            #expect(try await Ballot.query(on: app.db).filter(\.$proposal.$id == voteID).count() == 0)
            try await Votes.close(vote, in: coop, on: app.db)

            struct Row: Decodable { var content: String }
            let physical = app.db.isPostgres ? "ctid" : "rowid"
            let stored = try await app.db.sql.raw("SELECT content FROM ballots WHERE proposal_id = \(bind: voteID) ORDER BY \(unsafeRaw: physical)")
                .all(decoding: Row.self).map(\.content)
            let order = stored.compactMap { content in options.firstIndex { content.contains($0 + "\"") } }
            #expect(order.count == 12 && Set(order).count == 12)
            #expect(order != Array(0..<12), "the storage order is not the casting order: \(order)")
            if app.db.isPostgres {
                struct Count: Decodable { var n: Int }
                let transactions = try await app.db.sql.raw("SELECT COUNT(DISTINCT xmin::text) AS n FROM ballots WHERE proposal_id = \(bind: voteID)")
                    .first(decoding: Count.self)?.n
                #expect(transactions == 1, "written in one transaction, not one per voter")
            }
            let ballots = try await Ballot.query(on: app.db).filter(\.$proposal.$id == voteID).all()
            #expect(Set(ballots.map(\.castAt)).count == 1 && ballots.allSatisfy { $0.$voter.id == nil && $0.$college.id == nil })
            let left = try await app.db.sql.select().column("sealed_ballot").from(ProposalVoter.schema)
                .where("proposal_id", .equal, SQLBind(voteID)).all(decoding: Sealed.self).compactMap(\.sealed_ballot)
            #expect(left.isEmpty, "the sealed copies are wiped at close")
            #expect(vote.outcome?.participants == 12)
        }
    }

    /// In a secret vote weighted by college, each college's ballots are counted apart: a college
    /// of one or two members would show how they voted, so such a vote is refused.
    @Test func aSecretVoteByCollegeNeedsThreeMembersInEachCollege() async throws {
        try await withMaillage { app in
            let (coop, users) = try await cooperative(app, members: 7, colleges: ["Producteurs", "Mangeurs", "Salariés"])
            for (college, weight) in coop.colleges.sorted(by: { $0.position < $1.position }).map({ $0 }).enumerated().map({ ($0.element, [40, 30, 30][$0.offset]) }) {
                college.weight = weight
                try await college.save(on: app.db)
            }
            var draft = proposal(.singleChoice, options: ["Oui", "Non"], secret: true)
            draft.weightedByCollege = true
            do {
                _ = try await Votes.create(draft, by: users[0], in: coop, floors: .notUnderTest, on: app.db)
                Issue.record("a secret vote with colleges of two members was opened")
            } catch let error as DomainError {
                #expect(error.code == "college_too_small_for_secret")
            }
            draft.secret = false
            _ = try await Votes.create(draft, by: users[0], in: coop, floors: .notUnderTest, on: app.db)
        }
    }

    @Test func onlyTheElectorateAtOpeningVotes() async throws {
        try await withMaillage { app in
            let (coop, users) = try await cooperative(app, members: 2)
            let vote = try await Votes.create(proposal(.approval, options: ["A", "B"]), by: users[0], in: coop, floors: .notUnderTest, on: app.db)
            let latecomer = User(email: "late@example.org", passwordHash: "x", displayName: "En retard")
            try await latecomer.create(on: app.db)
            do {
                try await Votes.cast(Data(#"["A"]"#.utf8), on: vote, by: latecomer, on: app.db)
                Issue.record("a person outside the snapshot cannot vote")
            } catch let error as DomainError {
                #expect(error.code == "not_in_electorate")
            }
        }
    }

    @Test func badBallotsAreRefusedWithTheTallysOwnWords() async throws {
        try await withMaillage { app in
            let (coop, users) = try await cooperative(app, members: 2)
            let consent = try await Votes.create(proposal(.consent, options: []), by: users[0], in: coop, floors: .notUnderTest, on: app.db)
            await #expect(throws: DomainError.self) { try await Votes.cast(Data(#"{"position": "block"}"#.utf8), on: consent, by: users[1], on: app.db) }
            let mj = try await Votes.create(proposal(.majorityJudgment, options: ["A", "B"]), by: users[0], in: coop, floors: .notUnderTest, on: app.db)
            await #expect(throws: DomainError.self) { try await Votes.cast(Data("[9, 1]".utf8), on: mj, by: users[1], on: app.db) }
            await #expect(throws: DomainError.self) { try await Votes.cast(Data("[1]".utf8), on: mj, by: users[1], on: app.db) }
            try await Votes.cast(Data("[6, 1]".utf8), on: mj, by: users[1], on: app.db)
        }
    }

    @Test func theWholeVoteThroughThePagesWithARecountableBallotFile() async throws {
        try await withMaillage(demo: true) { app in
            let alice = Visitor(app)
            try await alice.logIn("alice@demo.maillage.coop")
            try await alice.get("/c/paniers-de-la-sevre/votes/new")
            let refused = try await alice.post("/c/paniers-de-la-sevre/votes", [("title", "Q"), ("method", "schulze"), ("options", "Un"), ("closes_at", "2020-01-01T10:00")])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("Indiquez entre 2 et 30 options"))
            #expect(refused.body.string.contains("La date de clôture est déjà passée"))
            let closes = DateText.localInput.string(from: Date().addingTimeInterval(3 * 86_400))
            let created = try await alice.post("/c/paniers-de-la-sevre/votes", [
                ("title", "Nom du nouveau local"), ("method", "schulze"), ("options", "La Grange\nLe Cellier\nL’Atelier"), ("closes_at", closes)])
            #expect(created.status == .seeOther)
            let location = try #require(created.headers.first(name: .location))
            let page = try await alice.get(location)
            #expect(page.body.string.contains("Nom du nouveau local"))
            let voted = try await alice.post(location + "/ballot", [("rank_0", "2"), ("rank_1", "1"), ("rank_2", "")])
            #expect(voted.status == .seeOther)
            let chloe = Visitor(app)
            try await chloe.logIn("chloe@demo.maillage.coop")
            try await chloe.get(location)
            let empty = try await chloe.post(location + "/ballot", [("rank_0", ""), ("rank_1", ""), ("rank_2", "")])
            #expect(empty.status == .unprocessableEntity, "an empty form is not a ballot")
            #expect(empty.body.string.contains("Bulletin incomplet"))
            #expect(try await chloe.post(location + "/ballot", [("rank_0", "1"), ("rank_1", "1"), ("rank_2", "2")]).status == .seeOther)
            #expect(try await chloe.post(location + "/ballot", [("rank_0", "3"), ("rank_1", "1"), ("rank_2", "2")]).status == .seeOther, "a ballot can be changed")
            let outsider = Visitor(app)
            try await outsider.logIn("bruno@demo.maillage.coop")
            #expect(try await outsider.get(location).status == .forbidden, "another cooperative's members see nothing")

            try await Votes.openAndCloseDue(on: app.db, now: Date().addingTimeInterval(4 * 86_400))
            let result = try await alice.get(location)
            #expect(result.body.string.contains("Résultat"))
            #expect(result.body.string.contains("Le Cellier"))
            let file = try await alice.get(location + "/ballots.json")
            #expect(file.status == .ok)
            #expect(!file.body.string.contains("chloe") && !file.body.string.contains("alice"), "the ballot file names no one")
            let id = try #require(UUID(uuidString: String(location.split(separator: "/").last ?? "")))
            let stored = try #require(try await Proposal.find(id, on: app.db)?.result)
            let recount = try Tally.run(method: .schulze, json: Data(file.body.string.utf8))
            #expect(String(decoding: recount, as: UTF8.self) == stored, "recounting the published file gives the stored result")

            let log = try await alice.get("/c/paniers-de-la-sevre/decisions.csv")
            #expect(log.headers.contentType?.subType == "csv")
            #expect(log.body.string.contains("Nom du nouveau local"))
            #expect(log.body.string.contains("Jour de retrait des paniers"), "the demo's decided vote is in the log")
            let json = try await alice.get("/c/paniers-de-la-sevre/decisions.json")
            #expect(json.body.string.contains("\"adopted\""))
        }
    }

    @Test func votesThroughTheAPI() async throws {
        try await withMaillage(demo: true) { app in
            let alice = try #require(try await User.query(on: app.db).filter(\.$email == "alice@demo.maillage.coop").first())
            let api = APIClient(app: app, token: try await Tokens.create(for: alice, name: "t", on: app.db))
            let closes = ISO8601DateFormatter().string(from: Date().addingTimeInterval(3 * 86_400))
            let created = try await api.send(.POST, "/api/v1/cooperatives/paniers-de-la-sevre/proposals",
                                             json: #"{"title": "Approuver les comptes", "method": "consent", "closesAt": "\#(closes)"}"#)
            #expect(created.status == .created)
            let id = try #require(created.json["id"] as? String)
            #expect(created.json["phase"] as? String == "open")
            let cast = try await api.send(.PUT, "/api/v1/cooperatives/paniers-de-la-sevre/proposals/\(id)/ballot",
                                          json: #"{"ballot": {"position": "agree", "reason": ""}}"#)
            #expect(cast.status == .noContent)
            let block = try await api.send(.PUT, "/api/v1/cooperatives/paniers-de-la-sevre/proposals/\(id)/ballot",
                                           json: #"{"ballot": {"position": "block"}}"#)
            #expect(block.status == .unprocessableEntity)
            #expect(block.errorCode == "block_needs_reason")
            let chloe = try #require(try await User.query(on: app.db).filter(\.$email == "chloe@demo.maillage.coop").first())
            let chloeAPI = APIClient(app: app, token: try await Tokens.create(for: chloe, name: "t", on: app.db))
            let blocked = try await chloeAPI.send(.PUT, "/api/v1/cooperatives/paniers-de-la-sevre/proposals/\(id)/ballot",
                                                  json: #"{"ballot": {"position": "block", "reason": "Les comptes ne sont pas certifiés."}}"#)
            #expect(blocked.status == .noContent)
            let visitor = Visitor(app)
            try await visitor.logIn("david@demo.maillage.coop")
            let page = try await visitor.get("/c/paniers-de-la-sevre/votes/\(id)")
            #expect(page.body.string.contains("Les comptes ne sont pas certifiés."), "a block is shown to all while the vote runs")
            let shown = try await api.send(.GET, "/api/v1/cooperatives/paniers-de-la-sevre/proposals/\(id)")
            #expect(shown.json["participants"] as? Int == 2)
            let decisions = try await api.send(.GET, "/api/v1/cooperatives/paniers-de-la-sevre/decisions")
            #expect((decisions.json["data"] as? [Any])?.count == 1)
        }
    }

    @Test func theBoardWeighsTheCollegesAndAWeightedVoteCountsPerCollege() async throws {
        try await withMaillage(demo: true) { app in
            let alice = Visitor(app)
            try await alice.logIn("alice@demo.maillage.coop")
            let page = try await alice.get("/c/paniers-de-la-sevre/colleges")
            #expect(page.status == .ok)
            let coop = try await Cooperatives.find(slug: "paniers-de-la-sevre", on: app.db)
            let colleges = coop.colleges.sorted { $0.position < $1.position }
            func form(_ weights: [Int]) throws -> [(String, String)] {
                try zip(colleges, weights).map { ("weight_\(try $0.0.requireID().uuidString)", String($0.1)) }
            }
            let refused = try await alice.post("/c/paniers-de-la-sevre/colleges", try form([60, 20, 10, 10]))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains(#"value="60""#), "what was typed is kept")
            let saved = try await alice.post("/c/paniers-de-la-sevre/colleges", try form([40, 30, 20, 10]))
            #expect(saved.status == .seeOther)
            let chloe = Visitor(app)
            try await chloe.logIn("chloe@demo.maillage.coop")
            #expect(try await chloe.get("/c/paniers-de-la-sevre/colleges").status == .forbidden, "only the board sets weights")

            let aliceAccount = try #require(try await User.query(on: app.db).filter(\.$email == "alice@demo.maillage.coop").first())
            var draft = proposal(.singleChoice, options: ["Oui", "Non"])
            draft.weightedByCollege = true
            let vote = try await Votes.create(draft, by: aliceAccount, in: try await Cooperatives.find(slug: "paniers-de-la-sevre", on: app.db), floors: .notUnderTest, on: app.db)
            try await Votes.cast(Data(#""Oui""#.utf8), on: vote, by: aliceAccount, on: app.db)
            // The board changes the weights while the vote runs: the vote keeps those it opened with.
            #expect(try await alice.post("/c/paniers-de-la-sevre/colleges", try form([10, 20, 30, 40])).status == .seeOther)
            try await Votes.close(vote, in: coop, on: app.db)
            let report = try #require(vote.result)
            #expect(report.contains("\"colleges\""), "the report shows each college's weight")
            #expect(vote.outcome?.winners == ["Oui"])
            let file = try JSONSerialization.jsonObject(with: try await BallotFile.build(for: vote, on: app.db)) as? [String: Any]
            let weights = (file?["colleges"] as? [[String: Any]])?.compactMap { $0["weight"] as? Int }
            #expect(weights == [40, 30, 20, 10], "counted with the weights of its opening: \(weights ?? [])")
        }
    }

    @Test func aRefusedBallotIsShownAgainAsItWasFilledIn() async throws {
        try await withMaillage(demo: true) { app in
            let consent = try #require(try await Proposal.query(on: app.db).filter(\.$method == "consent").filter(\.$closedAt == nil).first())
            let path = "/c/paniers-de-la-sevre/votes/\(try consent.requireID())"
            let chloe = Visitor(app)
            try await chloe.logIn("chloe@demo.maillage.coop")
            try await chloe.get(path)
            let refused = try await chloe.post(path + "/ballot", [("position", "block"), ("reason", "   ")])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("Un blocage doit être motivé"))
            #expect(refused.body.string.contains(#"name="position" value="block" checked"#), "the position chosen stays chosen")
        }
    }
}
