import MaillageCore

/// What the carpool module keeps about people: the places and times they chose (never a trace of
/// where they are), their asks and its history; communities, alerts and reviews declare their own.
enum CarpoolRegister {
    static var tables: [TableRegister] {
        let people = Localized(fr: "Membres qui covoiturent", en: "Members who carpool")
        let bothSides = Localized(fr: "Les deux personnes du trajet ; le personnel en cas de litige", en: "Both people of the ride; staff in a dispute")
        return [
            TableRegister(table: "carpool_settings", subject: nil,
                          purpose: Localized(fr: "Les choix de la coopérative (participation aux frais, avis)", en: "The cooperative's choices (cost sharing, reviews)"),
                          legalBasis: .contract, persons: Localized(fr: "Aucune (réglage)", en: "None (a setting)"),
                          recipients: Localized(fr: "Public", en: "Public"), retention: .whileAccountExists,
                          personal: [], nonPersonal: ["cooperative_id", "contribution", "cents_per_km", "payment", "reviews", "updated_at", "updated_by"]),
            TableRegister(table: "carpool_relay_points", subject: nil,
                          purpose: Localized(fr: "Les points de rendez-vous (aires, gares, parkings)", en: "Meeting points (carpool areas, stations, car parks)"),
                          legalBasis: .contract, persons: Localized(fr: "Aucune (lieux publics)", en: "None (public places)"),
                          recipients: Localized(fr: "Public", en: "Public"), retention: .whileAccountExists,
                          personal: [], nonPersonal: ["id", "cooperative_id", "name", "kind", "commune", "lat", "lon", "description", "created_at", "withdrawn_at"]),
            TableRegister(table: "carpool_ads", subject: "author_id",
                          purpose: Localized(fr: "Publier un trajet et trouver avec qui le partager", en: "Publish a trip and find whom to share it with"),
                          legalBasis: .contract, persons: people,
                          recipients: Localized(fr: "Public : lieux et horaires, sans le nom ; les membres : le prénom et nom ; le téléphone une fois la demande acceptée",
                                                en: "Public: places and times, without the name; members: the name; the phone once a request is accepted"),
                          retention: .whileAccountExists,
                          personal: [PersonalField("origin_name", .location), PersonalField("origin_lat", .location), PersonalField("origin_lon", .location),
                                     PersonalField("destination_name", .location), PersonalField("destination_lat", .location),
                                     PersonalField("destination_lon", .location), PersonalField("comment", .communication), PersonalField("phone", .contact)],
                          nonPersonal: ["id", "cooperative_id", "author_id", "role", "frequency", "origin_relay_id", "destination_relay_id", "distance_km",
                                        "minutes", "from_date", "until_date", "margin", "seats", "options", "community_id", "created_at", "withdrawn_at"]),
            TableRegister(table: "carpool_ad_times", subject: nil,
                          purpose: Localized(fr: "Les jours et heures d’un trajet, lus par la recherche", en: "A trip's days and times, read by the search"),
                          legalBasis: .contract, persons: people, recipients: Localized(fr: "Personne (index de recherche)", en: "Nobody (a search index)"),
                          retention: .whileAccountExists,
                          personal: [PersonalField("min_lat", .location), PersonalField("max_lat", .location), PersonalField("min_lon", .location),
                                     PersonalField("max_lon", .location), PersonalField("ext_min_lat", .location), PersonalField("ext_max_lat", .location),
                                     PersonalField("ext_min_lon", .location), PersonalField("ext_max_lon", .location),
                                     PersonalField("origin_lat", .location), PersonalField("origin_lon", .location),
                                     PersonalField("destination_lat", .location), PersonalField("destination_lon", .location)],
                          nonPersonal: ["ad_id", "cooperative_id", "leg", "on_date", "weekday", "minute", "margin", "role", "bearing", "distance_km",
                                        "minutes", "from_date", "until_date", "community_id", "author_id", "sector"]),
            TableRegister(table: "carpool_asks", subject: "passenger_id",
                          purpose: Localized(fr: "Demander, accepter et suivre une place dans un trajet", en: "Ask for, accept and follow a seat on a ride"),
                          legalBasis: .contract, persons: people, recipients: bothSides, retention: .cooperativeRecords(years: 1),
                          personal: [PersonalField("driver_id", .economic), PersonalField("passenger_id", .economic),
                                     PersonalField("pickup_name", .location), PersonalField("dropoff_name", .location),
                                     PersonalField("contribution_cents", .economic), PersonalField("travel_date", .location),
                                     PersonalField("asker_phone", .contact)],
                          nonPersonal: ["id", "cooperative_id", "ad_id", "leg", "asked_by", "status", "seats", "shared_km", "paid_at", "created_at", "updated_at"],
                          alsoAbout: ["driver_id"]),
            TableRegister(table: "carpool_ask_events", subject: "by_id",
                          purpose: Localized(fr: "L’historique d’une demande (qui a fait quoi, quand)", en: "A request's history (who did what, when)"),
                          legalBasis: .contract, persons: people, recipients: bothSides, retention: .cooperativeRecords(years: 1),
                          personal: [PersonalField("reason", .communication)], nonPersonal: ["id", "ask_id", "status", "by_id", "at"]),
            TableRegister(table: "carpool_seats", subject: nil,
                          purpose: Localized(fr: "Les places prises par jour, pour ne jamais surréserver", en: "Seats taken per day, so a ride is never overbooked"),
                          legalBasis: .contract, persons: people, recipients: Localized(fr: "Personne (compteur)", en: "Nobody (a counter)"),
                          retention: .whileAccountExists, personal: [], nonPersonal: ["ad_id", "travel_date", "leg", "capacity", "taken"]),
        ]
    }
}
