/// Why the ledger refuses something, in words the payer understands. Amounts are formatted in
/// each language; account ids are printed short (their first 8 characters), as on statements.
extension DomainError {
    public static func short(_ id: AccountID) -> String { String(id.description.prefix(8)) }

    public static func duplicateAccount(_ id: AccountID) -> DomainError {
        DomainError(.conflict, code: "duplicate_account", field: "account",
                    fr: "Le compte \(short(id)) existe déjà.", en: "Account \(short(id)) already exists.")
    }

    public static func unknownAccount(_ id: AccountID) -> DomainError {
        DomainError(.notFound, code: "unknown_account", field: "account",
                    fr: "Le compte \(short(id)) n’existe pas.", en: "Account \(short(id)) does not exist.")
    }

    public static func accountClosed(_ id: AccountID) -> DomainError {
        DomainError(.conflict, code: "account_closed", field: "account",
                    fr: "Le compte \(short(id)) est clos.", en: "Account \(short(id)) is closed.")
    }

    public static func accountNotEmpty(_ id: AccountID, balance: Amount) -> DomainError {
        DomainError(.conflict, code: "account_not_empty", field: "account",
                    fr: "Le compte \(short(id)) ne peut être clos : solde de \(balance.formatted(.fr)) ou opérations en attente.",
                    en: "Account \(short(id)) cannot be closed: balance of \(balance.formatted(.en)) or transfers pending.")
    }

    public static let invalidLimits = DomainError(
        .invalid, code: "invalid_limits", field: "limits",
        fr: "Un plancher (ligne de crédit) est au plus zéro et un plafond au moins zéro.",
        en: "A floor (credit line) is at most zero and a ceiling at least zero.")

    /// Floors are credit lines: a business's barter account, a member's hours. A euro wallet,
    /// the deposits or the capital never go below zero by the board's say-so.
    public static let notACreditLine = DomainError(.invalid, code: "not_a_credit_line", field: "account",
        fr: "Seuls les comptes à crédit (comptes d’échange des entreprises, heures de la banque de temps) ont un plancher.",
        en: "Only credit-line accounts (businesses' barter accounts, time-bank hours) have a floor.")

    public static func limitsExcludeBalance(_ id: AccountID, balance: Amount) -> DomainError {
        DomainError(.conflict, code: "limits_exclude_balance", field: "limits",
                    fr: "Le compte \(short(id)) a un solde disponible de \(balance.formatted(.fr)), hors des nouvelles limites ; elles s’appliqueront une fois le solde revenu dedans.",
                    en: "Account \(short(id)) has an available balance of \(balance.formatted(.en)), outside the new limits; they can be set once the balance is back inside.")
    }

    public static func unitMismatch(_ expected: UnitOfAccount, _ found: UnitOfAccount) -> DomainError {
        DomainError(.invalid, code: "unit_mismatch", field: "amount",
                    fr: "On ne mélange pas les unités : \(expected.code) attendu, \(found.code) reçu.",
                    en: "Units do not mix: \(expected.code) expected, \(found.code) given.")
    }

    public static let amountOverflow = DomainError(
        .invalid, code: "amount_overflow", field: "amount",
        fr: "Le montant est trop grand pour être compté.", en: "The amount is too large to be counted.")

    public static func amountNotPositive(_ amount: Amount) -> DomainError {
        DomainError(.invalid, code: "amount_not_positive", field: "amount",
                    fr: "Un virement porte sur un montant positif, pas \(amount.formatted(.fr)).",
                    en: "A transfer moves a positive amount, not \(amount.formatted(.en)).")
    }

    public static let sameAccount = DomainError(
        .invalid, code: "same_account", field: "credit",
        fr: "Un virement va d’un compte à un autre compte.", en: "A transfer goes from one account to another.")

    public static func memoTooLong(_ limit: Int) -> DomainError {
        DomainError(.invalid, code: "memo_too_long", field: "memo",
                    fr: "Le libellé dépasse \(limit) caractères.", en: "The memo is longer than \(limit) characters.")
    }

    public static func invalidIdempotencyKey(_ limit: Int) -> DomainError {
        DomainError(.invalid, code: "invalid_idempotency_key", field: "idempotencyKey",
                    fr: "La clé d’idempotence compte de 1 à \(limit) caractères.",
                    en: "The idempotency key has 1 to \(limit) characters.")
    }

    public static func idempotencyKeyReused(_ key: String) -> DomainError {
        DomainError(.conflict, code: "idempotency_key_reused", field: "idempotencyKey",
                    fr: "La clé « \(key) » a déjà servi pour une autre opération.",
                    en: "The key “\(key)” was already used for a different transfer.")
    }

