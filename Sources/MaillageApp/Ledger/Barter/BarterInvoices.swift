import Fluent
import Foundation
import MaillageCore
import SQLKit

/// Invoices between businesses of a barter network: the seller issues, the buyer accepts (the
/// trade and the network's commission post together), declines, or the seller cancels.
enum BarterInvoices {
    struct Row: Codable, Sendable, Hashable {
        var id: UUID
        var cooperativeID: UUID
        var sellerID: UUID
        var buyerID: UUID
        var amount: Int64
        var description: String
        var status: String
        var issuedAt: Date
        var decidedAt: Date?
        enum CodingKeys: String, CodingKey {
            case id, amount, description, status
            case cooperativeID = "cooperative_id", sellerID = "seller_id", buyerID = "buyer_id", issuedAt = "issued_at", decidedAt = "decided_at"
        }
    }

    static let notFound = Problem.notFound(Localized(fr: "Facture", en: "Invoice"))
    static let buyerNotMember = DomainError(.invalid, code: "buyer_not_member", field: "buyer",
        fr: "Choisissez une entreprise membre du réseau.", en: "Choose a business that is a member of the network.")
    static let descriptionMissing = DomainError(.invalid, code: "description_missing", field: "description",
        fr: "Décrivez ce qui est facturé (3 à 500 caractères).", en: "Describe what is invoiced (3 to 500 characters).")

    static func network(_ coop: Cooperative, on db: any Database) async throws -> BarterNetwork {
        let coopID = try coop.requireID()
        let commission = try await AccountBook.open(.commission, cooperative: coopID, on: db)
        let rule = try await FeeRules.rule(for: .barter, in: coopID, on: db)
        let settings = try await CreditSettings.load(coopID, on: db)
        return try BarterNetwork(id: coopID, commissionAccount: AccountID(commission.id), commissionBasisPoints: rule.basisPoints,
                                 commissionPayer: .seller, yearlyFee: .barter(cents: settings.yearlyFee))
    }

    static func issue(by seller: User, to buyer: UUID, amount: Amount, description: String, in coop: Cooperative,
                      on db: any Database, now: Date = Date()) async throws -> Row {
        let coopID = try coop.requireID(), sellerID = try seller.requireID()
        var errors = ValidationErrors()
        let text = description.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.count < 3 || text.count > 500 { errors.add(descriptionMissing) }
        let buyerMembership = try await Cooperatives.membership(of: buyer, in: coopID, on: db)
        if buyerMembership?.memberStatus != .active || buyer == sellerID { errors.add(buyerNotMember) }
        do {
            _ = try BarterInvoice(seller: AccountID(), buyer: AccountID(), amount: amount, description: text, issuedAt: now)
        } catch { errors.add(DomainError(error.kind, code: error.code, field: "amount", fr: error.message.fr, en: error.message.en)) }
        try errors.throwIfAny()
        let row = Row(id: UUID(), cooperativeID: coopID, sellerID: sellerID, buyerID: buyer, amount: amount.minorUnits,
                      description: text, status: "issued", issuedAt: now, decidedAt: nil)
        try await db.sql.insert(into: "barter_invoices").model(row).run()
        try await Inbox.notify(buyer, Localized(fr: "\(seller.displayName) vous adresse une facture de \(amount.formatted(.fr)) : « \(text) ».",
                                                en: "\(seller.displayName) sent you an invoice of \(amount.formatted(.en)): “\(text)”."),
                               link: "/c/\(coop.slug)/barter/invoices/\(row.id)", kind: .money, on: db)
        return row
    }

    static func find(_ id: UUID, in coop: Cooperative, on db: any Database) async throws -> Row {
        guard let row = try await db.sql.select().column("*").from("barter_invoices").where("id", .equal, SQLBind(id))
            .where("cooperative_id", .equal, SQLBind(try coop.requireID())).first(decoding: Row.self) else { throw notFound }
        return row
    }

