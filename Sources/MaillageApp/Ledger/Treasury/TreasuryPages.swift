import Fluent
import MaillageCore
import Plot
import SQLKit
import Vapor

/// `/c/<slug>/treasury` (board): fees per activity, mutual-credit rules, costs, share capital,
/// and the year-end allocation put to the members' vote.
enum TreasuryPages {
    struct FeesForm: Content {
        var activity: String
        var percent: String
        var fixed: String?
        var values: [String: String] { ["activity": activity, "percent": percent, "fixed": fixed ?? ""] }
    }

    struct CreditForm: Content {
        var defaultLine: String
        var yearlyFee: String
        var timeFloor: String?
        enum CodingKeys: String, CodingKey { case defaultLine = "default_line", yearlyFee = "yearly_fee", timeFloor = "time_floor" }
        var values: [String: String] { ["default_line": defaultLine, "yearly_fee": yearlyFee, "time_floor": timeFloor ?? ""] }
    }

    struct CostForm: Content {
        var kind: String
        var label: String
        var amount: String
        var date: String?
        var nonce: String?
        var values: [String: String] { ["kind": kind, "label": label, "cost_amount": amount, "date": date ?? ""] }
    }

    struct AllocationForm: Content {
        var year: String
        var legalReserve: String
        var statutoryReserve: String
        var patronageRefund: String
        var interestRate: String
        var subsidies: String?
        var closesInDays: String?
        var opensAt: String?
        var submit: String?
        enum CodingKeys: String, CodingKey {
            case year, submit, subsidies
            case legalReserve = "legal_reserve", statutoryReserve = "statutory_reserve", patronageRefund = "patronage_refund"
            case interestRate = "interest_rate", closesInDays = "closes_in_days", opensAt = "opens_at"
        }
        var values: [String: String] {
            ["year": year, "legal_reserve": legalReserve, "statutory_reserve": statutoryReserve, "patronage_refund": patronageRefund,
             "interest_rate": interestRate, "subsidies": subsidies ?? "", "closes_in_days": closesInDays ?? "15", "opens_at": opensAt ?? ""]
        }
    }

    struct States {
        var fees = FormState(), credit = FormState(), cost = FormState(), allocation = FormState()
        var preview: AllocationProposal?
    }

    /// "2,5" → 250 basis points.
    static func basisPoints(_ text: String, field: String) throws(DomainError) -> Int64 {
        let clean = text.replacingOccurrences(of: "%", with: "").trimmingCharacters(in: .whitespaces)
        guard let cents = Euros.parseCents(clean), (0...10_000).contains(cents) else { throw DomainError.invalidRate(field: field) }
        return cents
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        let access = try await MoneyAccess(req, minimum: .board)
        let year = YearEnd.currentYear()
        let regime = AllocationRegime(legalForm: access.coop.form) ?? .cooperative
        let minimum = AllocationTerms.legalMinimum(for: regime)
        func pct(_ bp: Int64) -> String { UnitOfAccount.decimal(bp, req.language) }
        var states = States()
        states.allocation = FormState(values: ["year": String(year - 1), "legal_reserve": pct(minimum.legalReserve),
                                               "statutory_reserve": pct(minimum.statutoryReserve), "patronage_refund": pct(minimum.patronageRefund),
                                               "interest_rate": pct(minimum.interestRate), "closes_in_days": "15"])
        return try await view(req, access: access, states: states)
    }

