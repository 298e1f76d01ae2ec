import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

/// Both rounds of the concurrency test, handed out of the server's scope.
final class Answers: @unchecked Sendable {
    private let lock = NSLock()
    private var value: ([LoanOutcome], [LoanOutcome], [String]) = ([], [], [])
    func set(_ requests: [LoanOutcome], _ accepts: [LoanOutcome], _ loans: [String]) {
        lock.lock(); value = (requests, accepts, loans); lock.unlock()
    }
    func get() -> ([LoanOutcome], [LoanOutcome], [String]) { lock.lock(); defer { lock.unlock() }; return value }
}

/// One answer of the concurrency test.
struct LoanOutcome: Sendable {
    var index: Int
    var status: UInt
    var id: String?
    var code: String
}

/// A lending cooperative with members holding API tokens, made directly in the database.
struct LendingFixture {
    let coop: Cooperative
    let users: [User]
    let clients: [APIClient]
    var base: String { "/api/v1/cooperatives/\(coop.slug)/lending" }

    /// users[0] is the board (and owner in most tests), users[1] staff, the others members.
    static func make(_ app: Application, members count: Int, activity: Activity = .lending, slug: String = "preterie-des-tests") async throws -> LendingFixture {
        var users: [User] = [], clients: [APIClient] = []
        for index in 0..<count {
            let user = User(email: "\(slug)-\(index)@example.org", passwordHash: "x", displayName: "Voisin·e \(index)")
            try await user.create(on: app.db)
            users.append(user)
            clients.append(APIClient(app: app, token: try await Tokens.create(for: user, name: "tests", on: app.db)))
        }
        let draft = CooperativeDraft(name: "Coopérative \(slug)", slug: slug, legalForm: .association1901, commune: "Rezé",
                                     description: "Une coopérative pour les tests.", activities: [activity], colleges: [],
                                     shareNominalCents: 0, charter: [])
        let coop = try await Cooperatives.create(draft, creator: users[0], review: .approved, on: app.db)
        for (index, user) in users.enumerated().dropFirst() {
            let membership = Membership()
            membership.$cooperative.id = try coop.requireID()
            membership.$user.id = try user.requireID()
            membership.shares = 0
            membership.role = (index == 1 ? MemberRole.staff : MemberRole.member).rawValue
            membership.status = MembershipStatus.active.rawValue
            membership.message = ""
            try await membership.create(on: app.db)
        }
        return LendingFixture(coop: coop, users: users, clients: clients)
    }

