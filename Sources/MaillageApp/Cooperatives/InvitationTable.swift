import Fluent
import MaillageCore
import SQLKit
import Vapor

/// A board's invitation to join, mailed to an address. The secret of its link is in the mail
/// only; the table keeps its SHA-256.
final class Invitation: Model, @unchecked Sendable {
    static let schema = "invitations"

    @ID(key: .id) var id: UUID?
    @Parent(key: "cooperative_id") var cooperative: Cooperative
    /// Normalised (trimmed, lower-case), as accounts store theirs.
    @Field(key: "email") var email: String
    @OptionalParent(key: "college_id") var college: College?
    @Field(key: "shares") var shares: Int
    @Field(key: "message") var message: String
    @Field(key: "token_hash") var tokenHash: String
    @Parent(key: "invited_by") var invitedBy: User
    /// The language the mail was written in, and the invitation page's first language.
    @Field(key: "language") var language: String
    /// `InvitationState` as recorded: pending, accepted or withdrawn (expired is also written
    /// when a new invitation replaces an expired one, to free the unique slot).
    @Field(key: "status") var status: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "accepted_at") var acceptedAt: Date?
    @OptionalParent(key: "accepted_by") var acceptedBy: User?
    @OptionalField(key: "withdrawn_at") var withdrawnAt: Date?
    @OptionalParent(key: "withdrawn_by") var withdrawnBy: User?
    @OptionalParent(key: "membership_id") var membership: Membership?

    init() {}

    func state(now: Date = Date()) -> InvitationState {
        InvitationRules.state(recorded: InvitationState(rawValue: status) ?? .pending, expiresAt: expiresAt, now: now)
    }

    var mailLanguage: Language { Language(rawValue: language) ?? .fr }
}

struct CreateInvitations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Invitation.schema)
            .id()
            .field("cooperative_id", .uuid, .required, .references(Cooperative.schema, "id", onDelete: .cascade))
            .field("email", .string, .required)
            .field("college_id", .uuid, .references(College.schema, "id", onDelete: .setNull))
            .field("shares", .int, .required)
            .field("message", .string, .required)
            .field("token_hash", .string, .required)
            .field("invited_by", .uuid, .required, .references(User.schema, "id"))
            .field("language", .string, .required)
            .field("status", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("accepted_at", .datetime)
            .field("accepted_by", .uuid, .references(User.schema, "id"))
            .field("withdrawn_at", .datetime)
            .field("withdrawn_by", .uuid, .references(User.schema, "id"))
            .field("membership_id", .uuid, .references(Membership.schema, "id", onDelete: .setNull))
            .unique(on: "token_hash", name: "invitations_token_unique")
            .create()
        // One pending invitation per address and cooperative, decided by the database: a partial
        // unique index, which SQLite and PostgreSQL both know.
        try await database.sql.raw("""
            CREATE UNIQUE INDEX invitations_pending_unique ON \(ident: Invitation.schema) (cooperative_id, email) WHERE status = 'pending'
            """).run()
        try await database.sql.create(index: "invitations_cooperative").on(Invitation.schema).column("cooperative_id").column("created_at").run()
        try await database.sql.create(index: "invitations_email").on(Invitation.schema).column("email").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Invitation.schema).delete()
    }
}
