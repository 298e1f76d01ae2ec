import Fluent
import Foundation
import MaillageCore
import Vapor

/// `/api/v1/cooperatives/{slug}/carpool/…`: the same search, ads and asks as the pages, for
/// apps and partner platforms. A place is a relay point id, a commune, or coordinates.
enum CarpoolAPI {
    static func routes(_ routes: any RoutesBuilder) {
        let carpool = routes.grouped("cooperatives", ":slug", "carpool")
        carpool.get("relay-points", use: relayPoints)
        carpool.get("search", use: search)
        carpool.get("settings", use: settings)
        carpool.post("ads", use: publish)
        carpool.get("ads", ":id", use: ad)
        carpool.delete("ads", ":id", use: withdraw)
        carpool.post("ads", ":id", "asks", use: openAsk)
        carpool.get("asks", use: asks)
        carpool.get("asks", ":id", use: ask)
        carpool.post("asks", ":id", "pay", use: pay)
        carpool.post("asks", ":id", ":action", use: act)
    }

    struct PlaceInput: Content {
        var relayPoint: UUID?
        var commune: String?
        var lat: Double?
        var lon: Double?
        var name: String?

        func resolved(_ relayPoints: [RelayPoint], field: String) throws -> RidePlace {
            guard let place = CarpoolPlaces.resolve(relayPoint: relayPoint, commune: commune, lat: lat, lon: lon, name: name, relayPoints)
            else { throw CarpoolErrors.unknownPlace(field) }
            return place
        }
    }

    struct WeekdayInput: Content {
        var weekday: Int
        var outward: String?
        var `return`: String?
    }

    struct AdInput: Content {
        var role: String
        var from: PlaceInput
        var to: PlaceInput
        var frequency: String
        var date: String?
        var time: String?
        var returnDate: String?
        var returnTime: String?
        var margin: Int?
        var fromDate: String?
        var untilDate: String?
        var schedule: [WeekdayInput]?
        var seats: Int?
        var options: [String]?
        var comment: String?
        var phone: String?
        var community: UUID?
    }

    struct AdDTO: Content {
        var id: UUID
        var role: String
        var frequency: String
        var from: PlaceDTO
        var to: PlaceDTO
        var distanceKm: Double
        var minutes: Double
        var fromDate: String
        var untilDate: String
        var seats: Int
        var options: [String]
        var comment: String
        var times: [TimeDTO]
        var withdrawn: Bool

        init(_ row: RideAdRow, times rows: [RideTimeRow]) {
            id = row.id; role = row.role; frequency = row.frequency
            from = PlaceDTO(name: row.origin_name, lat: row.origin_lat, lon: row.origin_lon)
            to = PlaceDTO(name: row.destination_name, lat: row.destination_lat, lon: row.destination_lon)
            distanceKm = (row.distance_km * 10).rounded() / 10; minutes = row.minutes.rounded()
            fromDate = row.from_date; untilDate = row.until_date; seats = row.seats; options = row.optionList.map(\.rawValue)
            comment = row.comment; withdrawn = row.withdrawn_at != nil
            times = rows.map { TimeDTO(leg: $0.leg, date: $0.on_date, weekday: $0.weekday, time: RideTime.clock($0.minute), margin: $0.margin) }
        }
    }

    struct PlaceDTO: Content { var name: String; var lat: Double; var lon: Double }
    struct TimeDTO: Content { var leg: String; var date: String?; var weekday: Int?; var time: String; var margin: Int }

    struct ResultDTO: Content {
        var ad: UUID
        var role: String
        var leg: String
        var date: String
        var time: String
        var margin: Int
        var from: String
        var to: String
        var seatsLeft: Int
        var detourKm: Double
        var detourMinutes: Double
        var noticeableDetour: Bool
        var sharedKm: Double
        var walkToPickupMinutes: Double
        var walkFromDropoffMinutes: Double
        var suggestedContributionCents: Int64
    }

    struct AskInput: Content {
        var date: String
        var leg: String?
        var seats: Int?
        var askSeat: Bool?
        var pickup: PlaceInput?
        var dropoff: PlaceInput?
        var phone: String?
    }

    struct AskDTO: Content {
        var id: UUID
        var ad: UUID
        var date: String
        var leg: String
        var driver: UUID
        var passenger: UUID
        var askedBy: String
        var status: String
        var seats: Int
        var pickup: String
        var dropoff: String
        var sharedKm: Double
        var suggestedContributionCents: Int64
        var paidAt: Date?
        var createdAt: Date
        var updatedAt: Date

        init(_ row: RideAskRow) {
            id = row.id; ad = row.ad_id; date = row.travel_date; leg = row.leg; driver = row.driver_id; passenger = row.passenger_id
            askedBy = row.asked_by; status = row.status; seats = row.seats; pickup = row.pickup_name; dropoff = row.dropoff_name
            sharedKm = (row.shared_km * 10).rounded() / 10; suggestedContributionCents = row.contribution_cents
            paidAt = row.paid_at; createdAt = row.created_at; updatedAt = row.updated_at
        }
    }

