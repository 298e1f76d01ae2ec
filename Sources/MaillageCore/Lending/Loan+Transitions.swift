import Foundation

/// The loan's life: requested → accepted | declined | cancelled; accepted → handed over (both
/// confirm) → returned (both confirm); reviews after the return. Each transition checks who
/// acts and from which status, changes the loan and returns the event to store; a refusal is a
/// `forbidden` (wrong person) or `conflict` (wrong moment) `DomainError`.
///
/// Confirming twice is harmless: the second call changes nothing and returns nil (nothing to
/// store), so a double-click or a retried request never fails.
extension Loan {
    /// A borrower asks for dates. Checks the dates (`BookingRules.checkRequest`) and that they are
    /// free of accepted loans and blocked days.
    public static func request(id: UUID = UUID(), item: LendingItem, borrower: UUID, period: LoanPeriod,
                               taken: [LoanPeriod] = [], blocked: [LoanPeriod] = [],
                               now: Date, zone: LocalZone = .paris) throws(DomainError) -> Loan {
        guard borrower != item.owner else { throw .ownItem }
        try BookingRules.checkRequest(period, for: item, now: now, zone: zone)
        try BookingRules.checkFree(period, taken: taken, blocked: blocked)
        return Loan(id: id, itemID: item.id, owner: item.owner, borrower: borrower, period: period, requestedAt: now)
    }

    /// The owner (or staff) accepts. `taken` holds the periods of the item's *other* accepted or
    /// handed-over loans and `blocked` its blocked periods, as last read; the claim of `loan_days`
    /// in the same transaction is what settles a race (`LendingStorageContract`).
    @discardableResult
    public mutating func accept(by actor: LoanActor, at now: Date, taken: [LoanPeriod] = [], blocked: [LoanPeriod] = [],
                                zone: LocalZone = .paris) throws(DomainError) -> LoanEvent {
        guard actor != .borrower else { throw .notYours(.accept) }
        guard status == .requested else { throw .wrongStatus(status, for: .accept) }
        guard zone.localDate(at: now) <= period.first else { throw .requestStale }
        try BookingRules.checkFree(period, taken: taken, blocked: blocked)
        status = .accepted
        decidedAt = now
        return event(.accepted, actor, now)
    }

    @discardableResult
    public mutating func decline(by actor: LoanActor, at now: Date) throws(DomainError) -> LoanEvent {
        guard actor != .borrower else { throw .notYours(.decline) }
        guard status == .requested else { throw .wrongStatus(status, for: .decline) }
        status = .declined
        decidedAt = now
        return event(.declined, actor, now)
    }

    /// The borrower withdraws a request or an accepted loan; once accepted, the owner may also
    /// cancel (the drill broke); staff may cancel either. The owner answers a request by
    /// declining it, not cancelling. After the handover, only a return ends the loan.
    @discardableResult
    public mutating func cancel(by actor: LoanActor, at now: Date) throws(DomainError) -> LoanEvent {
        switch (status, actor) {
        case (.requested, .owner): throw .declineInstead
        case (.requested, _), (.accepted, _): break
        default: throw .wrongStatus(status, for: .cancel)
        }
        status = .cancelled
        cancelledAt = now
        cancelledBy = actor
        return event(.cancelled, actor, now)
    }

    /// One side confirms the item changed hands. From the first day's start (not before: the
    /// previous borrower may have it until the evening before) until the end of the last day;
    /// the second confirmation makes the loan handed over.
    @discardableResult
    public mutating func confirmHandover(by actor: LoanActor, at now: Date, zone: LocalZone = .paris) throws(DomainError) -> LoanEvent? {
        let side = Self.side(of: actor)
        if status == .accepted || status == .handedOver, handover[side] != nil { return nil }
        guard status == .accepted else { throw .wrongStatus(status, for: .handover) }
        let span = zone.interval(of: period)
        guard now >= span.lowerBound else { throw .handoverTooEarly(period.first) }
        guard now < span.upperBound else { throw .handoverTooLate }
        if side == .owner { handover.owner = now } else { handover.borrower = now }
        if handover.isComplete { status = .handedOver }
        return event(.handoverConfirmed, actor, now)
    }

    /// One side confirms the item came back, at any time after the handover (early returns
    /// included); the second confirmation makes the loan returned.
    @discardableResult
    public mutating func confirmReturn(by actor: LoanActor, at now: Date) throws(DomainError) -> LoanEvent? {
        let side = Self.side(of: actor)
        if status == .handedOver || status == .returned, giveBack[side] != nil { return nil }
        guard status == .handedOver else { throw .wrongStatus(status, for: .giveBack) }
        if side == .owner { giveBack.owner = now } else { giveBack.borrower = now }
        if giveBack.isComplete { status = .returned }
        return event(.returnConfirmed, actor, now)
    }

    /// Leaves this side's one review, after the return. The owner reviews the borrower and the
    /// borrower the item and its owner; staff write none.
    @discardableResult
    public mutating func review(by actor: LoanActor, rating: Int, text: String, at now: Date) throws(DomainError) -> LoanReview {
        guard actor != .staff else { throw .notYours(.review) }
        guard status == .returned else { throw .wrongStatus(status, for: .review) }
        let side: LoanSide = actor == .owner ? .owner : .borrower
        guard (side == .owner ? ownerReview : borrowerReview) == nil else { throw .alreadyReviewed }
        let review = try LoanReview(loanID: id, author: side, rating: rating, text: text, at: now)
        if side == .owner { ownerReview = review } else { borrowerReview = review }
        return review
    }

    /// Staff confirm for the owner's side: they hold showcase items on the owner's behalf.
    static func side(of actor: LoanActor) -> LoanSide { actor == .borrower ? .borrower : .owner }

    func event(_ kind: LoanEvent.Kind, _ actor: LoanActor, _ at: Date) -> LoanEvent {
        LoanEvent(loanID: id, kind: kind, actor: actor, at: at, statusAfter: status)
    }
}

/// What one side says about the other after a loan: 1 to 5 stars and a few words.
public struct LoanReview: Sendable, Hashable, Codable {
    public static let ratings = 1...5
    public static let textLimit = 500

    public let loanID: UUID
    public let author: LoanSide
    public let rating: Int
    public let text: String
    public let at: Date

    public init(loanID: UUID, author: LoanSide, rating: Int, text: String, at: Date) throws(DomainError) {
        guard Self.ratings.contains(rating) else { throw .invalidRating }
        let clean = text.trimmingCharacters(in: .whitespacesAndNewlines)
        // Counted in Unicode scalars, as SQL `length()` counts, so the CHECK never disagrees.
        guard clean.unicodeScalars.count <= Self.textLimit else { throw .reviewTooLong(Self.textLimit) }
        self.loanID = loanID
        self.author = author
        self.rating = rating
        self.text = clean
        self.at = at
    }
}
