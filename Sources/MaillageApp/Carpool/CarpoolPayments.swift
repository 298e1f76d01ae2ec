import Fluent
import Foundation
import MaillageCore
import SQLKit

/// Paying the suggested contribution through the cooperative's accounts, when it chose so: one
/// transfer from the passenger's prepaid credit to the driver, with no fee, at most once per ask.
enum CarpoolPayments {
    static let notByLedger = DomainError(.conflict, code: "paid_directly",
        fr: "Ici, la participation se règle directement entre vous.", en: "Here the contribution is paid directly between you.")
    static let nothingToPay = DomainError(.conflict, code: "nothing_to_pay",
        fr: "Il n’y a rien à régler pour ce trajet.", en: "There is nothing to pay for this ride.")
    static let alreadyPaid = DomainError(.conflict, code: "already_paid",
        fr: "Cette participation est déjà réglée.", en: "This contribution is already paid.")
    static let notPassenger = DomainError(.forbidden, code: "not_passenger",
        fr: "C’est le passager ou la passagère qui règle la participation.", en: "The passenger pays the contribution.")

    /// Pays the ask's contribution from the passenger to the driver. The mark on the ask and the
    /// transfer are one transaction: two clicks pay once, a refused payment marks nothing.
    static func pay(_ ask: RideAskRow, by person: UUID, settings: CarpoolSettings, now: Date = Date(), on db: any Database) async throws {
        guard settings.payment == .ledger else { throw notByLedger }
        guard person == ask.passenger_id else { throw notPassenger }
        guard ask.contribution_cents > 0 else { throw nothingToPay }
        guard ask.askStatus == .accepted || ask.askStatus == .completed else { throw CarpoolErrors.wrongState(ask.askStatus) }
        guard ask.paid_at == nil else { throw alreadyPaid }
        do {
            try await db.writeTransaction { tx in
                let marked = try await tx.sql.update("carpool_asks").set("paid_at", to: SQLBind(now))
                    .where("id", .equal, SQLBind(ask.id)).where("paid_at", .is, SQLLiteral.null)
                    .where("status", .in, SQLBind.group([AskStatus.accepted.rawValue, AskStatus.completed.rawValue]))
                    .returning("id").all()
                guard !marked.isEmpty else { throw alreadyPaid }
                try await LedgerFacade.pay([LedgerFacade.Part(payee: .member(ask.driver_id), cents: ask.contribution_cents, purpose: .costSharing, name: "driver")],
                                           from: .memberCredit(ask.passenger_id), cooperative: ask.cooperative_id, reference: "carpool-ask:\(ask.id)",
                                           memo: "Covoiturage \(ask.pickup_name) → \(ask.dropoff_name), \(ask.travel_date)",
                                           activity: .carpool, at: now, inTransaction: tx)
                try await CarpoolAsks.event(ask.id, CarpoolAsks.paidStep, by: person, reason: "", at: now, on: tx)
            }
        } catch let refusal as LedgerFacade.Refusal {
            guard case let .creditShort(available) = refusal else { throw refusal }
            let euros = Amount.euros(cents: available)
            throw DomainError(.conflict, code: "credit_short",
                              fr: "Votre crédit (\(euros.formatted(.fr))) ne couvre pas la participation : réglez-la directement au conducteur ou à la conductrice.",
                              en: "Your credit (\(euros.formatted(.en))) does not cover the contribution: pay the driver directly.")
        }
    }
}
