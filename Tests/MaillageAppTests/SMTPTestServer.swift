import Foundation
import Testing

/// What the SMTP tests borrow from the machine: a Python with aiosmtpd for the real server
/// (`scripts/smtp-test-server`) and for reading received mail with Python's `email` package, and
/// openssl for certificates. Without them the tests show as skipped, so a fresh clone still runs
/// its suite.
enum SMTPTestTools {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let serverScript = repository.appendingPathComponent("scripts/smtp-test-server").path

    /// `MAILLAGE_SMTP_PYTHON` when set (then the tests run, and fail if it lacks aiosmtpd: a
    /// setting asked for is not skipped quietly), else `python3` when it imports aiosmtpd.
    static let python: String? = {
        if let chosen = ProcessInfo.processInfo.environment["MAILLAGE_SMTP_PYTHON"], !chosen.isEmpty { return chosen }
        return (try? run("python3", ["-c", "import aiosmtpd"]).status) == 0 ? "python3" : nil
    }()

    static let hasOpenSSL: Bool = (try? run("openssl", ["version"]).status) == 0

    struct Outcome {
        var status: Int32
        var output: String
        var errors: String
    }

    /// Runs a tool found on PATH and waits for it (call it through `offThePool` from async code).
    static func run(_ tool: String, _ arguments: [String]) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both before waiting: a full pipe would block the tool forever.
        let errorData = SharedBox<Data>()
        let readingErrors = DispatchGroup()
        readingErrors.enter()
        DispatchQueue.global().async {
            errorData.value = errors.fileHandleForReading.readDataToEndOfFile()
            readingErrors.leave()
        }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        readingErrors.wait()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
                       errors: String(decoding: errorData.value ?? Data(), as: UTF8.self))
    }

    /// Blocking work (a child process) on a Dispatch thread, not on one of the few threads that
    /// run every test's async code.
    static func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }

    static func temporaryDirectory(_ prefix: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Makes a self-signed certificate and its key in `directory`; returns their paths.
    static func makeCertificate(in directory: URL, commonName: String, alternativeNames: String) throws -> (certificate: String, key: String) {
        let certificate = directory.appendingPathComponent("certificate.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let outcome = try run("openssl", [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=\(commonName)",
            "-addext", "subjectAltName=\(alternativeNames)", "-keyout", key, "-out", certificate,
        ])
        guard outcome.status == 0 else { throw TestFailure("openssl failed: \(outcome.errors)") }
        return (certificate, key)
    }

    /// A received message read by Python's `email` package, as a mail program would read it.
    struct ReadMail: Decodable {
        var subject: String
        var fromName: String
        var fromAddress: String
        var to: [String]
        var toNames: [String]
        var messageID: String
        var contentLanguage: String?
        var date: String
        var text: String?
        var html: String?
        var defects: [String]
    }

    static func read(_ file: URL) async throws -> ReadMail {
        let python = try #require(Self.python)
        let program = """
        import email, email.policy, json, sys
        with open(sys.argv[1], 'rb') as f:
            m = email.message_from_binary_file(f, policy=email.policy.default)
        text, html = m.get_body(('plain',)), m.get_body(('html',))
        print(json.dumps({
            'subject': str(m['subject']),
            'fromName': m['from'].addresses[0].display_name,
            'fromAddress': m['from'].addresses[0].addr_spec,
            'to': [a.addr_spec for a in m['to'].addresses],
            'toNames': [a.display_name for a in m['to'].addresses],
            'messageID': str(m['message-id']),
            'contentLanguage': m['content-language'],
            'date': str(m['date']),
            'text': text.get_content() if text is not None else None,
            'html': html.get_content() if html is not None else None,
            'defects': [repr(d) for part in m.walk() for d in part.defects] + [repr(d) for h in m.values() for d in getattr(h, 'defects', [])],
        }))
        """
        let outcome = try await offThePool { try run(python, ["-c", program, file.path]) }
        guard outcome.status == 0 else { throw TestFailure("reading the mail failed: \(outcome.errors)") }
        return try JSONDecoder().decode(ReadMail.self, from: Data(outcome.output.utf8))
    }
}

