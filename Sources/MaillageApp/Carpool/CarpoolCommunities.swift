import Fluent
import Foundation
import MaillageCore
import SQLKit

/// A community as stored, with the reader's place in it.
struct CommunityRow: Sendable, Decodable {
    var id: UUID
    var cooperative_id: UUID
    var name: String
    var description: String
    var joining: String
    var domains: String
    var addresses: String
    var created_by: UUID
    var created_at: Date
    var closed_at: Date?

    var mode: CommunityJoining { CommunityJoining(rawValue: joining) ?? .approval }
    var domainList: [String] { CommunityJoining.entries(domains) }
    var addressList: [String] { CommunityJoining.entries(addresses) }
}

/// Someone's place in a community: 'manager' and 'member' see its ads, 'waiting' does not yet.
struct CommunityMemberRow: Sendable, Decodable {
    var user_id: UUID
    var status: String
    var joined_at: Date
}

/// Communities inside a carpool cooperative (a company, a school, an event): staff create one and
/// manage it; people join by the rule it names; its ads are shown to its members only.
enum CarpoolCommunities {
    static let word = Localized(fr: "Communauté", en: "Community")
    static let columns = ["id", "cooperative_id", "name", "description", "joining", "domains", "addresses", "created_by", "created_at", "closed_at"]

