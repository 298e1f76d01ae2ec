import Fluent
import Foundation
import MaillageCore
import SQLKit
import Vapor

/// A person's second factor: enrolment, the check of a code at login, recovery codes, trusted
/// browsers. Every "once" (a time step, a recovery code) is a conditional update the database decides.
enum TwoFactor {
    struct Secret: Decodable { var secret: String; var confirmed_at: Date?; var last_step: Int64? }

    static let hmac: OneTimePassword.HMAC = { key, message in
        Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }

    /// The secret is kept sealed with the instance's key: a copy of the database (or of the
    /// person's data export) does not give the codes away.
    static func sealed(_ base32: String, of userID: UUID) throws -> String {
        try InstanceSeal.seal(base32, context: "two-factor:" + userID.uuidString)
    }

    static func base32(_ stored: Secret, of userID: UUID) throws -> String {
        try InstanceSeal.open(stored.secret, context: "two-factor:" + userID.uuidString)
    }

    static func otp(_ stored: Secret, of userID: UUID) throws -> OneTimePassword {
        OneTimePassword(secret: Base32.decode(try base32(stored, of: userID)) ?? [], hmac: hmac)
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }

    static func secret(of userID: UUID, on db: any Database) async throws -> Secret? {
        try await db.sql.select().columns("secret", "confirmed_at", "last_step").from(TwoFactorTables.secrets)
            .where("user_id", .equal, SQLBind(userID)).first(decoding: Secret.self)
    }

    static func isEnabled(for userID: UUID, on db: any Database) async throws -> Bool {
        try await secret(of: userID, on: db)?.confirmed_at != nil
    }

    // MARK: enrolment

    /// A new secret to scan, replacing one not confirmed yet; refused once a secret is confirmed.
    static func start(for userID: UUID, on db: any Database) async throws {
        let fresh = try sealed(Base32.encode([UInt8].random(count: 20)), of: userID)
        try await db.writeTransaction { tx in
            if try await secret(of: userID, on: tx)?.confirmed_at != nil { throw TwoFactorRules.alreadyEnabled }
            try await tx.sql.delete(from: TwoFactorTables.secrets).where("user_id", .equal, SQLBind(userID)).run()
            try await tx.sql.insert(into: TwoFactorTables.secrets).columns("user_id", "secret", "created_at")
                .values(SQLBind(userID), SQLBind(fresh), SQLBind(Date())).run()
        }
    }

    /// The first code proves the app has the secret; then the recovery codes, shown once, are returned.
    static func confirm(for userID: UUID, code: String, on db: any Database) async throws -> [String] {
        guard let pending = try await secret(of: userID, on: db), pending.confirmed_at == nil else {
            if try await isEnabled(for: userID, on: db) { throw TwoFactorRules.alreadyEnabled }
            throw TwoFactorRules.notStarted
        }
        guard let step = try otp(pending, of: userID).acceptedStep(for: code, at: now(), lastAcceptedStep: nil) else {
            throw TwoFactorRules.wrongEnrolmentCode
        }
        return try await db.writeTransaction { tx in
            let confirmed = try await tx.sql.update(TwoFactorTables.secrets)
                .set("confirmed_at", to: SQLBind(Date())).set("last_step", to: SQLBind(step))
                .where("user_id", .equal, SQLBind(userID)).where("confirmed_at", .is, SQLLiteral.null)
                .where("secret", .equal, SQLBind(pending.secret))
                .returning("user_id").all()
            guard !confirmed.isEmpty else { throw TwoFactorRules.notStarted }
            return try await replaceRecoveryCodes(of: userID, on: tx)
        }
    }

    /// Ten fresh codes; the old ones stop working.
    static func replaceRecoveryCodes(of userID: UUID, on db: any Database) async throws -> [String] {
        let codes = (0..<TwoFactorRules.recoveryCodeCount).map { _ in TwoFactorRules.recoveryCode(from: [UInt8].random(count: 10)) }
        try await db.sql.delete(from: TwoFactorTables.recoveryCodes).where("user_id", .equal, SQLBind(userID)).run()
        var insert = db.sql.insert(into: TwoFactorTables.recoveryCodes).columns("id", "user_id", "code_hash", "created_at")
        for code in codes {
            insert = insert.values(SQLBind(UUID()), SQLBind(userID), SQLBind(recoveryHash(code)), SQLBind(Date()))
        }
        try await insert.run()
        return codes
    }

    static func recoveryHash(_ code: String) -> String {
        SecretToken.hash(TwoFactorRules.normalizedRecoveryCode(code) ?? code)
    }

