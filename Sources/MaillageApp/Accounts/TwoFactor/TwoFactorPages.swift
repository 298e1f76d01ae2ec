import Fluent
import MaillageCore
import Plot
import Vapor

/// `/account/two-factor`: turning the second factor on (scan, first code, recovery codes), its
/// recovery codes, the trusted devices, turning it off.
enum TwoFactorPages {
    static let issuer = "Maillage"
    private static let freshCodes = "2fa_fresh_recovery_codes"

    struct CodeForm: Content { var code: String? }

    /// The short part on `/account`: the state and the way to the page.
    static func accountSection(_ req: Request, user: User) async throws -> Node<HTML.BodyContext> {
        let t = req.t
        let enabled = try await TwoFactor.isEnabled(for: user.requireID(), on: req.db)
        return .section(.id("two-factor"), .attribute(named: "aria-labelledby", value: "two-factor-title"),
            .h2(.id("two-factor-title"), .text(t("Sécurité : double authentification", "Security: two-factor authentication"))),
            .p(.text(enabled
                ? t("Activée : à la connexion, un code de votre application est demandé après le mot de passe.",
                    "On: after your password, logging in asks for a code from your app.")
                : t("Pas activée. Avec une application d’authentification sur votre téléphone, un mot de passe volé ne suffit plus pour entrer dans votre compte.",
                    "Off. With an authenticator app on your phone, a stolen password is no longer enough to get into your account."))),
            .p(.a(.href("/account/two-factor"), .text(enabled ? t("Gérer la double authentification", "Manage two-factor authentication")
                                                                : t("Activer la double authentification", "Turn on two-factor authentication")))))
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let userID = try user.requireID()
        let t = req.t
        let reasons = try await Modules.twoFactorRequirements(of: user, on: req.db)
        guard try await TwoFactor.isEnabled(for: userID, on: req.db) else {
            return Layout.page(req, title: t("Double authentification", "Two-factor authentication"),
                .h1(.text(t("Double authentification", "Two-factor authentication"))),
                .if(!reasons.isEmpty, .div(.class("notice"), .attribute(named: "role", value: "status"),
                    .forEach(reasons) { .p(.text(t($0))) },
                    .p(.text(t("Activez-la pour continuer ; cela prend deux minutes.", "Turn it on to go on; it takes two minutes."))))),
                .p(.text(t("Après votre mot de passe, le site vous demandera un code à 6 chiffres que calcule une application de votre téléphone (Aegis, FreeOTP, Google Authenticator, 2FAS…). Le code change toutes les 30 secondes et ne quitte jamais votre téléphone.",
                           "After your password, the site will ask for a 6-digit code computed by an app on your phone (Aegis, FreeOTP, Google Authenticator, 2FAS…). The code changes every 30 seconds and never leaves your phone."))),
                Form.post(req, action: "/account/two-factor/start", Form.submit(t("Activer la double authentification", "Turn on two-factor authentication"))),
                .if(req.session.data[TwoFactorLogin.enrolmentDue] == nil,
                    .p(.a(.href("/account"), .text(t("Revenir à mon compte", "Back to my account"))))))
        }
        let left = try await TwoFactor.recoveryCodesLeft(of: userID, on: req.db)
        let devices = try await TwoFactor.trustedDevices(of: userID, on: req.db)
        return Layout.page(req, title: t("Double authentification", "Two-factor authentication"),
            .h1(.text(t("Double authentification", "Two-factor authentication"))),
            .p(.class("notice"), .text(t("Activée : un code de votre application est demandé à chaque connexion.", "On: a code from your app is asked at every login."))),
            .section(.attribute(named: "aria-labelledby", value: "recovery-title"),
                .h2(.id("recovery-title"), .text(t("Codes de secours", "Recovery codes"))),
                .p(.text(t("Il vous reste \(left) code\(left > 1 ? "s" : "") de secours sur 10. Chacun remplace une fois le code de l’application, si vous perdez votre téléphone.",
                           "You have \(left) of 10 recovery codes left. Each stands in once for the app’s code, if you lose your phone."))),
                Confirmation.ask(t("Créer de nouveaux codes de secours…", "Make new recovery codes…"), at: "/account/two-factor/recovery-codes/renew")),
            TrustedDevicesView.node(req, devices: devices),
            .section(.attribute(named: "aria-labelledby", value: "disable-title"),
                .h2(.id("disable-title"), .text(t("Désactiver", "Turn off"))),
                .if(!reasons.isEmpty, .p(.text(reasons.map { t($0) }.joined(separator: " ")))),
                .if(reasons.isEmpty, Confirmation.ask(t("Désactiver la double authentification…", "Turn off two-factor authentication…"),
                                                      at: "/account/two-factor/disable"))),
            .p(.a(.href("/account"), .text(t("Revenir à mon compte", "Back to my account")))))
    }

