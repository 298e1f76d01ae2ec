import Foundation
@testable import MaillageCore
import Testing

/// Small builders shared by the lending and exchange tests.
enum LendingTest {
    static func day(_ iso: String) -> LocalDate {
        guard let date = LocalDate(iso: iso) else { fatalError("bad test date \(iso)") }
        return date
    }

    static func period(_ first: String, _ last: String) throws -> LoanPeriod {
        try LoanPeriod(first: day(first), last: day(last))
    }

    /// "2026-03-28T23:00:00Z" → Date.
    static func utc(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        guard let date = formatter.date(from: text) else { fatalError("bad test instant \(text)") }
        return date
    }

    static func uuid(_ n: UInt64) -> UUID {
        let hex = String(n, radix: 16)
        return UUID(uuidString: "00000000-0000-4000-8000-" + String(repeating: "0", count: 12 - hex.count) + hex)!
    }

    /// The code of the DomainError a closure throws, nil when it does not throw.
    static func code(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch let error as DomainError { return error.code } catch { return "\(error)" }
    }
}

@Suite struct LendingDatesTests {
    typealias T = LendingTest

    @Test func isoDatesReadOnlyRealDays() {
        #expect(LocalDate(iso: "2028-02-29") != nil)
        #expect(LocalDate(iso: "2026-02-29") == nil)
        #expect(LocalDate(iso: "2100-02-29") == nil)   // not a leap year
        #expect(LocalDate(iso: "2000-02-29") != nil)   // divisible by 400
        #expect(LocalDate(iso: "2026-13-01") == nil)
        #expect(LocalDate(iso: "2026-4-01") == nil)
        #expect(LocalDate(iso: "２０２６-04-01") == nil)
        #expect(LocalDate(iso: "") == nil)
        #expect(LocalDate(iso: "0000-01-01") == nil)
        #expect(T.day("2026-03-09").iso == "2026-03-09")
        #expect(T.day("0042-01-02").basic == "00420102")
    }

    @Test func dayArithmeticCrossesMonthsYearsAndLeapDays() {
        #expect(T.day("2026-12-31").adding(days: 1) == T.day("2027-01-01"))
        #expect(T.day("2027-01-01").adding(days: -1) == T.day("2026-12-31"))
        #expect(T.day("2028-02-28").adding(days: 1) == T.day("2028-02-29"))
        #expect(T.day("2028-02-29").adding(days: 1) == T.day("2028-03-01"))
        #expect(T.day("2027-02-28").adding(days: 1) == T.day("2027-03-01"))
        #expect(T.day("2026-01-01").days(to: T.day("2027-01-01")) == 365)
        #expect(T.day("2028-01-01").days(to: T.day("2029-01-01")) == 366)
        #expect(T.day("1970-01-01").daysSinceEpoch == 0)
        #expect(T.day("9999-12-31").adding(days: 1) == nil)
        #expect(T.day("0001-01-01").adding(days: -1) == nil)
        #expect(T.day("2026-01-01").adding(days: Int.max) == nil)
    }

    @Test func weekdaysFollowTheIsoWeek() {
        #expect(T.day("1970-01-01").weekday == 4)   // Thursday
        #expect(T.day("2026-03-29").weekday == 7)   // Sunday
        #expect(T.day("2026-03-30").weekday == 1)   // Monday
        #expect(T.day("1969-12-29").weekday == 1)   // before the epoch too
    }

