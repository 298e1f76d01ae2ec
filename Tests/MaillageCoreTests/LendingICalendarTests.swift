import Foundation
@testable import MaillageCore
import Testing

@Suite struct LendingICalendarTests {
    typealias T = LendingTest

    /// A reader in the manner of calendar apps: split on CRLF, unfold, split name;params:value,
    /// unescape TEXT, collect VEVENTs.
    struct Parsed {
        var calendar: [String: String] = [:]
        var events: [[String: String]] = []
    }

    static func parse(_ feed: String) throws -> Parsed {
        #expect(feed.hasSuffix("\r\n"))
        // No bare LF or CR anywhere.
        let bytes = Array(feed.utf8)
        for (i, byte) in bytes.enumerated() {
            if byte == 0x0A { #expect(i > 0 && bytes[i - 1] == 0x0D) }
            if byte == 0x0D { #expect(i + 1 < bytes.count && bytes[i + 1] == 0x0A) }
        }
        var physical = feed.components(separatedBy: "\r\n")
        physical.removeLast()
        for line in physical { #expect(line.utf8.count <= 75, "line over 75 octets: \(line)") }
        var logical: [String] = []
        for line in physical {
            if line.hasPrefix(" ") || line.hasPrefix("\t") {
                logical[logical.count - 1] += line.dropFirst()
            } else {
                logical.append(line)
            }
        }
        var parsed = Parsed()
        var event: [String: String]?
        for line in logical {
            let colon = try #require(line.firstIndex(of: ":"))
            let head = String(line[..<colon]), value = String(line[line.index(after: colon)...])
            let name = String(head.split(separator: ";")[0])
            let key = head.contains(";") ? head : name
            switch (name, value) {
            case ("BEGIN", "VEVENT"): event = [:]
            case ("END", "VEVENT"): parsed.events.append(event ?? [:]); event = nil
            case ("BEGIN", _), ("END", _): break
            default:
                let text = unescape(value)
                if event != nil { event?[key] = text } else { parsed.calendar[key] = text }
            }
        }
        return parsed
    }

    static func unescape(_ text: String) -> String {
        var out = "", escaping = false
        for character in text {
            if escaping {
                out.append(character == "n" || character == "N" ? "\n" : character)
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                out.append(character)
            }
        }
        return out
    }

    // MARK: text rules

    @Test func textIsEscaped() {
        #expect(ICalendarText.escape(#"a\b;c,d"#) == #"a\\b\;c\,d"#)
        #expect(ICalendarText.escape("one\ntwo\r\nthree\rfour") == #"one\ntwo\nthree\nfour"#)
        #expect(ICalendarText.escape("tab\there\u{07}bell") == "tab\there" + "bell")
        #expect(ICalendarText.escape("Perceuse : « Bosch »") == "Perceuse : « Bosch »")
    }

    @Test func shortLinesAreLeftAlone() {
        let line = "SUMMARY:" + String(repeating: "x", count: 67)   // exactly 75 octets
        #expect(ICalendarText.fold(line) == line)
    }

    @Test func longLinesFoldAtSeventyFiveOctets() {
        let line = "X-WR-CALNAME:" + String(repeating: "a", count: 200)
        let folded = ICalendarText.fold(line)
        let parts = folded.components(separatedBy: "\r\n")
        #expect(parts[0].utf8.count == 75)
        #expect(parts.dropFirst().allSatisfy { $0.hasPrefix(" ") && $0.utf8.count <= 75 })
        #expect(parts.dropFirst().dropLast().allSatisfy { $0.utf8.count == 75 })
        #expect(parts[0] + parts.dropFirst().map { String($0.dropFirst()) }.joined() == line)
    }

    /// "é" is two octets, "€" three, "🔧" four: a fold never cuts one in half, and each physical
    /// line is valid UTF-8 of at most 75 octets.
    @Test func foldingNeverSplitsAMultiByteCharacter() {
        for filler in ["é", "€", "🔧", "aé", "a€🔧"] {
            for prefix in 0..<5 {
                let line = "SUMMARY:" + String(repeating: "x", count: prefix) + String(repeating: filler, count: 60)
                let parts = ICalendarText.fold(line).components(separatedBy: "\r\n")
                for part in parts {
                    #expect(part.utf8.count <= 75)
                    #expect(String(validating: Array(part.utf8), as: UTF8.self) != nil)
                }
                #expect(parts[0] + parts.dropFirst().map { String($0.dropFirst()) }.joined() == line)
                // Greedy: each line but the last could not take the next character.
                #expect(parts.dropLast().allSatisfy { $0.utf8.count > 75 - 4 })
            }
        }
    }

    @Test func utcStampsAreBasicFormat() {
        #expect(ICalendarText.utcStamp(T.utc("2026-03-29T01:02:03Z")) == "20260329T010203Z")
        #expect(ICalendarText.utcStamp(Date(timeIntervalSince1970: -1)) == "19691231T235959Z")
    }

    // MARK: feed

    func feed(_ entries: [AvailabilityFeed.Entry], name: String = "Perceuse à percussion", language: Language = .fr) -> String {
        AvailabilityFeed.render(calendarName: name, entries: entries, domain: "pret.example.coop", language: language)
    }

    @Test func theFeedIsAPublishedGregorianCalendar() throws {
        let parsed = try Self.parse(feed([]))
        #expect(parsed.calendar["VERSION"] == "2.0")
        #expect(parsed.calendar["PRODID"] == AvailabilityFeed.productID)
        #expect(parsed.calendar["CALSCALE"] == "GREGORIAN")
        #expect(parsed.calendar["METHOD"] == "PUBLISH")
        #expect(parsed.calendar["X-WR-CALNAME"] == "Perceuse à percussion")
        #expect(parsed.events.isEmpty)
        #expect(feed([]).hasPrefix("BEGIN:VCALENDAR\r\nPRODID:"))
    }

    @Test func loansBecomeAllDayEventsWithAnExclusiveEnd() throws {
        let entries = [
            // Across the spring change, and across the autumn one, and a leap day at a year's turn.
            AvailabilityFeed.Entry(id: T.uuid(1), kind: .loan, period: try T.period("2026-03-28", "2026-03-30"),
                                   updatedAt: T.utc("2026-03-01T10:00:00Z")),
            AvailabilityFeed.Entry(id: T.uuid(2), kind: .loan, period: try T.period("2026-10-25", "2026-10-25"),
                                   updatedAt: T.utc("2026-10-01T10:00:00Z")),
            AvailabilityFeed.Entry(id: T.uuid(3), kind: .block, period: try T.period("2027-12-31", "2028-02-29"),
                                   updatedAt: T.utc("2027-12-01T10:00:00Z")),
        ]
        let parsed = try Self.parse(feed(entries.reversed()))
        #expect(parsed.events.count == 3)
        let first = parsed.events[0]
        #expect(first["UID"] == "loan-00000000-0000-4000-8000-000000000001@pret.example.coop")
        #expect(first["DTSTAMP"] == "20260301T100000Z")
        #expect(first["DTSTART;VALUE=DATE"] == "20260328")
        #expect(first["DTEND;VALUE=DATE"] == "20260331")
        #expect(first["SUMMARY"] == "Prêté")
        #expect(parsed.events[1]["DTSTART;VALUE=DATE"] == "20261025" && parsed.events[1]["DTEND;VALUE=DATE"] == "20261026")
        #expect(parsed.events[2]["DTSTART;VALUE=DATE"] == "20271231" && parsed.events[2]["DTEND;VALUE=DATE"] == "20280301")
        #expect(parsed.events[2]["SUMMARY"] == "Indisponible")
        #expect(Set(parsed.events.compactMap { $0["UID"] }).count == 3)
    }

    @Test func theFeedNamesNoBorrowerAndIsStableBetweenFetches() throws {
        var loan = try Loan.request(id: T.uuid(9), item: LendingItem(id: T.uuid(100), owner: T.uuid(1), title: "Tente",
                                                                      category: .leisureAndSport, description: "", condition: .good,
                                                                      depositCents: 0, maximumLoanDays: 7, pickup: .ownerHome),
                                    borrower: T.uuid(2), period: try T.period("2026-07-01", "2026-07-03"),
                                    now: T.utc("2026-06-01T08:00:00Z"))
        #expect(AvailabilityFeed.Entry(loan: loan) == nil)   // a request holds no day
        try loan.accept(by: .owner, at: T.utc("2026-06-02T08:00:00Z"))
        let entry = try #require(AvailabilityFeed.Entry(loan: loan))
        let text = feed([entry], language: .en)
        #expect(text == feed([entry], language: .en))
        #expect(!text.contains(T.uuid(2).uuidString.lowercased()) && !text.contains(T.uuid(2).uuidString))
        #expect(try Self.parse(text).events[0]["SUMMARY"] == "On loan")
        #expect(try Self.parse(text).events[0]["DTSTAMP"] == "20260602T080000Z")
    }

    @Test func aLongEscapedCalendarNameReadsBack() throws {
        let name = "Atelier « Les Outils, du Quartier » ; perceuses\\visseuses — édition spéciale été 2026 🔧🔧🔧 avec un nom vraiment très long"
        let text = feed([], name: name)
        #expect(try Self.parse(text).calendar["X-WR-CALNAME"] == name)
        #expect(text.contains("\r\n "))   // it was folded
    }
}
