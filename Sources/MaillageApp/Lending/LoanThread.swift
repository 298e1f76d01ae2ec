import Fluent
import MaillageCore
import SQLKit
import Vapor

/// A loan's messages are the Kernel thread of the loan: its two sides (and the lending staff)
/// read and write there, and nobody else, not even to learn that it exists.
enum LoanThread {
    static let kindName = "loan"

    static func subject(_ row: LoanRow) -> ThreadSubject {
        ThreadSubject(kind: kindName, id: row.id, cooperativeID: row.cooperativeID)
    }

    static func access(_ row: LoanRow, member: UUID, isStaff: Bool, coopSlug: String, on db: any Database) async throws -> ThreadAccess {
        let loan = try row.loan()
        let party = loan.actor(member: member, isStaff: isStaff) != nil
        let title = try await LendingStore.item(row.itemID, in: row.cooperativeID, on: db).title
        let sides = [row.ownerID, row.borrowerID]
        return ThreadAccess(subject: subject(row), slug: coopSlug, canRead: party, canPost: party, isPrivate: true, participants: sides,
                            page: "/c/\(coopSlug)/lending/loans/\(row.id)",
                            about: Localized(fr: "le prêt « \(title) »", en: "the loan of “\(title)”"),
                            mentionable: { _ in sides })
    }

    static let kind = ThreadKind(kind: kindName, access: { req, id in
        let lending = try await LendingAccess(req, member: true)
        let row = try await LendingStore.loan(id, in: lending.coopID, on: req.db)
        return try await access(row, member: try lending.memberID(), isStaff: lending.isStaff, coopSlug: lending.coop.slug, on: req.db)
    }, page: { req, id, state, status in
        let lending = try await LendingAccess(req, member: true)
        let row = try await LendingStore.loan(id, in: lending.coopID, on: req.db)
        return try await LoanPages.view(req, access: lending, row: row, state: state, status: status)
    }, path: { slug, id in "/c/\(slug)/lending/loans/\(id)" })
}

/// Moves the loans' messages into the Kernel's threads, with their authors and times, then drops
/// `loan_messages`: one place for every conversation, one erasure, one moderation.
struct MoveLoanMessagesToThreads: AsyncMigration {
    func prepare(on database: any Database) async throws {
        struct Loan: Decodable { var id: UUID; var cooperative_id: UUID }
        let loans = try await database.sql.select().columns(SQLColumn("id", table: "loans"), SQLColumn("cooperative_id", table: "loans")).distinct()
            .from("loans").join("loan_messages", on: SQLColumn("loan_id", table: "loan_messages"), .equal, SQLColumn("id", table: "loans"))
            .all(decoding: Loan.self)
        for loan in loans {
            _ = try await ThreadStore.openThread(of: ThreadSubject(kind: LoanThread.kindName, id: loan.id, cooperativeID: loan.cooperative_id), on: database)
        }
        try await database.sql.raw("""
            INSERT INTO thread_messages (id, thread_id, author_id, body, at)
            SELECT m.id, t.id, m.author_id, m.body, m.at FROM loan_messages m
            JOIN threads t ON t.kind = \(bind: LoanThread.kindName) AND t.subject_id = m.loan_id
            """).run()
        try await database.schema("loan_messages").delete()
    }

    /// Gives the loans' messages their own table again, with what the threads hold of them.
    func revert(on database: any Database) async throws {
        try await database.schema("loan_messages")
            .id()
            .field("loan_id", .uuid, .required, .references("loans", "id"))
            .field("author_id", .uuid, .required, .references(User.schema, "id"))
            .field("body", .string, .required)
            .field("at", .datetime, .required)
            .constraint(.custom(SQLRaw("CONSTRAINT loan_messages_length CHECK (length(body) BETWEEN 1 AND 2000)")))
            .create()
        try await database.sql.create(index: "loan_messages_loan").on("loan_messages").column("loan_id").column("at").run()
        try await database.sql.raw("""
            INSERT INTO loan_messages (id, loan_id, author_id, body, at)
            SELECT m.id, t.subject_id, m.author_id, m.body, m.at FROM thread_messages m
            JOIN threads t ON t.id = m.thread_id WHERE t.kind = \(bind: LoanThread.kindName)
            """).run()
    }
}
