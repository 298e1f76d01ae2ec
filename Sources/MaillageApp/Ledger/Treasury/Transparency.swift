import Fluent
import Foundation
import MaillageCore
import SQLKit
import Vapor

/// The public figures of one cooperative's year, read from its books: where revenue came from,
/// the costs the board entered, the result, the reserves, and the value that went back to
/// producers, couriers and members.
enum Transparency {
    struct Line: Content, Hashable {
        /// fee, commission, membership-fee, cost, sale, delivery, refund, interest, reserve…
        var kind: String
        /// The activity (revenue) or the kind of cost.
        var tag: String?
        var unit: String
        var amount: Int64
    }

    struct Report: Content {
        var cooperative: String
        var slug: String
        var year: Int
        var years: [Int]
        var revenue: [Line]
        var costs: [Line]
        /// The year's result in euros, as the allocation reads it (`YearEnd.result`).
        var result: Int64
        /// Balances at the end of the year: legal reserve, statutory reserve, share capital.
        var reserves: [Line]
        /// Paid to producers and couriers, and refunds and interest allocated from this year.
        var redistributed: [Line]
        /// Where the year's allocation stands (`AllocationStatus`): scheduled, voting, counting,
        /// adopted, booked, rejected, cancelled — or nil when none was proposed.
        var allocationStatus: String?
    }

    static let costKinds: [(String, Localized)] = [
        ("salaries", Localized(fr: "Salaires et charges", en: "Salaries")),
        ("premises", Localized(fr: "Locaux", en: "Premises")),
        ("services", Localized(fr: "Prestations et logiciels", en: "Services and software")),
        ("insurance", Localized(fr: "Assurances et banque", en: "Insurance and bank")),
        ("other", Localized(fr: "Autres charges", en: "Other costs")),
    ]

    static func costLabel(_ tag: String?) -> Localized {
        costKinds.first { $0.0 == tag }?.1 ?? Localized(fr: "Autres charges", en: "Other costs")
    }

    static func revenueLabel(_ line: Line) -> Localized {
        let activity = line.tag.flatMap(Activity.init(rawValue:))?.label ?? Localized(fr: "Autre", en: "Other")
        switch line.kind {
        case "commission": return Localized(fr: "Commissions du réseau de troc", en: "Barter network commissions")
        case "membership-fee": return Localized(fr: "Cotisations annuelles", en: "Yearly fees")
        default: return Localized(fr: "Frais — \(activity.fr)", en: "Fees — \(activity.en)")
        }
    }

    static func year(_ req: Request) throws -> Int {
        let current = YearEnd.currentYear()
        guard let text = req.query[String.self, at: "year"], !text.isEmpty else { return current }
        guard let year = Int(text), (2000...current + 1).contains(year) else {
            throw DomainError(.invalid, code: "invalid_year", field: "year", fr: "Année invalide.", en: "Invalid year.")
        }
        return year
    }

    private struct Group: Decodable {
        var category: String
        var tag: String?
        var unit: String
        var credit_purpose: String
        var debit_purpose: String
        var total: Int64
    }

