import Fluent
import MaillageCore
import SQLKit
import Vapor

/// A general assembly: convened on a date, with an agenda of votes, attendance and minutes.
final class Assembly: Model, @unchecked Sendable {
    static let schema = "assemblies"

    @ID(key: .id) var id: UUID?
    @Parent(key: "cooperative_id") var cooperative: Cooperative
    @Field(key: "title") var title: String
    @Field(key: "kind") var kind: String
    @Field(key: "starts_at") var startsAt: Date
    @Field(key: "place") var place: String
    @Field(key: "quorum") var quorum: String
    @Field(key: "proxies_per_holder") var proxiesPerHolder: Int
    @Parent(key: "convened_by") var convenedBy: User
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    var assemblyKind: AssemblyKind { AssemblyKind(rawValue: kind) ?? .ordinary }
}

/// One member's attendance; a represented member names the present member holding the proxy.
final class Attendance: Model, @unchecked Sendable {
    static let schema = "assembly_attendance"

    @ID(key: .id) var id: UUID?
    @Parent(key: "assembly_id") var assembly: Assembly
    @Parent(key: "user_id") var user: User
    @Field(key: "status") var status: String
    @OptionalParent(key: "proxy_holder_id") var proxyHolder: User?
    @Field(key: "recorded_at") var recordedAt: Date

    init() {}

    var attendanceStatus: AttendanceStatus { AttendanceStatus(rawValue: status) ?? .absent }
}

struct CreateAssemblies: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Assembly.schema)
            .id()
            .field("cooperative_id", .uuid, .required, .references(Cooperative.schema, "id", onDelete: .cascade))
            .field("title", .string, .required)
            .field("kind", .string, .required)
            .field("starts_at", .datetime, .required)
            .field("place", .string, .required)
            .field("quorum", .string, .required)
            .field("proxies_per_holder", .int, .required)
            .field("convened_by", .uuid, .required, .references(User.schema, "id"))
            .field("created_at", .datetime)
            .create()
        try await database.schema(Attendance.schema)
            .id()
            .field("assembly_id", .uuid, .required, .references(Assembly.schema, "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references(User.schema, "id"))
            .field("status", .string, .required)
            .field("proxy_holder_id", .uuid, .references(User.schema, "id"))
            .field("recorded_at", .datetime, .required)
            .unique(on: "assembly_id", "user_id", name: "assembly_attendance_once")
            .create()
        // A vote on an assembly's agenda.
        try await database.schema(Proposal.schema).field("assembly_id", .uuid, .references(Assembly.schema, "id")).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Proposal.schema).deleteField("assembly_id").update()
        try await database.schema(Attendance.schema).delete()
        try await database.schema(Assembly.schema).delete()
    }
}
