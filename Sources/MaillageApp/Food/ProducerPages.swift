import Fluent
import Foundation
import MaillageCore
import Plot
import SQLKit
import Vapor

/// A producer's side: their products with variants and stock, a CSV import with a line-by-line
/// report, a photo per product.
enum ProducerPages {
    /// Blank variant rows a product form offers beyond the existing ones (no script needed).
    static let spareVariantRows = 2

    @Sendable static func list(_ req: Request) async throws -> Response {
        let access = try await FoodAccess(req)
        let producer = try await access.producer(req.query[String.self, at: "producer"].flatMap(UUID.init(uuidString:)), on: req.db)
        // The report of an import just made (POST → 303 → here), shown once.
        let report = FoodImport.Outcome.take(from: req, producer: producer.id).map { $0.report(req.t) }
        return try await listView(req, access: access, producer: producer, report: report)
    }

    static func listView(_ req: Request, access: FoodAccess, producer: ProducerRow, report: Node<HTML.BodyContext>?,
                         sync: FormState? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.t, language = req.language, coop = access.coop
        let products = try await FoodCatalogStore.products(of: producer.id, on: req.db)
        let rows = try await FoodCatalogStore.variants(ofProducts: products.map(\.id), on: req.db)
        let counts = Dictionary(rows.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let drafts = try await FoodDFCImport.drafts(of: producer.id, on: req.db)
        let profile = try await FoodProducerProfile.find(producer.id, on: req.db)
        let catalogSync = try await FoodCatalogSyncPages.section(req, coop: access.coop, producer: producer, state: sync)
        return Layout.page(req, title: t("Produits — \(producer.name)", "Products — \(producer.name)"), status: status,
            .p(.a(.href("/c/\(coop.slug)/food"), .text("← " + t("Épicerie", "Food shop")))),
            .h1(.text(t("Produits de \(producer.name)", "Products of \(producer.name)"))),
            .unwrap(report) { $0 },
            FoodProducerProfile.view(profile, t),
            draftsSection(drafts, coop: coop, producer: producer, t),
            .p(.a(.class("button"), .href("/c/\(coop.slug)/food/products/new?producer=\(producer.id)"), .text(t("Ajouter un produit", "Add a product"))),
               .text(" · "), .a(.href("/c/\(coop.slug)/food/producers/\(producer.id)/catalog.jsonld"), .attribute(named: "title", value: t("Catalogue au format Data Food Consortium (DFC, JSON-LD)", "Catalog in the Data Food Consortium format (DFC, JSON-LD)")),
                  .text(t("Mon catalogue, à partager avec d’autres boutiques", "My catalog, to share with other shops")))),
            products.isEmpty ? .p(.text(t("Aucun produit pour l’instant.", "No product yet."))) : StackedTable.node(.table(
                .caption(.text(t.count(products.count, "produit", "produits", "product", "products") + t(" en vente", " on sale"))),
                .thead(.tr(.th(.text(t("Produit", "Product"))), .th(.text(t("Variante", "Variant"))), .th(.class("num"), .text(t("Prix TTC", "Price incl. VAT"))),
                           .th(.class("num"), .text(t("Stock", "Stock"))), .th(.class("num"), .text(t("Réservé", "Held"))), .th(.class("num"), .text(t("Vendu", "Sold"))))),
                .tbody(.forEach(products) { product in
                    .group(product.variants.enumerated().map { index, variant -> Node<HTML.TableContext> in
                        let row = counts[variant.id]
                        return .tr(index == 0 ? .td(.attribute(named: "rowspan", value: String(product.variants.count)),
                                                    .a(.href("/c/\(coop.slug)/food/products/\(product.id)"), .text(product.name)),
                                                    .span(.class("hint"), .text(" · " + product.category))) : .empty,
                                   .td(.text(variant.label)), .td(.class("num"), .text(FoodViews.euros(variant.priceCents, language))),
                                   .td(.class("num"), .text(variant.stock.limit.map(String.init) ?? t("sur commande", "to order"))),
                                   .td(.class("num"), .text(String(row?.reserved ?? 0))), .td(.class("num"), .text(String(row?.sold ?? 0))))
                    })
                }))),
            catalogSync,
            .section(.h2(.text(t("Importer ou mettre à jour depuis un fichier CSV", "Import or update from a CSV file"))),
                .p(.text(t("Une ligne par variante ; colonnes : produit, variante, quantité, unité, prix (TTC), tva, stock (vide = sur commande), catégorie, description. Un produit du même nom est mis à jour.",
                           "One line per variant; columns: product, variant, quantity, unit, price (incl. VAT), vat, stock (empty = made to order), category, description. A product of the same name is updated."))),
                .form(.action("/c/\(coop.slug)/food/products/import?producer=\(producer.id)"), .method(.post), .enctype(.multipartData),
                      .input(.type(.hidden), .name(CSRFMiddleware.field), .value(req.csrfToken)),
                      .input(.type(.hidden), .name(FormSubmissions.field), .value(FormSubmissions.newKey())),
                      .div(.class("field"), .label(.for("file"), .text(t("Fichier CSV (UTF-8, séparateur , ou ;)", "CSV file (UTF-8, separator , or ;)"))),
                           .input(.type(.file), .id("file"), .name("file"), .attribute(named: "accept", value: "text/csv,.csv"), .required(true))),
                      .button(.type(.submit), .class("primary"), .text(t("Importer", "Import"))))))
    }

    /// Products read from another platform that wait for a euro price, each with why.
    static func draftsSection(_ drafts: [FoodDFCImport.DraftRow], coop: Cooperative, producer: ProducerRow, _ t: Translator) -> Node<HTML.BodyContext> {
        guard !drafts.isEmpty else { return .empty }
        return .section(.class("notice"), .attribute(named: "role", value: "status"),
            .h2(.text(t("\(Plural.count(drafts.count, "brouillon", "brouillons", .fr)) à chiffrer en euros : pas en vente d’ici là",
                        "\(Plural.count(drafts.count, "draft", "drafts", .en)) to price in euros: not on sale until then"))),
            .ul(.forEach(drafts) { row in
                .li(.a(.href("/c/\(coop.slug)/food/products/new?producer=\(producer.id)&draft=\(row.id)"), .text(row.content.draft.name)),
                    .text(" — " + row.content.problems.map { t($0) }.joined(separator: " ; ")),
                    .unwrap(row.content.skus.compactMap { $0 }.first) { .span(.class("hint"), .text(" · SKU \($0)")) })
            }))
    }

    // MARK: Product form

    @Sendable static func newProduct(_ req: Request) async throws -> Response {
        let access = try await FoodAccess(req)
        let producer = try await access.producer(req.query[String.self, at: "producer"].flatMap(UUID.init(uuidString:)), on: req.db)
        // A draft imported from another platform fills the form; the producer adds the euro prices.
        if let id = req.query[String.self, at: "draft"].flatMap(UUID.init(uuidString:)),
           let row = try await FoodDFCImport.draft(id, producer: producer.id, on: req.db) {
            var draft = written(row.content.draft, in: req.language)
            if VATRate.parse(draft.vatRate) == nil { draft.vatRate = "5,5" }
            var fields = values(draft, rows: draft.variants.count + spareVariantRows)
            fields["draft"] = id.uuidString
            return formView(req, access: access, producer: producer, productID: nil, draft: draft, state: FormState(values: fields))
        }
        let blank = ProductDraft(name: "", category: "", vatRate: "5,5", unit: "kg", variants: [])
        return formView(req, access: access, producer: producer, productID: nil, draft: blank, state: FormState(values: values(blank, rows: spareVariantRows)))
    }

    @Sendable static func edit(_ req: Request) async throws -> Response {
        let access = try await FoodAccess(req)
        let (row, product) = try await FoodCatalogStore.product(try productID(req), in: access.coopID, on: req.db)
        let producer = try await access.producer(row.producerID, on: req.db)
        let draft = written(product.draft, in: req.language)
        return formView(req, access: access, producer: producer, productID: product.id, draft: draft,
                        state: FormState(values: values(draft, rows: draft.variants.count + spareVariantRows)), photo: row.photoType != nil)
    }

    static func productID(_ req: Request) throws -> UUID {
        guard let id = req.parameters.get("product", as: UUID.self) else { throw Problem.notFound(FoodCatalogStore.productWord) }
        return id
    }

    /// The value of a sales unit's choice in the form (what the core reads back).
    static func unitChoice(_ unit: ProductUnit) -> String {
        switch unit {
        case .kilogram: "kg"
        case .gram: "g"
        case .litre: "litre"
        case .millilitre: "ml"
        case .piece: "pièce"
        }
    }

    /// The draft's figures as the form shows them: the VAT rate and the unit as their choices'
    /// values ("5,5" and "pièce" in any language, or no choice would be selected and the first,
    /// 0 % and kg, would be sent back), and
    /// on a French page prices and quantities as French producers write them, "7,00" and "0,35"
    /// (the form reads both separators back).
    static func written(_ draft: ProductDraft, in language: Language) -> ProductDraft {
        func comma(_ figure: String) -> String { figure.replacingOccurrences(of: ".", with: ",") }
        var draft = draft
        draft.vatRate = comma(draft.vatRate)
        if let unit = ProductUnit(rawValue: draft.unit) { draft.unit = unitChoice(unit) }
        guard language == .fr else { return draft }
        for index in draft.variants.indices {
            draft.variants[index].price = comma(draft.variants[index].price)
            draft.variants[index].quantity = comma(draft.variants[index].quantity)
        }
        return draft
    }

    /// The form's fields named as the core names its problems (`variants[1].price`), so each
    /// error lands next to its field.
    static func values(_ draft: ProductDraft, rows: Int) -> [String: String] {
        var out = ["name": draft.name, "category": draft.category, "description": draft.description, "vatRate": draft.vatRate, "unit": draft.unit]
        for index in 0..<rows {
            let variant = index < draft.variants.count ? draft.variants[index] : nil
            out["variants[\(index)].id"] = variant?.id?.uuidString ?? ""
            out["variants[\(index)].label"] = variant?.label ?? ""
            out["variants[\(index)].quantity"] = variant?.quantity ?? ""
            out["variants[\(index)].price"] = variant?.price ?? ""
            out["variants[\(index)].stock"] = variant?.stock ?? ""
        }
        return out
    }

    /// Reads the posted form back into a draft; variant rows left blank are dropped, and the
    /// remaining rows are renumbered so errors match what the core reports.
    static func draft(from fields: [String: String]) -> (ProductDraft, [String: String]) {
        var variants: [VariantDraft] = []
        var index = 0
        while fields["variants[\(index)].label"] != nil || fields["variants[\(index)].price"] != nil {
            let get = { (name: String) in fields["variants[\(index)].\(name)"]?.trimmingCharacters(in: .whitespaces) ?? "" }
            if !(get("label").isEmpty && get("price").isEmpty && get("stock").isEmpty) {
                variants.append(VariantDraft(id: UUID(uuidString: get("id")), label: get("label"), quantity: get("quantity").isEmpty ? "1" : get("quantity"),
                                             price: get("price"), stock: get("stock")))
            }
            index += 1
            if index > ProductDraft.maximumVariants + spareVariantRows { break }
        }
        let draft = ProductDraft(name: fields["name"] ?? "", category: fields["category"] ?? "", description: fields["description"] ?? "",
                                 vatRate: fields["vatRate"] ?? "", unit: fields["unit"] ?? "", variants: variants)
        return (draft, values(draft, rows: variants.count + spareVariantRows))
    }

    static func formView(_ req: Request, access: FoodAccess, producer: ProducerRow, productID: UUID?, draft: ProductDraft,
                         state: FormState, photo: Bool = false, status: HTTPResponseStatus = .ok) -> Response {
        let t = req.t, coop = access.coop
        let rows = max(draft.variants.count + spareVariantRows, 1)
        let action = productID.map { "/c/\(coop.slug)/food/products/\($0)" } ?? "/c/\(coop.slug)/food/products?producer=\(producer.id)"
        return Layout.page(req, title: productID == nil ? t("Nouveau produit", "New product") : draft.name, status: status,
            .p(.a(.href("/c/\(coop.slug)/food/products?producer=\(producer.id)"), .text("← " + t("Mes produits", "My products")))),
            .h1(.text(productID == nil ? t("Nouveau produit", "New product") : draft.name)),
            Form.post(req, action: action,
                Form.summary(state, t),
                // A draft imported from another platform: saving it puts it on sale and removes the draft.
                .if(!state["draft"].isEmpty, .input(.type(.hidden), .name("draft"), .value(state["draft"]))),
                Form.field("name", label: t("Nom", "Name"), state: state, t, hint: t("Par ex. « Pommes Jonagold ».", "E.g. “Jonagold apples”.")),
                Form.field("category", label: t("Catégorie", "Category"), state: state, t, hint: t("Par ex. « Fruits », « Fromages ».", "E.g. “Fruit”, “Cheese”.")),
                Form.textarea("description", label: t("Description", "Description"), state: state, t, rows: 3, required: false),
                Form.select("vatRate", label: t("Taux de TVA", "VAT rate"), state: state, t,
                            options: [("0", "0 %"), ("5,5", "5,5 %"), ("10", "10 %"), ("20", "20 %")]),
                Form.select("unit", label: t("Unité de vente", "Sales unit"), state: state, t,
                            options: ProductUnit.allCases.map { (unitChoice($0), t($0.label)) }),
                .fieldset(.element(named: "legend", nodes: [.text(t("Variantes (au moins une)", "Variants (at least one)"))]),
                    .p(.class("hint"), .text(t("Prix TTC. Stock vide = sur commande. Laissez une ligne vide pour ne rien ajouter.",
                                               "Price incl. VAT. Empty stock = made to order. Leave a row empty to add nothing."))),
                    .forEach(0..<rows) { index in
                        .div(.class("variant-row"),
                             .input(.type(.hidden), .name("variants[\(index)].id"), .value(state["variants[\(index)].id"])),
                             Form.field("variants[\(index)].label", label: t("Variante \(index + 1)", "Variant \(index + 1)"), state: state, t, required: false),
                             Form.field("variants[\(index)].quantity", label: t("Quantité (dans l’unité)", "Quantity (in the unit)"), state: state, t, required: false),
                             Form.field("variants[\(index)].price", label: t("Prix (€)", "Price (€)"), state: state, t, required: false,
                                        extra: [.attribute(named: "inputmode", value: "decimal")]),
                             Form.field("variants[\(index)].stock", label: t("Stock", "Stock"), state: state, t, required: false,
                                        extra: [.attribute(named: "inputmode", value: "numeric")]))
                    }),
                Form.submit(t("Enregistrer", "Save"))),
            .unwrap(productID) { id in
                .section(.h2(.text(t("Photo", "Photo"))),
                    .if(photo, .img(.src("/c/\(coop.slug)/food/photos/\(id)"), .alt(draft.name), .class("product-photo"))),
                    .form(.action("/c/\(coop.slug)/food/products/\(id)/photo"), .method(.post), .enctype(.multipartData),
                          .input(.type(.hidden), .name(CSRFMiddleware.field), .value(req.csrfToken)),
                          .input(.type(.hidden), .name(FormSubmissions.field), .value(FormSubmissions.newKey())),
                          .div(.class("field"), .label(.for("photo"), .text(t("Photo (JPEG, PNG ou WebP, 5 Mo au plus)", "Photo (JPEG, PNG or WebP, 5 MB at most)"))),
                               .input(.type(.file), .id("photo"), .name("photo"), .attribute(named: "accept", value: "image/jpeg,image/png,image/webp"), .required(true))),
                          .button(.type(.submit), .text(t("Envoyer la photo", "Upload the photo")))),
                    Form.post(req, action: "/c/\(coop.slug)/food/products/\(id)/archive",
                              .p(.class("hint"), .text(t("Le produit n’est plus proposé aux prochains cycles ; les commandes déjà passées restent.",
                                                         "The product is no longer offered to the next cycles; orders already placed stay."))),
                              .button(.type(.submit), .class("danger"), .text(t("Retirer de la vente", "Take off sale")))))
            })
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let access = try await FoodAccess(req)
        let producer = try await access.producer(req.query[String.self, at: "producer"].flatMap(UUID.init(uuidString:)), on: req.db)
        return try await save(req, access: access, producer: producer, id: nil)
    }

    @Sendable static func update(_ req: Request) async throws -> Response {
        let access = try await FoodAccess(req)
        let (row, _) = try await FoodCatalogStore.product(try productID(req), in: access.coopID, on: req.db)
        return try await save(req, access: access, producer: try await access.producer(row.producerID, on: req.db), id: row.id)
    }

    static func save(_ req: Request, access: FoodAccess, producer: ProducerRow, id: UUID?) async throws -> Response {
        let fields = try FlatForm.fields(req)
        var (draft, values) = draft(from: fields)
        let imported = id == nil ? fields["draft"].flatMap(UUID.init(uuidString:)) : nil
        if let imported { values["draft"] = imported.uuidString }
        do {
            let product = try await FoodCatalogStore.save(draft, id: id, producer: producer, on: req.db)
            if let imported { try await FoodDFCImport.promote(imported, to: product, producer: producer, on: req.db) }
            let count = product.variants.count
            return req.done(id == nil
                                ? Localized(fr: "Produit « \(product.name) » créé avec \(Plural.count(count, "variante", "variantes", .fr)) : il sera proposé aux prochains cycles.",
                                            en: "Product “\(product.name)” created with \(Plural.count(count, "variant", "variants", .en)): it will be offered to the next cycles.")
                                : Localized(fr: "Produit « \(product.name) » enregistré (\(Plural.count(count, "variante", "variantes", .fr))).",
                                            en: "Product “\(product.name)” saved (\(Plural.count(count, "variant", "variants", .en)))."),
                            goTo: "/c/\(access.coop.slug)/food/products/\(product.id)")
        } catch {
            return formView(req, access: access, producer: producer, productID: id, draft: draft,
                            state: try FormState(refused: error, values: values), status: .unprocessableEntity)
        }
    }

    @Sendable static func archive(_ req: Request) async throws -> Response {
        let access = try await FoodAccess(req)
        let (row, product) = try await FoodCatalogStore.product(try productID(req), in: access.coopID, on: req.db)
        let producer = try await access.producer(row.producerID, on: req.db)
        try await FoodCatalogStore.archive(row.id, producer: producer, on: req.db)
        return req.done(Localized(fr: "« \(product.name) » est retiré de la vente.", en: "“\(product.name)” is taken off sale."),
                        goTo: "/c/\(access.coop.slug)/food/products?producer=\(producer.id)")
    }

    // MARK: CSV import

    struct ImportForm: Content { var file: File }

    static let noFile = DomainError(.invalid, code: "file_missing", field: "file", fr: "Choisissez un fichier CSV.", en: "Choose a CSV file.")

    @Sendable static func importCSV(_ req: Request) async throws -> Response {
        let access = try await FoodAccess(req)
        let producer = try await access.producer(req.query[String.self, at: "producer"].flatMap(UUID.init(uuidString:)), on: req.db)
        let t = req.t
        guard let form = try? req.content.decode(ImportForm.self), form.file.data.readableBytes > 0 else {
            return try await listView(req, access: access, producer: producer, report: .div(.class("form-errors"), .attribute(named: "role", value: "alert"),
                                      .p(.text(t(noFile.message)))), status: .unprocessableEntity)
        }
        let text = String(decoding: Data(buffer: form.file.data), as: UTF8.self)
        let outcome: FoodImport.Outcome
        do {
            outcome = try await FoodImport.run(csv: text, producer: producer, maximumRows: FoodImport.maximumRowsOverHTTP, on: req.db)
        } catch let error as DomainError {
            return try await listView(req, access: access, producer: producer, report: .div(.class("form-errors"), .attribute(named: "role", value: "alert"),
                                      .p(.text(t(error.message)))), status: .unprocessableEntity)
        }
        // The products are written: the report goes on a page of its own (POST → 303 → GET), so
        // reloading it shows the report again without importing the file a second time.
        outcome.keep(in: req, producer: producer.id)
        return req.redirect(to: "/c/\(access.coop.slug)/food/products?producer=\(producer.id)", redirectType: .normal)
    }

    // MARK: Photo

    static let badPhoto = DomainError(.invalid, code: "photo_unreadable", field: "photo",
        fr: "Photo refusée : envoyez un fichier JPEG, PNG ou WebP de 5 Mo au plus.", en: "Photo refused: send a JPEG, PNG or WebP file of 5 MB at most.")

    struct PhotoForm: Content { var photo: File }

    @Sendable static func uploadPhoto(_ req: Request) async throws -> Response {
        let access = try await FoodAccess(req)
        let (row, product) = try await FoodCatalogStore.product(try productID(req), in: access.coopID, on: req.db)
        let producer = try await access.producer(row.producerID, on: req.db)
        guard let form = try? req.content.decode(PhotoForm.self), form.photo.data.readableBytes <= 5 * 1024 * 1024,
              let photo = UploadedPhoto(Data(buffer: form.photo.data)) else {
            let draft = product.draft
            return formView(req, access: access, producer: producer, productID: row.id, draft: draft,
                            state: FormState(values: values(draft, rows: draft.variants.count + spareVariantRows), errors: { var e = ValidationErrors(); e.add(badPhoto); return e }()),
                            photo: row.photoType != nil, status: .unprocessableEntity)
        }
        let stored: UploadedPhoto
        do {
            stored = try await photo.resized(converter: req.application.maillage.imageConverter)
        } catch let error as DomainError {
            let draft = product.draft
            return formView(req, access: access, producer: producer, productID: row.id, draft: draft,
                            state: FormState(values: values(draft, rows: draft.variants.count + spareVariantRows), errors: { var e = ValidationErrors(); e.add(error); return e }()),
                            photo: row.photoType != nil, status: .unprocessableEntity)
        }
        try await req.db.sql.update("food_products").set("photo", to: SQLBind(stored.data)).set("photo_type", to: SQLBind(stored.type))
            .set("updated_at", to: SQLBind(Date())).where("id", .equal, SQLBind(row.id)).run()
        ShopfrontListing.forgetAll()
        return req.done(Localized(fr: "Photo de « \(product.name) » enregistrée : elle apparaît dans la boutique.",
                                  en: "Photo of “\(product.name)” saved: it shows in the shopfront."),
                        goTo: "/c/\(access.coop.slug)/food/products/\(row.id)")
    }

    @Sendable static func photo(_ req: Request) async throws -> Response {
        let coop = try await FoodAccess.publicCooperative(req)
        struct Row: Decodable { var photo: Data?; var photo_type: String? }
        guard let id = req.parameters.get("product", as: UUID.self),
              let row = try await req.db.sql.select().column("photo").column("photo_type").from("food_products")
                .where("id", .equal, SQLBind(id)).where("cooperative_id", .equal, SQLBind(try coop.requireID())).first(decoding: Row.self),
              let data = row.photo, let type = row.photo_type else { throw Problem.notFound(Localized(fr: "Photo", en: "Photo")) }
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.replaceOrAdd(name: .contentType, value: type)
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
        return response
    }
}

/// A posted `application/x-www-form-urlencoded` body read as flat name → value pairs, so field
/// names with brackets (`variants[0].price`) are kept as they are.
enum FlatForm {
    static func fields(_ req: Request) throws -> [String: String] {
        guard let buffer = req.body.data else { return [:] }
        var components = URLComponents()
        components.percentEncodedQuery = String(decoding: Data(buffer: buffer), as: UTF8.self).replacingOccurrences(of: "+", with: "%20")
        var out: [String: String] = [:]
        for item in components.queryItems ?? [] where out[item.name] == nil { out[item.name] = item.value ?? "" }
        return out
    }
}
