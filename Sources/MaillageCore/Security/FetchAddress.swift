/// An IPv4 or IPv6 address as numbers, so that where it leads is decided by arithmetic on its
/// bits rather than by reading its text, which has too many spellings ("127.1", "0x7f000001",
/// "::ffff:127.0.0.1" all name the loopback).
public enum IPAddress: Sendable, Hashable, CustomStringConvertible {
    case v4(UInt32)
    /// The 128 bits as two halves, most significant first.
    case v6(high: UInt64, low: UInt64)

    /// Only the canonical dotted quad: four decimal numbers 0–255 without leading zeros.
    public init?(dottedQuad text: some StringProtocol) {
        guard let value = Self.parseDottedQuad(text) else { return nil }
        self = .v4(value)
    }

    /// IPv6 text (RFC 4291 §2.2): up to eight groups of one to four hex digits, at most one
    /// `::`, and optionally a canonical dotted quad as the last 32 bits. No brackets, no zone.
    public init?(ipv6 text: some StringProtocol) {
        guard let (high, low) = Self.parseIPv6(String(text)) else { return nil }
        self = .v6(high: high, low: low)
    }

    /// From the bytes a resolver hands back: 4 for IPv4, 16 for IPv6, in network order.
    public init?(bytes: [UInt8]) {
        switch bytes.count {
        case 4:
            self = .v4(bytes.reduce(0) { $0 << 8 | UInt32($1) })
        case 16:
            let high = bytes[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let low = bytes[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            self = .v6(high: high, low: low)
        default:
            return nil
        }
    }

    /// The dotted quad, or the RFC 5952 form of IPv6 (lowercase, longest run of zeros as `::`).
    public var description: String {
        switch self {
        case .v4(let value):
            return (0..<4).map { String(value >> (24 - 8 * $0) & 0xff) }.joined(separator: ".")
        case .v6(let high, let low):
            let groups = (0..<4).map { UInt16(truncatingIfNeeded: high >> (48 - 16 * $0)) }
                + (0..<4).map { UInt16(truncatingIfNeeded: low >> (48 - 16 * $0)) }
            var best: (start: Int, length: Int) = (0, 0)
            var index = 0
            while index < 8 {
                guard groups[index] == 0 else { index += 1; continue }
                var end = index
                while end < 8 && groups[end] == 0 { end += 1 }
                if end - index > best.length { best = (index, end - index) }
                index = end
            }
            let hex = groups.map { String($0, radix: 16) }
            guard best.length >= 2 else { return hex.joined(separator: ":") }
            let before = hex[..<best.start].joined(separator: ":")
            let after = hex[(best.start + best.length)...].joined(separator: ":")
            return before + "::" + after
        }
    }

    // MARK: Where an address leads

    /// The kind of network an address belongs to (IANA special-purpose registries, RFC 6890).
    public enum Scope: String, Sendable, Hashable {
        /// Reachable on the public Internet: the only scope a fetch may go to by default.
        case global
        case unspecified
        case loopback
        case privateNetwork
        /// The carrier-grade NAT range 100.64/10 (RFC 6598): inside an operator's network.
        case sharedAddressSpace
        case linkLocal
        case multicast
        case broadcast
        /// Documentation, benchmarking, protocol assignments, future use, deprecated forms.
        case reserved
    }

    public var scope: Scope {
        switch self {
        case .v4(let value): return Self.scope(ofV4: value)
        case .v6(let high, let low): return Self.scope(ofV6: high, low)
        }
    }

    public var isGlobal: Bool { scope == .global }

    private static func scope(ofV4 value: UInt32) -> Scope {
        func within(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32, _ bits: UInt32) -> Bool {
            let network = a << 24 | b << 16 | c << 8 | d
            return value >> (32 - bits) == network >> (32 - bits)
        }
        // 0/8 is "this network": Linux connects 0.0.0.0 to the machine itself.
        if within(0, 0, 0, 0, 8) { return .unspecified }
        if within(127, 0, 0, 0, 8) { return .loopback }
        if within(10, 0, 0, 0, 8) || within(172, 16, 0, 0, 12) || within(192, 168, 0, 0, 16) { return .privateNetwork }
        if within(100, 64, 0, 0, 10) { return .sharedAddressSpace }
        if within(169, 254, 0, 0, 16) { return .linkLocal }
        if value == 0xffff_ffff { return .broadcast }
        if within(224, 0, 0, 0, 4) { return .multicast }
        if within(240, 0, 0, 0, 4) { return .reserved }
        // Protocol assignments, the three documentation networks, benchmarking, the old 6to4 relay.
        if within(192, 0, 0, 0, 24) || within(192, 0, 2, 0, 24) || within(198, 51, 100, 0, 24)
            || within(203, 0, 113, 0, 24) || within(198, 18, 0, 0, 15) || within(192, 88, 99, 0, 24) {
            return .reserved
        }
        return .global
    }

    private static func scope(ofV6 high: UInt64, _ low: UInt64) -> Scope {
        let embedded = UInt32(truncatingIfNeeded: low)
        if high == 0 {
            if low == 0 { return .unspecified }
            if low == 1 { return .loopback }
            // IPv4-mapped (::ffff:a.b.c.d) goes where its IPv4 address goes.
            if low >> 32 == 0xffff { return scope(ofV4: embedded) }
            // The rest of ::/96 is the deprecated IPv4-compatible form; others are unassigned.
            return .reserved
        }
        // NAT64's well-known prefix (RFC 6052) reaches the IPv4 address in its last 32 bits.
        if high == 0x0064_ff9b_0000_0000 && low >> 32 == 0 { return scope(ofV4: embedded) }
        // The local-use NAT64 prefix (RFC 8215) translates inside one network.
        if high >> 16 == 0x0064_ff9b_0001 { return .privateNetwork }
        if high >> 54 == 0xfe80 >> 6 { return .linkLocal }
        // Site-local (deprecated) and unique local addresses: private networks.
        if high >> 54 == 0xfec0 >> 6 || high >> 57 == 0xfc00 >> 9 { return .privateNetwork }
        if high >> 56 == 0xff { return .multicast }
        // 6to4 (2002::/16) carries an IPv4 address in bits 16–47.
        if high >> 48 == 0x2002 { return scope(ofV4: UInt32(truncatingIfNeeded: high >> 16)) }
        // IETF protocol assignments (2001::/23, with Teredo), documentation (2001:db8::/32, 3fff::/20).
        if (high >> 48 == 0x2001 && (high >> 41) & 0x7f == 0) || high >> 32 == 0x2001_0db8 || high >> 44 == 0x3fff0 {
            return .reserved
        }
        // Only 2000::/3 is allocated as global unicast.
        return high >> 61 == 1 ? .global : .reserved
    }

    // MARK: Reading text

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= 0x61 && byte <= 0x66) || (byte >= 0x41 && byte <= 0x46)
    }

