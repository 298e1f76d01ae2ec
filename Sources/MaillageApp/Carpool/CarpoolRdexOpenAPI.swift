import Foundation
import MaillageCore

/// RDEX+ `GET /journeys` in our document: RDEX+'s parameters, answer and error shape.
extension CarpoolRdex {
    static var openAPI: OpenAPIFragment {
        let number: JSONValue = ["type": "number"], integer: JSONValue = ["type": "integer"]
        func required(_ name: String, _ schema: JSONValue, _ description: String) -> JSONValue {
            ["name": .string(name), "in": "query", "required": true, "schema": schema, "description": .string(description)]
        }
        let timestamp: JSONValue = ["type": "integer", "minimum": 0, "maximum": 32_503_680_000]
        let parameters: [JSONValue] = [
            OAS.slug,
            required("departureLat", ["type": "number", "minimum": -90, "maximum": 90], "Latitude of the departure"),
            required("departureLng", ["type": "number", "minimum": -180, "maximum": 180], "Longitude of the departure"),
            required("arrivalLat", ["type": "number", "minimum": -90, "maximum": 90], "Latitude of the arrival"),
            required("arrivalLng", ["type": "number", "minimum": -180, "maximum": 180], "Longitude of the arrival"),
            OAS.queryParameter("carpoolerType", OAS.string(enum: ["driver", "passenger", "both"]), "The journeys wanted: drivers' (default), passengers', both"),
            OAS.queryParameter("frequency", OAS.string(enum: ["punctual", "regular", "both"]), "Punctual ads (default), regular ones, or both, travelling that day"),
            OAS.queryParameter("departureDate", timestamp, "Departure, UNIX seconds (default now); its day in the territory is searched"),
            OAS.queryParameter("maxDate", timestamp, "For regular journeys, the end of the period searched (UNIX seconds)"),
            OAS.queryParameter("regularSchedule", OAS.string(),
                               "For regular journeys: the week schedules wanted, as JSON ([{\"mondayTime\": \"07:30:00\", \"mondayTimeDelta\": 900}], UTC times) "
                               + "or as regularSchedule[0][mondayTime] fields; a journey is kept if it travels on every slot, each on its first day from departureDate to maxDate"),
            OAS.queryParameter("timeDelta", ["type": "integer", "minimum": 0, "maximum": 86_400], "Margin in seconds either side (default 900)"),
            OAS.queryParameter("departureRadius", ["type": "number", "minimum": 0, "maximum": 1_000], "Km around the place asked within which the journey must start (default 1)"),
            OAS.queryParameter("arrivalRadius", ["type": "number", "minimum": 0, "maximum": 1_000], "Km around the place asked within which the journey must end (default 1)"),
            OAS.queryParameter("count", ["type": "integer", "minimum": 0], "At most this many journeys (200 at most)"),
        ]
        let geopoint = OAS.object(["longitude": number, "latitude": number, "address": OAS.string()], required: ["longitude", "latitude"])
        let way = OAS.object([
            "departureDate": integer, "maxDate": integer, "timeDelta": integer,
            "regularSchedule": OAS.array(["type": "object", "additionalProperties": ["type": ["string", "integer"]]]),
        ], required: ["departureDate"])
        let journey = OAS.object([
            "id": OAS.string(min: 1, max: 255), "webUrl": OAS.string(), "type": OAS.string(enum: ["planned", "dynamic", "line"]),
            "operator": OAS.string(), "operatorUrl": OAS.string(), "carpoolerType": OAS.string(enum: ["driver", "passenger", "both"]),
            "user": OAS.object(["id": OAS.string(), "alias": OAS.string()], required: ["id", "alias"]),
            "availableSeats": integer, "requestedSeats": integer, "from": geopoint, "to": geopoint, "duration": integer, "distance": integer,
            "price": OAS.object(["type": OAS.string(enum: ["free", "fixed", "variable", "unknown"]), "amount": number, "currency": OAS.string(),
                                 "kilometricPrice": OAS.string()], required: ["amount", "type"]),
            "frequency": OAS.string(enum: ["punctual", "regular"]), "isRoundTrip": integer, "isStopped": integer, "outward": way,
        ], required: ["id", "type", "operator", "carpoolerType", "user", "from", "to", "duration", "outward"])
        let answer = OAS.object(["journeys": OAS.array(OAS.ref("RdexJourney")), "nbJourneys": integer], required: ["journeys"])
        let error = OAS.object(["errorCode": OAS.string(), "errorMessage": OAS.string()], required: ["errorCode"])
        var responses = OAS.ok("Journeys (RDEX+)", answer)
        responses["400"] = ["description": "Invalid or missing parameter (RDEX+ error)", "content": OAS.json(OAS.ref("RdexError"))]
        responses["404"] = ["description": "No such carpool cooperative (RDEX+ error)", "content": OAS.json(OAS.ref("RdexError"))]
        return OpenAPIFragment(
            paths: ["/api/v1/cooperatives/{slug}/carpool/rdex/journeys": [
                "get": OAS.operation("carpoolRdexJourneys",
                                     "RDEX+ journeys search (public), answered from the cooperative's ads; also at /c/{slug}/carpool/rdex/journeys",
                                     tag: "Carpool", secured: false, parameters: parameters, responses: responses, errorCodes: []),
            ]],
            schemas: ["RdexJourney": journey, "RdexError": error])
    }
}
