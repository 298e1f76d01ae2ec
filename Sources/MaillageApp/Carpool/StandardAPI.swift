import Fluent
import Foundation
import MaillageCore
import SQLKit
import Vapor

/// The "standard covoiturage" operator API, served for partner operators at
/// `/c/<slug>/carpool/standard/…` (and, documented, `/api/v1/cooperatives/<slug>/carpool/standard/…`):
/// journeys and regular trips from our ads, bookings of a seat for the partner's users, their
/// messages to our drivers. Every call but `status` carries the partner's `X-API-Key`; errors take
/// the standard's shape `{"error": code, "message": text}` with its status codes (400, not 422).
enum StandardAPI {
    static let paths = ["driver_journeys", "passenger_journeys", "driver_regular_trips", "passenger_regular_trips",
                        "bookings", "booking_events", "messages", "status"]

    static func pages(_ routes: any RoutesBuilder) {
        register(routes.grouped("c", ":slug", "carpool", "standard"), exemptFromCSRF: true)
        StandardPartnerPages.routes(routes)
    }

    static func api(_ routes: any RoutesBuilder) {
        register(routes.grouped("cooperatives", ":slug", "carpool", "standard"), exemptFromCSRF: false)
    }

    /// Partners post without the person's cookies by design: their key is the proof, not a session.
    private static func register(_ group: any RoutesBuilder, exemptFromCSRF: Bool) {
        group.get("driver_journeys") { try await journeys($0, drivers: true) }
        group.get("passenger_journeys") { try await journeys($0, drivers: false) }
        group.get("driver_regular_trips") { try await regularTrips($0, drivers: true) }
        group.get("passenger_regular_trips") { try await regularTrips($0, drivers: false) }
        group.get("bookings", ":bookingId", use: booking)
        group.get("status", use: status)
        let posts = [group.post("bookings", use: book), group.patch("bookings", ":bookingId", use: moveBooking),
                     group.post("booking_events", use: bookingEvent), group.post("messages", use: message)]
        if exemptFromCSRF { posts.forEach { $0.withoutCSRF() } }
    }

    struct Context {
        var access: CarpoolAccess
        var partner: StandardPartners.Partner
        var operatorName: String
        var baseURL: String
    }

    /// Runs `body` for a known partner of a carpool cooperative and answers errors in the standard's shape.
    static func answer(_ req: Request, keyed: Bool = true, _ body: (Context) async throws -> Response) async throws -> Response {
        do {
            let access = try await CarpoolAccess(req)
            let partner = keyed ? try await StandardPartners.authenticate(req, coop: access.coopID)
                                : StandardPartners.Partner(id: UUID(), cooperative_id: access.coopID, name: "", created_at: Date(), revoked_at: nil)
            let base = PublicAddress.baseURL(req)
            return try await body(Context(access: access, partner: partner, operatorName: URL(string: base)?.host ?? "localhost", baseURL: base))
        } catch let error as DomainError {
            return try problem(error.code, error.message.en, status: status(of: error))
        } catch let errors as ValidationErrors {
            let first = errors.errors.first
            return try problem(first?.code ?? "bad_request", errors.reason, status: .badRequest)
        } catch let error as DecodingError {
            return try problem("bad_request", "The body does not match the standard's schema: \(String(describing: error).prefix(300))", status: .badRequest)
        } catch let error as any AbortError where (400..<500).contains(Int(error.status.code)) {
            return try problem("bad_request", error.reason, status: error.status == .unprocessableEntity ? .badRequest : error.status)
        }
    }

    static func status(of error: DomainError) -> HTTPResponseStatus {
        switch error.kind {
        case .invalid: .badRequest
        case .notFound: .notFound
        case .conflict: .conflict
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .tooManyRequests: .tooManyRequests
        }
    }

    static func problem(_ code: String, _ message: String, status: HTTPResponseStatus) throws -> Response {
        try json(["error": code, "message": message], status: status)
    }

    static func json(_ value: some Encodable, status: HTTPResponseStatus = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let response = Response(status: status, body: .init(data: try encoder.encode(value)))
        response.headers.contentType = .json
        return response
    }

    /// The query string as the standard sends it; a repeated name (`explode`d arrays) joins with commas.
    /// The query string's values by name, read once (a name given twice keeps both, comma-joined);
    /// `+` is a space and `%XX` a byte, as in a form.
    static func queryItems(_ req: Request) -> [String: String] {
        var out: [String: String] = [:]
        for pair in (req.url.query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decoded(_ text: Substring) -> String? { text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding }
            guard parts.count == 2, let name = decoded(parts[0]), let value = decoded(parts[1]) else { continue }
            out[name] = out[name].map { "\($0),\(value)" } ?? value
        }
        return out
    }

    // MARK: Journeys

