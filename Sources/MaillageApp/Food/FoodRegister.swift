import MaillageCore

/// What the food module stores, column by column (see `DataRegister`).
enum FoodRegister {
    static var tables: [TableRegister] {
        let books = Retention.cooperativeRecords(years: 10)
        let staff = Localized(fr: "Coordinateurs, équipe et conseil de la coopérative", en: "The cooperative's coordinators, staff and board")
        let none = Localized(fr: "Aucune", en: "None")
        let shoppers = Localized(fr: "Sociétaires qui commandent", en: "Members who order")
        let sell = Localized(fr: "Vendre les produits des producteurs en cycles de commande", en: "Sell the producers' products in order cycles")
        let orders = Localized(fr: "Préparer, remettre et comptabiliser les commandes (pièces comptables : 10 ans)",
                               en: "Prepare, hand out and account for orders (accounting records: 10 years)")
        return [
            TableRegister(table: "food_producers", subject: "user_id", purpose: sell, legalBasis: .contract,
                          persons: Localized(fr: "Producteurs sociétaires", en: "Member producers"),
                          recipients: Localized(fr: "Public (nom de la ferme, commune) ; équipe", en: "Public (farm name, town); staff"),
                          retention: .whileAccountExists,
                          personal: [PersonalField("name", .identity), PersonalField("description", .communication), PersonalField("commune", .location)],
                          nonPersonal: ["id", "cooperative_id", "user_id", "created_at"]),
            TableRegister(table: "food_products", subject: nil, purpose: sell, legalBasis: .contract, persons: none,
                          recipients: Localized(fr: "Public", en: "Public"), retention: books, personal: [],
                          nonPersonal: ["id", "cooperative_id", "producer_id", "name", "category", "description", "vat_basis_points", "unit",
                                        "search", "sort_name", "photo_type", "photo", "created_at", "updated_at", "archived_at"]),
            TableRegister(table: "food_product_words", subject: nil,
                          purpose: Localized(fr: "Retrouver vite un produit par ses mots", en: "Find a product quickly by its words"),
                          legalBasis: .contract, persons: none, recipients: Localized(fr: "Public (recherche)", en: "Public (search)"),
                          retention: books, personal: [], nonPersonal: ["word", "product_id"]),
            TableRegister(table: "food_variants", subject: nil, purpose: sell, legalBasis: .contract, persons: none,
                          recipients: Localized(fr: "Public", en: "Public"), retention: books, personal: [],
                          nonPersonal: ["id", "product_id", "label", "quantity_thousandths", "price_cents", "stock", "reserved", "sold", "position"]),
            TableRegister(table: "food_pickup_points", subject: nil, purpose: sell, legalBasis: .contract, persons: none,
                          recipients: Localized(fr: "Public", en: "Public"), retention: books, personal: [],
                          nonPersonal: ["id", "cooperative_id", "name", "address", "created_at"]),
            TableRegister(table: "food_cycles", subject: nil, purpose: sell, legalBasis: .contract, persons: none,
                          recipients: Localized(fr: "Public", en: "Public"), retention: books, personal: [],
                          nonPersonal: ["id", "cooperative_id", "name", "opens_at", "closes_at", "published", "cancelled_at", "fee_basis_points",
                                        "fee_fixed_cents", "delivery_fee_cents", "last_number", "created_by", "created_at"]),
            TableRegister(table: "food_cycle_slots", subject: nil, purpose: sell, legalBasis: .contract, persons: none,
                          recipients: Localized(fr: "Public", en: "Public"), retention: books, personal: [],
                          nonPersonal: ["id", "cycle_id", "pickup_point_id", "starts_at", "ends_at"]),
            TableRegister(table: "food_cycle_offers", subject: nil, purpose: sell, legalBasis: .contract, persons: none,
                          recipients: Localized(fr: "Public", en: "Public"), retention: books, personal: [],
                          nonPersonal: ["cycle_id", "variant_id", "product_id", "producer_id", "price_cents", "has_stock", "stock", "reserved", "sold"]),
            TableRegister(table: "food_cycle_products", subject: nil, purpose: sell, legalBasis: .contract, persons: none,
                          recipients: Localized(fr: "Public", en: "Public"), retention: books, personal: [],
                          nonPersonal: ["cycle_id", "product_id", "producer_id", "name", "category", "search", "sort_name"]),
            TableRegister(table: "food_orders", subject: "shopper_id", purpose: orders, legalBasis: .contract, persons: shoppers,
                          recipients: Localized(fr: "Le sociétaire ; coordinateurs ; producteurs (ce qu’ils préparent)", en: "The member; coordinators; producers (what they prepare)"),
                          retention: books,
                          personal: [PersonalField("shopper_name", .identity), PersonalField("address", .location), PersonalField("cart", .economic),
                                     PersonalField("goods_cents", .economic), PersonalField("delivery_cents", .economic),
                                     PersonalField("fee_cents", .economic), PersonalField("total_cents", .economic), PersonalField("payment", .economic)],
                          nonPersonal: ["id", "cooperative_id", "cycle_id", "number", "shopper_id", "status", "placed_at", "expires_at",
                                        "pickup_point_id", "slot_id", "idempotency_key"]),
            TableRegister(table: "food_order_lines", subject: nil, purpose: orders, legalBasis: .contract, persons: shoppers, recipients: staff,
                          retention: books, personal: [PersonalField("quantity", .economic)],
                          nonPersonal: ["id", "order_id", "variant_id", "stock_cycle_id"]),
            TableRegister(table: "food_order_events", subject: "user_id", purpose: orders, legalBasis: .contract, persons: shoppers, recipients: staff,
                          retention: books, personal: [],
                          nonPersonal: ["id", "order_id", "from_status", "to_status", "at", "actor", "user_id"]),
            TableRegister(table: "food_cart_lines", subject: "user_id",
                          purpose: Localized(fr: "Garder le panier entre deux visites", en: "Keep the basket between visits"),
                          legalBasis: .contract, persons: shoppers, recipients: Localized(fr: "Le sociétaire seul", en: "The member only"),
                          retention: .whileAccountExists, personal: [PersonalField("quantity", .economic), PersonalField("variant_id", .economic)],
                          nonPersonal: ["user_id", "cycle_id", "updated_at"]),
        ]
    }
}
