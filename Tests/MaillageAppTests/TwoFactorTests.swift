import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

/// A person who enrolled a second factor, as the tests drive them.
struct Enrolled {
    var secret: String
    var recoveryCodes: [String]
    var otp: OneTimePassword { OneTimePassword(secret: Base32.decode(secret)!, hmac: TwoFactor.hmac) }
    func code(stepsFromNow offset: Int64 = 0) -> String { otp.totp(at: TwoFactor.now() + offset * 30) }
}

extension Visitor {
    /// Scans nothing: reads the key shown as text, computes the code, confirms, reads the recovery codes.
    func enrolTwoFactor() async throws -> Enrolled {
        try await get("/account/two-factor")
        let started = try await post("/account/two-factor/start", [])
        #expect(started.status == .seeOther, "\(started.body.string.prefix(2000))")
        let setup = try await get("/account/two-factor/setup").body.string
        #expect(setup.contains("role=\"img\""), "the QR code is drawn with an accessible name")
        let grouped = try #require(setup.firstMatch(of: /id="two-factor-secret">([A-Z2-7 ]+)</)?.1)
        let secret = grouped.replacingOccurrences(of: " ", with: "")
        let enrolled = Enrolled(secret: secret, recoveryCodes: [])
        let confirmed = try await post("/account/two-factor/confirm", [("code", enrolled.code())])
        #expect(confirmed.status == .seeOther)
        let page = try await get("/account/two-factor/recovery-codes").body.string
        let codes = page.matches(of: /<li><code>([a-z2-9]{5}-[a-z2-9]{5})<\/code><\/li>/).map { String($0.1) }
        #expect(codes.count == 10)
        return Enrolled(secret: secret, recoveryCodes: codes)
    }

    /// The password step: 303 to the code page for a person with a second factor, which is then
    /// opened as a browser would (its form carries the new session's token).
    func passwordStep(_ email: String, password: String = DemoTerritory.password, cookies extra: String? = nil) async throws -> TestingHTTPResponse {
        let response = try await passwordPost(email, password: password, cookies: extra)
        if let next = response.headers.first(name: .location), response.status == .seeOther { try await get(next) }
        return response
    }

