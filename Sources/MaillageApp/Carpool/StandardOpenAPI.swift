import Foundation
import MaillageCore

/// The operator API in our document: the standard's routes under the cooperative, with the
/// standard's own error shape and the partner's key as a header.
enum StandardOpenAPI {
    static var fragment: OpenAPIFragment {
        let base = "/api/v1/cooperatives/{slug}/carpool/standard"
        let number: JSONValue = ["type": "number"], integer: JSONValue = ["type": "integer"], string: JSONValue = ["type": "string"]
        let key: JSONValue = ["name": "X-API-Key", "in": "header", "required": true, "schema": string,
                              "description": "The partner operator's key, made by the cooperative's staff (also served at /c/{slug}/carpool/standard/…)"]
        let error: JSONValue = OAS.object(["error": OAS.string("A stable code: invalid_parameter, missing_booking, missing_journey, status_already_set, unauthorized…"),
                                           "message": OAS.string("The explanation")], required: ["error"], additional: true)
        func errors(_ codes: [Int]) -> [String: JSONValue] {
            var out: [String: JSONValue] = [:]
            for code in codes { out[String(code)] = ["description": "Refused", "content": OAS.json(OAS.ref("StandardError"))] }
            return out
        }
        func op(_ id: String, _ summary: String, parameters: [JSONValue], body: JSONValue? = nil, responses: [String: JSONValue], errorCodes: [Int],
                keyed: Bool = true) -> JSONValue {
            var op: [String: JSONValue] = ["operationId": .string(id), "summary": .string(summary), "tags": ["Carpool standard"],
                                           "parameters": .array([OAS.slug] + (keyed ? [key] : []) + parameters),
                                           "responses": .object(responses.merging(errors(errorCodes), uniquingKeysWith: { a, _ in a })),
                                           "security": []]
            if let body { op["requestBody"] = ["required": true, "content": OAS.json(body)] }
            return .object(op)
        }
        func required(_ name: String, _ schema: JSONValue, _ description: String) -> JSONValue {
            ["name": .string(name), "in": "query", "required": true, "schema": schema, "description": .string(description)]
        }
        let ends = [required("departureLat", number, "Latitude of the wished departure"), required("departureLng", number, "Longitude of the wished departure"),
                    required("arrivalLat", number, "Latitude of the wished arrival"), required("arrivalLng", number, "Longitude of the wished arrival")]
        let tolerances = [
            OAS.queryParameter("timeDelta", ["type": "integer", "minimum": 0, "maximum": .int(StandardJourneyQuery.largestTimeDelta), "default": 900],
                               "Seconds either side of the wished time"),
            OAS.queryParameter("departureRadius", ["type": "number", "exclusiveMinimum": 0, "maximum": 500, "default": 1], "Km around the departure"),
            OAS.queryParameter("arrivalRadius", ["type": "number", "exclusiveMinimum": 0, "maximum": 500, "default": 1], "Km around the arrival"),
            OAS.queryParameter("count", ["type": "integer", "minimum": 0], "At most this many (all when absent)"),
        ]
        let punctual = ends + [required("departureDate", integer, "The wished pickup, UNIX seconds")] + tolerances
        let regular = ends + [required("departureTimeOfDay", ["type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]:[0-6][0-9]"], "The wished pickup time, HH:MM:SS"),
                              OAS.queryParameter("departureWeekdays", string, "Days, comma-separated among MON…SUN (all by default)"),
                              OAS.queryParameter("minDepartureDate", integer, "Trips running on or after this instant (UNIX seconds)"),
                              OAS.queryParameter("maxDepartureDate", integer, "Trips running on or before this instant (UNIX seconds)")] + tolerances
        let user = OAS.object(["id": string, "operator": string, "alias": string], required: ["id", "operator", "alias"], additional: true)
        let price = OAS.object(["type": OAS.string(enum: ["FREE", "PAYING", "UNKNOWN"]), "amount": number, "currency": string], required: [], additional: true)
        let statuses = StandardBookingStatus.allCases.map(\.rawValue)
        let journey = OAS.object([
            "id": string, "operator": string, "driver": OAS.ref("StandardUser"), "passenger": OAS.ref("StandardUser"),
            "passengerPickupLat": number, "passengerPickupLng": number, "passengerDropLat": number, "passengerDropLng": number,
            "passengerPickupAddress": string, "passengerDropAddress": string, "driverDepartureLat": number, "driverDepartureLng": number,
            "driverArrivalLat": number, "driverArrivalLng": number, "driverDepartureAddress": string, "driverArrivalAddress": string,
            "duration": integer, "distance": integer, "passengerPickupDate": integer, "driverDepartureDate": integer,
            "type": OAS.string(enum: ["PLANNED"]), "webUrl": string, "availableSeats": integer, "requestedSeats": integer, "price": OAS.ref("StandardPrice"),
        ], required: ["id", "operator", "passengerPickupLat", "passengerPickupLng", "passengerDropLat", "passengerDropLng", "duration",
                      "passengerPickupDate", "driverDepartureDate", "type"])
        let trip = OAS.object([
            "operator": string, "driver": OAS.ref("StandardUser"), "passenger": OAS.ref("StandardUser"),
            "passengerPickupLat": number, "passengerPickupLng": number, "passengerDropLat": number, "passengerDropLng": number,
            "passengerPickupAddress": string, "passengerDropAddress": string, "duration": integer, "distance": integer, "webUrl": string,
            "schedules": OAS.array(OAS.object(["passengerPickupDay": OAS.string(enum: StandardJourneyQuery.weekdayNames),
                                               "passengerPickupTimeOfDay": string], required: ["passengerPickupDay", "passengerPickupTimeOfDay"])),
        ], required: ["operator", "passengerPickupLat", "passengerPickupLng", "passengerDropLat", "passengerDropLng", "duration", "schedules"])
        let booking = OAS.object([
            "id": OAS.uuid, "driver": OAS.ref("StandardUser"), "passenger": OAS.ref("StandardUser"), "passengerPickupDate": number,
            "passengerPickupLat": number, "passengerPickupLng": number, "passengerDropLat": number, "passengerDropLng": number,
            "passengerPickupAddress": string, "passengerDropAddress": string, "status": OAS.string(enum: statuses + ["WAITING_DRIVER_CONFIRMATION", "WAITING_PASSENGER_CONFIRMATION"]),
            "duration": integer, "distance": integer, "webUrl": string, "price": OAS.ref("StandardPrice"),
            "driverJourneyId": OAS.string("One of our driver journeys' ids", min: 1, max: 255), "passengerJourneyId": OAS.string(min: 1, max: 255),
        ], required: ["id", "driver", "passenger", "status", "price", "passengerPickupDate", "passengerPickupLat", "passengerPickupLng",
                      "passengerDropLat", "passengerDropLng"], additional: true)
        let event = OAS.object(["id": OAS.uuid, "idToken": string,
                                "data": OAS.object(["id": string, "status": OAS.string(enum: statuses)], required: ["id", "status"], additional: true)],
                               required: ["id", "idToken", "data"], additional: true)
        let message = OAS.object([
            "from": OAS.ref("StandardUser"), "to": OAS.ref("StandardUser"), "message": OAS.string(max: 500),
            "recipientCarpoolerType": OAS.string(enum: ["DRIVER", "PASSENGER"]), "driverJourneyId": string, "passengerJourneyId": string, "bookingId": OAS.uuid,
        ], required: ["from", "to", "message", "recipientCarpoolerType"])
        let bookingID = OAS.pathParameter("bookingId", OAS.uuid)
        func list(_ item: JSONValue) -> JSONValue { OAS.array(item) }
        return OpenAPIFragment(
            paths: [
                "\(base)/driver_journeys": ["get": op("standardDriverJourneys", "Punctual driver journeys within the radii and the time delta, closest time first (partners)",
                    parameters: punctual, responses: OAS.ok("Journeys", list(OAS.ref("StandardJourney"))), errorCodes: [400, 401, 404])],
                "\(base)/passenger_journeys": ["get": op("standardPassengerJourneys", "Punctual passenger journeys within the radii and the time delta (partners)",
                    parameters: punctual, responses: OAS.ok("Journeys", list(OAS.ref("StandardJourney"))), errorCodes: [400, 401, 404])],
                "\(base)/driver_regular_trips": ["get": op("standardDriverRegularTrips", "Regular driver trips with a schedule near the wished time of day (partners)",
                    parameters: regular, responses: OAS.ok("Trips", list(OAS.ref("StandardRegularTrip"))), errorCodes: [400, 401, 404])],
                "\(base)/passenger_regular_trips": ["get": op("standardPassengerRegularTrips", "Regular passenger trips with a schedule near the wished time of day (partners)",
                    parameters: regular, responses: OAS.ok("Trips", list(OAS.ref("StandardRegularTrip"))), errorCodes: [400, 401, 404])],
                "\(base)/bookings": ["post": op("standardBook",
                    "A partner's user books a seat on one of our driver journeys; a CONFIRMED booking takes its seat at once (never overbooked); a duplicate id is refused",
                    parameters: [], body: OAS.ref("StandardBooking"), responses: OAS.ok("Booked", OAS.ref("StandardBooking"), status: 201), errorCodes: [400, 401, 404])],
                "\(base)/bookings/{bookingId}": [
                    "get": op("standardBooking", "One booking, for the partner that made it", parameters: [bookingID],
                              responses: OAS.ok("Booking", OAS.ref("StandardBooking")), errorCodes: [400, 401, 404]),
                    "patch": op("standardMoveBooking", "A later status (the same or an earlier one: 409; unknown: 400)",
                                parameters: [bookingID, required("status", OAS.string(enum: statuses), "The new status"),
                                             OAS.queryParameter("message", OAS.string(max: 500), "Why, passed on to the driver")],
                                responses: OAS.ok("Booking", OAS.ref("StandardBooking")), errorCodes: [400, 401, 404, 409]),
                ],
                "\(base)/booking_events": ["post": op("standardBookingEvent", "A partner says where one of its bookings stands; a later status is applied",
                    parameters: [], body: event, responses: ["200": ["description": "Received"]], errorCodes: [400, 401, 404])],
                "\(base)/messages": ["post": op("standardMessage", "A partner's user writes to the member behind a journey or a booking (told in their notices)",
                    parameters: [], body: message, responses: ["201": ["description": "Passed on"]], errorCodes: [400, 401, 404])],
                "\(base)/status": ["get": op("standardStatus", "Whether the operator API answers (public)", parameters: [],
                    responses: OAS.ok("Available", OAS.object(["status": string], required: ["status"])), errorCodes: [404], keyed: false)],
            ],
            schemas: ["StandardJourney": journey, "StandardRegularTrip": trip, "StandardBooking": booking, "StandardUser": user,
                      "StandardPrice": price, "StandardError": error])
    }
}
