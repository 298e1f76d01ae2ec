import Fluent
import Foundation
import MaillageCore

/// What the other side of an ask is told, in the `rides` kind (mailed at once unless they chose
/// otherwise: a seat may be for a trip within hours).
enum CarpoolNotices {
    static func link(_ slug: String, ask: UUID) -> String { "/c/\(slug)/carpool/asks/\(ask)" }

    static func text(for status: AskStatus, ask: RideAskRow, by name: String, reason: String) -> Localized {
        let trip = "\(ask.pickup_name) → \(ask.dropoff_name)"
        let day = ask.date.map { DayText.short($0, .fr) } ?? ask.travel_date
        let dayEn = ask.travel_date
        switch status {
        case .initiated:
            return Localized(fr: "\(name) vous écrit au sujet du trajet \(trip) du \(day).", en: "\(name) writes to you about the ride \(trip) on \(dayEn).")
        case .pending:
            return ask.askedBy == .passenger
                ? Localized(fr: "\(name) demande une place sur votre trajet \(trip) du \(day).", en: "\(name) asks for a seat on your ride \(trip) on \(dayEn).")
                : Localized(fr: "\(name) vous propose de vous emmener : \(trip), le \(day).", en: "\(name) offers to take you: \(trip) on \(dayEn).")
        case .accepted:
            return Localized(fr: "\(name) a accepté : trajet \(trip) du \(day). Vos coordonnées sont maintenant visibles l’un·e pour l’autre.",
                             en: "\(name) accepted: ride \(trip) on \(dayEn). You can now see each other's contact details.")
        case .declined:
            return Localized(fr: "\(name) a décliné la demande pour le trajet \(trip) du \(day).", en: "\(name) declined the request for the ride \(trip) on \(dayEn).")
        case .cancelled:
            let why = reason.isEmpty ? "" : " « \(reason) »"
            return Localized(fr: "\(name) a annulé le trajet \(trip) du \(day).\(why)", en: "\(name) cancelled the ride \(trip) on \(dayEn).\(why)")
        case .completed:
            return Localized(fr: "\(name) a noté le trajet \(trip) du \(day) comme effectué.", en: "\(name) marked the ride \(trip) on \(dayEn) as completed.")
        }
    }

    /// Tells the other side of `ask` what `person` just did.
    static func tellOtherSide(of ask: RideAskRow, by person: UUID, slug: String, reason: String = "", on db: any Database) async throws {
        let name = try await CarpoolAccess.names([person], on: db)[person] ?? ""
        try await Inbox.notify(ask.other(than: person), text(for: ask.askStatus, ask: ask, by: name, reason: reason),
                               link: link(slug, ask: ask.id), kind: .rides, on: db)
    }
}
