import Foundation
@testable import MaillageCore
import MaillageTestFixtures
import Testing

@Suite struct ExchangeJSONSchemaTests {
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
}

/// Our offers-and-wants vocabulary and validator against the Murmurations schema as published.
@Suite(.tags(.conformance), .enabled(if: Fixtures.conformanceAvailable, Comment(rawValue: Fixtures.conformanceSkipReason)))
struct OffersWantsSchemaConformance {
    static func offersWants() throws -> SchemaValidator {
        try OffersWantsProfile.validator(schema: Fixtures.conformance("directory/offers_wants_schema-v0.1.0.json"))
    }

    @Test func theValidatorKnowsEveryKeywordTheFixtureUses() throws {
        let validator = try Self.offersWants()
        var used = SchemaValidator.keywords(in: validator.root)
        for text in OffersWantsProfile.fieldSchemas.values { used.formUnion(SchemaValidator.keywords(in: try SchemaJSON.read(text))) }
        #expect(used.subtracting(SchemaValidator.assertions).subtracting(SchemaValidator.annotations).isEmpty,
                "unsupported: \(used.subtracting(SchemaValidator.assertions).subtracting(SchemaValidator.annotations))")
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
