/// Sign-ups from one address within an hour: past the limit, the next waits. Accounts are
/// cheap to make and each one may ask to join a cooperative; one address making hundreds is a
/// script, not a neighbourhood. `limit` 0 means no limit (an instance's own load tests).
public struct SignUpThrottle: Sendable {
    public let windowSeconds: Int64
    public let limit: Int

    public init(windowSeconds: Int64 = 3_600, limit: Int = 10) {
        self.windowSeconds = windowSeconds
        self.limit = limit
    }

    public func check(recentSignUpsFromAddress: Int) throws(DomainError) {
        guard limit > 0, recentSignUpsFromAddress >= limit else { return }
        throw DomainError(.tooManyRequests, code: "too_many_sign_ups",
                          fr: "Trop de comptes créés depuis cette adresse. Réessayez dans une heure.",
                          en: "Too many accounts created from this address. Try again in an hour.")
    }
}
