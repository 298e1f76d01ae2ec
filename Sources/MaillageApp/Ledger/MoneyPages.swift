import Fluent
import MaillageCore
import Plot
import SQLKit
import Vapor

/// `/c/<slug>/money`: a member's accounts and statements; for staff and board, every account,
/// recording money received and changing credit lines.
enum MoneyPages {
    struct PayForm: Content {
        var from: String
        var to: String
        var amount: String
        var memo: String?
        /// Drawn when the form is shown, so a double click pays once and a second payment is new.
        var nonce: String?
        var values: [String: String] { ["from": from, "to": to, "amount": amount, "memo": memo ?? ""] }
    }

    struct TopUpForm: Content {
        var member: String
        var amount: String
        var memo: String?
        var nonce: String?
        var values: [String: String] { ["member": member, "top_amount": amount, "top_memo": memo ?? ""] }
    }

    struct LimitsForm: Content {
        var account: String
        var floor: String
        var values: [String: String] { ["account": account, "floor": floor] }
    }

    @Sendable static func overview(_ req: Request) async throws -> Response {
        try await overviewView(req, access: try await MoneyAccess(req), state: FormState())
    }

    static func overviewView(_ req: Request, access: MoneyAccess, state: FormState, notice: String? = nil,
                             status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.t, language = req.language, coop = access.coop
        if coop.activityList.contains(.exchange) {
            _ = try await AccountBook.open(.hours, cooperative: access.coopID, user: access.userID, on: req.db)
        }
        let mine = try await AccountBook.accounts(of: access.coopID, user: access.userID, on: req.db)
        let all = access.seesAll ? try await AccountBook.accounts(of: access.coopID, on: req.db) : []
        let names = try await Statements.names(for: Set(all.map(\.id)), language, on: req.db)
        let members = try await Cooperatives.members(of: coop, status: .active, on: req.db)
        let payable = mine.filter { $0.accountPurpose == .wallet || $0.accountPurpose == .hours }
        let others = members.filter { $0.$user.id != access.userID }
        let activities = coop.activityList
        return Layout.page(req, title: t("Comptes — \(coop.name)", "Accounts — \(coop.name)"), status: status,
            .p(.a(.href("/c/\(coop.slug)"), .text("← " + coop.name))),
            .h1(.text(t("Mes comptes", "My accounts"))),
            .unwrap(notice) { .p(.class("notice"), .attribute(named: "role", value: "status"), .text($0)) },
            mine.isEmpty ? .p(.text(t("Vous n’avez pas encore de compte dans cette coopérative : il s’ouvre au premier mouvement.",
                                      "You have no account in this cooperative yet: one opens with the first movement.")))
                : accountsTable(req, mine, names: [:], coop: coop),
            .p(.a(.href("/c/\(coop.slug)/transparency"), .text(t("Où va l’argent de la coopérative", "Where the cooperative's money goes"))),
               activities.contains(.barter) ? .group(.text(" · "), .a(.href("/c/\(coop.slug)/barter"), .text(t("Réseau de troc : factures et offres", "Barter network: invoices and offers")))) : .empty,
               access.isBoard ? .group(.text(" · "), .a(.href("/c/\(coop.slug)/treasury"), .text(t("Trésorerie (conseil)", "Treasury (board)")))) : .empty),
            payable.isEmpty || others.isEmpty ? .empty : .section(
                .h2(.text(activities.contains(.exchange) ? t("Déclarer un service reçu ou payer", "Record a service received or pay")
                                                         : t("Payer un·e sociétaire", "Pay a member"))),
                .p(.class("hint"), .text(t("Dans la banque de temps, une heure donnée vaut une heure reçue, quel que soit le service : vous payez en heures la personne qui vous a rendu service.",
                                           "In the time bank, an hour given is worth an hour received, whatever the service: you pay in hours the person who helped you."))),
                Form.post(req, action: "/c/\(coop.slug)/money/pay",
                    Form.summary(state, t), nonceField(),
                    Form.select("from", label: t("Depuis mon compte", "From my account"), state: state, t,
                                options: payable.map { ($0.id.uuidString, ($0.accountPurpose?.label(language) ?? $0.purpose) + " — " + Amount($0.posted, $0.unitOfAccount).formatted(language)) }),
                    Form.select("to", label: t("À", "To"), state: state, t,
                                options: [("", t("— choisir —", "— choose —"))] + others.map { ($0.$user.id.uuidString, $0.user.displayName) }),
                    Form.field("amount", label: t("Montant", "Amount"), state: state, t,
                               hint: t("En euros (« 12,50 ») ou en heures (« 1 h 30 », « 1,5 », « 45 min ») selon le compte.",
                                       "In euros (“12.50”) or hours (“1 h 30”, “1.5”, “45 min”) depending on the account.")),
                    Form.field("memo", label: t("Pour quoi", "What for"), state: state, t, required: false),
                    Form.submit(t("Payer", "Pay")))),
            access.seesAll ? staffSection(req, access: access, all: all, names: names, members: members, state: state) : .empty)
    }

