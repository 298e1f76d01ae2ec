import Fluent
import Foundation
import MaillageCore
import SQLKit
import Vapor

/// `/api/v1/cooperatives/{slug}/accounts…`, `/transfers…`, `/fees…`, `/barter…`, `/transparency`.
enum LedgerAPI {
    struct AccountDTO: Content {
        var id: UUID
        var purpose: String
        var unit: String
        var owner: UUID?
        var posted: Int64
        var available: Int64
        var spendable: Int64?
        var floor: Int64?
        var ceiling: Int64?
        var closed: Bool

        init(_ row: LedgerAccountRow) {
            id = row.id; purpose = row.purpose; unit = row.unit; owner = row.userID
            posted = row.posted; available = row.account.balance.available; spendable = row.account.spendable?.minorUnits
            floor = row.floor; ceiling = row.ceiling; closed = row.closedAt != nil
        }
    }

    struct TransferDTO: Content {
        var id: UUID
        var debit: UUID
        var credit: UUID
        var unit: String
        var amount: Int64
        var memo: String
        var category: String
        var time: Date
        var phase: String
        var pendingId: UUID?
        var expiresAt: Date?
        var reverses: UUID?
        var status: String?

        init(_ row: LedgerTransferRow) {
            id = row.id; debit = row.debitID; credit = row.creditID; unit = row.unit; amount = row.amount; memo = row.memo
            category = row.category; time = row.time; phase = row.phase; pendingId = row.pendingID; expiresAt = row.expiresAt
            reverses = row.reverses; status = row.status
        }
    }

    struct TransferInput: Content {
        var debit: UUID
        var credit: UUID
        var amount: Int64
        var memo: String?
        var pending: Bool?
        var expiresAt: Date?
    }

    struct SettleInput: Content { var amount: Int64? }
    struct ReverseInput: Content { var memo: String? }

    // MARK: Accounts and statements

    @Sendable static func accounts(_ req: Request) async throws -> APIPage<AccountDTO> {
        let access = try await MoneyAccess(req)
        let rows = try await AccountBook.accounts(of: access.coopID, user: access.seesAll ? nil : access.userID, on: req.db)
        return .init(data: rows.map(AccountDTO.init))
    }

    struct StatementDTO: Content {
        struct Line: Content {
            var transfer: UUID
            var time: Date
            var memo: String
            var counterparty: UUID
            var counterpartyName: String
            var change: Int64
            var balance: Int64
            var reverses: UUID?
        }
        var account: AccountDTO
        var from: Date
        var to: Date
        var opening: Int64
        var closing: Int64
        var lines: [Line]
    }

    @Sendable static func statement(_ req: Request) async throws -> Response {
        let access = try await MoneyAccess(req)
        let account = try await access.visibleAccount(req.parameters.get("account", as: UUID.self))
        let period = try Statements.period(from: req.query["from"], to: req.query["to"])
        let statement = try await Statements.statement(account, period: period, on: req.db)
        let names = try await Statements.names(for: Set(statement.lines.map(\.counterparty.uuid)), req.language, on: req.db)
        if req.query[String.self, at: "format"] == "csv" {
            return CSVResponse.make(statement.csv(req.language) { names[$0.uuid] ?? String($0.description.prefix(8)) },
                                    filename: "releve-\(account.id.uuidString.prefix(8).lowercased()).csv", byteOrderMark: true)
        }
        let dto = StatementDTO(account: AccountDTO(account), from: period.lowerBound, to: period.upperBound,
                               opening: statement.opening.minorUnits, closing: statement.closing.minorUnits,
                               lines: statement.lines.map { line in
                                   .init(transfer: line.transfer.uuid, time: line.time, memo: line.memo, counterparty: line.counterparty.uuid,
                                         counterpartyName: names[line.counterparty.uuid] ?? "", change: line.change.minorUnits,
                                         balance: line.balance.minorUnits, reverses: line.reverses?.uuid)
                               })
        return try await dto.encodeResponse(for: req)
    }

    // MARK: Transfers

    /// A member pays from their own account (prepaid credit, hours); the board moves the
    /// cooperative's money. An `Idempotency-Key` header makes a retried request pay once.
    @Sendable static func transfer(_ req: Request) async throws -> Response {
        let access = try await MoneyAccess(req)
        let input = try req.content.decode(TransferInput.self)
        let debit = try await access.debitableAccount(input.debit)
        guard let credit = try await AccountBook.find(input.credit, on: req.db), credit.cooperativeID == access.coopID else {
            throw DomainError.unknownAccount(AccountID(input.credit))
        }
        let phase: Transfer.Phase = input.pending == true ? .pending(expiresAt: input.expiresAt) : .immediate
        let transfer = Transfer(debit: AccountID(debit.id), credit: AccountID(credit.id), amount: Amount(input.amount, debit.unitOfAccount),
                                memo: input.memo ?? "", idempotencyKey: try access.key(req), time: Date(), phase: phase)
        let category: LedgerCategory = debit.unitOfAccount == .hour ? .service
            : (debit.accountPurpose == .clearing && credit.accountPurpose == .wallet ? .topUp : .transfer)
        let posted = try await LedgerStore.post(Posting(transfer: transfer, cooperative: access.coopID, category: category,
                                                        createdBy: access.userID), on: req.db)
        return try await created(posted.id.uuid, fresh: posted.id == transfer.id, req)
    }

