import Foundation

/// When an outgoing message is tried again, and when the outbox stops trying.
///
/// The wait doubles after each failed attempt (30 s, 1 min, 2 min… up to an hour), so a server
/// that is down for an afternoon is not hammered, and a message is given up only after
/// `giveUpAfter` (two days by default: a mail that late is shown to the operators instead).
public struct OutboxRetry: Sendable, Equatable {
    public var firstWait: TimeInterval
    public var longestWait: TimeInterval
    public var giveUpAfter: TimeInterval

    public init(firstWait: TimeInterval = 30, longestWait: TimeInterval = 3_600, giveUpAfter: TimeInterval = 48 * 3_600) {
        self.firstWait = firstWait
        self.longestWait = longestWait
        self.giveUpAfter = giveUpAfter
    }

    public static let standard = OutboxRetry()

    /// The wait after `attempts` failed attempts (1 = the first failure).
    public func wait(afterAttempts attempts: Int) -> TimeInterval {
        let doublings = max(0, min(attempts - 1, 20))
        return min(longestWait, firstWait * pow(2, Double(doublings)))
    }

    public enum Decision: Sendable, Equatable {
        case retry(at: Date)
        case giveUp
    }

    /// After a transient failure: the next attempt, or giving up when it would come too late.
    public func afterTransientFailure(attempts: Int, createdAt: Date, now: Date) -> Decision {
        let next = now.addingTimeInterval(wait(afterAttempts: attempts))
        return next.timeIntervalSince(createdAt) > giveUpAfter ? .giveUp : .retry(at: next)
    }
}