    static func accountsTable(_ req: Request, _ rows: [LedgerAccountRow], names: [UUID: String], coop: Cooperative) -> Node<HTML.BodyContext> {
        let t = req.t, language = req.language
        return StackedTable.node(.table(
            .thead(.tr(.th(.text(t("Compte", "Account"))), .th(.class("num"), .text(t("Solde", "Balance"))),
                       .th(.class("num"), .text(t("Disponible", "Available"))), .th(.class("num"), .text(t("Découvert permis", "Overdraft allowed"))),
                       .th(.text(t("Relevé", "Statement"))))),
            .tbody(.forEach(rows) { row in
                let unit = row.unitOfAccount
                return .tr(.th(.attribute(named: "scope", value: "row"), .text(names[row.id] ?? row.accountPurpose?.label(language) ?? row.purpose)),
                           .td(.class("num"), .text(unit.format(row.posted, language))),
                           .td(.class("num"), .text(unit.format(row.account.balance.available, language))),
                           .td(.class("num"), .text(row.floor.map { unit.format($0, language) } ?? t("aucun", "none"))),
                           .td(.a(.href("/c/\(coop.slug)/money/\(row.id)"), .text(t("voir", "view")))))
            })))
    }

    static func staffSection(_ req: Request, access: MoneyAccess, all: [LedgerAccountRow], names: [UUID: String],
                             members: [Membership], state: FormState) -> Node<HTML.BodyContext> {
        let t = req.t, coop = access.coop
        let lines = all.filter { $0.accountPurpose == .barter || $0.accountPurpose == .hours }
        return .section(
            .h2(.text(t("Tous les comptes de la coopérative", "All the cooperative's accounts"))),
            .p(.class("hint"), .text(t("Chaque ouverture du relevé d’un·e sociétaire est inscrite dans son journal d’accès.",
                                       "Each opening of a member's statement is written in their access log."))),
            accountsTable(req, all, names: names, coop: coop),
            access.isBoard ? .group(
                .h3(.text(t("Enregistrer un versement reçu (crédit prépayé)", "Record money received (prepaid credit)"))),
                Form.post(req, action: "/c/\(coop.slug)/money/top-up", nonceField(),
                    Form.select("member", label: t("Sociétaire", "Member"), state: state, t,
                                options: [("", t("— choisir —", "— choose —"))] + members.map { ($0.$user.id.uuidString, $0.user.displayName) }),
                    Form.field("top_amount", label: t("Montant reçu (€)", "Amount received (€)"), state: state, t),
                    Form.field("top_memo", label: t("Référence du paiement", "Payment reference"), state: state, t, required: false),
                    Form.submit(t("Créditer", "Credit"))),
                lines.isEmpty ? .empty : .group(
                    .h3(.text(t("Découvert autorisé d’un compte", "How far an account may go below zero"))),
                    Form.post(req, action: "/c/\(coop.slug)/money/limits",
                        Form.select("account", label: t("Compte", "Account"), state: state, t,
                                    options: lines.map { ($0.id.uuidString, names[$0.id] ?? $0.purpose) }),
                        Form.field("floor", label: t("Solde le plus bas permis (en unités ou heures, 0 ou moins)", "Lowest balance allowed (in units or hours, 0 or less)"), state: state, t,
                                   hint: t("Par ex. « -500 » pour 500 unités de crédit, « -10 h ».", "E.g. “-500” for a 500-unit line, “-10 h”.")),
                        Form.submit(t("Modifier", "Change"))))) : .empty)
    }