    static func view(_ req: Request, access: MoneyAccess, states: States, status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.t, language = req.language, coop = access.coop
        let rules = try await FeeRules.all(access.coopID, on: req.db)
        let settings = try await CreditSettings.load(access.coopID, on: req.db)
        let capital = try await AccountBook.open(.capital, cooperative: access.coopID, on: req.db)
        var allocations: [(YearEnd.Stored, AllocationStatus)] = []
        for stored in try await YearEnd.allocations(of: access.coopID, on: req.db) {
            allocations.append((stored, try await YearEnd.status(stored, on: req.db)))
        }
        let mutual = coop.activityList.contains(.barter) || coop.activityList.contains(.exchange)
        func pct(_ bp: Int64) -> String { UnitOfAccount.decimal(bp, language) + " %" }
        var feeState = states.fees
        if feeState.values.isEmpty, let first = coop.activityList.first {
            let rule = rules[first] ?? FeeRules.defaultRule(for: first)
            feeState.values = ["activity": first.rawValue, "percent": UnitOfAccount.decimal(rule.basisPoints, language),
                               "fixed": rule.fixed.map { Euros.format(cents: $0.minorUnits, language).replacingOccurrences(of: " €", with: "") } ?? ""]
        }
        var creditState = states.credit
        if creditState.values.isEmpty {
            creditState.values = ["default_line": UnitOfAccount.decimal(settings.defaultLine, language),
                                  "yearly_fee": UnitOfAccount.decimal(settings.yearlyFee, language),
                                  "time_floor": settings.timeFloor.map { UnitOfAccount.hour.format(-$0, language) } ?? ""]
        }
        return Layout.page(req, title: t("Trésorerie — \(coop.name)", "Treasury — \(coop.name)"), status: status,
            .p(.a(.href("/c/\(coop.slug)/money"), .text("← " + t("Comptes", "Accounts"))), .text(" · "),
               .a(.href("/c/\(coop.slug)/transparency"), .text(t("Page de transparence publique", "Public transparency page")))),
            .h1(.text(t("Trésorerie", "Treasury"))),
            .section(.h2(.text(t("Frais par activité", "Fee per activity"))),
                .p(.class("hint"), .text(t("Les frais sont prélevés au moment du paiement et affichés à l’acheteur avant qu’il confirme.",
                                           "Fees are taken when the payment is made and shown to the buyer before they confirm."))),
                TransparencyPages.table(t, [(t("Activité", "Activity"), t("Frais", "Fee"))], coop.activityList.map { activity in
                    let rule = rules[activity] ?? FeeRules.defaultRule(for: activity)
                    return (activity.label(language), pct(rule.basisPoints) + (rule.fixed.map { " + " + $0.formatted(language) } ?? ""))
                }),
                Form.post(req, action: "/c/\(coop.slug)/treasury/fees",
                    Form.summary(feeState, t),
                    Form.select("activity", label: t("Activité", "Activity"), state: feeState, t,
                                options: coop.activityList.map { ($0.rawValue, $0.label(language)) }),
                    Form.field("percent", label: t("Pourcentage (%)", "Percentage (%)"), state: feeState, t, hint: t("Par ex. « 2,5 ».", "E.g. “2.5”.")),
                    Form.field("fixed", label: t("Montant fixe par vente (€)", "Fixed amount per sale (€)"), state: feeState, t, required: false),
                    Form.submit(t("Enregistrer les frais", "Save the fee")))),
            mutual ? .section(.h2(.text(t("Crédit mutuel : troc et banque de temps", "Mutual credit: barter and time bank"))),
                Form.post(req, action: "/c/\(coop.slug)/treasury/credit",
                    Form.summary(creditState, t),
                    Form.field("default_line", label: t("Ligne de crédit d’une nouvelle entreprise (unités)", "Credit line of a new business (units)"), state: creditState, t),
                    Form.field("yearly_fee", label: t("Cotisation annuelle (unités de troc)", "Yearly fee (barter units)"), state: creditState, t),
                    Form.field("time_floor", label: t("Heures qu’un sociétaire peut devoir à la banque de temps", "Hours a member may owe the time bank"),
                               state: creditState, t, required: false, hint: t("Vide : pas de limite. Par ex. « 10 h ».", "Empty: no limit. E.g. “10 h”.")),
                    Form.submit(t("Enregistrer", "Save")))) : .empty,
            .section(.h2(.text(t("Saisir une charge", "Enter a cost"))),
                .p(.class("hint"), .text(t("Les charges sont publiées sur la page de transparence, par nature.", "Costs are published on the transparency page, by kind."))),
                Form.post(req, action: "/c/\(coop.slug)/treasury/costs",
                    Form.summary(states.cost, t), MoneyPages.nonceField(),
                    Form.select("kind", label: t("Nature", "Kind"), state: states.cost, t, options: Transparency.costKinds.map { ($0.0, $0.1(language)) }),
                    Form.field("label", label: t("Libellé", "Label"), state: states.cost, t),
                    Form.field("cost_amount", label: t("Montant (€)", "Amount (€)"), state: states.cost, t),
                    Form.field("date", label: t("Date", "Date"), state: states.cost, t, type: .date, required: false),
                    Form.submit(t("Enregistrer la charge", "Save the cost")))),
            .section(.h2(.text(t("Capital social", "Share capital"))),
                .p(.text(t("Capital libéré : ", "Paid-up capital: ")), .strong(.text(Euros.format(cents: capital.posted, language))),
                   .text(" · " + t("valeur d’une part : ", "value of a share: ") + Euros.format(cents: coop.shareNominalCents, language))),
                .p(.class("hint"), .text(t("Les souscriptions sont comptabilisées à l’acceptation d’une adhésion, les remboursements au départ — sauf si le capital passait sous le quart du plus haut atteint.",
                                           "Subscriptions are booked when a membership is approved, redemptions when a member leaves — unless capital would fall below a quarter of the highest reached.")))),
            allocationSection(req, access: access, state: states.allocation, preview: states.preview, allocations: allocations))
    }

