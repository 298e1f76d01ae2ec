import Fluent
import Foundation
import MaillageCore
import Plot
import SQLKit
import Vapor

/// After a completed ride, each side may write a few words about the other, when the
/// cooperative turned reviews on. Text only, shown on the ask page to its two people: no stars,
/// no score, no page that ranks anyone.
enum CarpoolReviews {
    struct Row: Sendable, Decodable {
        var author_id: UUID
        var about_id: UUID
        var body: String
        var created_at: Date
    }

    struct ReviewForm: Content { var body: String? }

    static func of(ask: UUID, on db: any Database) async throws -> [Row] {
        try await db.sql.select().columns("author_id", "about_id", "body", "created_at").from("carpool_reviews")
            .where("ask_id", .equal, SQLBind(ask)).orderBy("created_at").all(decoding: Row.self)
    }

    /// Writes `person`'s review of the other side of `ask`; one per person and ask (a unique key).
    static func write(_ body: String, on ask: RideAskRow, by person: UUID, on db: any Database) async throws {
        guard ask.side(of: person) != nil else { throw Problem.notFound(CarpoolAsks.askWord) }
        let settings = try await CarpoolSettings.of(ask.cooperative_id, on: db)
        let text = try RideReview.check(body, status: ask.askStatus, reviewsOn: settings.reviews)
        let written = try await db.sql.insert(into: "carpool_reviews").columns("id", "ask_id", "author_id", "about_id", "body", "created_at")
            .values(SQLBind(UUID()), SQLBind(ask.id), SQLBind(person), SQLBind(ask.other(than: person)), SQLBind(text), SQLBind(Date()))
            .ignoringConflicts().returning("id").all()
        guard !written.isEmpty else { throw RideReview.already }
    }

    /// The reviews of a completed ride and, for a side that has not written yet, the form.
    /// Empty when reviews are off or the ride is not completed.
    static func section(_ req: Request, access: CarpoolAccess, ask: RideAskRow, state: FormState = FormState()) async throws -> Node<HTML.BodyContext> {
        guard ask.askStatus == .completed, let person = access.user?.id, ask.side(of: person) != nil,
              try await CarpoolSettings.of(access.coopID, on: req.db).reviews else { return .empty }
        let t = req.t, language = req.language
        let reviews = try await of(ask: ask.id, on: req.db)
        let names = try await CarpoolAccess.names([ask.driver_id, ask.passenger_id], on: req.db)
        let wrote = reviews.contains { $0.author_id == person }
        return .section(.attribute(named: "aria-labelledby", value: "reviews"),
            .h2(.id("reviews"), .text(t("Avis après le trajet", "Reviews after the ride"))),
            reviews.isEmpty ? .p(.text(t("Pas encore d’avis.", "No review yet."))) : .ul(.forEach(reviews) { review in
                .li(.p(.strong(.text(review.author_id == person ? t("Votre avis", "Your review")
                                     : t("Avis de \(names[review.author_id] ?? "")", "Review by \(names[review.author_id] ?? "")"))),
                       .text(" — " + DateText.short(review.created_at, language))),
                    .p(.class("keep-lines"), .text(review.body)))
            }),
            wrote ? .empty : Form.post(req, action: "\(access.base)/asks/\(ask.id)/review",
                Form.summary(state, t),
                Form.textarea("body", label: t("Votre avis sur \(names[ask.other(than: person)] ?? "")", "Your review of \(names[ask.other(than: person)] ?? "")"),
                              state: state, t, rows: 3,
                              hint: t("Quelques mots pour les autres membres : ponctualité, conduite, ambiance. Pas de note ni d’étoiles. Un avis ne se modifie pas.",
                                      "A few words for the other members: punctuality, driving, atmosphere. No marks, no stars. A review cannot be changed.")),
                Form.submit(t("Publier l’avis", "Publish the review"))))
    }

    static func pages(_ routes: any RoutesBuilder) {
        routes.grouped(RequireLoginMiddleware()).post("c", ":slug", "carpool", "asks", ":id", "review", use: post)
    }

    @Sendable static func post(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true)
        let person = try access.memberID()
        let ask = try await CarpoolAsks.find(req.parameters.get("id", as: UUID.self), in: access.coopID, for: person, on: req.db)
        let form = try req.content.decode(ReviewForm.self)
        do {
            try await write(form.body ?? "", on: ask, by: person, on: req.db)
            return req.done(Localized(fr: "Avis publié. Merci !", en: "Review published. Thank you!"), goTo: "\(access.base)/asks/\(ask.id)#reviews")
        } catch let error as DomainError {
            // The form comes back on a page of its own, with what was typed and what to fix.
            let t = req.t
            let state = try FormState(refused: error, values: ["body": form.body ?? ""])
            return Layout.page(req, title: t("Avis après le trajet", "Review after the ride"), status: error.status,
                .p(.a(.href("\(access.base)/asks/\(ask.id)"), .text("← " + t("La demande", "The request")))),
                .h1(.text(t("Avis après le trajet", "Review after the ride"))),
                error.field == nil ? .p(.class("error-message"), .attribute(named: "role", value: "alert"), .text(t(error.message))) : .empty,
                try await section(req, access: access, ask: ask, state: state))
        }
    }
}