    struct SettingsDTO: Content {
        var contribution: String
        var centsPerKm: Int?
        var payment: String
        var reviews: Bool
    }

    struct ActionInput: Content { var reason: String? }
    struct List<T: Content>: Content { var data: [T] }

    @Sendable static func relayPoints(_ req: Request) async throws -> List<RelayPointDTO> {
        let access = try await CarpoolAccess(req)
        return List(data: try await RelayPoint.all(of: access.coopID, on: req.db).map(RelayPointDTO.init))
    }

    struct RelayPointDTO: Content {
        var id: UUID; var name: String; var kind: String; var commune: String; var lat: Double; var lon: Double; var description: String
        init(_ point: RelayPoint) {
            id = point.id; name = point.name; kind = point.kind; commune = point.commune; lat = point.lat; lon = point.lon; description = point.description
        }
    }

    @Sendable static func settings(_ req: Request) async throws -> SettingsDTO {
        let access = try await CarpoolAccess(req)
        let settings = try await CarpoolSettings.of(access.coopID, on: req.db)
        return SettingsDTO(contribution: settings.contribution == .free ? "free" : "at-cost",
                           centsPerKm: settings.contribution == .free ? nil : settings.centsPerKm,
                           payment: settings.payment.rawValue, reviews: settings.reviews)
    }

    @Sendable static func search(_ req: Request) async throws -> List<ResultDTO> {
        let access = try await CarpoolAccess(req)
        let relayPoints = try await RelayPoint.all(of: access.coopID, on: req.db)
        // The query string is read once (each `req.query[…]` parses it again: a third of a search's CPU).
        let asked = StandardAPI.queryItems(req)
        func place(_ prefix: String) -> RidePlace? {
            CarpoolPlaces.resolve(relayPoint: asked["\(prefix)RelayPoint"].flatMap(UUID.init(uuidString:)), commune: asked["\(prefix)Commune"],
                                  lat: asked["\(prefix)Lat"].flatMap(Double.init), lon: asked["\(prefix)Lon"].flatMap(Double.init),
                                  name: nil, relayPoints)
        }
        var errors = ValidationErrors()
        let origin = place("from"), destination = place("to")
        if origin == nil { errors.add(CarpoolErrors.unknownPlace("from")) }
        if destination == nil { errors.add(CarpoolErrors.unknownPlace("to")) }
        let date = LocalDate(iso: asked["date"] ?? "")
        if date == nil { errors.add(CarpoolErrors.date("date")) }
        let timeText = asked["time"]
        let minute = timeText.flatMap(RideTime.minute(of:))
        if timeText != nil && minute == nil { errors.add(CarpoolErrors.time("time")) }
        let role = RideRole(rawValue: asked["lookingFor"] ?? "driver")
        if role == nil || role == .both { errors.add(CarpoolErrors.unknownChoice("lookingFor")) }
        try errors.throwIfAny()
        guard let origin, let destination, let date, let role else { throw CarpoolErrors.unknownPlace("from") }
        let query = CarpoolSearch.Query(origin: origin, destination: destination, date: date, time: minute.map { RideTime(minute: $0, margin: 60) },
                                        lookingFor: role, person: req.user?.id)
        let limit = min(max(asked["limit"].flatMap { Int($0) } ?? 50, 1), 200)
        let settings = try await CarpoolSettings.of(access.coopID, on: req.db)
        let results = try await CarpoolSearch.run(query, coop: access.coopID, relayPoints: relayPoints.compactMap(\.point), limit: limit, index: req.application.carpoolSearchIndex, on: req.db)
        return List(data: results.map { result in
            let (from, to) = result.leg == .outward ? (result.ad.origin_name, result.ad.destination_name) : (result.ad.destination_name, result.ad.origin_name)
            let match = result.match
            return ResultDTO(ad: result.ad.id, role: result.ad.role, leg: result.leg.rawValue, date: result.date.iso, time: result.time.clock,
                             margin: result.time.margin, from: from, to: to, seatsLeft: result.seatsLeft,
                             detourKm: (match.detourKm * 10).rounded() / 10, detourMinutes: match.detourMinutes.rounded(),
                             noticeableDetour: match.isNoticeable, sharedKm: (match.commonKm * 10).rounded() / 10,
                             walkToPickupMinutes: match.walkToPickupMinutes.rounded(), walkFromDropoffMinutes: match.walkFromDropoffMinutes.rounded(),
                             suggestedContributionCents: settings.contribution.suggestedCents(km: match.commonKm))
        })
    }

