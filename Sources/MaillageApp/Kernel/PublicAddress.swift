import Fluent
import Vapor

/// The instance's public address, for absolute links in feeds and documents other platforms read.
enum PublicAddress {
    static func baseURL(_ req: Request) -> String {
        if let configured = req.application.maillage.baseURL { return configured }
        let host = req.headers.first(name: .host) ?? "127.0.0.1:8080"
        return "http://\(host)"
    }

    /// The same address where no request is at hand (a scheduled job, a mail written as it goes).
    static func baseURL(_ db: any Database) -> String {
        db.outboxPolicy?.publicBaseURL ?? "http://127.0.0.1:8080"
    }
}
