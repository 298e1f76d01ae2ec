import Fluent
import Foundation
import MaillageCore
import SQLKit

/// Producers and their products, as stored. Products are written from a validated
/// `ProductDraft` only; stock changes follow step 6 of `FoodStorageContract` (never below what is
/// already promised to shoppers).
enum FoodCatalogStore {
    static let producerWord = Localized(fr: "Producteur", en: "Producer")
    static let productWord = Localized(fr: "Produit", en: "Product")

    static func stockBelowCommitted(_ committed: Int64, field: String, name: String) -> DomainError {
        let core = DomainError.stockBelowCommitted(Int(committed), name: name)
        return DomainError(core.kind, code: core.code, field: field, fr: core.message.fr, en: core.message.en)
    }

    static let variantInUse = DomainError(.conflict, code: "variant_in_use",
        fr: "Cette variante a déjà été commandée : mettez son stock à 0 plutôt que de la supprimer.",
        en: "This variant has already been ordered: set its stock to 0 rather than removing it.")

    // MARK: Producers

    static func producers(of coop: UUID, on db: any Database) async throws -> [ProducerRow] {
        try await db.sql.select().column("*").from("food_producers").where("cooperative_id", .equal, SQLBind(coop))
            .orderBy("name").all(decoding: ProducerRow.self)
    }

    static func producer(_ id: UUID, in coop: UUID, on db: any Database) async throws -> ProducerRow {
        guard let row = try await db.sql.select().column("*").from("food_producers").where("id", .equal, SQLBind(id))
            .where("cooperative_id", .equal, SQLBind(coop)).first(decoding: ProducerRow.self) else { throw Problem.notFound(producerWord) }
        return row
    }

    static func producer(user: UUID, in coop: UUID, on db: any Database) async throws -> ProducerRow? {
        try await db.sql.select().column("*").from("food_producers").where("user_id", .equal, SQLBind(user))
            .where("cooperative_id", .equal, SQLBind(coop)).first(decoding: ProducerRow.self)
    }

    /// Gives a member the producer role under a farm name (the board or staff do it); once per member.
    @discardableResult
    static func addProducer(user: UUID, name: String, description: String, commune: String, in coop: UUID,
                            on db: any Database) async throws -> ProducerRow {
        var errors = ValidationErrors()
        var clean = (name: "", description: "", commune: "")
        do { clean.name = try Validate.text(name, field: "name", label: Localized(fr: "Nom de la ferme ou de l’atelier", en: "Farm or workshop name"), range: 2...120) } catch { errors.add(error) }
        do { clean.description = try Validate.text(description, field: "description", label: Localized(fr: "Présentation", en: "About"), range: 0...2000) } catch { errors.add(error) }
        do { clean.commune = try Validate.text(commune, field: "commune", label: Localized(fr: "Commune", en: "Town"), range: 0...80) } catch { errors.add(error) }
        try errors.throwIfAny()
        let row = ProducerRow(id: UUID(), cooperativeID: coop, userID: user, name: clean.name, description: clean.description,
                              commune: clean.commune, createdAt: Date())
        // The unique key (cooperative, member) decides, also when two coordinators click at once.
        do {
            try await db.sql.insert(into: "food_producers").model(row).run()
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw DomainError(.conflict, code: "already_producer", field: "user", fr: "Cette personne est déjà productrice ici.", en: "This person is already a producer here.")
        }
        return row
    }

    // MARK: Products

    static func products(of producer: UUID, includingArchived: Bool = false, on db: any Database) async throws -> [Product] {
        var query = db.sql.select().columns(ProductRow.columns.map { SQLColumn($0) }).from("food_products")
            .where("producer_id", .equal, SQLBind(producer))
        if !includingArchived { query = query.where("archived_at", .is, SQLLiteral.null) }
        let rows = try await query.orderBy("sort_name").orderBy("name").all(decoding: ProductRow.self)
        return try await assemble(rows, on: db)
    }

    static func product(_ id: UUID, in coop: UUID, on db: any Database) async throws -> (row: ProductRow, product: Product) {
        guard let row = try await db.sql.select().columns(ProductRow.columns.map { SQLColumn($0) }).from("food_products")
            .where("id", .equal, SQLBind(id)).where("cooperative_id", .equal, SQLBind(coop)).first(decoding: ProductRow.self)
        else { throw Problem.notFound(productWord) }
        return (row, try await assemble([row], on: db)[0])
    }

    static func variants(ofProducts ids: [UUID], on db: any Database) async throws -> [VariantRow] {
        guard !ids.isEmpty else { return [] }
        return try await db.sql.select().column("*").from("food_variants").where("product_id", .in, SQLBind.group(ids))
            .orderBy("position").all(decoding: VariantRow.self)
    }

