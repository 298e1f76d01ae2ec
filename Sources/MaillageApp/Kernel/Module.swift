import Fluent
import MaillageCore
import Plot
import Vapor

/// What a module brings to the platform. The kernel knows modules only through `Modules.all`.
protocol MaillageModule: Sendable {
    var name: String { get }
    /// In order; never edit a released migration, add a new one.
    var migrations: [any Migration] { get }
    var jobs: [ScheduledJob] { get }
    /// Ways out the module adds to the outbox (webhooks, deliveries to other servers).
    var outboxChannels: [any OutboxChannel] { get }
    /// Mails written out when they are sent, from what their outbox row names (`MailTemplate`).
    var mailTemplates: [MailTemplate] { get }
    /// HTML pages (sessions, CSRF) and JSON API (`/api/v1`, bearer tokens) are separate trees.
    func pages(_ routes: any RoutesBuilder)
    func api(_ routes: any RoutesBuilder)
    /// OpenAPI paths and schemas this module serves.
    var openAPI: OpenAPIFragment { get }
    /// Every table the module stores and every column of it, personal or not (see `DataRegister`).
    var dataRegister: [TableRegister] { get }
    /// Why a person cannot delete their account yet (an item borrowed, an unpaid order…).
    func openObligations(of user: User, on db: any Database) async throws -> [Localized]
    /// This module's section of the signed-in person's account page (`/account`), shown in
    /// registration order; nil when it has nothing to show there.
    func accountSection(_ req: Request, user: User) async throws -> Node<HTML.BodyContext>?
    /// Database middleware this module needs on SQLite (the ledger's group commit); `lane` is the
    /// file's writer lane, nil in memory.
    func sqliteMiddleware(lane: WriterLane?) -> [any AnyModelMiddleware]
    /// Demo territory content, loaded by `maillage demo` or `serve --demo` on an empty database.
    func seedDemo(_ demo: DemoTerritory) async throws
    /// A cooperative's members changed (approved, left): shares to book at once, so every page
    /// shows the same capital the moment the register changes (`Modules.membershipsChanged`).
    func membershipsChanged(in coop: Cooperative, on db: any Database) async throws
    /// "Delete my account", inside its transaction: wipe or pseudonymise what names the person in
    /// this module's records (the records themselves stay whole), and what they wrote. `name` is
    /// the name they went by, to take out of texts that quote it.
    func erasePersonalData(of user: UUID, name: String, pseudonym: String, on db: any Database) async throws
    /// The erased person's former address, for lists that name people by address (a carpool
    /// community's admitted addresses).
    func forgetAddress(_ email: String, on db: any Database) async throws
    /// The subjects this module opens a conversation thread on (`Threads`), and who may read and write there.
    var threadKinds: [ThreadKind] { get }
    /// Why this person must use a second factor (a cooperative asks it of its board and staff),
    /// in their words; empty when nothing here asks it (`Modules.twoFactorRequirements`).
    func twoFactorRequired(of user: User, on db: any Database) async throws -> [Localized]
}

extension MaillageModule {
    var migrations: [any Migration] { [] }
    var jobs: [ScheduledJob] { [] }
    var outboxChannels: [any OutboxChannel] { [] }
    var mailTemplates: [MailTemplate] { [] }
    func pages(_ routes: any RoutesBuilder) {}
    func api(_ routes: any RoutesBuilder) {}
    var openAPI: OpenAPIFragment { OpenAPIFragment() }
    var dataRegister: [TableRegister] { [] }
    func openObligations(of user: User, on db: any Database) async throws -> [Localized] { [] }
    func accountSection(_ req: Request, user: User) async throws -> Node<HTML.BodyContext>? { nil }
    func sqliteMiddleware(lane: WriterLane?) -> [any AnyModelMiddleware] { [] }
    func seedDemo(_ demo: DemoTerritory) async throws {}
    func membershipsChanged(in coop: Cooperative, on db: any Database) async throws {}
    func erasePersonalData(of user: UUID, name: String, pseudonym: String, on db: any Database) async throws {}
    func forgetAddress(_ email: String, on db: any Database) async throws {}
    var threadKinds: [ThreadKind] { [] }
    func twoFactorRequired(of user: User, on db: any Database) async throws -> [Localized] { [] }
}

/// The one registration list. Order matters: migrations run in this order, and a module uses only
/// Kernel and the facades (`<Module>/Facade/`) of modules listed before it (ModuleBoundaryTests).
enum Modules {
    static let all: [any MaillageModule] = [
        KernelModule(),
        AccountsModule(),
        NotificationsModule(),
        CooperativesModule(),
        DirectoryModule(),
        GovernanceModule(),
        PrivacyModule(),
        LedgerModule(),
        FoodModule(),
        LendingModule(),
        ExchangeModule(),
        CarpoolModule(),
        DeliveryModule(),
    ]
}

extension Modules {
    /// Every reason a module gives for this person to use a second factor; Accounts asks at login.
    static func twoFactorRequirements(of user: User, on db: any Database) async throws -> [Localized] {
        var reasons: [Localized] = []
        for module in all { reasons += try await module.twoFactorRequired(of: user, on: db) }
        return reasons
    }

    /// Tells every module that a cooperative's register of members changed, after it is saved.
    /// A module that fails here is caught up by its own job; the change itself stands.
    static func membershipsChanged(in coop: Cooperative, on db: any Database) async {
        for module in all {
            do { try await module.membershipsChanged(in: coop, on: db) } catch {
                db.logger.warning("\(module.name) could not follow a change of members of \(coop.slug) at once: \(String(reflecting: error))")
            }
        }
    }
}


extension Modules {
    /// The module that answers for threads of this kind.
    static func threadKind(_ kind: String) -> ThreadKind? {
        all.lazy.flatMap(\.threadKinds).first { $0.kind == kind }
    }

    /// Threads name people by their display name (Accounts) and tell them in their inbox (Notifications).
    static let threadServices = ThreadServices(
        names: { ids, db in
            guard !ids.isEmpty else { return [:] }
            let users = try await User.query(on: db).filter(\.$id ~~ Array(ids)).all()
            return Dictionary(users.compactMap { user in user.id.map { ($0, user.displayName) } }, uniquingKeysWith: { a, _ in a })
        },
        notify: { person, text, link, db in try await Inbox.notify(person, text, link: link, kind: .messages, on: db) },
        notifyStaff: { coop, text, link, db in
            let staff = try await Membership.query(on: db).filter(\.$cooperative.$id == coop)
                .filter(\.$status == MembershipStatus.active.rawValue)
                .filter(\.$role ~~ [MemberRole.staff.rawValue, MemberRole.board.rawValue]).all()
            for member in staff { try await Inbox.notify(member.$user.id, text, link: link, kind: .moderation, on: db) }
        })
}
