import Foundation

/// Why lending refuses something, in words the borrower or the owner understands.
extension DomainError {
    /// What someone tried to do to a loan, to say it back when it is refused.
    enum LoanAction: Sendable {
        case accept, decline, cancel, handover, giveBack, review

        var words: Localized {
            switch self {
            case .accept: Localized(fr: "accepter cette demande", en: "accept this request")
            case .decline: Localized(fr: "refuser cette demande", en: "decline this request")
            case .cancel: Localized(fr: "annuler ce prêt", en: "cancel this loan")
            case .handover: Localized(fr: "confirmer la remise de l’objet", en: "confirm the handover")
            case .giveBack: Localized(fr: "confirmer le retour de l’objet", en: "confirm the return")
            case .review: Localized(fr: "laisser un avis", en: "leave a review")
            }
        }
    }

    static let periodReversed = DomainError(
        .invalid, code: "period_reversed", field: "last_day",
        fr: "Le dernier jour du prêt ne peut précéder le premier.", en: "The last day of the loan cannot come before the first.")

    static let periodOutOfRange = DomainError(
        .invalid, code: "period_out_of_range", field: "last_day",
        fr: "Ces dates sont hors du calendrier.", en: "These dates are outside the calendar.")

    static func invalidDate(field: String) -> DomainError {
        DomainError(.invalid, code: "invalid_date", field: field,
                    fr: "Cette date n’est pas valide (format AAAA-MM-JJ).", en: "This date is not valid (format YYYY-MM-DD).")
    }

    static let periodInPast = DomainError(
        .invalid, code: "period_in_past", field: "first_day",
        fr: "On ne peut demander un prêt pour des jours passés.", en: "A loan cannot be requested for days in the past.")

    static func loanTooLong(maximumDays: Int) -> DomainError {
        DomainError(.invalid, code: "loan_too_long", field: "last_day",
                    fr: "Cet objet se prête au plus \(maximumDays) jour\(maximumDays > 1 ? "s" : "").",
                    en: "This item is lent for at most \(maximumDays) day\(maximumDays > 1 ? "s" : "").")
    }

    static func tooFarAhead(_ days: Int) -> DomainError {
        DomainError(.invalid, code: "too_far_ahead", field: "first_day",
                    fr: "On peut réserver au plus \(days) jours à l’avance.", en: "Loans can be booked at most \(days) days ahead.")
    }

    static func showcaseClosed(on date: LocalDate, field: String) -> DomainError {
        DomainError(.invalid, code: "showcase_closed", field: field,
                    fr: "Le lieu vitrine est fermé le \(date.day)/\(date.month)/\(date.year) (\(WeeklyHours.weekdayName(date.weekday, .fr))) : choisissez un jour d’ouverture pour retirer et rendre l’objet.",
                    en: "The showcase is closed on \(date.iso) (\(WeeklyHours.weekdayName(date.weekday, .en))): choose an opening day to collect and return the item.")
    }

    public static func datesTaken(_ clash: LoanPeriod) -> DomainError {
        DomainError(.conflict, code: "dates_taken", field: "first_day",
                    fr: "L’objet est déjà prêté du \(clash.first.iso) au \(clash.last.iso) : choisissez d’autres dates.",
                    en: "The item is already lent from \(clash.first.iso) to \(clash.last.iso): choose other dates.")
    }

    public static func datesBlocked(_ clash: LoanPeriod) -> DomainError {
        DomainError(.conflict, code: "dates_blocked", field: "first_day",
                    fr: "Le ou la propriétaire garde l’objet du \(clash.first.iso) au \(clash.last.iso).",
                    en: "The owner keeps the item from \(clash.first.iso) to \(clash.last.iso).")
    }

    static let ownItem = DomainError(
        .forbidden, code: "own_item", field: nil,
        fr: "On n’emprunte pas son propre objet.", en: "You cannot borrow your own item.")

    static func notYours(_ action: LoanAction) -> DomainError {
        DomainError(.forbidden, code: "loan_forbidden", field: nil,
                    fr: "Vous ne pouvez pas \(action.words.fr).", en: "You cannot \(action.words.en).")
    }

    static func wrongStatus(_ status: LoanStatus, for action: LoanAction) -> DomainError {
        DomainError(.conflict, code: "loan_wrong_status", field: nil,
                    fr: "Impossible de \(action.words.fr) : le prêt est \(status.label.fr).",
                    en: "Cannot \(action.words.en): the loan is \(status.label.en).")
    }