    static func parseDottedQuad(_ text: some StringProtocol) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            let bytes = Array(part.utf8)
            guard (1...3).contains(bytes.count), bytes.allSatisfy(isDigit), bytes.count == 1 || bytes[0] != 0x30,
                  let octet = UInt32(String(part)), octet <= 255 else { return nil }
            value = value << 8 | octet
        }
        return value
    }

    static func parseIPv6(_ text: String) -> (UInt64, UInt64)? {
        guard !text.isEmpty, text.utf8.count <= 45 else { return nil }
        func groups(_ side: Substring, lastMayBeIPv4: Bool) -> [UInt16]? {
            if side.isEmpty { return [] }
            let pieces = side.split(separator: ":", omittingEmptySubsequences: false)
            var out: [UInt16] = []
            for (index, piece) in pieces.enumerated() {
                if lastMayBeIPv4 && index == pieces.count - 1 && piece.contains(".") {
                    guard let v4 = parseDottedQuad(piece) else { return nil }
                    out += [UInt16(v4 >> 16), UInt16(v4 & 0xffff)]
                } else {
                    let bytes = Array(piece.utf8)
                    guard (1...4).contains(bytes.count), bytes.allSatisfy(isHexDigit),
                          let group = UInt16(String(piece), radix: 16) else { return nil }
                    out.append(group)
                }
            }
            return out
        }
        let all: [UInt16]
        if let gap = text.range(of: "::") {
            let before = text[..<gap.lowerBound], after = text[gap.upperBound...]
            guard !after.contains("::"), let head = groups(before, lastMayBeIPv4: false),
                  let tail = groups(after, lastMayBeIPv4: true), head.count + tail.count <= 7 else { return nil }
            all = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        } else {
            guard let every = groups(text[...], lastMayBeIPv4: true), every.count == 8 else { return nil }
            all = every
        }
        let high = all[0..<4].reduce(UInt64(0)) { $0 << 16 | UInt64($1) }
        let low = all[4..<8].reduce(UInt64(0)) { $0 << 16 | UInt64($1) }
        return (high, low)
    }
}

/// The host part of an address someone gave us, read strictly: a DNS name to resolve, or a
/// literal address in one of the two canonical spellings. Anything else is refused, notably the
/// numeric spellings the C resolver still accepts (`127.1`, `0x7f.1`, `2130706433`, `0177.0.0.1`)
/// that would otherwise slip a private address past a check of the text.
public enum FetchHost: Sendable, Hashable {
    /// A lowercase DNS name, without a trailing dot.
    case name(String)
    case address(IPAddress)

    /// nil when the host is refused. IPv6 only in brackets (`[::1]`), as URLs write it.
    public static func read(_ raw: String) -> FetchHost? {
        guard !raw.isEmpty, raw.utf8.count <= 255, raw.unicodeScalars.allSatisfy(\.isASCII) else { return nil }
        if raw.hasPrefix("[") {
            guard raw.hasSuffix("]"), let address = IPAddress(ipv6: raw.dropFirst().dropLast()) else { return nil }
            return .address(address)
        }
        let lower = raw.lowercased()
        if looksNumeric(lower) {
            return IPAddress(dottedQuad: lower).map { .address($0) }
        }
        let name = lower.hasSuffix(".") ? String(lower.dropLast()) : lower
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        guard name.utf8.count <= 253,
              labels.allSatisfy({ (1...63).contains($0.utf8.count) && $0.utf8.allSatisfy(allowed.contains) })
        else { return nil }
        return .name(name)
    }

    /// Every label decimal or `0x…` hex: a number to the C resolver (`inet_aton`), whatever the dots.
    public static func looksNumeric(_ host: String) -> Bool {
        let labels = host.split(separator: ".", omittingEmptySubsequences: true)
        guard !labels.isEmpty else { return false }
        return labels.allSatisfy { label in
            let bytes = Array(label.utf8)
            if bytes.count >= 2 && bytes[0] == 0x30 && (bytes[1] == 0x78) {
                return bytes.dropFirst(2).allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
            }
            return bytes.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
        }
    }
}
