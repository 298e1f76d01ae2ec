import MaillageCore

enum FoodOpenAPI {
    static var fragment: OpenAPIFragment {
        let int64: JSONValue = ["type": "integer", "format": "int64"]
        let slot = OAS.object(["id": OAS.uuid, "startsAt": OAS.dateTime, "endsAt": OAS.dateTime], required: ["id", "startsAt", "endsAt"])
        let point = OAS.object(["id": OAS.uuid, "name": OAS.string(), "address": OAS.string(), "slots": OAS.array(slot)],
                               required: ["id", "name", "address", "slots"])
        let cycle = OAS.object([
            "id": OAS.uuid, "name": OAS.string(), "opensAt": OAS.dateTime, "closesAt": OAS.dateTime,
            "phase": OAS.string(enum: CyclePhase.allCases.map(\.rawValue)), "feeBasisPoints": int64, "feeFixedCents": int64,
            "deliveryFeeCents": OAS.nullable(int64), "pickupPoints": OAS.array(point),
        ], required: ["id", "name", "opensAt", "closesAt", "phase", "feeBasisPoints", "feeFixedCents", "pickupPoints"])
        let variant = OAS.object(["id": OAS.uuid, "label": OAS.string(), "quantity": OAS.string(), "priceCents": int64,
                                  "available": OAS.nullable(int64)], required: ["id", "label", "quantity", "priceCents"])
        let product = OAS.object([
            "id": OAS.uuid, "name": OAS.string(), "category": OAS.string(), "description": OAS.string(), "unit": OAS.string(),
            "vatRate": OAS.string(), "producer": OAS.object(["id": OAS.uuid, "name": OAS.string()], required: ["id", "name"]),
            "variants": OAS.array(variant),
        ], required: ["id", "name", "category", "description", "unit", "vatRate", "producer", "variants"])
        let productsPage = OAS.object(["data": OAS.array(OAS.ref("FoodProduct")), "page": ["type": "integer"], "pageCount": ["type": "integer"],
                                       "total": ["type": "integer"]], required: ["data", "page", "pageCount", "total"])
        let line = OAS.object(["variantId": OAS.uuid, "productName": OAS.string(), "variantLabel": OAS.string(), "quantity": ["type": "integer"],
                               "unitPriceCents": int64, "totalCents": int64],
                              required: ["variantId", "productName", "variantLabel", "quantity", "unitPriceCents", "totalCents"])
        let order = OAS.object([
            "id": OAS.uuid, "number": int64, "cycleId": OAS.uuid, "status": OAS.string(enum: OrderStatus.allCases.map(\.rawValue)),
            "placedAt": OAS.dateTime, "expiresAt": OAS.dateTime, "payment": OAS.string(enum: PaymentMethod.allCases.map(\.rawValue)),
            "pickupPointId": OAS.nullable(OAS.uuid), "slotId": OAS.nullable(OAS.uuid), "goodsCents": int64, "deliveryCents": int64,
            "feeCents": int64, "totalCents": int64, "lines": OAS.array(line),
        ], required: ["id", "number", "cycleId", "status", "placedAt", "expiresAt", "payment", "goodsCents", "deliveryCents", "feeCents", "totalCents", "lines"])
        var checkout = OAS.object([
            "lines": ["type": "array", "minItems": 1, "maxItems": 500,
                      "items": OAS.object(["variantId": OAS.uuid, "quantity": ["type": "integer", "minimum": 1, "maximum": 999]], required: ["variantId", "quantity"])],
            "pickupPointId": OAS.uuid, "slotId": OAS.uuid, "deliveryAddress": OAS.string(min: 1, max: 300),
            "payment": OAS.string(enum: PaymentMethod.allCases.map(\.rawValue)),
            "confirm": ["type": "boolean", "description": "false: hold the stock for 15 minutes and confirm later (default true)"],
        ], required: ["lines"])
        // A pickup (a point and one of its slots) or a delivery address: an order says how it leaves.
        if case .object(var body) = checkout {
            body["anyOf"] = [["required": ["pickupPointId", "slotId"]], ["required": ["deliveryAddress"]]]
            body["description"] = "Pick up (`pickupPointId` with one of its `slotId`s) or be delivered (`deliveryAddress`); pickup wins when both are given"
            checkout = .object(body)
        }
        let importResult = OAS.object(["created": ["type": "integer"], "updated": ["type": "integer"], "rows": ["type": "integer"],
                                       "issues": OAS.array(OAS.object(["line": ["type": "integer"], "message": OAS.string()], required: ["line", "message"]))],
                                      required: ["created", "updated", "rows", "issues"])
        // `drafts`: products kept without a euro price, not for sale until the producer sets one.
        let dfcImport = OAS.object(["created": ["type": "integer"], "updated": ["type": "integer"], "drafts": ["type": "integer"],
                                    "issues": OAS.array(OAS.object(["source": OAS.string(), "message": OAS.string()], required: ["source", "message"]))],
                                   required: ["created", "updated", "drafts", "issues"])
        let cycleID = OAS.pathParameter("cycle", OAS.uuid), orderID = OAS.pathParameter("order", OAS.uuid)
        let producerID = OAS.pathParameter("producer", OAS.uuid)
        let idempotency: JSONValue = ["name": "Idempotency-Key", "in": "header", "required": false, "schema": OAS.string(min: 1, max: 150),
                                      "description": "A retried checkout with the same key returns the first order instead of ordering twice"]
        let search = [OAS.queryParameter("q", OAS.string(max: 200), "Words of the product name, category or producer"),
                      OAS.queryParameter("producer", OAS.uuid, "Only this producer"),
                      OAS.queryParameter("category", OAS.string(max: 60), "Only this category"),
                      OAS.queryParameter("page", ["type": "integer", "minimum": 1, "maximum": 100_000], "Page (48 products each)")]
        let orderAction = { (id: String, summary: String) in
            OAS.operation(id, summary, tag: "Food", secured: true, parameters: [OAS.slug, orderID],
                          responses: OAS.ok("The order", OAS.ref("FoodOrder")), errorCodes: [401, 403, 404, 409])
        }
        // Some lines refused, or no file at all (the one error shape).
        let refused: JSONValue = ["anyOf": [importResult, OAS.ref("Error")]]
        var importCSV = OAS.operation("importProductsCSV", "Create or update a producer's products from CSV (one line per variant)", tag: "Food",
                                      secured: true, parameters: [OAS.slug, producerID],
                                      responses: OAS.ok("Imported", importResult).merging(OAS.ok("Some lines refused, or no file", refused, status: 422)) { a, _ in a },
                                      errorCodes: [401, 403, 404, 413])
        if case .object(var operation) = importCSV {
            let example = "produit,variante,quantité,prix,tva,stock,catégorie,unité,description\nCarottes,1 kg,1,\"2,20\",\"5,5\",50,Légumes,kg,Carottes de saison\n"
            operation["requestBody"] = ["required": true, "content": ["text/csv": [
                "schema": ["type": "string", "minLength": 1,
                           "description": "A header line naming the columns (produit/product, prix/price, tva/vat, catégorie/category and unité/unit required; variante, quantité, stock, description, producteur optional), then one line per variant"],
                "example": .string(example),
            ]]]
            importCSV = .object(operation)
        }
        return OpenAPIFragment(
            paths: [
                "/api/v1/cooperatives/{slug}/food/cycles": ["get": OAS.operation("listFoodCycles", "Published order cycles with their pickup points",
                    tag: "Food", secured: false, parameters: [OAS.slug], responses: OAS.ok("Cycles", OAS.object(["data": OAS.array(OAS.ref("FoodCycle"))], required: ["data"])),
                    errorCodes: [404])],
                "/api/v1/cooperatives/{slug}/food/cycles/{cycle}/products": ["get": OAS.operation("cycleShopfront",
                    "One page of a cycle's shopfront: products with their variants, price and what is left", tag: "Food", secured: false,
                    parameters: [OAS.slug, cycleID] + search, responses: OAS.ok("Products", productsPage), errorCodes: [404])],
                "/api/v1/cooperatives/{slug}/food/cycles/{cycle}/orders": ["post": OAS.operation("checkout",
                    "Check out a basket: stock is taken by the database, never oversold; paid at pickup or from member credit", tag: "Food", secured: true,
                    parameters: [OAS.slug, cycleID, idempotency], body: checkout,
                    responses: OAS.ok("Ordered", OAS.ref("FoodOrder"), status: 201).merging(OAS.ok("Already ordered (same idempotency key)", OAS.ref("FoodOrder"))) { a, _ in a },
                    errorCodes: [401, 403, 404, 409])],
                "/api/v1/cooperatives/{slug}/food/orders": ["get": OAS.operation("myFoodOrders", "My orders in this cooperative", tag: "Food", secured: true,
                    parameters: [OAS.slug], responses: OAS.ok("Orders", OAS.object(["data": OAS.array(OAS.ref("FoodOrder"))], required: ["data"])),
                    errorCodes: [401, 403, 404])],
                "/api/v1/cooperatives/{slug}/food/orders/{order}": ["get": orderAction("foodOrder", "One order")],
                "/api/v1/cooperatives/{slug}/food/orders/{order}/confirm": ["post": orderAction("confirmFoodOrder", "Confirm a held order while its hold lasts")],
                "/api/v1/cooperatives/{slug}/food/orders/{order}/cancel": ["post": orderAction("cancelFoodOrder", "Cancel an order (the shopper until the cycle closes)")],
                "/api/v1/cooperatives/{slug}/food/producers/{producer}/catalog": [
                    "get": OAS.operation("producerCatalogDFC", "The producer's catalog as Data Food Consortium JSON-LD", tag: "Food", secured: false,
                                         parameters: [OAS.slug, producerID],
                                         responses: ["200": ["description": "DFC JSON-LD", "content": ["application/ld+json": ["schema": ["type": "object"]]]]],
                                         errorCodes: [404]),
                    "post": OAS.operation("importCatalogDFC", "Import a DFC catalog into the producer's products", tag: "Food", secured: true,
                                          parameters: [OAS.slug, producerID], body: ["type": "object", "additionalProperties": true],
                                          responses: OAS.ok("Imported", dfcImport), errorCodes: [401, 403, 404]),
                ],
                "/api/v1/cooperatives/{slug}/food/producers/{producer}/products/import": ["post": importCSV],
            ].merging(FoodDFCOrderOpenAPI.paths) { a, _ in a },
            schemas: ["FoodCycle": cycle, "FoodProduct": product, "FoodOrder": order].merging(FoodDFCOrderOpenAPI.schemas) { a, _ in a })
    }
}