    private static func created(_ id: UUID, fresh: Bool, _ req: Request) async throws -> Response {
        guard let row = try await LedgerQueries.transfer(id, on: req.db) else { throw Problem.notFound(LedgerWords.transfer) }
        let response = try await TransferDTO(row).encodeResponse(status: fresh ? .created : .ok, for: req)
        return response
    }

    @Sendable static func showTransfer(_ req: Request) async throws -> TransferDTO {
        let access = try await MoneyAccess(req)
        return TransferDTO(try await access.visibleTransfer(req.parameters.get("id", as: UUID.self)))
    }

    /// Posts a pending transfer, all or part of it (the payer or the board).
    @Sendable static func settle(_ req: Request) async throws -> Response {
        try await settlement(req, voiding: false)
    }

    @Sendable static func void(_ req: Request) async throws -> Response {
        try await settlement(req, voiding: true)
    }

    private static func settlement(_ req: Request, voiding: Bool) async throws -> Response {
        let access = try await MoneyAccess(req)
        let pending = try await access.visibleTransfer(req.parameters.get("id", as: UUID.self))
        _ = try await access.debitableAccount(pending.debitID)
        // No body posts the whole reservation; a body that cannot be read is refused, never guessed.
        let amount = voiding || req.body.data == nil ? nil : try req.content.decode(SettleInput.self).amount
        let original = pending.transfer
        let settling = voiding
            ? Transfer.voiding(original, time: Date(), idempotencyKey: try access.key(req))
            : Transfer.posting(original, amount: amount.map { Amount($0, original.amount.unit) }, time: Date(), idempotencyKey: try access.key(req))
        let category = pending.ledgerCategory ?? .transfer
        let posted = try await LedgerStore.post(Posting(transfer: settling, cooperative: access.coopID, category: category,
                                                        tag: pending.tag, createdBy: access.userID), on: req.db)
        return try await created(posted.id.uuid, fresh: posted.id == settling.id, req)
    }

    /// Corrects a posted transfer with the reverse one (the board): transfers are never edited.
    @Sendable static func reverse(_ req: Request) async throws -> Response {
        let access = try await MoneyAccess(req, minimum: .board)
        let original = try await access.visibleTransfer(req.parameters.get("id", as: UUID.self))
        let memo = req.body.data == nil ? nil : try req.content.decode(ReverseInput.self).memo
        let correction = Transfer.reversing(original.transfer, time: Date(),
                                            memo: memo ?? "Correction · \(original.memo)", idempotencyKey: try access.key(req))
        let posted = try await LedgerStore.post(Posting(transfer: correction, cooperative: access.coopID, category: .correction,
                                                        tag: original.tag, createdBy: access.userID), on: req.db)
        return try await created(posted.id.uuid, fresh: posted.id == correction.id, req)
    }

    // MARK: Fees

    struct FeeDTO: Content {
        var activity: String
        var basisPoints: Int64
        var fixedCents: Int64
    }

    @Sendable static func fees(_ req: Request) async throws -> APIPage<FeeDTO> {
        let coop = try await Cooperatives.find(slug: req.parameters.get("slug") ?? "", on: req.db)
        let rules = try await FeeRules.all(try coop.requireID(), on: req.db)
        return .init(data: coop.activityList.map { activity in
            let rule = rules[activity] ?? FeeRules.defaultRule(for: activity)
            return FeeDTO(activity: activity.rawValue, basisPoints: rule.basisPoints, fixedCents: rule.fixed?.minorUnits ?? 0)
        })
    }

    struct FeeInput: Content { var basisPoints: Int64; var fixedCents: Int64? }

