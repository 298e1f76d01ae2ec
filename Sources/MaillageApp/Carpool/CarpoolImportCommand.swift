import Fluent
import Foundation
import MaillageCore
import Vapor

/// `maillage carpool …`: the carpool module's commands for the instance's operators.
struct CarpoolCommands: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] { ["import": CarpoolImportCommand(), "partner-key": CarpoolPartnerKeyCommand()] }
    var help: String { "Carpool data (import FILE: a standard covoiturage JSON document)." }
}

/// `maillage carpool import FILE [--cooperative SLUG]`: an operator bringing its data from another
/// platform, in the standard covoiturage JSON shape (the playground's data files have it).
struct CarpoolImportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "JSON document: users, driverJourneys, passengerJourneys, driverRegularTrips, passengerRegularTrips, bookings")
        var file: String
        @Option(name: "cooperative", short: "c", help: "The carpool cooperative's slug (needed when the instance has several)") var cooperative: String?
    }

    var help: String { "Import journeys, regular trips, bookings and users in the standard covoiturage JSON shape; importing again changes nothing." }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application, console = context.console
        try await DatabaseSetup.migrate(app)
        let coop = try await Self.cooperative(signature.cooperative, on: app.db)
        guard let bytes = FileManager.default.contents(atPath: signature.file) else { throw Failure(description: "cannot read \(signature.file)") }
        let data = try StandardData.read(bytes)
        console.print("Import dans « \(coop.name) » : \(data.people.count) personne(s), \(data.journeys.count) trajet(s) ponctuel(s), "
                      + "\(data.regularTrips.count) trajet(s) régulier(s), \(data.bookings.count) réservation(s)")
        let report = try await CarpoolImport.run(data, into: coop, today: LocalZone.paris.localDate(at: Date()), on: app.db) { console.print($0) }
        for line in Self.lines(report) { console.print(line) }
    }

    /// The report as printed: what was imported, what was already there, and each item skipped with why.
    static func lines(_ report: CarpoolImport.Report) -> [String] {
        var out: [String] = []
        for kind in CarpoolImport.Kind.allCases {
            let new = report.imported[kind] ?? 0, old = report.alreadyThere[kind] ?? 0
            if new + old > 0 { out.append("\(kind.label) : \(new) importé(s), \(old) déjà là") }
        }
        out.append(report.skipped.isEmpty ? "Rien d’écarté." : "\(report.skipped.count) remarque(s) ou élément(s) écarté(s) :")
        for problem in report.skipped.prefix(500) { out.append("  \(problem.path) : \(problem.message.fr)") }
        out.append(report.changed == 0 ? "Aucun changement." : "\(report.changed) élément(s) ajouté(s).")
        return out
    }

    /// The named cooperative, or the instance's only carpool cooperative.
    static func cooperative(_ slug: String?, on db: any Database) async throws -> Cooperative {
        if let slug {
            let coop = try await Cooperatives.find(slug: slug, on: db)
            guard coop.activityList.contains(.carpool) else { throw CarpoolImport.unknownCooperative }
            return coop
        }
        let carpools = try await Cooperative.query(on: db).all().filter { $0.activityList.contains(.carpool) }
        guard carpools.count == 1, let only = carpools.first else {
            throw Failure(description: carpools.isEmpty ? "no carpool cooperative on this instance"
                          : "several carpool cooperatives: --cooperative " + carpools.map(\.slug).sorted().joined(separator: " | "))
        }
        return only
    }
}
