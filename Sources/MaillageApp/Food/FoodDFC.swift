import Fluent
import Foundation
import MaillageCore
import SQLKit
import Vapor

/// Data Food Consortium: each producer's catalog as DFC JSON-LD (Enterprise, SuppliedProduct,
/// CatalogItem, Offer), and a DFC catalog as another platform publishes it imported into a
/// producer's products (a product of the same name is updated).
enum FoodDFC {
    static func base(_ req: Request) -> String {
        PublicAddress.baseURL(req).trimmingCharacters(in: CharacterSet(charactersIn: "/")) + "/api/v1/dfc"
    }

    static func catalog(_ req: Request) async throws -> Response {
        let coop = try await FoodAccess.publicCooperative(req)
        guard let id = req.parameters.get("producer", as: UUID.self) else { throw Problem.notFound(FoodCatalogStore.producerWord) }
        let producer = try await FoodCatalogStore.producer(id, in: try coop.requireID(), on: req.db)
        let products = try await FoodCatalogStore.products(of: producer.id, on: req.db)
        let document = DFCCatalogMapping.document(producer: DFCProducer(id: producer.id, name: producer.name,
                                                                        description: producer.description.isEmpty ? nil : producer.description),
                                                  products: products, base: base(req))
        let response = Response(status: .ok, body: .init(data: document.data()))
        response.headers.replaceOrAdd(name: .contentType, value: "application/ld+json; charset=utf-8")
        response.headers.replaceOrAdd(name: "Access-Control-Allow-Origin", value: "*")
        return response
    }

    @Sendable static func catalogPage(_ req: Request) async throws -> Response { try await catalog(req) }
    @Sendable static func catalogAPI(_ req: Request) async throws -> Response { try await catalog(req) }

    struct ImportIssueDTO: Content { var source: String; var message: String }
    struct ImportDTO: Content { var created: Int; var updated: Int; var issues: [ImportIssueDTO] }

    /// POST a DFC JSON-LD document (the producer themself, or a coordinator). Prices are VAT
    /// included at a French rate; a document from elsewhere (the OFN UK example says 1 %) is
    /// refused line by line unless `?vatRate=5,5` says which French rate applies.
    @Sendable static func importCatalog(_ req: Request) async throws -> Response {
        let access = try await FoodAccess(req)
        let producer = try await access.producer(req.parameters.get("producer", as: UUID.self), on: req.db)
        guard let body = req.body.data, body.readableBytes > 0 else {
            throw DomainError(.invalid, code: "empty_body", fr: "Envoyez un document DFC (JSON-LD).", en: "Send a DFC document (JSON-LD).")
        }
        let document = try DFCDocument(data: Data(buffer: body))
        let drafts = DFCCatalogMapping.drafts(from: document, defaultCategory: "DFC")
        guard drafts.items.count <= FoodImport.maximumRowsOverHTTP else { throw FoodImport.tooManyRows(drafts.items.count) }
        var out = ImportDTO(created: 0, updated: 0, issues: drafts.issues.map { ImportIssueDTO(source: $0.sourceID, message: $0.message(req.language)) })
        var known = try await FoodCatalogStore.idsByName(producer: producer.id, on: req.db)
        let fallbackVAT = req.query[String.self, at: "vatRate"].flatMap { VATRate.parse($0) != nil ? $0 : nil }
        for item in drafts.items {
            var item = item
            if VATRate.parse(item.draft.vatRate) == nil, let fallbackVAT { item.draft.vatRate = fallbackVAT }
            let existing = known[SearchText.fold(item.draft.name)]
            do {
                var draft = item.draft
                if let existing { draft = try await FoodCatalogStore.withExistingVariantIDs(draft, product: existing, on: req.db) }
                let product = try await FoodCatalogStore.save(draft, id: existing, producer: producer, on: req.db)
                if existing == nil { out.created += 1; known[SearchText.fold(product.name)] = product.id } else { out.updated += 1 }
            } catch let error as DomainError {
                out.issues.append(ImportIssueDTO(source: item.sourceIDs.first ?? "", message: error.message(req.language)))
            } catch let errors as ValidationErrors {
                for error in errors.errors { out.issues.append(ImportIssueDTO(source: item.sourceIDs.first ?? "", message: error.message(req.language))) }
            }
        }
        let response = try await out.encodeResponse(for: req)
        response.status = out.created + out.updated == 0 && !out.issues.isEmpty ? .unprocessableEntity : .ok
        return response
    }
}