    static func assemble(_ rows: [ProductRow], on db: any Database) async throws -> [Product] {
        var variants: [UUID: [VariantRow]] = [:]
        for chunk in rows.map(\.id).chunked(500) {
            for variant in try await self.variants(ofProducts: Array(chunk), on: db) { variants[variant.productID, default: []].append(variant) }
        }
        return rows.map { Product($0, variants: variants[$0.id] ?? []) }
    }

    /// Creates or updates a product from what the producer typed. Every field is checked at once
    /// (`ValidationErrors`); a variant's stock never goes under what is reserved and sold.
    @discardableResult
    static func save(_ draft: ProductDraft, id: UUID?, producer: ProducerRow, on db: any Database, now: Date = Date()) async throws -> Product {
        let product = try draft.validated(id: id ?? UUID(), producerID: producer.id, newID: { UUID() })
        let search = SearchText.indexed([product.name, product.category, producer.name])
        let existing = id == nil ? [] : try await variants(ofProducts: [product.id], on: db)
        if id != nil {
            let owned = try await db.sql.select().column("id").from("food_products").where("id", .equal, SQLBind(product.id))
                .where("producer_id", .equal, SQLBind(producer.id)).first()
            guard owned != nil else { throw Problem.notFound(productWord) }
        }
        try await db.writeTransaction { tx in
            if id == nil {
                try await tx.sql.insert(into: "food_products")
                    .columns("id", "cooperative_id", "producer_id", "name", "category", "description", "vat_basis_points", "unit",
                             "search", "created_at", "updated_at", "sort_name")
                    .values(SQLBind(product.id), SQLBind(producer.cooperativeID), SQLBind(producer.id), SQLBind(product.name),
                            SQLBind(product.category), SQLBind(product.description), SQLBind(product.vatRate.basisPoints),
                            SQLBind(product.unit.rawValue), SQLBind(search), SQLBind(now), SQLBind(now),
                            SQLBind(SearchText.sortKey(product.name))).run()
                try await FoodProductWords.insert([(product.id, search)], on: tx)
            } else {
                try await tx.sql.update("food_products")
                    .set("name", to: SQLBind(product.name)).set("category", to: SQLBind(product.category))
                    .set("sort_name", to: SQLBind(SearchText.sortKey(product.name)))
                    .set("description", to: SQLBind(product.description)).set("vat_basis_points", to: SQLBind(product.vatRate.basisPoints))
                    .set("unit", to: SQLBind(product.unit.rawValue)).set("search", to: SQLBind(search)).set("updated_at", to: SQLBind(now))
                    .where("id", .equal, SQLBind(product.id)).run()
                // Shopfronts list it under its new name and category at once.
                try await tx.sql.update("food_cycle_products").set("name", to: SQLBind(product.name))
                    .set("sort_name", to: SQLBind(SearchText.sortKey(product.name)))
                    .set("category", to: SQLBind(product.category)).set("search", to: SQLBind(search))
                    .where("product_id", .equal, SQLBind(product.id)).run()
                // Found by its new words, no longer by its old ones (an archived product has none).
                if try await tx.sql.select().column("id").from("food_products").where("id", .equal, SQLBind(product.id))
                    .where("archived_at", .is, SQLLiteral.null).first() != nil {
                    try await FoodProductWords.replace(product: product.id, search: search, on: tx)
                }
            }
            let kept = Set(product.variants.map(\.id))
            for gone in existing where !kept.contains(gone.id) {
                let deleted = try await tx.sql.raw("DELETE FROM food_variants WHERE id = \(bind: gone.id) AND reserved = 0 AND sold = 0 RETURNING id").all()
                if deleted.isEmpty { throw variantInUse }
            }
            for (index, variant) in product.variants.enumerated() {
                if existing.contains(where: { $0.id == variant.id }) {
                    try await tx.sql.update("food_variants").set("label", to: SQLBind(variant.label))
                        .set("quantity_thousandths", to: SQLBind(variant.quantity.thousandths)).set("price_cents", to: SQLBind(variant.priceCents))
                        .set("position", to: SQLBind(Int64(index))).where("id", .equal, SQLBind(variant.id)).run()
                    try await setStock(variant.stock, of: variant.id, field: "variants[\(index)].stock", on: tx)
                } else {
                    try await tx.sql.insert(into: "food_variants")
                        .columns("id", "product_id", "label", "quantity_thousandths", "price_cents", "stock", "reserved", "sold", "position")
                        .values(SQLBind(variant.id), SQLBind(product.id), SQLBind(variant.label), SQLBind(variant.quantity.thousandths),
                                SQLBind(variant.priceCents), SQLBind(variant.stock.limit.map(Int64.init)), SQLBind(Int64(0)),
                                SQLBind(Int64(0)), SQLBind(Int64(index))).run()
                }
            }
            // A new variant of a product already on sale in a cycle not yet closed is sold there too.
            if id != nil {
                try await tx.sql.raw("""
                    INSERT INTO food_cycle_offers (cycle_id, variant_id, product_id, producer_id, price_cents, has_stock, stock, reserved, sold)
                    SELECT cp.cycle_id, v.id, v.product_id, cp.producer_id, NULL, \(bind: false), NULL, 0, 0
                    FROM food_cycle_products cp JOIN food_variants v ON v.product_id = cp.product_id JOIN food_cycles c ON c.id = cp.cycle_id
                    WHERE cp.product_id = \(bind: product.id) AND c.closes_at > \(bind: now) AND c.cancelled_at IS NULL
                    ON CONFLICT (cycle_id, variant_id) DO NOTHING
                    """).run()
            }
        }
        await ShopfrontCache.shared.forgetAll()
        return product
    }

