import Fluent
import Foundation
import MaillageCore
import Plot
import SQLKit
import Vapor

/// The producer's side of the catalog sync: the address of their catalog on another platform,
/// a button to fetch it now, the dated log, and a warning when it keeps failing.
enum FoodCatalogSyncPages {
    struct SourceForm: Content { var catalog_url: String? }

    @Sendable static func register(_ req: Request) async throws -> Response {
        let access = try await FoodAccess(req)
        let producer = try await access.producer(req.query[String.self, at: "producer"].flatMap(UUID.init(uuidString:)), on: req.db)
        let address = (try? req.content.decode(SourceForm.self))?.catalog_url ?? ""
        do {
            try await FoodCatalogSync.register(address, producer: producer, on: req.db)
        } catch let error as DomainError {
            var state = FormState(values: ["catalog_url": address])
            state.errors.add(error)
            return try await ProducerPages.listView(req, access: access, producer: producer, report: nil, sync: state, status: .unprocessableEntity)
        }
        return req.done(address.trimmingCharacters(in: .whitespaces).isEmpty
                            ? Localized(fr: "Synchronisation du catalogue arrêtée.", en: "Catalog sync stopped.")
                            : Localized(fr: "Catalogue enregistré : il sera relu chaque nuit.", en: "Catalog saved: it will be read again every night."),
                        goTo: "/c/\(access.coop.slug)/food/products?producer=\(producer.id)")
    }

    @Sendable static func syncNow(_ req: Request) async throws -> Response {
        let access = try await FoodAccess(req)
        let producer = try await access.producer(req.query[String.self, at: "producer"].flatMap(UUID.init(uuidString:)), on: req.db)
        guard let entry = try await FoodCatalogSync.sync(producer: producer.id, fetcher: req.safeFetcher, converter: req.application.maillage.imageConverter, on: req.db) else {
            throw DomainError(.invalid, code: "no_catalog_source", field: "catalog_url",
                              fr: "Enregistrez d’abord l’adresse de votre catalogue.", en: "Save your catalog's address first.")
        }
        return req.done(Localized(fr: entry.message_fr, en: entry.message_en), goTo: "/c/\(access.coop.slug)/food/products?producer=\(producer.id)")
    }

    static func section(_ req: Request, coop: Cooperative, producer: ProducerRow, state: FormState?) async throws -> Node<HTML.BodyContext> {
        let t = req.t
        let source = try await FoodCatalogSync.source(of: producer.id, on: req.db)
        let log = try await FoodCatalogSync.log(of: producer.id, on: req.db)
        let state = state ?? FormState(values: ["catalog_url": source?.url ?? ""])
        let failing = (source?.failures ?? 0) >= Int64(FoodCatalogSync.flagAfter)
        return .section(.id("catalog-sync"),
            .h2(.text(t("Catalogue tenu sur une autre plateforme (DFC)", "Catalog kept on another platform (DFC)"))),
            .if(failing, .p(.class("form-errors"), .attribute(named: "role", value: "alert"),
                .text(t("Votre catalogue n’a pas pu être lu \(source?.failures ?? 0) fois de suite : les produits ici ne sont plus à jour. Vérifiez son adresse.",
                        "Your catalog could not be read \(source?.failures ?? 0) times in a row: the products here are no longer up to date. Check its address.")))),
            Form.post(req, action: "/c/\(coop.slug)/food/products/catalog-source?producer=\(producer.id)",
                Form.summary(state, t),
                Form.field("catalog_url", label: t("Adresse du catalogue (Open Food Network, LiteFarm…)", "Catalog address (Open Food Network, LiteFarm…)"), state: state, t,
                           required: false, hint: t("Relu chaque nuit ; les produits disparus du catalogue sont retirés. Laissez vide pour arrêter.",
                                                    "Read again every night; products gone from the catalog are withdrawn. Leave empty to stop.")),
                Form.submit(t("Enregistrer", "Save"))),
            .if(source != nil, Form.post(req, action: "/c/\(coop.slug)/food/products/catalog-source/sync?producer=\(producer.id)",
                                         Form.submit(t("Synchroniser maintenant", "Sync now")))),
            .if(!log.isEmpty, .ul(.class("sync-log"), .forEach(log) { entry in
                .li(.element(named: "time", nodes: [.attribute(named: "datetime", value: ISO8601DateFormatter().string(from: entry.at)),
                                                    .text(FoodCatalogSyncPages.date(entry.at, req.language))]),
                    .text(" — " + t(entry.message_fr, entry.message_en)))
            })))
    }

    static func date(_ date: Date, _ language: Language) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: language == .fr ? "fr_FR" : "en_GB")
        formatter.timeZone = TimeZone(identifier: "Europe/Paris")
        formatter.dateStyle = .medium
        formatter.timeStyle = .short
        return formatter.string(from: date)
    }
}
