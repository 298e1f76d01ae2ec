import Foundation
import NIOConcurrencyHelpers
import Vapor

/// Seals short texts with a key derived from the instance's secret (`SESSION_SECRET`), so a
/// copy of the database alone does not read them: a secret ballot while its vote runs. AES-GCM,
/// one key per context (a vote's id), so a sealed text cannot be moved to another context.
enum InstanceSeal {
    private static let base = NIOLockedValueBox<SymmetricKey?>(nil)

    /// Called once by `configure`; every process of an instance shares the secret, so each
    /// opens what another sealed.
    static func configure(secret: String) {
        let key = SymmetricKey(data: SHA256.hash(data: Data(("maillage instance seal:" + secret).utf8)))
        base.withLockedValue { $0 = key }
    }

    static func seal(_ text: String, context: String) throws -> String {
        let sealed = try AES.GCM.seal(Data(text.utf8), using: try key(context))
        guard let combined = sealed.combined else { throw Abort(.internalServerError, reason: "sealing failed") }
        return combined.base64EncodedString()
    }

    static func open(_ sealed: String, context: String) throws -> String {
        guard let data = Data(base64Encoded: sealed) else { throw Abort(.internalServerError, reason: "not a sealed text") }
        return String(decoding: try AES.GCM.open(AES.GCM.SealedBox(combined: data), using: try key(context)), as: UTF8.self)
    }

    /// An HMAC-SHA256 of `text` with a key of its own for `context`, URL-safe: a mailed link that
    /// acts without a login (one-click unsubscribe) names what it does and proves the instance wrote it.
    static func signature(of text: String, context: String) throws -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: try key("signature:" + context))
        return Data(code).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Compared in constant time, so timing tells nothing about a forged signature.
    static func verify(_ signature: String, of text: String, context: String) -> Bool {
        guard let expected = try? self.signature(of: text, context: context) else { return false }
        let a = Array(expected.utf8), b = Array(signature.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private static func key(_ context: String) throws -> SymmetricKey {
        guard let base = base.withLockedValue({ $0 }) else { throw Abort(.internalServerError, reason: "InstanceSeal is not configured") }
        return HKDF<SHA256>.deriveKey(inputKeyMaterial: base, info: Data(context.utf8), outputByteCount: 32)
    }
}
