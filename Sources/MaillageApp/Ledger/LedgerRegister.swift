import MaillageCore

enum LedgerRegister {
    static var tables: [TableRegister] {
        let books = Retention.cooperativeRecords(years: 10)
        let board = Localized(fr: "La personne concernée ; conseil et équipe de la coopérative", en: "The person concerned; the cooperative's board and staff")
        let members = Localized(fr: "Sociétaires et entreprises membres", en: "Members and member businesses")
        let keepBooks = Localized(fr: "Tenir les comptes de la coopérative (Code de commerce art. L123-22 : 10 ans)",
                                  en: "Keep the cooperative's books (Code de commerce art. L123-22: 10 years)")
        return [
            TableRegister(table: "ledger_accounts", subject: "user_id", purpose: keepBooks, legalBasis: .legalObligation,
                          persons: members, recipients: board, retention: books,
                          personal: [PersonalField("posted", .economic), PersonalField("debits_pending", .economic),
                                     PersonalField("credits_pending", .economic), PersonalField("floor", .economic),
                                     PersonalField("ceiling", .economic)],
                          nonPersonal: ["id", "key", "cooperative_id", "owner_kind", "user_id", "purpose", "unit", "created_at", "closed_at"]),
            TableRegister(table: "ledger_transfers", subject: "created_by", purpose: keepBooks, legalBasis: .legalObligation,
                          persons: members, recipients: board, retention: books,
                          personal: [PersonalField("amount", .economic), PersonalField("memo", .communication),
                                     PersonalField("debit_id", .economic), PersonalField("credit_id", .economic)],
                          nonPersonal: ["id", "cooperative_id", "unit", "category", "tag", "idempotency_key", "time", "phase", "pending_id",
                                        "expires_at", "reverses", "status", "settled_by", "created_by", "hold_for"]),
            TableRegister(table: "ledger_limit_changes", subject: "changed_by", purpose: keepBooks, legalBasis: .legalObligation,
                          persons: members, recipients: board, retention: books,
                          personal: [PersonalField("changed_by", .membership)],
                          nonPersonal: ["id", "cooperative_id", "account_id", "floor_before", "floor_after", "ceiling_before", "ceiling_after", "changed_at"]),
            TableRegister(table: "fee_rules", subject: nil,
                          purpose: Localized(fr: "Frais publiés de chaque activité", en: "Each activity's published fee"),
                          legalBasis: .legitimateInterest, persons: Localized(fr: "Aucune", en: "None"), recipients: board, retention: books,
                          personal: [], nonPersonal: ["id", "cooperative_id", "activity", "basis_points", "fixed_cents", "updated_at", "updated_by"]),
            TableRegister(table: "credit_settings", subject: nil,
                          purpose: Localized(fr: "Règles du réseau de troc et de la banque de temps", en: "Rules of the barter network and time bank"),
                          legalBasis: .contract, persons: Localized(fr: "Aucune", en: "None"), recipients: board, retention: books,
                          personal: [], nonPersonal: ["cooperative_id", "default_line", "yearly_fee", "time_floor", "updated_at"]),
            TableRegister(table: "allocations", subject: nil,
                          purpose: Localized(fr: "Affectation du résultat votée par les sociétaires", en: "Allocation of the result voted by members"),
                          legalBasis: .legalObligation, persons: Localized(fr: "Sociétaires bénéficiaires (ristournes, intérêts)", en: "Members receiving refunds or interest"),
                          recipients: board, retention: books, personal: [PersonalField("content", .economic)],
                          nonPersonal: ["id", "cooperative_id", "year", "proposal_id", "live_key", "status", "created_at", "created_by", "booked_at"]),
            TableRegister(table: "barter_invoices", subject: "seller_id",
                          purpose: Localized(fr: "Factures entre entreprises du réseau de troc", en: "Invoices between businesses of the barter network"),
                          legalBasis: .contract, persons: members, recipients: Localized(fr: "Vendeur, acheteur, équipe du réseau", en: "Seller, buyer, network staff"),
                          retention: books, personal: [PersonalField("amount", .economic), PersonalField("description", .communication),
                                                       PersonalField("buyer_id", .economic)],
                          nonPersonal: ["id", "cooperative_id", "seller_id", "status", "issued_at", "decided_at"]),
            TableRegister(table: "barter_offers", subject: "user_id",
                          purpose: Localized(fr: "Annuaire des offres des entreprises du réseau", en: "Directory of the network businesses' offers"),
                          legalBasis: .consent, persons: members, recipients: Localized(fr: "Membres du réseau", en: "Network members"),
                          retention: .whileAccountExists, personal: [PersonalField("title", .communication), PersonalField("description", .communication)],
                          nonPersonal: ["id", "cooperative_id", "user_id", "kind", "created_at"]),
        ]
    }
}
