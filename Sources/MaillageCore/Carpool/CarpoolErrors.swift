import Foundation

/// The carpool module's refusals, in words a person understands, each naming its field.
public enum CarpoolErrors {
    public static func unknownChoice(_ field: String) -> DomainError {
        DomainError(.invalid, code: "unknown_choice", field: field, fr: "Choisissez une des valeurs proposées.", en: "Choose one of the values offered.")
    }
    public static func unknownPlace(_ field: String) -> DomainError {
        DomainError(.invalid, code: "unknown_place", field: field,
                    fr: "Choisissez une commune ou un point de rendez-vous de la liste.", en: "Choose a commune or a meeting point from the list.")
    }
    public static let samePlace = DomainError(.invalid, code: "same_place", field: "to",
        fr: "Le départ et l’arrivée sont au même endroit.", en: "The departure and the arrival are the same place.")
    public static let margin = DomainError(.invalid, code: "invalid_margin", field: "margin",
        fr: "La marge va de 0 à 120 minutes.", en: "The margin is 0 to 120 minutes.")
    public static func date(_ field: String) -> DomainError {
        DomainError(.invalid, code: "invalid_date", field: field, fr: "Indiquez une date (jj/mm/aaaa).", en: "Give a date (yyyy-mm-dd).")
    }
    public static func time(_ field: String) -> DomainError {
        DomainError(.invalid, code: "invalid_time", field: field, fr: "Indiquez une heure, par exemple 07:30.", en: "Give a time, for example 07:30.")
    }
    public static func past(_ field: String) -> DomainError {
        DomainError(.invalid, code: "in_the_past", field: field, fr: "Cette date est passée.", en: "This date is past.")
    }
    public static func tooFar(_ field: String) -> DomainError {
        DomainError(.invalid, code: "too_far_ahead", field: field, fr: "Publiez un trajet dans l’année qui vient.", en: "Publish a trip within the coming year.")
    }
    public static let returnBeforeOutward = DomainError(.invalid, code: "return_before_outward", field: "return_time",
        fr: "Le retour part après l’aller.", en: "The return leaves after the outward trip.")
    public static let regularRange = DomainError(.invalid, code: "invalid_period", field: "until_date",
        fr: "La fin vient après le début, et un trajet régulier dure un an au plus.", en: "The end comes after the start, and a regular trip lasts a year at most.")
    public static let noWeekday = DomainError(.invalid, code: "no_weekday", field: "out_1",
        fr: "Indiquez au moins un jour avec son heure de départ.", en: "Give at least one day with its departure time.")
    public static let seats = DomainError(.invalid, code: "invalid_seats", field: "seats",
        fr: "Le nombre de places va de 1 à 8.", en: "Seats go from 1 to 8.")
    public static let commentTooLong = DomainError(.invalid, code: "comment_too_long", field: "comment",
        fr: "Le commentaire fait 1 000 caractères au plus.", en: "The comment is 1,000 characters at most.")

    // Asks
    public static let notYourTurn = DomainError(.forbidden, code: "not_your_turn",
        fr: "C’est à l’autre personne de répondre à cette demande.", en: "The other person answers this request.")
    public static func wrongState(_ status: AskStatus) -> DomainError {
        DomainError(.conflict, code: "ask_\(status.rawValue)",
                    fr: "Cette demande est déjà \(status.label.fr.lowercased()).", en: "This request is already \(status.label.en.lowercased()).")
    }
    public static let reasonRequired = DomainError(.invalid, code: "reason_required", field: "reason",
        fr: "Dites en quelques mots pourquoi vous annulez : l’autre personne s’organise.", en: "Say in a few words why you cancel: the other person makes plans.")
    public static let full = DomainError(.conflict, code: "ride_full",
        fr: "Il n’y a plus assez de places libres ce jour-là.", en: "There are not enough free seats that day.")
    public static let notTravelling = DomainError(.invalid, code: "not_travelling", field: "travel_date",
        fr: "Ce trajet ne circule pas ce jour-là.", en: "This trip does not run that day.")
    public static let ownAd = DomainError(.invalid, code: "own_ad",
        fr: "C’est votre propre annonce.", en: "This is your own ad.")
    public static let notYet = DomainError(.conflict, code: "not_yet",
        fr: "Le trajet n’a pas encore eu lieu.", en: "The trip has not happened yet.")
    public static let alreadyAsked = DomainError(.conflict, code: "already_asked",
        fr: "Vous avez déjà une demande en cours pour ce trajet ce jour-là.", en: "You already have a request for this trip that day.")

    // Communities
    public static let communityClosed = DomainError(.forbidden, code: "community_closed",
        fr: "Cette communauté est réservée : votre adresse n’est pas sur sa liste.", en: "This community is restricted: your address is not on its list.")
    public static let communityDomain = DomainError(.forbidden, code: "community_domain",
        fr: "Cette communauté est réservée aux adresses de son organisation.", en: "This community is for its organisation's addresses only.")
}
