import Fluent
import FluentSQL
import MaillageCore
import SQLKit
import Vapor

/// The effects of creating and running a cooperative: each function is one transaction,
/// with the rules taken from `MaillageCore`.
enum Cooperatives {
    static let slugTaken = DomainError(.conflict, code: "slug_taken", field: "slug",
                                       fr: "Cette adresse est déjà prise par une autre coopérative : choisissez-en une autre.",
                                       en: "This URL name is already taken by another cooperative: choose another one.")
    static let cooperativeWord = Localized(fr: "Coopérative", en: "Cooperative")
    static let membershipWord = Localized(fr: "Adhésion", en: "Membership")

    static func find(slug: String, on db: any Database) async throws -> Cooperative {
        guard let coop = try await Cooperative.query(on: db).filter(\.$slug == slug.lowercased())
            .with(\.$colleges).with(\.$charter).first()
        else { throw Problem.notFound(cooperativeWord) }
        try await ensureVisible(coop, on: db)
        return coop
    }

    /// A cooperative that is not public (awaiting approval, refused, archived) is found only for
    /// the people who have a place in it and the instance's operators; anyone else is told it
    /// does not exist, as for a page that does not.
    static func ensureVisible(_ coop: Cooperative, on db: any Database) async throws {
        guard !coop.isPublic, case .person(let viewer) = Viewer.current else { return }
        if let viewer {
            if try await membership(of: viewer, in: coop.requireID(), on: db) != nil { return }
            if try await Operators.isOperator(viewer, on: db) { return }
        }
        throw Problem.notFound(cooperativeWord)
    }

    /// The cooperative behind an activity's pages and API (shopfront, lending catalogue…): one
    /// read, without the colleges and charter those never show — they are read on every visit.
    static func host(slug: String, on db: any Database) async throws -> Cooperative {
        guard let row = try await db.sql.select().column("*").from(Cooperative.schema)
            .where("slug", .equal, SQLBind(slug.lowercased())).first()
        else { throw Problem.notFound(cooperativeWord) }
        let coop = try row.decode(fluentModel: Cooperative.self)
        try await ensureVisible(coop, on: db)
        return coop
    }

    /// A new cooperative waits for the operators' approval (`review: .pending`) before it is public.
    static func create(_ draft: CooperativeDraft, creator: User, creatorCollege: Int = 0, review: CooperativeReview = .pending,
                       on db: any Database) async throws -> Cooperative {
        // Its creator becomes its first member: the same confirmed address as for joining.
        try Accounts.requireConfirmedEmail(creator)
        let clean = try draft.validated()
        let creatorID = try creator.requireID()
        do {
            let created = try await db.writeTransaction { db in
                let coop = Cooperative()
                coop.slug = clean.slug
                coop.name = clean.name
                coop.legalForm = clean.legalForm.rawValue
                coop.commune = clean.commune
                coop.postalCode = clean.postalCode
                coop.description = clean.description
                coop.website = clean.website
                coop.activities = Activity.serialize(clean.activities)
                coop.shareNominalCents = clean.shareNominalCents
                coop.review = review.rawValue
                coop.reviewedAt = review == .approved ? Date() : nil
                coop.latitude = Communes.coordinates(of: clean.commune)?.lat
                coop.longitude = Communes.coordinates(of: clean.commune)?.lon
                try await coop.create(on: db)
                let coopID = try coop.requireID()
                var colleges: [College] = []
                for (position, name) in clean.colleges.enumerated() {
                    let college = College(cooperativeID: coopID, name: name, position: position)
                    try await college.create(on: db)
                    colleges.append(college)
                }
                for item in clean.charter {
                    try await CharterEntry(cooperativeID: coopID, item: item).create(on: db)
                }
                // The creator is the first board member, so someone can approve the next members.
                let founder = Membership()
                founder.$cooperative.id = coopID
                founder.$user.id = creatorID
                founder.$college.id = colleges.isEmpty ? nil : try colleges[min(max(creatorCollege, 0), colleges.count - 1)].requireID()
                founder.shares = clean.legalForm.hasShareCapital ? 1 : 0
                founder.role = MemberRole.board.rawValue
                founder.status = MembershipStatus.active.rawValue
                founder.message = ""
                founder.decidedAt = Date()
                founder.$decidedBy.id = creatorID
                try await founder.create(on: db)
                return coop
            }
            await Modules.membershipsChanged(in: created, on: db)
            return created
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw slugTaken
        }
    }

