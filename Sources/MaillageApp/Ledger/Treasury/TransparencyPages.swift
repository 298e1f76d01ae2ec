import Fluent
import MaillageCore
import Plot
import SQLKit
import Vapor

/// `/transparency` (the territory) and `/c/<slug>/transparency` (one cooperative): public.
enum TransparencyPages {
    @Sendable static func cooperative(_ req: Request) async throws -> Response {
        let coop = try await Cooperatives.find(slug: req.parameters.get("slug") ?? "", on: req.db)
        let report = try await Transparency.report(coop, year: try Transparency.year(req), on: req.db)
        let t = req.t, language = req.language
        func money(_ line: Transparency.Line) -> String { (UnitOfAccount(rawValue: line.unit) ?? .eur).format(line.amount, language) }
        let euroRevenue = report.revenue.filter { $0.unit == "EUR" }
        let barterRevenue = report.revenue.filter { $0.unit == "BARTER" }
        let revenueBars = report.revenue.map { Charts.Bar(label: Transparency.revenueLabel($0)(language), value: $0.amount, text: money($0)) }
        let costBars = report.costs.map { Charts.Bar(label: Transparency.costLabel($0.tag)(language), value: $0.amount, text: money($0)) }
        let base = "/c/\(coop.slug)/transparency"
        return Layout.page(req, title: t("Transparence — \(coop.name)", "Transparency — \(coop.name)"),
            .p(.a(.href("/c/\(coop.slug)"), .text("← " + coop.name)), .text(" · "), .a(.href("/transparency"), .text(t("Tout le territoire", "The whole territory")))),
            .h1(.text(t("Où va l’argent — \(coop.name), \(report.year)", "Where the money goes — \(coop.name), \(report.year)"))),
            .p(.class("lead"), .text(t("Chiffres tirés directement des comptes de la coopérative, publiés pour ses sociétaires et le public.",
                                       "Figures read straight from the cooperative's books, published for its members and the public."))),
            .nav(.attribute(named: "aria-label", value: t("Années", "Years")),
                 .ul(.class("inline"), .forEach(report.years) { year in
                     .li(year == report.year ? .strong(.text(String(year))) : .a(.href("\(base)?year=\(year)"), .text(String(year))))
                 })),
            .p(.a(.href("/c/\(coop.slug)/transparency.csv?year=\(report.year)"), .text(t("Télécharger en CSV", "Download as CSV")))),
            .section(.h2(.text(t("Recettes par activité", "Revenue by activity"))),
                     report.revenue.isEmpty ? .p(.text(t("Aucune recette cette année.", "No revenue this year.")))
                        : .group(Charts.bars(revenueBars, title: t("Recettes par activité", "Revenue by activity"),
                                             description: revenueBars.map { "\($0.label) : \($0.text)" }.joined(separator: " ; ")),
                                 table(t, [(t("Activité", "Activity"), t("Montant", "Amount"))],
                                       report.revenue.map { (Transparency.revenueLabel($0)(language), money($0)) }),
                                 barterRevenue.isEmpty ? .empty : .p(.class("hint"), .text(t("Les unités de troc valent 1 € chacune ; elles restent dans le réseau.",
                                                                                             "Barter units are worth €1 each; they stay within the network."))))),
            .section(.h2(.text(t("Charges saisies par le conseil", "Costs entered by the board"))),
                     report.costs.isEmpty ? .p(.text(t("Aucune charge saisie.", "No cost entered.")))
                        : .group(Charts.bars(costBars, title: t("Charges", "Costs"), description: costBars.map { "\($0.label) : \($0.text)" }.joined(separator: " ; ")),
                                 table(t, [(t("Nature", "Kind"), t("Montant", "Amount"))], report.costs.map { (Transparency.costLabel($0.tag)(language), money($0)) }))),
            .section(.h2(.text(t("Résultat", "Result"))),
                     .p(.strong(.text(Euros.format(cents: report.result, language))), .text(" — "),
                        .text(t("ce que le compte d’exploitation a reçu (recettes en euros : \(Euros.format(cents: euroRevenue.reduce(0) { $0 + $1.amount }, language))) moins ce qu’il a payé (charges).",
                                "what the operating account received (euro revenue: \(Euros.format(cents: euroRevenue.reduce(0) { $0 + $1.amount }, language))) minus what it paid (costs)."))),
                     .p(.text(allocationText(report.allocationStatus, t)))),
            .section(.h2(.text(t("Réserves impartageables et capital au 31 décembre", "Impartible reserves and capital at 31 December"))),
                     table(t, [(t("Compte", "Account"), t("Solde", "Balance"))],
                           report.reserves.map { (AccountPurpose(rawValue: $0.kind)?.label(language) ?? $0.kind, money($0)) })),
            .section(.h2(.text(t("Valeur redistribuée", "Value redistributed"))),
                     report.redistributed.isEmpty ? .p(.text(t("Rien cette année.", "Nothing this year.")))
                        : table(t, [(t("À qui", "To whom"), t("Montant", "Amount"))],
                                report.redistributed.map { (Transparency.redistributedLabel($0)(language), money($0)) })))
    }

