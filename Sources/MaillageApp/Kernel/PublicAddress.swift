import Vapor

/// The instance's public address, for absolute links in feeds and documents other platforms read.
enum PublicAddress {
    static func baseURL(_ req: Request) -> String {
        if let configured = req.application.maillage.baseURL { return configured }
        let host = req.headers.first(name: .host) ?? "127.0.0.1:8080"
        return "http://\(host)"
    }
}
