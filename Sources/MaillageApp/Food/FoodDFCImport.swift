import Fluent
import Foundation
import MaillageCore
import SQLKit
import Vapor

/// A product read from another platform that cannot be sold yet: kept as the product form's
/// fields with why (no price, a price in pounds), until the producer sets its euro prices.
struct ImportedDraft: Codable, Sendable, Hashable {
    var draft: ProductDraft
    var problems: [Localized]
    var sourceIDs: [String]
    var skus: [String?]
    var packs: [DFCCatalogMapping.Import.PackIndex]
}

/// Applies a DFC catalog read by `DFCCatalogMapping` to one producer: products matched by their
/// catalog id first (then by name), saved through `FoodCatalogStore.save` like a form; drafts
/// kept aside; packs and catalog ids recorded; the farm's profile updated; images downloaded
/// once through the safe fetcher and the photo pipeline.
enum FoodDFCImport {
    struct Outcome: Sendable {
        var created = 0
        var updated = 0
        var drafts = 0
        var issues: [(source: String, message: Localized)] = []
        /// The products (or drafts) saved, by the catalog id of their first variant.
        var saved: [String: UUID] = [:]
    }

    struct Fetching: Sendable {
        var fetcher: SafeFetcher
        var converter: String
    }

    static func apply(_ read: DFCCatalogMapping.Import, to producer: ProducerRow, fallbackVAT: String?, images: Fetching?,
                      on db: any Database) async throws -> Outcome {
        var outcome = Outcome(issues: read.issues.map { ($0.sourceID, $0.message) })
        var known = try await FoodCatalogStore.idsByName(producer: producer.id, on: db)
        for item in read.items {
            var item = item
            if VATRate.parse(item.draft.vatRate) == nil, let fallbackVAT { item.draft.vatRate = fallbackVAT }
            let source = item.sourceIDs.first ?? ""
            let linked = try await linkedProduct(item.sourceIDs, producer: producer.id, on: db)
            // Priced here already: the catalog updates the rest, the producer's euro prices stay.
            if !item.isForSale, let linked { item = try await pricedFromExisting(item, product: linked, on: db) }
            guard item.isForSale else {
                try await keepDraft(item, producer: producer, images: images, on: db)
                outcome.drafts += 1
                for problem in item.priceProblems { outcome.issues.append((source, problem)) }
                continue
            }
            let existing = linked ?? known[SearchText.fold(item.draft.name)]
            do {
                var draft = item.draft
                if let existing { draft = try await FoodCatalogStore.withExistingVariantIDs(draft, product: existing, on: db) }
                let product = try await FoodCatalogStore.save(draft, id: existing, producer: producer, on: db)
                try await record(item, product: product, producer: producer.id, on: db)
                // A product priced now is no longer a draft.
                try await db.sql.delete(from: "food_product_drafts").where("producer_id", .equal, SQLBind(producer.id))
                    .where("source_id", .equal, SQLBind(source)).run()
                if existing == nil {
                    outcome.created += 1
                    known[SearchText.fold(product.name)] = product.id
                    if let photo = await photo(item.imageURL, images) { try await setPhoto(photo, product: product.id, on: db) }
                } else {
                    outcome.updated += 1
                }
                outcome.saved[source] = product.id
            } catch let error as DomainError {
                outcome.issues.append((source, error.message))
            } catch let errors as ValidationErrors {
                for error in errors.errors { outcome.issues.append((source, error.message)) }
            }
        }
        if let profile = read.producer { try await FoodProducerProfile.apply(profile, to: producer, on: db) }
        return outcome
    }

    /// The product an earlier import made from one of these catalog ids.
    static func linkedProduct(_ sources: [String], producer: UUID, on db: any Database) async throws -> UUID? {
        guard !sources.isEmpty else { return nil }
        struct Row: Decodable { var product_id: UUID }
        return try await db.sql.raw("""
            SELECT l.product_id FROM food_dfc_links l JOIN food_products p ON p.id = l.product_id AND p.archived_at IS NULL
            WHERE l.producer_id = \(bind: producer) AND l.source_id IN \(SQLBind.group(sources))
            """).first(decoding: Row.self)?.product_id
    }