    static let declineInstead = DomainError(
        .conflict, code: "decline_instead", field: nil,
        fr: "Pour répondre non à une demande, refusez-la.", en: "To say no to a request, decline it.")

    static let requestStale = DomainError(
        .conflict, code: "request_stale", field: nil,
        fr: "Le premier jour demandé est passé : l’emprunteur doit refaire une demande.",
        en: "The first day asked for has passed: the borrower must ask again.")

    static func handoverTooEarly(_ first: LocalDate) -> DomainError {
        DomainError(.conflict, code: "handover_too_early", field: nil,
                    fr: "La remise se confirme à partir du premier jour du prêt (\(first.iso)).",
                    en: "The handover can be confirmed from the loan’s first day (\(first.iso)).")
    }

    static let handoverTooLate = DomainError(
        .conflict, code: "handover_too_late", field: nil,
        fr: "Les jours du prêt sont passés : annulez-le et refaites une demande.",
        en: "The loan’s days are over: cancel it and make a new request.")

    static let alreadyReviewed = DomainError(
        .conflict, code: "already_reviewed", field: "rating",
        fr: "Vous avez déjà laissé un avis sur ce prêt.", en: "You already reviewed this loan.")

    static let invalidRating = DomainError(
        .invalid, code: "invalid_rating", field: "rating",
        fr: "La note va de 1 à 5 étoiles.", en: "The rating is 1 to 5 stars.")

    static func reviewTooLong(_ limit: Int) -> DomainError {
        DomainError(.invalid, code: "review_too_long", field: "text",
                    fr: "L’avis compte au plus \(limit) caractères.", en: "A review has at most \(limit) characters.")
    }

    static let unknownCategory = DomainError(
        .invalid, code: "unknown_category", field: "category",
        fr: "Choisissez une catégorie dans la liste.", en: "Choose a category from the list.")

    static let unknownCondition = DomainError(
        .invalid, code: "unknown_condition", field: "condition",
        fr: "Choisissez l’état de l’objet dans la liste.", en: "Choose the item’s condition from the list.")

    static func invalidDeposit(limitCents: Int64) -> DomainError {
        DomainError(.invalid, code: "invalid_deposit", field: "deposit",
                    fr: "La caution est un montant entre 0 et \(Euros.format(cents: limitCents, .fr)) (exemple : 20 ou 20,50).",
                    en: "The deposit is an amount between 0 and \(Euros.format(cents: limitCents, .en)) (example: 20 or 20.50).")
    }

    static func invalidMaximumLoanDays(_ range: ClosedRange<Int>) -> DomainError {
        DomainError(.invalid, code: "invalid_maximum_loan_days", field: "maximum_loan_days",
                    fr: "La durée maximale d’un prêt est un nombre de jours entre \(range.lowerBound) et \(range.upperBound).",
                    en: "The longest loan is a number of days between \(range.lowerBound) and \(range.upperBound).")
    }

    static let noShowcase = DomainError(
        .invalid, code: "no_showcase", field: "pickup",
        fr: "La coopérative n’a pas de lieu vitrine : l’objet se retire chez vous.",
        en: "The cooperative has no showcase location: the item is collected at your home.")

    static let invalidOpeningSlot = DomainError(
        .invalid, code: "invalid_opening_slot", field: "hours",
        fr: "Un créneau d’ouverture a un jour de la semaine et une heure d’ouverture avant celle de fermeture (00:00 à 24:00).",
        en: "An opening slot has a weekday and an opening time before its closing time (00:00 to 24:00).")

    static let overlappingOpeningSlots = DomainError(
        .invalid, code: "overlapping_opening_slots", field: "hours",
        fr: "Deux créneaux d’ouverture se chevauchent le même jour.", en: "Two opening slots overlap on the same day.")

    static let invalidReminderSchedule = DomainError(
        .invalid, code: "invalid_reminder_schedule", field: "reminders",
        fr: "Les relances ont lieu de 1 à 365 jours après la fin du prêt, à une heure de 0 à 23.",
        en: "Reminders happen 1 to 365 days after the loan ends, at an hour from 0 to 23.")

    static let invalidSearchRadius = DomainError(
        .invalid, code: "invalid_radius", field: "radius",
        fr: "Le rayon de recherche va de 0,1 à 200 km.", en: "The search radius is 0.1 to 200 km.")

    static let searchTextTooLong = DomainError(
        .invalid, code: "search_too_long", field: "q",
        fr: "La recherche compte au plus 200 caractères.", en: "A search has at most 200 characters.")
}
