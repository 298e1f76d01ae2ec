import Fluent
import MaillageCore
import Vapor

/// A fictional territory around Nantes, so every page has something real to show.
/// Each module adds its own content through `seedDemo`; the kernel adds people and cooperatives.
final class DemoTerritory: @unchecked Sendable {
    struct Login: Sendable { var email: String; var role: String }

    static let password = "maillage-demo"
    static let domain = "demo.maillage.coop"

    let app: Application
    var db: any Database { app.db }
    private(set) var users: [String: User] = [:]
    private(set) var cooperatives: [Activity: Cooperative] = [:]
    private var passwordHash = ""

    init(app: Application) { self.app = app }

    /// Loads the territory into an empty database; returns the demo logins (none if not empty).
    static func loadIfEmpty(_ app: Application) async throws -> [Login] {
        guard try await User.query(on: app.db).count() == 0 else { return [] }
        let demo = DemoTerritory(app: app)
        let modules = Modules.all
        for (index, module) in modules.enumerated() {
            app.logger.info("demo: \(module.name) (\(index + 1)/\(modules.count))")
            try await module.seedDemo(demo)
        }
        // Someone must read the instance's mailbox (mail is kept there when no server is set).
        if let alice = demo.users["alice"] { _ = try await Operators.grant(try alice.requireID(), on: app.db) }
        return [
            Login(email: "alice@\(domain)", role: "board — Les Paniers de la Sèvre (food), operator of the instance (/operators/mailbox)"),
            Login(email: "bruno@\(domain)", role: "board — Coursiers Nantais (delivery)"),
            Login(email: "chloe@\(domain)", role: "member of several cooperatives, one request pending"),
            Login(email: "david@\(domain)", role: "staff — Les Paniers de la Sèvre"),
        ]
    }

    func person(_ handle: String, _ displayName: String) async throws -> User {
        if let existing = users[handle] { return existing }
        if passwordHash.isEmpty {
            // One hash for the shared demo password: hashing forty times would slow the first start.
            passwordHash = try await app.password.async(on: app.passwordPool, hopTo: app.eventLoopGroup.next()).hash(Self.password)
        }
        let user = User(email: "\(handle)@\(Self.domain)", passwordHash: passwordHash, displayName: displayName, language: .fr)
        try await user.create(on: db)
        users[handle] = user
        return user
    }

    func user(_ handle: String) -> User {
        guard let user = users[handle] else { fatalError("demo person \(handle) is created by the accounts seed") }
        return user
    }

    func cooperative(_ activity: Activity) -> Cooperative? { cooperatives[activity] }

    func register(_ coop: Cooperative, for activity: Activity) { cooperatives[activity] = coop }
}
