/// One-time codes for a second factor: HOTP (RFC 4226) and TOTP (RFC 6238), as authenticator
/// apps compute them. The HMAC is given by the caller, so the rules stay free of any crypto library.
public struct OneTimePassword: Sendable {
    /// HMAC-SHA-1(key, message): SHA-1 because that is what every authenticator app computes.
    public typealias HMAC = @Sendable (_ key: [UInt8], _ message: [UInt8]) -> [UInt8]

    public let secret: [UInt8]
    public let digits: Int
    /// RFC 6238's default step, the one apps use.
    public let stepSeconds: Int64
    let hmac: HMAC

    public init(secret: [UInt8], digits: Int = 6, stepSeconds: Int64 = 30, hmac: @escaping HMAC) {
        self.secret = secret
        self.digits = digits
        self.stepSeconds = stepSeconds
        self.hmac = hmac
    }

    /// RFC 4226 section 5.3: dynamic truncation of the HMAC of the counter.
    public func hotp(counter: UInt64) -> String {
        let message = (0..<8).map { UInt8(truncatingIfNeeded: counter >> (56 - 8 * UInt64($0))) }
        return Self.truncate(hmac(secret, message), digits: digits)
    }

    public static func truncate(_ mac: [UInt8], digits: Int) -> String {
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let binary = (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16)
            | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let value = String(binary % modulus)
        return String(repeating: "0", count: digits - value.count) + value
    }

    /// The time step a Unix time falls in (RFC 6238 section 4.2, T0 = 0).
    public func step(at unixTime: Int64) -> Int64 { unixTime >= 0 ? unixTime / stepSeconds : 0 }

    public func totp(at unixTime: Int64) -> String { hotp(counter: UInt64(step(at: unixTime))) }

    /// The step a typed code belongs to, if it is the code of the current step or of one step
    /// either side (a phone's clock a little off, a code typed as it changed), and only if that
    /// step is later than the last one accepted: each code opens the door once.
    public func acceptedStep(for typed: String, at unixTime: Int64, lastAcceptedStep: Int64?, window: Int64 = 1) -> Int64? {
        let code = typed.filter { !$0.isWhitespace }
        guard code.count == digits, code.allSatisfy(\.isASCII), code.allSatisfy(\.isNumber) else { return nil }
        let now = step(at: unixTime)
        for candidate in (now - window)...(now + window) where candidate >= 0 {
            if let last = lastAcceptedStep, candidate <= last { continue }
            if Self.sameCode(hotp(counter: UInt64(candidate)), code) { return candidate }
        }
        return nil
    }

    /// Compares every character, so the time taken says nothing of how much was right.
    static func sameCode(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }

    /// The Key Uri Format that authenticator apps read from a QR code.
    public static func uri(issuer: String, account: String, secret: [UInt8]) -> String {
        let label = percentEncoded(issuer) + ":" + percentEncoded(account)
        return "otpauth://totp/\(label)?secret=\(Base32.encode(secret))&issuer=\(percentEncoded(issuer))&algorithm=SHA1&digits=6&period=30"
    }

    static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "@"):
                out.append(Character(UnicodeScalar(byte)))
            default:
                let hex = Array("0123456789ABCDEF")
                out += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 15)])
            }
        }
        return out
    }
}
