import Foundation
@testable import MaillageApp
import MaillageCore
import NIOCore
import Testing

@Suite struct SMTPConfigurationTests {
    @Test func smtpURLsGiveSecurityPortAndDecodedCredentials() throws {
        let submission = try SMTPConfiguration(url: "smtp://mailer%40example.org:p%40ss%3Aw%2Frd%20x@mail.example.org:587", from: "Maillage <no-reply@example.org>")
        #expect(submission.security == .startTLS)
        #expect(submission.host == "mail.example.org")
        #expect(submission.port == 587)
        #expect(submission.credentials == .init(user: "mailer@example.org", password: "p@ss:w/rd x"))
        #expect(submission.sender == (try MailAddress("no-reply@example.org", displayName: "Maillage")))
        #expect(submission.timeout == .seconds(30))
        #expect(!"\(submission.credentials!)".contains("p@ss"), "the password is never printed")

        let implicit = try SMTPConfiguration(url: "SMTPS://u:p@[::1]", from: "no-reply@example.org")
        #expect(implicit.security == .implicitTLS)
        #expect(implicit.host == "::1")
        #expect(implicit.port == 465)

        let relay = try SMTPConfiguration(url: "smtp://127.0.0.1:25/", from: "no-reply@example.org")
        #expect(relay.credentials == nil)
        #expect(relay.port == 25)
        #expect(try SMTPConfiguration(url: "smtp://localhost", from: "no-reply@example.org").port == 587)
    }

    @Test func unusableSettingsAreRefusedWithTheirName() {
        for url in ["http://mail.example.org", "mail.example.org:25", "smtp://", "smtp://user@mail.example.org", "smtp://mail.example.org/path",
                    "smtp://mail.example.org?tls=no", "smtp://mail.example.org:0"] {
            #expect(throws: SMTPConfiguration.Invalid.self, "\(url)") { try SMTPConfiguration(url: url, from: "no-reply@example.org") }
        }
        #expect(throws: SMTPConfiguration.Invalid.self) { try SMTPConfiguration(url: "smtp://h.example.org", from: "Maillage <not an address>") }
        #expect(throws: SMTPConfiguration.Invalid.self) { try SMTPConfiguration(url: "smtp://h.example.org", from: "a@example.org\r\nRCPT TO:<b@example.org>") }
    }

    @Test func theEnvironmentTurnsMailOnAndSaysWhatIsMissing() throws {
        #expect(try SMTPConfiguration.fromEnvironment([:]) == nil)
        #expect(try SMTPConfiguration.fromEnvironment(["SMTP_URL": " "]) == nil)
        #expect(throws: SMTPConfiguration.Invalid(description: "SMTP_URL is set but MAIL_FROM is not")) {
            try SMTPConfiguration.fromEnvironment(["SMTP_URL": "smtp://mail.example.org"])
        }
        #expect(throws: SMTPConfiguration.Invalid.self) {
            try SMTPConfiguration.fromEnvironment(["SMTP_URL": "smtp://mail.example.org", "MAIL_FROM": "a@example.org", "SMTP_CA_FILE": "no-such-file.pem"])
        }
        #expect(throws: SMTPConfiguration.Invalid.self) {
            try SMTPConfiguration.fromEnvironment(["SMTP_URL": "smtp://mail.example.org", "MAIL_FROM": "a@example.org", "SMTP_TIMEOUT_SECONDS": "0"])
        }
        let configuration = try #require(try SMTPConfiguration.fromEnvironment(
            ["SMTP_URL": "smtps://u:p@mail.example.org", "MAIL_FROM": "Maillage <no-reply@example.org>", "SMTP_TIMEOUT_SECONDS": "5"]))
        #expect(configuration.timeout == .seconds(5))
        #expect(configuration.security == .implicitTLS)
    }

    @Test func aTrustFileWithoutCertificatesIsRefused() throws {
        let directory = try SMTPTestTools.temporaryDirectory("maillage-smtp-ca")
        defer { try? FileManager.default.removeItem(at: directory) }
        let empty = directory.appendingPathComponent("empty.pem")
        try Data("not a certificate\n".utf8).write(to: empty)
        let configuration = try SMTPConfiguration(url: "smtp://mail.example.org", from: "a@example.org", extraTrustRootsFile: empty.path)
        #expect(throws: SMTPConfiguration.Invalid.self) { try SMTPClient(configuration) }
    }
}

