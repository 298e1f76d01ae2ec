import Foundation

/// How a service done between neighbours is settled.
public enum ServiceSettlement: Sendable, Hashable, Codable {
    /// In hours through the cooperative's time bank: the transfer to post on the ledger.
    case hours(Transfer)
    /// Free help, counted in the observatory but moving nothing.
    case freeHelp

    public var transfer: Transfer? {
        if case .hours(let transfer) = self { transfer } else { nil }
    }
}

/// A service one member did for another, as recorded once done.
public struct ServiceRecord: Sendable, Hashable, Codable, Identifiable {
    public let id: UUID
    /// The offer or want it answered, if any.
    public let offerWantID: UUID?
    public let giver: UUID
    public let receiver: UUID
    public let description: String
    public let doneOn: LocalDate
    public let settlement: ServiceSettlement
    public let recordedAt: Date
    /// Who recorded it (the receiver for hours; either side for free help).
    public let recordedBy: UUID

    /// Rebuilds a record from stored columns; new records come from `ServiceSettlementRules`.
    public init(id: UUID, offerWantID: UUID?, giver: UUID, receiver: UUID, description: String, doneOn: LocalDate,
                settlement: ServiceSettlement, recordedAt: Date, recordedBy: UUID) {
        self.id = id
        self.offerWantID = offerWantID
        self.giver = giver
        self.receiver = receiver
        self.description = description
        self.doneOn = doneOn
        self.settlement = settlement
        self.recordedAt = recordedAt
        self.recordedBy = recordedBy
    }

    /// Time given, in minutes; zero for free help (its time is not measured).
    public var minutesGiven: Int64 { settlement.transfer?.amount.minorUnits ?? 0 }
}

/// The rules of settling a service. One hour given is one hour received (`TimeBank`), so it is
/// the receiver — who pays — who records a service in hours; free help may be recorded by either.
public enum ServiceSettlementRules {
    /// A single service of more than a day is several services.
    public static let longestServiceMinutes: Int64 = 12 * 60
    public static let descriptionLength = 3...200

    /// Records a service paid in hours: `duration` (in `HOUR`, minutes) moves from the receiver's
    /// time-bank account to the giver's. The idempotency key is the record's id, so a retried
    /// form never pays twice. `timeBank` is nil when the cooperative runs none.
    public static func settleInHours(id: UUID = UUID(), offerWantID: UUID? = nil, timeBank: TimeBank?,
                                     giver: Account, receiver: Account, duration: Amount, description: String,
                                     doneOn: LocalDate, recordedBy: UUID, at now: Date,
                                     zone: LocalZone = .paris) throws(DomainError) -> ServiceRecord {
        guard let timeBank else { throw .noTimeBank }
        guard case .member(let giverMember) = giver.owner, case .member(let receiverMember) = receiver.owner,
              giver.unit == .hour, receiver.unit == .hour else { throw .notTimeBankAccounts }
        guard giverMember != receiverMember else { throw .serviceToOneself }
        guard recordedBy == receiverMember else { throw .receiverRecordsHours }
        // The unit and a positive duration are the time bank's to check (`TimeBank.service`).
        if duration.unit == .hour && duration.minorUnits > longestServiceMinutes {
            throw .serviceTooLong(longestServiceMinutes)
        }
        let memo = try checkedDescription(description)
        try checkDay(doneOn, now: now, zone: zone)
        let transfer = try timeBank.service(given: giver.id, to: receiver.id, duration: duration, description: memo,
                                            time: now, idempotencyKey: "service:\(id.uuidString.lowercased())")
        return ServiceRecord(id: id, offerWantID: offerWantID, giver: giverMember, receiver: receiverMember,
                             description: memo, doneOn: doneOn, settlement: .hours(transfer), recordedAt: now,
                             recordedBy: recordedBy)
    }

    /// Records free help. Either the giver or the receiver may record it.
    public static func markFreeHelp(id: UUID = UUID(), offerWantID: UUID? = nil, giver: UUID, receiver: UUID,
                                    description: String, doneOn: LocalDate, recordedBy: UUID, at now: Date,
                                    zone: LocalZone = .paris) throws(DomainError) -> ServiceRecord {
        guard giver != receiver else { throw .serviceToOneself }
        guard recordedBy == giver || recordedBy == receiver else { throw .notYourService }
        let memo = try checkedDescription(description)
        try checkDay(doneOn, now: now, zone: zone)
        return ServiceRecord(id: id, offerWantID: offerWantID, giver: giver, receiver: receiver, description: memo,
                             doneOn: doneOn, settlement: .freeHelp, recordedAt: now, recordedBy: recordedBy)
    }

    static func checkedDescription(_ text: String) throws(DomainError) -> String {
        try Validate.text(text, field: "description", label: Localized(fr: "Service rendu", en: "Service done"),
                          range: descriptionLength)
    }

    /// A service is recorded once done: not in the future of the territory's calendar.
    static func checkDay(_ day: LocalDate, now: Date, zone: LocalZone) throws(DomainError) {
        guard day <= zone.localDate(at: now) else { throw .serviceInFuture }
    }
}
