import MaillageCore

enum ExchangeRegister {
    static var tables: [TableRegister] {
        let members = Localized(fr: "Membres qui proposent et demandent", en: "Members who offer and ask")
        return [
            TableRegister(table: "offers_wants", subject: "author_id",
                          purpose: Localized(fr: "Publier les offres et demandes de biens et services", en: "Publish offers and wants of goods and services"),
                          legalBasis: .consent, persons: members,
                          recipients: Localized(fr: "Public (flux ouvert, sans le nom) ; le nom pour les membres", en: "Public (open feed, without the name); the name for members"),
                          retention: .whileAccountExists,
                          personal: [PersonalField("title", .communication), PersonalField("description", .communication), PersonalField("tags", .communication),
                                     PersonalField("commune", .location), PersonalField("lat", .location),
                                     PersonalField("lon", .location), PersonalField("public_email", .contact)],
                          nonPersonal: ["id", "cooperative_id", "author_id", "exchange_type", "item_type", "transaction_types", "category", "scope",
                                        "accepts_time_bank", "expires_at", "published_at", "search_text", "withdrawn_at"]),
            TableRegister(table: "service_records", subject: "recorded_by",
                          purpose: Localized(fr: "Noter les services rendus (banque de temps, coups de main)", en: "Record services done (time bank, free help)"),
                          legalBasis: .contract, persons: members,
                          recipients: Localized(fr: "Les deux personnes, le conseil (chiffres agrégés publiés)", en: "Both people, the board (aggregate figures published)"),
                          retention: .cooperativeRecords(years: 10),
                          personal: [PersonalField("giver_id", .economic), PersonalField("receiver_id", .economic), PersonalField("description", .communication),
                                     PersonalField("minutes", .economic), PersonalField("done_on", .economic)],
                          nonPersonal: ["id", "cooperative_id", "offer_want_id", "settlement", "transfer_id", "recorded_at", "recorded_by"]),
        ]
    }
}