    /// Creates a community; its creator manages it.
    static func create(_ draft: CommunityDraft, by person: UUID, in coop: UUID, on db: any Database) async throws -> UUID {
        let checked = try draft.validated()
        let id = UUID(), now = Date()
        do {
            try await db.writeTransaction { tx in
                try await tx.sql.insert(into: "carpool_communities").columns(columns.dropLast().map { SQLColumn($0) })
                    .values(SQLBind(id), SQLBind(coop), SQLBind(checked.name), SQLBind(checked.description), SQLBind(checked.joining.rawValue),
                            SQLBind(checked.domains.joined(separator: ",")), SQLBind(checked.addresses.joined(separator: ",")),
                            SQLBind(person), SQLBind(now))
                    .run()
                try await tx.sql.insert(into: "carpool_community_members").columns("community_id", "user_id", "status", "joined_at")
                    .values(SQLBind(id), SQLBind(person), SQLBind("manager"), SQLBind(now)).run()
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw DomainError(.conflict, code: "community_exists", field: "name",
                              fr: "Une communauté porte déjà ce nom.", en: "A community already has this name.")
        }
        return id
    }

    /// The cooperative's open communities, by name.
    static func all(in coop: UUID, on db: any Database) async throws -> [CommunityRow] {
        try await db.sql.select().columns(columns.map { SQLColumn($0) }).from("carpool_communities")
            .where("cooperative_id", .equal, SQLBind(coop)).where("closed_at", .is, SQLLiteral.null)
            .orderBy("name").all(decoding: CommunityRow.self)
    }

    /// An open community of the cooperative, or 404.
    static func find(_ id: UUID?, in coop: UUID, on db: any Database) async throws -> CommunityRow {
        guard let id, let row = try await db.sql.select().columns(columns.map { SQLColumn($0) }).from("carpool_communities")
            .where("id", .equal, SQLBind(id)).where("cooperative_id", .equal, SQLBind(coop)).where("closed_at", .is, SQLLiteral.null)
            .first(decoding: CommunityRow.self)
        else { throw Problem.notFound(word) }
        return row
    }

    /// The person's status in each community they are in ('manager', 'member', 'waiting').
    static func statuses(of person: UUID?, on db: any Database) async throws -> [UUID: String] {
        guard let person else { return [:] }
        struct Row: Decodable { var community_id: UUID; var status: String }
        let rows = try await db.sql.select().columns("community_id", "status").from("carpool_community_members")
            .where("user_id", .equal, SQLBind(person)).all(decoding: Row.self)
        return Dictionary(rows.map { ($0.community_id, $0.status) }, uniquingKeysWith: { a, _ in a })
    }

    /// How many people see each community's ads.
    static func counts(in coop: UUID, on db: any Database) async throws -> [UUID: Int] {
        struct Row: Decodable { var community_id: UUID; var people: Int }
        let rows = try await db.sql.select().column(SQLColumn("community_id", table: "m"))
            .column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("people")))
            .from(SQLAlias(SQLIdentifier("carpool_community_members"), as: SQLIdentifier("m")))
            .join(SQLAlias(SQLIdentifier("carpool_communities"), as: SQLIdentifier("c")),
                  on: SQLColumn("id", table: "c"), .equal, SQLColumn("community_id", table: "m"))
            .where(SQLColumn("cooperative_id", table: "c"), .equal, SQLBind(coop))
            .where(SQLColumn("status", table: "m"), .in, SQLBind.group(["manager", "member"]))
            .groupBy(SQLColumn("community_id", table: "m")).all(decoding: Row.self)
        return Dictionary(rows.map { ($0.community_id, $0.people) }, uniquingKeysWith: +)
    }

    static func members(of community: UUID, on db: any Database) async throws -> [CommunityMemberRow] {
        try await db.sql.select().columns("user_id", "status", "joined_at").from("carpool_community_members")
            .where("community_id", .equal, SQLBind(community)).orderBy("joined_at").all(decoding: CommunityMemberRow.self)
    }

    static func managers(of community: UUID, on db: any Database) async throws -> [UUID] {
        try await members(of: community, on: db).filter { $0.status == "manager" }.map(\.user_id)
    }

    /// Lets `person` in by the community's rule (`CommunityJoining.decide`) with their account's
    /// address: a domain or a list only trusts an address the person has confirmed. The primary
    /// key (community, person) makes a second click a no-op, not a second row.
    static func join(_ community: CommunityRow, person: UUID, email: String, emailConfirmed: Bool,
                     slug: String, on db: any Database) async throws -> CommunityJoining.Outcome {
        if [.domain, .list].contains(community.mode) && !emailConfirmed { throw unconfirmed }
        let outcome = try community.mode.decide(email: email, domains: community.domainList, list: community.addressList)
        let status = outcome == .joined ? "member" : "waiting"
        let inserted = try await db.writeTransaction { tx in
            let rows = try await tx.sql.insert(into: "carpool_community_members").columns("community_id", "user_id", "status", "joined_at")
                .values(SQLBind(community.id), SQLBind(person), SQLBind(status), SQLBind(Date()))
                .ignoringConflicts().returning("user_id").all()
            if !rows.isEmpty && outcome == .waiting {
                let name = try await CarpoolAccess.names([person], on: tx)[person] ?? ""
                for manager in try await managers(of: community.id, on: tx) {
                    try await Inbox.notify(manager, Localized(fr: "\(name) demande à rejoindre la communauté « \(community.name) ».",
                                                              en: "\(name) asks to join the “\(community.name)” community."),
                                           link: "/c/\(slug)/carpool/communities/\(community.id)", kind: .rides, on: tx)
                }
            }
            return !rows.isEmpty
        }
        guard inserted else { throw alreadyIn }
        return outcome
    }

    /// Leaves a community; a last manager stays (someone must approve the waiting people).
    static func leave(_ community: CommunityRow, person: UUID, on db: any Database) async throws {
        try await db.writeTransaction { tx in
            let managers = try await managers(of: community.id, on: tx)
            if managers == [person] && community.mode == .approval { throw lastManager }
            try await tx.sql.delete(from: "carpool_community_members")
                .where("community_id", .equal, SQLBind(community.id)).where("user_id", .equal, SQLBind(person)).run()
        }
    }

    /// A manager lets a waiting person in (`approve`) or turns the request down.
    static func answer(_ community: CommunityRow, person: UUID, approve: Bool, slug: String, on db: any Database) async throws {
        try await db.writeTransaction { tx in
            let query = approve
                ? tx.sql.update("carpool_community_members").set("status", to: SQLBind("member"))
                    .where("community_id", .equal, SQLBind(community.id)).where("user_id", .equal, SQLBind(person))
                    .where("status", .equal, SQLBind("waiting")).returning("user_id")
                : nil
            let moved: [any SQLRow]
            if let query {
                moved = try await query.all()
            } else {
                moved = try await tx.sql.delete(from: "carpool_community_members")
                    .where("community_id", .equal, SQLBind(community.id)).where("user_id", .equal, SQLBind(person))
                    .where("status", .equal, SQLBind("waiting")).returning("user_id").all()
            }
            guard !moved.isEmpty else { throw notWaiting }
            let text = approve
                ? Localized(fr: "Vous faites maintenant partie de la communauté « \(community.name) » : vous voyez ses trajets.",
                            en: "You are now in the “\(community.name)” community: you see its rides.")
                : Localized(fr: "Votre demande pour rejoindre la communauté « \(community.name) » n’a pas été acceptée.",
                            en: "Your request to join the “\(community.name)” community was not accepted.")
            try await Inbox.notify(person, text, link: "/c/\(slug)/carpool/communities/\(community.id)", kind: .rides, on: tx)
        }
    }

    /// Closes a community (staff): it leaves the lists; its ads become visible to nobody but their authors.
    static func close(_ id: UUID, in coop: UUID, on db: any Database) async throws {
        let rows = try await db.sql.update("carpool_communities").set("closed_at", to: SQLBind(Date()))
            .where("id", .equal, SQLBind(id)).where("cooperative_id", .equal, SQLBind(coop)).where("closed_at", .is, SQLLiteral.null)
            .returning("id").all()
        guard !rows.isEmpty else { throw Problem.notFound(word) }
        try await db.sql.delete(from: "carpool_community_members").where("community_id", .equal, SQLBind(id)).run()
    }

    static let unconfirmed = DomainError(.forbidden, code: "email_unconfirmed",
        fr: "Confirmez d’abord l’adresse de votre compte (lien reçu par e-mail) : cette communauté se rejoint par l’adresse.",
        en: "First confirm your account's address (link sent by e-mail): this community is joined by address.")
    static let alreadyIn = DomainError(.conflict, code: "already_in_community",
        fr: "Vous êtes déjà dans cette communauté, ou votre demande attend une réponse.", en: "You are already in this community, or your request is waiting.")
    static let lastManager = DomainError(.conflict, code: "last_manager",
        fr: "Vous êtes la seule personne à pouvoir accepter les demandes : demandez au personnel de la coopérative de nommer quelqu’un d’autre avant de partir.",
        en: "You are the only person who can accept requests: ask the cooperative's staff to name someone else before you leave.")
    static let notWaiting = DomainError(.conflict, code: "not_waiting",
        fr: "Cette personne n’attend plus de réponse.", en: "This person is no longer waiting for an answer.")
}
