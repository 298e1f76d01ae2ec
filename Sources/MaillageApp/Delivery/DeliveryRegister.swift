import MaillageCore

/// What the delivery module keeps: the stores and who orders for them, the deliveries with the
/// recipients' address and phone (needed to deliver, kept as the cooperative's records), and
/// every change of status with who made it and from where.
enum DeliveryRegister {
    static var tables: [TableRegister] {
        let setting = Localized(fr: "Aucune (réglage)", en: "None (a setting)")
        let staffAndStore = Localized(fr: "Le magasin et l’équipe de la coopérative", en: "The store and the cooperative's staff")
        func config(_ table: String, _ fr: String, _ en: String, _ columns: [String], open: Bool = false) -> TableRegister {
            TableRegister(table: table, subject: nil, purpose: Localized(fr: fr, en: en), legalBasis: .contract, persons: setting,
                          recipients: open ? Localized(fr: "Public", en: "Public") : Localized(fr: "L’équipe de la coopérative", en: "The cooperative's staff"),
                          retention: .whileAccountExists, personal: [], nonPersonal: columns)
        }
        return [
            config("delivery_stores", "Les magasins clients de la coopérative et leur règle d’acceptation", "The cooperative's client stores and their acceptance rule",
                   ["id", "cooperative_id", "name", "address", "lat", "lon", "acceptance", "created_at"]),
            TableRegister(table: "delivery_store_members", subject: "user_id",
                          purpose: Localized(fr: "Qui peut commander pour un magasin", en: "Who may order for a store"),
                          legalBasis: .contract, persons: Localized(fr: "Personnes des magasins", en: "Stores' people"), recipients: staffAndStore,
                          retention: .whileAccountExists, personal: [PersonalField("user_id", .membership)], nonPersonal: ["store_id", "added_at"]),
            config("delivery_package_types", "Les types de colis transportés", "The kinds of parcels carried", ["id", "cooperative_id", "name", "volume_units", "weight_grams"]),
            config("delivery_failure_reasons", "Les raisons d’échec d’une livraison", "Why a delivery may fail", ["id", "cooperative_id", "label"]),
            config("delivery_zones", "Les zones desservies (polygones)", "The zones served (polygons)", ["id", "cooperative_id", "name", "geojson", "created_at"], open: true),
            config("delivery_pricing", "La grille tarifaire publique", "The public price grid", ["cooperative_id", "rule_set", "updated_at"], open: true),
            TableRegister(table: "deliveries", subject: "ordered_by",
                          purpose: Localized(fr: "Commander, tarifer et suivre une livraison", en: "Order, price and follow a delivery"),
                          legalBasis: .contract, persons: Localized(fr: "Personnes des magasins", en: "Stores' people"), recipients: staffAndStore,
                          retention: .cooperativeRecords(years: 10),
                          personal: [PersonalField("ordered_by", .economic)],
                          nonPersonal: ["id", "cooperative_id", "store_id", "status", "vehicle", "distance_km", "price_cents", "couriers_cents",
                                        "cooperative_cents", "reserves_cents", "price_lines", "tracking_token", "failure_reason", "created_at", "updated_at"]),
            TableRegister(table: "delivery_tasks", subject: nil,
                          purpose: Localized(fr: "Les adresses et contacts de retrait et de livraison, pour livrer", en: "Pickup and dropoff addresses and contacts, to deliver"),
                          legalBasis: .contract, persons: Localized(fr: "Personnes livrées (destinataires)", en: "Recipients"),
                          recipients: Localized(fr: "Le magasin, l’équipe et les coursier·ères ; la personne livrée voit l’état et le créneau", en: "The store, staff and couriers; the recipient sees the status and window"),
                          retention: .cooperativeRecords(years: 1),
                          personal: [PersonalField("address", .location), PersonalField("lat", .location), PersonalField("lon", .location),
                                     PersonalField("contact_name", .identity), PersonalField("phone", .contact), PersonalField("comments", .communication)],
                          nonPersonal: ["id", "delivery_id", "position", "kind", "after_at", "before_at", "packages", "weight_grams", "doorstep", "tags", "reference"]),
            TableRegister(table: "delivery_events", subject: "actor_id",
                          purpose: Localized(fr: "L’historique d’une livraison (qui, quand, d’où)", en: "A delivery's history (who, when, from where)"),
                          legalBasis: .legitimateInterest, persons: Localized(fr: "Personnes des magasins et équipe", en: "Stores' people and staff"),
                          recipients: staffAndStore, retention: .cooperativeRecords(years: 1),
                          personal: [PersonalField("actor_id", .economic), PersonalField("client_address", .connection), PersonalField("reason", .communication)],
                          nonPersonal: ["id", "delivery_id", "from_status", "to_status", "channel", "at"]),
        ]
    }
}