    /// Updates what a cooperative says of itself; the slug stays, since links point to it.
    static func update(_ coop: Cooperative, with draft: CooperativeDraft, on db: any Database) async throws {
        var incoming = draft
        incoming.slug = coop.slug
        let clean = try incoming.validated()
        let coopID = try coop.requireID()
        try await db.writeTransaction { db in
            coop.name = clean.name
            coop.commune = clean.commune
            coop.postalCode = clean.postalCode
            coop.description = clean.description
            coop.website = clean.website
            coop.activities = Activity.serialize(clean.activities)
            if let place = Communes.coordinates(of: clean.commune) {
                coop.latitude = place.lat
                coop.longitude = place.lon
            }
            try await coop.save(on: db)
            try await CharterEntry.query(on: db).filter(\.$cooperative.$id == coopID).delete()
            for item in clean.charter {
                try await CharterEntry(cooperativeID: coopID, item: item).create(on: db)
            }
        }
    }

    static func membership(of userID: UUID, in coopID: UUID, on db: any Database) async throws -> Membership? {
        try await Membership.query(on: db).filter(\.$cooperative.$id == coopID).filter(\.$user.$id == userID)
            .with(\.$college).first()
    }

    /// The person's active membership with at least `minimum` rights, or a refusal.
    @discardableResult
    static func require(_ minimum: MemberRole, _ user: User, in coop: Cooperative, on db: any Database) async throws -> Membership {
        guard let membership = try await membership(of: user.requireID(), in: coop.requireID(), on: db),
              membership.memberStatus == .active, membership.memberRole >= minimum
        else { throw Problem.forbidden }
        return membership
    }

    static func members(of coop: Cooperative, status: MembershipStatus? = nil, on db: any Database) async throws -> [Membership] {
        var query = Membership.query(on: db).filter(\.$cooperative.$id == (try coop.requireID())).with(\.$user).with(\.$college)
        if let status { query = query.filter(\.$status == status.rawValue) }
        return try await query.sort(\.$requestedAt).all()
    }

    static func activeMemberCount(of coopID: UUID, on db: any Database) async throws -> Int {
        try await Membership.query(on: db).filter(\.$cooperative.$id == coopID)
            .filter(\.$status == MembershipStatus.active.rawValue).count()
    }

    /// The cooperative of the URL's `:slug`, the signed-in person and their membership, with at
    /// least the given role: what every member page and API call starts from.
    static func memberContext(_ req: Request, minimum: MemberRole = .member) async throws -> (Cooperative, User, Membership) {
        let coop = try await find(slug: req.parameters.get("slug") ?? "", on: req.db)
        let user = try req.requireUser()
        let membership = try await require(minimum, user, in: coop, on: req.db)
        return (coop, user, membership)
    }

    /// Tells every board member of the cooperative (a membership to decide, a departure…).
    static func notifyBoard(of coop: Cooperative, on db: any Database, link: String, kind: NoticeKind, _ text: Localized) async throws {
        let board = try await Membership.query(on: db).filter(\.$cooperative.$id == coop.requireID())
            .filter(\.$status == MembershipStatus.active.rawValue).filter(\.$role == MemberRole.board.rawValue).all()
        for member in board {
            try await Inbox.notify(member.$user.id, text, link: link, kind: kind, on: db)
        }
    }
}
