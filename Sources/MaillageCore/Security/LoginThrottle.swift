/// How many failed logins we tolerate before asking a person (or a robot) to wait.
public struct LoginThrottle: Sendable {
    public let windowSeconds: Int64
    public let maxFailuresPerAccount: Int
    public let maxFailuresPerAddress: Int

    public init(windowSeconds: Int64 = 15 * 60, maxFailuresPerAccount: Int = 5, maxFailuresPerAddress: Int = 30) {
        self.windowSeconds = windowSeconds
        self.maxFailuresPerAccount = maxFailuresPerAccount
        self.maxFailuresPerAddress = maxFailuresPerAddress
    }

    /// Refuses an attempt once either counter within the window has reached its limit.
    public func check(recentFailuresForAccount: Int, recentFailuresFromAddress: Int) throws(DomainError) {
        if recentFailuresForAccount >= maxFailuresPerAccount || recentFailuresFromAddress >= maxFailuresPerAddress {
            let minutes = windowSeconds / 60
            throw DomainError(.tooManyRequests, code: "too_many_attempts",
                              fr: "Trop de tentatives de connexion. Réessayez dans \(minutes) minutes.",
                              en: "Too many login attempts. Try again in \(minutes) minutes.")
        }
    }
}
