import Fluent
import MaillageCore
import Plot
import SQLKit
import Vapor

/// A board may ask its board and staff to log in with a second factor: the setting is stored with
/// the cooperative; Accounts asks for it at login through the Kernel's hook.
enum TwoFactorRequirement {
    static let column = "requires_two_factor"

    struct SettingForm: Content { var required: String? }

    /// The cooperatives that ask this person (board or staff there) for a second factor.
    static func reasons(for userID: UUID, on db: any Database) async throws -> [Localized] {
        struct Row: Decodable { var name: String }
        let rows = try await db.sql.select().column(SQLColumn("name", table: Cooperative.schema)).from(Membership.schema)
            .join(Cooperative.schema, on: SQLColumn("cooperative_id", table: Membership.schema), .equal, SQLColumn("id", table: Cooperative.schema))
            .where(SQLColumn("user_id", table: Membership.schema), .equal, SQLBind(userID))
            .where(SQLColumn("status", table: Membership.schema), .equal, SQLBind(MembershipStatus.active.rawValue))
            .where(SQLColumn("role", table: Membership.schema), .in, SQLBind.group([MemberRole.board.rawValue, MemberRole.staff.rawValue]))
            .where(SQLColumn(column, table: Cooperative.schema), .equal, SQLBind(true))
            .orderBy(SQLColumn("name", table: Cooperative.schema))
            .all(decoding: Row.self)
        return rows.map { row in
            Localized(fr: "La coopérative \(row.name) demande à son conseil et à son équipe de se connecter avec une double authentification.",
                      en: "The cooperative \(row.name) asks its board and staff to log in with two-factor authentication.")
        }
    }

    static func isRequired(by coop: Cooperative, on db: any Database) async throws -> Bool {
        struct Row: Decodable { var requires_two_factor: Bool }
        return try await db.sql.select().column(column).from(Cooperative.schema).where("id", .equal, SQLBind(coop.requireID()))
            .first(decoding: Row.self)?.requires_two_factor ?? false
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        let (coop, _, _) = try await Cooperatives.memberContext(req, minimum: .board)
        let t = req.t
        let required = try await isRequired(by: coop, on: req.db)
        let concerned = try await Cooperatives.members(of: coop, status: .active, on: req.db).filter { $0.memberRole >= .staff }
        let enrolled = try await TwoFactorStatus.enrolled(among: concerned.map { $0.$user.id }, on: req.db)
        let missing = concerned.filter { !enrolled.contains($0.$user.id) }
        return Layout.page(req, title: t("Sécurité — \(coop.name)", "Security — \(coop.name)"),
            .p(.a(.href("/c/\(coop.slug)/manage"), .text("← " + t("Sociétaires", "Members")))),
            .h1(.text(t("Sécurité des comptes du conseil et de l’équipe", "Security of the board’s and staff’s accounts"))),
            .p(.text(t("Le conseil et l’équipe peuvent accepter des sociétaires, changer des rôles, clore des votes. Exiger la double authentification protège la coopérative d’un mot de passe volé : chaque personne concernée qui ne l’a pas encore activée devra le faire à sa prochaine connexion.",
                       "The board and staff can approve members, change roles, close votes. Requiring two-factor authentication protects the cooperative from a stolen password: each person concerned who has not turned it on yet will have to at their next login."))),
            Form.post(req, action: "/c/\(coop.slug)/security",
                Form.checkbox("required", value: "yes", label: t("Exiger la double authentification du conseil et de l’équipe", "Require two-factor authentication of the board and staff"),
                              checked: required, id: "required"),
                Form.submit(t("Enregistrer", "Save"))),
            .h2(.text(t("Personnes concernées sans double authentification", "People concerned without two-factor authentication"))),
            .if(missing.isEmpty, .p(.text(t("Aucune : tout le conseil et toute l’équipe l’ont activée.", "None: all the board and staff have turned it on."))),
                else: .ul(.forEach(missing) { .li(.text($0.user.displayName + " (" + t($0.memberRole.label) + ")")) })))
    }

    @Sendable static func save(_ req: Request) async throws -> Response {
        let (coop, _, _) = try await Cooperatives.memberContext(req, minimum: .board)
        let form = try req.content.decode(SettingForm.self)
        let required = form.required == "yes"
        try await req.db.sql.update(Cooperative.schema).set(column, to: SQLBind(required)).where("id", .equal, SQLBind(coop.requireID())).run()
        return req.done(required
            ? Localized(fr: "La double authentification est exigée du conseil et de l’équipe.", en: "Two-factor authentication is required of the board and staff.")
            : Localized(fr: "La double authentification n’est plus exigée.", en: "Two-factor authentication is no longer required."),
            goTo: "/c/\(coop.slug)/security")
    }
}

extension CooperativesModule {
    func twoFactorRequired(of user: User, on db: any Database) async throws -> [Localized] {
        try await TwoFactorRequirement.reasons(for: user.requireID(), on: db)
    }
}

struct CooperativeTwoFactorSetting: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Cooperative.schema)
            .field(.string(TwoFactorRequirement.column), .bool, .required, .sql(.default(false))).update()
    }
    func revert(on database: any Database) async throws {
        try await database.schema(Cooperative.schema).deleteField(.string(TwoFactorRequirement.column)).update()
    }
}