    /// Step 6 of the contract: a tracked stock is set only if it covers what is reserved and sold.
    static func setStock(_ stock: Stock, of variant: UUID, field: String, on db: any Database) async throws {
        defer { ShopfrontListing.forgetAll() }
        guard let limit = stock.limit.map(Int64.init) else {
            try await db.sql.raw("UPDATE food_variants SET stock = NULL WHERE id = \(bind: variant)").run()
            return
        }
        let changed = try await db.sql.raw("""
            UPDATE food_variants SET stock = \(bind: limit) WHERE id = \(bind: variant) AND reserved + sold <= \(bind: limit) RETURNING id
            """).all()
        guard changed.isEmpty else { return }
        struct Counts: Decodable { var reserved: Int64; var sold: Int64; var name: String; var label: String }
        let counts = try await db.sql.raw("""
            SELECT v.reserved, v.sold, p.name, v.label FROM food_variants v JOIN food_products p ON p.id = v.product_id WHERE v.id = \(bind: variant)
            """).first(decoding: Counts.self)
        throw stockBelowCommitted((counts?.reserved ?? 0) + (counts?.sold ?? 0), field: field,
                                  name: counts.map { FoodStock.name(product: $0.name, variant: $0.label) } ?? "")
    }

    /// Takes a product off sale (it stays in past orders and reports).
    static func archive(_ id: UUID, producer: ProducerRow, on db: any Database) async throws {
        try await db.writeTransaction { tx in
            try await tx.sql.update("food_products").set("archived_at", to: SQLBind(Date())).where("id", .equal, SQLBind(id))
                .where("producer_id", .equal, SQLBind(producer.id)).run()
            try await tx.sql.raw("""
                DELETE FROM food_cycle_products WHERE product_id = \(bind: id)
                AND EXISTS (SELECT 1 FROM food_products p WHERE p.id = \(bind: id) AND p.producer_id = \(bind: producer.id))
                """).run()
            try await tx.sql.raw("""
                DELETE FROM food_product_words WHERE product_id = \(bind: id)
                AND EXISTS (SELECT 1 FROM food_products p WHERE p.id = \(bind: id) AND p.producer_id = \(bind: producer.id))
                """).run()
        }
        await ShopfrontCache.shared.forgetAll()
    }

    /// The products of a producer by folded name, to update instead of duplicating on import.
    static func idsByName(producer: UUID, on db: any Database) async throws -> [String: UUID] {
        struct Row: Decodable { var id: UUID; var name: String }
        let rows = try await db.sql.select().column("id").column("name").from("food_products")
            .where("producer_id", .equal, SQLBind(producer)).all(decoding: Row.self)
        return Dictionary(rows.map { (SearchText.fold($0.name), $0.id) }, uniquingKeysWith: { first, _ in first })
    }

    /// Keeps each variant's id when an imported draft names an existing variant, so its stock
    /// counts and cycle offers stay attached.
    static func withExistingVariantIDs(_ draft: ProductDraft, product: UUID, on db: any Database) async throws -> ProductDraft {
        let existing = try await variants(ofProducts: [product], on: db)
        var draft = draft
        for index in draft.variants.indices {
            let label = SearchText.fold(draft.variants[index].label)
            draft.variants[index].id = existing.first { SearchText.fold($0.label) == label }?.id
        }
        return draft
    }
}

extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