/// The client against a real SMTP server (aiosmtpd, `scripts/smtp-test-server`) on loopback.
@Suite(.enabled(if: SMTPTestTools.python != nil, "needs a python3 with aiosmtpd, or MAILLAGE_SMTP_PYTHON"))
struct SMTPClientTests {
    static let user = "maillage"
    static let password = "mot de passe: été@42"

    static func message(subject: String = "Your order is ready", text: String = "Hello,\n\nSee you soon.\n",
                        html: String? = "<p>Hello,</p>\n<p>See you soon.</p>\n") throws -> MailMessage {
        let from = try MailAddress("no-reply@example.org", displayName: "Les Paniers de la Sèvre")
        return MailMessage(from: from, to: [try MailAddress("amelie@example.org", displayName: "Amélie Poulain")], subject: subject,
                           text: text, html: html, language: .fr,
                           messageID: MailMessage.messageID(unique: "test.\(UUID().uuidString.lowercased())", from: from), date: Date())
    }

    /// A client for the test server: the password percent-encoded in the URL as an operator writes it.
    static func client(_ scheme: String = "smtp", host: String = "localhost", port: Int, password: String? = nil,
                       trust certificate: String? = nil, timeout: TimeAmount = .seconds(15)) throws -> SMTPClient {
        let credentials = password.map { "\(user):\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)@" } ?? ""
        return try SMTPClient(SMTPConfiguration(url: "\(scheme)://\(credentials)\(host):\(port)", from: "Maillage <no-reply@example.org>",
                                                extraTrustRootsFile: certificate, timeout: timeout))
    }

    static func failure(_ send: () async throws(SMTPError) -> Void) async -> SMTPError? {
        do throws(SMTPError) {
            try await send()
            return nil
        } catch {
            return error
        }
    }

    /// Sends `message` through a plain server on loopback and reads what arrived.
    static func roundTrip(_ message: MailMessage) async throws -> (SMTPTestTools.ReadMail, raw: String) {
        let server = try await SMTPTestServer.start()
        defer { server.stop() }
        try await client(host: "127.0.0.1", port: server.port).send(message)
        let file = try #require(server.messages().first)
        let raw = try String(contentsOf: file, encoding: .utf8)
        return (try await SMTPTestTools.read(file), raw)
    }

