import Foundation
import MaillageCore
import Testing

@Suite struct OutboxRetryTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func theWaitDoublesUpToAnHour() {
        let retry = OutboxRetry.standard
        #expect([1, 2, 3, 4].map { retry.wait(afterAttempts: $0) } == [30, 60, 120, 240])
        #expect(retry.wait(afterAttempts: 8) == 3_600)
        #expect(retry.wait(afterAttempts: 1_000) == 3_600, "no overflow however many attempts")
    }

    @Test func aMessageIsGivenUpOnlyWhenTheNextTryWouldBeTooLate() {
        let retry = OutboxRetry(firstWait: 30, longestWait: 3_600, giveUpAfter: 48 * 3_600)
        let early = start.addingTimeInterval(60)
        #expect(retry.afterTransientFailure(attempts: 2, createdAt: start, now: early) == .retry(at: early.addingTimeInterval(60)))
        let late = start.addingTimeInterval(47.5 * 3_600)
        #expect(retry.afterTransientFailure(attempts: 30, createdAt: start, now: late) == .giveUp)
    }
}
