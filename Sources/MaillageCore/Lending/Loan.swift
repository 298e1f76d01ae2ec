import Foundation

/// Where a loan stands. Overdue is not a status: it is read from the clock
/// (`Loan.isOverdue(at:)`), so no job has to flip it and no row can disagree with the time.
public enum LoanStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case requested, accepted, declined, cancelled
    case handedOver = "handed_over"
    case returned

    /// The loan holds its days: they are claimed in `loan_days` and shown as booked.
    public var holdsDays: Bool { self == .accepted || self == .handedOver }
    /// Nothing more can happen to it, except reviews after a return.
    public var isFinal: Bool { self == .declined || self == .cancelled || self == .returned }

    public var label: Localized {
        switch self {
        case .requested: Localized(fr: "demandé", en: "requested")
        case .accepted: Localized(fr: "accepté", en: "accepted")
        case .declined: Localized(fr: "refusé", en: "declined")
        case .cancelled: Localized(fr: "annulé", en: "cancelled")
        case .handedOver: Localized(fr: "remis à l’emprunteur", en: "handed over")
        case .returned: Localized(fr: "rendu", en: "returned")
        }
    }
}

/// Who acts on a loan. Staff act for the cooperative: they may accept or decline on the owner's
/// behalf (items left at the showcase), confirm a handover or return done at the showcase (as
/// the owner's side), and cancel a loan that cannot happen.
public enum LoanActor: String, Sendable, Hashable, Codable {
    case owner, borrower, staff
}

/// The two people of a loan, who each confirm the handover and the return, and each may review.
public enum LoanSide: String, Sendable, Hashable, Codable, CaseIterable {
    case owner, borrower
}

/// When each side confirmed a handover (or a return). Complete when both have.
public struct BothSides: Sendable, Hashable, Codable {
    public internal(set) var owner: Date?
    public internal(set) var borrower: Date?

    public init(owner: Date? = nil, borrower: Date? = nil) {
        self.owner = owner
        self.borrower = borrower
    }

    public var isComplete: Bool { owner != nil && borrower != nil }
    /// When the second confirmation came: the moment the handover (or return) is done.
    public var completedAt: Date? {
        guard let owner, let borrower else { return nil }
        return max(owner, borrower)
    }
    public subscript(side: LoanSide) -> Date? { side == .owner ? owner : borrower }
}

/// One loan of one item to one borrower, and everything that happened to it. A value: the app
/// loads it, calls a transition, and stores the returned `LoanEvent` with the new status under
/// the conditional update of `LendingStorageContract`.
public struct Loan: Sendable, Hashable, Codable, Identifiable {
    public let id: UUID
    public let itemID: UUID
    public let owner: UUID
    public let borrower: UUID
    public let period: LoanPeriod
    public let requestedAt: Date
    public internal(set) var status: LoanStatus
    /// When the owner (or staff) accepted or declined.
    public internal(set) var decidedAt: Date?
    public internal(set) var cancelledAt: Date?
    public internal(set) var cancelledBy: LoanActor?
    public internal(set) var handover: BothSides
    public internal(set) var giveBack: BothSides
    public internal(set) var ownerReview: LoanReview?
    public internal(set) var borrowerReview: LoanReview?

    /// Rebuilds a loan from stored columns; new loans come from `Loan.request`.
    public init(id: UUID, itemID: UUID, owner: UUID, borrower: UUID, period: LoanPeriod, requestedAt: Date,
                status: LoanStatus = .requested, decidedAt: Date? = nil, cancelledAt: Date? = nil,
                cancelledBy: LoanActor? = nil, handover: BothSides = BothSides(), giveBack: BothSides = BothSides(),
                ownerReview: LoanReview? = nil, borrowerReview: LoanReview? = nil) {
        self.id = id
        self.itemID = itemID
        self.owner = owner
        self.borrower = borrower
        self.period = period
        self.requestedAt = requestedAt
        self.status = status
        self.decidedAt = decidedAt
        self.cancelledAt = cancelledAt
        self.cancelledBy = cancelledBy
        self.handover = handover
        self.giveBack = giveBack
        self.ownerReview = ownerReview
        self.borrowerReview = borrowerReview
    }

    /// The role a member plays on this loan; nil for a stranger to it (answer 403).
    public func actor(member: UUID, isStaff: Bool) -> LoanActor? {
        if member == owner { return .owner }
        if member == borrower { return .borrower }
        return isStaff ? .staff : nil
    }

    /// The half-open UTC span the loan covers (see `LoanPeriod`).
    public func interval(in zone: LocalZone = .paris) -> Range<Date> { zone.interval(of: period) }

    /// Handed over and not returned once the last day is over in the territory's zone.
    public func isOverdue(at now: Date, zone: LocalZone = .paris) -> Bool {
        status == .handedOver && now >= zone.start(of: period.dayAfter)
    }

    /// A request nobody answered before its first day: it can no longer be accepted.
    public func isStale(at now: Date, zone: LocalZone = .paris) -> Bool {
        status == .requested && zone.localDate(at: now) > period.first
    }

    /// Whole days late at `now` (0 when not overdue): 1 on the day after the last day.
    public func daysLate(at now: Date, zone: LocalZone = .paris) -> Int {
        guard isOverdue(at: now, zone: zone) else { return 0 }
        return period.last.days(to: zone.localDate(at: now))
    }
}

/// What happened, to append to the loan's history (DESIGN: state changes are append-only).
public struct LoanEvent: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case requested, accepted, declined, cancelled
        case handoverConfirmed = "handover_confirmed"
        case returnConfirmed = "return_confirmed"
        case reviewed
    }

    public let loanID: UUID
    public let kind: Kind
    public let actor: LoanActor
    public let at: Date

    /// Built by the transitions; the app builds one for a request, a review, or to store the
    /// status a concurrent confirmation left (`LendingStorageContract` step 5).
    public init(loanID: UUID, kind: Kind, actor: LoanActor, at: Date, statusAfter: LoanStatus) {
        self.loanID = loanID
        self.kind = kind
        self.actor = actor
        self.at = at
        self.statusAfter = statusAfter
    }
    /// The loan's status once this event is applied; differs from the one before when the
    /// second confirmation completes a handover or a return.
    public let statusAfter: LoanStatus
}