    @Sendable static func start(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        try await TwoFactor.start(for: user.requireID(), on: req.db)
        return req.done(Localized(fr: "Scannez le code avec votre application.", en: "Scan the code with your app."), goTo: "/account/two-factor/setup")
    }

    @Sendable static func setup(_ req: Request) async throws -> Response {
        try await setupView(req, state: FormState())
    }

    static func setupView(_ req: Request, state: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        let user = try req.requireUser()
        let t = req.t
        guard let pending = try await TwoFactor.secret(of: user.requireID(), on: req.db), pending.confirmed_at == nil,
              let secret = try? TwoFactor.base32(pending, of: user.requireID()), let bytes = Base32.decode(secret)
        else { return req.redirect(to: "/account/two-factor", redirectType: .normal) }
        let uri = OneTimePassword.uri(issuer: issuer, account: user.email, secret: bytes)
        let qr = try QRCode.encode(Array(uri.utf8))
        return Layout.page(req, title: t("Activer la double authentification", "Turn on two-factor authentication"), status: status,
            .h1(.text(t("Activer la double authentification", "Turn on two-factor authentication"))),
            .ol(.class("steps"),
                .li(.text(t("Dans votre application d’authentification, ajoutez un compte et scannez ce code :", "In your authenticator app, add an account and scan this code:")),
                    QRCodeSVG.node(qr, name: t("Code QR à scanner avec votre application d’authentification", "QR code to scan with your authenticator app"))),
                .li(.text(t("Pas d’appareil photo ? Tapez plutôt cette clé (type « basé sur le temps ») :", "No camera? Type this key instead (time-based):")),
                    .p(.code(.id("two-factor-secret"), .text(Base32.grouped(secret))))),
                .li(.text(t("Puis tapez le code à 6 chiffres que l’application affiche :", "Then type the 6-digit code the app shows:")),
                    Form.post(req, action: "/account/two-factor/confirm",
                        Form.summary(state, t),
                        Form.field("code", label: t("Code à 6 chiffres", "6-digit code"), state: state, t, autocomplete: "one-time-code",
                                   extra: [.attribute(named: "inputmode", value: "numeric")]),
                        Form.submit(t("Vérifier et activer", "Check and turn on"))))),
            // Not "later" for a person whose cooperative requires it: every other page leads back here.
            .if(req.session.data[TwoFactorLogin.enrolmentDue] == nil,
                .p(.a(.href("/account"), .text(t("Plus tard : revenir à mon compte", "Later: back to my account"))))))
    }

    @Sendable static func confirm(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let form = try req.content.decode(CodeForm.self)
        do {
            let codes = try await TwoFactor.confirm(for: user.requireID(), code: form.code ?? "", on: req.db)
            req.session.data[freshCodes] = codes.joined(separator: " ")
            req.session.data[TwoFactorLogin.enrolmentDue] = nil
            return req.done(Localized(fr: "La double authentification est activée.", en: "Two-factor authentication is on."),
                            goTo: "/account/two-factor/recovery-codes")
        } catch let error as DomainError where error.code == TwoFactorRules.wrongEnrolmentCode.code {
            return try await setupView(req, state: FormState(refused: error, values: ["code": form.code ?? ""]), status: .unprocessableEntity)
        }
    }

    /// The codes just made, shown once: the session keeps them only until this page is seen.
    @Sendable static func recoveryCodes(_ req: Request) async throws -> Response {
        let t = req.t
        guard let fresh = req.session.data[freshCodes] else { return req.redirect(to: "/account/two-factor", redirectType: .normal) }
        req.session.data[freshCodes] = nil
        let codes = fresh.split(separator: " ").map(String.init)
        return Layout.page(req, title: t("Vos codes de secours", "Your recovery codes"),
            .h1(.text(t("Vos codes de secours", "Your recovery codes"))),
            .p(.strong(.text(t("Notez-les maintenant : ils ne seront plus affichés.", "Write them down now: they will not be shown again.")))),
            .p(.text(t("Imprimez cette page ou recopiez les codes sur papier, et rangez-les loin de votre téléphone. Chaque code remplace une fois le code de l’application.",
                       "Print this page or copy the codes on paper, and keep them away from your phone. Each code stands in once for the app’s code."))),
            .ul(.class("recovery-codes"), .id("recovery-codes"), .forEach(codes) { .li(.code(.text($0))) }),
            .p(.a(.href("/account/two-factor"), .text(t("C’est noté, continuer", "Written down, go on")))))
    }

