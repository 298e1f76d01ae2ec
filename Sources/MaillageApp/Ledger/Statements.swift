import Fluent
import Foundation
import MaillageCore
import SQLKit

/// Statements read from the persisted journal, with counterparties named as a member may see them.
enum Statements {
    /// From `from` (included) to `to` (excluded); by default the current calendar year in Paris.
    static func period(from: String?, to: String?, now: Date = Date()) throws -> Range<Date> {
        let year = Calendar(identifier: .gregorian).component(.year, from: now)
        let start = try from.flatMap { $0.isEmpty ? nil : $0 }.map { try day($0, field: "from") } ?? YearEnd.period(year).lowerBound
        // The end day is included by people: the range stops at the next midnight.
        let end = try to.flatMap { $0.isEmpty ? nil : $0 }.map { try day($0, field: "to").addingTimeInterval(86_400) } ?? YearEnd.period(year).upperBound
        guard start < end else {
            throw DomainError(.invalid, code: "invalid_period", field: "to",
                              fr: "La fin de la période doit suivre son début.", en: "The period must end after it starts.")
        }
        return start..<end
    }

    private static func day(_ text: String, field: String) throws -> Date {
        let formatter = DateFormatter()
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Europe/Paris")
        formatter.dateFormat = "yyyy-MM-dd"
        guard text.count == 10, let date = formatter.date(from: text) else {
            throw DomainError(.invalid, code: "invalid_date", field: field,
                              fr: "Date attendue au format AAAA-MM-JJ.", en: "Expected a date as YYYY-MM-DD.")
        }
        return date
    }

    static func statement(_ account: LedgerAccountRow, period: Range<Date>, on db: any Database) async throws -> Statement {
        let rows = try await db.sql.select().columns(LedgerTransferRow.columns.map { SQLColumn($0) }).from("ledger_transfers")
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
