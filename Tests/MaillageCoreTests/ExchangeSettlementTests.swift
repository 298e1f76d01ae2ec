import Foundation
@testable import MaillageCore
import Testing

@Suite struct ExchangeSettlementTests {
    typealias T = LendingTest
    let alice = LendingTest.uuid(1), bruno = LendingTest.uuid(2), carole = LendingTest.uuid(3)
    let now = LendingTest.utc("2026-04-01T10:00:00Z")

    func accounts(_ bank: TimeBank) throws -> (alice: Account, bruno: Account) {
        (try bank.memberAccount(id: AccountID(T.uuid(11)), member: alice),
         try bank.memberAccount(id: AccountID(T.uuid(12)), member: bruno))
    }

    @Test func aServiceInHoursIsATimeBankTransferFromReceiverToGiver() throws {
        // Members may owe up to ten hours.
        let bank = try TimeBank(id: T.uuid(10), floor: .time(minutes: -600))
        let (giver, receiver) = try accounts(bank)
        let record = try ServiceSettlementRules.settleInHours(
            id: T.uuid(99), timeBank: bank, giver: giver, receiver: receiver, duration: .time(minutes: 90),
            description: "Taille de haie", doneOn: T.day("2026-04-01"), recordedBy: bruno, at: now)
        let transfer = try #require(record.settlement.transfer)
        #expect(transfer.debit == receiver.id && transfer.credit == giver.id)
        #expect(transfer.amount == .time(minutes: 90) && transfer.memo == "Taille de haie")
        #expect(transfer.idempotencyKey == "service:00000000-0000-4000-8000-000000000063")
        #expect(record.giver == alice && record.receiver == bruno && record.minutesGiven == 90)
        // The ledger accepts it as it stands.
        var ledger = Ledger()
        try ledger.open(giver)
        try ledger.open(receiver)
        _ = try ledger.post(transfer)
        #expect(try ledger.account(giver.id).postedBalance == .time(minutes: 90))
        #expect(try ledger.account(receiver.id).postedBalance == .time(minutes: -90))
    }