    /// `item` with the prices of the product's variants of the same catalog id (or label) where it
    /// has none; still a draft if one is left without a price.
    static func pricedFromExisting(_ item: DFCCatalogMapping.Import.Item, product: UUID, on db: any Database) async throws -> DFCCatalogMapping.Import.Item {
        struct Link: Decodable { var source_id: String; var variant_id: UUID }
        let links = try await db.sql.select().column("source_id").column("variant_id").from("food_dfc_links")
            .where("product_id", .equal, SQLBind(product)).all(decoding: Link.self)
        let rows = try await FoodCatalogStore.variants(ofProducts: [product], on: db)
        var item = item
        for index in item.draft.variants.indices where item.draft.variants[index].price.isEmpty {
            let source = index < item.sourceIDs.count ? item.sourceIDs[index] : ""
            let variant = links.first { $0.source_id == source }.flatMap { link in rows.first { $0.id == link.variant_id } }
                ?? rows.first { SearchText.fold($0.label) == SearchText.fold(item.draft.variants[index].label) }
            if let variant { item.draft.variants[index].price = Amount.euros(cents: variant.priceCents).plain }
        }
        if item.draft.variants.allSatisfy({ !$0.price.isEmpty }) {
            item.priceProblems = []
            struct VAT: Decodable { var vat_basis_points: Int64 }
            if VATRate.parse(item.draft.vatRate) == nil,
               let row = try await db.sql.select().column("vat_basis_points").from("food_products").where("id", .equal, SQLBind(product)).first(decoding: VAT.self),
               let rate = VATRate(rawValue: row.vat_basis_points) {
                item.draft.vatRate = rate.percent
            }
        }
        return item
    }

    /// Each variant's catalog id and SKU, and which variant is a case of which.
    static func record(_ item: DFCCatalogMapping.Import.Item, product: Product, producer: UUID, on db: any Database) async throws {
        try await db.writeTransaction { tx in
            for (index, source) in item.sourceIDs.enumerated() where index < product.variants.count {
                let variant = product.variants[index].id
                try await tx.sql.delete(from: "food_dfc_links").where("producer_id", .equal, SQLBind(producer)).where("source_id", .equal, SQLBind(source)).run()
                try await tx.sql.insert(into: "food_dfc_links").columns("producer_id", "source_id", "product_id", "variant_id", "sku")
                    .values(SQLBind(producer), SQLBind(source), SQLBind(product.id), SQLBind(variant),
                            SQLBind(index < item.skus.count ? item.skus[index] : nil)).run()
            }
            try await writePacks(item.packs, variants: product.variants.map(\.id), on: tx)
        }
    }

    static func writePacks(_ packs: [DFCCatalogMapping.Import.PackIndex], variants: [UUID], on db: any Database) async throws {
        try await db.sql.delete(from: "food_variant_packs").where("variant_id", .in, SQLBind.group(variants)).run()
        for pack in packs where pack.variant < variants.count && pack.base < variants.count && pack.variant != pack.base {
            try await db.sql.insert(into: "food_variant_packs").columns("variant_id", "base_variant_id", "count")
                .values(SQLBind(variants[pack.variant]), SQLBind(variants[pack.base]), SQLBind(Int64(pack.count))).run()
        }
    }

    /// The packs of these products' variants, for the DFC export.
    static func packs(ofProducts ids: [UUID], on db: any Database) async throws -> [UUID: VariantPack] {
        guard !ids.isEmpty else { return [:] }
        struct Row: Decodable { var variant_id: UUID; var base_variant_id: UUID; var count: Int64 }
        let rows = try await db.sql.raw("""
            SELECT k.variant_id, k.base_variant_id, k.count FROM food_variant_packs k JOIN food_variants v ON v.id = k.variant_id
            WHERE v.product_id IN \(SQLBind.group(ids))
            """).all(decoding: Row.self)
        return Dictionary(rows.map { ($0.variant_id, VariantPack(base: $0.base_variant_id, count: Int($0.count))) }, uniquingKeysWith: { a, _ in a })
    }

