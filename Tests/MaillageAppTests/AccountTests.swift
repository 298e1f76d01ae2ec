import Fluent
@testable import MaillageApp
import SQLKit
import Testing
import VaporTesting

@Suite("Accounts and sessions", .serialized)
struct AccountTests {
    @Test func signingUpMailsAConfirmationLinkThatSignsThePersonIn() async throws {
        try await withMaillage { app in
            let visitor = Visitor(app)
            let response = try await visitor.signUp("Lea@Example.org", name: "Léa", confirm: false)
            #expect(response.status == .seeOther)
            #expect(response.headers.first(name: .location) == "/signup/sent")
            let stored = try #require(try await User.query(on: app.db).filter(\.$email == "lea@example.org").first())
            #expect(stored.passwordHash.hasPrefix("$2"), "passwords are stored as bcrypt hashes")
            #expect(stored.emailConfirmedAt == nil, "not confirmed until the link is followed")
            let mails = try await visitor.mailsTo("lea@example.org")
            #expect(mails.count == 1)
            #expect(mails.first?.subject == "Confirmez votre adresse e-mail")
            #expect(mails.first?.greeting == "Bonjour Léa,")
            let link = try #require(try await visitor.lastMailLink(to: "lea@example.org", subject: "Confirmez"))
            // Opening the link changes nothing (a mail scanner follows links); the button does.
            #expect(try await visitor.get(link).status == .ok)
            #expect(try await User.query(on: app.db).filter(\.$email == "lea@example.org").first()?.emailConfirmedAt == nil)
            let confirmed = try await visitor.post(link, [])
            #expect(confirmed.status == .seeOther)
            let account = try await visitor.get("/account")
            #expect(account.status == .ok)
            #expect(account.body.string.contains("Bonjour Léa"))
            #expect(account.body.string.contains("confirmée"))
            #expect(try await User.query(on: app.db).filter(\.$email == "lea@example.org").first()?.emailConfirmedAt != nil)
            #expect(try await Visitor(app).post(link, []).status == .notFound, "a link works once")
        }
    }