    @Test func plainOnLoopbackWithoutCredentials() async throws {
        let server = try await SMTPTestServer.start()
        defer { server.stop() }
        let message = try Self.message()
        try await Self.client(host: "127.0.0.1", port: server.port).send(message)
        let received = server.messages()
        #expect(received.count == 1)
        let envelope = try server.envelope(of: try #require(received.first))
        #expect(envelope.sender == "no-reply@example.org")
        #expect(envelope.recipients == ["amelie@example.org"])
        #expect(!envelope.tls)
        #expect(envelope.login == nil)
        let mail = try await SMTPTestTools.read(try #require(received.first))
        #expect(mail.messageID == "<\(message.messageID)>")
        #expect(mail.subject == "Your order is ready")
        #expect(mail.defects.isEmpty, "\(mail.defects)")
    }

    @Test func heloWhenEHLOIsRefused() async throws {
        let server = try await SMTPTestServer.start(["--refuse-ehlo"])
        defer { server.stop() }
        try await Self.client(host: "127.0.0.1", port: server.port).send(Self.message())
        #expect(server.messages().count == 1)
    }

    @Test(.enabled(if: SMTPTestTools.hasOpenSSL, "needs openssl"))
    func startTLSThenAuthPlain() async throws {
        let server = try await SMTPTestServer.start(tls: .startTLS, ["--auth", "\(Self.user):\(Self.password)"])
        defer { server.stop() }
        try await Self.client(port: server.port, password: Self.password, trust: server.certificate).send(Self.message())
        let envelope = try server.envelope(of: try #require(server.messages().first))
        #expect(envelope.tls)
        #expect(envelope.login == Self.user)
    }

    @Test(.enabled(if: SMTPTestTools.hasOpenSSL, "needs openssl"))
    func startTLSThenAuthLoginWhenOnlyThatIsOffered() async throws {
        let server = try await SMTPTestServer.start(tls: .startTLS, ["--auth", "\(Self.user):\(Self.password)", "--auth-mechanism", "LOGIN"])
        defer { server.stop() }
        try await Self.client(port: server.port, password: Self.password, trust: server.certificate).send(Self.message())
        let envelope = try server.envelope(of: try #require(server.messages().first))
        #expect(envelope.tls)
        #expect(envelope.login == Self.user)
    }

    @Test(.enabled(if: SMTPTestTools.hasOpenSSL, "needs openssl"))
    func startTLSWithoutCredentialsStillEncrypts() async throws {
        let server = try await SMTPTestServer.start(tls: .startTLS)
        defer { server.stop() }
        try await Self.client(port: server.port, trust: server.certificate).send(Self.message())
        #expect(try server.envelope(of: try #require(server.messages().first)).tls)
    }

    @Test(.enabled(if: SMTPTestTools.hasOpenSSL, "needs openssl"))
    func implicitTLSOnAnAddress() async throws {
        let server = try await SMTPTestServer.start(tls: .smtps, ["--auth", "\(Self.user):\(Self.password)"])
        defer { server.stop() }
        // By address: the certificate's IP address is what is checked.
        try await Self.client("smtps", host: "127.0.0.1", port: server.port, password: Self.password, trust: server.certificate).send(Self.message())
        let envelope = try server.envelope(of: try #require(server.messages().first))
        #expect(envelope.tls)
        #expect(envelope.login == Self.user)
    }

    @Test(.enabled(if: SMTPTestTools.hasOpenSSL, "needs openssl"))
    func aWrongPasswordIsAPermanentAuthenticationFailure() async throws {
        let server = try await SMTPTestServer.start(tls: .startTLS, ["--auth", "\(Self.user):\(Self.password)"])
        defer { server.stop() }
        let client = try Self.client(port: server.port, password: "not the password", trust: server.certificate)
        let message = try Self.message()
        let error = try #require(await Self.failure { () async throws(SMTPError) in try await client.send(message) })
        #expect(error.step == .authentication)
        #expect(error.reply?.code == 535)
        #expect(error.isPermanent)
        #expect(server.messages().isEmpty)
    }

    @Test(.enabled(if: SMTPTestTools.hasOpenSSL, "needs openssl"))
    func anUntrustedCertificateIsRefused() async throws {
        let server = try await SMTPTestServer.start(tls: .startTLS, ["--auth", "\(Self.user):\(Self.password)"])
        defer { server.stop() }
        let client = try Self.client(port: server.port, password: Self.password)
        let message = try Self.message()
        let error = try #require(await Self.failure { () async throws(SMTPError) in try await client.send(message) })
        #expect(error.step == .tlsHandshake)
        guard case .tls = error.failure else {
            Issue.record("expected a TLS failure, got \(error)")
            return
        }
        #expect(!error.isPermanent, "the operators fix the trust; the message waits")
        #expect(server.messages().isEmpty)
    }

    @Test(.enabled(if: SMTPTestTools.hasOpenSSL, "needs openssl"))
    func aTrustedCertificateForAnotherNameIsRefused() async throws {
        let server = try await SMTPTestServer.start(tls: .smtpsForAnotherHost)
        defer { server.stop() }
        let client = try Self.client("smtps", port: server.port, trust: server.certificate)
        let message = try Self.message()
        let error = try #require(await Self.failure { () async throws(SMTPError) in try await client.send(message) })
        #expect(error.step == .tlsHandshake)
        #expect(server.messages().isEmpty)
    }

    @Test func credentialsAreNeverSentWithoutTLS() async throws {
        // This server offers AUTH in clear and no STARTTLS.
        let server = try await SMTPTestServer.start(["--auth", "\(Self.user):\(Self.password)"])
        defer { server.stop() }
        let client = try Self.client(host: "127.0.0.1", port: server.port, password: Self.password)
        let message = try Self.message()
        let error = try #require(await Self.failure { () async throws(SMTPError) in try await client.send(message) })
        #expect(error.step == .startTLS)
        guard case .startTLSUnavailable = error.failure else {
            Issue.record("expected STARTTLS to be missing, got \(error)")
            return
        }
        #expect(server.messages().isEmpty)
    }

    @Test func aReplyInjectedBeforeTLSIsNotBelieved() async throws {
        let server = try await SMTPTestServer.start(["--inject-after-starttls"])
        defer { server.stop() }
        let client = try Self.client(host: "127.0.0.1", port: server.port)
        let message = try Self.message()
        let error = try #require(await Self.failure { () async throws(SMTPError) in try await client.send(message) })
        switch (error.step, error.failure) {
        case (.startTLS, .protocolViolation): break
        // Should the injected reply come in a later read, it reaches TLS, which cannot read it.
        case (.tlsHandshake, .tls): break
        default: Issue.record("expected the injected reply to be refused, got \(error)")
        }
    }

    @Test func aRefusedRecipientIsPermanent() async throws {
        let server = try await SMTPTestServer.start(["--refuse-recipient", "nobody@example.org"])
        defer { server.stop() }
        var message = try Self.message()
        message.to.append(try MailAddress("nobody@example.org"))
        let client = try Self.client(host: "127.0.0.1", port: server.port)
        let error = try #require(await Self.failure { () async throws(SMTPError) in try await client.send(message) })
        #expect(error.step == .recipient("nobody@example.org"))
        #expect(error.reply?.code == 550)
        #expect(error.isPermanent)
        #expect(server.messages().isEmpty, "no message reaches some recipients only")
    }

    @Test func aSilentServerTimesOut() async throws {
        let server = try await SMTPTestServer.start(["--silent"])
        defer { server.stop() }
        let client = try Self.client(host: "127.0.0.1", port: server.port, timeout: .seconds(1))
        let message = try Self.message()
        let started = ContinuousClock.now
        let error = try #require(await Self.failure { () async throws(SMTPError) in try await client.send(message) })
        #expect(error.step == .greeting)
        guard case .timeout = error.failure else {
            Issue.record("expected a timeout, got \(error)")
            return
        }
        #expect(!error.isPermanent)
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test func aClosedPortIsATransientConnectionFailure() async throws {
        let server = try await SMTPTestServer.start()
        let port = server.port
        server.stop()
        try await Task.sleep(for: .milliseconds(300))
        let client = try Self.client(host: "127.0.0.1", port: port)
        let message = try Self.message()
        let error = try #require(await Self.failure { () async throws(SMTPError) in try await client.send(message) })
        #expect(error.step == .connect)
        #expect(!error.isPermanent)
    }

    @Test func accentsSurviveInSubjectBodiesAndNames() async throws {
        let subject = "Assemblée générale : convocation à la réunion d’été — ordre du jour, procurations et pièces jointes 🌻"
        let text = "Bonjour Amélie,\n\nL’assemblée générale se tiendra à la Maison des Sœurs, salle « Œuvre ».\nÀ bientôt, ça va être génial !\n"
        let html = "<p>Bonjour Amélie,</p>\n<p>L’assemblée générale se tiendra à la Maison des Sœurs, salle « Œuvre ».</p>\n"
        let message = try Self.message(subject: subject, text: text, html: html)
        let (mail, raw) = try await Self.roundTrip(message)
        #expect(raw.unicodeScalars.allSatisfy { $0.isASCII }, "sent as 7-bit")
        #expect(mail.subject == subject)
        #expect(mail.fromName == "Les Paniers de la Sèvre")
        #expect(mail.fromAddress == "no-reply@example.org")
        #expect(mail.toNames == ["Amélie Poulain"])
        #expect(mail.to == ["amelie@example.org"])
        #expect(mail.messageID == "<\(message.messageID)>")
        #expect(mail.contentLanguage == "fr")
        #expect(mail.text.map(Self.unixLines) == text)
        #expect(mail.html.map(Self.unixLines) == html)
        #expect(mail.defects.isEmpty, "\(mail.defects)")
    }

    @Test func aLineStartingWithADotSurvives() async throws {
        let text = ".\n.hidden line\n..two dots\nmiddle\n.\nend\n"
        let html = ".<p>first</p>\n.\n<p>last</p>\n"
        let (mail, raw) = try await Self.roundTrip(try Self.message(text: text, html: html))
        #expect(raw.contains("\r\n.hidden line\r\n"), "the server took off the dot the client added")
        #expect(mail.text.map(Self.unixLines) == text)
        #expect(mail.html.map(Self.unixLines) == html)
    }

    @Test func aLongLineIsWrappedAndComesBackWhole() async throws {
        let long = (0..<500).map { "mot\($0)" }.joined() + " " + String(repeating: "é", count: 700) + " " + (0..<300).map { "w\($0)" }.joined(separator: " ")
        let text = "Avant\n" + long + "\nAprès\n"
        let html = "<p>" + long + "</p>\n"
        let subject = (0..<40).map { "mot\($0)" }.joined(separator: " ")
        let (mail, raw) = try await Self.roundTrip(try Self.message(subject: subject, text: text, html: html))
        let lines = raw.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 78 }, "longest line \(lines.map(\.utf8.count).max() ?? 0)")
        #expect(mail.subject == subject)
        #expect(mail.text.map(Self.unixLines) == text)
        #expect(mail.html.map(Self.unixLines) == html)
    }

    /// The parts travel with CRLF line ends; Python's reader may hand them back either way.
    static func unixLines(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n")
    }
}
