import MaillageCore

enum ExchangeOpenAPI {
    static var fragment: OpenAPIFragment {
        let profile = OAS.object([
            "linked_schemas": OAS.array(OAS.string()), "exchange_type": OAS.string(enum: ExchangeType.allCases.map(\.rawValue)),
            "item_type": OAS.string(enum: ExchangeItemType.allCases.map(\.rawValue)),
            "transaction_type": OAS.array(OAS.string(enum: TransactionType.allCases.map(\.rawValue))), "tags": OAS.array(OAS.string()),
            "title": OAS.string(), "description": OAS.string(), "details_url": OAS.string(),
            "geolocation": OAS.object(["lat": ["type": "number"], "lon": ["type": "number"]], required: ["lat", "lon"]),
            "geographic_scope": OAS.string(enum: GeographicScope.allCases.map(\.rawValue)),
            "contact_details": OAS.object(["email": OAS.string(), "contact_form": OAS.string()], required: []),
            "expires_at": ["type": "integer", "format": "int64"],
        ], required: ["linked_schemas", "exchange_type", "transaction_type", "tags", "title", "description", "geographic_scope", "contact_details"])
        let service = OAS.object([
            "id": OAS.uuid, "giver": OAS.uuid, "receiver": OAS.uuid, "description": OAS.string(), "doneOn": OAS.string("YYYY-MM-DD"),
            "settlement": OAS.string(enum: ["hours", "free"]), "minutes": ["type": "integer", "format": "int64"], "transfer": OAS.uuid,
            "offerWant": OAS.uuid, "recordedAt": OAS.dateTime,
        ], required: ["id", "giver", "receiver", "description", "doneOn", "settlement", "minutes", "recordedAt"])
        let impact = OAS.object(["loansCompleted": ["type": "integer"], "servicesExchanged": ["type": "integer"], "freeHelp": ["type": "integer"],
                                 "minutesGiven": ["type": "integer", "format": "int64"]],
                                required: ["loansCompleted", "servicesExchanged", "freeHelp", "minutesGiven"])
        let commune = OAS.string("A commune of the territory", enum: Communes.known.map(\.name))
        let search = [OAS.queryParameter("q", OAS.string(max: 200), "Words, all of which must match"),
                      OAS.queryParameter("kind", OAS.string(enum: ["offer", "want"]), "Offers or wants only"),
                      OAS.queryParameter("category", OAS.string(enum: ItemCategory.allCases.map(\.rawValue)), "Category code"),
                      OAS.queryParameter("near", commune, "A commune of the territory"),
                      OAS.queryParameter("radius", ["type": "number", "minimum": .double(0.1), "maximum": 200], "Radius in km (default 5)"),
                      OAS.queryParameter("limit", ["type": "integer", "minimum": 1, "maximum": 500], "At most this many (default 100)")]
        // What the rules ask together (OfferWantDraft): a service is given or sold, never lent nor
        // rented; only a service takes time-bank hours.
        var offerWant = OAS.object([
            "exchange_type": OAS.string(enum: ExchangeType.allCases.map(\.rawValue)),
            "item_type": OAS.string(enum: ExchangeItemType.allCases.map(\.rawValue)),
            "transaction_type": ["type": "array", "minItems": 1, "items": OAS.string(enum: TransactionType.allCases.map(\.rawValue)),
                                 "description": "At least one; a service is never lent nor rented"],
            "category": OAS.string(enum: ItemCategory.allCases.map(\.rawValue)),
            "tags": ["type": "array", "maxItems": .int(OfferWantDraft.tagLimit), "items": OAS.string(max: OfferWantDraft.tagLength.upperBound)],
            "title": OAS.string(min: 3, max: 100), "description": OAS.string(min: 1, max: 1000),
            "geographic_scope": OAS.string(enum: GeographicScope.allCases.map(\.rawValue)),
            "public_email": ["type": "string", "format": "email", "maxLength": 254],
            "accepts_time_bank": ["type": "boolean", "description": "Services only"],
            "expires_on": ["type": "string", "format": "date",
                           "description": .string("The last day shown: today at the earliest, at most \(OfferWantDraft.longestLifeDays) days ahead")],
            "commune": commune,
        ], required: ["exchange_type", "item_type", "transaction_type", "title", "description", "commune"])
        if case .object(var body) = offerWant {
            let aService = JSONValue.string(ExchangeItemType.service.rawValue)
            body["allOf"] = [
                ["if": ["properties": ["item_type": ["const": aService]], "required": ["item_type"]],
                 "then": ["properties": ["transaction_type": ["items": ["enum": .array(TransactionType.allCases.filter { $0.fits(.service) }
                                                                                            .map { JSONValue.string($0.rawValue) })]]]]],
                ["if": ["properties": ["accepts_time_bank": ["const": true]], "required": ["accepts_time_bank"]],
                 "then": ["required": ["item_type"], "properties": ["item_type": ["const": aService]]]],
            ]
            offerWant = .object(body)
        }
        // Hours are counted in minutes: a service paid in hours says how many.
        var serviceInput = OAS.object(["counterpart": OAS.uuid, "role": OAS.string(enum: ["received", "given"]),
                                       "settlement": OAS.string(enum: ["hours", "free"]),
                                       "minutes": ["type": "integer", "minimum": 1, "maximum": 720], "description": OAS.string(min: 3, max: 200),
                                       "doneOn": ["type": "string", "format": "date", "description": "Today at the latest"], "offerWant": OAS.uuid],
                                      required: ["counterpart", "role", "settlement", "description", "doneOn"])
        if case .object(var body) = serviceInput {
            body["allOf"] = [["if": ["properties": ["settlement": ["const": "hours"]], "required": ["settlement"]], "then": ["required": ["minutes"]]]]
            serviceInput = .object(body)
        }
        let base = "/api/v1/cooperatives/{slug}/exchange"
        return OpenAPIFragment(
            paths: [
                "\(base)/offers-wants": [
                    "get": OAS.operation("offersWantsFeed", "Offers and wants still shown, as Murmurations offers_wants_schema-v0.1.0 profiles (public)",
                        tag: "Exchange", secured: false, parameters: [OAS.slug] + search,
                        responses: OAS.ok("Profiles", OAS.object(["data": OAS.array(OAS.ref("OffersWantsProfile"))], required: ["data"])),
                        errorCodes: [404, 422]),
                    "post": OAS.operation("publishOfferWant", "Publish an offer or a want (members)", tag: "Exchange", secured: true, parameters: [OAS.slug],
                        body: offerWant,
                        responses: OAS.ok("Published", OAS.ref("OffersWantsProfile"), status: 201), errorCodes: [401, 403, 404]),
                ],
                "\(base)/services": ["post": OAS.operation("recordService",
                    "Record a service done with another member: in hours (the receiver pays from their time account) or as free help",
                    tag: "Exchange", secured: true, parameters: [OAS.slug],
                    body: serviceInput,
                    responses: OAS.ok("Recorded", OAS.ref("ServiceRecord"), status: 201), errorCodes: [401, 403, 404, 409])],
                "/api/v1/cooperatives/{slug}/impact": ["get": OAS.operation("cooperativeImpact",
                    "Loans completed, services exchanged, hours given in a cooperative (public, for the observatory)", tag: "Exchange",
                    secured: false, parameters: [OAS.slug], responses: OAS.ok("Counters", OAS.ref("NeighbourhoodImpact")), errorCodes: [404])],
                "/api/v1/impact/neighbourhood": ["get": OAS.operation("territoryImpact",
                    "The same counters for the whole territory (public)", tag: "Exchange", secured: false,
                    responses: OAS.ok("Counters", OAS.ref("NeighbourhoodImpact")), errorCodes: [])],
            ],
            schemas: ["OffersWantsProfile": profile, "ServiceRecord": service, "NeighbourhoodImpact": impact])
    }
}