    @Sendable static func setFee(_ req: Request) async throws -> FeeDTO {
        let access = try await MoneyAccess(req, minimum: .board)
        guard let activity = req.parameters.get("activity").flatMap(Activity.init(rawValue:)),
              access.coop.activityList.contains(activity) else { throw Problem.notFound(Localized(fr: "Activité", en: "Activity")) }
        let input = try req.content.decode(FeeInput.self)
        let rule = try FeeRule(basisPoints: input.basisPoints, fixed: (input.fixedCents ?? 0) > 0 ? .euros(cents: input.fixedCents ?? 0) : nil)
        if let fixed = input.fixedCents, fixed < 0 { throw DomainError.amountNegative(field: "fixedCents") }
        try await FeeRules.save(rule, for: activity, in: access.coopID, by: access.userID, on: req.db)
        return FeeDTO(activity: activity.rawValue, basisPoints: rule.basisPoints, fixedCents: rule.fixed?.minorUnits ?? 0)
    }

    struct SplitDTO: Content { var total: Int64; var producer: Int64; var fee: Int64; var delivery: Int64 }

    /// Where a payment would go, before the buyer confirms (public: fees are published).
    @Sendable static func split(_ req: Request) async throws -> SplitDTO {
        let coop = try await Cooperatives.find(slug: req.parameters.get("slug") ?? "", on: req.db)
        guard let activity = req.parameters.get("activity").flatMap(Activity.init(rawValue:)),
              coop.activityList.contains(activity) else { throw Problem.notFound(Localized(fr: "Activité", en: "Activity")) }
        guard let total = req.query[Int64.self, at: "total"] else {
            throw DomainError(.invalid, code: "total_missing", field: "total", fr: "Indiquez le total en centimes.", en: "Give the total in cents.")
        }
        let delivery = req.query[Int64.self, at: "delivery"]
        let split = try await Payments.split(total: .euros(cents: total), delivery: delivery.map { .euros(cents: $0) },
                                             activity: activity, cooperative: try coop.requireID(), on: req.db)
        return SplitDTO(total: split.total.minorUnits, producer: split.producer.minorUnits, fee: split.fee.minorUnits, delivery: split.delivery.minorUnits)
    }

    // MARK: Barter

    struct InvoiceDTO: Content {
        var id: UUID
        var seller: UUID
        var buyer: UUID
        var amount: Int64
        var description: String
        var status: String
        var issuedAt: Date
        var decidedAt: Date?
        init(_ row: BarterInvoices.Row) {
            id = row.id; seller = row.sellerID; buyer = row.buyerID; amount = row.amount; description = row.description
            status = row.status; issuedAt = row.issuedAt; decidedAt = row.decidedAt
        }
    }

    struct InvoiceInput: Content { var buyer: UUID; var amount: Int64; var description: String }

    @Sendable static func invoices(_ req: Request) async throws -> APIPage<InvoiceDTO> {
        let access = try await MoneyAccess(req)
        return .init(data: try await BarterInvoices.list(for: access.seesAll ? nil : access.userID, in: access.coop, on: req.db).map(InvoiceDTO.init))
    }

    @Sendable static func issueInvoice(_ req: Request) async throws -> Response {
        let access = try await MoneyAccess(req)
        try access.requireBarter()
        let input = try req.content.decode(InvoiceInput.self)
        let row = try await BarterInvoices.issue(by: access.user, to: input.buyer, amount: .barter(cents: input.amount),
                                                 description: input.description, in: access.coop, on: req.db)
        return try await InvoiceDTO(row).encodeResponse(status: .created, for: req)
    }

    @Sendable static func acceptInvoice(_ req: Request) async throws -> InvoiceDTO {
        let access = try await MoneyAccess(req)
        let id = try invoiceID(req)
        try await BarterInvoices.accept(id, by: access.user, in: access.coop, on: req.db)
        return InvoiceDTO(try await BarterInvoices.find(id, in: access.coop, on: req.db))
    }

    @Sendable static func declineInvoice(_ req: Request) async throws -> InvoiceDTO {
        let access = try await MoneyAccess(req)
        let id = try invoiceID(req)
        try await BarterInvoices.close(id, declining: true, by: access.user, in: access.coop, on: req.db)
        return InvoiceDTO(try await BarterInvoices.find(id, in: access.coop, on: req.db))
    }

    @Sendable static func cancelInvoice(_ req: Request) async throws -> InvoiceDTO {
        let access = try await MoneyAccess(req)
        let id = try invoiceID(req)
        try await BarterInvoices.close(id, declining: false, by: access.user, in: access.coop, on: req.db)
        return InvoiceDTO(try await BarterInvoices.find(id, in: access.coop, on: req.db))
    }

    private static func invoiceID(_ req: Request) throws -> UUID {
        guard let id = req.parameters.get("id", as: UUID.self) else { throw BarterInvoices.notFound }
        return id
    }

    // MARK: Transparency

    @Sendable static func transparency(_ req: Request) async throws -> Transparency.Report {
        let coop = try await Cooperatives.find(slug: req.parameters.get("slug") ?? "", on: req.db)
        return try await Transparency.report(coop, year: try Transparency.year(req), on: req.db)
    }
}
