import MaillageCore

/// What the store API keeps: the tokens (only their hash, and who made them), the webhook's
/// address and sealed secret, and one line per webhook call for the store's log.
enum DeliveryAPIRegister {
    static var tables: [TableRegister] {
        let staffAndStore = Localized(fr: "Le magasin et l’équipe de la coopérative", en: "The store and the cooperative's staff")
        let stores = Localized(fr: "Aucune (les magasins)", en: "None (the stores)")
        return [
            TableRegister(table: "delivery_store_tokens", subject: "created_by",
                          purpose: Localized(fr: "Les jetons avec lesquels le logiciel d’un magasin commande (seule leur empreinte est gardée)",
                                             en: "The tokens a store's software orders with (only their fingerprint is kept)"),
                          legalBasis: .contract, persons: Localized(fr: "Personnes des magasins", en: "Stores' people"), recipients: staffAndStore,
                          retention: .whileAccountExists, personal: [PersonalField("created_by", .membership)],
                          nonPersonal: ["id", "store_id", "name", "token_hash", "created_at", "last_used_at", "revoked_at"]),
            TableRegister(table: "delivery_webhooks", subject: nil,
                          purpose: Localized(fr: "L’adresse où le logiciel d’un magasin reçoit les changements de ses livraisons, et le secret qui les signe (scellé)",
                                             en: "Where a store's software receives its deliveries' changes, and the secret signing them (sealed)"),
                          legalBasis: .contract, persons: stores, recipients: staffAndStore, retention: .whileAccountExists,
                          personal: [], nonPersonal: ["store_id", "url", "secret_sealed", "updated_at"]),
            TableRegister(table: "delivery_webhook_calls", subject: nil,
                          purpose: Localized(fr: "Le journal des appels envoyés au logiciel d’un magasin", en: "The log of the calls sent to a store's software"),
                          legalBasis: .contract, persons: stores, recipients: staffAndStore, retention: .days(90, column: "created_at"),
                          personal: [], nonPersonal: ["outbox_id", "store_id", "delivery_id", "event", "created_at"]),
        ]
    }
}
