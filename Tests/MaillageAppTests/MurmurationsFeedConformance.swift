import Foundation
@testable import MaillageApp
import MaillageCore
import MaillageTestFixtures
import Testing
import VaporTesting

/// The open feeds against the Murmurations schemas as the network publishes them.
@Suite(.tags(.conformance), .enabled(if: Fixtures.conformanceAvailable, Comment(rawValue: Fixtures.conformanceSkipReason)))
struct MurmurationsFeedConformance {
    @Test func theFeedCarriesMurmurationsOrganizationFields() async throws {
        try await withMaillage(demo: true) { app in
            let schemaData = try Fixtures.conformance("directory/organizations_schema-v1.0.0.json")
            let schema = try #require(try JSONSerialization.jsonObject(with: schemaData) as? [String: Any])
            let properties = Set((schema["properties"] as? [String: Any] ?? [:]).keys)
            let required = schema["required"] as? [String] ?? []
            let feed = try await app.testing().sendRequest(.GET, "/api/v1/directory")
            #expect(feed.status == .ok)
            let entries = feed.json["data"] as? [[String: Any]] ?? []
            #expect(entries.count == 6)
            for entry in entries {
                for field in required { #expect(entry[field] != nil, "required field \(field)") }
                #expect(Set(entry.keys).isSubset(of: properties), "only Murmurations fields: \(Set(entry.keys).subtracting(properties))")
                #expect((entry["linked_schemas"] as? [String]) == ["organizations_schema-v1.0.0"])
                #expect((entry["primary_url"] as? String)?.hasPrefix("http") == true)
                #expect(entry["country_iso_3166"] as? String == "FR")
                let geo = entry["geolocation"] as? [String: Any]
                #expect(geo?["lat"] is Double && geo?["lon"] is Double)
            }
            let carpool = try await app.testing().sendRequest(.GET, "/api/v1/directory?activity=carpool")
            #expect((carpool.json["data"] as? [Any])?.count == 1)
            let bad = try await app.testing().sendRequest(.GET, "/api/v1/directory?activity=teleportation")
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.errorField == "activity")
            let one = try await app.testing().sendRequest(.GET, "/api/v1/directory/coursiers-nantais")
            #expect(one.json["name"] as? String == "Coursiers Nantais")
        }
    }

    @Test func thePublicFeedValidatesAgainstTheMurmurationsOffersWantsSchema() async throws {
        try await withMaillage(demo: true) { app in
            let validator = try OffersWantsProfile.validator(schema: Fixtures.conformance("directory/offers_wants_schema-v0.1.0.json"))
            let response = try await app.testing().sendRequest(.GET, "/api/v1/cooperatives/coup-de-main-orvault/exchange/offers-wants?limit=500",
                                                               headers: ["Host": "echange.example.coop"])
            #expect(response.status == .ok)
            let feed = try SchemaJSON.read(Data(response.body.string.utf8))
            guard case .array(let profiles)? = feed.object?["data"] else { Issue.record("no data array"); return }
            #expect(profiles.count >= 20, "the demo exchange has at least 20 offers and wants: \(profiles.count)")
            for profile in profiles {
                let errors = try validator.errors(profile)
                #expect(errors.isEmpty, "\(profile.object?["title"]?.string ?? "?"): \(errors)")
            }
            let urls = ((response.json["data"] as? [[String: Any]]) ?? []).compactMap { $0["details_url"] as? String }
            #expect(!urls.isEmpty && urls.allSatisfy { $0.hasPrefix("http://echange.example.coop/c/coup-de-main-orvault/exchange/") },
                    "details_url points to the page")
            #expect(!response.body.string.contains("@demo.maillage.coop"), "no member's email unless they chose one")
            let wants = try await app.testing().sendRequest(.GET, "/api/v1/cooperatives/coup-de-main-orvault/exchange/offers-wants?kind=want")
            let kinds = Set(((wants.json["data"] as? [[String: Any]]) ?? []).compactMap { $0["exchange_type"] as? String })
            #expect(kinds == ["want"])
        }
    }
}
