import Fluent
import MaillageCore
import Vapor

struct AccountsModule: MaillageModule {
    let name = "accounts"
    var migrations: [any Migration] { [CreateUsers(), CreateAccessTokens(), CreateLoginAttempts(), CreateSignUpAttempts(),
                                      AccessTokenScopeAndExpiry(), CreateInstanceOperators(),
                                      CreateAccountLinks(), UsersEmailConfirmation(), CreateTwoFactor()] }

    var jobs: [ScheduledJob] {
        [ScheduledJob("purge-login-attempts", every: 600) { app in
            try await LoginAttempts.purge(olderThan: Date().addingTimeInterval(-86_400), on: app.db)
            try await SignUpAttempts.purge(olderThan: Date().addingTimeInterval(-86_400), on: app.db)
            try await AccountLinks.purge(on: app.db)
            try await TwoFactor.purgeExpired(on: app.db)
        }]
    }

    func pages(_ routes: any RoutesBuilder) {
        routes.get("signup", use: AccountPages.signUpPage)
        routes.post("signup", use: AccountPages.signUp)
        routes.get("signup", "sent", use: AccountPages.signUpSent)
        routes.get("password", "forgot", use: PasswordPages.forgotPage)
        routes.post("password", "forgot", use: PasswordPages.forgot)
        routes.get("password", "reset", ":token", use: PasswordPages.resetPage)
        routes.post("password", "reset", ":token", use: PasswordPages.reset)
        routes.get("account", "confirm", ":token", use: EmailPages.confirmPage)
        routes.post("account", "confirm", ":token", use: EmailPages.confirm)
        routes.get("account", "email", "confirm", ":token", use: EmailPages.confirmChangePage)
        routes.post("account", "email", "confirm", ":token", use: EmailPages.confirmChange)
        routes.get("login", use: AccountPages.loginPage)
        routes.post("login", use: AccountPages.login)
        routes.get("login", "code", use: TwoFactorLogin.codePage)
        routes.post("login", "code", use: TwoFactorLogin.submitCode)
        routes.post("logout", use: AccountPages.logout)
        let signedIn = routes.grouped(RequireLoginMiddleware())
        signedIn.get("account", use: AccountHome.show)
        signedIn.post("account", "tokens", use: AccountHome.createToken)
        signedIn.post("account", "password", use: PasswordPages.change)
        signedIn.post("account", "email", use: EmailPages.change)
        signedIn.post("account", "confirm", use: EmailPages.resend)
        signedIn.get("account", "tokens", ":id", "revoke", use: AccountHome.revokeQuestion)
        signedIn.post("account", "tokens", ":id", "revoke", use: AccountHome.revokeToken)
        let twoFactor = signedIn.grouped("account", "two-factor")
        twoFactor.get(use: TwoFactorPages.show)
        twoFactor.post("start", use: TwoFactorPages.start)
        twoFactor.get("setup", use: TwoFactorPages.setup)
        twoFactor.post("confirm", use: TwoFactorPages.confirm)
        twoFactor.get("recovery-codes", use: TwoFactorPages.recoveryCodes)
        twoFactor.get("recovery-codes", "renew", use: TwoFactorPages.renewQuestion)
        twoFactor.post("recovery-codes", "renew", use: TwoFactorPages.renew)
        twoFactor.get("disable", use: TwoFactorPages.disableQuestion)
        twoFactor.post("disable", use: TwoFactorPages.disable)
        twoFactor.get("devices", ":id", "revoke", use: TwoFactorPages.revokeDeviceQuestion)
        twoFactor.post("devices", ":id", "revoke", use: TwoFactorPages.revokeDevice)
        let operators = signedIn.grouped(RequireOperatorMiddleware()).grouped("operators")
        operators.get(use: OperatorPages.desk)
        operators.get("mailbox", use: OperatorPages.mailbox)
        operators.get("outbox", ":id", use: OperatorPages.message)
        operators.post("outbox", ":id", "retry", use: OperatorPages.retry)
    }

    func api(_ routes: any RoutesBuilder) {
        routes.post("accounts", use: AccountAPI.signUp)
        routes.get("me", use: AccountAPI.me)
        routes.get("me", "tokens", use: AccountAPI.tokens)
        routes.delete("me", "tokens", ":id", use: AccountAPI.revokeToken)
    }

    var openAPI: OpenAPIFragment {
        OpenAPIFragment(
            paths: [
                "/api/v1/accounts": ["post": OAS.operation("signUp", "Create an account (email + password)", tag: "Accounts", secured: false,
                    body: OAS.object(["email": ["type": "string", "format": "email", "maxLength": 254], "password": OAS.string(min: 10, max: 128),
                                      "displayName": OAS.string(max: 80)], required: ["email", "password"]),
                    responses: OAS.ok("A confirmation mail is on its way (or, when the address already has an account, a mail telling its owner): the same answer either way",
                                      OAS.object(["email": OAS.string(), "message": OAS.string()], required: ["email", "message"]), status: 202),
                    errorCodes: [422, 429])],
                "/api/v1/me": ["get": OAS.operation("me", "The account of the token's owner", tag: "Accounts", secured: true,
                    responses: OAS.ok("The account", OAS.ref("User")), errorCodes: [401])],
                "/api/v1/me/tokens": ["get": OAS.operation("myTokens", "My personal access tokens (never their secret)", tag: "Accounts", secured: true,
                    responses: OAS.ok("Tokens", OAS.object(["data": OAS.array(OAS.ref("AccessToken"))], required: ["data"])), errorCodes: [401])],
                "/api/v1/me/tokens/{id}": ["delete": OAS.operation("revokeToken", "Revoke one of my tokens", tag: "Accounts", secured: true,
                    parameters: [OAS.pathParameter("id", OAS.uuid)],
                    responses: ["204": ["description": "Revoked"]], errorCodes: [401, 404])],
            ],
            schemas: [
                "User": OAS.object(["id": OAS.uuid, "email": OAS.string(), "displayName": OAS.string(),
                                    "language": OAS.nullable(OAS.string()), "createdAt": OAS.nullable(OAS.dateTime),
                                    "emailConfirmed": ["type": "boolean"]],
                                   required: ["id", "email", "displayName", "emailConfirmed"]),
                "AccessToken": OAS.object(["id": OAS.uuid, "name": OAS.string(), "hint": OAS.string("First characters of the token"),
                                           "createdAt": OAS.nullable(OAS.dateTime), "lastUsedAt": OAS.nullable(OAS.dateTime),
                                           "revokedAt": OAS.nullable(OAS.dateTime),
                                           "scope": ["type": "string", "enum": ["read", "full"],
                                                     "description": "read: GET only; full: everything its owner may do"],
                                           "expiresAt": OAS.nullable(OAS.dateTime)], required: ["id", "name", "hint", "scope"]),
            ])
    }
}
