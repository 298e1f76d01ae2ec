import Foundation
import Vapor

/// A secret handed to a person once (an API token, a mailed link): random, URL-safe, and stored
/// only as its SHA-256, so a leaked table opens nothing.
enum SecretToken {
    static func make(bytes: Int) -> String {
        [UInt8].random(count: bytes).base64
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
