import Foundation
import Vapor

extension JSONValue: Content {}

/// The paths and schemas one module adds to the OpenAPI document.
struct OpenAPIFragment: Sendable {
    var paths: [String: JSONValue] = [:]
    var schemas: [String: JSONValue] = [:]
}

/// Small builders so each module's description stays short and consistent.
enum OAS {
    static func ref(_ schema: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(schema)")] }
    static func array(_ items: JSONValue) -> JSONValue { ["type": "array", "items": items] }
    static let uuid: JSONValue = ["type": "string", "format": "uuid"]
    static let dateTime: JSONValue = ["type": "string", "format": "date-time"]
    /// A date-time the server reads: RFC 3339 as Foundation's ISO 8601 parser takes it, upper-case
    /// `T` and `Z` and an offset within ±18:00, which is narrower than JSON Schema's `date-time`.
    static let dateTimeInput: JSONValue = [
        "type": "string", "format": "date-time",
        "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-](0[0-9]|1[0-7]):[0-5][0-9]|[+-]18:00)$",
    ]
    /// A calendar day of the territory, `YYYY-MM-DD`.
    static let day: JSONValue = ["type": "string", "format": "date"]
    static func string(_ description: String? = nil, min: Int? = nil, max: Int? = nil, enum values: [String]? = nil) -> JSONValue {
        var object: [String: JSONValue] = ["type": "string"]
        if let description { object["description"] = .string(description) }
        if let min { object["minLength"] = .int(min) }
        if let max { object["maxLength"] = .int(max) }
        if let values { object["enum"] = .array(values.map(JSONValue.string)) }
        return .object(object)
    }
    static func nullable(_ schema: JSONValue) -> JSONValue { ["anyOf": [schema, ["type": "null"]]] }
    static func object(_ properties: [String: JSONValue], required: [String], additional: Bool = false) -> JSONValue {
        ["type": "object", "properties": .object(properties), "required": .array(required.map(JSONValue.string)),
         "additionalProperties": .bool(additional)]
    }

    static func json(_ schema: JSONValue) -> JSONValue { ["application/json": ["schema": schema]] }

    /// Every error answer has the one shape.
    static func errors(_ codes: [Int]) -> [String: JSONValue] {
        let names = [400: "Malformed request", 401: "Not signed in (missing or invalid bearer token)", 403: "Not allowed",
                     404: "Not found", 409: "Conflict with the current state", 413: "Body too large",
                     415: "Unsupported content type", 422: "Invalid input", 429: "Too many requests"]
        var out: [String: JSONValue] = [:]
        for code in codes {
            out[String(code)] = ["description": .string(names[code] ?? "Error"), "content": json(ref("Error"))]
        }
        return out
    }

    static func operation(_ id: String, _ summary: String, tag: String, secured: Bool, parameters: [JSONValue] = [],
                          body: JSONValue? = nil, bodyRequired: Bool = true, responses: [String: JSONValue], errorCodes: [Int]) -> JSONValue {
        var op: [String: JSONValue] = [
            "operationId": .string(id), "summary": .string(summary), "tags": [.string(tag)],
            "responses": .object(responses.merging(errors(errorCodes + (body != nil ? [400, 413, 415, 422] : [])), uniquingKeysWith: { a, _ in a })),
        ]
        if !parameters.isEmpty { op["parameters"] = .array(parameters) }
        if let body { op["requestBody"] = ["required": .bool(bodyRequired), "content": json(body)] }
        op["security"] = secured ? [["bearer": []]] : []
        return .object(op)
    }

    static func pathParameter(_ name: String, _ schema: JSONValue) -> JSONValue {
        ["name": .string(name), "in": "path", "required": true, "schema": schema]
    }
    static func queryParameter(_ name: String, _ schema: JSONValue, _ description: String) -> JSONValue {
        ["name": .string(name), "in": "query", "required": false, "schema": schema, "description": .string(description)]
    }
    static func ok(_ description: String, _ schema: JSONValue, status: Int = 200) -> [String: JSONValue] {
        [String(status): ["description": .string(description), "content": json(schema)]]
    }
    static let slug = pathParameter("slug", ["type": "string", "pattern": "^[a-z0-9-]{1,60}$"])
}

enum OpenAPIDocument {
    static func build(for modules: [any MaillageModule], serverURL: String?) -> JSONValue {
        var paths: [String: JSONValue] = [:]
        var schemas: [String: JSONValue] = [
            "Error": OAS.object([
                "error": OAS.object([
                    "code": OAS.string("Stable machine-readable code, e.g. `email_taken`."),
                    "message": OAS.string("Human-readable explanation in the request's language (Accept-Language)."),
                    "field": OAS.string("The input field to fix, when there is one."),
                ], required: ["code", "message"]),
            ], required: ["error"]),
        ]
        for module in modules {
            for (path, item) in module.openAPI.paths { paths[path] = paths[path].map { $0.merged(with: item) } ?? item }
            schemas.merge(module.openAPI.schemas) { $1 }
        }
        var document: [String: JSONValue] = [
            "openapi": "3.1.0",
            "info": [
                "title": "Maillage API",
                "version": "1.0.0",
                "description": "Open API of a Maillage instance: the territory's cooperative platforms, their members and activities. Authenticate with a personal access token created on your account page: `Authorization: Bearer mlg_…`. Errors always have the shape `{\"error\": {\"code\", \"message\", \"field\"?}}`.",
                "license": ["name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"],
            ],
            "paths": .object(paths),
            "components": [
                "schemas": .object(schemas),
                "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer", "description": "Personal access token (mlg_…)"]],
            ],
        ]
        if let serverURL { document["servers"] = [["url": .string(serverURL)]] }
        return .object(document)
    }
}
