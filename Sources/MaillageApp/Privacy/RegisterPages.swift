import MaillageCore
import Plot
import Vapor

/// The public register of processing (CNIL template), rendered from the modules' declarations.
enum RegisterPages {
    @Sendable static func instance(_ req: Request) async throws -> Response {
        let operators = try await Operators.list(on: req.db).map(\.display_name)
        return render(req, controller: req.t("L’instance Maillage du territoire et ses coopératives", "The territory's Maillage instance and its cooperatives"),
                      coop: nil, operators: operators)
    }

    @Sendable static func cooperative(_ req: Request) async throws -> Response {
        let coop = try await Cooperatives.find(slug: req.parameters.get("slug") ?? "", on: req.db)
        return render(req, controller: coop.name + " (" + req.t(coop.form.label) + ", " + coop.commune + ")", coop: coop)
    }

    static func render(_ req: Request, controller: String, coop: Cooperative?, operators: [String] = []) -> Response {
        let t = req.t
        let register = PrivacyPages.register.filter { !$0.personal.isEmpty }
        return Layout.page(req, title: t("Données personnelles", "Personal data"),
            .h1(.text(t("Registre des traitements de données personnelles", "Register of personal data processing"))),
            .p(.text(t("Responsable : ", "Controller: ") + controller)),
            .if(coop == nil, .p(.id("operators"), .text(operators.isEmpty
                ? t("Exploitants de l’instance : aucun n’est encore nommé.", "Instance operators: none named yet.")
                : t("Exploitants de l’instance (ils administrent le serveur, lisent les envois en échec et valident les nouvelles coopératives) : ",
                    "Instance operators (they run the server, read failed deliveries and approve new cooperatives): ")
                  + operators.joined(separator: ", ")))),
            .p(.text(t("Maillage ne charge rien depuis un autre site : ni police, ni statistiques, ni traceur. Le seul cookie posé d’office est celui de session (maillage_session) : il garde votre connexion, votre choix de langue et un jeton anti-falsification des formulaires ; il disparaît à la déconnexion ou après 30 jours d’inactivité. Si, avec la double authentification, vous cochez « Faire confiance à cet appareil », un second cookie (maillage_trusted) évite de redemander le code sur cet appareil pendant 30 jours ; vous pouvez le révoquer depuis votre compte.",
                       "Maillage loads nothing from another site: no font, no analytics, no tracker. The only cookie set by default is the session cookie (maillage_session): it keeps you signed in, your language choice and a form anti-forgery token; it goes away when you log out or after 30 days of inactivity. If, with two-factor authentication, you tick “Trust this device”, a second cookie (maillage_trusted) spares you the code on that device for 30 days; you can revoke it from your account."))),
            .p(.text(t("Sécurité : mots de passe conservés sous forme d’empreinte bcrypt, jetons d’API sous forme d’empreinte SHA-256, sessions signées, accès des conseils et équipes journalisé et visible par la personne concernée.",
                       "Security: passwords kept as bcrypt hashes, API tokens as SHA-256 hashes, signed sessions, access by boards and staff logged and visible to the person concerned."))),
            .p(.text(t("Vos droits : ", "Your rights: ")), .a(.href("/account#my-data"), .text(t("télécharger ou supprimer vos données depuis votre compte", "download or delete your data from your account")))),
            .table(
                .thead(.tr(.th(.text(t("Traitement (table)", "Processing (table)"))), .th(.text(t("Finalité", "Purpose"))), .th(.text(t("Base légale", "Legal basis"))),
                           .th(.text(t("Catégories de données", "Categories of data"))), .th(.text(t("Personnes concernées", "Persons concerned"))),
                           .th(.text(t("Destinataires", "Recipients"))), .th(.text(t("Durée de conservation", "Retention"))))),
                .tbody(.forEach(register) { entry in
                    .tr(.td(.code(.text(entry.table))), .td(.text(t(entry.purpose))), .td(.text(t(entry.legalBasis.label))),
                        .td(.text(Set(entry.personal.map(\.category)).sorted { $0.rawValue < $1.rawValue }.map { t($0.label) }.joined(separator: " ; ")
                                  + " (" + entry.personal.map(\.column).joined(separator: ", ") + ")")),
                        .td(.text(t(entry.persons))), .td(.text(t(entry.recipients))), .td(.text(t(entry.retention.label))))
                })
            )
        )
    }
}