    @Sendable static func pay(_ req: Request) async throws -> Response {
        let access = try await MoneyAccess(req)
        let form = try req.content.decode(PayForm.self)
        do {
            guard let fromID = UUID(uuidString: form.from) else { throw DomainError.unknownAccount(AccountID()) }
            let from = try await access.debitableAccount(fromID)
            guard let toUser = UUID(uuidString: form.to),
                  try await Cooperatives.membership(of: toUser, in: access.coopID, on: req.db)?.memberStatus == .active
            else { throw DomainError(.invalid, code: "payee_missing", field: "to", fr: "Choisissez à qui payer.", en: "Choose whom to pay.") }
            guard let purpose = from.accountPurpose, let amount = Amount.parse(negativeSafe(form.amount), in: from.unitOfAccount) else {
                throw DomainError(.invalid, code: "invalid_amount", field: "amount",
                                  fr: "Montant illisible : « 12,50 » en euros, « 1 h 30 » en heures.", en: "Unreadable amount: “12.50” in euros, “1 h 30” in hours.")
            }
            let to = try await AccountBook.open(purpose, cooperative: access.coopID, user: toUser, on: req.db)
            let transfer = Transfer(debit: AccountID(from.id), credit: AccountID(to.id), amount: amount, memo: form.memo ?? "",
                                    idempotencyKey: try formKey(form.nonce, access), time: Date())
            try await LedgerStore.post(Posting(transfer: transfer, cooperative: access.coopID,
                                               category: from.unitOfAccount == .hour ? .service : .transfer, createdBy: access.userID), on: req.db)
            try await Inbox.notify(toUser, Localized(fr: "\(access.user.displayName) vous a versé \(amount.formatted(.fr)) : « \(form.memo ?? "") ».",
                                                     en: "\(access.user.displayName) paid you \(amount.formatted(.en)): “\(form.memo ?? "")”."),
                                   link: "/c/\(access.coop.slug)/money", kind: .money, on: req.db)
            return req.done(Localized(fr: "Versement de \(amount.formatted(.fr)) fait ; la personne est prévenue.",
                                      en: "Payment of \(amount.formatted(.en)) made; the person has been told."), goTo: "/c/\(access.coop.slug)/money")
        } catch {
            return try await overviewView(req, access: access, state: try FormState(refused: error, values: form.values), status: .unprocessableEntity)
        }
    }

    static func nonceField() -> Node<HTML.FormContext> {
        .input(.type(.hidden), .name("nonce"), .value(UUID().uuidString))
    }

    /// The form's nonce as an idempotency key; without one (a hand-made request), no replay guard.
    static func formKey(_ nonce: String?, _ access: MoneyAccess) throws -> String? {
        guard let nonce, let uuid = UUID(uuidString: nonce) else { return nil }
        return "form:\(access.userID.uuidString.lowercased()):\(uuid.uuidString.lowercased())"
    }

    /// Amounts are positive in forms; a minus sign is a mistake to refuse, not to reverse the payment.
    static func negativeSafe(_ text: String) -> String {
        text.contains("-") || text.contains("−") ? "" : text
    }