    static func keepDraft(_ item: DFCCatalogMapping.Import.Item, producer: ProducerRow, images: Fetching?, on db: any Database) async throws {
        let content = ImportedDraft(draft: item.draft, problems: item.priceProblems, sourceIDs: item.sourceIDs, skus: item.skus, packs: item.packs)
        let json = String(decoding: try JSONEncoder().encode(content), as: UTF8.self)
        let source = item.sourceIDs.first ?? UUID().uuidString
        struct Row: Decodable { var id: UUID; var photo_type: String? }
        let existing = try await db.sql.select().column("id").column("photo_type").from("food_product_drafts")
            .where("producer_id", .equal, SQLBind(producer.id)).where("source_id", .equal, SQLBind(source)).first(decoding: Row.self)
        if let existing {
            try await db.sql.update("food_product_drafts").set("name", to: SQLBind(item.draft.name)).set("content", to: SQLBind(json))
                .where("id", .equal, SQLBind(existing.id)).run()
            if existing.photo_type == nil, let photo = await photo(item.imageURL, images) {
                try await db.sql.update("food_product_drafts").set("photo", to: SQLBind(photo.data)).set("photo_type", to: SQLBind(photo.type))
                    .where("id", .equal, SQLBind(existing.id)).run()
            }
            return
        }
        let photo = await photo(item.imageURL, images)
        try await db.sql.insert(into: "food_product_drafts")
            .columns("id", "cooperative_id", "producer_id", "source_id", "name", "content", "photo_type", "photo", "created_at")
            .values(SQLBind(UUID()), SQLBind(producer.cooperativeID), SQLBind(producer.id), SQLBind(source), SQLBind(item.draft.name),
                    SQLBind(json), SQLBind(photo?.type), SQLBind(photo?.data), SQLBind(Date())).run()
    }

    /// The image downloaded once, checked, shrunk and stripped of its metadata; nil on any failure
    /// (the product is kept without a photo).
    static func photo(_ address: String?, _ images: Fetching?) async -> UploadedPhoto? {
        guard let address, let images else { return nil }
        var limits = SafeFetcher.Limits()
        limits.totalTime = .seconds(10)
        limits.maxBodyBytes = 5 * 1_048_576
        guard let document = try? await images.fetcher.fetch(address, accept: "image/jpeg, image/png, image/webp", limits: limits),
              let photo = UploadedPhoto(Data(buffer: document.body)) else { return nil }
        return try? await photo.resized(converter: images.converter)
    }

    static func setPhoto(_ photo: UploadedPhoto, product: UUID, on db: any Database) async throws {
        try await db.sql.update("food_products").set("photo", to: SQLBind(photo.data)).set("photo_type", to: SQLBind(photo.type))
            .where("id", .equal, SQLBind(product)).run()
    }

    // MARK: Drafts

    struct DraftRow: Sendable {
        var id: UUID
        var content: ImportedDraft
        var hasPhoto: Bool
    }

    static func drafts(of producer: UUID, on db: any Database) async throws -> [DraftRow] {
        struct Row: Decodable { var id: UUID; var content: String; var photo_type: String? }
        let rows = try await db.sql.select().column("id").column("content").column("photo_type").from("food_product_drafts")
            .where("producer_id", .equal, SQLBind(producer)).orderBy("name").all(decoding: Row.self)
        return rows.compactMap { row in
            (try? JSONDecoder().decode(ImportedDraft.self, from: Data(row.content.utf8))).map { DraftRow(id: row.id, content: $0, hasPhoto: row.photo_type != nil) }
        }
    }

    static func draft(_ id: UUID, producer: UUID, on db: any Database) async throws -> DraftRow? {
        try await drafts(of: producer, on: db).first { $0.id == id }
    }

    /// Once the producer has priced a draft in the product form: its catalog ids, packs and photo
    /// go to the product, and the draft is gone.
    static func promote(_ id: UUID, to product: Product, producer: ProducerRow, on db: any Database) async throws {
        guard let row = try await draft(id, producer: producer.id, on: db) else { return }
        var item = DFCCatalogMapping.Import.Item(sourceIDs: row.content.sourceIDs, draft: row.content.draft)
        item.skus = row.content.skus
        item.packs = row.content.packs.filter { $0.variant < product.variants.count && $0.base < product.variants.count }
        try await record(item, product: product, producer: producer.id, on: db)
        try await db.sql.raw("""
            UPDATE food_products SET photo = (SELECT d.photo FROM food_product_drafts d WHERE d.id = \(bind: id)),
            photo_type = (SELECT d.photo_type FROM food_product_drafts d WHERE d.id = \(bind: id))
            WHERE id = \(bind: product.id) AND photo_type IS NULL
            """).run()
        try await db.sql.delete(from: "food_product_drafts").where("id", .equal, SQLBind(id)).where("producer_id", .equal, SQLBind(producer.id)).run()
        ShopfrontListing.forgetAll()
    }
}
