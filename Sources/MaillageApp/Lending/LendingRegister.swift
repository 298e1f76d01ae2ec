import MaillageCore

enum LendingRegister {
    static var tables: [TableRegister] {
        let members = Localized(fr: "Membres qui prêtent et empruntent", en: "Members who lend and borrow")
        let parties = Localized(fr: "Propriétaire, emprunteur·se, équipe de la coopérative", en: "Owner, borrower, the cooperative's staff")
        let loans = Localized(fr: "Organiser les prêts d’objets entre voisins", en: "Organise loans of items between neighbours")
        let records = Retention.cooperativeRecords(years: 3)
        return [
            TableRegister(table: "showcase_locations", subject: nil,
                          purpose: Localized(fr: "Lieu vitrine de la coopérative et ses horaires", en: "The cooperative's showcase location and its hours"),
                          legalBasis: .legitimateInterest, persons: Localized(fr: "Aucune", en: "None"), recipients: Localized(fr: "Public", en: "Public"),
                          retention: .whileAccountExists, personal: [],
                          nonPersonal: ["id", "cooperative_id", "name", "address", "commune", "lat", "lon", "hours", "created_at"]),
            TableRegister(table: "lending_items", subject: "owner_id", purpose: loans, legalBasis: .contract, persons: members,
                          recipients: Localized(fr: "Public (sans le nom) ; le nom pour les membres", en: "Public (without the name); the name for members"),
                          retention: .whileAccountExists,
                          personal: [PersonalField("title", .communication), PersonalField("description", .communication),
                                     PersonalField("commune", .location), PersonalField("lat", .location), PersonalField("lon", .location),
                                     PersonalField("photo_url", .communication)],
                          nonPersonal: ["id", "cooperative_id", "owner_id", "category", "condition", "deposit_cents", "max_loan_days", "pickup",
                                        "showcase_id", "search_text", "created_at", "withdrawn_at"]),
            TableRegister(table: "lending_item_words", subject: nil,
                          purpose: Localized(fr: "Retrouver vite un objet par ses mots et sa distance", en: "Find an item quickly by its words and distance"),
                          legalBasis: .contract, persons: members, recipients: Localized(fr: "Public (recherche)", en: "Public (search)"),
                          retention: .whileAccountExists,
                          personal: [PersonalField("lat", .location), PersonalField("lon", .location)],
                          nonPersonal: ["cooperative_id", "word", "item_id"]),
            TableRegister(table: "loans", subject: "borrower_id", purpose: loans, legalBasis: .contract, persons: members, recipients: parties,
                          retention: records,
                          personal: [PersonalField("borrower_id", .economic), PersonalField("first_day", .economic), PersonalField("last_day", .economic),
                                     PersonalField("handover_owner_at", .economic), PersonalField("handover_borrower_at", .economic),
                                     PersonalField("return_owner_at", .economic), PersonalField("return_borrower_at", .economic)],
                          nonPersonal: ["id", "item_id", "cooperative_id", "owner_id", "starts_at", "ends_at", "status", "requested_at", "decided_at",
                                        "cancelled_at", "cancelled_by"]),
            TableRegister(table: "loan_days", subject: nil, purpose: Localized(fr: "Garantir qu’un objet n’est pas prêté deux fois le même jour", en: "Make sure an item is not lent twice on one day"),
                          legalBasis: .contract, persons: Localized(fr: "Aucune (jours réservés d’un objet)", en: "None (an item's booked days)"),
                          recipients: Localized(fr: "Public (calendrier de disponibilité)", en: "Public (availability calendar)"), retention: records,
                          personal: [], nonPersonal: ["item_id", "day", "loan_id", "block_id"]),
            TableRegister(table: "item_blocks", subject: "owner_id",
                          purpose: Localized(fr: "Jours où le ou la propriétaire garde son objet", en: "Days the owner keeps their item"),
                          legalBasis: .contract, persons: members, recipients: Localized(fr: "Public (calendrier, sans le motif)", en: "Public (calendar, without the reason)"),
                          retention: .whileAccountExists,
                          personal: [PersonalField("reason", .communication), PersonalField("first_day", .economic), PersonalField("last_day", .economic)],
                          nonPersonal: ["id", "item_id", "owner_id", "created_at", "removed_at"]),
            TableRegister(table: "loan_events", subject: "actor_member_id", purpose: Localized(fr: "Historique de chaque prêt", en: "History of each loan"),
                          legalBasis: .contract, persons: members, recipients: parties, retention: records,
                          personal: [PersonalField("at", .economic)], nonPersonal: ["id", "loan_id", "kind", "actor", "actor_member_id", "status_after"]),
            TableRegister(table: "loan_reviews", subject: "author_id", purpose: Localized(fr: "Avis après un prêt", en: "Reviews after a loan"),
                          legalBasis: .consent, persons: members, recipients: parties, retention: .whileAccountExists,
                          personal: [PersonalField("rating", .communication), PersonalField("text", .communication)],
                          nonPersonal: ["loan_id", "author_side", "author_id", "at"]),
            TableRegister(table: "loan_reminders", subject: nil, purpose: Localized(fr: "Relancer une seule fois par échéance un prêt en retard", en: "Remind an overdue loan once per step"),
                          legalBasis: .contract, persons: Localized(fr: "Emprunteur·ses en retard", en: "Late borrowers"), recipients: parties,
                          retention: records, personal: [], nonPersonal: ["loan_id", "offset_days", "sent_at"]),
            TableRegister(table: "loan_messages", subject: "author_id", purpose: Localized(fr: "Messages entre propriétaire et emprunteur·se", en: "Messages between owner and borrower"),
                          legalBasis: .contract, persons: members, recipients: parties, retention: .days(365, column: "at"),
                          personal: [PersonalField("body", .communication)], nonPersonal: ["id", "loan_id", "author_id", "at"]),
        ]
    }
}