    @Sendable static func publish(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true)
        let input = try req.content.decode(AdInput.self)
        let relayPoints = try await RelayPoint.all(of: access.coopID, on: req.db)
        var weekdays: [Int: (outward: String, back: String)] = [:]
        for day in input.schedule ?? [] {
            guard (1...7).contains(day.weekday) else { throw CarpoolErrors.unknownChoice("schedule") }
            weekdays[day.weekday] = (day.outward ?? "", day.return ?? "")
        }
        let draft = RideDraft(role: input.role, frequency: input.frequency, date: input.date ?? "", time: input.time ?? "",
                              returnDate: input.returnDate ?? "", returnTime: input.returnTime ?? "", margin: input.margin.map { "\($0)" } ?? "",
                              fromDate: input.fromDate ?? "", untilDate: input.untilDate ?? "", weekdays: weekdays,
                              seats: input.seats.map { "\($0)" } ?? "", options: input.options ?? [], comment: input.comment ?? "")
        let member = try access.memberID()
        let community = try await CarpoolAds.community(input.community?.uuidString, for: member, in: access.coopID, on: req.db)
        let ad = try draft.validated(origin: try? input.from.resolved(relayPoints, field: "from"), destination: try? input.to.resolved(relayPoints, field: "to"),
                                     community: community, now: Date())
        let id = try await CarpoolAds.publish(ad, phone: input.phone, author: member, coop: access.coopID, on: req.db)
        try await CarpoolAlerts.adPublished(id, in: access.coopID, slug: access.coop.slug, on: req.db)
        let row = try await CarpoolAds.find(id, in: access.coopID, on: req.db)
        return try await AdDTO(row, times: try await CarpoolAds.times(of: id, on: req.db)).encodeResponse(status: .created, for: req)
    }

    @Sendable static func ad(_ req: Request) async throws -> AdDTO {
        let access = try await CarpoolAccess(req)
        let row = try await CarpoolAds.find(req.parameters.get("id", as: UUID.self), in: access.coopID, on: req.db)
        if let community = row.community_id, row.author_id != req.user?.id,
           !(try await CarpoolAds.communities(of: req.user?.id, on: req.db)).contains(community) {
            throw Problem.notFound(CarpoolAds.adWord)
        }
        return AdDTO(row, times: try await CarpoolAds.times(of: row.id, on: req.db))
    }

    @Sendable static func withdraw(_ req: Request) async throws -> HTTPStatus {
        let access = try await CarpoolAccess(req, member: true)
        try await CarpoolAds.withdraw(try req.parameters.require("id", as: UUID.self), by: try access.memberID(), in: access.coopID, on: req.db)
        return .noContent
    }

    @Sendable static func openAsk(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true)
        let input = try req.content.decode(AskInput.self)
        let ad = try await CarpoolAds.find(req.parameters.get("id", as: UUID.self), in: access.coopID, on: req.db)
        guard let date = LocalDate(iso: input.date) else { throw CarpoolErrors.date("date") }
        guard let leg = RideLeg(rawValue: input.leg ?? "outward") else { throw CarpoolErrors.unknownChoice("leg") }
        let relayPoints = try await RelayPoint.all(of: access.coopID, on: req.db)
        let opening = CarpoolAsks.Opening(ad: ad, date: date, leg: leg, seats: input.seats ?? 1, askSeat: input.askSeat ?? true,
                                          pickup: try input.pickup?.resolved(relayPoints, field: "pickup"),
                                          dropoff: try input.dropoff?.resolved(relayPoints, field: "dropoff"), phone: input.phone)
        let member = try access.memberID()
        let ask = try await CarpoolAsks.open(opening, by: member, settings: try await CarpoolSettings.of(access.coopID, on: req.db), notify: access.coop.slug, on: req.db)
        return try await AskDTO(ask).encodeResponse(status: .created, for: req)
    }

    @Sendable static func asks(_ req: Request) async throws -> List<AskDTO> {
        let access = try await CarpoolAccess(req, member: true)
        let since = LocalDate(iso: req.query[String.self, at: "since"] ?? "") ?? LocalZone.paris.localDate(at: Date())
        return List(data: try await CarpoolAsks.mine(try access.memberID(), in: access.coopID, since: since, on: req.db).map(AskDTO.init))
    }

    @Sendable static func ask(_ req: Request) async throws -> AskDTO {
        let access = try await CarpoolAccess(req, member: true)
        return AskDTO(try await CarpoolAsks.find(req.parameters.get("id", as: UUID.self), in: access.coopID, for: try access.memberID(), on: req.db))
    }

    @Sendable static func pay(_ req: Request) async throws -> AskDTO {
        let access = try await CarpoolAccess(req, member: true)
        let member = try access.memberID()
        let ask = try await CarpoolAsks.find(req.parameters.get("id", as: UUID.self), in: access.coopID, for: member, on: req.db)
        try await CarpoolPayments.pay(ask, by: member, settings: try await CarpoolSettings.of(access.coopID, on: req.db), on: req.db)
        return AskDTO(try await CarpoolAsks.find(ask.id, in: access.coopID, on: req.db))
    }

    @Sendable static func act(_ req: Request) async throws -> AskDTO {
        let access = try await CarpoolAccess(req, member: true)
        guard let action = AskAction(rawValue: req.parameters.get("action") ?? "") else { throw Problem.notFound }
        let input = (try? req.content.decode(ActionInput.self)) ?? ActionInput()
        let member = try access.memberID()
        let ask = try await CarpoolAsks.act(action, on: try req.parameters.require("id", as: UUID.self), by: member, in: access.coopID,
                                            reason: input.reason ?? "", notify: access.coop.slug, on: req.db)
        return AskDTO(ask)
    }
}