    static func allocationSection(_ req: Request, access: MoneyAccess, state: FormState, preview: AllocationProposal?,
                                  allocations: [(YearEnd.Stored, AllocationStatus)]) -> Node<HTML.BodyContext> {
        let t = req.t, language = req.language, coop = access.coop
        return .section(.h2(.text(t("Affectation du résultat", "Allocation of the result"))),
            .p(.class("hint"), .text(t("Calculée selon la forme juridique (\(coop.form.rawValue.uppercased())), puis soumise au vote des sociétaires à la majorité des deux tiers ; comptabilisée seulement si elle est adoptée.",
                                       "Computed under the legal form (\(coop.form.rawValue.uppercased())), then put to the members' vote with a two-thirds majority; booked only if adopted."))),
            allocations.isEmpty ? .empty : .ul(.forEach(allocations) { stored, status in
                .li(.text("\(stored.year) — " + t(status.label)),
                    .unwrap(stored.proposal_id) { .group(.text(" · "), .a(.href("/c/\(coop.slug)/votes/\($0)"), .text(t("le vote", "the vote")))) })
            }),
            .unwrap(preview) { proposal in
                .div(.class("notice"),
                     .p(.strong(.text(t("Proposition : ", "Proposal: ")))), .p(.text(proposal.motion(language))),
                     Charts.bars(proposal.lines.map { line in
                         Charts.Bar(label: line.destination.label(proposal.regime)(language), value: line.amount.minorUnits, text: line.amount.formatted(language))
                     }, title: t("Affectation proposée", "Proposed allocation"), description: proposal.motion(language)))
            },
            Form.post(req, action: "/c/\(coop.slug)/treasury/allocation",
                Form.summary(state, t),
                Form.field("year", label: t("Exercice", "Year"), state: state, t, type: .number),
                Form.field("legal_reserve", label: t("Réserve légale (% de l’excédent, au moins 15)", "Legal reserve (% of the surplus, at least 15)"), state: state, t),
                Form.field("statutory_reserve", label: t("Réserve statutaire (% du reste)", "Statutory reserve (% of the rest)"), state: state, t),
                Form.field("patronage_refund", label: t("Ristourne (% de l’excédent)", "Patronage refund (% of the surplus)"), state: state, t),
                Form.field("interest_rate", label: t("Intérêt annuel aux parts (%)", "Yearly interest on shares (%)"), state: state, t),
                Form.field("subsidies", label: t("Subventions publiques incluses dans le résultat (€)", "Public subsidies included in the result (€)"), state: state, t, required: false),
                Form.field("opens_at", label: t("Ouverture du vote (heure de Paris)", "Vote opens (Paris time)"), state: state, t, type: .datetimeLocal,
                           required: false, hint: t("Laisser vide pour ouvrir maintenant ; par exemple le jour de l’assemblée générale.",
                                                    "Leave empty to open now; the day of the general assembly, for example.")),
                Form.field("closes_in_days", label: t("Durée du vote (jours)", "Length of the vote (days)"), state: state, t, type: .number),
                .div(.class("actions"),
                     .button(.type(.submit), .name("submit"), .value("preview"), .text(t("Calculer", "Compute"))), .text(" "),
                     .button(.type(.submit), .class("primary"), .name("submit"), .value("vote"), .text(t("Soumettre au vote", "Put to the vote"))))))
    }

