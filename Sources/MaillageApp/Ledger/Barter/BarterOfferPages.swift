import Fluent
import MaillageCore
import Plot
import SQLKit
import Vapor

/// `/c/<slug>/barter/offers/<id>`: one offer or need of the barter network, with its thread, where
/// the network's members write to the business that published it.
enum BarterOfferPages {
    static let kindName = "barter-offer"

    static func offer(_ id: UUID?, in coop: UUID, on db: any Database) async throws -> BarterPages.Offer {
        guard let id, let offer = try await db.sql.select().column("*").from("barter_offers").where("id", .equal, SQLBind(id))
            .where("cooperative_id", .equal, SQLBind(coop)).first(decoding: BarterPages.Offer.self)
        else { throw Problem.notFound(Localized(fr: "Offre", en: "Offer")) }
        return offer
    }

    static func access(_ access: MoneyAccess, _ offer: BarterPages.Offer) -> ThreadAccess {
        MemberThreads.access(ThreadSubject(kind: kindName, id: offer.id, cooperativeID: access.coopID), slug: access.coop.slug, isMember: true,
                             participants: [offer.user_id], page: "/c/\(access.coop.slug)/barter/offers/\(offer.id)",
                             about: Localized(fr: "l’offre de troc « \(offer.title) »", en: "the barter offer “\(offer.title)”"))
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        try await view(req, id: req.parameters.get("id", as: UUID.self))
    }

    static func view(_ req: Request, id: UUID?, state: FormState = FormState(), status: HTTPResponseStatus = .ok) async throws -> Response {
        let money = try await BarterPages.context(req)
        let t = req.t, coop = money.coop
        let offer = try await offer(id, in: money.coopID, on: req.db)
        let author = try await Modules.threadServices.names([offer.user_id], req.db)[offer.user_id] ?? ""
        let thread = try await Threads.section(req, access: access(money, offer), state: state,
                                               title: Localized(fr: "Écrire à \(author)", en: "Write to \(author)"))
        return Layout.page(req, title: offer.title + " — " + coop.name, status: status,
            .p(.a(.href("/c/\(coop.slug)/barter"), .text("← " + t("Réseau de troc", "Barter network")))),
            .h1(.text((offer.kind == "want" ? t("Recherche : ", "Wanted: ") : t("Offre : ", "Offer: ")) + offer.title)),
            .p(.text(t("Publié par ", "Published by ") + author + " — " + DateText.short(offer.created_at, req.language))),
            offer.description.isEmpty ? .empty : .p(.class("keep-lines"), .text(offer.description)),
            thread)
    }

    static let kind = ThreadKind(kind: kindName, access: { req, id in
        let money = try await BarterPages.context(req)
        return access(money, try await offer(id, in: money.coopID, on: req.db))
    }, page: { req, id, state, status in
        try await view(req, id: id, state: state, status: status)
    }, path: { slug, id in "/c/\(slug)/barter/offers/\(id)" })
}