    @Test func signingUpWithATakenAddressAnswersTheSameAndTellsItsOwner() async throws {
        try await withMaillage { app in
            let first = Visitor(app)
            _ = try await first.signUp("lea@example.org", name: "Léa")
            let second = Visitor(app)
            let response = try await second.signUp("lea@example.org", name: "Léa bis", confirm: false)
            #expect(response.status == .seeOther)
            #expect(response.headers.first(name: .location) == "/signup/sent", "the same answer as for a new address")
            #expect(try await User.query(on: app.db).filter(\.$email == "lea@example.org").count() == 1)
            let mails = try await second.mailsTo("lea@example.org")
            #expect(mails.map(\.subject) == ["Confirmez votre adresse e-mail", "Quelqu’un a voulu créer un compte avec votre adresse"])
            let api = try await app.testing().sendRequest(.POST, "/api/v1/accounts", headers: ["Content-Type": "application/json"],
                body: ByteBuffer(string: #"{"email": "lea@example.org", "password": "un mot de passe solide"}"#))
            let fresh = try await app.testing().sendRequest(.POST, "/api/v1/accounts", headers: ["Content-Type": "application/json"],
                body: ByteBuffer(string: #"{"email": "neuf@example.org", "password": "un mot de passe solide"}"#))
            #expect(api.status == .accepted && fresh.status == .accepted)
            #expect(api.json["message"] as? String == fresh.json["message"] as? String)
        }
    }

    @Test func aRefusedSignUpKeepsWhatWasTypedAndSaysWhy() async throws {
        try await withMaillage { app in
            let response = try await Visitor(app).signUp("lea@example", name: "Léa bis")
            #expect(response.status == .unprocessableEntity)
            let html = response.body.string
            #expect(html.contains(#"value="Léa bis""#), "the display name typed is kept")
            #expect(html.contains(#"value="lea@example""#), "the email typed is kept")
            #expect(!html.contains("un mot de passe solide"), "the password is never echoed")
        }
    }

    @Test func formErrorsAreInThePersonsLanguage() async throws {
        try await withMaillage { app in
            let visitor = Visitor(app)
            let negotiated = try await visitor.get("/signup", headers: ["Accept-Language": "en-GB,en;q=0.9"])
            #expect(negotiated.body.string.contains("Create my account"))
            try await visitor.get("/lang/en?back=/signup")
            let response = try await visitor.post("/signup", [("email", "not-an-email"), ("password", "short")])
            #expect(response.status == .unprocessableEntity)
            #expect(response.body.string.contains("This email address is not valid"))
            #expect(response.body.string.contains("at least 10 characters"))
        }
    }

    @Test func wrongPasswordsAreRefusedThenThrottled() async throws {
        try await withMaillage { app in
            _ = try await Visitor(app).signUp("lea@example.org", name: "Léa")
            let attacker = Visitor(app)
            try await attacker.get("/login")
            for _ in 0..<5 {
                let refused = try await attacker.post("/login", [("email", "lea@example.org"), ("password", "wrong password")])
                #expect(refused.status == .unauthorized)
                #expect(refused.body.string.contains("Adresse e-mail ou mot de passe incorrect"))
                #expect(refused.body.string.contains(#"value="lea@example.org""#))
            }
            let throttled = try await attacker.post("/login", [("email", "lea@example.org"), ("password", "un mot de passe solide")])
            #expect(throttled.status == .tooManyRequests, "even the right password waits once the limit is reached")
        }
    }

    @Test func loggingInGivesANewSessionIdAndLoggingOutEndsIt() async throws {
        try await withMaillage { app in
            _ = try await Visitor(app).signUp("lea@example.org", name: "Léa")
            let visitor = Visitor(app)
            try await visitor.get("/login")
            let before = visitor.cookie
            #expect(before != nil)
            try await visitor.logIn("lea@example.org", password: "un mot de passe solide")
            #expect(visitor.cookie != nil && visitor.cookie != before, "session fixation: the id changes at login")
            let planted = Visitor(app)
            planted.cookie = before
            let withOldID = try await planted.get("/account")
            #expect(withOldID.status == .seeOther, "the pre-login session id no longer opens the account")
            try await visitor.get("/account")
            let out = try await visitor.post("/logout", [])
            #expect(out.status == .seeOther)
            let after = try await visitor.get("/account")
            #expect(after.status == .seeOther)
            #expect(after.headers.first(name: .location)?.hasPrefix("/login") == true)
        }
    }

    @Test func theSessionCookieIsHttpOnlyAndSameSite() async throws {
        try await withMaillage { app in
            let response = try await app.testing().sendRequest(.GET, "/login")
            let header = response.headers.first(name: .setCookie) ?? ""
            #expect(header.contains("HttpOnly"))
            #expect(header.contains("SameSite=Lax"))
            #expect(!header.contains("Secure"), "Secure is only set behind TLS (SECURE_COOKIES)")
        }
    }

    @Test func anonymousBrowsingSetsNoCookie() async throws {
        try await withMaillage(demo: true) { app in
            for path in ["/", "/c/paniers-de-la-sevre", "/api/v1/directory", "/about/privacy"] {
                let response = try await app.testing().sendRequest(.GET, path)
                #expect(response.status == .ok, "\(path)")
                #expect(response.headers.first(name: .setCookie) == nil, "\(path) sets no cookie")
            }
        }
    }

    @Test func aFormPostedWithoutItsTokenIsRefused() async throws {
        try await withMaillage { app in
            let visitor = Visitor(app)
            try await visitor.get("/signup")
            let forged = try await visitor.post("/signup", [("email", "x@example.org"), ("password", "un mot de passe solide")], withToken: false)
            #expect(forged.status == .forbidden)
            let wrong = try await visitor.post("/signup", [("email", "x@example.org"), ("password", "un mot de passe solide"), ("_csrf", "forged")], withToken: false)
            #expect(wrong.status == .forbidden)
            #expect(try await User.query(on: app.db).count() == 0, "nothing was created")
        }
    }

    @Test func everyPageCarriesTheSecurityHeaders() async throws {
        try await withMaillage(demo: true) { app in
            for path in ["/", "/login", "/c/coursiers-nantais", "/api/v1/directory", "/nowhere"] {
                let response = try await app.testing().sendRequest(.GET, path)
                #expect(response.headers.first(name: "Content-Security-Policy")?.hasPrefix("default-src 'self'") == true, "\(path)")
                #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff")
                #expect(response.headers.first(name: "X-Frame-Options") == "DENY")
            }
        }
    }

    @Test func tokensAreStoredHashedUsableAndRevocable() async throws {
        try await withMaillage { app in
            let (visitor, api) = try await personWithToken(app, email: "lea@example.org", name: "Léa")
            let token = try #require(api.token)
            let me = try await api.send(.GET, "/api/v1/me")
            #expect(me.status == .ok)
            #expect(me.json["email"] as? String == "lea@example.org")
            let stored = try await AccessToken.query(on: app.db).all()
            #expect(stored.count == 1)
            #expect(stored[0].tokenHash != token && !stored[0].tokenHash.contains(token), "only a hash is stored")
            let list = try await visitor.get("/account")
            #expect(!list.body.string.contains(token), "the token is not shown again")
            // Revoking asks first, saying what stops; a post that did not come from the question changes nothing.
            let question = try await visitor.get("/account/tokens/\(try stored[0].requireID())/revoke")
            #expect(question.body.string.contains("perdent l’accès à votre compte aussitôt"))
            let unasked = try await visitor.post("/account/tokens/\(try stored[0].requireID())/revoke", [])
            #expect(unasked.headers.first(name: .location) == "/account/tokens/\(try stored[0].requireID())/revoke")
            #expect(try await api.send(.GET, "/api/v1/me").status == .ok)
            let revoked = try await visitor.post("/account/tokens/\(try stored[0].requireID())/revoke", [("confirmed", "yes")])
            #expect(revoked.status == .seeOther)
            #expect(try await visitor.get("/account").body.string.contains("révoqué"))
            let refused = try await api.send(.GET, "/api/v1/me")
            #expect(refused.status == .unauthorized)
            #expect(refused.errorCode == "unauthorized")
        }
    }

    /// A read-only token reads and changes nothing; a token past its expiry opens nothing.
    @Test func aReadOnlyTokenChangesNothingAndAnExpiredOneOpensNothing() async throws {
        try await withMaillage { app in
            let (visitor, _) = try await personWithToken(app, email: "lea@example.org", name: "Léa")
            let page = try await visitor.get("/account")
            #expect(page.body.string.contains(#"<option value="read" selected"#), "the form proposes read only first")
            let created = try await visitor.post("/account/tokens", [("name", "compta-2027"), ("scope", "read"), ("lifetime", "30")])
            let html = try await visitor.get(created.headers.first(name: .location) ?? "/account").body.string
            #expect(!(try await visitor.get("/account")).body.string.contains(#"id="new-token""#), "shown once")
            let secret = try #require(html.range(of: #"mlg_[A-Za-z0-9_-]+"#, options: .regularExpression).map { String(html[$0]) })
            let reader = APIClient(app: app, token: secret)
            #expect(try await reader.send(.GET, "/api/v1/me").status == .ok)
            let stored = try #require(try await AccessToken.query(on: app.db).filter(\.$name == "compta-2027").first())
            #expect(stored.scope == "read")
            let expiry = try #require(stored.expiresAt)
            #expect(abs(expiry.timeIntervalSinceNow - 30 * 86_400) < 120)

            let tokensBefore = try await AccessToken.query(on: app.db).filter(\.$revokedAt == nil).count()
            let first = try #require(try await AccessToken.query(on: app.db).filter(\.$name == "tests").first())
            let revoke = try await reader.send(.DELETE, "/api/v1/me/tokens/\(try first.requireID())")
            #expect(revoke.status == .forbidden)
            #expect(revoke.errorCode == "read_only_token")
            let created2 = try await reader.send(.POST, "/api/v1/cooperatives", json: #"{"name": "Par un jeton de lecture", "slug": "lecture"}"#)
            #expect(created2.status == .forbidden)
            #expect(try await AccessToken.query(on: app.db).filter(\.$revokedAt == nil).count() == tokensBefore, "nothing revoked")
            #expect(try await Cooperative.query(on: app.db).count() == 0, "nothing created")

            stored.expiresAt = Date().addingTimeInterval(-1)
            try await stored.save(on: app.db)
            let expired = try await reader.send(.GET, "/api/v1/me")
            #expect(expired.status == .unauthorized)
            let list = try await visitor.get("/account")
            #expect(!list.body.string.contains("compta-2027"), "an expired token is no longer listed as active")

            let refused = try await visitor.post("/account/tokens", [("name", "mon script"), ("scope", "admin"), ("lifetime", "3650")])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains(#"value="mon script""#), "what was typed is kept")
            #expect(refused.body.string.contains("Choisissez"), "each refused choice says what to do")
        }
    }

    /// A session ends thirty days after its login however busy it is: a stolen cookie does not
    /// live for ever by being used.
    @Test func aSessionEndsThirtyDaysAfterItsLogin() async throws {
        try await withMaillage(demo: true) { app in
            let visitor = Visitor(app)
            try await visitor.logIn("alice@demo.maillage.coop")
            #expect(try await visitor.get("/account").status == .ok)
            try await app.db.sql.update(DatabaseSessions.table).set("created_at", to: SQLBind(Date().addingTimeInterval(-31 * 86_400))).run()
            let later = try await visitor.get("/account")
            #expect(later.status == .seeOther && later.headers.first(name: .location)?.hasPrefix("/login") == true, "\(later.status)")
        }
    }

    /// Served over https, cookies are Secure and HSTS is on unless the operator says otherwise.
    @Test func anHttpsBaseURLMakesCookiesSecureByDefault() throws {
        let base = ["DATABASE_URL": ":memory:", "SESSION_SECRET": String(repeating: "s", count: 40)]
        #expect(try AppConfig.fromEnvironment(base.merging(["BASE_URL": "https://paniers.example.coop"]) { $1 }).secureCookies)
        #expect(try !AppConfig.fromEnvironment(base.merging(["BASE_URL": "http://127.0.0.1:8080"]) { $1 }).secureCookies)
        #expect(try !AppConfig.fromEnvironment(base.merging(["BASE_URL": "https://x.example", "SECURE_COOKIES": "false"]) { $1 }).secureCookies)
    }

    /// A post with no session token is refused before its body is read; a plain form is bounded
    /// well below the size of an upload. Over a real socket, where bodies stream.
    @Test func theFormCheckReadsNoBigBodyForNothing() async throws {
        try await withMaillage { app in
            try await withRunningServer(app) { base in
                let big = String(repeating: "x", count: 3 * 1024 * 1024)
                let anonymous = try await app.client.post(URI(string: base + "/login")) { request in
                    request.headers.contentType = .urlEncodedForm
                    request.body = ByteBuffer(string: "email=a%40b.c&password=" + big)
                }
                #expect(anonymous.status == .forbidden, "\(anonymous.status)")
                // With a session and its token, a plain form of 3 MB is too large (uploads are multipart).
                let page = try await app.client.get(URI(string: base + "/login"))
                let cookie = page.headers.setCookie?["maillage_session"]?.string ?? ""
                let html = page.body.map { String(buffer: $0) } ?? ""
                let token = html.range(of: #"name="_csrf" value="[^"]+""#, options: .regularExpression)
                    .map { String(html[$0]).replacingOccurrences(of: #"name="_csrf" value=""#, with: "").dropLast() }.map(String.init) ?? ""
                let tooBig = try await app.client.post(URI(string: base + "/login")) { request in
                    request.headers.contentType = .urlEncodedForm
                    request.headers.add(name: .cookie, value: "maillage_session=\(cookie)")
                    request.body = ByteBuffer(string: "_csrf=\(token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")&email=a%40b.c&password=" + big)
                }
                #expect(tooBig.status == .payloadTooLarge, "\(tooBig.status)")
            }
        }
    }

    @Test func theLanguageSwitcherIsRememberedAndSafe() async throws {
        try await withMaillage { app in
            let visitor = Visitor(app)
            let french = try await visitor.get("/login")
            #expect(french.body.string.contains("Se connecter"))
            let switched = try await visitor.get("/lang/en?back=/login")
            #expect(switched.headers.first(name: .location) == "/login")
            let english = try await visitor.get("/login")
            #expect(english.body.string.contains("Log in"))
            #expect(english.body.string.contains(#"<html lang="en""#))
            let missing = try await visitor.get("/no-such-page")
            #expect(missing.status == .notFound)
            #expect(missing.body.string.contains("Page not found"), "error pages follow the language chosen in the session")
            let offsite = try await visitor.get("/lang/fr?back=//evil.example")
            #expect(offsite.headers.first(name: .location) == "/", "no open redirect")
        }
    }

    /// Browsers strip tabs and line breaks from a URL: "/\t/evil.example" would be followed to
    /// another site. Neither the language switch nor the login's `next` sends anyone away.
    @Test(arguments: ["/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "\t//evil.example", "/\u{0000}/evil.example",
                      "https://evil.example", "/\\evil.example", "//evil.example/x"])
    func noRedirectLeavesTheSite(_ target: String) async throws {
        #expect(LanguageSwitch.safeReturnPath(target) == "/", "\(target.debugDescription)")
        try await withMaillage(demo: true) { app in
            let visitor = Visitor(app)
            let encoded = target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            let switched = try await visitor.get("/lang/fr?back=\(encoded)")
            #expect(switched.headers.first(name: .location) == "/")
            try await visitor.get("/login")
            let login = try await visitor.post("/login", [("email", "alice@demo.maillage.coop"), ("password", DemoTerritory.password), ("next", target)])
            let location = login.headers.first(name: .location) ?? ""
            #expect(login.status == .seeOther && location.hasPrefix("/") && !location.hasPrefix("//") && !location.contains("evil"), "\(location)")
        }
        #expect(LanguageSwitch.safeReturnPath("/c/paniers-de-la-sevre/votes?x=1") == "/c/paniers-de-la-sevre/votes?x=1", "a path of the site is kept")
    }

    /// The per-address limit counts the address the connection comes from: a forged
    /// X-Forwarded-For (no proxy is trusted by default) does not give each attempt a new one.
    @Test func aForgedForwardedForDoesNotEscapeTheLoginThrottle() async throws {
        try await withMaillage { app in
            let attacker = Visitor(app)
            try await attacker.get("/login")
            var statuses: [HTTPStatus] = []
            for index in 0..<31 {
                statuses.append(try await attacker.post("/login", [("email", "victime\(index)@example.org"), ("password", "wrong password")],
                                                        headers: ["X-Forwarded-For": "203.0.113.\(index)"]).status)
            }
            #expect(statuses.prefix(30).allSatisfy { $0 == .unauthorized })
            #expect(statuses.last == .tooManyRequests, "the 31st failure from one address waits")
        }
        // Behind a trusted proxy, the forwarded address is the client's.
        #expect(ClientAddress.resolve(direct: "10.0.0.2", forwardedFor: ["203.0.113.7, 10.0.0.3"], trusted: ["10.0.0.2", "10.0.0.3"]) == "203.0.113.7")
        #expect(ClientAddress.resolve(direct: "198.51.100.9", forwardedFor: ["203.0.113.7"], trusted: ["10.0.0.2"]) == "198.51.100.9")
        #expect(ClientAddress.resolve(direct: "10.0.0.2", forwardedFor: ["1.2.3.4, 203.0.113.7"], trusted: ["10.0.0.2"]) == "203.0.113.7",
                "a client-written address left of the proxy's is not believed")
    }

    /// Sign-up is throttled per address too, on the page and the API alike.
    @Test func signUpsFromOneAddressAreThrottled() async throws {
        try await withMaillage { app in
            let limit = app.maillage.signUpLimitPerHour
            #expect(limit == 10)
            for index in 0..<limit {
                let api = try await app.testing().sendRequest(.POST, "/api/v1/accounts", headers: ["Content-Type": "application/json"],
                    body: ByteBuffer(string: #"{"email": "voisin\#(index)@example.org", "password": "un mot de passe solide"}"#))
                #expect(api.status == .accepted, "\(api.body.string)")
            }
            let api = try await app.testing().sendRequest(.POST, "/api/v1/accounts", headers: ["Content-Type": "application/json"],
                body: ByteBuffer(string: #"{"email": "encore@example.org", "password": "un mot de passe solide"}"#))
            #expect(api.status == .tooManyRequests)
            let page = try await Visitor(app).signUp("page@example.org", name: "Page")
            #expect(page.status == .tooManyRequests)
        }
    }
}