    /// The integer calendar agrees with Foundation's Gregorian calendar on every day of 1900…2100.
    @Test func integerCalendarAgreesWithFoundation() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var date = T.day("1900-01-01")
        var instant = calendar.date(from: DateComponents(year: 1900, month: 1, day: 1))!
        while date.year <= 2100 {
            let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: instant)
            #expect(parts.year == date.year && parts.month == date.month && parts.day == date.day)
            #expect(((parts.weekday! + 5) % 7) + 1 == date.weekday)
            #expect(LocalDate(daysSinceEpoch: date.daysSinceEpoch) == date)
            guard parts.day == date.day else { return }
            date = date.adding(days: 1)!
            instant = calendar.date(byAdding: .day, value: 1, to: instant)!
        }
    }

    @Test func localDatesEncodeAsIsoText() throws {
        let data = try JSONEncoder().encode([T.day("2026-10-25")])
        #expect(String(decoding: data, as: UTF8.self) == "[\"2026-10-25\"]")
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([LocalDate].self, from: Data("[\"2026-02-30\"]".utf8)) }
        let period = try T.period("2026-03-28", "2026-03-30")
        #expect(try JSONDecoder().decode(LoanPeriod.self, from: JSONEncoder().encode(period)) == period)
        let reversed = Data(#"{"first":"2026-03-30","last":"2026-03-28"}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(LoanPeriod.self, from: reversed) }
    }

    // MARK: zone

    @Test func parisDaysStartAtLocalMidnightInUTC() {
        let paris = LocalZone.paris
        #expect(paris.start(of: T.day("2026-01-15")) == T.utc("2026-01-14T23:00:00Z"))   // CET, UTC+1
        #expect(paris.start(of: T.day("2026-07-14")) == T.utc("2026-07-13T22:00:00Z"))   // CEST, UTC+2
    }

    @Test func springForwardDayLastsTwentyThreeHours() throws {
        let paris = LocalZone.paris
        let span = paris.interval(of: try T.period("2026-03-29", "2026-03-29"))
        #expect(span.lowerBound == T.utc("2026-03-28T23:00:00Z"))
        #expect(span.upperBound == T.utc("2026-03-29T22:00:00Z"))
        #expect(span.upperBound.timeIntervalSince(span.lowerBound) == 23 * 3600)
    }

    @Test func fallBackDayLastsTwentyFiveHours() throws {
        let span = LocalZone.paris.interval(of: try T.period("2026-10-25", "2026-10-25"))
        #expect(span.lowerBound == T.utc("2026-10-24T22:00:00Z"))
        #expect(span.upperBound == T.utc("2026-10-25T23:00:00Z"))
        #expect(span.upperBound.timeIntervalSince(span.lowerBound) == 25 * 3600)
    }

    @Test func aWeekAcrossTheChangeIsOneHourShort() throws {
        let span = LocalZone.paris.interval(of: try T.period("2026-03-26", "2026-04-01"))
        #expect(span.upperBound.timeIntervalSince(span.lowerBound) == 7 * 86_400 - 3600)
    }

    @Test func instantsNearMidnightFallOnTheParisDay() {
        let paris = LocalZone.paris
        // 23:30 UTC on the 28th is 00:30 in Paris on the 29th (winter time).
        #expect(paris.localDate(at: T.utc("2026-03-28T23:30:00Z")) == T.day("2026-03-29"))
        #expect(paris.localDate(at: T.utc("2026-03-28T22:59:59Z")) == T.day("2026-03-28"))
        // 22:30 UTC on 25 October is 23:30 in Paris, still the 25th (winter time again).
        #expect(paris.localDate(at: T.utc("2026-10-25T22:30:00Z")) == T.day("2026-10-25"))
        #expect(paris.localDate(at: T.utc("2026-10-25T23:00:00Z")) == T.day("2026-10-26"))
        // The hour that happens twice (02:00–03:00 local) is the same day both times.
        #expect(paris.localDate(at: T.utc("2026-10-25T00:30:00Z")) == T.day("2026-10-25"))
        #expect(paris.localDate(at: T.utc("2026-10-25T01:30:00Z")) == T.day("2026-10-25"))
    }

    /// The zone is always the one given, whatever the server's: the same day in another zone is
    /// another span, and Paris spans stay those of Paris.
    @Test func theZoneIsExplicitNeverTheServers() throws {
        let kiritimati = try #require(LocalZone(identifier: "Pacific/Kiritimati"))   // UTC+14
        let utc = try #require(LocalZone(identifier: "UTC"))
        let date = T.day("2026-03-29")
        #expect(kiritimati.start(of: date) == T.utc("2026-03-28T10:00:00Z"))
        #expect(utc.start(of: date) == T.utc("2026-03-29T00:00:00Z"))
        #expect(LocalZone.paris.start(of: date) == T.utc("2026-03-28T23:00:00Z"))
        #expect(LocalZone(identifier: "Mars/Olympus_Mons") == nil)
    }

    @Test func wallClockTimesSkipTheSpringGap() {
        let paris = LocalZone.paris
        #expect(paris.instant(on: T.day("2026-03-30"), hour: 9) == T.utc("2026-03-30T07:00:00Z"))
        // 02:30 does not exist on 29 March; clocks read 03:30 at that instant.
        #expect(paris.instant(on: T.day("2026-03-29"), hour: 2, minute: 30) == T.utc("2026-03-29T01:30:00Z"))
        #expect(paris.minuteOfDay(at: T.utc("2026-03-29T01:30:00Z")) == 3 * 60 + 30)
    }

    // MARK: periods

    @Test func backToBackLoansDoNotOverlap() throws {
        let first = try T.period("2026-05-01", "2026-05-03")
        let next = try T.period("2026-05-04", "2026-05-06")
        #expect(!first.overlaps(next) && !next.overlaps(first))
        // Their UTC spans touch without sharing an instant.
        #expect(LocalZone.paris.interval(of: first).upperBound == LocalZone.paris.interval(of: next).lowerBound)
        #expect(!LocalZone.paris.interval(of: first).overlaps(LocalZone.paris.interval(of: next)))
    }

    @Test func sharingTheSameDayOverlaps() throws {
        let first = try T.period("2026-05-01", "2026-05-03")
        #expect(first.overlaps(try T.period("2026-05-03", "2026-05-05")))
        #expect(first.overlaps(try T.period("2026-04-20", "2026-05-01")))
        #expect(first.overlaps(try T.period("2026-05-02", "2026-05-02")))
        #expect(first.overlaps(try T.period("2026-04-01", "2026-06-01")))
        #expect(try T.period("2026-05-02", "2026-05-02").overlaps(try T.period("2026-05-02", "2026-05-02")))
    }

    @Test func periodsCountBothEnds() throws {
        #expect(try T.period("2026-05-01", "2026-05-01").dayCount == 1)
        #expect(try T.period("2028-02-28", "2028-03-01").days == [T.day("2028-02-28"), T.day("2028-02-29"), T.day("2028-03-01")])
        #expect(try T.period("2026-12-30", "2027-01-02").dayCount == 4)
        #expect(try LoanPeriod(first: T.day("2026-12-30"), days: 4).last == T.day("2027-01-02"))
        #expect(try T.period("2026-12-31", "2026-12-31").dayAfter == T.day("2027-01-01"))
    }

    @Test func malformedPeriodsAreRefused() {
        #expect(T.code { _ = try T.period("2026-05-03", "2026-05-01") } == "period_reversed")
        #expect(T.code { _ = try LoanPeriod(first: T.day("2026-05-03"), days: 0) } == "period_reversed")
        #expect(T.code { _ = try T.period("9999-12-30", "9999-12-31") } == "period_out_of_range")
        #expect(T.code { _ = try LoanPeriod(firstISO: "2026-02-30", lastISO: "2026-03-02") } == "invalid_date")
        #expect(T.code { _ = try LoanPeriod(firstISO: " 2026-03-01", lastISO: "2026-03-02 ") } == nil)
    }
}
