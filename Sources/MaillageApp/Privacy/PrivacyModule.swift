import Fluent
import MaillageCore
import Plot
import Vapor

/// Data ethics: the register, download, erasure, access log, retention, open data.
struct PrivacyModule: MaillageModule {
    let name = "privacy"
    var migrations: [any Migration] { [CreateAccessLog()] }

    var jobs: [ScheduledJob] {
        [ScheduledJob("retention-purge", every: 3600) { app in try await RetentionPurge.run(register: PrivacyPages.register, on: app.db) }]
    }

    func pages(_ routes: any RoutesBuilder) {
        routes.get("about", "privacy", use: RegisterPages.instance)
        routes.get("c", ":slug", "privacy", use: RegisterPages.cooperative)
        routes.get("open-data", use: OpenData.card)
        routes.get("account", "deleted", use: PrivacyPages.deleted)
        routes.get("open-data", "cooperatives.csv", use: OpenData.csv)
        routes.get("open-data", "cooperatives.json", use: OpenData.json)
        let signedIn = routes.grouped(RequireLoginMiddleware())
        signedIn.get("account", "export", use: PrivacyPages.export)
        signedIn.get("account", "delete", use: PrivacyPages.deletePage)
        signedIn.post("account", "delete", use: PrivacyPages.delete)
    }

    func accountSection(_ req: Request, user: User) async throws -> Node<HTML.BodyContext>? {
        try await PrivacyPages.accountSection(req, user: user)
    }

    var dataRegister: [TableRegister] {
        [TableRegister(table: AccessLog.table, subject: "subject_id",
                       purpose: Localized(fr: "Dire à chaque personne qui a consulté ses données", en: "Tell each person who looked at their data"),
                       legalBasis: .legitimateInterest, persons: Localized(fr: "Sociétaires, conseils et équipes", en: "Members, boards and staff"),
                       recipients: Localized(fr: "La personne concernée", en: "The person concerned"),
                       retention: .days(365, column: "at"),
                       personal: [PersonalField("actor_id", .connection), PersonalField("what", .connection)],
                       nonPersonal: ["id", "subject_id", "cooperative_id", "at"])]
    }
}
