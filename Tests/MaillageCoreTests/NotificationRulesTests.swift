import Foundation
import MaillageCore
import Testing

@Suite struct NotificationRulesTests {
    let paris = LocalZone.paris

    func instant(_ iso: String, _ hour: Int, _ minute: Int = 0) -> Date {
        paris.instant(on: LocalDate(iso: iso)!, hour: hour, minute: minute)
    }

    @Test func aVoteOpeningAnOrdersReceiptAndARideAreMailedAtOnceByDefaultTheRestStaysInTheSite() {
        let nobodyChose = NoticePreferences()
        #expect(nobodyChose.channel(for: .votes) == .mailAtOnce)
        #expect(nobodyChose.channel(for: .orders) == .mailAtOnce)
        #expect(nobodyChose.channel(for: .rides) == .mailAtOnce, "a seat asked or cancelled may be for a trip within hours")
        for kind in NoticeKind.allCases where ![.votes, .orders, .rides].contains(kind) {
            #expect(nobodyChose.channel(for: kind) == .siteOnly, "\(kind)")
        }
        #expect(nobodyChose.digestKinds.isEmpty)
    }

    @Test func onlyChoicesThatDifferFromTheDefaultAreKept() throws {
        var preferences = NoticePreferences()
        try preferences.set(.dailyDigest, for: .votes)
        try preferences.set(.siteOnly, for: .loans)
        #expect(preferences.chosen == [.votes: .dailyDigest], "choosing a default keeps nothing")
        try preferences.set(.mailAtOnce, for: .votes)
        #expect(preferences.chosen.isEmpty)
        #expect(NoticePreferences(chosen: [.orders: .mailAtOnce, .money: .dailyDigest]).chosen == [.money: .dailyDigest])
    }

    @Test func anOrdersReceiptIsNeverGatheredIntoADigest() {
        var preferences = NoticePreferences()
        #expect(throws: NoticePreferences.notOffered(.orders, .dailyDigest)) { try preferences.set(.dailyDigest, for: .orders) }
        #expect(preferences.channel(for: .orders) == .mailAtOnce)
    }

    @Test func theDailyCutIsTheLatestSevenOClockInParis() {
        let schedule = DigestSchedule.daily
        // 6:59 in Paris: still yesterday's cut; 7:00 and after: today's (winter, UTC+1).
        #expect(schedule.cut(at: instant("2026-12-07", 6, 59)) == instant("2026-12-06", 7))
        #expect(schedule.cut(at: instant("2026-12-07", 7)) == instant("2026-12-07", 7))
        #expect(schedule.cut(at: instant("2026-12-07", 23, 30)) == instant("2026-12-07", 7))
        // Summer time: still 7:00 on the clock in Paris, 5:00 UTC.
        #expect(schedule.cut(at: instant("2026-07-01", 9)) == Date(timeIntervalSince1970: 1_782_882_000))
        #expect(schedule.checkEverySeconds == 60)
    }

    @Test func aShortPeriodCutsEveryPeriod() {
        let schedule = DigestSchedule(period: 10)
        #expect(schedule.cut(at: Date(timeIntervalSince1970: 1_000_007)) == Date(timeIntervalSince1970: 1_000_000))
        #expect(schedule.checkEverySeconds == 10)
    }

    @Test func theScheduleIsReadFromItsKnobsAndRefusesNonsense() throws {
        let schedule = try DigestSchedule.parse(time: "6:30", periodSeconds: nil).get()
        #expect(schedule.hour == 6 && schedule.minute == 30 && schedule.period == nil)
        #expect(try DigestSchedule.parse(time: nil, periodSeconds: "5").get().period == 5)
        #expect(try DigestSchedule.parse(time: "", periodSeconds: "").get() == .daily)
        for (time, period) in [("25:00", nil), ("7:60", nil), ("sept", nil), (nil, "0"), (nil, "-3"), (nil, "soon")] as [(String?, String?)] {
            if case .success = DigestSchedule.parse(time: time, periodSeconds: period) { Issue.record("accepted \(time ?? "") \(period ?? "")") }
        }
    }

    @Test func nothingNewMakesNoDigest() {
        #expect(NoticeDigest.compose([]) == nil)
    }

    @Test func aDigestGroupsNoticesByTheirDayInParisOldestFirst() throws {
        func entry(_ kind: NoticeKind, _ at: Date, _ text: String) -> NoticeDigest.Entry {
            NoticeDigest.Entry(id: UUID(), kind: kind, createdAt: at, text: Localized(fr: text, en: text), link: "/c/x")
        }
        // Grouped by the day in Paris: 0:15 on the 6th is 23:15 UTC on the 5th, yet it belongs to the 6th.
        let late = entry(.votes, instant("2026-12-05", 23, 30), "tard le 5")
        let early = entry(.loans, instant("2026-12-06", 0, 15), "tôt le 6")
        let noon = entry(.votes, instant("2026-12-06", 12), "midi le 6")
        let digest = try #require(NoticeDigest.compose([noon, late, early]))
        #expect(digest.days.map(\.day.iso) == ["2026-12-05", "2026-12-06"])
        #expect(digest.days[1].entries.map(\.text.fr) == ["tôt le 6", "midi le 6"])
        #expect(digest.kinds == [.votes, .loans])
        #expect(digest.count == 3 && digest.more == 0)
    }

    @Test func aLongDigestSaysHowManyMoreAreInTheSite() throws {
        let start = instant("2026-12-06", 8)
        let entries = (0..<5).map { NoticeDigest.Entry(id: UUID(), kind: .money, createdAt: start.addingTimeInterval(Double($0) * 60),
                                                  text: Localized(fr: "n\($0)", en: "n\($0)"), link: "/") }
        let digest = try #require(NoticeDigest.compose(entries, limit: 3))
        #expect(digest.days.flatMap(\.entries).map(\.text.fr) == ["n0", "n1", "n2"])
        #expect(digest.more == 2 && digest.count == 5)
    }

    @Test func anUnsubscribeLinkNamesItsPersonAndKindsAndAnythingElseIsRefused() throws {
        let person = UUID()
        let link = UnsubscribeLink(user: person, kinds: [.loans, .votes])
        #expect(link.kinds == [.votes, .loans], "kinds in their listed order")
        let parsed = try #require(UnsubscribeLink.parse(link.signedText + ".signature"))
        #expect(parsed.link == link && parsed.signedText == link.signedText && parsed.signature == "signature")
        for bad in ["", "x.votes.sig", "\(person).votes", "\(person).votes.", "\(person).elections.sig", "\(person)..sig", "\(person).votes.sig.more"] {
            #expect(UnsubscribeLink.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func unsubscribingPutsOnlyThoseKindsInTheSite() throws {
        var preferences = NoticePreferences()
        try preferences.set(.dailyDigest, for: .loans)
        try preferences.set(.mailAtOnce, for: .money)
        let after = UnsubscribeLink(user: UUID(), kinds: [.votes, .loans]).applied(to: preferences)
        #expect(after.channel(for: .votes) == .siteOnly)
        #expect(after.channel(for: .loans) == .siteOnly)
        #expect(after.channel(for: .money) == .mailAtOnce, "a kind the link does not name is left alone")
    }
}
