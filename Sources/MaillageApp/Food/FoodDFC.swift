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
        let packs = try await FoodDFCImport.packs(ofProducts: products.map(\.id), on: req.db)
        let document = DFCCatalogMapping.document(producer: DFCProducer(id: producer.id, name: producer.name,
                                                                        description: producer.description.isEmpty ? nil : producer.description),
                                                  products: products, base: base(req), packs: packs)
        var object = document.jsonObject()
        object["@graph"] = (object["@graph"] as? [[String: Any]] ?? []) + (try await saleSessions(of: producer.id, in: try coop.requireID(), req)).map { $0.node() }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? document.data()
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.replaceOrAdd(name: .contentType, value: "application/ld+json; charset=utf-8")
        response.headers.replaceOrAdd(name: "Access-Control-Allow-Origin", value: "*")
        return response
    }

    /// The open cycles selling this producer's offers, as the sale sessions a hub orders in.
    static func saleSessions(of producer: UUID, in coop: UUID, _ req: Request) async throws -> [DFCSaleSession] {
        let api = PublicAddress.baseURL(req).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            + "/api/v1/cooperatives/\(req.parameters.get("slug") ?? "")/food/cycles/"
        var sessions: [DFCSaleSession] = []
        for cycle in try await FoodCycles.open(in: coop, on: req.db) where cycle.published {
            let offers = try await FoodCycles.offers(of: cycle.id, on: req.db).filter { $0.producerID == producer }
            guard !offers.isEmpty else { continue }
            let producerIRI = "\(base(req))/enterprises/\(producer.uuidString.lowercased())"
            sessions.append(DFCSaleSession(id: api + cycle.id.uuidString.lowercased(), beginDate: cycle.opensAt, endDate: cycle.closesAt,
                                           offers: offers.map { "\(producerIRI)/supplied_products/\($0.variantID.uuidString.lowercased())/offer" }))
        }
        return sessions
    }

    @Sendable static func catalogPage(_ req: Request) async throws -> Response { try await catalog(req) }
    @Sendable static func catalogAPI(_ req: Request) async throws -> Response { try await catalog(req) }

    struct ImportIssueDTO: Content { var source: String; var message: String }
    struct ImportDTO: Content { var created: Int; var updated: Int; var drafts: Int; var issues: [ImportIssueDTO] }

    /// POST a DFC JSON-LD document (the producer themself, or a coordinator). Prices are VAT
    /// included at a French rate; a document from elsewhere (the OFN UK example says 1 %) is
    /// refused line by line unless `?vatRate=5,5` says which French rate applies. A product
    /// without a price in euros becomes a draft the producer prices before it is sold; a
    /// document of several farms names the one to read with `?enterprise=`.
    @Sendable static func importCatalog(_ req: Request) async throws -> Response {
        let access = try await FoodAccess(req)
        let producer = try await access.producer(req.parameters.get("producer", as: UUID.self), on: req.db)
        guard let body = req.body.data, body.readableBytes > 0 else {
            throw DomainError(.invalid, code: "empty_body", fr: "Envoyez un document DFC (JSON-LD).", en: "Send a DFC document (JSON-LD).")
        }
        let document = try DFCDocument(data: Data(buffer: body))
        let read = DFCCatalogMapping.drafts(from: document, defaultCategory: "DFC", enterprise: req.query[String.self, at: "enterprise"])
        guard read.items.count <= FoodImport.maximumRowsOverHTTP else { throw FoodImport.tooManyRows(read.items.count) }
        let fallbackVAT = req.query[String.self, at: "vatRate"].flatMap { VATRate.parse($0) != nil ? $0 : nil }
        let outcome = try await FoodDFCImport.apply(read, to: producer, fallbackVAT: fallbackVAT,
                                                    images: .init(fetcher: req.safeFetcher, converter: req.application.maillage.imageConverter), on: req.db)
        let out = ImportDTO(created: outcome.created, updated: outcome.updated, drafts: outcome.drafts,
                            issues: outcome.issues.map { ImportIssueDTO(source: $0.source, message: $0.message(req.language)) })
        let response = try await out.encodeResponse(for: req)
        response.status = out.created + out.updated + out.drafts == 0 && !out.issues.isEmpty ? .unprocessableEntity : .ok
        return response
    }
}
