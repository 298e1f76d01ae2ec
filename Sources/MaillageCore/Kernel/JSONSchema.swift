import Foundation

// A JSON Schema validator small enough to read, to check what we publish (the Murmurations
// offers & wants feed) and, later, what we import, against the schemas of the standards.

/// A JSON value read strictly (a boolean is never a number), for the schema validator.
public indirect enum SchemaJSON: Decodable, Hashable, Sendable {
    case null, bool(Bool), int(Int64), number(Double), string(String), array([SchemaJSON]), object([String: SchemaJSON])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int64.self) { self = .int(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([SchemaJSON].self) { self = .array(value) }
        else { self = .object(try container.decode([String: SchemaJSON].self)) }
    }

    public static func read(_ data: Data) throws -> SchemaJSON { try JSONDecoder().decode(SchemaJSON.self, from: data) }
    public static func read(_ text: String) throws -> SchemaJSON { try read(Data(text.utf8)) }

    public var object: [String: SchemaJSON]? { if case .object(let o) = self { o } else { nil } }
    public var string: String? { if case .string(let s) = self { s } else { nil } }
    public var double: Double? {
        switch self {
        case .int(let i): Double(i)
        case .number(let d): d
        default: nil
        }
    }
}

/// A minimal JSON Schema (draft-07) validator covering the keywords Murmurations schemas use:
/// type, properties, required, additionalProperties, enum, items, minItems, maxItems,
/// uniqueItems, minLength, maxLength, pattern, minimum, maximum, and `$ref` to local pointers
/// (`#/definitions/x`) or to files given by `resolve`. Annotations are ignored.
public struct SchemaValidator {
    public static let assertions: Set<String> = [
        "type", "properties", "required", "additionalProperties", "enum", "items", "minItems", "maxItems",
        "uniqueItems", "minLength", "maxLength", "pattern", "minimum", "maximum", "$ref",
    ]
    public static let annotations: Set<String> = [
        "$schema", "$id", "title", "description", "enumNames", "metadata", "definitions", "$comment", "default", "examples",
    ]

    public let root: SchemaJSON
    public let resolve: (String) throws -> SchemaJSON

    public init(root: SchemaJSON, resolve: @escaping (String) throws -> SchemaJSON) {
        self.root = root
        self.resolve = resolve
    }

    /// Every problem found, as "path: why"; empty when the instance is valid.
    public func errors(_ instance: SchemaJSON) throws -> [String] {
        var found: [String] = []
        try check(instance, against: root, at: "$", into: &found)
        return found
    }

    private func check(_ value: SchemaJSON, against schema: SchemaJSON, at path: String, into found: inout [String]) throws {
        guard let rules = schema.object else { return }
        if let ref = rules["$ref"]?.string {
            let target: SchemaJSON
            if ref.hasPrefix("#/") {
                target = try ref.dropFirst(2).split(separator: "/").reduce(root) { node, key in
                    guard let next = node.object?[String(key)] else { throw SchemaProblem.unresolved(ref) }
                    return next
                }
            } else {
                target = try resolve(ref)
            }
            try check(value, against: target, at: path, into: &found)
        }
        if case .array(let types)? = rules["type"] {
            if !types.contains(where: { $0.string.map { Self.has(type: $0, value) } ?? false }) { found.append("\(path): type") }
        } else if let type = rules["type"]?.string, !Self.has(type: type, value) {
            found.append("\(path): not a \(type)")
            return
        }
        if case .array(let allowed)? = rules["enum"], !allowed.contains(value) { found.append("\(path): not in enum") }
        switch value {
        case .object(let members):
            if case .array(let required)? = rules["required"] {
                for case .string(let key) in required where members[key] == nil { found.append("\(path): missing \(key)") }
            }
            let properties = rules["properties"]?.object ?? [:]
            for (key, member) in members {
                if let sub = properties[key] {
                    try check(member, against: sub, at: "\(path).\(key)", into: &found)
                } else if let extra = rules["additionalProperties"] {
                    if case .bool(false) = extra { found.append("\(path): unexpected \(key)") }
                    else { try check(member, against: extra, at: "\(path).\(key)", into: &found) }
                }
            }
        case .array(let elements):
            if let min = rules["minItems"]?.double, Double(elements.count) < min { found.append("\(path): too few items") }
            if let max = rules["maxItems"]?.double, Double(elements.count) > max { found.append("\(path): too many items") }
            if case .bool(true)? = rules["uniqueItems"], Set(elements).count != elements.count { found.append("\(path): duplicate items") }
            if let items = rules["items"] {
                for (index, element) in elements.enumerated() { try check(element, against: items, at: "\(path)[\(index)]", into: &found) }
            }
        case .string(let text):
            let length = text.unicodeScalars.count
            if let min = rules["minLength"]?.double, Double(length) < min { found.append("\(path): too short") }
            if let max = rules["maxLength"]?.double, Double(length) > max { found.append("\(path): too long") }
            if let pattern = rules["pattern"]?.string {
                // JSON Schema patterns are unanchored ECMA-262 expressions: a match anywhere counts.
                let regex = try NSRegularExpression(pattern: pattern)
                if regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil {
                    found.append("\(path): does not match \(pattern)")
                }
            }
        case .int, .number:
            let number = value.double ?? 0
            if let min = rules["minimum"]?.double, number < min { found.append("\(path): below minimum") }
            if let max = rules["maximum"]?.double, number > max { found.append("\(path): above maximum") }
        case .null, .bool:
            break
        }
    }

