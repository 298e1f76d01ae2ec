import MaillageCore
import Testing

@Suite("Second factor: one-time codes (RFC 4226, RFC 6238) and base32 (RFC 4648)")
struct OneTimePasswordTests {
    /// RFC 4226 appendix D: the HMAC-SHA-1 of each counter under the secret "12345678901234567890",
    /// and the HOTP value it truncates to.
    static let appendixD: [(mac: String, code: String)] = [
        ("cc93cf18508d94934c64b65d8ba7667fb7cde4b0", "755224"), ("75a48a19d4cbe100644e8ac1397eea747a2d33ab", "287082"),
        ("0bacb7fa082fef30782211938bc1c5e70416ff44", "359152"), ("66c28227d03a2d5529262ff016a1e6ef76557ece", "969429"),
        ("a904c900a64b35909874b33e61c5938a8e15ed1c", "338314"), ("a37e783d7b7233c083d4f62926c7a25f238d0316", "254676"),
        ("bc9cd28561042c83f219324d3c607256c03272ae", "287922"), ("a4fb960c0bc06e1eabb804e5b397cdc4b45596fa", "162583"),
        ("1b3c89f65e6c9e883012052823443f048b4332db", "399871"), ("1637409809a679dc698207310c8c7fc07290d9e5", "520489"),
    ]

    static func bytes(hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
    }

    /// An HMAC that answers appendix D's values, so the truncation and the counter's encoding are tested alone.
    static let appendixDMAC: OneTimePassword.HMAC = { key, message in
        precondition(key == Array("12345678901234567890".utf8))
        let counter = message.reduce(0) { $0 << 8 | Int($1) }
        return bytes(hex: appendixD[counter].mac)
    }

    /// A stand-in HMAC for the rules about steps: distinct enough per counter, not a real MAC.
    static let stepMAC: OneTimePassword.HMAC = { _, message in
        let counter = message.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        var state = counter &* 0x9E37_79B9_7F4A_7C15 &+ 1
        return (0..<20).map { _ in
            state ^= state >> 29; state = state &* 0xBF58_476D_1CE4_E5B9; state ^= state >> 32
            return UInt8(truncatingIfNeeded: state)
        }
    }

    @Test func hotpFollowsRFC4226AppendixD() {
        let otp = OneTimePassword(secret: Array("12345678901234567890".utf8), hmac: Self.appendixDMAC)
        for (counter, row) in Self.appendixD.enumerated() {
            #expect(otp.hotp(counter: UInt64(counter)) == row.code, "counter \(counter)")
        }
    }

    @Test func truncationKeepsLeadingZeros() {
        // Offset 0 and a value whose last eight digits start with zeros.
        var mac = [UInt8](repeating: 0, count: 20)
        mac[3] = 0x01
        #expect(OneTimePassword.truncate(mac, digits: 6) == "000001")
        #expect(OneTimePassword.truncate(mac, digits: 8) == "00000001")
    }

    @Test func aCodeIsAcceptedForItsStepAndOneEitherSideOnly() {
        let otp = OneTimePassword(secret: [1, 2, 3], hmac: Self.stepMAC)
        let now: Int64 = 1_700_000_015
        let step = otp.step(at: now)
        #expect(otp.acceptedStep(for: otp.totp(at: now), at: now, lastAcceptedStep: nil) == step)
        #expect(otp.acceptedStep(for: otp.totp(at: now - 30), at: now, lastAcceptedStep: nil) == step - 1, "one step before")
        #expect(otp.acceptedStep(for: otp.totp(at: now + 30), at: now, lastAcceptedStep: nil) == step + 1, "one step after")
        #expect(otp.acceptedStep(for: otp.totp(at: now - 60), at: now, lastAcceptedStep: nil) == nil, "two steps before")
        #expect(otp.acceptedStep(for: otp.totp(at: now + 60), at: now, lastAcceptedStep: nil) == nil, "two steps after")
        let spaced = otp.totp(at: now).enumerated().map { $0.offset == 3 ? " \($0.element)" : "\($0.element)" }.joined()
        #expect(otp.acceptedStep(for: spaced, at: now, lastAcceptedStep: nil) == step, "“123 456” as apps show it")
        #expect(otp.acceptedStep(for: "12345", at: now, lastAcceptedStep: nil) == nil)
        #expect(otp.acceptedStep(for: "abcdef", at: now, lastAcceptedStep: nil) == nil)
        #expect(otp.acceptedStep(for: "١٢٣٤٥٦", at: now, lastAcceptedStep: nil) == nil, "only ASCII digits")
    }

    @Test func eachCodeOpensOnceAndNothingOlderThanTheLastAccepted() {
        let otp = OneTimePassword(secret: [9, 9, 9], hmac: Self.stepMAC)
        let now: Int64 = 1_700_000_045
        let step = otp.step(at: now)
        #expect(otp.acceptedStep(for: otp.totp(at: now), at: now, lastAcceptedStep: step) == nil, "the same code again")
        #expect(otp.acceptedStep(for: otp.totp(at: now - 30), at: now, lastAcceptedStep: step) == nil, "an older code after a newer one")
        #expect(otp.acceptedStep(for: otp.totp(at: now + 30), at: now, lastAcceptedStep: step) == step + 1, "the next one")
        #expect(otp.acceptedStep(for: otp.totp(at: now), at: now, lastAcceptedStep: step - 1) == step)
    }

    @Test func base32FollowsRFC4648WithoutPadding() {
        let vectors = [("", ""), ("f", "MY"), ("fo", "MZXQ"), ("foo", "MZXW6"), ("foob", "MZXW6YQ"), ("fooba", "MZXW6YTB"), ("foobar", "MZXW6YTBOI")]
        for (plain, encoded) in vectors {
            #expect(Base32.encode(Array(plain.utf8)) == encoded)
            #expect(Base32.decode(encoded) == Array(plain.utf8))
        }
        #expect(Base32.decode("mzxw 6ytb-oi======") == Array("foobar".utf8), "as a person may copy it")
        #expect(Base32.decode("MZXW1") == nil, "1 is not in the alphabet")
        #expect(Base32.grouped("JBSWY3DPEHPK3PXP") == "JBSW Y3DP EHPK 3PXP")
        #expect(Base32.grouped("ABCDEF") == "ABCD EF")
    }

    @Test func theURIIsWhatAuthenticatorAppsRead() {
        let uri = OneTimePassword.uri(issuer: "Maillage Loire", account: "chloé@demo.maillage.coop", secret: Array("Hello!\u{DE}\u{AD}\u{BE}\u{EF}".utf8))
        #expect(uri.hasPrefix("otpauth://totp/Maillage%20Loire:chlo%C3%A9@demo.maillage.coop?secret="))
        #expect(uri.contains("&issuer=Maillage%20Loire"))
        #expect(uri.contains("&algorithm=SHA1&digits=6&period=30"))
        #expect(!uri.contains("="+"="), "no padding in the secret")
    }
}
