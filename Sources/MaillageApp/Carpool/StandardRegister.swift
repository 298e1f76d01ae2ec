import Foundation
import Fluent
import MaillageCore
import SQLKit

/// What the operator API keeps: partner operators' keys (a hash, never the key), and the bookings
/// and messages partners send for their own users, who are not members here: an alias and a
/// reference chosen by the partner, the pickup and drop-off they asked for.
enum StandardRegister {
    static var tables: [TableRegister] {
        let partnersUsers = Localized(fr: "Personnes inscrites chez un opérateur partenaire", en: "People registered with a partner operator")
        let driverAndPartner = Localized(fr: "Le conducteur ou la conductrice du trajet ; l’opérateur partenaire ; le personnel en cas de litige",
                                         en: "The ride's driver; the partner operator; staff in a dispute")
        return [
            TableRegister(table: "carpool_partner_keys", subject: nil,
                          purpose: Localized(fr: "Reconnaître les opérateurs partenaires de l’API de covoiturage", en: "Recognise the carpool API's partner operators"),
                          legalBasis: .contract, persons: Localized(fr: "Aucune (organisations partenaires)", en: "None (partner organisations)"),
                          recipients: Localized(fr: "Le personnel de la coopérative", en: "The cooperative's staff"), retention: .whileAccountExists,
                          personal: [], nonPersonal: ["id", "cooperative_id", "name", "key_hash", "created_by", "created_at", "revoked_at"]),
            TableRegister(table: "carpool_partner_bookings", subject: "driver_id",
                          purpose: Localized(fr: "Réserver une place sur un trajet depuis un opérateur partenaire", en: "Book a seat on a ride from a partner operator"),
                          legalBasis: .contract, persons: partnersUsers, recipients: driverAndPartner, retention: .cooperativeRecords(years: 1),
                          personal: [PersonalField("passenger_alias", .identity), PersonalField("passenger_ref", .identity),
                                     PersonalField("pickup_lat", .location), PersonalField("pickup_lon", .location),
                                     PersonalField("drop_lat", .location), PersonalField("drop_lon", .location), PersonalField("pickup_at", .location)],
                          nonPersonal: ["id", "cooperative_id", "partner_key_id", "ad_id", "travel_date", "leg", "status", "passenger_operator",
                                        "created_at", "updated_at", "driver_id", "driver_confirmed_at", "passenger_confirmed_at"]),
            TableRegister(table: "carpool_partner_messages", subject: nil,
                          purpose: Localized(fr: "Transmettre le message d’une personne inscrite chez un partenaire", en: "Pass on a message from a partner's user"),
                          legalBasis: .contract, persons: partnersUsers, recipients: driverAndPartner, retention: .cooperativeRecords(years: 1),
                          personal: [PersonalField("sender_alias", .identity), PersonalField("body", .communication)],
                          nonPersonal: ["id", "cooperative_id", "partner_key_id", "ad_id", "booking_id", "created_at"]),
        ]
    }

    /// The driver's account is erased: the partner's bookings on their rides stay the partner's
    /// record (its own user, the places it asked), no longer linked to the person.
    static func erase(_ user: UUID, on db: any Database) async throws {
        try await db.sql.update("carpool_partner_bookings").set("driver_id", to: SQLLiteral.null).where("driver_id", .equal, SQLBind(user)).run()
    }
}
