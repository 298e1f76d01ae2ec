import Fluent
import Foundation
import MaillageCore
import SQLKit

/// The overdue reminder job (contract step 9): any replica may run it; the `loan_reminders`
/// primary key makes each reminder go out once.
enum OverdueLoans {
    @discardableResult
    static func remind(now: Date = Date(), on db: any Database) async throws -> Int {
        let due = try await db.sql.select().columns(LoanRow.columns.map { SQLColumn($0) }).from("loans")
            .where("status", .equal, SQLBind(LoanStatus.handedOver.rawValue)).where("ends_at", .lessThanOrEqual, SQLBind(now))
            .all(decoding: LoanRow.self)
        struct Sent: Decodable { var offset_days: Int }
        var sentCount = 0
        for row in due {
            let loan = try row.loan()
            let sent = try await db.sql.select().column("offset_days").from("loan_reminders").where("loan_id", .equal, SQLBind(row.id))
                .all(decoding: Sent.self)
            guard let offset = OverdueReminders.standard.due(for: loan, at: now, sent: Set(sent.map(\.offset_days)), zone: LocalZone.paris)
            else { continue }
            let coop = try await Cooperative.find(row.cooperativeID, on: db)
            let item = try await LendingStore.item(row.itemID, in: row.cooperativeID, on: db)
            let late = loan.daysLate(at: now, zone: LocalZone.paris)
            let link = "/c/\(coop?.slug ?? "")/lending/loans/\(row.id)"
            do {
                try await db.writeTransaction { db in
                    try await db.sql.insert(into: "loan_reminders").columns("loan_id", "offset_days", "sent_at")
                        .values(SQLBind(row.id), SQLBind(offset), SQLBind(now)).run()
                    try await Inbox.notify(row.borrowerID, Localized(
                        fr: "« \(item.title) » devait être rendu le \(loan.period.last.words(.fr)) (\(late) jour\(late > 1 ? "s" : "") de retard) : rendez-le ou écrivez au propriétaire.",
                        en: "“\(item.title)” was due back on \(loan.period.last.words(.en)) (\(late) day\(late > 1 ? "s" : "") late): return it or write to the owner."),
                        link: link, kind: .loans, on: db)
                    try await Inbox.notify(row.ownerID, Localized(
                        fr: "« \(item.title) » n’est pas encore rendu (\(late) jour\(late > 1 ? "s" : "") de retard) ; l’emprunteur·se a été relancé·e.",
                        en: "“\(item.title)” is not back yet (\(late) day\(late > 1 ? "s" : "") late); the borrower was reminded."),
                        link: link, kind: .loans, on: db)
                }
                sentCount += 1
            } catch let error as any DatabaseError where error.isConstraintFailure {
                continue // another replica sent this one
            }
        }
        return sentCount
    }
}
