import Foundation
import MaillageCore

extension SafeFetcher.Policy {
    /// `SAFE_FETCH_ALLOW`: `address:port` pairs separated by commas (`[::1]:8081` for IPv6),
    /// for an operator whose partner runs on its own machine or network. nil when a pair is
    /// not an address and a port: a typo must stop the start, not widen or narrow silently.
    static func parse(_ text: String) -> Self? {
        var pairs: [(address: String, port: Int)] = []
        for item in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            guard let colon = item.lastIndex(of: ":"), let port = Int(item[item.index(after: colon)...]), (1...65_535).contains(port) else { return nil }
            var address = String(item[..<colon])
            if address.hasPrefix("[") && address.hasSuffix("]") { address = String(address.dropFirst().dropLast()) }
            guard IPAddress(dottedQuad: address) ?? IPAddress(ipv6: address) != nil else { return nil }
            pairs.append((address, port))
        }
        return allowing(pairs)
    }
}
