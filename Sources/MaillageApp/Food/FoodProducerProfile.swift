import Fluent
import Foundation
import MaillageCore
import Plot
import SQLKit
import Vapor

/// The farm as its other platform describes it (address, certifications as labels, links),
/// kept beside the producer and refreshed by each import of its catalog.
enum FoodProducerProfile {
    struct Row: Decodable, Sendable {
        var email: String?
        var phone: String?
        var address: String?
        var labels: String
        var links: String

        var labelList: [String] { (try? JSONDecoder().decode([String].self, from: Data(labels.utf8))) ?? [] }
        var linkList: [String] { (try? JSONDecoder().decode([String].self, from: Data(links.utf8))) ?? [] }
    }

    /// Name and description replace the producer's when the catalog gives them; the rest is kept apart.
    static func apply(_ profile: DFCProducerProfile, to producer: ProducerRow, on db: any Database) async throws {
        func encode(_ list: [String]) -> String { String(decoding: (try? JSONEncoder().encode(list)) ?? Data("[]".utf8), as: UTF8.self) }
        let labels = encode(profile.labels), links = encode(profile.links)
        try await db.writeTransaction { tx in
            if !profile.name.isEmpty {
                try await tx.sql.update("food_producers").set("name", to: SQLBind(profile.name)).where("id", .equal, SQLBind(producer.id)).run()
            }
            if !profile.description.isEmpty {
                try await tx.sql.update("food_producers").set("description", to: SQLBind(profile.description)).where("id", .equal, SQLBind(producer.id)).run()
            }
            try await tx.sql.delete(from: "food_producer_profiles").where("producer_id", .equal, SQLBind(producer.id)).run()
            try await tx.sql.insert(into: "food_producer_profiles")
                .columns("producer_id", "source_id", "email", "phone", "address", "labels", "links", "updated_at")
                .values(SQLBind(producer.id), SQLBind(profile.sourceID), SQLBind(profile.email), SQLBind(profile.phone), SQLBind(profile.address),
                        SQLBind(labels), SQLBind(links), SQLBind(Date())).run()
        }
    }

    static func find(_ producer: UUID, on db: any Database) async throws -> Row? {
        try await db.sql.select().columns("email", "phone", "address", "labels", "links").from("food_producer_profiles")
            .where("producer_id", .equal, SQLBind(producer)).first(decoding: Row.self)
    }

    /// The profile on the producer's page: labels, address, contact and links.
    static func view(_ row: Row?, _ t: Translator) -> Node<HTML.BodyContext> {
        guard let row else { return .empty }
        return .section(.class("producer-profile"),
            .if(!row.labelList.isEmpty, .p(.forEach(row.labelList) { .span(.class("badge"), .text($0 + " ")) })),
            .unwrap(row.address) { .p(.text(t("Adresse : ", "Address: ") + $0)) },
            .unwrap(row.email) { .p(.text(t("Courriel : ", "Email: ") + $0)) },
            .unwrap(row.phone) { .p(.text(t("Téléphone : ", "Phone: ") + $0)) },
            .if(!row.linkList.isEmpty, .ul(.forEach(row.linkList) { .li(.a(.href($0), .attribute(named: "rel", value: "nofollow noopener"), .text($0))) })))
    }
}
