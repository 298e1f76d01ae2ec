import Foundation
import MaillageCore
import NIOCore

/// Where and how outgoing mail is sent, from the environment:
///
/// - `SMTP_URL`: `smtp://user:pass@host:587` connects in clear, then STARTTLS whenever the server
///   offers it, and always before credentials are sent (a server that does not offer it gets no
///   credentials); `smtps://user:pass@host:465` is TLS from the first byte. User and password are
///   percent-decoded (`%40` for an `@`). Ports default to 587 and 465. Without credentials and
///   without STARTTLS on offer, mail goes in clear: a relay on the same machine.
/// - `MAIL_FROM`: the sender, `Maillage <no-reply@example.org>`.
/// - `SMTP_CA_FILE`: a PEM file of certificate authorities trusted besides the system's, for a
///   server with a private certificate. Host names are checked either way.
/// - `SMTP_TIMEOUT_SECONDS`: how long to wait for the connection and for each reply (30).
struct SMTPConfiguration: Sendable {
    enum Security: Sendable, Equatable {
        /// `smtp://`: STARTTLS when offered, required for credentials.
        case startTLS
        /// `smtps://`: TLS from the first byte.
        case implicitTLS
    }

    struct Credentials: Sendable, Equatable, CustomStringConvertible {
        var user: String
        var password: String
        /// Never the password, should a configuration be logged.
        var description: String { "\(user):***" }
    }

    /// A setting that cannot be used, named in the message.
    struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        let description: String
    }

    var host: String
    var port: Int
    var security: Security
    var credentials: Credentials?
    var sender: MailAddress
    /// Path of a PEM file of extra trusted certificate authorities.
    var extraTrustRootsFile: String?
    var timeout: TimeAmount = .seconds(30)
    /// The name given in EHLO; nil uses this machine's name when it is a full domain name, else
    /// the connection's own address as an address literal (`[192.0.2.1]`), as RFC 5321 §4.1.4 asks.
    var helloName: String?

    init(url: String, from: String, extraTrustRootsFile: String? = nil, timeout: TimeAmount = .seconds(30)) throws(Invalid) {
        guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased() else {
            throw Invalid(description: "SMTP_URL is not a URL (smtp://user:pass@host:587 or smtps://user:pass@host:465)")
        }
        switch scheme {
        case "smtp": security = .startTLS
        case "smtps": security = .implicitTLS
        default: throw Invalid(description: "SMTP_URL must start with smtp:// or smtps://, not \(scheme)://")
        }
        guard var host = parts.host, !host.isEmpty else { throw Invalid(description: "SMTP_URL names no host") }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.host = host
        port = parts.port ?? (security == .implicitTLS ? 465 : 587)
        guard (1...65535).contains(port) else { throw Invalid(description: "SMTP_URL has no valid port") }
        guard parts.path.isEmpty || parts.path == "/", parts.query == nil, parts.fragment == nil else {
            throw Invalid(description: "SMTP_URL takes no path, query or fragment")
        }
        if let user = parts.user, !user.isEmpty {
            guard let password = parts.password, !password.isEmpty else {
                throw Invalid(description: "SMTP_URL names a user without a password")
            }
            credentials = Credentials(user: user, password: password)
        } else if parts.password != nil {
            throw Invalid(description: "SMTP_URL has a password without a user")
        }
        do {
            sender = try MailAddress(parsing: from)
        } catch {
            throw Invalid(description: "MAIL_FROM: \(error)")
        }
        self.extraTrustRootsFile = extraTrustRootsFile
        guard timeout > .zero else { throw Invalid(description: "the SMTP timeout must be positive") }
        self.timeout = timeout
    }

    /// The configuration the environment sets, or nil when `SMTP_URL` is not set (no mail is sent).
    static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws(Invalid) -> SMTPConfiguration? {
        func value(_ name: String) -> String? {
            environment[name].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        guard let url = value("SMTP_URL") else { return nil }
        guard let from = value("MAIL_FROM") else { throw Invalid(description: "SMTP_URL is set but MAIL_FROM is not") }
        var timeout = TimeAmount.seconds(30)
        if let seconds = value("SMTP_TIMEOUT_SECONDS") {
            guard let count = Int64(seconds), count > 0 else { throw Invalid(description: "SMTP_TIMEOUT_SECONDS must be a whole number of seconds above 0") }
            timeout = .seconds(count)
        }
        let caFile = value("SMTP_CA_FILE")
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            throw Invalid(description: "SMTP_CA_FILE \(caFile) cannot be read")
        }
        return try SMTPConfiguration(url: url, from: from, extraTrustRootsFile: caFile, timeout: timeout)
    }
}
