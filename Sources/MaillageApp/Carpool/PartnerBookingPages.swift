import Fluent
import MaillageCore
import Plot
import SQLKit
import Vapor

/// The driver's answer to seats booked by partner operators for their own users: on the ride's
/// page, each booking with its status; a waiting one is confirmed (its seat taken by the same
/// conditional update as an accepted ask, `CarpoolSeats`) or declined, a confirmed one cancelled
/// after a confirmation. The partner reads the new status when it fetches the booking.
enum PartnerBookingPages {
    struct Shown: Sendable, Decodable {
        var id: UUID
        var travel_date: String
        var leg: String
        var status: String
        var passenger_alias: String
        var passenger_operator: String
        var partner_name: String
        var pickup_at: Date
        var driver_confirmed_at: Date?

        var standardStatus: StandardBookingStatus { StandardBookingStatus(rawValue: status) ?? .cancelled }
    }

    static func routes(_ routes: any RoutesBuilder) {
        let driver = routes.grouped(RequireLoginMiddleware()).grouped("c", ":slug", "carpool", "ads", ":id", "partner-bookings", ":booking")
        driver.post("confirm") { try await answer($0, to: .confirmed) }
        driver.post("decline") { try await answer($0, to: .cancelled) }
        driver.post("completed", use: completed)
        driver.get("cancel", use: cancelQuestion)
        driver.post("cancel", use: cancel)
    }

    static func bookings(on ad: UUID, on db: any Database) async throws -> [Shown] {
        try await db.sql.select()
            .column(SQLColumn("id", table: "b")).column(SQLColumn("travel_date", table: "b")).column(SQLColumn("leg", table: "b"))
            .column(SQLColumn("status", table: "b")).column(SQLColumn("passenger_alias", table: "b"))
            .column(SQLColumn("passenger_operator", table: "b")).column(SQLAlias(SQLColumn("name", table: "k"), as: SQLIdentifier("partner_name")))
            .column(SQLColumn("pickup_at", table: "b")).column(SQLColumn("driver_confirmed_at", table: "b"))
            .from(SQLAlias(SQLIdentifier("carpool_partner_bookings"), as: SQLIdentifier("b")))
            .join(SQLAlias(SQLIdentifier("carpool_partner_keys"), as: SQLIdentifier("k")), on: SQLColumn("partner_key_id", table: "b"), .equal, SQLColumn("id", table: "k"))
            .where(SQLColumn("ad_id", table: "b"), .equal, SQLBind(ad))
            .orderBy(SQLColumn("travel_date", table: "b")).orderBy(SQLColumn("created_at", table: "b"))
            .all(decoding: Shown.self)
    }

    static func label(_ status: StandardBookingStatus) -> Localized {
        switch status {
        case .waitingConfirmation: Localized(fr: "En attente de votre réponse", en: "Waiting for your answer")
        case .confirmed: Localized(fr: "Confirmée", en: "Confirmed")
        case .cancelled: Localized(fr: "Annulée", en: "Cancelled")
        case .completedPendingValidation: Localized(fr: "Effectuée, à valider", en: "Completed, to be validated")
        case .validated: Localized(fr: "Effectuée et validée", en: "Completed and validated")
        }
    }

    /// The section of the ride's page its driver sees; nothing when no partner booked.
    static func section(_ req: Request, access: CarpoolAccess, ad: RideAdRow) async throws -> Node<HTML.BodyContext> {
        let found = try await bookings(on: ad.id, on: req.db)
        guard !found.isEmpty else { return .empty }
        let t = req.t, language = req.language, base = "\(access.base)/ads/\(ad.id)/partner-bookings"
        return .section(.id("partner-bookings"),
            .h2(.text(t("Réservations venues de plateformes partenaires", "Bookings from partner platforms"))),
            .p(.class("hint"), .text(t("Ces personnes sont inscrites sur une autre plateforme de covoiturage, qui a réservé pour elles. Elle verra votre réponse.",
                                       "These people are registered on another carpool platform, which booked for them. It will see your answer."))),
            .ul(.class("cards"), .forEach(found) { booking in
                let who = "\(booking.passenger_alias) (\(booking.partner_name))"
                let day = LocalDate(iso: booking.travel_date).map { CarpoolAdPages.rideDay($0, language) } ?? booking.travel_date
                return .li(.class("card"), .article(
                    .h3(.text("\(day) · \(t((RideLeg(rawValue: booking.leg) ?? .outward).label)) · \(who)")),
                    .p(.class("meta"), .text(t(label(booking.standardStatus)))),
                    booking.standardStatus == .waitingConfirmation ? .div(.class("actions"),
                        Form.post(req, action: "\(base)/\(booking.id)/confirm",
                                  .button(.type(.submit), .attribute(named: "aria-label", value: t("Confirmer la place de \(who)", "Confirm the seat of \(who)")),
                                          .text(t("Confirmer", "Confirm")))),
                        Form.post(req, action: "\(base)/\(booking.id)/decline",
                                  .button(.type(.submit), .class("secondary"), .attribute(named: "aria-label", value: t("Refuser la demande de \(who)", "Decline the request of \(who)")),
                                          .text(t("Refuser", "Decline"))))) : .empty,
                    booking.standardStatus == .completedPendingValidation && booking.driver_confirmed_at != nil
                        ? .p(.class("hint"), .text(t("Vous avez dit que le trajet a eu lieu ; la plateforme partenaire le validera pour sa passagère ou son passager.",
                                                     "You said the ride happened; the partner platform will validate it for its passenger."))) : .empty,
                    [.confirmed, .completedPendingValidation].contains(booking.standardStatus) && booking.driver_confirmed_at == nil && booking.pickup_at <= Date()
                        ? .div(.class("actions"), Form.post(req, action: "\(base)/\(booking.id)/completed",
                              .button(.type(.submit), .attribute(named: "aria-label", value: t("Le trajet avec \(who) a eu lieu", "The ride with \(who) happened")),
                                      .text(t("Le trajet a eu lieu", "The ride happened"))))) : .empty,
                    booking.standardStatus == .confirmed
                        ? Confirmation.ask(t("Annuler", "Cancel"), at: "\(base)/\(booking.id)/cancel", ariaLabel: t("Annuler la place de \(who)", "Cancel the seat of \(who)"))
                        : .empty))
            }))
    }

