import Foundation
@testable import MaillageCore
import Testing

/// Random requests for a few items over a season that spans both daylight-saving changes,
/// accepted in random order through two models: the storage contract's day claims (a set with a
/// unique (item, day) key, all days of a loan inserted at once or none) and the pure overlap
/// rule (`Loan.accept` with the item's accepted periods). They must accept exactly the same
/// loans, and what they accept must never overlap — in days, or in UTC instants. Seeded.
@Suite struct LendingPropertyTests {
    typealias T = LendingTest
    static let seeds: [UInt64] = Array(1...30)

    /// The unique key of `loan_days`, as the database applies it to one multi-row INSERT.
    struct DayClaims {
        var rows: [String: UUID] = [:]   // "item|day" → loan

        mutating func claim(item: UUID, loan: UUID, days: [LocalDate]) -> Bool {
            let keys = days.map { "\(item)|\($0.iso)" }
            guard Set(keys).count == keys.count, keys.allSatisfy({ rows[$0] == nil }) else { return false }
            for key in keys { rows[key] = loan }
            return true
        }

        mutating func release(loan: UUID) { rows = rows.filter { $0.value != loan } }
    }

    @Test(arguments: seeds)
    func dayClaimsAndTheOverlapRuleAgreeAndNeverDoubleBook(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let season = T.day("2026-03-01")
        let today = T.day("2026-02-20")
        let now = LocalZone.paris.instant(on: today, hour: 12)
        let owner = T.uuid(1)
        let items = (0..<3).map { n in
            LendingItem(id: T.uuid(100 + UInt64(n)), owner: owner, title: "Objet \(n)", category: .tools, description: "",
                        condition: .good, depositCents: 0, maximumLoanDays: 21, pickup: .ownerHome)
        }
        var claims = DayClaims()
        var accepted: [UUID: [Loan]] = [:]
        var requests: [Loan] = []
        for n in 0..<Int.random(in: 40...120, using: &random) {
            let item = items.randomElement(using: &random)!
            // Mostly inside the DST-spanning season (March–November), 1 to 21 days long.
            let first = season.adding(days: Int.random(in: 0...270, using: &random))!
            let period = try LoanPeriod(first: first, days: Int.random(in: 1...21, using: &random))
            requests.append(try Loan.request(id: T.uuid(10_000 + UInt64(n)), item: item, borrower: T.uuid(2),
                                             period: period, now: now))
        }
        requests.shuffle(using: &random)
        var outcomes = Set<Bool>()

        for var loan in requests {
            let others = accepted[loan.itemID, default: []]
            let byClaims = claims.claim(item: loan.itemID, loan: loan.id, days: loan.period.days)
            let byRule: Bool
            do {
                try loan.accept(by: .owner, at: now, taken: others.map(\.period))
                byRule = true
            } catch {
                #expect(error.code == "dates_taken")
                byRule = false
            }
            #expect(byClaims == byRule, "seed \(seed): \(loan.period) claims \(byClaims) rule \(byRule)")
            outcomes.insert(byRule)
            if byRule { accepted[loan.itemID, default: []].append(loan) }
            // Now and then the borrower cancels an accepted loan, which frees its days.
            if byRule && byClaims && Int.random(in: 0..<10, using: &random) == 0 {
                try loan.cancel(by: .borrower, at: now)
                claims.release(loan: loan.id)
                accepted[loan.itemID]?.removeAll { $0.id == loan.id }
            }
        }

        for (_, loans) in accepted {
            for (i, a) in loans.enumerated() {
                for b in loans[(i + 1)...] {
                    #expect(!a.period.overlaps(b.period))
                    #expect(!a.interval().overlaps(b.interval()), "UTC spans overlap: \(a.period) \(b.period)")
                }
                // A span lasts its days' real lengths: 23 h or 25 h on the change days.
                let span = a.interval()
                let expected = a.period.days.reduce(0.0) { sum, day in
                    let next = LocalZone.paris.start(of: day.adding(days: 1)!)
                    return sum + next.timeIntervalSince(LocalZone.paris.start(of: day))
                }
                #expect(span.upperBound.timeIntervalSince(span.lowerBound) == expected)
                #expect(loans.allSatisfy { $0.status == .accepted })
            }
        }
        #expect(outcomes == [true, false], "each run both accepts and refuses")
        // Every claimed day belongs to exactly one accepted loan, and every accepted day is claimed.
        let claimedCount = accepted.values.flatMap { $0 }.reduce(0) { $0 + $1.period.dayCount }
        #expect(claims.rows.count == claimedCount)
    }

    /// The pure overlap rule is day-set intersection, for any two periods.
    @Test(arguments: seeds)
    func overlapIsSharingADay(seed: UInt64) throws {
        var random = SplitMix64(seed: seed &* 7919)
        let origin = T.day("2028-02-15")   // around a leap day
        for _ in 0..<300 {
            let a = try LoanPeriod(first: origin.adding(days: Int.random(in: 0...30, using: &random))!,
                                   days: Int.random(in: 1...10, using: &random))
            let b = try LoanPeriod(first: origin.adding(days: Int.random(in: 0...30, using: &random))!,
                                   days: Int.random(in: 1...10, using: &random))
            let shared = !Set(a.days).isDisjoint(with: b.days)
            #expect(a.overlaps(b) == shared && b.overlaps(a) == shared)
            #expect(LocalZone.paris.interval(of: a).overlaps(LocalZone.paris.interval(of: b)) == shared)
        }
    }
}
