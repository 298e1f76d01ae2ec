import Foundation

/// What a member fills in to put a question to the vote, before it is stored.
public struct ProposalDraft: Sendable, Hashable {
    public var title: String
    public var body: String
    public var method: TallyMethod
    public var options: [String]
    public var opensAt: Date
    public var closesAt: Date
    public var secret: Bool
    /// Share of the electorate that must take part, "0" for none, e.g. "1/4".
    public var quorum: String
    public var majority: RequiredMajority
    public var weightedByCollege: Bool

    public init(title: String, body: String, method: TallyMethod, options: [String], opensAt: Date, closesAt: Date,
                secret: Bool = false, quorum: String = "0", majority: RequiredMajority = .simple, weightedByCollege: Bool = false) {
        self.title = title
        self.body = body
        self.method = method
        self.options = options
        self.opensAt = opensAt
        self.closesAt = closesAt
        self.secret = secret
        self.quorum = quorum
        self.majority = majority
        self.weightedByCollege = weightedByCollege
    }

    /// Grades of the majority judgment scale used on the platform ("À rejeter" … "Excellent").
    public static let grades = 7
    public static let maximumOptions = 30

    /// The fewest options a method needs; nil when it asks one question and takes none (consent).
    public static func minimumOptions(for method: TallyMethod) -> Int? {
        switch method {
        case .consent: nil
        case .approval, .meetingTime: 1
        case .majorityJudgment, .schulze, .singleChoice: 2
        }
    }

    /// Checks every field; returns the cleaned draft or every problem at once.
    public func validated(now: Date) throws -> ProposalDraft {
        var errors = ValidationErrors()
        var clean = self
        do { clean.title = try Validate.text(title, field: "title", label: Localized(fr: "Titre", en: "Title"), range: 3...TextLimits.title) } catch { errors.add(error) }
        do { clean.body = try Validate.text(body, field: "body", label: Localized(fr: "Texte", en: "Text"), range: 0...TextLimits.body) } catch { errors.add(error) }
        clean.options = options.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        if let minimum = Self.minimumOptions(for: method) {
            if clean.options.count < minimum || clean.options.count > Self.maximumOptions {
                errors.add(DomainError(.invalid, code: "invalid_options", field: "options",
                                       fr: "Indiquez entre \(minimum) et \(Self.maximumOptions) options, une par ligne.",
                                       en: "Give between \(minimum) and \(Self.maximumOptions) options, one per line."))
            } else if Set(clean.options).count != clean.options.count {
                errors.add(DomainError(.invalid, code: "duplicate_option", field: "options",
                                       fr: "Deux options portent le même texte.", en: "Two options have the same text."))
            } else if clean.options.contains(where: { $0.count > TextLimits.title }) {
                errors.add(DomainError(.invalid, code: "option_too_long", field: "options",
                                       fr: "Une option ne peut dépasser 200 caractères.", en: "An option cannot exceed 200 characters."))
            }
        } else {
            clean.options = [] // consent asks one question: agree, abstain, disagree or block
        }
        if closesAt <= now {
            errors.add(DomainError(.invalid, code: "closes_in_the_past", field: "closes_at",
                                   fr: "La date de clôture est déjà passée.", en: "The closing date has already passed."))
        } else if closesAt <= opensAt {
            errors.add(DomainError(.invalid, code: "closes_before_opening", field: "closes_at",
                                   fr: "La clôture doit suivre l’ouverture.", en: "The vote must close after it opens."))
        }
        if quorum != "0" && quorum != "" {
            do { _ = try Fraction(parsing: quorum) } catch {
                errors.add(DomainError(.invalid, code: "invalid_quorum", field: "quorum",
                                       fr: "Le quorum s’écrit comme une fraction, par exemple 1/4.", en: "Write the quorum as a fraction, e.g. 1/4."))
            }
        } else {
            clean.quorum = "0"
        }
        if secret && method == .meetingTime {
            errors.add(DomainError(.invalid, code: "secret_meeting_time", field: "secret",
                                   fr: "Un sondage de date ne se fait pas à bulletin secret.", en: "A meeting-time poll cannot be secret."))
        }
        try errors.throwIfAny()
        return clean
    }
}

/// The state of a vote at a given moment.
public enum ProposalPhase: String, Sendable, Hashable, Codable, CaseIterable {
    /// Proposed by a member, waiting for the board to open it.
    case proposed
    case scheduled, open, closed
    /// Stopped by the board before it closed, with a reason: nothing is counted.
    case cancelled

