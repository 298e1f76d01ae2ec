import MaillageCore

/// The DFC order endpoints in the OpenAPI document. Bodies are DFC JSON-LD (`application/ld+json`,
/// plain JSON accepted); the schema describes the nested form, an `@graph` is read the same way.
enum FoodDFCOrderOpenAPI {
    static var paths: [String: JSONValue] {
        let line = OAS.object([
            "@id": OAS.string(max: 500), "@type": OAS.string(enum: ["dfc-b:OrderLine"]),
            "dfc-b:quantity": ["type": "integer", "minimum": 0, "maximum": 999, "description": "Whole items; 0 removes the line in an update"],
            "dfc-b:concerns": OAS.string("The offer, as our DFC catalog names it (…/supplied_products/{variant}/offer)", max: 500),
        ], required: ["@type", "dfc-b:quantity", "dfc-b:concerns"], additional: true)
        let body = OAS.object([
            "@context": ["description": "The DFC context, by URL or inline"],
            "@id": OAS.string("The hub's id for the order: the same id posted twice is one order", max: 500),
            "@type": OAS.string(enum: ["dfc-b:Order"]),
            "dfc-b:belongsTo": OAS.string("The sale session: one of our order cycles (…/food/cycles/{cycle})", max: 500),
            "dfc-b:orderedBy": OAS.string(max: 500),
            "dfc-b:hasOrderStatus": OAS.string("dfc-v:Cancelled in an update cancels the order", max: 200),
            "dfc-b:hasPart": ["type": "array", "minItems": 1, "maxItems": 500, "items": line],
        ], required: ["@context", "@type", "dfc-b:hasPart"], additional: true)
        let content = { (schema: JSONValue) -> JSONValue in ["application/ld+json": ["schema": schema], "application/json": ["schema": schema]] }
        let answer = { (status: Int, description: String) -> [String: JSONValue] in
            [String(status): ["description": .string(description), "content": ["application/ld+json": ["schema": OAS.ref("DFCOrder")]]]]
        }
        // Refused lines come back as the order with each line's reason (JSON-LD); any other
        // refusal in the one error shape.
        let refused = { (status: Int, description: String) -> [String: JSONValue] in
            [String(status): ["description": .string(description),
                              "content": ["application/ld+json": ["schema": OAS.ref("DFCOrder")], "application/json": ["schema": OAS.ref("Error")]]]]
        }
        let refusals = refused(409, "Lines refused for stock or a closed cycle, or the order changed meanwhile")
            .merging(refused(422, "Lines refused (unknown offer, bad quantity), or not a DFC order")) { a, _ in a }
        let orderID = OAS.pathParameter("order", OAS.uuid)
        func operation(_ id: String, _ summary: String, parameters: [JSONValue], body withBody: Bool, responses: [String: JSONValue]) -> JSONValue {
            var op = OAS.operation(id, summary, tag: "Food", secured: true, parameters: parameters,
                                   responses: responses.merging(refusals) { a, _ in a }, errorCodes: [400, 401, 403, 404, 413])
            if withBody, case .object(var object) = op {
                object["requestBody"] = ["required": true, "content": content(body)]
                op = .object(object)
            }
            return op
        }
        return [
            "/api/v1/cooperatives/{slug}/food/dfc/orders": [
                "post": operation("placeDFCOrder", "Place a DFC order (Open Food Network backorder): stock taken as in the shop, refused line by line",
                                  parameters: [OAS.slug], body: true,
                                  responses: answer(201, "Ordered: the DFC order with its lines and state").merging(answer(200, "Already ordered (same @id)")) { a, _ in a }),
            ],
            "/api/v1/cooperatives/{slug}/food/dfc/orders/{order}": [
                "get": operation("dfcOrder", "An order as DFC (a coordinator any, a producer the lines of their products)",
                                 parameters: [OAS.slug, orderID], body: false, responses: answer(200, "The DFC order")),
                "put": operation("replaceDFCOrder", "Replace a DFC order's lines (left-out lines removed); dfc-v:Cancelled cancels",
                                 parameters: [OAS.slug, orderID], body: true, responses: answer(200, "The changed order")),
                "patch": operation("amendDFCOrder", "Change the quantities of the lines given (0 removes a line)",
                                   parameters: [OAS.slug, orderID], body: true, responses: answer(200, "The changed order")),
                "delete": operation("cancelDFCOrder", "Cancel a DFC order: its stock is given back once",
                                    parameters: [OAS.slug, orderID], body: false, responses: answer(200, "The cancelled order")),
            ],
        ].mapValues { (methods: [String: JSONValue]) in JSONValue.object(methods) }
    }

    static var schemas: [String: JSONValue] {
        ["DFCOrder": OAS.object(["@context": ["description": "The DFC context"], "@graph": OAS.array(["type": "object"])],
                                required: ["@context", "@graph"], additional: true)]
    }
}
