import Foundation
import MaillageCore

enum CarpoolOpenAPI {
    static var fragment: OpenAPIFragment {
        let base = "/api/v1/cooperatives/{slug}/carpool"
        let id = OAS.pathParameter("id", OAS.uuid)
        let time: JSONValue = ["type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "description": "Local time, HH:MM"]
        var place = OAS.object([
            "relayPoint": OAS.uuid, "commune": OAS.string("A commune of the territory", enum: Communes.known.map(\.name)),
            "lat": ["type": "number", "minimum": -90, "maximum": 90], "lon": ["type": "number", "minimum": -180, "maximum": 180],
            "name": OAS.string("The place's name when given by coordinates", max: 80),
        ], required: [])
        // A place is a relay point, a commune, or coordinates: one of them must be there.
        if case .object(var body) = place {
            body["anyOf"] = [["required": ["relayPoint"]], ["required": ["commune"]], ["required": ["lat", "lon"]]]
            place = .object(body)
        }
        let weekday = OAS.object(["weekday": ["type": "integer", "minimum": 1, "maximum": 7, "description": "ISO weekday, 1 = Monday"],
                                  "outward": time, "return": time], required: ["weekday"])
        let adInput = OAS.object([
            "role": OAS.string(enum: RideRole.allCases.map(\.rawValue)), "from": place, "to": place,
            "frequency": OAS.string(enum: ["punctual", "regular"]),
            "date": ["type": "string", "format": "date", "description": "Punctual: the day of the outward trip"], "time": time,
            "returnDate": OAS.day, "returnTime": time,
            "margin": ["type": "integer", "minimum": 0, "maximum": 120, "description": "Minutes either side (default 15)"],
            "fromDate": ["type": "string", "format": "date", "description": "Regular: first day (default today)"],
            "untilDate": ["type": "string", "format": "date", "description": "Regular: last day, within a year"],
            "schedule": ["type": "array", "maxItems": 7, "items": weekday, "description": "Regular: the days and times"],
            "seats": ["type": "integer", "minimum": 1, "maximum": 8], "options": OAS.array(OAS.string(enum: RideOption.allCases.map(\.rawValue))),
            "comment": OAS.string(max: 1000), "phone": OAS.string("Shown to the other side once a request is accepted", max: 30),
            "community": OAS.uuid,
        ], required: ["role", "from", "to", "frequency"])
        let placeDTO = OAS.object(["name": OAS.string(), "lat": ["type": "number"], "lon": ["type": "number"]], required: ["name", "lat", "lon"])
        let timeDTO = OAS.object(["leg": OAS.string(enum: ["outward", "return"]), "date": OAS.day, "weekday": ["type": "integer"], "time": OAS.string(),
                                  "margin": ["type": "integer"]], required: ["leg", "time", "margin"])
        let ad = OAS.object([
            "id": OAS.uuid, "role": OAS.string(), "frequency": OAS.string(), "from": placeDTO, "to": placeDTO, "distanceKm": ["type": "number"],
            "minutes": ["type": "number"], "fromDate": OAS.day, "untilDate": OAS.day, "seats": ["type": "integer"], "options": OAS.array(OAS.string()),
            "comment": OAS.string(), "times": OAS.array(timeDTO), "withdrawn": ["type": "boolean"],
        ], required: ["id", "role", "frequency", "from", "to", "distanceKm", "minutes", "fromDate", "untilDate", "seats", "options", "comment", "times", "withdrawn"])
        let number: JSONValue = ["type": "number"], integer: JSONValue = ["type": "integer"]
        let result = OAS.object([
            "ad": OAS.uuid, "role": OAS.string(), "leg": OAS.string(), "date": OAS.day, "time": OAS.string(), "margin": integer, "from": OAS.string(),
            "to": OAS.string(), "seatsLeft": integer, "detourKm": number, "detourMinutes": number, "noticeableDetour": ["type": "boolean"],
            "sharedKm": number, "walkToPickupMinutes": number, "walkFromDropoffMinutes": number,
            "suggestedContributionCents": ["type": "integer", "format": "int64"],
        ], required: ["ad", "role", "leg", "date", "time", "margin", "from", "to", "seatsLeft", "detourKm", "detourMinutes", "noticeableDetour",
                      "sharedKm", "walkToPickupMinutes", "walkFromDropoffMinutes", "suggestedContributionCents"])
        let ask = OAS.object([
            "id": OAS.uuid, "ad": OAS.uuid, "date": OAS.day, "leg": OAS.string(), "driver": OAS.uuid, "passenger": OAS.uuid,
            "askedBy": OAS.string(enum: ["driver", "passenger"]), "status": OAS.string(enum: AskStatus.allCases.map(\.rawValue)),
            "seats": integer, "pickup": OAS.string(), "dropoff": OAS.string(), "sharedKm": number,
            "suggestedContributionCents": ["type": "integer", "format": "int64"], "paidAt": OAS.dateTime,
            "createdAt": OAS.dateTime, "updatedAt": OAS.dateTime,
        ], required: ["id", "ad", "date", "leg", "driver", "passenger", "askedBy", "status", "seats", "pickup", "dropoff", "sharedKm",
                      "suggestedContributionCents", "createdAt", "updatedAt"])
        let askInput = OAS.object([
            "date": ["type": "string", "format": "date", "description": "A day the ad travels, today or later"],
            "leg": OAS.string(enum: ["outward", "return"]), "seats": ["type": "integer", "minimum": 1, "maximum": 8],
            "askSeat": ["type": "boolean", "description": "false: a first message only (contact), no seat asked yet"],
            "pickup": place, "dropoff": place,
            "phone": OAS.string("Your phone, shown to the other side once the request is accepted", max: 30),
        ], required: ["date"])
        let relayPoint = OAS.object(["id": OAS.uuid, "name": OAS.string(), "kind": OAS.string(), "commune": OAS.string(), "lat": number, "lon": number,
                                     "description": OAS.string()], required: ["id", "name", "kind", "commune", "lat", "lon", "description"])
        let settings = OAS.object(["contribution": OAS.string(enum: ["free", "at-cost"]), "centsPerKm": integer,
                                   "payment": OAS.string(enum: ContributionPayment.allCases.map(\.rawValue)), "reviews": ["type": "boolean"]],
                                  required: ["contribution", "payment", "reviews"])
        func list(_ item: JSONValue) -> JSONValue { OAS.object(["data": OAS.array(item)], required: ["data"]) }
        func placeQuery(_ prefix: String) -> [JSONValue] {
            [OAS.queryParameter("\(prefix)RelayPoint", OAS.uuid, "A relay point of the cooperative"),
             OAS.queryParameter("\(prefix)Commune", OAS.string(enum: Communes.known.map(\.name)), "A commune of the territory"),
             OAS.queryParameter("\(prefix)Lat", ["type": "number", "minimum": -90, "maximum": 90], "Latitude (with \(prefix)Lon)"),
             OAS.queryParameter("\(prefix)Lon", ["type": "number", "minimum": -180, "maximum": 180], "Longitude (with \(prefix)Lat)")]
        }
        let search = placeQuery("from") + placeQuery("to") + [
            OAS.queryParameter("date", OAS.day, "The day of the trip (required)"),
            OAS.queryParameter("time", ["type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"], "Around this time (± 1 h); any time that day when absent"),
            OAS.queryParameter("lookingFor", OAS.string(enum: ["driver", "passenger"]), "driver (default): a seat; passenger: people to take"),
            OAS.queryParameter("limit", ["type": "integer", "minimum": 1, "maximum": 200], "At most this many (default 50)"),
        ]
        return OpenAPIFragment(
            paths: [
                "\(base)/relay-points": ["get": OAS.operation("carpoolRelayPoints", "The cooperative's meeting points (public)", tag: "Carpool", secured: false,
                    parameters: [OAS.slug], responses: OAS.ok("Points", list(OAS.ref("RelayPoint"))), errorCodes: [404])],
                "\(base)/settings": ["get": OAS.operation("carpoolSettings", "The cooperative's money rule: free or at cost, never a commission (public)",
                    tag: "Carpool", secured: false, parameters: [OAS.slug], responses: OAS.ok("Settings", OAS.ref("CarpoolSettings")), errorCodes: [404])],
                "\(base)/search": ["get": OAS.operation("carpoolSearch",
                    "Rides between two places on a day, ranked by departure then detour, each saying why it matched (public; community ads for their members only)",
                    tag: "Carpool", secured: false, parameters: [OAS.slug] + search, responses: OAS.ok("Results", list(OAS.ref("CarpoolResult"))),
                    errorCodes: [404, 422])],
                "\(base)/ads": ["post": OAS.operation("publishCarpoolAd", "Publish a ride as driver, passenger or both (members)", tag: "Carpool", secured: true,
                    parameters: [OAS.slug], body: adInput, responses: OAS.ok("Published", OAS.ref("CarpoolAd"), status: 201), errorCodes: [401, 403, 404])],
                "\(base)/ads/{id}": [
                    "get": OAS.operation("carpoolAd", "One ride (public)", tag: "Carpool", secured: false, parameters: [OAS.slug, id],
                        responses: OAS.ok("Ride", OAS.ref("CarpoolAd")), errorCodes: [404]),
                    "delete": OAS.operation("withdrawCarpoolAd", "Withdraw one's ride from the search (its author)", tag: "Carpool", secured: true,
                        parameters: [OAS.slug, id], responses: ["204": ["description": "Withdrawn"]], errorCodes: [401, 403, 404]),
                ],
                "\(base)/ads/{id}/asks": ["post": OAS.operation("askCarpoolSeat",
                    "Ask for a seat on a driver's ride, or offer a passenger a ride; askSeat=false writes first without asking (members)",
                    tag: "Carpool", secured: true, parameters: [OAS.slug, id], body: askInput,
                    responses: OAS.ok("Asked", OAS.ref("CarpoolAsk"), status: 201), errorCodes: [401, 403, 404, 409])],
                "\(base)/asks": ["get": OAS.operation("myCarpoolAsks", "The person's requests as driver or passenger, from today (members)", tag: "Carpool",
                    secured: true, parameters: [OAS.slug, OAS.queryParameter("since", OAS.day, "From this day (default today)")],
                    responses: OAS.ok("Requests", list(OAS.ref("CarpoolAsk"))), errorCodes: [401, 403, 404])],
                "\(base)/asks/{id}": ["get": OAS.operation("carpoolAsk", "One request, for its two people only", tag: "Carpool", secured: true,
                    parameters: [OAS.slug, id], responses: OAS.ok("Request", OAS.ref("CarpoolAsk")), errorCodes: [401, 403, 404])],
                "\(base)/asks/{id}/pay": ["post": OAS.operation("payCarpoolContribution",
                    "The passenger pays the suggested contribution to the driver through the cooperative's accounts, with no fee, once (when the cooperative chose it)",
                    tag: "Carpool", secured: true, parameters: [OAS.slug, id],
                    responses: OAS.ok("The request, paid", OAS.ref("CarpoolAsk")), errorCodes: [401, 403, 404, 409])],
                "\(base)/asks/{id}/{action}": ["post": OAS.operation("actOnCarpoolAsk",
                    "ask (a contact becomes a request), accept or decline (the side that answers), cancel (a reason is required once accepted), complete (from the day of the ride)",
                    tag: "Carpool", secured: true,
                    parameters: [OAS.slug, id, OAS.pathParameter("action", OAS.string(enum: AskAction.allCases.map(\.rawValue)))],
                    body: OAS.object(["reason": OAS.string(max: TextLimits.reason)], required: []), bodyRequired: false,
                    responses: OAS.ok("The request after the action", OAS.ref("CarpoolAsk")), errorCodes: [401, 403, 404, 409])],
            ],
            schemas: ["CarpoolAd": ad, "CarpoolResult": result, "CarpoolAsk": ask, "RelayPoint": relayPoint, "CarpoolSettings": settings])
    }
}
