import Fluent
import Foundation
import MaillageCore
import NIOConcurrencyHelpers
import Plot
import Vapor

/// Deliveries of a store from a CSV file, one per line. The columns are the order form's fields
/// (`pickup_address`, `dropoff1_commune`, `dropoff1_quantity`…), so each line is read by the
/// form's own code and ordered as the form orders: the same checks, prices and events. Good
/// lines are ordered; every refused line is reported with its number and what to fix.
enum DeliveryCSVImport {
    struct Issue: Sendable, Codable {
        var line: Int
        var message: Localized
    }

    struct Outcome: Sendable, Codable {
        var rows = 0
        var created = 0
        var issues: [Issue] = []

        func report(_ t: Translator) -> Node<HTML.BodyContext> {
            .section(.class(issues.isEmpty ? "notice" : "form-errors"), .attribute(named: "role", value: issues.isEmpty ? "status" : "alert"),
                .h2(.text(t("Import : \(Plural.count(created, "livraison commandée", "livraisons commandées", .fr)), \(Plural.count(issues.count, "ligne refusée", "lignes refusées", .fr)) sur \(rows)",
                            "Import: \(Plural.count(created, "delivery ordered", "deliveries ordered", .en)), \(Plural.count(issues.count, "line refused", "lines refused", .en)) out of \(rows)"))),
                .if(!issues.isEmpty, .ul(.forEach(issues.prefix(200)) { issue in
                    .li(.text(t("Ligne \(issue.line) : ", "Line \(issue.line): ") + t(issue.message)))
                })))
        }

        private static let sessionKey = "delivery-import"

        /// Kept in the session for the page the upload leads to, for this store.
        func keep(in req: Request, store: UUID) {
            var kept = self
            kept.issues = Array(issues.prefix(200))
            struct Stored: Codable { var store: UUID; var outcome: Outcome }
            guard let data = try? JSONEncoder().encode(Stored(store: store, outcome: kept)) else { return }
            req.session.data[Self.sessionKey] = String(decoding: data, as: UTF8.self)
        }

        static func take(from req: Request, store: UUID) -> Outcome? {
            struct Stored: Codable { var store: UUID; var outcome: Outcome }
            guard req.hasSession, let text = req.session.data[sessionKey],
                  let stored = try? JSONDecoder().decode(Stored.self, from: Data(text.utf8)), stored.store == store else { return nil }
            req.session.data[sessionKey] = nil
            return stored.outcome
        }
    }

    /// Over HTTP a file holds at most this many deliveries (each is a write on the one SQLite
    /// writer, and the page must answer); larger files go through `maillage delivery import`.
    static let maximumRowsOverHTTP = 2_000

    static func tooManyRows(_ count: Int) -> DomainError {
        DomainError(.invalid, code: "too_many_rows", field: "file",
                    fr: "Ce fichier compte \(count) lignes : \(maximumRowsOverHTTP) au plus par envoi. Découpez-le, ou importez-le avec « maillage delivery import ».",
                    en: "This file has \(count) rows: \(maximumRowsOverHTTP) at most per upload. Split it, or import it with “maillage delivery import”.")
    }

    static let noHeader = DomainError(.invalid, code: "csv_header", field: "file",
        fr: "La première ligne nomme les colonnes, dont au moins pickup_address et dropoff1_address (voir le modèle).",
        en: "The first line names the columns, at least pickup_address and dropoff1_address (see the template).")

    /// The columns a file may have: the order form's fields.
    static var columns: [String] {
        var names: [String] = []
        for stop in DeliveryForm.stops {
            let p = stop.prefix
            names += ["\(p)_address", "\(p)_commune", "\(p)_lat", "\(p)_lon", "\(p)_contact", "\(p)_phone", "\(p)_after", "\(p)_before", "\(p)_comments"]
            if stop.kind == .dropoff {
                names += ["\(p)_package_type", "\(p)_quantity", "\(p)_weight", "\(p)_doorstep", "\(p)_reference", "\(p)_tags"]
            }
        }
        return names + ["vehicle"]
    }

    /// A file with its header and one example line, for the store to fill in.
    static var template: String {
        let example: [String: String] = ["pickup_address": "12 rue de la Marne, Nantes", "pickup_commune": "Nantes",
                                         "pickup_after": "2030-05-06 10:00", "pickup_before": "2030-05-06 12:00",
                                         "dropoff1_address": "8 rue Fouré, Nantes", "dropoff1_lat": "47.2110", "dropoff1_lon": "-1.5450",
                                         "dropoff1_contact": "Mme Girard", "dropoff1_phone": "06 11 22 33 44", "dropoff1_quantity": "1",
                                         "dropoff1_reference": "CMD-1", "vehicle": "bike"]
        return CSV.render([columns.map { .text($0) }, columns.map { .text(example[$0] ?? "") }])
    }

