import Fluent
import Foundation
import MaillageCore
import SQLKit

/// What a barter network or a time bank sets for its members' accounts.
struct CreditSettings: Codable, Sendable, Hashable {
    /// The credit line a new business gets, in barter cents (500 units by default).
    var defaultLine: Int64
    /// The yearly membership fee of the barter network, in barter cents.
    var yearlyFee: Int64
    /// How far below zero a time-bank balance may go, in minutes (≤ 0); nil for no floor.
    var timeFloor: Int64?

    static let standard = CreditSettings(defaultLine: 50_000, yearlyFee: 12_000, timeFloor: -600)

    enum CodingKeys: String, CodingKey {
        case defaultLine = "default_line", yearlyFee = "yearly_fee", timeFloor = "time_floor"
    }

    static func load(_ cooperative: UUID, on db: any Database) async throws -> CreditSettings {
        try await db.sql.select().columns("default_line", "yearly_fee", "time_floor").from("credit_settings")
            .where("cooperative_id", .equal, SQLBind(cooperative)).first(decoding: CreditSettings.self) ?? .standard
    }

    func validate() throws {
        var errors = ValidationErrors()
        if defaultLine < 0 || defaultLine > 100_000_000 {
            errors.add(DomainError(.invalid, code: "invalid_line", field: "default_line",
                                   fr: "La ligne de crédit va de 0 à 1 000 000 unités.", en: "The credit line runs from 0 to 1,000,000 units."))
        }
        if yearlyFee < 0 || yearlyFee > 100_000_000 {
            errors.add(DomainError.amountNegative(field: "yearly_fee"))
        }
        if let timeFloor, timeFloor > 0 || timeFloor < -60 * 1000 {
            errors.add(DomainError(.invalid, code: "invalid_floor", field: "time_floor",
                                   fr: "Le solde le plus bas permis en heures va de 0 à −1 000 h.", en: "The lowest balance allowed in hours runs from 0 to −1,000 h."))
        }
        try errors.throwIfAny()
    }

    func save(_ cooperative: UUID, on db: any Database) async throws {
        try validate()
        try await db.sql.insert(into: "credit_settings").columns("cooperative_id", "default_line", "yearly_fee", "time_floor", "updated_at")
            .values(SQLBind(cooperative), SQLBind(defaultLine), SQLBind(yearlyFee), SQLBind(timeFloor), SQLBind(Date()))
            .onConflict(with: ["cooperative_id"]) {
                $0.set(excludedValueOf: "default_line").set(excludedValueOf: "yearly_fee")
                    .set(excludedValueOf: "time_floor").set(excludedValueOf: "updated_at")
            }
            .run()
    }
}