    @Sendable static func renewQuestion(_ req: Request) async throws -> Response {
        let t = req.t
        _ = try req.requireUser()
        return Confirmation.page(req, title: t("Créer de nouveaux codes de secours", "Make new recovery codes"),
            consequences: [t("Dix nouveaux codes sont créés et affichés une fois.", "Ten new codes are made and shown once."),
                           t("Les anciens codes, utilisés ou non, cessent de fonctionner.", "The old codes, used or not, stop working.")],
            action: "/account/two-factor/recovery-codes/renew", button: t("Créer de nouveaux codes", "Make new codes"), back: "/account/two-factor")
    }

    @Sendable static func renew(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard req.isConfirmed else { return req.askFirst("/account/two-factor/recovery-codes/renew") }
        let userID = try user.requireID()
        guard try await TwoFactor.isEnabled(for: userID, on: req.db) else { throw TwoFactorRules.notStarted }
        let codes = try await req.db.writeTransaction { tx in try await TwoFactor.replaceRecoveryCodes(of: userID, on: tx) }
        req.session.data[freshCodes] = codes.joined(separator: " ")
        return req.done(Localized(fr: "Nouveaux codes de secours créés ; les anciens ne fonctionnent plus.", en: "New recovery codes made; the old ones no longer work."),
                        goTo: "/account/two-factor/recovery-codes")
    }

    @Sendable static func disableQuestion(_ req: Request) async throws -> Response {
        try await disableView(req, state: FormState())
    }

    static func disableView(_ req: Request, state: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.t
        _ = try req.requireUser()
        return Confirmation.page(req, title: t("Désactiver la double authentification", "Turn off two-factor authentication"),
            consequences: [t("Votre mot de passe suffira de nouveau pour entrer dans votre compte.", "Your password alone will again open your account."),
                           t("Vos codes de secours et vos appareils de confiance sont effacés.", "Your recovery codes and trusted devices are erased.")],
            action: "/account/two-factor/disable", button: t("Désactiver", "Turn off"), back: "/account/two-factor", status: status,
            problem: state.errors.isEmpty ? nil : TwoFactorRules.wrongCode,
            fields: [Form.field("code", label: t("Un code de l’application ou un code de secours", "A code from the app or a recovery code"),
                                state: state, t, autocomplete: "one-time-code")])
    }

    @Sendable static func disable(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard req.isConfirmed else { return req.askFirst("/account/two-factor/disable") }
        let userID = try user.requireID()
        let form = try req.content.decode(CodeForm.self)
        let reasons = try await Modules.twoFactorRequirements(of: user, on: req.db)
        if let reason = reasons.first {
            throw DomainError(.forbidden, code: "two_factor_required", fr: reason.fr, en: reason.en)
        }
        guard try await TwoFactor.use(code: form.code ?? "", for: userID, on: req.db) != nil else {
            return try await disableView(req, state: FormState(refused: TwoFactorRules.wrongCode, values: ["code": form.code ?? ""]),
                                         status: .unprocessableEntity)
        }
        try await TwoFactor.disable(for: userID, on: req.db)
        return req.done(Localized(fr: "La double authentification est désactivée.", en: "Two-factor authentication is off."), goTo: "/account#two-factor")
    }

    @Sendable static func revokeDeviceQuestion(_ req: Request) async throws -> Response {
        let t = req.t
        let user = try req.requireUser()
        guard let id = req.parameters.get("id", as: UUID.self),
              try await TwoFactor.trustedDevices(of: user.requireID(), on: req.db).contains(where: { $0.id == id })
        else { throw Problem.notFound(deviceWord) }
        return Confirmation.page(req, title: t("Révoquer un appareil de confiance", "Revoke a trusted device"),
            consequences: [t("À la prochaine connexion depuis cet appareil, un code sera demandé.", "The next login from this device will ask for a code.")],
            action: "/account/two-factor/devices/\(id.uuidString)/revoke", button: t("Révoquer", "Revoke"), back: "/account/two-factor")
    }

    static let deviceWord = Localized(fr: "Appareil", en: "Device")

    @Sendable static func revokeDevice(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound(deviceWord) }
        guard req.isConfirmed else { return req.askFirst("/account/two-factor/devices/\(id.uuidString)/revoke") }
        guard try await TwoFactor.revokeTrustedDevice(id, of: user.requireID(), on: req.db) else { throw Problem.notFound(deviceWord) }
        return req.done(Localized(fr: "Appareil révoqué : un code y sera demandé.", en: "Device revoked: a code will be asked there."), goTo: "/account/two-factor")
    }
}