    static func allocationText(_ status: String?, _ t: Translator) -> String {
        t((status.flatMap(AllocationStatus.init(rawValue:)) ?? .none).sentence)
    }

    static func table(_ t: Translator, _ headers: [(String, String)], _ rows: [(String, String)]) -> Node<HTML.BodyContext> {
        .table(.thead(.tr(.th(.attribute(named: "scope", value: "col"), .text(headers[0].0)),
                          .th(.attribute(named: "scope", value: "col"), .class("num"), .text(headers[0].1)))),
               .tbody(.forEach(rows) { row in .tr(.th(.attribute(named: "scope", value: "row"), .text(row.0)), .td(.class("num"), .text(row.1))) }))
    }

    @Sendable static func csv(_ req: Request) async throws -> Response {
        let coop = try await Cooperatives.find(slug: req.parameters.get("slug") ?? "", on: req.db)
        let report = try await Transparency.report(coop, year: try Transparency.year(req), on: req.db)
        return CSVResponse.make(Transparency.csv(report, req.language), filename: "transparence-\(coop.slug)-\(report.year).csv",
                                byteOrderMark: true)
    }

    /// Every cooperative's year side by side: revenue, costs, result, reserves.
    @Sendable static func territory(_ req: Request) async throws -> Response {
        let t = req.t, year = try Transparency.year(req)
        var reports: [Transparency.Report] = []
        for coop in try await Cooperative.query(on: req.db).sort(\.$name).all() where coop.isPublic {
            reports.append(try await Transparency.report(coop, year: year, on: req.db))
        }
        let euro = { (cents: Int64) in Euros.format(cents: cents, req.language) }
        let bars = reports.map { Charts.Bar(label: $0.cooperative, value: $0.revenue.filter { $0.unit == "EUR" }.reduce(0) { $0 + $1.amount },
                                            text: euro($0.revenue.filter { $0.unit == "EUR" }.reduce(0) { $0 + $1.amount })) }
        return Layout.page(req, title: t("Transparence du territoire", "Transparency of the territory"),
            .h1(.text(t("Où va l’argent des coopératives du territoire — \(year)", "Where the territory's cooperatives' money goes — \(year)"))),
            .p(.class("lead"), .text(t("Chaque coopérative publie ses chiffres, tirés de ses comptes. Cliquez sur un nom pour le détail.",
                                       "Each cooperative publishes its figures, read from its books. Click a name for the detail."))),
            Charts.bars(bars, title: t("Recettes en euros par coopérative", "Euro revenue per cooperative"),
                        description: bars.map { "\($0.label) : \($0.text)" }.joined(separator: " ; ")),
            .table(
                .thead(.tr(.th(.text(t("Coopérative", "Cooperative"))), .th(.class("num"), .text(t("Recettes (€)", "Revenue (€)"))),
                           .th(.class("num"), .text(t("Charges", "Costs"))), .th(.class("num"), .text(t("Résultat", "Result"))),
                           .th(.class("num"), .text(t("Réserves", "Reserves"))))),
                .tbody(.forEach(reports) { report in
                    .tr(.th(.attribute(named: "scope", value: "row"), .a(.href("/c/\(report.slug)/transparency?year=\(year)"), .text(report.cooperative))),
                        .td(.class("num"), .text(euro(report.revenue.filter { $0.unit == "EUR" }.reduce(0) { $0 + $1.amount }))),
                        .td(.class("num"), .text(euro(report.costs.reduce(0) { $0 + $1.amount }))),
                        .td(.class("num"), .text(euro(report.result))),
                        .td(.class("num"), .text(euro(report.reserves.filter { $0.kind != "capital" }.reduce(0) { $0 + $1.amount }))))
                })))
    }
}