    public static func at(_ now: Date, opensAt: Date, closesAt: Date, closed: Bool) -> ProposalPhase {
        VoteSchedule(opensAt: opensAt, closesAt: closesAt, closedAt: closed ? .distantPast : nil).phase(at: now)
    }

    public var label: Localized {
        switch self {
        case .proposed: Localized(fr: "Proposé, en attente du conseil", en: "Proposed, waiting for the board")
        case .scheduled: Localized(fr: "À venir", en: "Upcoming")
        case .open: Localized(fr: "Vote ouvert", en: "Open")
        case .closed: Localized(fr: "Clos", en: "Closed")
        case .cancelled: Localized(fr: "Annulé", en: "Cancelled")
        }
    }
}

/// A vote's times, and the one comparison with the clock that says where it stands. Every page
/// and API answer reads both the state and the times it shows from here, so a vote said
/// « Clos » never shows a closing time still to come.
public struct VoteSchedule: Sendable, Hashable {
    public let opensAt: Date
    /// The planned close: past it, no ballot is taken, even before the count.
    public let closesAt: Date
    /// When the count was made (normally just after `closesAt`; earlier only if it was closed by hand).
    public let closedAt: Date?
    public let cancelledAt: Date?
    public let awaitingBoard: Bool

    public init(opensAt: Date, closesAt: Date, closedAt: Date? = nil, cancelledAt: Date? = nil, awaitingBoard: Bool = false) {
        self.opensAt = opensAt
        self.closesAt = closesAt
        self.closedAt = closedAt
        self.cancelledAt = cancelledAt
        self.awaitingBoard = awaitingBoard
    }

    public func phase(at now: Date) -> ProposalPhase {
        if cancelledAt != nil { return .cancelled }
        if awaitingBoard { return .proposed }
        // Past its closing time a vote takes no ballot, even before the job has counted it.
        if now >= endsAt { return .closed }
        return now >= opensAt ? .open : .scheduled
    }

    /// The moment the vote stops taking ballots: the planned close, or the earlier moment it was
    /// closed or cancelled. The time a page shows as the end is this one, never another.
    public var endsAt: Date {
        [closesAt, closedAt, cancelledAt].compactMap { $0 }.min() ?? closesAt
    }

    /// Whether the board may still change the question: nothing is fixed until the electorate
    /// is taken at opening.
    public func isEditable(at now: Date, electorateTaken: Bool) -> Bool {
        let phase = phase(at: now)
        return !electorateTaken && (phase == .scheduled || phase == .proposed)
    }

    /// Whether the board may still cancel it: until it closes.
    public func isCancellable(at now: Date) -> Bool {
        let phase = phase(at: now)
        return phase == .proposed || phase == .scheduled || phase == .open
    }
}

/// Who takes part, as members read it: before opening, the members who would vote if it opened
/// now (the electorate is fixed at opening); from opening, who voted out of that electorate.
public enum Participation: Sendable, Hashable {
    case beforeOpening(eligibleNow: Int)
    case counted(voted: Int, electorate: Int)

    public static func of(electorateTaken: Bool, eligibleNow: Int, electorate: Int, voted: Int) -> Participation {
        electorateTaken ? .counted(voted: voted, electorate: electorate) : .beforeOpening(eligibleNow: eligibleNow)
    }

    /// The members who vote (fixed), or who would vote today (not yet fixed).
    public var electorate: Int {
        switch self {
        case .beforeOpening(let eligible): eligible
        case .counted(_, let electorate): electorate
        }
    }

    public var voted: Int {
        if case .counted(let voted, _) = self { return voted }
        return 0
    }

    public var isFixed: Bool {
        if case .counted = self { return true }
        return false
    }

    public var sentence: Localized {
        switch self {
        case .beforeOpening(let eligible):
            Localized(fr: "Pourront voter les sociétaires actifs à l’ouverture (\(eligible) aujourd’hui) ; la liste est arrêtée à l’ouverture.",
                      en: "Members in good standing when it opens will vote (\(eligible) today); the list is fixed at opening.")
        case .counted(let voted, let electorate):
            Localized(fr: "Participation : \(voted) sur \(electorate) sociétaires.", en: "Turnout: \(voted) of \(electorate) members.")
        }
    }
}
