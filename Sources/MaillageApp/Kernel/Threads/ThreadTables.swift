import Fluent
import MaillageCore
import SQLKit

/// The tables of threads. The Cooperatives module runs this migration (its list, not the
/// Kernel's): threads point at people and cooperatives, whose tables exist only from there on.
struct CreateThreads: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ThreadTables.threads)
            .id()
            .field("kind", .string, .required)
            .field("subject_id", .uuid, .required)
            .field("cooperative_id", .uuid, .required, .references("cooperatives", "id", onDelete: .cascade))
            .field("created_at", .datetime, .required)
            .unique(on: "kind", "subject_id", name: "threads_one_per_subject")
            .create()
        try await database.schema(ThreadTables.messages)
            .id()
            .field("thread_id", .uuid, .required, .references(ThreadTables.threads, "id", onDelete: .cascade))
            .field("author_id", .uuid, .required, .references("users", "id"))
            .field("body", .string, .required)
            .field("at", .datetime, .required)
            .field("hidden_at", .datetime)
            .field("hidden_by", .uuid, .references("users", "id"))
            .constraint(.custom(SQLRaw("CONSTRAINT thread_messages_length CHECK (length(body) BETWEEN 1 AND 2000)")))
            .create()
        try await database.sql.create(index: "thread_messages_thread").on(ThreadTables.messages).column("thread_id").column("at").run()
        try await database.schema(ThreadTables.blocks)
            .field("blocker_id", .uuid, .required, .references("users", "id"))
            .field("blocked_id", .uuid, .required, .references("users", "id"))
            .field("at", .datetime, .required)
            .constraint(.custom(SQLRaw("CONSTRAINT thread_blocks_once PRIMARY KEY (blocker_id, blocked_id)")))
            .constraint(.custom(SQLRaw("CONSTRAINT thread_blocks_not_self CHECK (blocker_id <> blocked_id)")))
            .create()
        try await database.schema(ThreadTables.reports)
            .id()
            .field("message_id", .uuid, .required, .references(ThreadTables.messages, "id", onDelete: .cascade))
            .field("cooperative_id", .uuid, .required, .references("cooperatives", "id", onDelete: .cascade))
            .field("reporter_id", .uuid, .required, .references("users", "id"))
            .field("reason", .string, .required)
            .field("at", .datetime, .required)
            .field("status", .string, .required)
            .field("decided_at", .datetime)
            .field("decided_by", .uuid, .references("users", "id"))
            .unique(on: "message_id", "reporter_id", name: "thread_reports_once")
            .constraint(.custom(SQLRaw("CONSTRAINT thread_reports_status CHECK (status IN ('open','hidden','dismissed'))")))
            .constraint(.custom(SQLRaw("CONSTRAINT thread_reports_reason CHECK (length(reason) <= 1000)")))
            .create()
        try await database.sql.create(index: "thread_reports_queue").on(ThreadTables.reports).column("cooperative_id").column("status").run()
    }

    func revert(on database: any Database) async throws {
        for table in [ThreadTables.reports, ThreadTables.blocks, ThreadTables.messages, ThreadTables.threads] {
            try await database.schema(table).delete()
        }
    }
}

enum ThreadTables {
    static let threads = "threads"
    static let messages = "thread_messages"
    static let blocks = "thread_blocks"
    static let reports = "thread_reports"

    static let register: [TableRegister] = {
        let writers = Localized(fr: "Membres qui écrivent dans un fil (prêt, annonce, vote)", en: "Members who write in a thread (loan, listing, vote)")
        let readers = Localized(fr: "Les personnes qui peuvent lire le fil (parties d’un prêt, membres de la coopérative) ; l’équipe en cas de signalement",
                                en: "Those who may read the thread (a loan's parties, the cooperative's members); the staff when reported")
        return [
            TableRegister(table: threads, subject: nil, purpose: Localized(fr: "Rattacher une conversation à ce dont elle parle", en: "Tie a conversation to what it is about"),
                          legalBasis: .contract, persons: Localized(fr: "Aucune", en: "None"), recipients: readers,
                          retention: .cooperativeRecords(years: 3), personal: [],
                          nonPersonal: ["id", "kind", "subject_id", "cooperative_id", "created_at"]),
            TableRegister(table: messages, subject: "author_id", purpose: Localized(fr: "Messages entre membres au sujet d’un prêt, d’une annonce ou d’un vote", en: "Messages between members about a loan, a listing or a vote"),
                          legalBasis: .contract, persons: writers, recipients: readers, retention: .days(365, column: "at"),
                          personal: [PersonalField("body", .communication)], nonPersonal: ["id", "thread_id", "author_id", "at", "hidden_at", "hidden_by"]),
            TableRegister(table: blocks, subject: "blocker_id", purpose: Localized(fr: "Ne plus voir les messages d’une personne ni recevoir les siens en privé", en: "Stop seeing a person's messages and receiving theirs in private"),
                          legalBasis: .legitimateInterest, persons: writers, recipients: Localized(fr: "Personne (seule la personne qui bloque le sait)", en: "Nobody (only the person who blocks knows)"),
                          retention: .whileAccountExists, personal: [], nonPersonal: ["blocker_id", "blocked_id", "at"]),
            TableRegister(table: reports, subject: "reporter_id", purpose: Localized(fr: "Signaler un message à l’équipe de la coopérative, qui le masque ou classe le signalement", en: "Report a message to the cooperative's staff, who hide it or dismiss the report"),
                          legalBasis: .legitimateInterest, persons: writers, recipients: Localized(fr: "L’équipe et le conseil de la coopérative", en: "The cooperative's staff and board"),
                          retention: .days(365, column: "at"), personal: [PersonalField("reason", .communication)],
                          nonPersonal: ["id", "message_id", "cooperative_id", "reporter_id", "at", "status", "decided_at", "decided_by"]),
        ]
    }()
}
