import Fluent
import Foundation
import MaillageCore
import Plot
import Vapor

/// Applies a CSV of products (read by the core `ProductCSVImport`): a product of the same name
/// and producer is updated, others are created; every refused line is reported with its number.
enum FoodImport {
    struct Issue: Sendable, Codable {
        var line: Int
        var message: Localized
    }

    struct Outcome: Sendable, Codable {
        var created = 0
        var updated = 0
        var rows = 0
        var issues: [Issue] = []
        /// Refused lines in all, when `issues` keeps only the first ones (a report kept in the session).
        var refused: Int?

        /// The most refused lines a report kept between the import and its page lists.
        static let keptIssues = 200
        private static let sessionKey = "food-import"

        func report(_ t: Translator) -> Node<HTML.BodyContext> {
            let refused = refused ?? issues.count
            return .section(.class(refused == 0 ? "notice" : "form-errors"), .attribute(named: "role", value: refused == 0 ? "status" : "alert"),
                .h2(.text(t("Import : \(Plural.count(created, "produit", "produits", .fr)) \(Plural.word(created, "créé", "créés", .fr)), \(updated) mis à jour, \(Plural.count(refused, "ligne", "lignes", .fr)) \(Plural.word(refused, "refusée", "refusées", .fr)) sur \(rows)",
                            "Import: \(Plural.count(created, "product", "products", .en)) created, \(updated) updated, \(Plural.count(refused, "line", "lines", .en)) refused out of \(rows)"))),
                .if(!issues.isEmpty, .ul(.forEach(issues.prefix(500)) { issue in
                    .li(.text(t("Ligne \(issue.line) : ", "Line \(issue.line): ") + t(issue.message)))
                })),
                .if(refused > issues.count, .p(.text(t("… et \(Plural.count(refused - issues.count, "autre ligne refusée", "autres lignes refusées", .fr)) : corrigez celles-ci puis renvoyez le fichier.",
                                                       "… and \(Plural.count(refused - issues.count, "more line", "more lines", .en)) refused: fix these, then send the file again.")))))
        }

        /// Keeps the report in the session for the page the import leads to, for this producer.
        func keep(in req: Request, producer: UUID) {
            var kept = self
            kept.refused = refused ?? issues.count
            kept.issues = Array(issues.prefix(Self.keptIssues))
            guard let data = try? JSONEncoder().encode(Stored(producer: producer, outcome: kept)) else { return }
            req.session.data[Self.sessionKey] = String(decoding: data, as: UTF8.self)
        }

        /// The kept report of `producer`'s import, removed as it is read.
        static func take(from req: Request, producer: UUID) -> Outcome? {
            guard req.hasSession, let text = req.session.data[sessionKey],
                  let stored = try? JSONDecoder().decode(Stored.self, from: Data(text.utf8)), stored.producer == producer else { return nil }
            req.session.data[sessionKey] = nil
            return stored.outcome
        }

        private struct Stored: Codable { var producer: UUID; var outcome: Outcome }
    }

    /// With `producer`, every line is that producer's (a line naming another is refused); without,
    /// the `producer` column names one of the cooperative's producers.
    /// The most rows (or DFC products) one upload takes over HTTP: each is a write on the one
    /// SQLite writer, and a page must answer. Larger catalogs go through
    /// `maillage import products`, which shows its progress.
    static let maximumRowsOverHTTP = 2_000

    static func tooManyRows(_ count: Int) -> DomainError {
        DomainError(.invalid, code: "too_many_rows", field: "file",
                    fr: "Ce fichier compte \(count) lignes : \(maximumRowsOverHTTP) au plus par envoi. Découpez-le, ou importez-le avec « maillage import products ».",
                    en: "This file has \(count) rows: \(maximumRowsOverHTTP) at most per upload. Split it, or import it with “maillage import products”.")
    }

    static func run(csv text: String, producer: ProducerRow?, cooperative: UUID? = nil, maximumRows: Int? = nil, on db: any Database,
                    progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> Outcome {
        let parsed = ProductCSVImport(csv: text)
        if let maximumRows, parsed.rowCount > maximumRows { throw tooManyRows(parsed.rowCount) }
        var outcome = Outcome(rows: parsed.rowCount)
        outcome.issues = parsed.issues.map { issue in
            Issue(line: issue.line, message: issue.column.map { column in
                Localized(fr: "\(column.label.fr) — \(issue.message.fr)", en: "\(column.label.en) — \(issue.message.en)")
            } ?? issue.message)
        }
        let coop = producer?.cooperativeID ?? cooperative
        guard let coop else { return outcome }
        let producers = try await FoodCatalogStore.producers(of: coop, on: db)
        let byName = Dictionary(producers.map { (SearchText.fold($0.name), $0) }, uniquingKeysWith: { a, _ in a })
        var known: [UUID: [String: UUID]] = [:]
        for (index, item) in parsed.items.enumerated() {
            defer { progress?(index + 1, parsed.items.count) }
            let line = item.lines.first ?? 0
            let owner: ProducerRow
            if let producer {
                guard item.producer.isEmpty || SearchText.fold(item.producer) == SearchText.fold(producer.name) else {
                    outcome.issues.append(Issue(line: line, message: Localized(fr: "ce produit est d’un autre producteur (« \(item.producer) »).",
                                                                             en: "this product belongs to another producer (“\(item.producer)”).")))
                    continue
                }
                owner = producer
            } else {
                guard let found = byName[SearchText.fold(item.producer)] else {
                    outcome.issues.append(Issue(line: line, message: Localized(fr: "producteur « \(item.producer) » inconnu dans cette coopérative.",
                                                                             en: "producer “\(item.producer)” is unknown in this cooperative.")))
                    continue
                }
                owner = found
            }
            if known[owner.id] == nil { known[owner.id] = try await FoodCatalogStore.idsByName(producer: owner.id, on: db) }
            let existing = known[owner.id]?[SearchText.fold(item.draft.name)]
            do {
                var draft = item.draft
                if let existing { draft = try await FoodCatalogStore.withExistingVariantIDs(item.draft, product: existing, on: db) }
                let product = try await FoodCatalogStore.save(draft, id: existing, producer: owner, on: db)
                if existing == nil {
                    outcome.created += 1
                    known[owner.id]?[SearchText.fold(product.name)] = product.id
                } else {
                    outcome.updated += 1
                }
            } catch let error as DomainError {
                outcome.issues.append(Issue(line: line, message: error.message))
            } catch let errors as ValidationErrors {
                for error in errors.errors { outcome.issues.append(Issue(line: line, message: error.message)) }
            }
        }
        outcome.issues.sort { $0.line < $1.line }
        return outcome
    }
}