    /// Orders every good line of `text` for `store`; `progress` is told after each line.
    static func run(csv text: String, store: DeliveryStoreRow, by actor: DeliveryOrders.Actor, maximumRows: Int? = nil, on db: any Database,
                    now: Date = Date(), progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> Outcome {
        let records = CSV.parse(text)
        guard let header = records.first else { throw noHeader }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard names.contains("pickup_address"), names.contains("dropoff1_address") else { throw noHeader }
        let rows = Array(records.dropFirst())
        if let maximumRows, rows.count > maximumRows { throw tooManyRows(rows.count) }
        var outcome = Outcome(rows: rows.count)
        let known = Set(columns)
        let unknown = names.filter { !$0.isEmpty && !known.contains($0) }
        if !unknown.isEmpty {
            outcome.issues.append(Issue(line: header.line, message: Localized(fr: "colonnes inconnues, laissées de côté : \(unknown.joined(separator: ", ")).",
                                                                              en: "unknown columns, left aside: \(unknown.joined(separator: ", ")).")))
        }
        let types = try await DeliverySettings.packageTypes(of: store.cooperative_id, on: db).map(\.type)
        for (index, record) in rows.enumerated() {
            defer { progress?(index + 1, rows.count) }
            var values: [String: String] = [:]
            for (column, name) in names.enumerated() where known.contains(name) && column < record.fields.count {
                values[name] = normalised(name, record.fields[column])
            }
            do {
                let draft = try DeliveryForm(values: values).draft(packageTypes: types, now: now)
                _ = try await DeliveryOrders.create(draft, store: store, by: actor, on: db, now: now)
                outcome.created += 1
            } catch let error as DomainError {
                outcome.issues.append(Issue(line: record.line, message: described(error)))
            } catch let errors as ValidationErrors {
                let all = errors.errors.map(described)
                outcome.issues.append(Issue(line: record.line, message: Localized(fr: all.map(\.fr).joined(separator: " "), en: all.map(\.en).joined(separator: " "))))
            }
        }
        return outcome
    }

    /// Spreadsheets write "2030-05-06 10:00" and "oui": the form's fields take "2030-05-06T10:00" and "on".
    static func normalised(_ name: String, _ value: String) -> String {
        let value = value.trimmingCharacters(in: .whitespaces)
        if name.hasSuffix("_after") || name.hasSuffix("_before") { return value.replacingOccurrences(of: " ", with: "T") }
        if name.hasSuffix("_doorstep") { return ["1", "oui", "yes", "true", "on", "x"].contains(value.lowercased()) ? "on" : "" }
        return value
    }

    /// The message with the column it is about, so the store knows which cell to fix.
    static func described(_ error: DomainError) -> Localized {
        guard let field = error.field, known(field) else { return error.message }
        return Localized(fr: "\(field) — \(error.message.fr)", en: "\(field) — \(error.message.en)")
    }

    private static func known(_ field: String) -> Bool { columns.contains(field) }
}

/// `maillage delivery …`: the delivery module's commands for the instance's operators.
struct DeliveryCommands: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] { ["import": DeliveryImportCommand()] }
    var help: String { "Bike delivery (import FILE: a store's deliveries from CSV)." }
}

/// `maillage delivery import --cooperative SLUG --store NAME FILE`: a store's deliveries from a
/// CSV file of any size, with a progress bar and the refused lines listed at the end.
struct DeliveryImportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "CSV file, one delivery per line (columns: the order form's fields)") var file: String
        @Option(name: "cooperative", short: "c", help: "The delivery cooperative's slug") var cooperative: String?
        @Option(name: "store", short: "s", help: "The store's name or id") var store: String?
    }

    var help: String { "Order a store's deliveries from a CSV file (columns: \(DeliveryCSVImport.columns.prefix(4).joined(separator: ", ")), …)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application, console = context.console
        guard let slug = signature.cooperative, let wanted = signature.store else { throw CommandLineProblem("--cooperative SLUG and --store NAME are required") }
        try await DatabaseSetup.migrate(app)
        let coop = try await Cooperatives.host(slug: slug, on: app.db)
        guard coop.activityList.contains(.delivery) else { throw CommandLineProblem("\(slug) runs no deliveries") }
        let stores = try await DeliverySettings.stores(of: try coop.requireID(), on: app.db)
        guard let store = stores.first(where: { $0.id.uuidString.lowercased() == wanted.lowercased() || SearchText.fold($0.name) == SearchText.fold(wanted) })
        else { throw CommandLineProblem("no store named “\(wanted)” in \(slug)") }
        let text = try String(contentsOfFile: signature.file, encoding: .utf8)
        let actor = DeliveryOrders.Actor(user: nil, channel: "import", clientAddress: "")
        // A line at each tenth of the file: readable on a terminal and in a log alike.
        let tenths = NIOLockedValueBox(-1)
        let outcome = try await DeliveryCSVImport.run(csv: text, store: store, by: actor, on: app.db) { done, total in
            let tenth = total == 0 ? 10 : done * 10 / total
            guard tenths.withLockedValue({ last in defer { last = max(last, tenth) }; return tenth > last }) else { return }
            print("  deliveries: \(tenth * 10) % (\(done)/\(total))")
        }
        console.print("\(outcome.created) ordered, \(outcome.issues.count) line(s) refused of \(outcome.rows).")
        for issue in outcome.issues.prefix(200) { console.print("  line \(issue.line): \(issue.message.en)") }
        if !outcome.issues.isEmpty { throw CommandLineProblem("\(outcome.issues.count) line(s) refused") }
    }
}