struct TestFailure: Error, Sendable, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A value shared between threads, behind a lock.
final class SharedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value?
    var value: Value? {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

/// `scripts/smtp-test-server` running for one test, with the directory it writes mail into and,
/// for TLS, its own self-signed certificate; all of it removed by `stop()`.
final class SMTPTestServer: @unchecked Sendable {
    /// How the server speaks TLS, and the names its certificate carries.
    struct TLS {
        var option: String
        var commonName = "localhost"
        var alternativeNames = "DNS:localhost,IP:127.0.0.1"

        static let startTLS = TLS(option: "--starttls")
        static let smtps = TLS(option: "--smtps")
        /// For a host the tests never connect to by that name: the name check must refuse it.
        static let smtpsForAnotherHost = TLS(option: "--smtps", commonName: "mail.example.org", alternativeNames: "DNS:mail.example.org")
    }

    let port: Int
    let mailbox: URL
    /// The server's certificate (PEM), for a client to trust; nil without TLS.
    let certificate: String?
    private let process: Process
    private let input: Pipe
    private let directory: URL

    private init(port: Int, mailbox: URL, certificate: String?, process: Process, input: Pipe, directory: URL) {
        self.port = port
        self.mailbox = mailbox
        self.certificate = certificate
        self.process = process
        self.input = input
        self.directory = directory
    }

    /// Starts the server with the script's options (`--auth USER:PASS`…) and, when asked, TLS
    /// with a fresh certificate; waits for the port it prints.
    static func start(tls: TLS? = nil, _ options: [String] = []) async throws -> SMTPTestServer {
        let python = try #require(SMTPTestTools.python)
        let directory = try SMTPTestTools.temporaryDirectory("maillage-smtp-server")
        var options = options
        var certificate: String?
        if let tls {
            let made = try await SMTPTestTools.offThePool {
                try SMTPTestTools.makeCertificate(in: directory, commonName: tls.commonName, alternativeNames: tls.alternativeNames)
            }
            options += [tls.option, made.certificate, made.key]
            certificate = made.certificate
        }
        let mailbox = directory.appendingPathComponent("mailbox")
        let log = directory.appendingPathComponent("server.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // --stop-on-eof: the server ends with its standard input, so with this test process too.
        process.arguments = [python, SMTPTestTools.serverScript, mailbox.path] + options + ["--stop-on-eof"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        let started = SharedBox<Bool>()
        // A server that never says its port is stopped, which ends the read below.
        DispatchQueue.global().asyncAfter(deadline: .now() + 60) { if started.value != true { process.terminate() } }
        let line = try await SMTPTestTools.offThePool { () -> String in
            var bytes: [UInt8] = []
            while bytes.last != UInt8(ascii: "\n") {
                let chunk = output.fileHandleForReading.readData(ofLength: 1)
                if chunk.isEmpty { break }
                bytes += chunk
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        started.value = true
        guard let port = Int(line.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            let said = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            try? FileManager.default.removeItem(at: directory)
            throw TestFailure("the SMTP test server did not start: \(said)")
        }
        return SMTPTestServer(port: port, mailbox: mailbox, certificate: certificate, process: process, input: input, directory: directory)
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        if process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(at: directory)
    }

    /// The messages received so far, in order.
    func messages() -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: mailbox.path)) ?? []
        return names.filter { $0.hasSuffix(".eml") }.sorted { Int($0.dropLast(4)) ?? 0 < Int($1.dropLast(4)) ?? 0 }
            .map { mailbox.appendingPathComponent($0) }
    }

    struct Envelope: Decodable {
        var sender: String
        var recipients: [String]
        var tls: Bool
        var login: String?
        enum CodingKeys: String, CodingKey {
            case sender = "mail_from", recipients = "rcpt_tos", tls, login
        }
    }

    /// What the server knew of a message's delivery: envelope, encryption, login.
    func envelope(of message: URL) throws -> Envelope {
        let file = message.deletingPathExtension().appendingPathExtension("json")
        return try JSONDecoder().decode(Envelope.self, from: Data(contentsOf: file))
    }
}
