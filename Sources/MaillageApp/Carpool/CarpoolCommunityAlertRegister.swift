import Fluent
import Foundation
import MaillageCore
import SQLKit

/// What communities, alerts and reviews keep about people, and what erasing an account removes.
extension CarpoolCommunities {
    static let register: [TableRegister] = [
        TableRegister(table: "carpool_communities", subject: "created_by",
                      purpose: Localized(fr: "Les communautés de covoiturage (entreprise, école, événement) et qui peut les rejoindre",
                                         en: "Carpool communities (a company, a school, an event) and who may join them"),
                      legalBasis: .contract, persons: Localized(fr: "Personnel qui les crée ; personnes dont l’adresse est sur une liste d’accès",
                                                                en: "Staff who create them; people whose address is on an access list"),
                      recipients: Localized(fr: "Public : nom, description, domaines ; le personnel : la liste des adresses",
                                            en: "Public: name, description, domains; staff: the list of addresses"),
                      retention: .whileAccountExists,
                      personal: [PersonalField("addresses", .contact)],
                      nonPersonal: ["id", "cooperative_id", "name", "description", "joining", "domains", "created_by", "created_at", "closed_at"]),
        TableRegister(table: "carpool_community_members", subject: "user_id",
                      purpose: Localized(fr: "Qui fait partie d’une communauté et voit ses trajets", en: "Who is in a community and sees its rides"),
                      legalBasis: .contract, persons: Localized(fr: "Membres qui covoiturent", en: "Members who carpool"),
                      recipients: Localized(fr: "Les responsables de la communauté et le personnel", en: "The community's managers and staff"),
                      retention: .whileAccountExists,
                      personal: [PersonalField("user_id", .membership)], nonPersonal: ["community_id", "status", "joined_at"]),
    ]

    /// The person leaves every community.
    static func erase(_ user: UUID, on db: any Database) async throws {
        try await db.sql.delete(from: "carpool_community_members").where("user_id", .equal, SQLBind(user)).run()
    }
}

extension CarpoolAlerts {
    static let register: [TableRegister] = [
        TableRegister(table: "carpool_alerts", subject: "user_id",
                      purpose: Localized(fr: "Prévenir une personne quand un trajet qui lui convient est publié", en: "Tell a person when a ride that suits them is published"),
                      legalBasis: .consent, persons: Localized(fr: "Membres qui covoiturent", en: "Members who carpool"),
                      recipients: Localized(fr: "La personne seule", en: "The person only"), retention: .whileAccountExists,
                      personal: [PersonalField("origin_name", .location), PersonalField("origin_lat", .location), PersonalField("origin_lon", .location),
                                 PersonalField("destination_name", .location), PersonalField("destination_lat", .location),
                                 PersonalField("destination_lon", .location), PersonalField("weekdays", .location), PersonalField("minute", .location)],
                      nonPersonal: ["id", "cooperative_id", "user_id", "looking_for", "margin", "created_at", "paused_at"]),
        TableRegister(table: "carpool_alert_hits", subject: nil,
                      purpose: Localized(fr: "Ne prévenir qu’une fois par alerte et par trajet", en: "Tell only once per alert and ride"),
                      legalBasis: .consent, persons: Localized(fr: "Membres qui covoiturent", en: "Members who carpool"),
                      recipients: Localized(fr: "Personne (compteur)", en: "Nobody (a counter)"), retention: .whileAccountExists,
                      personal: [], nonPersonal: ["alert_id", "ad_id", "at"]),
    ]

    /// The person's alerts go, and with them the record of what they were told.
    static func erase(_ user: UUID, on db: any Database) async throws {
        try await db.sql.delete(from: "carpool_alerts").where("user_id", .equal, SQLBind(user)).run()
    }
}

extension CarpoolReviews {
    static let register: [TableRegister] = [
        TableRegister(table: "carpool_reviews", subject: "author_id",
                      purpose: Localized(fr: "Quelques mots après un trajet, si la coopérative a ouvert les avis (sans note)",
                                         en: "A few words after a ride, if the cooperative turned reviews on (no score)"),
                      legalBasis: .consent, persons: Localized(fr: "Membres qui covoiturent", en: "Members who carpool"),
                      recipients: Localized(fr: "Les deux personnes du trajet", en: "Both people of the ride"), retention: .whileAccountExists,
                      personal: [PersonalField("about_id", .communication), PersonalField("body", .communication)],
                      nonPersonal: ["id", "ask_id", "author_id", "created_at"]),
    ]

    /// The words written by the person, and those written about them, are emptied: a review
    /// about someone says something about them too.
    static func erase(_ user: UUID, on db: any Database) async throws {
        try await db.sql.update("carpool_reviews").set("body", to: SQLBind(""))
            .where { $0.where("author_id", .equal, SQLBind(user)).orWhere("about_id", .equal, SQLBind(user)) }.run()
    }
}
