import Fluent
import Foundation
import MaillageCore
import SQLKit

/// Statements read from the persisted journal, with counterparties named as a member may see them.
enum Statements {
    /// From the `from` day to the `to` day, both included (Paris dates); by default the current year.
    static func period(from: String?, to: String?, now: Date = Date()) throws -> Range<Date> {
        let year = YearEnd.period(YearEnd.currentYear(now: now))
        let first = try day(from, field: "from"), last = try day(to, field: "to")
        let start = first.map(LocalZone.paris.start(of:)) ?? year.lowerBound
        // The range stops at the midnight after the last day, whatever that day's length.
        let end = try last.map { day -> Date in
            guard let next = day.adding(days: 1) else { throw invalidDate("to") }
            return LocalZone.paris.start(of: next)
        } ?? year.upperBound
        guard start < end else {
            throw DomainError(.invalid, code: "invalid_period", field: "to",
                              fr: "La fin de la période doit suivre son début.", en: "The period must end after it starts.")
        }
        return start..<end
    }

    private static func day(_ text: String?, field: String) throws -> LocalDate? {
        guard let text, !text.isEmpty else { return nil }
        guard let date = LocalDate(iso: text) else { throw invalidDate(field) }
        return date
    }

    private static func invalidDate(_ field: String) -> DomainError {
        DomainError(.invalid, code: "invalid_date", field: field,
                    fr: "Date attendue au format AAAA-MM-JJ.", en: "Expected a date as YYYY-MM-DD.")
    }

    static func statement(_ account: LedgerAccountRow, period: Range<Date>, on db: any Database) async throws -> Statement {
        let rows = try await LedgerQueries.transfers(on: db)
            .where { $0.where("debit_id", .equal, SQLBind(account.id)).orWhere("credit_id", .equal, SQLBind(account.id)) }
            .where("phase", .in, SQLBind.group(["immediate", "posting"]))
            .where("time", .lessThan, SQLBind(period.upperBound))
            .orderBy("time").orderBy("id").all(decoding: LedgerTransferRow.self)
        return try Statement(account: AccountID(account.id), unit: account.unitOfAccount, period: period, transfers: rows.map(\.transfer))
    }

    /// "Alice Martin (troc)", "Coopérative — Exploitation": how an account reads on a statement.
    static func names(for ids: Set<UUID>, _ language: Language, on db: any Database) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        struct Named: Decodable { var id: UUID; var purpose: String; var display_name: String? }
        let rows = try await db.sql.raw("""
            SELECT a.id, a.purpose, u.display_name FROM ledger_accounts a LEFT JOIN users u ON u.id = a.user_id
            WHERE a.id IN \(SQLBind.group(Array(ids)))
            """).all(decoding: Named.self)
        var out: [UUID: String] = [:]
        for row in rows {
            let label = AccountPurpose(rawValue: row.purpose)?.label(language) ?? row.purpose
            out[row.id] = row.display_name.map { "\($0) — \(label)" } ?? label
        }
        return out
    }
}
