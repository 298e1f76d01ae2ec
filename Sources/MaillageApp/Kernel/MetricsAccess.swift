import Vapor

/// Who reads `/metrics`: what the instance does is for its operators, not the public. With
/// `METRICS_TOKEN` set, a scraper sends `Authorization: Bearer <token>` from anywhere; without
/// it, only a client on this machine (a local Prometheus, the benchmark) reads them.
enum MetricsAccess {
    static func allows(_ req: Request) -> Bool {
        if let token = req.application.maillage.metricsToken {
            guard let given = req.headers.bearerAuthorization?.token else { return false }
            // Compared as digests: equal length, and no early exit that times the prefix.
            return SHA256.hash(data: Data(given.utf8)) == SHA256.hash(data: Data(token.utf8))
        }
        guard let address = req.remoteAddress?.ipAddress else { return false }
        return address == "127.0.0.1" || address == "::1" || address.hasPrefix("::ffff:127.")
    }
}