    /// The buyer accepts: in one transaction the invoice is claimed (issued → accepted, once) and
    /// the trade with its commission posts; if the buyer's credit line is short, nothing changes.
    static func accept(_ id: UUID, by buyer: User, in coop: Cooperative, on db: any Database, now: Date = Date()) async throws -> [Transfer] {
        let invoice = try await find(id, in: coop, on: db)
        guard invoice.buyerID == (try buyer.requireID()) else { throw Problem.forbidden }
        let coopID = try coop.requireID()
        let network = try await network(coop, on: db)
        let seller = try await AccountBook.open(.barter, cooperative: coopID, user: invoice.sellerID, on: db)
        let payer = try await AccountBook.open(.barter, cooperative: coopID, user: invoice.buyerID, on: db)
        var core = try BarterInvoice(id: invoice.id, seller: AccountID(seller.id), buyer: AccountID(payer.id),
                                     amount: .barter(cents: invoice.amount), description: invoice.description, issuedAt: invoice.issuedAt)
        let transfers = try core.accept(at: now, in: network)
        let postings = transfers.map { transfer in
            Posting(transfer: transfer, cooperative: coopID, category: transfer.credit == network.commissionAccount ? .commission : .trade,
                    tag: Activity.barter.rawValue, createdBy: invoice.buyerID)
        }
        let posted = try await db.writeTransaction { db -> [Transfer] in
            let claimed = try await db.sql.update("barter_invoices").set("status", to: SQLBind("accepted")).set("decided_at", to: SQLBind(now))
                .where("id", .equal, SQLBind(id)).where("status", .equal, SQLBind("issued")).returning("id").all()
            guard !claimed.isEmpty else { throw DomainError.invoiceNotOpen }
            return try await LedgerStore.post(postings, inTransaction: db)
        }
        try await Inbox.notify(invoice.sellerID, Localized(fr: "Votre facture « \(invoice.description) » a été acceptée : \(Amount.barter(cents: invoice.amount).formatted(.fr)) reçus.",
                                                           en: "Your invoice “\(invoice.description)” was accepted: \(Amount.barter(cents: invoice.amount).formatted(.en)) received."),
                               link: "/c/\(coop.slug)/barter", kind: .money, on: db)
        return posted
    }

    /// The buyer declines or the seller withdraws an invoice still open.
    static func close(_ id: UUID, declining: Bool, by user: User, in coop: Cooperative, on db: any Database, now: Date = Date()) async throws {
        let invoice = try await find(id, in: coop, on: db)
        let userID = try user.requireID()
        guard userID == (declining ? invoice.buyerID : invoice.sellerID) else { throw Problem.forbidden }
        let changed = try await db.sql.update("barter_invoices").set("status", to: SQLBind(declining ? "declined" : "cancelled"))
            .set("decided_at", to: SQLBind(now)).where("id", .equal, SQLBind(id)).where("status", .equal, SQLBind("issued"))
            .returning("id").all()
        guard !changed.isEmpty else { throw DomainError.invoiceNotOpen }
        if declining {
            try await Inbox.notify(invoice.sellerID, Localized(fr: "Votre facture « \(invoice.description) » a été refusée.",
                                                               en: "Your invoice “\(invoice.description)” was declined."),
                                   link: "/c/\(coop.slug)/barter", kind: .money, on: db)
        }
    }

    static func list(for user: UUID?, in coop: Cooperative, on db: any Database) async throws -> [Row] {
        var query = db.sql.select().column("*").from("barter_invoices").where("cooperative_id", .equal, SQLBind(try coop.requireID()))
        if let user {
            query = query.where { $0.where("seller_id", .equal, SQLBind(user)).orWhere("buyer_id", .equal, SQLBind(user)) }
        }
        return try await query.orderBy("issued_at", .descending).limit(500).all(decoding: Row.self)
    }

    /// The yearly membership fee of each business, paid in barter units to the network; the key
    /// names the year, so the job charges a year once however often it runs. A business whose
    /// line cannot take it is told, and charged on a later run.
    static func chargeYearlyFees(on db: any Database, now: Date = Date()) async throws {
        let year = YearEnd.currentYear(now: now)
        for coop in try await Cooperative.query(on: db).all() where coop.activityList.contains(.barter) {
            let network = try await network(coop, on: db)
            guard network.yearlyFee.isPositive else { continue }
            for membership in try await Cooperatives.members(of: coop, status: .active, on: db) {
                let account = try await AccountBook.open(.barter, cooperative: try coop.requireID(), user: membership.$user.id, on: db)
                let fee = try network.membershipFee(year: year, from: AccountID(account.id), to: network.commissionAccount, time: now)
                do {
                    try await LedgerStore.post(Posting(transfer: fee, cooperative: try coop.requireID(), category: .membershipFee,
                                                       tag: Activity.barter.rawValue), on: db)
                } catch let error as DomainError where error.code == "below_floor" {
                    continue
                }
            }
        }
    }
}