    @Sendable static func topUp(_ req: Request) async throws -> Response {
        let access = try await MoneyAccess(req, minimum: .board)
        let form = try req.content.decode(TopUpForm.self)
        do {
            guard let member = UUID(uuidString: form.member),
                  try await Cooperatives.membership(of: member, in: access.coopID, on: req.db)?.memberStatus == .active
            else { throw DomainError(.invalid, code: "member_missing", field: "member", fr: "Choisissez un·e sociétaire.", en: "Choose a member.") }
            guard let amount = Amount.parse(negativeSafe(form.amount), in: .eur), amount.isPositive else {
                throw DomainError(.invalid, code: "invalid_amount", field: "top_amount", fr: "Montant en euros, par ex. « 20 » ou « 12,50 ».", en: "An amount in euros, e.g. “20” or “12.50”.")
            }
            let clearing = try await AccountBook.open(.clearing, cooperative: access.coopID, on: req.db)
            let wallet = try await AccountBook.open(.wallet, cooperative: access.coopID, user: member, on: req.db)
            let memo = form.memo.flatMap { $0.isEmpty ? nil : $0 } ?? "Versement reçu"
            try await LedgerStore.post(Posting(transfer: Transfer(debit: AccountID(clearing.id), credit: AccountID(wallet.id), amount: amount, memo: memo,
                                                                  idempotencyKey: try formKey(form.nonce, access), time: Date()),
                                               cooperative: access.coopID, category: .topUp, createdBy: access.userID), on: req.db)
            return req.done(Localized(fr: "Avoir crédité.", en: "Credit added."), goTo: "/c/\(access.coop.slug)/money")
        } catch {
            return try await overviewView(req, access: access, state: try FormState(refused: error, values: form.values), status: .unprocessableEntity)
        }
    }

    @Sendable static func limits(_ req: Request) async throws -> Response {
        let access = try await MoneyAccess(req, minimum: .board)
        let form = try req.content.decode(LimitsForm.self)
        do {
            guard let id = UUID(uuidString: form.account), let row = try await AccountBook.find(id, on: req.db), row.cooperativeID == access.coopID else {
                throw DomainError.unknownAccount(AccountID())
            }
            let text = form.floor.replacingOccurrences(of: "−", with: "-").trimmingCharacters(in: .whitespaces)
            let magnitude = text.hasPrefix("-") ? String(text.dropFirst()) : text
            guard let amount = Amount.parse(magnitude, in: row.unitOfAccount) else {
                throw DomainError(.invalid, code: "invalid_amount", field: "floor", fr: "Solde le plus bas illisible.", en: "Unreadable lowest balance.")
            }
            try await LedgerStore.setLimits(try BalanceLimits(floor: -amount.minorUnits, ceiling: row.ceiling), for: id,
                                            cooperative: access.coopID, by: access.userID, on: req.db)
            return req.done(Localized(fr: "Limites du compte enregistrées.", en: "Account limits saved."), goTo: "/c/\(access.coop.slug)/money")
        } catch let error as DomainError {
            let field = DomainError(error.kind, code: error.code, field: "floor", fr: error.message.fr, en: error.message.en)
            return try await overviewView(req, access: access, state: try FormState(refused: field, values: form.values), status: .unprocessableEntity)
        }
    }

    // MARK: Statements