    func item(_ client: Int = 0, title: String = "Perceuse à percussion", category: String = "outillage", commune: String = "Rezé",
              days: Int = 7) async throws -> String {
        let response = try await clients[client].send(.POST, "\(base)/items", json: #"""
            {"title": "\#(title)", "category": "\#(category)", "condition": "bon", "depositCents": 3000, "maximumLoanDays": \#(days), "commune": "\#(commune)"}
            """#)
        #expect(response.status == .created, "item created: \(response.body.string)")
        return try #require(response.json["id"] as? String)
    }
}

func day(_ offset: Int) -> String { (LendingStore.zone.localDate(at: Date()).adding(days: offset))?.iso ?? "" }

@Suite("Lending: items, loans claimed day by day, feeds, reminders", .serialized)
struct LendingTests {
    @Test func aLoanGoesFromRequestToReviewWithBothSidesConfirming() async throws {
        try await withMaillage { app in
            let f = try await LendingFixture.make(app, members: 4)
            let item = try await f.item()
            // act: the borrower (3) asks for today and tomorrow, with a message
            let asked = try await f.clients[3].send(.POST, "\(f.base)/items/\(item)/loans",
                                                    json: #"{"firstDay": "\#(day(0))", "lastDay": "\#(day(1))", "message": "Je passe ce soir ?"}"#)
            #expect(asked.status == .created, "\(asked.body.string)")
            let loan = try #require(asked.json["id"] as? String)
            #expect(asked.json["status"] as? String == "requested")
            let ownerID = try f.users[0].requireID(), borrowerID = try f.users[3].requireID()
            #expect(try await Inbox.latest(for: ownerID, on: app.db).contains { $0.textFR.contains("Nouvelle demande") }, "the owner is told")
            // The borrower cannot accept their own request; the owner can.
            let selfAccept = try await f.clients[3].send(.POST, "\(f.base)/loans/\(loan)/accept")
            #expect(selfAccept.status == .forbidden && selfAccept.errorCode == "loan_forbidden")
            let accepted = try await f.clients[0].send(.POST, "\(f.base)/loans/\(loan)/accept")
            #expect(accepted.status == .ok && accepted.json["status"] as? String == "accepted", "\(accepted.body.string)")
            #expect(try await claimedDays(app, loan: loan) == [day(0), day(1)])
            // Handover: one side, then the other; a repeat is harmless.
            let half = try await f.clients[0].send(.POST, "\(f.base)/loans/\(loan)/handover")
            #expect(half.json["status"] as? String == "accepted" && half.json["handoverOwnerAt"] != nil)
            #expect(try await f.clients[0].send(.POST, "\(f.base)/loans/\(loan)/handover").status == .ok)
            let handed = try await f.clients[3].send(.POST, "\(f.base)/loans/\(loan)/handover")
            #expect(handed.json["status"] as? String == "handed_over")
            // A review before the return is refused.
            let early = try await f.clients[3].send(.POST, "\(f.base)/loans/\(loan)/review", json: #"{"rating": 5, "text": "Top"}"#)
            #expect(early.status == .conflict && early.errorCode == "loan_wrong_status")
            _ = try await f.clients[3].send(.POST, "\(f.base)/loans/\(loan)/return")
            let back = try await f.clients[0].send(.POST, "\(f.base)/loans/\(loan)/return")
            #expect(back.json["status"] as? String == "returned")
            // Returned today: tomorrow's claim is freed for the next borrower.
            #expect(try await claimedDays(app, loan: loan) == [day(0)])
            let review = try await f.clients[3].send(.POST, "\(f.base)/loans/\(loan)/review", json: #"{"rating": 5, "text": "Perceuse au top, merci !"}"#)
            #expect(review.status == .created)
            let twice = try await f.clients[3].send(.POST, "\(f.base)/loans/\(loan)/review", json: #"{"rating": 4, "text": "Encore"}"#)
            #expect(twice.status == .conflict && twice.errorCode == "already_reviewed")
            let detail = try await f.clients[0].send(.GET, "\(f.base)/loans/\(loan)")
            #expect((detail.json["reviews"] as? [[String: Any]])?.count == 1)
            #expect((detail.json["messages"] as? [[String: Any]])?.first?["body"] as? String == "Je passe ce soir ?")
            // Every step is in the loan's history.
            struct Kind: Decodable { var kind: String }
            let kinds = try await app.db.sql.select().column("kind").from("loan_events").where("loan_id", .equal, SQLBind(UUID(uuidString: loan)!))
                .orderBy("at").all(decoding: Kind.self).map(\.kind)
            #expect(kinds == ["requested", "accepted", "handover_confirmed", "handover_confirmed", "return_confirmed", "return_confirmed", "reviewed"])
            #expect(try await Inbox.latest(for: borrowerID, on: app.db).contains { $0.textFR.contains("acceptée") })
            // A stranger to the loan (member 2) does not see it.
            #expect(try await f.clients[2].send(.GET, "\(f.base)/loans/\(loan)").status == .notFound)
        }
    }

    /// Over real sockets, in batches of 32: borrowers 1…100 each ask for dates sharing day +14,
    /// then the owner accepts every request at once. Returns both rounds' answers and the loans.
    func requestThenAcceptAll(_ app: Application, _ f: LendingFixture, item: String) async throws
        -> (requests: [LoanOutcome], accepts: [LoanOutcome], loans: [String]) {
        let clients = f.clients, path = f.base
        let answers = Answers()
        try await withRunningServer(app) { base in
            let requests = try await inBatches(Array(1...100)) { index in
                let body = #"{"firstDay": "\#(day(10 + index % 5))", "lastDay": "\#(day(14))"}"#
                let (status, json) = try await clients[index].post(to: base, "\(path)/items/\(item)/loans", json: body)
                return LoanOutcome(index: index, status: status, id: json["id"] as? String, code: ((json["error"] as? [String: Any])?["code"] as? String) ?? "")
            }
            let ids = requests.compactMap(\.id)
            let accepts = try await inBatches(Array(ids.indices)) { index in
                let (status, json) = try await clients[0].post(to: base, "\(path)/loans/\(ids[index])/accept", json: "{}")
                // The loan the answer is about, as the server says (an error answer names none).
                return LoanOutcome(index: index, status: status, id: (json["id"] as? String) ?? (status == 200 ? "?" : ids[index]),
                                   code: ((json["error"] as? [String: Any])?["code"] as? String) ?? (json["status"] as? String) ?? "")
            }
            answers.set(requests, accepts, ids)
        }
        return answers.get()
    }

    func inBatches(_ indexes: [Int], _ call: @escaping @Sendable (Int) async throws -> LoanOutcome) async throws -> [LoanOutcome] {
        var all: [LoanOutcome] = []
        for start in stride(from: 0, to: indexes.count, by: 32) {
            let batch = Array(indexes[start..<min(start + 32, indexes.count)])
            all += try await withThrowingTaskGroup(of: LoanOutcome.self, returning: [LoanOutcome].self) { group in
                for index in batch { group.addTask { try await call(index) } }
                var collected: [LoanOutcome] = []
                for try await outcome in group { collected.append(outcome) }
                return collected
            }
        }
        return all
    }

    func claimedDays(_ app: Application, loan: String) async throws -> [String] {
        struct Day: Decodable { var day: String }
        return try await app.db.sql.select().column("day").from("loan_days").where("loan_id", .equal, SQLBind(UUID(uuidString: loan)!))
            .orderBy("day").all(decoding: Day.self).map(\.day)
    }

    /// 100 borrowers ask for overlapping dates of one item, then the owner accepts every request
    /// at once over real sockets: the `loan_days` key lets exactly one through.
    @Test func aHundredConcurrentAcceptsOfOverlappingRequestsLeaveExactlyOneLoan() async throws {
        try await withMaillage { app in
            let f = try await LendingFixture.make(app, members: 101)
            let item = try await f.item()
            let (requestOutcomes, acceptOutcomes, loanIDs) = try await requestThenAcceptAll(app, f, item: item)
            #expect(requestOutcomes.count == 100 && requestOutcomes.allSatisfy { $0.status == 201 }, "every overlapping request is taken: the owner chooses")
            #expect(acceptOutcomes.allSatisfy { $0.status < 500 }, "no server error")
            let byAnswer = Dictionary(grouping: acceptOutcomes, by: { "\($0.status) \($0.code)" }).mapValues(\.count)
            #expect(byAnswer == ["200 accepted": 1, "409 dates_taken": 99],
                    "exactly one acceptance; the others are told the dates are taken: \(byAnswer)")
            let winners = acceptOutcomes.filter { $0.status == 200 }
            #expect(winners.allSatisfy { $0.id == loanIDs[$0.index] }, "the answer is about the loan asked for")
            struct Count: Decodable { var n: Int }
            let accepted = try await app.db.sql.raw("SELECT COUNT(*) AS n FROM loans WHERE status = 'accepted'").first(decoding: Count.self)?.n
            let requested = try await app.db.sql.raw("SELECT COUNT(*) AS n FROM loans WHERE status = 'requested'").first(decoding: Count.self)?.n
            #expect(accepted == 1 && requested == 99, "the refused acceptances rolled back their status change")
            struct Row: Decodable { var id: UUID }
            let stored = try #require(try await app.db.sql.raw("SELECT id FROM loans WHERE status = 'accepted'").first(decoding: Row.self)).id
            let winner = try #require(winners.first?.id)
            #expect(UUID(uuidString: winner) == stored, "the one acceptance answered 200 is the loan stored as accepted")
            let days = try await claimedDays(app, loan: winner)
            let claimed = try await app.db.sql.raw("SELECT COUNT(*) AS n FROM loan_days").first(decoding: Count.self)?.n
            #expect(!days.isEmpty && claimed == days.count, "only the winner's days are claimed")
            #expect(days.last == day(14))
            let doubles = try await app.db.sql.raw("SELECT COUNT(*) AS n FROM (SELECT item_id, day FROM loan_days GROUP BY item_id, day HAVING COUNT(*) > 1) d")
                .first(decoding: Count.self)?.n
            #expect(doubles == 0)
        }
    }

    @Test func badRequestsAreRefusedWithClearErrors() async throws {
        try await withMaillage { app in
            let f = try await LendingFixture.make(app, members: 4)
            let outsider = try await LendingFixture.make(app, members: 1, slug: "ailleurs-des-tests")
            let item = try await f.item(days: 3)
            func ask(_ client: APIClient, _ json: String) async throws -> TestingHTTPResponse {
                try await client.send(.POST, "\(f.base)/items/\(item)/loans", json: json)
            }
            let past = try await ask(f.clients[2], #"{"firstDay": "\#(day(-2))", "lastDay": "\#(day(-1))"}"#)
            #expect(past.status == .unprocessableEntity && past.errorCode == "period_in_past" && past.errorField == "first_day")
            let long = try await ask(f.clients[2], #"{"firstDay": "\#(day(1))", "lastDay": "\#(day(5))"}"#)
            #expect(long.status == .unprocessableEntity && long.errorCode == "loan_too_long")
            let reversed = try await ask(f.clients[2], #"{"firstDay": "\#(day(3))", "lastDay": "\#(day(1))"}"#)
            #expect(reversed.status == .unprocessableEntity && reversed.errorCode == "period_reversed")
            let garbled = try await ask(f.clients[2], #"{"firstDay": "demain", "lastDay": "\#(day(1))"}"#)
            #expect(garbled.status == .unprocessableEntity && garbled.errorCode == "invalid_date")
            let own = try await ask(f.clients[0], #"{"firstDay": "\#(day(1))", "lastDay": "\#(day(1))"}"#)
            #expect(own.status == .forbidden && own.errorCode == "own_item")
            let stranger = try await ask(outsider.clients[0], #"{"firstDay": "\#(day(1))", "lastDay": "\#(day(1))"}"#)
            #expect(stranger.status == .forbidden)
            let anonymous = try await ask(APIClient(app: app), #"{"firstDay": "\#(day(1))", "lastDay": "\#(day(1))"}"#)
            #expect(anonymous.status == .unauthorized)
            // Once a loan is accepted, a request for the same days is refused at once.
            let first = try await ask(f.clients[2], #"{"firstDay": "\#(day(2))", "lastDay": "\#(day(3))"}"#)
            let loan = try #require(first.json["id"] as? String)
            #expect(try await f.clients[0].send(.POST, "\(f.base)/loans/\(loan)/accept").status == .ok)
            let clash = try await ask(f.clients[3], #"{"firstDay": "\#(day(3))", "lastDay": "\#(day(4))"}"#)
            #expect(clash.status == .conflict && clash.errorCode == "dates_taken")
            let backToBack = try await ask(f.clients[3], #"{"firstDay": "\#(day(4))", "lastDay": "\#(day(5))"}"#)
            #expect(backToBack.status == .created, "returned in the evening, lent again the next morning")
            // Handing over before the first day is too early; declining an accepted loan is refused.
            let early = try await f.clients[0].send(.POST, "\(f.base)/loans/\(loan)/handover")
            #expect(early.status == .conflict && early.errorCode == "handover_too_early")
            let decline = try await f.clients[0].send(.POST, "\(f.base)/loans/\(loan)/decline")
            #expect(decline.status == .conflict && decline.errorCode == "loan_wrong_status")
            // Cancelling frees the days.
            #expect(try await f.clients[2].send(.POST, "\(f.base)/loans/\(loan)/cancel").json["status"] as? String == "cancelled")
            #expect(try await claimedDays(app, loan: loan).isEmpty)
            // A bad item form lists every problem; a malformed body is a 4xx, never a 500.
            let badItem = try await f.clients[2].send(.POST, "\(f.base)/items", json: #"""
                {"title": "X", "category": "fusées", "condition": "bon", "depositCents": -5, "maximumLoanDays": 90, "commune": "Atlantis"}
                """#)
            #expect(badItem.status == .unprocessableEntity, "\(badItem.body.string)")
            #expect(badItem.json.description.contains("Atlantis") == false)
            let junk = try await f.clients[2].send(.POST, "\(f.base)/items", json: "{not json")
            #expect(junk.status == .badRequest)
            let message = try await f.clients[2].send(.POST, "\(f.base)/loans/\(loan)/messages", json: #"{"body": "   "}"#)
            #expect(message.status == .unprocessableEntity && message.errorCode == "invalid_message")
            // A NUL is refused as text, never a 500 (the fuzzer's find: SQLite's length() stops at it).
            let nul = try await f.clients[2].send(.POST, "\(f.base)/loans/\(loan)/messages", json: #"{"body": "\u0000Je passe ce soir"}"#)
            #expect(nul.status == .unprocessableEntity && nul.errorCode == "invalid_message", "\(nul.status)")
            let note = try await ask(f.clients[3], #"{"firstDay": "\#(day(6))", "lastDay": "\#(day(6))", "message": "\u0000"}"#)
            #expect(note.status == .unprocessableEntity && note.errorCode == "invalid_message", "\(note.status)")
        }
    }

    @Test func searchFindsItemsByWordsCategoryAndDistance() async throws {
        try await withMaillage { app in
            let f = try await LendingFixture.make(app, members: 3)
            _ = try await f.item(0, title: "Perceuse à percussion", commune: "Rezé")
            _ = try await f.item(2, title: "Perceuse sans fil", commune: "Carquefou")
            _ = try await f.item(2, title: "Tente 4 places", category: "loisirs-sport", commune: "Rezé")
            func titles(_ query: String) async throws -> [String] {
                let response = try await APIClient(app: app).send(.GET, "\(f.base)/items?\(query)")
                #expect(response.status == .ok, "\(query): \(response.body.string)")
                return (response.json["data"] as? [[String: Any]] ?? []).compactMap { $0["title"] as? String }
            }
            #expect(try await titles("q=perceuses").sorted() == ["Perceuse sans fil", "Perceuse à percussion"], "plural and accents folded")
            #expect(try await titles("q=drill&near=Rez%C3%A9&radius=5") == ["Perceuse à percussion"], "category words in English, within 5 km")
            #expect(try await titles("q=perceuse&near=Rez%C3%A9&radius=30") == ["Perceuse à percussion", "Perceuse sans fil"], "nearest first")
            #expect(try await titles("category=loisirs-sport") == ["Tente 4 places"])
            let bad = try await APIClient(app: app).send(.GET, "\(f.base)/items?radius=900")
            #expect(bad.status == .unprocessableEntity && bad.errorCode == "invalid_radius")
            let nowhere = try await APIClient(app: app).send(.GET, "\(f.base)/items?near=Atlantis")
            #expect(nowhere.status == .unprocessableEntity && nowhere.errorCode == "unknown_commune")
        }
    }

    @Test func theAvailabilityFeedIsICalendarThatNamesNoBorrower() async throws {
        try await withMaillage { app in
            let f = try await LendingFixture.make(app, members: 3)
            let item = try await f.item(title: "Perceuse à percussion avec un titre assez long pour devoir être plié en plusieurs lignes")
            let asked = try await f.clients[2].send(.POST, "\(f.base)/items/\(item)/loans", json: #"{"firstDay": "\#(day(3))", "lastDay": "\#(day(5))"}"#)
            let loan = try #require(asked.json["id"] as? String)
            _ = try await f.clients[0].send(.POST, "\(f.base)/loans/\(loan)/accept")
            let feed = try await app.testing().sendRequest(.GET, "/c/\(f.coop.slug)/lending/items/\(item)/availability.ics")
            #expect(feed.status == .ok)
            #expect(feed.headers.first(name: .contentType)?.hasPrefix("text/calendar") == true)
            let text = feed.body.string
            #expect(text.hasSuffix("\r\n") && !text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "CRLF line endings only")
            let physical = text.components(separatedBy: "\r\n").dropLast()
            #expect(physical.allSatisfy { $0.utf8.count <= 75 }, "folded at 75 octets")
            #expect(physical.contains { $0.hasPrefix(" ") }, "the long name is folded")
            // Unfolded (RFC 5545 §3.1): a calendar app reads one event for the loan.
            let unfolded = text.replacingOccurrences(of: "\r\n ", with: "").components(separatedBy: "\r\n")
            #expect(unfolded.first == "BEGIN:VCALENDAR" && unfolded.contains("END:VCALENDAR") && unfolded.contains("VERSION:2.0"))
            #expect(unfolded.filter { $0 == "BEGIN:VEVENT" }.count == 1)
            let first = day(3).replacingOccurrences(of: "-", with: ""), after = day(6).replacingOccurrences(of: "-", with: "")
            #expect(unfolded.contains("DTSTART;VALUE=DATE:\(first)") && unfolded.contains("DTEND;VALUE=DATE:\(after)"))
            #expect(unfolded.contains { $0.hasPrefix("X-WR-CALNAME:Perceuse à percussion avec un titre assez long") })
            #expect(!text.contains("Voisin·e"), "no borrower's name in a public feed")
        }
    }

    @Test func overdueLoansAreRemindedOncePerStepByTheJob() async throws {
        try await withMaillage { app in
            let f = try await LendingFixture.make(app, members: 3)
            let owner = try f.users[0].requireID(), borrower = try f.users[2].requireID()
            let itemRow = try await LendingStore.item(UUID(uuidString: try await f.item()), in: f.coop.requireID(), on: app.db)
            let zone = LendingStore.zone, today = zone.localDate(at: Date())
            func at(_ offset: Int, _ hour: Int) -> Date { zone.instant(on: today.adding(days: offset)!, hour: hour) }
            var row = try await LendingStore.request(item: itemRow, borrower: borrower, period: try LoanPeriod(first: today.adding(days: -6)!, days: 2),
                                                     message: nil, coopSlug: f.coop.slug, on: app.db, now: at(-8, 10))
            for (action, who) in [(LendingStore.Action.accept, owner), (.handover, owner), (.handover, borrower)] {
                row = try await LendingStore.act(action, on: row, by: who, isStaff: false, itemTitle: itemRow.title, coopSlug: f.coop.slug,
                                                 db: app.db, now: action == .accept ? at(-7, 9) : at(-6, 10))
            }
            #expect(row.loanStatus == .handedOver)
            // Day +1 after the last day (-5) is -4: its 09:00 reminder is due; so are +3 (at -2).
            #expect(try await OverdueLoans.remind(now: at(-4, 8), on: app.db) == 0, "not before 09:00")
            #expect(try await OverdueLoans.remind(now: at(-4, 10), on: app.db) == 1)
            #expect(try await OverdueLoans.remind(now: at(-4, 11), on: app.db) == 0, "sent once")
            #expect(try await OverdueLoans.remind(now: at(-2, 10), on: app.db) == 1, "the day +3 reminder")
            struct Offset: Decodable { var offset_days: Int }
            let sent = try await app.db.sql.select().column("offset_days").from("loan_reminders").orderBy("offset_days").all(decoding: Offset.self)
            #expect(sent.map(\.offset_days) == [1, 3])
            #expect(try await Inbox.latest(for: borrower, on: app.db).filter { $0.textFR.contains("devait être rendu") }.count == 2)
            #expect(try await Inbox.latest(for: owner, on: app.db).contains { $0.textFR.contains("pas encore rendu") })
            let listed = try await f.clients[1].send(.GET, "\(f.base)/loans?all=true")
            #expect((listed.json["data"] as? [[String: Any]])?.first?["overdue"] as? Bool == true, "staff see it flagged")
        }
    }

    @Test func messagesReachTheOtherSideAndOnlyThem() async throws {
        try await withMaillage { app in
            let f = try await LendingFixture.make(app, members: 4)
            let item = try await f.item()
            let asked = try await f.clients[2].send(.POST, "\(f.base)/items/\(item)/loans", json: #"{"firstDay": "\#(day(1))", "lastDay": "\#(day(1))"}"#)
            let loan = try #require(asked.json["id"] as? String)
            let posted = try await f.clients[0].send(.POST, "\(f.base)/loans/\(loan)/messages", json: #"{"body": "Passez vers 18 h, 3 rue des Lilas."}"#)
            #expect(posted.status == .created)
            let borrower = try f.users[2].requireID()
            #expect(try await Inbox.latest(for: borrower, on: app.db).contains { $0.textFR.contains("3 rue des Lilas") && $0.link.hasSuffix("#messages") })
            let nosy = try await f.clients[3].send(.POST, "\(f.base)/loans/\(loan)/messages", json: #"{"body": "Et moi ?"}"#)
            #expect(nosy.status == .notFound)
            let staff = try await f.clients[1].send(.POST, "\(f.base)/loans/\(loan)/messages", json: #"{"body": "La vitrine est ouverte samedi."}"#)
            #expect(staff.status == .created, "staff may write in a loan's thread")
        }
    }

    @Test func theFormsKeepWhatWasTypedAndSayWhatToFix() async throws {
        try await withMaillage { app in
            let f = try await LendingFixture.make(app, members: 3)
            let item = try await f.item()
            let owner = Visitor(app), borrower = Visitor(app)
            for (visitor, user) in [(owner, f.users[0]), (borrower, f.users[2])] {
                user.passwordHash = try app.password.hash("un mot de passe solide")
                try await user.save(on: app.db)
                try await visitor.logIn(user.email, password: "un mot de passe solide")
            }
            try await owner.get("/c/\(f.coop.slug)/lending/items/new")
            let refused = try await owner.post("/c/\(f.coop.slug)/lending/items", [("title", "Taille-haie électrique"), ("category", ""),
                                                                                  ("condition", "bon"), ("maximum_loan_days", "0"), ("commune", "Rezé")])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("Taille-haie électrique"), "what was typed stays")
            #expect(refused.body.string.contains("Choisissez une catégorie dans la liste."))
            let page = try await borrower.get("/c/\(f.coop.slug)/lending/items/\(item)")
            #expect(page.status == .ok && page.body.string.contains("Disponibilités") && page.body.string.contains("Demander à l’emprunter"))
            let past = try await borrower.post("/c/\(f.coop.slug)/lending/items/\(item)/request", [("first_day", day(-3)), ("last_day", day(-2))])
            #expect(past.status == .unprocessableEntity && past.body.string.contains("jours passés"))
            // The message is optional: the form sends the empty field, and that is no message.
            let silent = try await borrower.post("/c/\(f.coop.slug)/lending/items/\(item)/request", [("first_day", day(5)), ("last_day", day(5)),
                                                                                                     ("message", "  ")])
            #expect(silent.status == .seeOther, "\(silent.body.string.prefix(500))")
            let asked = try await borrower.post("/c/\(f.coop.slug)/lending/items/\(item)/request", [("first_day", day(0)), ("last_day", day(0)),
                                                                                                    ("message", "Bonjour !")])
            #expect(asked.status == .seeOther)
            let loan = try #require(asked.headers.first(name: .location))
            let ownerView = try await owner.get(loan)
            #expect(ownerView.body.string.contains("Accepter") && ownerView.body.string.contains("Bonjour !"))
            #expect(try await owner.post(loan + "/accept", []).status == .seeOther)
            let catalogue = try await Visitor(app).get("/c/\(f.coop.slug)/lending?q=perceuse")
            #expect(catalogue.status == .ok && catalogue.body.string.contains("Perceuse à percussion"))
            #expect(!catalogue.body.string.contains("Voisin·e 0"), "the public catalogue names no owner")
            let staff = try await owner.get("/c/\(f.coop.slug)/lending/staff")
            #expect(staff.status == .ok && staff.body.string.contains("Acceptés, à remettre"))
            #expect(try await borrower.get("/c/\(f.coop.slug)/lending/staff").status == .forbidden)
        }
    }

    @Test func theDemoHasAShowcaseFortyItemsAndLoansAtEveryStep() async throws {
        try await withMaillage(demo: true) { app in
            let coop = try await Cooperatives.find(slug: "preterie-de-reze", on: app.db)
            let showcase = try #require(try await LendingStore.showcase(of: coop.requireID(), on: app.db)?.location)
            #expect(!showcase.hours.isEmpty)
            let items = try await LendingStore.search(try SearchQuery(), coop: coop.requireID(), limit: 500, on: app.db)
            #expect(items.count >= 40 && items.contains { $0.0.title == "Perceuse à percussion" } && items.contains { $0.0.atShowcase })
            let loans = try await LendingStore.loans(of: coop.requireID(), on: app.db)
            #expect(Set(loans.map(\.loanStatus)).isSuperset(of: [.requested, .accepted, .handedOver, .returned]))
            #expect(loans.contains { (try? $0.loan().isOverdue(at: Date())) == true })
            let impact = try await app.testing().sendRequest(.GET, "/api/v1/cooperatives/preterie-de-reze/impact")
            #expect(impact.json["loansCompleted"] as? Int == 3)
            let page = try await app.testing().sendRequest(.GET, "/c/preterie-de-reze/lending")
            #expect(page.status == .ok && page.body.string.contains("La Vitrine Jean-Jaurès"))
        }
    }
}
