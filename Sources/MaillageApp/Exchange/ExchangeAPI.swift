import Fluent
import Foundation
import MaillageCore
import Vapor

/// `/api/v1/cooperatives/{slug}/exchange/…` and the impact counters: the public Murmurations
/// feed of offers and wants, publishing one, recording a service.
enum ExchangeAPI {
    struct OfferInput: Content {
        var exchange_type: String
        var item_type: String
        var transaction_type: [String]
        var category: String?
        var tags: [String]?
        var title: String
        var description: String
        var geographic_scope: String?
        var public_email: String?
        var accepts_time_bank: Bool?
        var expires_on: String?
        var commune: String
    }

    struct ServiceInput: Content {
        var counterpart: UUID
        var role: String
        var settlement: String
        var minutes: Int64?
        var description: String
        var doneOn: String
        var offerWant: UUID?
    }

    struct ServiceDTO: Content {
        var id: UUID
        var giver: UUID
        var receiver: UUID
        var description: String
        var doneOn: String
        var settlement: String
        var minutes: Int64
        var transfer: UUID?
        var offerWant: UUID?
        var recordedAt: Date

        init(_ row: ServiceRecordRow) {
            id = row.id; giver = row.giverID; receiver = row.receiverID; description = row.description; doneOn = row.doneOn
            settlement = row.settlement; minutes = row.minutes; transfer = row.transferID; offerWant = row.offerWantID; recordedAt = row.recordedAt
        }
    }

    struct ImpactDTO: Content {
        var loansCompleted: Int
        var servicesExchanged: Int
        var freeHelp: Int
        var minutesGiven: Int64

        init(_ impact: NeighbourhoodImpact) {
            loansCompleted = impact.loansCompleted; servicesExchanged = impact.servicesExchanged; freeHelp = impact.freeHelp
            minutesGiven = impact.hoursGiven.minorUnits
        }
    }

    struct Feed: Content { var data: [OffersWantsProfile] }

    static func pageURL(_ req: Request, slug: String, id: UUID) -> String {
        "\(PublicAddress.baseURL(req))/c/\(slug)/exchange/\(id)"
    }

    /// The public feed: every offer and want still shown, as Murmurations offers_wants profiles.
    @Sendable static func feed(_ req: Request) async throws -> Feed {
        let access = try await ExchangePages.access(req)
        let kind = req.query[String.self, at: "kind"].flatMap(ExchangeType.init(rawValue:))
        let limit = min(max(req.query[Int.self, at: "limit"] ?? 100, 1), 500)
        let rows = try await ExchangeStore.search(try NeighbourhoodSearch.query(req), kind: kind, coop: access.coopID, limit: limit, on: req.db)
        return Feed(data: rows.map { $0.0.offerWant.murmurationsProfile(pageURL: pageURL(req, slug: access.coop.slug, id: $0.0.id)) })
    }

    @Sendable static func publish(_ req: Request) async throws -> Response {
        let access = try await ExchangePages.access(req, member: true)
        let input = try req.content.decode(OfferInput.self)
        let draft = OfferWantDraft(exchangeType: input.exchange_type, itemType: input.item_type, transactionTypes: input.transaction_type,
                                   category: input.category ?? "", tags: (input.tags ?? []).joined(separator: ", "), title: input.title,
                                   description: input.description, scope: input.geographic_scope ?? "local",
                                   publicEmail: input.public_email ?? "", acceptsTimeBank: input.accepts_time_bank ?? false,
                                   expiresOn: input.expires_on ?? "")
        let row = try await ExchangeStore.publish(draft, commune: input.commune, author: try access.memberID(), coop: access.coopID, on: req.db)
        return try await row.offerWant.murmurationsProfile(pageURL: pageURL(req, slug: access.coop.slug, id: row.id))
            .encodeResponse(status: .created, for: req)
    }

    @Sendable static func recordService(_ req: Request) async throws -> Response {
        let access = try await ExchangePages.access(req, member: true)
        let input = try req.content.decode(ServiceInput.self)
        guard let role = ExchangeStore.Role(rawValue: input.role) else {
            throw DomainError(.invalid, code: "unknown_role", field: "role", fr: "Le rôle est « received » ou « given ».", en: "The role is “received” or “given”.")
        }
        guard let settlement = ExchangeStore.Settlement(rawValue: input.settlement) else { throw ExchangeWords.unknownSettlement }
        let duration = input.minutes.map { "\($0) min" } ?? ""
        let row = try await ExchangeStore.record(.init(counterpart: input.counterpart, role: role, settlement: settlement, duration: duration,
                                                       description: input.description, doneOn: input.doneOn, offerWant: input.offerWant),
                                                 by: try access.memberID(), in: access.coop, on: req.db)
        return try await ServiceDTO(row).encodeResponse(status: .created, for: req)
    }

    @Sendable static func impact(_ req: Request) async throws -> ImpactDTO {
        let coop = try await Cooperatives.find(slug: req.parameters.get("slug") ?? "", on: req.db)
        return ImpactDTO(try await ExchangeStore.impact(of: try coop.requireID(), on: req.db))
    }

    @Sendable static func territoryImpact(_ req: Request) async throws -> ImpactDTO {
        ImpactDTO(try await ExchangeStore.impact(of: nil, on: req.db))
    }
}

extension OffersWantsProfile: Content {}

/// `/c/<slug>/impact`: what lending and exchange did in a cooperative, for the observatory.
enum ImpactPage {
    @Sendable static func show(_ req: Request) async throws -> Response {
        let coop = try await Cooperatives.find(slug: req.parameters.get("slug") ?? "", on: req.db)
        let impact = try await ExchangeStore.impact(of: try coop.requireID(), on: req.db)
        let territory = try await ExchangeStore.impact(of: nil, on: req.db)
        let t = req.t, language = req.language
        return Layout.page(req, title: t("Impact — \(coop.name)", "Impact — \(coop.name)"),
            .p(.a(.href("/c/\(coop.slug)"), .text("← " + coop.name))),
            .h1(.text(t("Impact entre voisins", "Impact between neighbours"))),
            .dl(.class("figures"),
                .dt(.text(t("Prêts terminés", "Loans completed"))), .dd(.strong(.id("loans-completed"), .text("\(impact.loansCompleted)"))),
                .dt(.text(t("Services échangés", "Services exchanged"))), .dd(.strong(.id("services-exchanged"), .text("\(impact.servicesExchanged)"))),
                .dt(.text(t("dont coups de main gratuits", "of which free help"))), .dd(.text("\(impact.freeHelp)")),
                .dt(.text(t("Heures données", "Hours given"))), .dd(.strong(.id("hours-given"), .text(impact.hoursGiven.formatted(language))))),
            .p(.text(t("Sur tout le territoire : \(territory.loansCompleted) prêts terminés, \(territory.servicesExchanged) services échangés, \(territory.hoursGiven.formatted(language)) données.",
                       "Across the territory: \(territory.loansCompleted) loans completed, \(territory.servicesExchanged) services exchanged, \(territory.hoursGiven.formatted(language)) given."))),
            .p(.a(.href("/api/v1/cooperatives/\(coop.slug)/impact"), .text(t("Ces chiffres en JSON (données ouvertes)", "These figures as JSON (open data)"))),
               .text(" · "), .a(.href("/api/v1/impact/neighbourhood"), .text(t("le territoire en JSON", "the territory as JSON")))))
    }
}