    @Sendable static func statement(_ req: Request) async throws -> Response {
        let access = try await MoneyAccess(req)
        let account = try await access.visibleAccount(req.parameters.get("account", as: UUID.self))
        let t = req.t, language = req.language, coop = access.coop
        let from = req.query[String.self, at: "from"], to = req.query[String.self, at: "to"]
        var state = FormState(values: ["from": from ?? "", "to": to ?? ""])
        let period: Range<Date>
        do { period = try Statements.period(from: from, to: to) } catch {
            state = try FormState(refused: error, values: state.values)
            period = try Statements.period(from: nil, to: nil)
        }
        let statement = try await Statements.statement(account, period: period, on: req.db)
        let names = try await Statements.names(for: Set(statement.lines.map(\.counterparty.uuid)) .union([account.id]), language, on: req.db)
        let query = "from=\(from ?? "")&to=\(to ?? "")"
        let unit = account.unitOfAccount
        return Layout.page(req, title: t("Relevé", "Statement") + " — " + (names[account.id] ?? ""),
            .p(.a(.href("/c/\(coop.slug)/money"), .text("← " + t("Comptes", "Accounts")))),
            .h1(.text(t("Relevé — ", "Statement — ") + (names[account.id] ?? account.purpose))),
            .p(.text(t("Solde : ", "Balance: ")), .strong(.text(unit.format(account.posted, language))),
               .text(" · " + t("encore disponible : ", "still available: ")
                     + (account.account.spendable.map { $0.formatted(language) } ?? t("sans limite", "no limit"))),
               .text(account.floor.map { $0 < 0 ? " · " + t("ligne de crédit : ", "credit line: ") + unit.format(-$0, language) : "" } ?? "")),
            .form(.method(.get), .action("/c/\(coop.slug)/money/\(account.id)"), .class("filters"),
                  Form.summary(state, t),
                  Form.field("from", label: t("Du", "From"), state: state, t, type: .date, required: false),
                  Form.field("to", label: t("Au (inclus)", "To (included)"), state: state, t, type: .date, required: false),
                  .button(.type(.submit), .text(t("Afficher", "Show")))),
            .p(.text(t("Télécharger : ", "Download: ")),
               .a(.href("/c/\(coop.slug)/money/\(account.id)/statement.csv?\(query)"), .text("CSV")), .text(" · "),
               .a(.href("/c/\(coop.slug)/money/\(account.id)/statement.json?\(query)"), .text("JSON"))),
            StackedTable.node(.table(
                .thead(.tr(.th(.text(t("Date", "Date"))), .th(.text(t("Libellé", "Memo"))), .th(.text(t("Contrepartie", "Counterparty"))),
                           .th(.class("num"), .text(t("Mouvement", "Change"))), .th(.class("num"), .text(t("Solde", "Balance"))))),
                .tbody(
                    .tr(.td(.text(DateText.short(period.lowerBound, language))), .td(.text(t("Solde d’ouverture", "Opening balance"))), .td(),
                        .td(), .td(.class("num"), .text(statement.opening.formatted(language)))),
                    .forEach(statement.lines) { line in
                        .tr(.td(.text(DateText.short(line.time, language))), .td(.text(line.memo)),
                            .td(.text(names[line.counterparty.uuid] ?? String(line.counterparty.description.prefix(8)))),
                            .td(.class(line.change.isNegative ? "num debit" : "num credit"), .text((line.change.isPositive ? "+" : "") + line.change.formatted(language))),
                            .td(.class("num"), .text(line.balance.formatted(language))))
                    },
                    .tr(.td(), .td(.strong(.text(t("Solde de clôture", "Closing balance")))), .td(), .td(),
                        .td(.class("num"), .strong(.text(statement.closing.formatted(language)))))))))
    }

    @Sendable static func statementCSV(_ req: Request) async throws -> Response {
        let access = try await MoneyAccess(req)
        let account = try await access.visibleAccount(req.parameters.get("account", as: UUID.self))
        let period = try Statements.period(from: req.query["from"], to: req.query["to"])
        let statement = try await Statements.statement(account, period: period, on: req.db)
        let names = try await Statements.names(for: Set(statement.lines.map(\.counterparty.uuid)), req.language, on: req.db)
        return CSVResponse.make(statement.csv(req.language, zone: LocalZone(DateText.zone)) { names[$0.uuid] ?? String($0.description.prefix(8)) },
                                filename: "releve-\(account.id.uuidString.prefix(8).lowercased()).csv", byteOrderMark: true)
    }

    @Sendable static func statementJSON(_ req: Request) async throws -> Response {
        try await LedgerAPI.statement(req)
    }
}