    @Test func onlyTheReceiverSettlesInHours() throws {
        let bank = try TimeBank()
        let (giver, receiver) = try accounts(bank)
        let error = #expect(throws: DomainError.self) {
            try ServiceSettlementRules.settleInHours(timeBank: bank, giver: giver, receiver: receiver, duration: .time(minutes: 60),
                                                     description: "Couture", doneOn: T.day("2026-03-30"), recordedBy: alice, at: now)
        }
        #expect(error?.kind == .forbidden && error?.code == "receiver_records_hours")
    }

    @Test func hoursNeedATimeBankMemberAccountsAndAPlausibleDuration() throws {
        let bank = try TimeBank()
        let (giver, receiver) = try accounts(bank)
        func settle(bank: TimeBank? = nil, giver g: Account? = nil, receiver r: Account? = nil, _ duration: Amount,
                    on day: String = "2026-04-01") -> String? {
            T.code {
                _ = try ServiceSettlementRules.settleInHours(timeBank: bank, giver: g ?? giver, receiver: r ?? receiver,
                                                             duration: duration, description: "Aide", doneOn: T.day(day),
                                                             recordedBy: bruno, at: now)
            }
        }
        #expect(settle(.time(minutes: 60)) == "no_time_bank")
        #expect(settle(bank: bank, .time(minutes: 0)) == "amount_not_positive")
        #expect(settle(bank: bank, .time(minutes: -30)) == "amount_not_positive")
        #expect(settle(bank: bank, .euros(cents: 1000)) == "unit_mismatch")
        #expect(settle(bank: bank, .time(minutes: 12 * 60)) == nil)
        #expect(settle(bank: bank, .time(minutes: 12 * 60 + 1)) == "service_too_long")
        #expect(settle(bank: bank, .time(minutes: 60), on: "2026-04-02") == "service_in_future")
        let euro = Account(owner: .member(alice), unit: .eur)
        #expect(settle(bank: bank, giver: euro, .time(minutes: 60)) == "not_time_bank_accounts")
        let system = Account(owner: .system, unit: .hour)
        #expect(settle(bank: bank, giver: system, .time(minutes: 60)) == "not_time_bank_accounts")
        let brunoAgain = try bank.memberAccount(member: bruno)
        #expect(settle(bank: bank, giver: brunoAgain, .time(minutes: 60)) == "service_to_oneself")
    }

    /// 23:30 on 1 April in Paris is 21:30 UTC: the service done "today" is still 1 April.
    @Test func theDayOfAServiceIsTheParisDay() throws {
        let late = T.utc("2026-04-01T22:30:00Z")   // already 2 April in Paris
        let record = try ServiceSettlementRules.markFreeHelp(giver: alice, receiver: bruno, description: "Courses",
                                                             doneOn: T.day("2026-04-02"), recordedBy: alice, at: late)
        #expect(record.settlement == .freeHelp && record.minutesGiven == 0)
        #expect(T.code {
            _ = try ServiceSettlementRules.markFreeHelp(giver: alice, receiver: bruno, description: "Courses",
                                                        doneOn: T.day("2026-04-02"), recordedBy: alice, at: T.utc("2026-04-01T21:30:00Z"))
        } == "service_in_future")
    }

    @Test func freeHelpIsRecordedByEitherSideOnly() {
        func mark(by member: UUID, giver: UUID? = nil) -> String? {
            T.code {
                _ = try ServiceSettlementRules.markFreeHelp(giver: giver ?? alice, receiver: bruno, description: "Bricolage",
                                                            doneOn: T.day("2026-03-31"), recordedBy: member, at: now)
            }
        }
        #expect(mark(by: alice) == nil && mark(by: bruno) == nil)
        #expect(mark(by: carole) == "not_your_service")
        #expect(mark(by: bruno, giver: bruno) == "service_to_oneself")
        #expect(T.code {
            _ = try ServiceSettlementRules.markFreeHelp(giver: alice, receiver: bruno, description: " ",
                                                        doneOn: T.day("2026-03-31"), recordedBy: alice, at: now)
        } == "missing_field")
    }

    // MARK: impact

    @Test func impactCountsReturnedLoansServicesAndHours() throws {
        let bank = try TimeBank()
        let (giver, receiver) = try accounts(bank)
        let item = LendingItem(owner: alice, title: "Perceuse", category: .tools, description: "", condition: .good,
                               depositCents: 0, maximumLoanDays: 7, pickup: .ownerHome)
        func loan(_ first: String, returnAt: String?) throws -> Loan {
            var loan = try Loan.request(item: item, borrower: bruno, period: try T.period(first, first), now: T.utc("2026-01-01T10:00:00Z"))
            try loan.accept(by: .owner, at: T.utc("2026-01-01T11:00:00Z"))
            guard let returnAt else { return loan }
            let start = LocalZone.paris.start(of: T.day(first)).addingTimeInterval(3600)
            try loan.confirmHandover(by: .owner, at: start)
            try loan.confirmHandover(by: .borrower, at: start)
            try loan.confirmReturn(by: .owner, at: T.utc(returnAt))
            try loan.confirmReturn(by: .borrower, at: T.utc(returnAt))
            return loan
        }
        let loans = [try loan("2026-02-01", returnAt: "2026-02-01T18:00:00Z"), try loan("2026-03-01", returnAt: "2026-03-01T18:00:00Z"),
                     try loan("2026-04-01", returnAt: nil)]
        let hours = [90, 45].map { minutes in
            try! ServiceSettlementRules.settleInHours(timeBank: bank, giver: giver, receiver: receiver, duration: .time(minutes: Int64(minutes)),
                                                      description: "Aide", doneOn: T.day("2026-03-15"), recordedBy: bruno,
                                                      at: T.utc("2026-03-15T10:00:00Z"))
        }
        let free = try ServiceSettlementRules.markFreeHelp(giver: alice, receiver: bruno, description: "Courses",
                                                           doneOn: T.day("2026-01-10"), recordedBy: alice, at: T.utc("2026-01-10T10:00:00Z"))
        let all = try NeighbourhoodImpact(loans: loans, services: hours + [free])
        #expect(all.loansCompleted == 2 && all.servicesExchanged == 3 && all.freeHelp == 1)
        #expect(all.hoursGiven == .time(minutes: 135))
        #expect(all.hoursGiven.formatted(.fr) == "2\u{00A0}h\u{00A0}15")
        // March 2026 in Paris only.
        let march = LocalZone.paris.interval(of: try T.period("2026-03-01", "2026-03-31"))
        let inMarch = try NeighbourhoodImpact(loans: loans, services: hours + [free], period: march)
        #expect(inMarch.loansCompleted == 1 && inMarch.servicesExchanged == 2 && inMarch.freeHelp == 0)
        #expect(try NeighbourhoodImpact(loans: [], services: []).hoursGiven == .zero(.hour))
    }
}