    static func recoveryCodesLeft(of userID: UUID, on db: any Database) async throws -> Int {
        let row = try await db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(TwoFactorTables.recoveryCodes)
            .where("user_id", .equal, SQLBind(userID)).where("used_at", .is, SQLLiteral.null).first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Off: the secret, the recovery codes and the trusted browsers go.
    static func disable(for userID: UUID, on db: any Database) async throws {
        try await db.writeTransaction { tx in
            try await tx.sql.delete(from: TwoFactorTables.secrets).where("user_id", .equal, SQLBind(userID)).run()
            try await tx.sql.delete(from: TwoFactorTables.recoveryCodes).where("user_id", .equal, SQLBind(userID)).run()
            try await forgetTrustedDevices(of: userID, on: tx)
        }
    }

    // MARK: the check of a code

    enum Passed: Equatable { case timeCode, recoveryCode }

    /// A current code (its step later than the last accepted) or an unused recovery code; each
    /// is used up by a conditional update, so two requests with the same code cannot both pass.
    static func use(code typed: String, for userID: UUID, on db: any Database) async throws -> Passed? {
        guard let stored = try await secret(of: userID, on: db), stored.confirmed_at != nil else { return nil }
        if let step = try otp(stored, of: userID).acceptedStep(for: typed, at: now(), lastAcceptedStep: stored.last_step) {
            let taken = try await db.sql.update(TwoFactorTables.secrets).set("last_step", to: SQLBind(step))
                .where("user_id", .equal, SQLBind(userID)).where("confirmed_at", .isNot, SQLLiteral.null)
                .where { $0.where("last_step", .is, SQLLiteral.null).orWhere("last_step", .lessThan, SQLBind(step)) }
                .returning("user_id").all()
            return taken.isEmpty ? nil : .timeCode
        }
        guard let normalized = TwoFactorRules.normalizedRecoveryCode(typed) else { return nil }
        let used = try await db.sql.update(TwoFactorTables.recoveryCodes).set("used_at", to: SQLBind(Date()))
            .where("user_id", .equal, SQLBind(userID)).where("code_hash", .equal, SQLBind(SecretToken.hash(normalized)))
            .where("used_at", .is, SQLLiteral.null)
            .returning("id").all()
        return used.isEmpty ? nil : .recoveryCode
    }

    // MARK: trusted browsers

    static let trustCookie = "maillage_trusted"

    struct TrustedDevice: Decodable { var id: UUID; var label: String; var created_at: Date; var expires_at: Date; var last_used_at: Date? }

    /// A random token for this browser's cookie; only its hash is kept.
    static func trust(_ userID: UUID, label: String, on db: any Database) async throws -> String {
        let token = SecretToken.make(bytes: 32)
        let now = Date()
        try await db.sql.insert(into: TwoFactorTables.trustedDevices)
            .columns("id", "user_id", "token_hash", "label", "created_at", "expires_at")
            .values(SQLBind(UUID()), SQLBind(userID), SQLBind(SecretToken.hash(token)), SQLBind(String(label.prefix(120))), SQLBind(now),
                    SQLBind(now.addingTimeInterval(Double(TwoFactorRules.trustedDeviceDays) * 86_400)))
            .run()
        return token
    }

    /// Whether this browser's cookie is a trust the person gave and has not revoked, still in date.
    static func isTrusted(_ token: String?, by userID: UUID, on db: any Database) async throws -> Bool {
        guard let token, !token.isEmpty else { return false }
        let touched = try await db.sql.update(TwoFactorTables.trustedDevices).set("last_used_at", to: SQLBind(Date()))
            .where("token_hash", .equal, SQLBind(SecretToken.hash(token))).where("user_id", .equal, SQLBind(userID))
            .where("expires_at", .greaterThan, SQLBind(Date()))
            .returning("id").all()
        return !touched.isEmpty
    }

    static func trustedDevices(of userID: UUID, on db: any Database) async throws -> [TrustedDevice] {
        try await db.sql.select().columns("id", "label", "created_at", "expires_at", "last_used_at").from(TwoFactorTables.trustedDevices)
            .where("user_id", .equal, SQLBind(userID)).where("expires_at", .greaterThan, SQLBind(Date()))
            .orderBy("created_at", .descending).all(decoding: TrustedDevice.self)
    }

    static func revokeTrustedDevice(_ id: UUID, of userID: UUID, on db: any Database) async throws -> Bool {
        try await !db.sql.delete(from: TwoFactorTables.trustedDevices).where("id", .equal, SQLBind(id))
            .where("user_id", .equal, SQLBind(userID)).returning("id").all().isEmpty
    }

    /// When the password changes or the second factor goes off, no browser stays trusted.
    static func forgetTrustedDevices(of userID: UUID, on db: any Database) async throws {
        try await db.sql.delete(from: TwoFactorTables.trustedDevices).where("user_id", .equal, SQLBind(userID)).run()
    }

    static func purgeExpired(on db: any Database) async throws {
        try await db.sql.delete(from: TwoFactorTables.trustedDevices).where("expires_at", .lessThan, SQLBind(Date())).run()
        // A secret never confirmed is a started enrolment left behind.
        try await db.sql.delete(from: TwoFactorTables.secrets).where("confirmed_at", .is, SQLLiteral.null)
            .where("created_at", .lessThan, SQLBind(Date().addingTimeInterval(-86_400))).run()
    }
}