    @Sendable static func saveFees(_ req: Request) async throws -> Response {
        let access = try await MoneyAccess(req, minimum: .board)
        let form = try req.content.decode(FeesForm.self)
        var states = States()
        do {
            guard let activity = Activity(rawValue: form.activity), access.coop.activityList.contains(activity) else {
                throw DomainError(.invalid, code: "unknown_activity", field: "activity", fr: "Choisissez une activité de la coopérative.", en: "Choose one of the cooperative's activities.")
            }
            var errors = ValidationErrors()
            var points: Int64 = 0, fixed: Amount?
            do { points = try basisPoints(form.percent, field: "percent") } catch { errors.add(error) }
            if let text = form.fixed, !text.trimmingCharacters(in: .whitespaces).isEmpty {
                if let amount = Amount.parse(MoneyPages.negativeSafe(text), in: .eur) { fixed = amount.isPositive ? amount : nil }
                else { errors.add(DomainError.amountNegative(field: "fixed")) }
            }
            try errors.throwIfAny()
            try await FeeRules.save(try FeeRule(basisPoints: points, fixed: fixed), for: activity, in: access.coopID, by: access.userID, on: req.db)
            return req.done(Localized(fr: "Frais enregistrés.", en: "Fee saved."), goTo: "/c/\(access.coop.slug)/treasury")
        } catch {
            states.fees = try FormState(refused: error, values: form.values)
            return try await view(req, access: access, states: states, status: .unprocessableEntity)
        }
    }

    @Sendable static func saveCredit(_ req: Request) async throws -> Response {
        let access = try await MoneyAccess(req, minimum: .board)
        let form = try req.content.decode(CreditForm.self)
        var states = States()
        do {
            var errors = ValidationErrors()
            let line = Amount.parse(MoneyPages.negativeSafe(form.defaultLine), in: .barter)
            let fee = Amount.parse(MoneyPages.negativeSafe(form.yearlyFee), in: .barter)
            if line == nil { errors.add(DomainError(.invalid, code: "invalid_amount", field: "default_line", fr: "Montant illisible.", en: "Unreadable amount.")) }
            if fee == nil { errors.add(DomainError(.invalid, code: "invalid_amount", field: "yearly_fee", fr: "Montant illisible.", en: "Unreadable amount.")) }
            var floor: Int64?
            if let text = form.timeFloor?.replacingOccurrences(of: "-", with: "").replacingOccurrences(of: "−", with: ""),
               !text.trimmingCharacters(in: .whitespaces).isEmpty {
                if let hours = Amount.parse(text, in: .hour) { floor = -hours.minorUnits }
                else { errors.add(DomainError(.invalid, code: "invalid_amount", field: "time_floor", fr: "Durée illisible, par ex. « 10 h ».", en: "Unreadable duration, e.g. “10 h”.")) }
            }
            try errors.throwIfAny()
            try await CreditSettings(defaultLine: line?.minorUnits ?? 0, yearlyFee: fee?.minorUnits ?? 0, timeFloor: floor).save(access.coopID, on: req.db)
            return req.done(Localized(fr: "Règles enregistrées ; elles valent pour les comptes ouverts désormais.",
                                      en: "Rules saved; they apply to accounts opened from now on."), goTo: "/c/\(access.coop.slug)/treasury")
        } catch {
            states.credit = try FormState(refused: error, values: form.values)
            return try await view(req, access: access, states: states, status: .unprocessableEntity)
        }
    }

    @Sendable static func addCost(_ req: Request) async throws -> Response {
        let access = try await MoneyAccess(req, minimum: .board)
        let form = try req.content.decode(CostForm.self)
        var states = States()
        do {
            var errors = ValidationErrors()
            var label = ""
            do { label = try Validate.text(form.label, field: "label", label: Localized(fr: "Libellé", en: "Label"), range: 2...200) } catch { errors.add(error) }
            let amount = Amount.parse(MoneyPages.negativeSafe(form.amount), in: .eur)
            if amount?.isPositive != true {
                errors.add(DomainError(.invalid, code: "invalid_amount", field: "cost_amount", fr: "Montant en euros, par ex. « 350 ».", en: "An amount in euros, e.g. “350”."))
            }
            var time = Date()
            if let date = form.date, !date.isEmpty {
                do {
                    let day = try Statements.period(from: date, to: date)
                    guard day.lowerBound <= Date() else { throw DomainError(.invalid, code: "future_date", field: "date", fr: "Une charge se saisit une fois engagée : pas de date future.", en: "A cost is entered once incurred: no future date.") }
                    time = day.lowerBound.addingTimeInterval(12 * 3600)
                } catch let error as DomainError {
                    errors.add(DomainError(error.kind, code: error.code, field: "date", fr: error.message.fr, en: error.message.en))
                }
            }
            try errors.throwIfAny()
            let kind = Transparency.costKinds.contains { $0.0 == form.kind } ? form.kind : "other"
            let operating = try await AccountBook.open(.operating, cooperative: access.coopID, on: req.db)
            let clearing = try await AccountBook.open(.clearing, cooperative: access.coopID, on: req.db)
            try await LedgerStore.post(Posting(transfer: Transfer(debit: AccountID(operating.id), credit: AccountID(clearing.id), amount: amount!,
                                                                  memo: label, idempotencyKey: try MoneyPages.formKey(form.nonce, access), time: time),
                                               cooperative: access.coopID, category: .cost, tag: kind, createdBy: access.userID), on: req.db)
            return req.done(Localized(fr: "Charge enregistrée.", en: "Cost saved."), goTo: "/c/\(access.coop.slug)/treasury")
        } catch {
            states.cost = try FormState(refused: error, values: form.values)
            return try await view(req, access: access, states: states, status: .unprocessableEntity)
        }
    }

