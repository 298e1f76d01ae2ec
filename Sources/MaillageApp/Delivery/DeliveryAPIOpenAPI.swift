import Foundation
import MaillageCore

/// The store API in our document: a store token as a header, the one error shape.
enum DeliveryAPIOpenAPI {
    static var fragment: OpenAPIFragment {
        let base = "/api/v1/cooperatives/{slug}/delivery"
        let integer: JSONValue = ["type": "integer"], number: JSONValue = ["type": "number"], string: JSONValue = ["type": "string"]
        let token: JSONValue = ["name": .string(DeliveryAPITokens.header), "in": "header", "required": true, "schema": string,
                                "description": "A store token, made on the store's page by its people or the cooperative's staff (/c/{slug}/delivery/stores/{store}/connect)"]
        let id = OAS.pathParameter("id", OAS.uuid)
        let example: JSONValue = ["vehicle": "bike", "tasks": [
            ["kind": "pickup", "address": "12 rue de la Marne, Nantes", "commune": "Nantes"],
            ["kind": "dropoff", "address": "8 rue Fouré, Nantes", "commune": "Nantes", "contactName": "Mme Girard",
             "packages": [["type": "Caisse de légumes", "quantity": 1]], "reference": "CMD-1"],
        ]]
        func op(_ operationID: String, _ summary: String, parameters: [JSONValue] = [], body: JSONValue? = nil,
                responses: [String: JSONValue], errorCodes: [Int]) -> JSONValue {
            guard case .object(var object) = OAS.operation(operationID, summary, tag: "Delivery stores", secured: false,
                                                           parameters: [OAS.slug, token] + parameters, body: body, responses: responses,
                                                           errorCodes: errorCodes + [401, 403, 404]) else { return .null }
            object["security"] = []
            // A delivery the demo's Coursiers Nantais accepts: a client tries a real one first.
            if body != nil { object["requestBody"] = ["required": true, "content": ["application/json": ["schema": OAS.ref("DeliveryOrder"), "example": example]]] }
            return .object(object)
        }
        let package = OAS.object(["type": OAS.string("One of the cooperative's package types, by name", min: 1, max: 80),
                                  "quantity": ["type": "integer", "minimum": 1, "maximum": 999]], required: ["type", "quantity"])
        let stopInput = OAS.object([
            "kind": OAS.string(enum: DeliveryTaskKind.allCases.map(\.rawValue)), "address": OAS.string(min: 1, max: 300),
            "lat": ["type": "number", "minimum": -90, "maximum": 90], "lon": ["type": "number", "minimum": -180, "maximum": 180],
            "commune": OAS.string("A commune of the territory, when no coordinates are given", enum: Communes.known.map(\.name)),
            "contactName": OAS.string(max: 120), "phone": OAS.string(max: 40),
            "after": OAS.dateTimeInput, "before": OAS.dateTimeInput, "comments": OAS.string(max: 1000),
            "packages": ["type": "array", "maxItems": 20, "items": package],
            "weightGrams": ["type": "integer", "minimum": 0, "maximum": 1_000_000, "description": "Stated weight; else the packages' types give it"],
            "doorstep": ["type": "boolean"], "tags": ["type": "array", "maxItems": 20, "items": OAS.string(max: 40)], "reference": OAS.string(max: 120),
        ], required: ["kind", "address"])
        let order = OAS.object(["tasks": ["type": "array", "minItems": 2, "maxItems": .int(DeliveryDraft.maximumTasks), "items": stopInput,
                                          "description": "Pickups first, then dropoffs: one pickup and several dropoffs, or several pickups and one dropoff"],
                                "vehicle": OAS.string(enum: DeliveryVehicle.allCases.map(\.rawValue))], required: ["tasks"])
        let split = OAS.object(["couriersCents": integer, "cooperativeCents": integer, "reservesCents": integer],
                               required: ["couriersCents", "cooperativeCents", "reservesCents"])
        let line = OAS.object(["label": string, "cents": integer], required: ["label", "cents"])
        let stop = OAS.object([
            "kind": string, "address": string, "lat": number, "lon": number, "contactName": string, "phone": string,
            "after": OAS.nullable(OAS.dateTime), "before": OAS.nullable(OAS.dateTime), "comments": string, "packages": OAS.array(package),
            "weightGrams": integer, "doorstep": ["type": "boolean"], "tags": OAS.array(string), "reference": string,
        ], required: ["kind", "address", "lat", "lon"])
        let delivery = OAS.object([
            "id": OAS.uuid, "store": OAS.uuid, "status": OAS.string(enum: DeliveryStatus.allCases.map(\.rawValue)),
            "vehicle": string, "distanceKm": number, "priceCents": integer, "split": OAS.ref("DeliverySplit"), "lines": OAS.array(OAS.ref("DeliveryPriceLine")),
            "failureReason": OAS.nullable(string), "trackingUrl": OAS.string("The recipient's tracking page (unguessable)"),
            "createdAt": OAS.dateTime, "updatedAt": OAS.dateTime, "tasks": OAS.array(stop),
        ], required: ["id", "store", "status", "priceCents", "split", "trackingUrl", "createdAt"])
        let preview = OAS.object([
            "accepted": ["type": "boolean"],
            "refusals": OAS.array(OAS.object(["code": string, "message": string, "field": OAS.nullable(string)], required: ["code", "message"])),
            "distanceKm": number, "priceCents": OAS.nullable(integer), "split": OAS.nullable(OAS.ref("DeliverySplit")),
            "lines": OAS.array(OAS.ref("DeliveryPriceLine")),
        ], required: ["accepted", "refusals", "distanceKm", "lines"])
        return OpenAPIFragment(
            paths: [
                "\(base)/preview": ["post": op("previewStoreDelivery", "Whether a delivery would be accepted for the token's store, why not, and its price with its split; orders nothing",
                                               body: OAS.ref("DeliveryOrder"), responses: OAS.ok("Assessment", OAS.ref("DeliveryPreview")), errorCodes: [])],
                "\(base)/deliveries": [
                    "post": op("createStoreDelivery", "Orders a delivery for the token's store, checked and priced as on the store's page (refused: 422 with every reason)",
                               body: OAS.ref("DeliveryOrder"), responses: OAS.ok("Ordered", OAS.ref("StoreDelivery"), status: 201), errorCodes: []),
                    "get": op("listStoreDeliveries", "The token's store's latest deliveries, newest first (100 at most)",
                              responses: OAS.ok("Deliveries", OAS.array(OAS.ref("StoreDelivery"))), errorCodes: []),
                ],
                "\(base)/deliveries/{id}": ["get": op("getStoreDelivery", "One of the token's store's deliveries, with its stops", parameters: [id],
                                                      responses: OAS.ok("Delivery", OAS.ref("StoreDelivery")), errorCodes: [])],
                "\(base)/deliveries/{id}/cancel": ["post": op("cancelStoreDelivery", "Cancels one of the store's deliveries not yet done or failed (else 409)",
                                                              parameters: [id], responses: OAS.ok("Cancelled", OAS.ref("StoreDelivery")), errorCodes: [409])],
            ],
            schemas: ["DeliveryOrder": order, "StoreDelivery": delivery, "DeliveryPreview": preview, "DeliverySplit": split, "DeliveryPriceLine": line])
    }
}