    static func report(_ coop: Cooperative, year: Int, on db: any Database) async throws -> Report {
        let coopID = try coop.requireID()
        let range = YearEnd.period(year)
        let groups = try await db.sql.raw("""
            SELECT t.category, t.tag, t.unit, ca.purpose AS credit_purpose, da.purpose AS debit_purpose, CAST(SUM(t.amount) AS BIGINT) AS total
            FROM ledger_transfers t JOIN ledger_accounts ca ON ca.id = t.credit_id JOIN ledger_accounts da ON da.id = t.debit_id
            WHERE t.cooperative_id = \(bind: coopID) AND t.phase IN ('immediate', 'posting')
            AND t.time >= \(bind: range.lowerBound) AND t.time < \(bind: range.upperBound)
            GROUP BY t.category, t.tag, t.unit, ca.purpose, da.purpose
            """).all(decoding: Group.self)
        var revenue: [String: Line] = [:], costs: [String: Line] = [:], redistributed: [String: Line] = [:]
        func add(_ into: inout [String: Line], _ kind: String, _ tag: String?, _ unit: String, _ amount: Int64) {
            let key = "\(kind)|\(tag ?? "")|\(unit)"
            into[key, default: Line(kind: kind, tag: tag, unit: unit, amount: 0)].amount += amount
        }
        let books: Set<String> = ["operating", "commission"]
        for group in groups {
            let category = LedgerCategory(rawValue: group.category)
            if category?.isRevenue == true && books.contains(group.credit_purpose) {
                add(&revenue, group.category, group.tag, group.unit, group.total)
            } else if category == .correction && books.contains(group.debit_purpose) && group.credit_purpose != "clearing" {
                // A corrected fee is revenue given back.
                add(&revenue, "fee", group.tag, group.unit, -group.total)
            } else if category == .cost {
                add(&costs, "cost", group.tag, group.unit, group.total)
            } else if category == .sale || category == .delivery || category == .trade {
                add(&redistributed, group.category, group.tag, group.unit, group.total)
            }
        }
        // Refunds and interest belong to the year whose result they share, whenever booked.
        let allocated = try await db.sql.raw("""
            SELECT t.category, t.tag, t.unit, ca.purpose AS credit_purpose, da.purpose AS debit_purpose, CAST(SUM(t.amount) AS BIGINT) AS total
            FROM ledger_transfers t JOIN ledger_accounts ca ON ca.id = t.credit_id JOIN ledger_accounts da ON da.id = t.debit_id
            WHERE t.cooperative_id = \(bind: coopID) AND t.category = 'allocation' AND t.tag = \(bind: String(year))
            GROUP BY t.category, t.tag, t.unit, ca.purpose, da.purpose
            """).all(decoding: Group.self)
        for group in allocated where group.credit_purpose == "wallet" {
            add(&redistributed, "refund-interest", nil, group.unit, group.total)
        }
        var reserves: [Line] = []
        for purpose in [AccountPurpose.legalReserve, .statutoryReserve, .capital] {
            guard let account = try await AccountBook.find(key: AccountBook.key(purpose, cooperative: coopID, user: nil), on: db) else { continue }
            let balance = try await LedgerQueries.net(of: account.id, over: Date.distantPast..<range.upperBound, on: db)
            reserves.append(Line(kind: purpose.rawValue, tag: nil, unit: "EUR", amount: balance))
        }
        let sortedRevenue = revenue.values.sorted { ($0.unit, -$0.amount) < ($1.unit, -$1.amount) }
        let sortedCosts = costs.values.sorted { $0.amount > $1.amount }
        let result = try await YearEnd.result(coopID, year: year, on: db)
        let allocation = try await YearEnd.status(of: coopID, year: year, on: db)
        let status = allocation == .none ? nil : allocation.rawValue
        return Report(cooperative: coop.name, slug: coop.slug, year: year, years: try await years(coopID, on: db),
                      revenue: sortedRevenue, costs: sortedCosts, result: result, reserves: reserves,
                      redistributed: redistributed.values.sorted { $0.amount > $1.amount }, allocationStatus: status)
    }

    /// The years with movements, newest first, always including the current one.
    static func years(_ coop: UUID, on db: any Database) async throws -> [Int] {
        struct Bounds: Decodable { var first: Date? }
        let bounds = try await db.sql.raw("SELECT MIN(time) AS first FROM ledger_transfers WHERE cooperative_id = \(bind: coop)")
            .first(decoding: Bounds.self)
        let current = YearEnd.currentYear()
        let first = bounds?.first.map { LocalZone.paris.localDate(at: $0).year } ?? current
        return Array(Swift.min(first, current)...current).reversed()
    }

    static func csv(_ report: Report, _ language: Language) -> String {
        let t = { (fr: String, en: String) in Localized(fr: fr, en: en)(language) }
        var rows: [[CSV.Field]] = [[.text(t("Année", "Year")), .text(t("Rubrique", "Section")), .text(t("Libellé", "Item")),
                                    .text(t("Unité", "Unit")), .text(t("Montant", "Amount"))]]
        func add(_ section: String, _ label: String, _ line: Line) {
            let unit = UnitOfAccount(rawValue: line.unit) ?? .eur
            rows.append([.figure(String(report.year)), .text(section), .text(label), .text(line.unit), .figure(unit.plain(line.amount))])
        }
        for line in report.revenue { add(t("Recettes", "Revenue"), revenueLabel(line)(language), line) }
        for line in report.costs { add(t("Charges", "Costs"), costLabel(line.tag)(language), line) }
        add(t("Résultat", "Result"), t("Reçu moins payé par le compte d’exploitation (euros)", "Received minus paid by the operating account (euros)"), Line(kind: "result", tag: nil, unit: "EUR", amount: report.result))
        for line in report.reserves { add(t("Réserves et capital au 31/12", "Reserves and capital at 31 Dec"), AccountPurpose(rawValue: line.kind)?.label(language) ?? line.kind, line) }
        for line in report.redistributed { add(t("Valeur redistribuée", "Value redistributed"), redistributedLabel(line)(language), line) }
        return CSV.render(rows)
    }

    static func redistributedLabel(_ line: Line) -> Localized {
        switch line.kind {
        case "sale": Localized(fr: "Versé aux producteurs et vendeurs", en: "Paid to producers and sellers")
        case "delivery": Localized(fr: "Versé aux coursiers", en: "Paid to couriers")
        case "trade": Localized(fr: "Échangé entre entreprises (troc)", en: "Traded between businesses (barter)")
        default: Localized(fr: "Ristournes et intérêts aux parts", en: "Patronage refunds and interest on shares")
        }
    }
}