    public static func has(type: String, _ value: SchemaJSON) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null): true
        case ("number", .int), ("number", .number), ("integer", .int): true
        case ("integer", .number(let d)): d.rounded() == d
        default: false
        }
    }

    /// Every keyword used anywhere in a schema (inside `properties` and `definitions`, the keys
    /// are names, not keywords).
    public static func keywords(in schema: SchemaJSON) -> Set<String> {
        guard let rules = schema.object else {
            if case .array(let list) = schema { return list.reduce(into: []) { $0.formUnion(keywords(in: $1)) } }
            return []
        }
        var found = Set(rules.keys)
        for (key, sub) in rules where key != "metadata" && key != "enum" && key != "enumNames" {
            if key == "properties" || key == "definitions", let named = sub.object {
                for child in named.values { found.formUnion(keywords(in: child)) }
            } else {
                found.formUnion(keywords(in: sub))
            }
        }
        return found
    }
}

public enum SchemaProblem: Error { case unresolved(String) }

extension OffersWantsProfile {
    /// The Murmurations field definitions the offers & wants schema points to with
    /// `"$ref": "../fields/…"`, which the fixture folder does not carry. Copied from the
    /// MurmurationsNetwork field library (linked_schemas v1.0.0, geolocation, latitude,
    /// longitude), annotations (metadata) left out.
    public static let fieldSchemas: [String: String] = [
        "../fields/linked_schemas.json": #"""
        {"title": "Linked Schemas", "type": "array",
         "items": {"type": "string", "pattern": "^[a-z][a-z0-9_]{7,97}-v[0-9]+\\.[0-9]+\\.[0-9]+$"},
         "minItems": 1, "uniqueItems": true}
        """#,
        "../fields/geolocation.json": #"""
        {"title": "Geolocation Coordinates", "type": "object",
         "properties": {"lat": {"$ref": "../fields/latitude.json"}, "lon": {"$ref": "../fields/longitude.json"}},
         "required": ["lat", "lon"]}
        """#,
        "../fields/latitude.json": #"{"title": "Latitude", "type": "number", "minimum": -90, "maximum": 90}"#,
        "../fields/longitude.json": #"{"title": "Longitude", "type": "number", "minimum": -180, "maximum": 180}"#,
    ]

    /// A validator of the offers & wants schema given as JSON, resolving its `../fields/…` refs.
    public static func validator(schema: Data) throws -> SchemaValidator {
        SchemaValidator(root: try SchemaJSON.read(schema)) { ref in
            guard let text = fieldSchemas[ref] else { throw SchemaProblem.unresolved(ref) }
            return try SchemaJSON.read(text)
        }
    }
}