    @Sendable static func proposeAllocation(_ req: Request) async throws -> Response {
        let access = try await MoneyAccess(req, minimum: .board)
        let form = try req.content.decode(AllocationForm.self)
        var states = States()
        states.allocation = FormState(values: form.values)
        do {
            var errors = ValidationErrors()
            let current = YearEnd.currentYear()
            let year = Int(form.year) ?? 0
            if !(2000...current).contains(year) {
                errors.add(DomainError(.invalid, code: "invalid_year", field: "year", fr: "Exercice entre 2000 et \(current).", en: "A year between 2000 and \(current)."))
            }
            var terms = AllocationTerms(interestCap: req.application.maillage.shareInterestAverageYield.map(ShareInterestCap.init))
            do { terms.legalReserve = try basisPoints(form.legalReserve, field: "legal_reserve") } catch { errors.add(error) }
            do { terms.statutoryReserve = try basisPoints(form.statutoryReserve, field: "statutory_reserve") } catch { errors.add(error) }
            do { terms.patronageRefund = try basisPoints(form.patronageRefund, field: "patronage_refund") } catch { errors.add(error) }
            do { terms.interestRate = try basisPoints(form.interestRate, field: "interest_rate") } catch { errors.add(error) }
            let subsidies = form.subsidies.flatMap { $0.isEmpty ? nil : Amount.parse(MoneyPages.negativeSafe($0), in: .eur) } ?? .zero(.eur)
            let days = Int(form.closesInDays ?? "15") ?? 0
            if !(15...60).contains(days) {
                errors.add(DomainError(.invalid, code: "invalid_length", field: "closes_in_days", fr: "Entre 15 et 60 jours.", en: "Between 15 and 60 days."))
            }
            var opensAt: Date?
            if let typed = form.opensAt, !typed.isEmpty {
                opensAt = DateText.localInput.date(from: typed)
                if opensAt == nil {
                    errors.add(DomainError(.invalid, code: "invalid_date", field: "opens_at",
                                           fr: "Date et heure attendues, par exemple 2026-12-01T18:00.", en: "A date and time is expected, e.g. 2026-12-01T18:00."))
                }
            }
            try errors.throwIfAny()
            if form.submit == "vote" {
                let now = Date(), opens = max(opensAt ?? now, now)
                let proposal = try await YearEnd.propose(access.coop, year: year, terms: terms, subsidies: subsidies,
                                                         closesAt: opens.addingTimeInterval(Double(days) * 86_400), by: access.user, on: req.db,
                                                         now: now, opensAt: opens)
                let notice = opens > now
                    ? Localized(fr: "Affectation proposée ; le vote ouvrira le \(DateText.short(opens, .fr)).", en: "Allocation proposed; the vote opens on \(DateText.short(opens, .en)).")
                    : Localized(fr: "Affectation proposée ; le vote est ouvert et les sociétaires sont prévenus.", en: "Allocation proposed; the vote is open and members have been told.")
                return req.done(notice, goTo: "/c/\(access.coop.slug)/votes/\(try proposal.requireID())")
            }
            let figures = try await YearEnd.figures(access.coop, year: year, subsidies: subsidies, on: req.db)
            states.preview = try SurplusAllocation.propose(for: figures, legalForm: access.coop.form, terms: terms)
            return try await view(req, access: access, states: states)
        } catch {
            states.allocation = try FormState(refused: error, values: form.values)
            return try await view(req, access: access, states: states, status: .unprocessableEntity)
        }
    }
}