    @Sendable static func journeys(_ req: Request, drivers: Bool) async throws -> Response {
        try await answer(req) { ctx in
            let query = try StandardJourneyQuery.punctual(queryItems(req))
            let settings = try await CarpoolSettings.of(ctx.access.coopID, on: req.db)
            let found = try await StandardJourneys.punctual(query, drivers: drivers, coop: ctx.access.coopID, on: req.db)
            return try json(found.map { StandardDTO.Journey($0, drivers: drivers, ctx: ctx, settings: settings) })
        }
    }

    @Sendable static func regularTrips(_ req: Request, drivers: Bool) async throws -> Response {
        try await answer(req) { ctx in
            let query = try StandardJourneyQuery.regular(queryItems(req))
            let settings = try await CarpoolSettings.of(ctx.access.coopID, on: req.db)
            let found = try await StandardJourneys.regular(query, drivers: drivers, coop: ctx.access.coopID, on: req.db)
            return try json(found.map { StandardDTO.RegularTrip($0, drivers: drivers, ctx: ctx, settings: settings) })
        }
    }

    // MARK: Bookings

    static let missingJourney = DomainError(.invalid, code: "missing_journey", field: "driverJourneyId",
        fr: "Ce trajet n’existe pas ou ne circule pas ce jour-là.", en: "This journey does not exist or does not run that day.")
    static let pastJourney = DomainError(.invalid, code: "past_journey", field: "driverJourneyId",
        fr: "Ce trajet est déjà parti.", en: "This journey has already left.")

    @Sendable static func book(_ req: Request) async throws -> Response {
        try await answer(req) { ctx in
            let input = try req.content.decode(StandardDTO.Booking.self, using: JSONDecoder())
            guard let id = UUID(uuidString: input.id) else { throw invalid("id") }
            let status = try StandardBookingRules.status(input.status)
            guard let journeyText = input.driverJourneyId, let journeyID = StandardJourneyID(journeyText),
                  let journey = try await StandardJourneys.find(journeyID, coop: ctx.access.coopID, on: req.db),
                  journey.ad.rideRole.drives else { throw missingJourney }
            guard Double(journey.pickupAt) >= Date().timeIntervalSince1970 else { throw pastJourney }
            guard let pickup = GeoPoint(lat: input.passengerPickupLat, lon: input.passengerPickupLng) else { throw invalid("passengerPickupLat") }
            guard let drop = GeoPoint(lat: input.passengerDropLat, lon: input.passengerDropLng) else { throw invalid("passengerDropLat") }
            let passenger = StandardBookings.Passenger(alias: try short(input.passenger.alias, "passenger.alias"), ref: try short(input.passenger.id, "passenger.id"),
                                                       operatorName: try short(input.passenger.operator, "passenger.operator"))
            let row = try await StandardBookings.create(id: id, journey: journey, status: status, passenger: passenger, pickup: pickup, drop: drop,
                                                        partner: ctx.partner.id, coop: ctx.access.coopID, on: req.db)
            let (partnerName, base) = (ctx.partner.name, ctx.access.base)
            try await req.db.writeTransaction { tx in try await tellDriver(journey.ad, booking: row, partner: partnerName, base: base, on: tx) }
            return try json(try await StandardDTO.Booking(row, ctx: ctx, on: req.db), status: .created)
        }
    }

    @Sendable static func booking(_ req: Request) async throws -> Response {
        try await answer(req) { ctx in
            let row = try await StandardBookings.find(req.parameters.get("bookingId", as: UUID.self), partner: ctx.partner.id,
                                                      coop: ctx.access.coopID, on: req.db)
            return try json(try await StandardDTO.Booking(row, ctx: ctx, on: req.db))
        }
    }

    @Sendable static func moveBooking(_ req: Request) async throws -> Response {
        try await answer(req) { ctx in
            let params = queryItems(req)
            let row = try await StandardBookings.find(req.parameters.get("bookingId", as: UUID.self), partner: ctx.partner.id,
                                                      coop: ctx.access.coopID, on: req.db)
            let next = try StandardBookingRules.status(params["status"])
            if let message = params["message"], message.count > 500 { throw invalid("message") }
            let moved = try await StandardBookings.move(row, to: next, on: req.db)
            let ad = try await CarpoolAds.find(moved.ad_id, in: ctx.access.coopID, on: req.db)
            let note = params["message"] ?? ""
            let (partnerName, base) = (ctx.partner.name, ctx.access.base)
            try await req.db.writeTransaction { tx in try await tellDriver(ad, booking: moved, partner: partnerName, base: base, message: note, on: tx) }
            return try json(try await StandardDTO.Booking(moved, ctx: ctx, on: req.db))
        }
    }

    /// A partner tells us where a booking stands on its side: applied when it is a later status of
    /// one of its bookings here, acknowledged otherwise (the standard's webhook answers 200).
    @Sendable static func bookingEvent(_ req: Request) async throws -> Response {
        try await answer(req) { ctx in
            let event = try req.content.decode(StandardDTO.BookingEvent.self, using: JSONDecoder())
            guard UUID(uuidString: event.id) != nil else { throw invalid("id") }
            let next = try StandardBookingRules.status(event.data.status)
            if let id = UUID(uuidString: event.data.id),
               let row = try? await StandardBookings.find(id, partner: ctx.partner.id, coop: ctx.access.coopID, on: req.db),
               (try? StandardBookingRules.check(from: row.standardStatus, to: next)) != nil {
                _ = try await StandardBookings.move(row, to: next, on: req.db)
            }
            return Response(status: .ok)
        }
    }

