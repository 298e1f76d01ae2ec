import Vapor

/// The address of the person behind a request, for throttles. Forwarding headers
/// (`X-Forwarded-For`) are believed only when the request comes from a proxy the operator
/// names (`TRUSTED_PROXIES`); from anyone else they are whatever the client chose to write.
enum ClientAddress {
    static func of(_ req: Request) -> String {
        let direct = req.remoteAddress?.ipAddress ?? "unknown"
        return resolve(direct: direct, forwardedFor: req.headers[.xForwardedFor], trusted: req.application.maillage.trustedProxies)
    }

    /// Right to left through the chain each trusted proxy appended to: the first address no
    /// trusted proxy vouches for is the client.
    static func resolve(direct: String, forwardedFor: [String], trusted: Set<String>) -> String {
        guard trusted.contains(direct) else { return direct }
        let chain = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return chain.reversed().first { !trusted.contains($0) } ?? chain.first ?? direct
    }
}
