import Foundation
@testable import MaillageCore
import Testing

/// Where the shared fixtures live: `MAILLAGE_FIXTURES` if set, else `shared/fixtures` three
/// levels above this file (…/main/Tests/MaillageCoreTests → …/shared/fixtures), else the
/// workspace's `/work/shared/fixtures`.
enum ExchangeFixtures {
    static var directory: URL {
        if let override = ProcessInfo.processInfo.environment["MAILLAGE_FIXTURES"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        let beside = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("../../../shared/fixtures").standardized
        if FileManager.default.fileExists(atPath: beside.path) { return beside }
        return URL(fileURLWithPath: "/work/shared/fixtures")
    }

    static func data(_ path: String) throws -> Data {
        try Data(contentsOf: directory.appendingPathComponent(path))
    }

    /// The Murmurations field definitions the offers & wants schema points to with
    /// `"$ref": "../fields/…"`, which the fixture folder does not carry. Copied from the
    /// MurmurationsNetwork field library (linked_schemas v1.0.0, geolocation, latitude,
    /// longitude), annotations (metadata) left out.
    static let fields: [String: String] = [
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
}

/// A JSON value read strictly (a boolean is never a number), for the schema validator.
indirect enum SchemaJSON: Decodable, Hashable {
    case null, bool(Bool), int(Int64), number(Double), string(String), array([SchemaJSON]), object([String: SchemaJSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int64.self) { self = .int(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([SchemaJSON].self) { self = .array(value) }
        else { self = .object(try container.decode([String: SchemaJSON].self)) }
    }

    static func read(_ data: Data) throws -> SchemaJSON { try JSONDecoder().decode(SchemaJSON.self, from: data) }
    static func read(_ text: String) throws -> SchemaJSON { try read(Data(text.utf8)) }

    var object: [String: SchemaJSON]? { if case .object(let o) = self { o } else { nil } }
    var string: String? { if case .string(let s) = self { s } else { nil } }
    var double: Double? {
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
struct SchemaValidator {
    static let assertions: Set<String> = [
        "type", "properties", "required", "additionalProperties", "enum", "items", "minItems", "maxItems",
        "uniqueItems", "minLength", "maxLength", "pattern", "minimum", "maximum", "$ref",
    ]
    static let annotations: Set<String> = [
        "$schema", "$id", "title", "description", "enumNames", "metadata", "definitions", "$comment", "default", "examples",
    ]

    let root: SchemaJSON
    let resolve: (String) throws -> SchemaJSON

    /// Every problem found, as "path: why"; empty when the instance is valid.
    func errors(_ instance: SchemaJSON) throws -> [String] {
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

    static func has(type: String, _ value: SchemaJSON) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null): true
        case ("number", .int), ("number", .number), ("integer", .int): true
        case ("integer", .number(let d)): d.rounded() == d
        default: false
        }
    }

    /// Every keyword used anywhere in a schema (inside `properties` and `definitions`, the keys
    /// are names, not keywords).
    static func keywords(in schema: SchemaJSON) -> Set<String> {
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

enum SchemaProblem: Error { case unresolved(String) }

@Suite struct ExchangeJSONSchemaTests {
    static func offersWants() throws -> SchemaValidator {
        let root = try SchemaJSON.read(ExchangeFixtures.data("directory/offers_wants_schema-v0.1.0.json"))
        return SchemaValidator(root: root) { ref in
            guard let text = ExchangeFixtures.fields[ref] else { throw SchemaProblem.unresolved(ref) }
            return try SchemaJSON.read(text)
        }
    }

    @Test func theValidatorKnowsEveryKeywordTheFixtureUses() throws {
        let validator = try Self.offersWants()
        var used = SchemaValidator.keywords(in: validator.root)
        for text in ExchangeFixtures.fields.values { used.formUnion(SchemaValidator.keywords(in: try SchemaJSON.read(text))) }
        #expect(used.subtracting(SchemaValidator.assertions).subtracting(SchemaValidator.annotations).isEmpty,
                "unsupported: \(used.subtracting(SchemaValidator.assertions).subtracting(SchemaValidator.annotations))")
    }

    @Test func theValidatorAppliesEachKeyword() throws {
        let schema = try SchemaJSON.read(#"""
        {"type": "object", "required": ["a"], "additionalProperties": false,
         "definitions": {"small": {"type": "integer", "minimum": 1, "maximum": 3}},
         "properties": {"a": {"type": "array", "items": {"$ref": "#/definitions/small"}, "minItems": 1, "maxItems": 2, "uniqueItems": true},
                        "s": {"type": "string", "minLength": 2, "maxLength": 3, "pattern": "^x"},
                        "e": {"enum": ["p", 1]}}}
        """#)
        let validator = SchemaValidator(root: schema) { throw SchemaProblem.unresolved($0) }
        #expect(try validator.errors(SchemaJSON.read(#"{"a": [1, 3], "s": "xy", "e": 1}"#)).isEmpty)
        let cases = [
            #"{}"#, #"{"a": []}"#, #"{"a": [1, 2, 3]}"#, #"{"a": [1, 1]}"#, #"{"a": [4]}"#, #"{"a": [1.5]}"#,
            #"{"a": [true]}"#, #"{"a": [1], "s": "y1"}"#, #"{"a": [1], "s": "xyzw"}"#, #"{"a": [1], "e": "q"}"#,
            #"{"a": [1], "z": 0}"#, #"[]"#,
        ]
        for text in cases { #expect(try !validator.errors(SchemaJSON.read(text)).isEmpty, "\(text) should fail") }
    }

    @Test func ourVocabularyIsTheSchemasExactly() throws {
        let properties = try #require(try Self.offersWants().root.object?["properties"]?.object)
        func enumeration(_ schema: SchemaJSON?) -> Set<String> {
            guard case .array(let values)? = schema?.object?["enum"] else { return [] }
            return Set(values.compactMap(\.string))
        }
        #expect(enumeration(properties["exchange_type"]) == Set(ExchangeType.allCases.map(\.rawValue)))
        #expect(enumeration(properties["item_type"]) == Set(ExchangeItemType.allCases.map(\.rawValue)))
        #expect(enumeration(properties["transaction_type"]?.object?["items"]) == Set(TransactionType.allCases.map(\.rawValue)))
        #expect(enumeration(properties["geographic_scope"]) == Set(GeographicScope.allCases.map(\.rawValue)))
        #expect(OffersWantsProfile.schemaName == "offers_wants_schema-v0.1.0")
    }
}
