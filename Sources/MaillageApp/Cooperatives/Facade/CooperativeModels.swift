import Fluent
import MaillageCore
import Vapor

final class Cooperative: Model, @unchecked Sendable {
    static let schema = "cooperatives"

    @ID(key: .id) var id: UUID?
    @Field(key: "slug") var slug: String
    @Field(key: "name") var name: String
    @Field(key: "legal_form") var legalForm: String
    @Field(key: "commune") var commune: String
    @Field(key: "postal_code") var postalCode: String
    @Field(key: "description") var description: String
    @Field(key: "website") var website: String
    /// Comma-separated `Activity` raw values, in canonical order.
    @Field(key: "activities") var activities: String
    @Field(key: "share_nominal_cents") var shareNominalCents: Int64
    @OptionalField(key: "latitude") var latitude: Double?
    @OptionalField(key: "longitude") var longitude: Double?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    /// `CooperativeReview`: public once the instance's operators approve it.
    @Field(key: "review") var review: String
    @OptionalField(key: "review_reason") var reviewReason: String?
    @OptionalField(key: "reviewed_at") var reviewedAt: Date?
    /// Archived by its board: hidden, its records kept.
    @OptionalField(key: "archived_at") var archivedAt: Date?

    @Children(for: \.$cooperative) var colleges: [College]
    @Children(for: \.$cooperative) var charter: [CharterEntry]

    init() {}

    var form: LegalForm { LegalForm(rawValue: legalForm) ?? .other }
    var activityList: [Activity] { Activity.list(from: activities) }
    var reviewState: CooperativeReview { CooperativeReview(rawValue: review) ?? .pending }
    var isPublic: Bool { CooperativeReview.isPublic(reviewState, archived: archivedAt != nil) }
}

/// The review and archiving of cooperatives. The ones that exist when it is added count as
/// approved: they were public already.
struct CooperativeReviews: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Cooperative.schema)
            .field("review", .string, .required, .sql(.default(CooperativeReview.approved.rawValue))).update()
        for field in ["review_reason"] {
            try await database.schema(Cooperative.schema).field(.string(field), .string).update()
        }
        for field in ["reviewed_at", "archived_at"] {
            try await database.schema(Cooperative.schema).field(.string(field), .datetime).update()
        }
    }

    func revert(on database: any Database) async throws {
        for field in ["review", "review_reason", "reviewed_at", "archived_at"] {
            try await database.schema(Cooperative.schema).deleteField(.string(field)).update()
        }
    }
}

/// A member category (voting college), e.g. producers, consumers, employees.
final class College: Model, @unchecked Sendable {
    static let schema = "colleges"

    @ID(key: .id) var id: UUID?
    @Parent(key: "cooperative_id") var cooperative: Cooperative
    @Field(key: "name") var name: String
    @Field(key: "position") var position: Int
    /// Share of the votes in college-weighted decisions, in percent (set by the board).
    @OptionalField(key: "weight") var weight: Int?

    init() {}
    init(cooperativeID: UUID, name: String, position: Int) {
        self.$cooperative.id = cooperativeID
        self.name = name
        self.position = position
    }
}

/// One answer of the charter self-assessment.
final class CharterEntry: Model, @unchecked Sendable {
    static let schema = "charter_entries"

    @ID(key: .id) var id: UUID?
    @Parent(key: "cooperative_id") var cooperative: Cooperative
    @Field(key: "characteristic") var characteristic: String
    @Field(key: "answer") var answer: String
    @Field(key: "evidence") var evidence: String

    init() {}
    init(cooperativeID: UUID, item: CharterItem) {
        self.$cooperative.id = cooperativeID
        self.characteristic = item.characteristic.rawValue
        self.answer = item.answer.rawValue
        self.evidence = item.evidence
    }

    var item: CharterItem? {
        guard let characteristic = Characteristic(rawValue: characteristic), let answer = CharterAnswer(rawValue: answer) else { return nil }
        return CharterItem(characteristic, answer, evidence: evidence)
    }
}

final class Membership: Model, @unchecked Sendable {
    static let schema = "memberships"

    @ID(key: .id) var id: UUID?
    @Parent(key: "cooperative_id") var cooperative: Cooperative
    @Parent(key: "user_id") var user: User
    @OptionalParent(key: "college_id") var college: College?
    @Field(key: "shares") var shares: Int
    @Field(key: "role") var role: String
    @Field(key: "status") var status: String
    @Field(key: "message") var message: String
    @Timestamp(key: "requested_at", on: .create) var requestedAt: Date?
    @OptionalField(key: "decided_at") var decidedAt: Date?
    @OptionalParent(key: "decided_by") var decidedBy: User?

    init() {}

    var memberRole: MemberRole { MemberRole(rawValue: role) ?? .member }
    var memberStatus: MembershipStatus { MembershipStatus(rawValue: status) ?? .pending }
}

struct CreateCooperatives: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Cooperative.schema)
            .id()
            .field("slug", .string, .required)
            .field("name", .string, .required)
            .field("legal_form", .string, .required)
            .field("commune", .string, .required)
            .field("postal_code", .string, .required)
            .field("description", .string, .required)
            .field("website", .string, .required)
            .field("activities", .string, .required)
            .field("share_nominal_cents", .int64, .required)
            .field("latitude", .double)
            .field("longitude", .double)
            .field("created_at", .datetime)
            .unique(on: "slug", name: "cooperatives_slug_unique")
            .create()
        try await database.schema(College.schema)
            .id()
            .field("cooperative_id", .uuid, .required, .references(Cooperative.schema, "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("position", .int, .required)
            .unique(on: "cooperative_id", "name", name: "colleges_name_unique")
            .create()
        try await database.schema(CharterEntry.schema)
            .id()
            .field("cooperative_id", .uuid, .required, .references(Cooperative.schema, "id", onDelete: .cascade))
            .field("characteristic", .string, .required)
            .field("answer", .string, .required)
            .field("evidence", .string, .required)
            .unique(on: "cooperative_id", "characteristic", name: "charter_entries_unique")
            .create()
        try await database.schema(Membership.schema)
            .id()
            .field("cooperative_id", .uuid, .required, .references(Cooperative.schema, "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references(User.schema, "id"))
            .field("college_id", .uuid, .references(College.schema, "id"))
            .field("shares", .int, .required)
            .field("role", .string, .required)
            .field("status", .string, .required)
            .field("message", .string, .required)
            .field("requested_at", .datetime)
            .field("decided_at", .datetime)
            .field("decided_by", .uuid, .references(User.schema, "id"))
            // One membership per person per cooperative: one person, one vote.
            .unique(on: "cooperative_id", "user_id", name: "memberships_person_unique")
            .create()
        try await database.sql.create(index: "memberships_user").on(Membership.schema).column("user_id").run()
    }

    func revert(on database: any Database) async throws {
        for schema in [Membership.schema, CharterEntry.schema, College.schema, Cooperative.schema] {
            try await database.schema(schema).delete()
        }
    }
}