    private func passwordPost(_ email: String, password: String, cookies extra: String?) async throws -> TestingHTTPResponse {
        try await get("/login")
        guard let extra else { return try await post("/login", [("email", email), ("password", password)]) }
        // A browser sends its other cookies (a trusted device's) beside the session's.
        let body = [("email", email), ("password", password), ("_csrf", csrf ?? "")].map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        let response = try await app.testing().sendRequest(.POST, "/login", headers: [
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": "maillage_session=\(cookie ?? ""); \(extra)"], body: ByteBuffer(string: body))
        if let set = response.headers.setCookie?["maillage_session"] { cookie = set.string }
        return response
    }
}

@Suite("Two-factor authentication", .serialized)
struct TwoFactorTests {
    /// RFC 6238 appendix B, the SHA-1 rows (8 digits, secret "12345678901234567890").
    @Test func timeCodesFollowRFC6238AppendixB() {
        let otp = OneTimePassword(secret: Array("12345678901234567890".utf8), digits: 8, hmac: TwoFactor.hmac)
        let rows: [(Int64, String)] = [(59, "94287082"), (1_111_111_109, "07081804"), (1_111_111_111, "14050471"),
                                       (1_234_567_890, "89005924"), (2_000_000_000, "69279037"), (20_000_000_000, "65353130")]
        for (time, code) in rows { #expect(otp.totp(at: time) == code, "T = \(time)") }
        // RFC 4226 appendix D through the real HMAC too.
        let hotp = OneTimePassword(secret: Array("12345678901234567890".utf8), hmac: TwoFactor.hmac)
        #expect((0..<10).map { hotp.hotp(counter: UInt64($0)) } ==
                ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"])
    }

    @Test func enrollingAsksForAFirstCodeAndShowsTheRecoveryCodesOnce() async throws {
        try await withMaillage { app in
            let lea = Visitor(app)
            _ = try await lea.signUp("lea@example.org", name: "Léa")
            #expect(try await lea.get("/account").body.string.contains("Activer la double authentification"))
            #expect(try await lea.get("/account/two-factor").status == .ok)
            #expect(try await lea.post("/account/two-factor/start", []).status == .seeOther)
            let setup = try await lea.get("/account/two-factor/setup").body.string
            #expect(setup.contains("<svg") && setup.contains("aria-label=\"Code QR"))
            let wrong = try await lea.post("/account/two-factor/confirm", [("code", "123456")])
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.body.string.contains("Ce code ne convient pas"))
            #expect(wrong.body.string.contains("value=\"123456\""), "what was typed is kept")
            #expect(try await TwoFactor.isEnabled(for: try #require(try await userID(app, "lea@example.org")), on: app.db) == false)

            let grouped = try #require(setup.firstMatch(of: /id="two-factor-secret">([A-Z2-7 ]+)</)?.1)
            #expect(grouped.split(separator: " ").allSatisfy { $0.count <= 4 }, "the key is shown in groups of four")
            let enrolled = Enrolled(secret: grouped.replacingOccurrences(of: " ", with: ""), recoveryCodes: [])
            #expect(try await lea.post("/account/two-factor/confirm", [("code", enrolled.code())]).status == .seeOther)
            let codes = try await lea.get("/account/two-factor/recovery-codes")
            #expect(codes.body.string.matches(of: /<li><code>[a-z2-9]{5}-[a-z2-9]{5}<\/code><\/li>/).count == 10)
            #expect(try await lea.get("/account/two-factor/recovery-codes").status == .seeOther, "shown once")
            // Stored: the secret sealed, the recovery codes as fingerprints.
            struct Row: Decodable { var secret: String }
            let stored = try #require(try await app.db.sql.select().column("secret").from(TwoFactorTables.secrets).first(decoding: Row.self))
            #expect(!stored.secret.contains(enrolled.secret))
            let hashes = try await app.db.sql.select().column("code_hash").from(TwoFactorTables.recoveryCodes).all()
            #expect(hashes.count == 10)
            #expect(try await lea.get("/account").body.string.contains("Activée"))
        }
    }

    @Test func loginAsksForTheCodeAndEachCodeOpensOnce() async throws {
        try await withMaillage { app in
            let lea = Visitor(app)
            _ = try await lea.signUp("lea@example.org", name: "Léa")
            let enrolled = try await lea.enrolTwoFactor()
            let id = try #require(try await userID(app, "lea@example.org"))

            let browser = Visitor(app)
            let first = try await browser.passwordStep("lea@example.org", password: "un mot de passe solide")
            #expect(first.headers.first(name: .location) == "/login/code")
            #expect(try await browser.get("/account").status == .seeOther, "not signed in before the code")
            // The code used to enrol is spent: the same code again is refused.
            struct Last: Decodable { var last_step: Int64 }
            let spent = try #require(try await app.db.sql.select().column("last_step").from(TwoFactorTables.secrets).first(decoding: Last.self)).last_step
            let again = try await browser.post("/login/code", [("code", enrolled.otp.hotp(counter: UInt64(spent)))])
            #expect(again.status == .unauthorized)
            #expect(again.body.string.contains("Ce code ne convient pas"))
            // A code one step old passes when no later one was used; two steps old never. (Not in
            // a step's last seconds: the server must read the same step the codes were made in.)
            while TwoFactor.now() % 30 >= 27 { try await Task.sleep(for: .milliseconds(250)) }
            try await setLastStep(app, id, enrolled.otp.step(at: TwoFactor.now()) - 3)
            #expect(try await browser.post("/login/code", [("code", enrolled.code(stepsFromNow: -2))]).status == .unauthorized)
            let passed = try await browser.post("/login/code", [("code", enrolled.code(stepsFromNow: -1))])
            #expect(passed.status == .seeOther)
            #expect(passed.headers.first(name: .location) == "/account")
            #expect(try await browser.get("/account").status == .ok)
            try await clearAttempts(app)

            // A recovery code works once.
            let other = Visitor(app)
            _ = try await other.passwordStep("lea@example.org", password: "un mot de passe solide")
            #expect(try await other.post("/login/code", [("code", enrolled.recoveryCodes[0].uppercased())]).status == .seeOther)
            let third = Visitor(app)
            _ = try await third.passwordStep("lea@example.org", password: "un mot de passe solide")
            #expect(try await third.post("/login/code", [("code", enrolled.recoveryCodes[0])]).status == .unauthorized)
            #expect(try await TwoFactor.recoveryCodesLeft(of: id, on: app.db) == 9)
        }
    }

    @Test func wrongCodesAreThrottledLikePasswords() async throws {
        try await withMaillage { app in
            let lea = Visitor(app)
            _ = try await lea.signUp("lea@example.org", name: "Léa")
            let enrolled = try await lea.enrolTwoFactor()
            let browser = Visitor(app)
            _ = try await browser.passwordStep("lea@example.org", password: "un mot de passe solide")
            for _ in 0..<5 { #expect(try await browser.post("/login/code", [("code", "000000")]).status == .unauthorized) }
            try await setLastStep(app, try #require(try await userID(app, "lea@example.org")), nil)
            let blocked = try await browser.post("/login/code", [("code", enrolled.code())])
            #expect(blocked.status == .tooManyRequests, "even the right code waits")
            // The right password again does not wipe the count of wrong codes.
            let again = Visitor(app)
            #expect(try await again.passwordStep("lea@example.org", password: "un mot de passe solide").headers.first(name: .location) == "/login/code")
            #expect(try await again.post("/login/code", [("code", enrolled.code())]).status == .tooManyRequests)
        }
    }

    @Test func aTrustedDeviceSkipsTheCodeUntilRevoked() async throws {
        try await withMaillage { app in
            let lea = Visitor(app)
            _ = try await lea.signUp("lea@example.org", name: "Léa")
            let enrolled = try await lea.enrolTwoFactor()
            let id = try #require(try await userID(app, "lea@example.org"))
            try await setLastStep(app, id, nil)
            let browser = Visitor(app)
            _ = try await browser.passwordStep("lea@example.org", password: "un mot de passe solide")
            let trusted = try await browser.post("/login/code", [("code", enrolled.code()), ("trust", "yes")])
            #expect(trusted.status == .seeOther)
            let token = try #require(trusted.headers.setCookie?[TwoFactor.trustCookie]?.string)
            #expect(trusted.headers.setCookie?[TwoFactor.trustCookie]?.isHTTPOnly == true)

            let later = Visitor(app)
            let skipped = try await later.passwordStep("lea@example.org", password: "un mot de passe solide", cookies: "\(TwoFactor.trustCookie)=\(token)")
            #expect(skipped.headers.first(name: .location) == "/account", "no code on a trusted device")
            #expect(try await later.get("/account/two-factor").body.string.contains("Appareils de confiance"))
            let devices = try await TwoFactor.trustedDevices(of: id, on: app.db)
            #expect(devices.count == 1)
            #expect(try await later.post("/account/two-factor/devices/\(devices[0].id)/revoke", [("confirmed", "yes")]).status == .seeOther)

            let afterRevoke = Visitor(app)
            let asked = try await afterRevoke.passwordStep("lea@example.org", password: "un mot de passe solide", cookies: "\(TwoFactor.trustCookie)=\(token)")
            #expect(asked.headers.first(name: .location) == "/login/code")
        }
    }

    @Test func changingThePasswordForgetsTrustedDevices() async throws {
        try await withMaillage { app in
            let lea = Visitor(app)
            _ = try await lea.signUp("lea@example.org", name: "Léa")
            _ = try await lea.enrolTwoFactor()
            let id = try #require(try await userID(app, "lea@example.org"))
            _ = try await TwoFactor.trust(id, label: "Firefox · Linux", on: app.db)
            #expect(try await TwoFactor.trustedDevices(of: id, on: app.db).count == 1)
            let changed = try await lea.post("/account/password", [("current_password", "un mot de passe solide"),
                                                                   ("password", "un autre mot de passe"), ("password_again", "un autre mot de passe")])
            #expect(changed.status == .seeOther)
            #expect(try await TwoFactor.trustedDevices(of: id, on: app.db).isEmpty)
        }
    }

    @Test func turningItOffAsksForACode() async throws {
        try await withMaillage { app in
            let lea = Visitor(app)
            _ = try await lea.signUp("lea@example.org", name: "Léa")
            let enrolled = try await lea.enrolTwoFactor()
            let id = try #require(try await userID(app, "lea@example.org"))
            _ = try await TwoFactor.trust(id, label: "Firefox · Linux", on: app.db)
            #expect(try await lea.get("/account/two-factor/disable").body.string.contains("Avant de confirmer"))
            #expect(try await lea.post("/account/two-factor/disable", [("code", enrolled.recoveryCodes[1])]).status == .seeOther,
                    "without the confirmation it is only the question")
            #expect(try await TwoFactor.isEnabled(for: id, on: app.db))
            let wrong = try await lea.post("/account/two-factor/disable", [("confirmed", "yes"), ("code", "000000")])
            #expect(wrong.status == .unprocessableEntity)
            #expect(try await TwoFactor.isEnabled(for: id, on: app.db))
            #expect(try await lea.post("/account/two-factor/disable", [("confirmed", "yes"), ("code", enrolled.recoveryCodes[1])]).status == .seeOther)
            #expect(try await TwoFactor.isEnabled(for: id, on: app.db) == false)
            #expect(try await TwoFactor.trustedDevices(of: id, on: app.db).isEmpty)
            #expect(try await TwoFactor.recoveryCodesLeft(of: id, on: app.db) == 0)
            let browser = Visitor(app)
            #expect(try await browser.passwordStep("lea@example.org", password: "un mot de passe solide").headers.first(name: .location) == "/account")
        }
    }

    @Test func aForgottenPasswordLinkDoesNotSkipTheCode() async throws {
        try await withMaillage { app in
            let lea = Visitor(app)
            _ = try await lea.signUp("lea@example.org", name: "Léa")
            _ = try await lea.enrolTwoFactor()
            let stranger = Visitor(app)
            try await stranger.get("/password/forgot")
            _ = try await stranger.post("/password/forgot", [("email", "lea@example.org")])
            let link = try #require(try await stranger.lastMailLink(to: "lea@example.org", subject: "Choisir"))
            try await stranger.get(link)
            let reset = try await stranger.post(link, [("password", "un autre mot de passe"), ("password_again", "un autre mot de passe")])
            #expect(reset.headers.first(name: .location) == "/login/code")
            #expect(try await stranger.get("/account").status == .seeOther)
        }
    }

    @Test func aBoardThatRequiresItSendsItsStaffToEnrolAtTheirNextLogin() async throws {
        try await withMaillage(demo: true) { app in
            let alice = Visitor(app)
            try await alice.logIn("alice@demo.maillage.coop")
            #expect(try await alice.get("/c/paniers-de-la-sevre/manage").body.string.contains("/c/paniers-de-la-sevre/security"))
            #expect(try await alice.get("/c/paniers-de-la-sevre/security").body.string.contains("David"))
            #expect(try await alice.post("/c/paniers-de-la-sevre/security", [("required", "yes")]).status == .seeOther)
            // A plain member may not change it.
            let chloe = Visitor(app)
            try await chloe.logIn("chloe@demo.maillage.coop")
            #expect(try await chloe.post("/c/paniers-de-la-sevre/security", [("required", "")]).status == .forbidden)
            #expect(try await chloe.get("/c/paniers-de-la-sevre").status == .ok, "members are not concerned")

            let david = Visitor(app)
            let login = try await david.passwordStep("david@demo.maillage.coop")
            #expect(login.headers.first(name: .location) == "/account/two-factor")
            let manage = try await david.get("/c/paniers-de-la-sevre/manage")
            #expect(manage.status == .seeOther)
            #expect(manage.headers.first(name: .location) == "/account/two-factor", "no board or staff page before enrolling")
            let page = try await david.get("/account/two-factor").body.string
            #expect(page.contains("La coopérative Les Paniers de la Sèvre demande"))
            #expect(!page.contains("Revenir à mon compte"), "no way around it")
            _ = try await david.enrolTwoFactor()
            #expect(try await david.get("/c/paniers-de-la-sevre/manage").status == .ok)
            // Turning it off is refused while the cooperative asks for it.
            #expect(try await david.get("/account/two-factor").body.string.contains("Désactiver la double authentification…") == false)
        }
    }

    @Test func newRecoveryCodesReplaceTheOldOnes() async throws {
        try await withMaillage { app in
            let lea = Visitor(app)
            _ = try await lea.signUp("lea@example.org", name: "Léa")
            let enrolled = try await lea.enrolTwoFactor()
            #expect(try await lea.get("/account/two-factor/recovery-codes/renew").body.string.contains("cessent de fonctionner"))
            #expect(try await lea.post("/account/two-factor/recovery-codes/renew", []).status == .seeOther, "the question first")
            #expect(try await lea.post("/account/two-factor/recovery-codes/renew", [("confirmed", "yes")]).status == .seeOther)
            let page = try await lea.get("/account/two-factor/recovery-codes").body.string
            let fresh = page.matches(of: /<li><code>([a-z2-9]{5}-[a-z2-9]{5})<\/code><\/li>/).map { String($0.1) }
            #expect(fresh.count == 10 && Set(fresh).isDisjoint(with: enrolled.recoveryCodes))
            let browser = Visitor(app)
            _ = try await browser.passwordStep("lea@example.org", password: "un mot de passe solide")
            #expect(try await browser.post("/login/code", [("code", enrolled.recoveryCodes[0])]).status == .unauthorized, "an old code")
            #expect(try await browser.post("/login/code", [("code", fresh[0])]).status == .seeOther, "a new one")
        }
    }

    @Test func twoLoginsWithTheSameCodeLetOneIn() async throws {
        try await withMaillage { app in
            let lea = Visitor(app)
            _ = try await lea.signUp("lea@example.org", name: "Léa")
            let enrolled = try await lea.enrolTwoFactor()
            try await setLastStep(app, try #require(try await userID(app, "lea@example.org")), nil)
            for code in [enrolled.code(), enrolled.recoveryCodes[2]] {
                var browsers: [Visitor] = []
                for _ in 0..<4 {
                    let browser = Visitor(app)
                    _ = try await browser.passwordStep("lea@example.org", password: "un mot de passe solide")
                    browsers.append(browser)
                }
                let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                    for browser in browsers { group.addTask { try await browser.post("/login/code", [("code", code)]).status } }
                    return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
                }
                #expect(statuses.filter { $0 == .seeOther }.count == 1, "one login per code: \(statuses)")
                #expect(statuses.filter { $0 == .unauthorized }.count == 3)
                try await clearAttempts(app)
            }
        }
    }

    @Test func erasureForgetsTheSecondFactor() async throws {
        try await withMaillage { app in
            let lea = Visitor(app)
            _ = try await lea.signUp("lea@example.org", name: "Léa")
            _ = try await lea.enrolTwoFactor()
            let user = try #require(try await User.query(on: app.db).filter(\.$email == "lea@example.org").first())
            _ = try await TwoFactor.trust(try user.requireID(), label: "Firefox · Linux", on: app.db)
            try await Erasure.erase(user, on: app.db)
            for table in [TwoFactorTables.secrets, TwoFactorTables.recoveryCodes, TwoFactorTables.trustedDevices] {
                #expect(try await app.db.sql.select().column("user_id").from(table).all().isEmpty, "\(table)")
            }
        }
    }

    func userID(_ app: Application, _ email: String) async throws -> UUID? {
        try await User.query(on: app.db).filter(\.$email == email).first()?.id
    }

    func setLastStep(_ app: Application, _ id: UUID, _ step: Int64?) async throws {
        try await app.db.sql.update(TwoFactorTables.secrets).set("last_step", to: step.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null)
            .where("user_id", .equal, SQLBind(id)).run()
    }

    func clearAttempts(_ app: Application) async throws {
        try await app.db.sql.delete(from: LoginAttempts.table).run()
    }
}
