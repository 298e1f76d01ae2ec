import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

/// A cooperative's first week of votes, as its members see it: results they can read, votes the
/// board can fix or call off, figures that agree from page to page, and forms that say what they did.
@Suite("Governance: a cooperative's first week", .serialized)
struct GovernanceFirstWeekTests {
    static let slug = "paniers-de-la-sevre"

    func person(_ app: Application, _ handle: String) async throws -> User {
        try #require(try await User.query(on: app.db).filter(\.$email == "\(handle)@demo.maillage.coop").first())
    }

    func signedIn(_ app: Application, _ handle: String) async throws -> Visitor {
        let visitor = Visitor(app)
        try await visitor.logIn("\(handle)@demo.maillage.coop")
        return visitor
    }

    func vote(_ app: Application, titled title: String) async throws -> Proposal {
        try #require(try await Proposal.query(on: app.db).filter(\.$title == title).first())
    }

    /// What a 303 leads to, as a browser follows it: the page and the notice shown once there.
    func follow(_ visitor: Visitor, _ response: TestingHTTPResponse) async throws -> String {
        #expect(response.status == .seeOther, "\(response.status): \(response.body.string.prefix(300))")
        return try await visitor.get(try #require(response.headers.first(name: .location))).body.string
    }

    func flash(_ html: String) -> String? {
        guard let range = html.range(of: #"<p class="notice flash" role="status">[^<]*</p>"#, options: .regularExpression) else { return nil }
        return String(html[range]).replacingOccurrences(of: #"<[^>]+>"#, with: "", options: .regularExpression)
    }

    // MARK: 1. Majority judgment results

    @Test func aMajorityJudgmentResultShowsItsMeritProfileAndWhyTiesWentOneWay() async throws {
        try await withMaillage(demo: true) { app in
            let decided = try await vote(app, titled: "Jour de retrait des paniers")
            let report = try JSONDecoder().decode(TallyReport.MajorityJudgment.self, from: Data(try #require(decided.result).utf8))
            let html = try await signedIn(app, "chloe").get("/c/\(Self.slug)/votes/\(try decided.requireID())").body.string

            // The chart: an image with its own title and description, colours as attributes.
            let svg = try #require(html.range(of: #"<svg[^>]*role="img"[^>]*>.*?</svg>"#, options: .regularExpression).map { String(html[$0]) })
            #expect(svg.contains("<title") && svg.contains("<desc") && svg.contains("aria-labelledby"))
            #expect(svg.contains(##"fill="#"##), "fills are attributes: the chart needs no style sheet")
            #expect(!svg.contains("<script"))
            // One segment per grade received, for each option.
            let segments = report.options.reduce(0) { $0 + $1.tally.filter { $0 > 0 }.count }
            #expect(svg.components(separatedBy: "<rect").count - 1 == segments + GradeScale.standard.count, "a segment per grade given, and a legend swatch per grade")

            // The table alternative: every option × grade, as a percentage and a count, read from the report.
            #expect(html.contains("Profil de mérite : part et nombre de chaque mention, par option"))
            for option in report.options {
                for (grade, count) in option.tally.enumerated() {
                    let share = String(format: "%.1f", Double(count) / Double(report.judges) * 100).replacingOccurrences(of: ".", with: ",")
                    #expect(html.contains("\(share) % (\(count))"), "\(option.name), \(GradeScale.standard.labels[grade].fr)")
                }
            }
            for label in GradeScale.standard.labels { #expect(html.contains("<th scope=\"col\" class=\"num\">\(label.fr)</th>")) }

            // Jeudi and Mardi share « Bien »: the page says which goes first and why, in the
            // words Core derives from the same report.
            let breaks = MajorityJudgment.tieBreaks(report)
            #expect(!breaks.isEmpty, "the demo vote needed its tie-break")
            for tieBreak in breaks {
                let words = tieBreak.sentence(grades: report.grades).fr
                #expect(html.contains(words), "\(words)")
            }
            #expect(html.contains("ont la même mention majoritaire « Bien »"))

            // Members are never asked to run a program to trust the count.
            #expect(!html.contains("maillage tally") && !html.contains("maillage "), "no command line on a results page")
            #expect(html.contains("ballots.json"), "the ballot file is still offered")
        }
    }

    // MARK: 2. Edit before opening, cancel before closing

    @Test func theBoardChangesAVoteUntilItOpensThenNoLonger() async throws {
        try await withMaillage(demo: true) { app in
            let alice = try await signedIn(app, "alice")
            try await alice.get("/c/\(Self.slug)/votes/new")
            let opens = DateText.localInput.string(from: Date().addingTimeInterval(3 * 86_400))
            let closes = DateText.localInput.string(from: Date().addingTimeInterval(6 * 86_400))
            let created = try await alice.post("/c/\(Self.slug)/votes", [
                ("title", "Horaires du local"), ("method", "single-choice"), ("options", "Matin\nSoir"), ("opens_at", opens),
                ("closes_at", closes), ("quorum", "1/5"), ("majority", "simple")])
            let page = try await follow(alice, created)
            #expect(flash(page)?.contains("Vote programmé") == true, "\(flash(page) ?? "no notice")")
            let path = try #require(created.headers.first(name: .location))

            // A member cannot change it; the board can, from its page.
            let chloe = try await signedIn(app, "chloe")
            #expect(try await chloe.get(path + "/edit").status == .forbidden)
            #expect(!(try await chloe.get(path).body.string.contains(path + "/edit")))
            #expect(page.contains(path + "/edit"))
            let form = try await alice.get(path + "/edit").body.string
            #expect(form.contains("Horaires du local") && form.contains("Matin\nSoir"), "the form holds the vote as it stands")
            let later = DateText.localInput.string(from: Date().addingTimeInterval(4 * 86_400))
            let changed = try await alice.post(path + "/edit", [
                ("title", "Horaires d’ouverture du local"), ("method", "approval"), ("options", "Matin\nMidi\nSoir"), ("opens_at", later),
                ("closes_at", closes), ("quorum", "1/4"), ("majority", "simple")])
            let shown = try await follow(alice, changed)
            #expect(flash(shown)?.contains("Vote modifié") == true)
            let stored = try await vote(app, titled: "Horaires d’ouverture du local")
            #expect(stored.options == ["Matin", "Midi", "Soir"] && stored.tallyMethod == .approval && stored.quorum == "1/4")
            #expect(stored.opensAt == DateText.localInput.date(from: later))
            // The floors hold for a change as for a new vote.
            let tooShort = try await alice.post(path + "/edit", [
                ("title", "Horaires d’ouverture du local"), ("method", "approval"), ("options", "Matin\nSoir"), ("opens_at", later),
                ("closes_at", DateText.localInput.string(from: Date().addingTimeInterval(4 * 86_400 + 3_600))), ("quorum", "1/4"), ("majority", "simple")])
            #expect(tooShort.status == .unprocessableEntity)

            // Once open, the electorate is fixed: the change is refused, saying so.
            try await Votes.openAndCloseDue(on: app.db, now: Date().addingTimeInterval(4 * 86_400 + 60))
            let refused = try await alice.post(path + "/edit", [
                ("title", "Autre chose"), ("method", "approval"), ("options", "Matin\nSoir"), ("opens_at", ""),
                ("closes_at", closes), ("quorum", "1/4"), ("majority", "simple")])
            #expect(refused.status == .conflict)
            #expect(refused.body.string.contains("Ce vote est déjà ouvert"))
            #expect(try await vote(app, titled: "Horaires d’ouverture du local").options.count == 3, "nothing changed")

            // The API says the same.
            let api = APIClient(app: app, token: try await Tokens.create(for: try await person(app, "alice"), name: "t", on: app.db))
            let patched = try await api.send(.PATCH, "/api/v1/cooperatives/\(Self.slug)/proposals/\(try stored.requireID())", json: #"{"title": "Autre chose"}"#)
            #expect(patched.status == .conflict && patched.errorCode == "vote_already_open")
        }
    }

    @Test func theAPIChangesAScheduledVoteAndOnlyTheBoardMay() async throws {
        try await withMaillage(demo: true) { app in
            let upcoming = try await vote(app, titled: "Tarif solidaire des paniers")
            let id = try upcoming.requireID()
            let chloe = APIClient(app: app, token: try await Tokens.create(for: try await person(app, "chloe"), name: "t", on: app.db))
            #expect(try await chloe.send(.PATCH, "/api/v1/cooperatives/\(Self.slug)/proposals/\(id)", json: #"{"title": "Pris par un membre"}"#).status == .forbidden)
            let alice = APIClient(app: app, token: try await Tokens.create(for: try await person(app, "alice"), name: "t", on: app.db))
            let patched = try await alice.send(.PATCH, "/api/v1/cooperatives/\(Self.slug)/proposals/\(id)",
                                               json: #"{"title": "Tarif solidaire des paniers (version 2)", "options": ["Pour", "Contre", "Reporter"]}"#)
            #expect(patched.status == .ok, "\(patched.body.string)")
            #expect(patched.json["title"] as? String == "Tarif solidaire des paniers (version 2)")
            #expect(patched.json["options"] as? [String] == ["Pour", "Contre", "Reporter"])
            #expect(patched.json["phase"] as? String == "scheduled", "what was left out stays, the opening time too")
        }
    }

    @Test func theBoardCancelsAnOpenVoteWithAReasonAfterSeeingWhatIsLost() async throws {
        try await withMaillage(demo: true) { app in
            let open = try await vote(app, titled: "Adhésion au réseau des épiceries coopératives")
            let path = "/c/\(Self.slug)/votes/\(try open.requireID())"
            let cast = try await ProposalVoter.query(on: app.db).filter(\.$proposal.$id == open.requireID()).filter(\.$votedAt != nil).count()
            let electorate = try await ProposalVoter.query(on: app.db).filter(\.$proposal.$id == open.requireID()).all()
            #expect(cast == 3)

            let alice = try await signedIn(app, "alice")
            let page = try await alice.get(path).body.string
            #expect(page.contains("href=\"\(path)/cancel\""), "the board's button leads to the question, it does not act")
            // A post that did not come from the question changes nothing.
            let unasked = try await alice.post(path + "/cancel", [("reason", "Oubli")])
            #expect(unasked.status == .seeOther && unasked.headers.first(name: .location) == path + "/cancel")
            #expect(try await vote(app, titled: open.title).cancelledAt == nil)
            let question = try await alice.get(path + "/cancel").body.string
            #expect(question.contains("\(cast) bulletins déjà déposés ne seront pas dépouillés."))
            #expect(question.contains("Les \(electorate.count) sociétaires qui pouvaient le voter sont prévenu·e·s"))
            // A reason is needed, and members see it.
            let bare = try await alice.post(path + "/cancel", [("confirmed", "yes"), ("reason", "")])
            #expect(bare.status == .unprocessableEntity)
            #expect(try await vote(app, titled: open.title).cancelledAt == nil)
            let reason = "Le réseau a changé ses statuts : nous reposerons la question en janvier."
            let member = try await signedIn(app, "chloe")
            #expect(try await member.post(path + "/cancel", [("confirmed", "yes"), ("reason", reason)]).status == .forbidden)
            let done = try await follow(alice, try await alice.post(path + "/cancel", [("confirmed", "yes"), ("reason", reason)]))
            #expect(flash(done)?.contains("Vote annulé") == true)

            let shown = try await member.get(path).body.string
            #expect(shown.contains("Annulé") && shown.contains(reason))
            #expect(!shown.contains("/ballot\""), "no ballot form any more")
            let list = try await member.get("/c/\(Self.slug)/votes").body.string
            let cancelledSection = try #require(list.components(separatedBy: "<h2>Annulés</h2>").last)
            #expect(cancelledSection.contains(open.title) && cancelledSection.contains(reason))

            // The assembly that had it on its agenda says, in its minutes, that it was cancelled and why.
            let assembly = try #require(try await Assembly.query(on: app.db).filter(\.$cooperative.$id == open.$cooperative.id).first())
            let minutes = try await member.get("/c/\(Self.slug)/assemblies/\(try assembly.requireID())/minutes").body.string
            #expect(minutes.contains("Vote annulé par le conseil. Raison : " + reason))

            // Ballots are refused; no count is ever made; every voter was told, with the reason.
            let refused = try await member.post(path + "/ballot", [("position", "agree"), ("reason", "")])
            #expect(refused.status == .conflict)
            try await Votes.openAndCloseDue(on: app.db, now: Date().addingTimeInterval(30 * 86_400))
            let after = try await vote(app, titled: open.title)
            #expect(after.result == nil && after.closedAt == nil, "a cancelled vote is never counted")
            #expect(try await member.get(path + "/ballots.json").status == .conflict)
            for voter in electorate {
                let told = try await Notice.query(on: app.db).filter(\.$user.$id == voter.$user.id).all()
                #expect(told.contains { $0.textFR.contains("Vote annulé") && $0.textFR.contains(reason) }, "voter \(voter.$user.id)")
            }
            // Once cancelled, it cannot be cancelled again, and the API tells the same story.
            let api = APIClient(app: app, token: try await Tokens.create(for: try await person(app, "alice"), name: "t", on: app.db))
            let again = try await api.send(.POST, "/api/v1/cooperatives/\(Self.slug)/proposals/\(try open.requireID())/cancel", json: #"{"reason": "Encore"}"#)
            #expect(again.status == .conflict && again.errorCode == "vote_not_cancellable")
            let read = try await api.send(.GET, "/api/v1/cooperatives/\(Self.slug)/proposals/\(try open.requireID())")
            #expect(read.json["phase"] as? String == "cancelled" && read.json["cancelReason"] as? String == reason)
        }
    }

    @Test func aSecretVoteCancelledThroughTheAPIKeepsNoSealedBallot() async throws {
        try await withMaillage(demo: true) { app in
            let alice = try await person(app, "alice")
            let coop = try await Cooperatives.find(slug: Self.slug, on: app.db)
            let secret = try await Votes.create(ProposalDraft(title: "Élection au conseil", body: "", method: .singleChoice, options: ["Gaëlle", "David"],
                                                              opensAt: Date(), closesAt: Date().addingTimeInterval(3 * 86_400), secret: true),
                                                by: alice, in: coop, floors: .notUnderTest, on: app.db)
            try await Votes.cast(Data(#""Gaëlle""#.utf8), on: secret, by: try await person(app, "chloe"), on: app.db)
            let api = APIClient(app: app, token: try await Tokens.create(for: alice, name: "t", on: app.db))
            let cancelled = try await api.send(.POST, "/api/v1/cooperatives/\(Self.slug)/proposals/\(try secret.requireID())/cancel",
                                               json: #"{"reason": "Candidature retirée."}"#)
            #expect(cancelled.status == .ok, "\(cancelled.body.string)")
            #expect(cancelled.json["phase"] as? String == "cancelled")
            struct Row: Decodable { var sealed_ballot: String? }
            let rows = try await app.db.sql.select().column("sealed_ballot").from(ProposalVoter.schema)
                .where("proposal_id", .equal, SQLBind(try secret.requireID())).all(decoding: Row.self)
            #expect(rows.allSatisfy { $0.sealed_ballot == nil }, "a ballot no count will open is not kept")
        }
    }

    // MARK: 3. Figures that must agree

    /// A vote counted before its planned close (here, at once) says « Clos » with the time it
    /// closed — on its page, in the list and in the API — never the time it had planned.
    @Test func aClosedVoteShowsTheTimeItClosedEverywhere() async throws {
        try await withMaillage(demo: true) { app in
            let alice = try await person(app, "alice")
            let coop = try await Cooperatives.find(slug: Self.slug, on: app.db)
            let planned = Date().addingTimeInterval(6 * 3_600)
            let early = try await Votes.create(ProposalDraft(title: "Vote clos plus tôt", body: "", method: .singleChoice, options: ["Oui", "Non"],
                                                             opensAt: Date(), closesAt: planned), by: alice, in: coop, floors: .notUnderTest, on: app.db)
            try await Votes.close(early, in: coop, on: app.db)
            let closedAt = try #require(early.closedAt)
            let id = try early.requireID()
            let visitor = try await signedIn(app, "chloe")
            let page = try await visitor.get("/c/\(Self.slug)/votes/\(id)").body.string
            let meta = try #require(page.range(of: #"<p class="meta">[^<]*</p>"#, options: .regularExpression).map { String(page[$0]) })
            #expect(meta.contains("Clos"))
            #expect(meta.contains(DateText.short(closedAt, .fr)) && !meta.contains(DateText.short(planned, .fr)), "\(meta)")
            let list = try await visitor.get("/c/\(Self.slug)/votes").body.string
            #expect(list.contains("clos le " + DateText.short(closedAt, .fr)) && !list.contains(DateText.short(planned, .fr)))
            let api = APIClient(app: app, token: try await Tokens.create(for: alice, name: "t", on: app.db))
            let read = try await api.send(.GET, "/api/v1/cooperatives/\(Self.slug)/proposals/\(id)")
            #expect(read.json["phase"] as? String == "closed")
            let endsAt = try #require((read.json["endsAt"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) })
            #expect(abs(endsAt.timeIntervalSince(closedAt)) < 1, "the API's end is the page's")

            // The demo's decided vote reads the same way: closed, and ended in the past.
            let decided = try await vote(app, titled: "Jour de retrait des paniers")
            #expect(decided.phase() == .closed && decided.schedule.endsAt <= Date())
            let decidedMeta = try await visitor.get("/c/\(Self.slug)/votes/\(try decided.requireID())").body.string
            #expect(decidedMeta.contains("au " + DateText.short(decided.schedule.endsAt, .fr)))
        }
    }

    /// Before it opens, a vote says who will vote (today's members; fixed at opening) — on its
    /// page and in the API, the same number — never « 0 sur 0 ».
    @Test func anUpcomingVoteSaysWhoWillVoteNotZeroOfZero() async throws {
        try await withMaillage(demo: true) { app in
            let upcoming = try await vote(app, titled: "Tarif solidaire des paniers")
            #expect(upcoming.phase() == .scheduled && upcoming.electorateTakenAt == nil)
            let members = try await Cooperatives.activeMemberCount(of: upcoming.$cooperative.id, on: app.db)
            #expect(members > 0)
            let page = try await signedIn(app, "chloe").get("/c/\(Self.slug)/votes/\(try upcoming.requireID())").body.string
            #expect(!page.contains("0 sur 0"))
            #expect(page.contains("(\(members) aujourd’hui)"), "who will vote, counted today")
            #expect(page.contains("la liste est arrêtée à l’ouverture"))
            let api = APIClient(app: app, token: try await Tokens.create(for: try await person(app, "chloe"), name: "t", on: app.db))
            let read = try await api.send(.GET, "/api/v1/cooperatives/\(Self.slug)/proposals/\(try upcoming.requireID())")
            #expect(read.json["electorate"] as? Int == members && read.json["electorateFixed"] as? Bool == false)
            // Once open, the page and the API count the same fixed electorate.
            try await Votes.openAndCloseDue(on: app.db, now: upcoming.opensAt.addingTimeInterval(1))
            let opened = try await vote(app, titled: "Tarif solidaire des paniers")
            let electorate = try await ProposalVoter.query(on: app.db).filter(\.$proposal.$id == opened.requireID()).count()
            let after = try await api.send(.GET, "/api/v1/cooperatives/\(Self.slug)/proposals/\(try opened.requireID())")
            #expect(after.json["electorate"] as? Int == electorate && after.json["electorateFixed"] as? Bool == true)
            let openPage = try await signedIn(app, "chloe").get("/c/\(Self.slug)/votes/\(try opened.requireID())").body.string
            #expect(openPage.contains("Participation : 0 sur \(electorate) sociétaires."))
        }
    }

    /// A surplus allocation whose vote is scheduled is « proposed, vote scheduled » on the public
    /// transparency page and on the treasury page alike; cancelled, both say so, and the year is
    /// free for another proposal.
    @Test func theTransparencyPageAndTheTreasuryAgreeOnAScheduledAllocation() async throws {
        try await withMaillage(demo: true) { app in
            let coop = try await Cooperatives.find(slug: Self.slug, on: app.db)
            let coopID = try coop.requireID()
            let year = YearEnd.currentYear() - 1
            let terms = AllocationTerms(legalReserve: 1_500, statutoryReserve: 5_000, interestRate: 200,
                                        interestCap: ShareInterestCap(averageYieldBasisPoints: 250))
            let alice = try await person(app, "alice")
            let visitor = try await signedIn(app, "alice")
            let none = try await Visitor(app).get("/c/\(Self.slug)/transparency?year=\(year)").body.string
            #expect(none.contains(AllocationStatus.none.sentence.fr))

            let opens = Date().addingTimeInterval(7 * 86_400)
            let proposal = try await YearEnd.propose(coop, year: year, terms: terms, subsidies: .zero(.eur),
                                                     closesAt: opens.addingTimeInterval(AllocationVote.minimumDuration + 3_600), by: alice,
                                                     on: app.db, opensAt: opens)
            #expect(proposal.phase() == .scheduled)
            let status = try await YearEnd.status(of: coopID, year: year, on: app.db)
            #expect(status == .scheduled)
            let transparency = try await Visitor(app).get("/c/\(Self.slug)/transparency?year=\(year)").body.string
            #expect(transparency.contains(status.sentence.fr), "the public page says a vote is scheduled")
            #expect(!transparency.contains(AllocationStatus.none.sentence.fr))
            let treasury = try await visitor.get("/c/\(Self.slug)/treasury").body.string
            #expect(treasury.contains("\(year) — " + status.label.fr), "the treasury says the same")
            let report = try await APIClient(app: app).send(.GET, "/api/v1/cooperatives/\(Self.slug)/transparency?year=\(year)")
            #expect(report.json["allocationStatus"] as? String == status.rawValue)
            // Its text was computed by the treasury: the board cancels it, it does not rewrite it.
            let path = "/c/\(Self.slug)/votes/\(try proposal.requireID())"
            let edit = try await visitor.post(path + "/edit", [("title", "Autre affectation"), ("method", "single-choice"), ("options", "Pour\nContre"),
                                                               ("opens_at", ""), ("closes_at", DateText.localInput.string(from: opens.addingTimeInterval(20 * 86_400))),
                                                               ("quorum", "1/4"), ("majority", "two-thirds")])
            #expect(edit.status == .conflict && edit.body.string.contains("annulez ce vote"))

            try await visitor.get(path + "/cancel")
            #expect(try await visitor.post(path + "/cancel", [("confirmed", "yes"), ("reason", "Comptes à corriger avant le vote.")]).status == .seeOther)
            let cancelled = try await YearEnd.status(of: coopID, year: year, on: app.db)
            #expect(cancelled == .cancelled, "the cancelled vote decides the allocation's state at once")
            #expect(try await Visitor(app).get("/c/\(Self.slug)/transparency?year=\(year)").body.string.contains(cancelled.sentence.fr))
            #expect(try await visitor.get("/c/\(Self.slug)/treasury").body.string.contains("\(year) — " + cancelled.label.fr))
            try await YearEnd.settleVotes(on: app.db)
            #expect(try await YearEnd.allocations(of: coopID, on: app.db).first?.status == "cancelled")
            _ = try await YearEnd.propose(coop, year: year, terms: terms, subsidies: .zero(.eur),
                                          closesAt: Date().addingTimeInterval(AllocationVote.minimumDuration + 3_600), by: alice, on: app.db)
            #expect(try await YearEnd.status(of: coopID, year: year, on: app.db) == .voting, "another allocation may be proposed")
        }
    }

    // MARK: 4. Every form says what it did

    @Test func everyGovernanceFormSaysWhatItDidOnThePageItLeadsTo() async throws {
        try await withMaillage(demo: true) { app in
            let alice = try await signedIn(app, "alice")
            let chloe = try await signedIn(app, "chloe")

            // A question put to the vote by the board opens at once.
            try await alice.get("/c/\(Self.slug)/votes/new")
            let closes = DateText.localInput.string(from: Date().addingTimeInterval(5 * 86_400))
            let created = try await alice.post("/c/\(Self.slug)/votes", [("title", "Nouveau fournisseur de pain"), ("method", "consent"),
                                                                          ("options", ""), ("opens_at", ""), ("closes_at", closes),
                                                                          ("quorum", "1/5"), ("majority", "simple")])
            #expect(flash(try await follow(alice, created)) == "Vote ouvert : les sociétaires sont prévenus.")
            let path = try #require(created.headers.first(name: .location))

            // A ballot, once; the notice is not shown twice.
            try await chloe.get(path)
            let ballot = try await chloe.post(path + "/ballot", [("position", "agree"), ("reason", "")])
            #expect(!(ballot.headers.first(name: .location) ?? "").contains("?"), "no query flag in the address")
            #expect(flash(try await follow(chloe, ballot)) == "Votre bulletin est enregistré.")
            #expect(flash(try await chloe.get(path).body.string) == nil, "shown once")

            // A member's proposal, then the board opening it.
            try await chloe.get("/c/\(Self.slug)/votes/new")
            let proposed = try await chloe.post("/c/\(Self.slug)/votes", [("title", "Un composteur partagé"), ("method", "consent"), ("options", ""),
                                                                           ("opens_at", ""), ("closes_at", closes), ("quorum", "1/5"), ("majority", "simple")])
            #expect(flash(try await follow(chloe, proposed))?.contains("Proposition envoyée au conseil") == true)
            let proposedPath = try #require(proposed.headers.first(name: .location))
            try await alice.get(proposedPath)
            let opened = try await alice.post(proposedPath + "/open", [("closes_at", closes)])
            #expect(flash(try await follow(alice, opened)) == "Vote ouvert : les sociétaires sont prévenus.")

            // The board's statement on a closed vote.
            let decided = try await vote(app, titled: "Jour de retrait des paniers")
            let decidedPath = "/c/\(Self.slug)/votes/\(try decided.requireID())"
            try await alice.get(decidedPath)
            let statement = try await alice.post(decidedPath + "/statement", [("statement", "Retrait le samedi matin.")])
            #expect(flash(try await follow(alice, statement)) == "Énoncé de la décision enregistré.")

            // An assembly convened, attendance recorded.
            try await alice.get("/c/\(Self.slug)/assemblies/new")
            let convened = try await alice.post("/c/\(Self.slug)/assemblies", [
                ("title", "AG extraordinaire"), ("kind", "extraordinary"),
                ("starts_at", DateText.localInput.string(from: Date().addingTimeInterval(20 * 86_400))), ("place", "Salle des fêtes"),
                ("proxies_per_holder", "1")])
            #expect(flash(try await follow(alice, convened))?.hasPrefix("Assemblée convoquée") == true)
            let assembly = try #require(convened.headers.first(name: .location))
            let mine = try await chloe.post(assembly + "/attendance", [("status", "present"), ("holder", "")])
            #expect(flash(try await follow(chloe, mine)) == "Votre présence est enregistrée : présent·e.")
            let emma = try await Cooperatives.membership(of: try await person(app, "emma").requireID(), in: try await Cooperatives.find(slug: Self.slug, on: app.db).requireID(), on: app.db)
            let theirs = try await alice.post(assembly + "/attendance", [("member", try #require(emma).$user.id.uuidString), ("status", "present"), ("holder", "")])
            #expect(flash(try await follow(alice, theirs))?.hasPrefix("Présence de Emma") == true)

            // College weights: no query flag, a notice saying what they apply to.
            let coop = try await Cooperatives.find(slug: Self.slug, on: app.db)
            let colleges = coop.colleges.sorted { $0.position < $1.position }
            try await alice.get("/c/\(Self.slug)/colleges")
            let weights = [40, 30, 20, 10]
            let saved = try await alice.post("/c/\(Self.slug)/colleges", try zip(colleges, weights).map { ("weight_\(try $0.0.requireID().uuidString)", String($0.1)) })
            #expect(saved.headers.first(name: .location) == "/c/\(Self.slug)/colleges")
            #expect(flash(try await follow(alice, saved))?.hasPrefix("Poids enregistrés") == true)
        }
    }
}
