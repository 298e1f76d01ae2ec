import Fluent
import Foundation
import MaillageCore
import Vapor

/// Who is looking at a lending cooperative: anyone may browse its catalogue; members borrow and
/// lend; staff and board act for the cooperative (showcase items, loans in progress).
struct LendingAccess {
    let coop: Cooperative
    let coopID: UUID
    let user: User?
    let membership: Membership?

    /// `member: true` refuses anyone who is not an active member (403), or not signed in (401).
    init(_ req: Request, member: Bool = false, minimum: MemberRole = .member, activity: Activity = .lending) async throws {
        let coop = try await Cooperatives.host(slug: req.parameters.get("slug") ?? "", on: req.db)
        self.coop = coop
        self.coopID = try coop.requireID()
        self.user = req.user
        if member {
            let user = try req.requireUser()
            self.membership = try await Cooperatives.require(minimum, user, in: coop, on: req.db)
        } else if let user = req.user, let id = user.id {
            let found = try await Cooperatives.membership(of: id, in: coopID, on: req.db)
            self.membership = found?.memberStatus == .active ? found : nil
        } else {
            self.membership = nil
        }
        guard coop.activityList.contains(activity) else {
            throw activity == .lending ? LendingWords.notLending : LendingAccess.notExchange
        }
    }

    var isMember: Bool { membership != nil }
    var isStaff: Bool { (membership?.memberRole ?? .member) >= .staff }

    /// The signed-in member's id (only when `member: true` or `isMember`).
    func memberID() throws -> UUID {
        guard isMember, let id = user?.id else { throw Problem.forbidden }
        return id
    }

    /// Display names of the given people, for pages members read.
    static func names(_ ids: Set<UUID>, on db: any Database) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        let users = try await User.query(on: db).filter(\.$id ~~ Array(ids)).all()
        return Dictionary(users.compactMap { user in user.id.map { ($0, user.displayName) } }, uniquingKeysWith: { a, _ in a })
    }
}

/// How lending pages write days: "12/11/2026" in French, ISO in English.
enum DayText {
    static func short(_ day: LocalDate, _ language: Language) -> String {
        language == .fr ? "\(day.day < 10 ? "0" : "")\(day.day)/\(day.month < 10 ? "0" : "")\(day.month)/\(day.year)" : day.iso
    }

    static func period(_ period: LoanPeriod, _ language: Language) -> String {
        period.first == period.last ? short(period.first, language)
            : (language == .fr ? "du \(short(period.first, language)) au \(short(period.last, language))"
                               : "\(short(period.first, language)) to \(short(period.last, language))")
    }
}

extension LendingAccess {
    /// A cooperative asked for its exchange of services, which it does not run.
    static let notExchange = DomainError(.notFound, code: "not_exchange",
        fr: "Cette coopérative n’anime pas d’échange de services.", en: "This cooperative runs no exchange of services.")
}