    /// The booking on the driver's own ride; anyone else finds nothing.
    static func mine(_ req: Request, access: CarpoolAccess) async throws -> (RideAdRow, PartnerBookingRow) {
        let ad = try await CarpoolAds.find(req.parameters.get("id", as: UUID.self), in: access.coopID, on: req.db)
        guard ad.author_id == access.user?.id, let id = req.parameters.get("booking", as: UUID.self),
              let row = try await req.db.sql.select().columns(StandardBookings.columns.map { SQLColumn($0) }).from("carpool_partner_bookings")
                .where("id", .equal, SQLBind(id)).where("ad_id", .equal, SQLBind(ad.id)).where("cooperative_id", .equal, SQLBind(access.coopID))
                .first(decoding: PartnerBookingRow.self)
        else { throw StandardBookings.missingBooking }
        return (ad, row)
    }

    static func answer(_ req: Request, to next: StandardBookingStatus) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true)
        let (ad, row) = try await mine(req, access: access)
        let page = "\(access.base)/ads/\(ad.id)"
        // A full car or a booking the partner moved meanwhile is refused in words on the error page.
        _ = try await StandardBookings.move(row, to: next, on: req.db)
        return req.done(next == .confirmed
                        ? Localized(fr: "Place confirmée pour \(row.passenger_alias).", en: "Seat confirmed for \(row.passenger_alias).")
                        : Localized(fr: "Demande de \(row.passenger_alias) refusée.", en: "Request of \(row.passenger_alias) declined."),
                        goTo: page + "#partner-bookings")
    }

    /// The driver's word that the ride happened: with the partner's for its passenger, the booking is validated
    /// (the standard's VALIDATED), which the partner reads when it fetches the booking.
    @Sendable static func completed(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true)
        let (ad, row) = try await mine(req, access: access)
        let now = try await StandardBookings.driverCompleted(row, on: req.db)
        return req.done(now == .validated
                        ? Localized(fr: "Trajet avec \(row.passenger_alias) validé des deux côtés.", en: "Ride with \(row.passenger_alias) validated by both sides.")
                        : Localized(fr: "Trajet avec \(row.passenger_alias) noté comme effectué ; la plateforme partenaire le validera.",
                                    en: "Ride with \(row.passenger_alias) marked as done; the partner platform will validate it."),
                        goTo: "\(access.base)/ads/\(ad.id)#partner-bookings")
    }

    @Sendable static func cancelQuestion(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true)
        let (ad, row) = try await mine(req, access: access)
        let t = req.t
        return Confirmation.page(req, title: t("Annuler la place de \(row.passenger_alias) ?", "Cancel the seat of \(row.passenger_alias)?"),
            consequences: [t("La plateforme partenaire verra la réservation annulée et prévient la personne.", "The partner platform will see the booking cancelled and tells the person."),
                           t("La place est libérée pour d’autres.", "The seat is freed for others.")],
            action: "\(access.base)/ads/\(ad.id)/partner-bookings/\(row.id)/cancel", button: t("Annuler la place", "Cancel the seat"),
            back: "\(access.base)/ads/\(ad.id)#partner-bookings")
    }

    @Sendable static func cancel(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true)
        let (ad, row) = try await mine(req, access: access)
        let question = "\(access.base)/ads/\(ad.id)/partner-bookings/\(row.id)/cancel"
        guard req.isConfirmed else { return req.askFirst(question) }
        _ = try await StandardBookings.move(row, to: .cancelled, on: req.db)
        return req.done(Localized(fr: "Place de \(row.passenger_alias) annulée.", en: "Seat of \(row.passenger_alias) cancelled."),
                        goTo: "\(access.base)/ads/\(ad.id)#partner-bookings")
    }
}