    // MARK: Messages and status

    static let missingTarget = DomainError(.notFound, code: "missing_journey",
        fr: "Le trajet ou la réservation visés n’existent pas ici.", en: "The targeted journey or booking does not exist here.")

    /// A partner's user writes to one of our drivers (or passengers) about a journey or a booking:
    /// kept, and the member is told in their notices.
    @Sendable static func message(_ req: Request) async throws -> Response {
        try await answer(req) { ctx in
            let input = try req.content.decode(StandardDTO.Message.self, using: JSONDecoder())
            let text = input.message.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty, text.count <= 500 else { throw invalid("message") }
            guard ["DRIVER", "PASSENGER"].contains(input.recipientCarpoolerType) else { throw invalid("recipientCarpoolerType") }
            var ad: RideAdRow?, bookingID: UUID?
            if let text = input.bookingId {
                let row = try await StandardBookings.find(UUID(uuidString: text), partner: ctx.partner.id, coop: ctx.access.coopID, on: req.db)
                bookingID = row.id
                ad = try await CarpoolAds.find(row.ad_id, in: ctx.access.coopID, on: req.db)
            } else if let text = input.driverJourneyId ?? input.passengerJourneyId {
                guard let id = StandardJourneyID(text), let journey = try await StandardJourneys.find(id, coop: ctx.access.coopID, on: req.db)
                else { throw missingTarget }
                ad = journey.ad
            }
            guard let ad else { throw invalid("driverJourneyId") }
            let sender = try short(input.from.alias, "from.alias")
            let (coop, partner, partnerName, link, booking) = (ctx.access.coopID, ctx.partner.id, ctx.partner.name, "\(ctx.access.base)/ads/\(ad.id)", bookingID)
            // Queued with the other writes: a plain write between a transaction's read and its write would make it fail on SQLite.
            try await req.db.writeTransaction { tx in
                try await tx.sql.insert(into: "carpool_partner_messages")
                    .columns("id", "cooperative_id", "partner_key_id", "ad_id", "booking_id", "sender_alias", "body", "created_at")
                    .values(SQLBind(UUID()), SQLBind(coop), SQLBind(partner), SQLBind(ad.id), SQLBind(booking),
                            SQLBind(sender), SQLBind(text), SQLBind(Date())).run()
                try await Inbox.notify(ad.author_id,
                    Localized(fr: "\(sender) (via \(partnerName)) vous écrit au sujet de votre trajet \(ad.origin_name) → \(ad.destination_name) : « \(text) »",
                              en: "\(sender) (through \(partnerName)) writes about your ride \(ad.origin_name) → \(ad.destination_name): “\(text)”"),
                    link: link, kind: .rides, on: tx)
            }
            return Response(status: .created)
        }
    }

    @Sendable static func status(_ req: Request) async throws -> Response {
        try await answer(req, keyed: false) { _ in try json(["status": "ok"]) }
    }

    static func invalid(_ field: String) -> DomainError {
        DomainError(.invalid, code: "invalid_parameter", field: field,
                    fr: "Valeur manquante ou invalide : \(field).", en: "Missing or invalid value: \(field).")
    }

    static func short(_ text: String, _ field: String) throws -> String {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= 255 else { throw invalid(field) }
        return text
    }

    /// The driver hears of a partner booking and of its changes, in the `rides` notices.
    static func tellDriver(_ ad: RideAdRow, booking: PartnerBookingRow, partner: String, base: String, message: String = "",
                           on db: any Database) async throws {
        let who = "\(booking.passenger_alias) (\(partner))"
        let trip = "\(ad.origin_name) → \(ad.destination_name), \(booking.travel_date)"
        let note = message.isEmpty ? "" : " « \(message) »"
        let text: Localized = switch booking.standardStatus {
        case .waitingConfirmation: Localized(fr: "\(who) demande une place sur votre trajet \(trip).", en: "\(who) asks for a seat on your ride \(trip).")
        case .confirmed: Localized(fr: "\(who) a une place confirmée sur votre trajet \(trip).\(note)", en: "\(who) has a confirmed seat on your ride \(trip).\(note)")
        case .cancelled: Localized(fr: "\(who) a annulé sa place sur votre trajet \(trip).\(note)", en: "\(who) cancelled their seat on your ride \(trip).\(note)")
        case .completedPendingValidation, .validated:
            Localized(fr: "Le trajet \(trip) avec \(who) est noté comme effectué.", en: "The ride \(trip) with \(who) is marked as completed.")
        }
        try await Inbox.notify(ad.author_id, text, link: "\(base)/ads/\(ad.id)", kind: .rides, on: db)
    }
}
