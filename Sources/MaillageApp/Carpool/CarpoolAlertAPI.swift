import Fluent
import Foundation
import MaillageCore
import Vapor

/// `/api/v1/cooperatives/{slug}/carpool/alerts`: the caller's saved searches, creating one and
/// deleting one (members).
enum CarpoolAlertAPI {
    typealias PlaceInput = CarpoolAPI.PlaceInput
    typealias PlaceDTO = CarpoolAPI.PlaceDTO

    struct AlertInput: Content {
        var lookingFor: String
        var origin: PlaceInput
        var destination: PlaceInput
        var weekdays: [Int]?
        var time: String?
        var margin: Int?
    }

    struct AlertDTO: Content {
        var id: UUID
        var lookingFor: String
        var origin: PlaceDTO
        var destination: PlaceDTO
        var weekdays: [Int]
        var time: String?
        var margin: Int
        var paused: Bool
        var createdAt: Date

        init(_ row: RideAlertRow) {
            id = row.id; lookingFor = row.looking_for
            origin = PlaceDTO(name: row.origin_name, lat: row.origin_lat, lon: row.origin_lon)
            destination = PlaceDTO(name: row.destination_name, lat: row.destination_lat, lon: row.destination_lon)
            weekdays = row.rule.weekdays.sorted(); time = row.minute.map(RideTime.clock); margin = row.margin
            paused = row.paused_at != nil; createdAt = row.created_at
        }
    }

    static func api(_ routes: any RoutesBuilder) {
        let alerts = routes.grouped("cooperatives", ":slug", "carpool", "alerts")
        alerts.get(use: list)
        alerts.post(use: create)
        alerts.delete(":id", use: delete)
    }

    @Sendable static func list(_ req: Request) async throws -> APIPage<AlertDTO> {
        let access = try await CarpoolAccess(req, member: true)
        return APIPage(data: try await CarpoolAlerts.mine(try access.memberID(), in: access.coopID, on: req.db).map(AlertDTO.init))
    }

    static func place(_ input: PlaceInput, _ relayPoints: [RelayPoint]) -> RidePlace? {
        try? input.resolved(relayPoints, field: "from")
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true)
        let input = try req.content.decode(AlertInput.self)
        let relayPoints = try await RelayPoint.all(of: access.coopID, on: req.db)
        let rule = try RideAlert.parse(lookingFor: input.lookingFor, weekdays: (input.weekdays ?? []).map(String.init),
                                       time: input.time ?? "", margin: input.margin.map(String.init) ?? "")
        let person = try access.memberID()
        let id = try await CarpoolAlerts.create(rule, from: place(input.origin, relayPoints), to: place(input.destination, relayPoints),
                                                person: person, coop: access.coopID, on: req.db)
        let row = try await CarpoolAlerts.find(id, of: person, in: access.coopID, on: req.db)
        return try await AlertDTO(row).encodeResponse(status: .created, for: req)
    }

    @Sendable static func delete(_ req: Request) async throws -> HTTPStatus {
        let access = try await CarpoolAccess(req, member: true)
        try await CarpoolAlerts.delete(req.parameters.get("id", as: UUID.self), of: try access.memberID(), in: access.coopID, on: req.db)
        return .noContent
    }

    static var openAPI: OpenAPIFragment {
        let place = OAS.object(["name": OAS.string(), "lat": ["type": "number"], "lon": ["type": "number"]], required: ["name", "lat", "lon"])
        let alert = OAS.object([
            "id": OAS.uuid, "lookingFor": OAS.string(enum: ["driver", "passenger"]), "origin": place, "destination": place,
            "weekdays": OAS.array(["type": "integer", "minimum": 1, "maximum": 7]),
            "time": OAS.nullable(OAS.string("Departure, HH:MM; null for any time")), "margin": ["type": "integer"],
            "paused": ["type": "boolean"], "createdAt": OAS.dateTime,
        ], required: ["id", "lookingFor", "origin", "destination", "weekdays", "margin", "paused", "createdAt"])
        let placeInput = OAS.object([
            "relayPoint": OAS.uuid, "commune": OAS.string("A commune of the territory", enum: Communes.known.map(\.name)),
            "lat": ["type": "number", "minimum": -90, "maximum": 90], "lon": ["type": "number", "minimum": -180, "maximum": 180],
            "name": OAS.string("A label for coordinates", max: 80),
        ], required: [])
        let input = OAS.object([
            "lookingFor": OAS.string("driver: I want a seat; passenger: I drive and want passengers", enum: ["driver", "passenger"]),
            "origin": placeInput, "destination": placeInput,
            "weekdays": ["type": "array", "items": ["type": "integer", "minimum": 1, "maximum": 7], "description": "ISO weekdays; empty or absent for any day"],
            "time": OAS.string("Departure, HH:MM; absent for any time"),
            "margin": ["type": "integer", "minimum": .int(RideTime.margins.lowerBound), "maximum": .int(RideTime.margins.upperBound),
                       "description": .string("Minutes either side (default \(RideAlert.defaultMargin))")],
        ], required: ["lookingFor", "origin", "destination"])
        let base = "/api/v1/cooperatives/{slug}/carpool/alerts"
        return OpenAPIFragment(
            paths: [
                base: [
                    "get": OAS.operation("myCarpoolAlerts", "My carpool alerts in this cooperative (members)", tag: "Carpool", secured: true,
                        parameters: [OAS.slug],
                        responses: OAS.ok("Alerts", OAS.object(["data": OAS.array(OAS.ref("CarpoolAlert"))], required: ["data"])),
                        errorCodes: [401, 403, 404]),
                    "post": OAS.operation("createCarpoolAlert",
                        "Save a search: each new ride that matches it (detour, days, time) is sent once to my inbox (members)",
                        tag: "Carpool", secured: true, parameters: [OAS.slug], body: input,
                        responses: OAS.ok("Created", OAS.ref("CarpoolAlert"), status: 201), errorCodes: [401, 403, 404, 409]),
                ],
                "\(base)/{id}": [
                    "delete": OAS.operation("deleteCarpoolAlert", "Delete one of my alerts", tag: "Carpool", secured: true,
                        parameters: [OAS.slug, OAS.pathParameter("id", OAS.uuid)],
                        responses: ["204": ["description": "Deleted"]], errorCodes: [401, 403, 404]),
                ],
            ],
            schemas: ["CarpoolAlert": alert])
    }
}
