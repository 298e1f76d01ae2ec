import Fluent
import Foundation
import MaillageCore

/// A member's payment for a sale, with the cooperative's fee and the delivery booked in the same
/// transaction as the payment: from the buyer's prepaid credit to the seller, the cooperative's
/// operating account and the courier. The food and delivery modules call it at checkout.
enum Payments {
    struct Sale: Sendable {
        var cooperative: UUID
        var activity: Activity
        var buyer: UUID
        var seller: UUID
        var total: Amount
        var delivery: Amount? = nil
        var courier: UUID? = nil
        var memo: String
        /// Names the sale (an order id), so that paying it twice pays once.
        var idempotencyKey: String
        /// `.pending(expiresAt:)` reserves the money at checkout; post or void it later.
        var phase: Transfer.Phase = .immediate
        var time = Date()
    }

    /// Where the money goes, before the buyer confirms.
    static func split(total: Amount, delivery: Amount? = nil, activity: Activity, cooperative: UUID,
                      on db: any Database) async throws -> FeeSplit {
        try await FeeRules.rule(for: activity, in: cooperative, on: db).split(total: total, delivery: delivery)
    }

    @discardableResult
    static func pay(_ sale: Sale, on db: any Database) async throws -> (split: FeeSplit, transfers: [Transfer]) {
        let split = try await split(total: sale.total, delivery: sale.delivery, activity: sale.activity, cooperative: sale.cooperative, on: db)
        let buyer = try await AccountBook.open(.wallet, cooperative: sale.cooperative, user: sale.buyer, on: db)
        let seller = try await AccountBook.open(.wallet, cooperative: sale.cooperative, user: sale.seller, on: db)
        let operating = try await AccountBook.open(.operating, cooperative: sale.cooperative, on: db)
        var courier: AccountID?
        if let user = sale.courier { courier = AccountID(try await AccountBook.open(.wallet, cooperative: sale.cooperative, user: user, on: db).id) }
        let transfers = try split.transfers(from: AccountID(buyer.id), producer: AccountID(seller.id), cooperative: AccountID(operating.id),
                                            delivery: courier, time: sale.time, memo: sale.memo,
                                            idempotencyKey: sale.idempotencyKey, phase: sale.phase)
        let postings = transfers.map { transfer -> Posting in
            let category: LedgerCategory = transfer.credit == AccountID(operating.id) ? .fee
                : (transfer.credit == courier ? .delivery : .sale)
            return Posting(transfer: transfer, cooperative: sale.cooperative, category: category,
                           tag: sale.activity.rawValue, createdBy: sale.buyer)
        }
        return (split, try await LedgerStore.post(postings, on: db))
    }
}
