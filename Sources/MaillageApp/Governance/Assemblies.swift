import Fluent
import MaillageCore
import SQLKit
import Vapor

/// Convening a general assembly, recording attendance and proxies, and what its minutes say.
enum Assemblies {
    static let assemblyWord = Localized(fr: "Assemblée", en: "Assembly")

    struct Convocation: Sendable {
        var title: String
        var kind: AssemblyKind
        var startsAt: Date
        var place: String
        var proxiesPerHolder: Int
        var agenda: [UUID]
    }

    static func find(_ id: UUID, in coop: Cooperative, on db: any Database) async throws -> Assembly {
        guard let assembly = try await Assembly.query(on: db).filter(\.$id == id).filter(\.$cooperative.$id == coop.requireID()).first()
        else { throw Problem.notFound(assemblyWord) }
        return assembly
    }

    static func convene(_ input: Convocation, by board: User, in coop: Cooperative, on db: any Database, now: Date = Date()) async throws -> Assembly {
        try await Cooperatives.require(.board, board, in: coop, on: db)
        var errors = ValidationErrors()
        var title = input.title, place = input.place
        do { title = try Validate.text(input.title, field: "title", label: Localized(fr: "Titre", en: "Title"), range: 3...200) } catch { errors.add(error) }
        do { place = try Validate.text(input.place, field: "place", label: Localized(fr: "Lieu ou lien", en: "Place or link"), range: 1...300) } catch { errors.add(error) }
        if input.startsAt <= now {
            errors.add(DomainError(.invalid, code: "assembly_in_the_past", field: "starts_at",
                                   fr: "La date de l’assemblée est déjà passée.", en: "The assembly date has already passed."))
        }
        if !(1...10).contains(input.proxiesPerHolder) {
            errors.add(DomainError(.invalid, code: "invalid_proxy_limit", field: "proxies_per_holder",
                                   fr: "Entre 1 et 10 pouvoirs par personne.", en: "Between 1 and 10 proxies per person."))
        }
        let coopID = try coop.requireID()
        let agenda = try await Proposal.query(on: db).filter(\.$cooperative.$id == coopID).filter(\.$closedAt == nil)
            .filter(\.$cancelledAt == nil).all()
            .filter { input.agenda.contains(try $0.requireID()) }
        if agenda.count != Set(input.agenda).count {
            errors.add(DomainError(.invalid, code: "unknown_agenda_item", field: "agenda",
                                   fr: "L’ordre du jour ne peut contenir que des votes en cours ou à venir de la coopérative.",
                                   en: "The agenda can only hold open or upcoming votes of the cooperative."))
        }
        try errors.throwIfAny()
        let assembly = Assembly()
        assembly.$cooperative.id = coopID
        assembly.title = title
        assembly.kind = input.kind.rawValue
        assembly.startsAt = input.startsAt
        assembly.place = place
        assembly.quorum = input.kind.rules.quorum.description
        assembly.proxiesPerHolder = input.proxiesPerHolder
        assembly.$convenedBy.id = try board.requireID()
        try await db.writeTransaction { db in
            try await assembly.create(on: db)
            for proposal in agenda {
                proposal.$assembly.id = try assembly.requireID()
                try await proposal.save(on: db)
            }
        }
        let members = try await Membership.query(on: db).filter(\.$cooperative.$id == coopID).filter(\.$status == MembershipStatus.active.rawValue).all()
        let when = DateText.short(input.startsAt, .fr), whenEN = DateText.short(input.startsAt, .en)
        for member in members {
            try await Inbox.notify(member.$user.id, Localized(fr: "\(coop.name) vous convoque : « \(title) », le \(when), \(place).",
                                                               en: "\(coop.name) convenes you: “\(title)”, on \(whenEN), \(place)."),
                                   link: "/c/\(coop.slug)/assemblies/\(try assembly.requireID())", kind: .assemblies, on: db)
        }
        return assembly
    }

    /// Records how a member takes part. A proxy is checked against the holder's count inside the
    /// same transaction, with the assembly row locked so two proxies cannot both take the last place.
    static func record(_ status: AttendanceStatus, for userID: UUID, holder: UUID?, in assembly: Assembly, coop: Cooperative,
                       on db: any Database, now: Date = Date()) async throws {
        let assemblyID = try assembly.requireID(), coopID = try coop.requireID()
        guard try await Cooperatives.membership(of: userID, in: coopID, on: db)?.memberStatus == .active else { throw Problem.forbidden }
        try await db.writeTransaction { db in
            try await db.sql.update(Assembly.schema).set("title", to: SQLColumn("title")).where("id", .equal, SQLBind(assemblyID)).run()
            if status == .represented {
                guard let holder else {
                    throw DomainError(.invalid, code: "proxy_holder_required", field: "holder",
                                      fr: "Choisissez la personne qui portera le pouvoir.", en: "Choose who will hold the proxy.")
                }
                let holderMembership = try await Cooperatives.membership(of: holder, in: coopID, on: db)
                let holderAttendance = try await Attendance.query(on: db).filter(\.$assembly.$id == assemblyID).filter(\.$user.$id == holder).first()
                let held = try await Attendance.query(on: db).filter(\.$assembly.$id == assemblyID).filter(\.$proxyHolder.$id == holder)
                    .filter(\.$user.$id != userID).count()
                try AssemblyRules.validateProxy(giver: userID, holder: holder, holderIsMember: holderMembership?.memberStatus == .active,
                                                holderIsRepresented: holderAttendance?.attendanceStatus == .represented,
                                                proxiesHeld: held, limit: assembly.proxiesPerHolder)
            }
            try await db.sql.insert(into: Attendance.schema).columns("id", "assembly_id", "user_id", "status", "proxy_holder_id", "recorded_at")
                .values(SQLBind(UUID()), SQLBind(assemblyID), SQLBind(userID), SQLBind(status.rawValue),
                        SQLBind(status == .represented ? holder : nil), SQLBind(now))
                .onConflict(with: ["assembly_id", "user_id"]) {
                    $0.set(excludedValueOf: "status").set(excludedValueOf: "proxy_holder_id").set(excludedValueOf: "recorded_at")
                }
                .run()
        }
    }

    struct Summary: Sendable {
        var attendance: [Attendance]
        var quorum: AssemblyRules.Quorum
        var agenda: [Proposal]
    }

    static func summary(_ assembly: Assembly, coop: Cooperative, on db: any Database) async throws -> Summary {
        let assemblyID = try assembly.requireID()
        let attendance = try await Attendance.query(on: db).filter(\.$assembly.$id == assemblyID).with(\.$user).with(\.$proxyHolder).all()
        let members = try await Cooperatives.activeMemberCount(of: coop.requireID(), on: db)
        let required = (try? Fraction(parsing: assembly.quorum)) ?? assembly.assemblyKind.rules.quorum
        let agenda = try await Proposal.query(on: db).filter(\.$assembly.$id == assemblyID).sort(\.$createdAt).all()
        return Summary(attendance: attendance,
                       quorum: AssemblyRules.quorum(members: members,
                                                    attendance: attendance.map { ($0.$user.id, $0.attendanceStatus, $0.$proxyHolder.id) },
                                                    required: required),
                       agenda: agenda)
    }
}
