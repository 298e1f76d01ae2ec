/// Why the exchange of offers, wants and services refuses something.
extension DomainError {
    static func unknownChoice(field: String) -> DomainError {
        DomainError(.invalid, code: "unknown_choice", field: field,
                    fr: "Choisissez une des valeurs proposées.", en: "Choose one of the values offered.")
    }

    static let transactionTypeRequired = DomainError(
        .invalid, code: "transaction_type_required", field: "transaction_type",
        fr: "Indiquez au moins une façon d’échanger (prêt, location, vente ou don).",
        en: "Choose at least one way to exchange (lend, lease, sell or donate).")

    static let serviceCannotBeLent = DomainError(
        .invalid, code: "service_cannot_be_lent", field: "transaction_type",
        fr: "Un service se rend, il ne se prête ni ne se loue : choisissez vente ou don.",
        en: "A service is performed, not lent or leased: choose sell or donate.")

    static func invalidTag(_ limit: Int) -> DomainError {
        DomainError(.invalid, code: "invalid_tag", field: "tags",
                    fr: "Chaque mot-clé compte au plus \(limit) caractères ; séparez-les par des virgules.",
                    en: "Each tag has at most \(limit) characters; separate them with commas.")
    }

    static func tooManyTags(_ limit: Int) -> DomainError {
        DomainError(.invalid, code: "too_many_tags", field: "tags",
                    fr: "Au plus \(limit) mots-clés.", en: "At most \(limit) tags.")
    }

    static func invalidExpiry(_ days: Int) -> DomainError {
        DomainError(.invalid, code: "invalid_expiry", field: "expires_on",
                    fr: "La date de fin est une date (AAAA-MM-JJ) entre aujourd’hui et dans \(days) jours.",
                    en: "The end date is a date (YYYY-MM-DD) between today and \(days) days from now.")
    }

    static let timeBankIsForServices = DomainError(
        .invalid, code: "time_bank_for_services", field: "accepts_time_bank",
        fr: "Seul un service se règle en heures dans la banque de temps.", en: "Only a service is settled in time-bank hours.")

    static let noTimeBank = DomainError(
        .conflict, code: "no_time_bank", field: "settlement",
        fr: "Cette coopérative n’a pas de banque de temps : le service peut être noté comme coup de main gratuit.",
        en: "This cooperative has no time bank: the service can be recorded as free help.")

    static let notTimeBankAccounts = DomainError(
        .invalid, code: "not_time_bank_accounts", field: "settlement",
        fr: "Le règlement en heures se fait entre les comptes temps de deux membres.",
        en: "Hours are settled between two members’ time accounts.")

    static let serviceToOneself = DomainError(
        .invalid, code: "service_to_oneself", field: "receiver",
        fr: "On ne se rend pas service à soi-même.", en: "You cannot do a service for yourself.")

    static let receiverRecordsHours = DomainError(
        .forbidden, code: "receiver_records_hours", field: nil,
        fr: "C’est la personne qui a reçu le service qui le règle en heures.",
        en: "The person who received the service settles it in hours.")

    static let notYourService = DomainError(
        .forbidden, code: "not_your_service", field: nil,
        fr: "Seules les deux personnes concernées peuvent noter ce service.",
        en: "Only the two people involved can record this service.")

    static func serviceTooLong(_ minutes: Int64) -> DomainError {
        DomainError(.invalid, code: "service_too_long", field: "duration",
                    fr: "Un service compte au plus \(minutes / 60) heures ; notez plusieurs services au-delà.",
                    en: "A service lasts at most \(minutes / 60) hours; record several beyond that.")
    }

    static let serviceInFuture = DomainError(
        .invalid, code: "service_in_future", field: "done_on",
        fr: "On note un service une fois rendu, pas à l’avance.", en: "A service is recorded once done, not ahead.")
}