    public static func duplicateTransfer(_ id: TransferID) -> DomainError {
        DomainError(.conflict, code: "duplicate_transfer", field: "id",
                    fr: "Une autre opération porte déjà l’identifiant \(id).",
                    en: "Another transfer already has the id \(id).")
    }

    public static func belowFloor(_ id: AccountID, floor: Amount, available: Amount, asked: Amount) -> DomainError {
        DomainError(.conflict, code: "below_floor", field: "amount",
                    fr: "Solde insuffisant sur le compte \(short(id)) : \(available.formatted(.fr)) disponibles, plancher à \(floor.formatted(.fr)), \(asked.formatted(.fr)) demandés.",
                    en: "Insufficient balance on account \(short(id)): \(available.formatted(.en)) available, floor at \(floor.formatted(.en)), \(asked.formatted(.en)) asked.")
    }

    public static func aboveCeiling(_ id: AccountID, ceiling: Amount) -> DomainError {
        DomainError(.conflict, code: "above_ceiling", field: "amount",
                    fr: "Le compte \(short(id)) dépasserait son plafond de \(ceiling.formatted(.fr)).",
                    en: "Account \(short(id)) would go over its ceiling of \(ceiling.formatted(.en)).")
    }

    public static let expiryNotAfterTime = DomainError(
        .invalid, code: "expiry_not_after_time", field: "expiresAt",
        fr: "Une réservation expire après le moment où elle est faite.",
        en: "A reservation expires after the moment it is made.")

    public static func unknownPending(_ id: TransferID) -> DomainError {
        DomainError(.notFound, code: "unknown_pending", field: "pending",
                    fr: "Aucune réservation ne porte l’identifiant \(id).", en: "No reservation has the id \(id).")
    }

    /// A held amount (a loan's deposit…) is settled by the rule of what it is held for, never by
    /// the generic transfer API.
    public static let heldForPurpose = DomainError(.conflict, code: "held_for_purpose", field: "pending",
        fr: "Ce montant est retenu pour un usage précis (une caution, par exemple) : seul cet usage peut le libérer ou le prélever.",
        en: "This amount is held for a purpose (a deposit, for instance): only that purpose can release or take it.")

    public static let nothingHeld = DomainError(.conflict, code: "nothing_held", field: "pending",
        fr: "Aucun montant n’est retenu pour cet usage.", en: "No amount is held for this purpose.")

    public static func pendingSettled(_ id: TransferID) -> DomainError {
        DomainError(.conflict, code: "pending_settled", field: "pending",
                    fr: "La réservation \(id) est déjà validée, annulée ou expirée.",
                    en: "Reservation \(id) is already posted, voided or expired.")
    }

    public static func pendingExpired(_ id: TransferID) -> DomainError {
        DomainError(.conflict, code: "pending_expired", field: "pending",
                    fr: "La réservation \(id) a expiré ; il faut en refaire une.",
                    en: "Reservation \(id) has expired; make a new one.")
    }

    public static let settlementMismatch = DomainError(
        .invalid, code: "settlement_mismatch", field: "pending",
        fr: "La validation ou l’annulation doit reprendre les comptes (et, pour une annulation, le montant) de la réservation.",
        en: "Posting or voiding must name the reservation’s accounts (and, to void, its amount).")

    public static func postExceedsReserved(_ reserved: Amount) -> DomainError {
        DomainError(.invalid, code: "post_exceeds_reserved", field: "amount",
                    fr: "On ne peut valider plus que les \(reserved.formatted(.fr)) réservés.",
                    en: "Cannot post more than the \(reserved.formatted(.en)) reserved.")
    }

    public static let cannotReverse = DomainError(
        .invalid, code: "cannot_reverse", field: "reverses",
        fr: "Seul un virement passé peut être contre-passé, par un virement immédiat.",
        en: "Only a posted transfer can be reversed, by an immediate transfer.")

    public static func alreadyReversed(_ id: TransferID) -> DomainError {
        DomainError(.conflict, code: "already_reversed", field: "reverses",
                    fr: "Le virement \(id) a déjà été contre-passé.", en: "Transfer \(id) was already reversed.")
    }

    public static let reversalMismatch = DomainError(
        .invalid, code: "reversal_mismatch", field: "reverses",
        fr: "Une contre-passation inverse les comptes et reprend le même montant.",
        en: "A reversal swaps the accounts and keeps the same amount.")
}
