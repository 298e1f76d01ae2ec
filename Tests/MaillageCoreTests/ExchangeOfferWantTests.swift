import Foundation
@testable import MaillageCore
import MaillageTestFixtures
import Testing

/// The sample offer and the constants both suites below start from.
protocol OfferWantSamples {}

extension OfferWantSamples {
    typealias T = LendingTest
    var author: UUID { LendingTest.uuid(1) }
    var now: Date { LendingTest.utc("2026-04-01T10:00:00Z") }
    var page: String { "https://echange.example.coop/echanges/00000000-0000-4000-8000-000000000042" }

    var lawnmower: OfferWantDraft {
        OfferWantDraft(exchangeType: "offer", itemType: "good", transactionTypes: ["receive-donate", "borrow-lend"],
                       category: "jardinage", tags: "tondeuse, Jardin, jardin , électrique",
                       title: "Tondeuse électrique", description: "Tondeuse 1 200 W, bac de 40 L ; à prêter ou donner.",
                       scope: "local",
                       publicEmail: " Claire@Example.org ", expiresOn: "2026-06-30")
    }
}

@Suite struct ExchangeOfferWantTests: OfferWantSamples {
    @Test func aValidOfferBecomesAnOfferWant() throws {
        let offer = try lawnmower.validated(id: T.uuid(42), author: author, position: GeoPoint(commune: "Rezé"), now: now)
        #expect(offer.exchangeType == .offer && offer.itemType == .good)
        #expect(offer.transactionTypes == [.borrowLend, .receiveDonate])   // schema order, whatever the form's
        #expect(offer.tags == ["tondeuse", "Jardin", "électrique"])        // duplicates ignoring case dropped
        #expect(offer.publicEmail == "claire@example.org")
        // Shown until the end of 30 June in Paris: 22:00 UTC in summer.
        #expect(offer.expiresAt == T.utc("2026-06-30T22:00:00Z"))
        #expect(offer.isActive(at: T.utc("2026-06-30T21:59:00Z")) && !offer.isActive(at: T.utc("2026-06-30T22:00:00Z")))
        #expect(offer.category == .gardening)
    }

    @Test func aFormWithManyMistakesReportsThemAll() throws {
        let draft = OfferWantDraft(exchangeType: "swap", itemType: "thing", transactionTypes: ["exchange"], category: "voitures",
                                   tags: String(repeating: "x", count: 51), title: "", description: "",
                                   scope: "galactic", publicEmail: "nope",
                                   expiresOn: "2025-01-01")
        let errors = try #require(#expect(throws: ValidationErrors.self) {
            try draft.validated(author: author, position: nil, now: now)
        })
        #expect(Set(errors.errors.compactMap(\.field)) == ["exchange_type", "item_type", "transaction_type", "category", "tags",
                                                           "title", "description", "geographic_scope", "public_email",
                                                           "expires_on"])
        #expect(errors.errors.allSatisfy { !$0.message.fr.isEmpty && !$0.message.en.isEmpty && $0.kind == .invalid })
    }

    @Test func aServiceIsNeitherLentNorLeased() {
        var draft = OfferWantDraft(exchangeType: "offer", itemType: "service", transactionTypes: ["borrow-lend"],
                                   title: "Aide au jardin", description: "Je taille vos haies le samedi.")
        #expect(T.code { _ = try draft.validated(author: author, position: nil, now: now) } == "service_cannot_be_lent")
        draft.transactionTypes = ["rent-lease", "buy-sell"]
        #expect(T.code { _ = try draft.validated(author: author, position: nil, now: now) } == "service_cannot_be_lent")
        draft.transactionTypes = ["receive-donate"]
        draft.acceptsTimeBank = true
        #expect(T.code { _ = try draft.validated(author: author, position: nil, now: now) } == nil)
        draft.transactionTypes = []
        #expect(T.code { _ = try draft.validated(author: author, position: nil, now: now) } == "transaction_type_required")
    }

    @Test func onlyServicesAreSettledInHours() {
        var draft = lawnmower
        draft.acceptsTimeBank = true
        #expect(T.code { _ = try draft.validated(author: author, position: nil, now: now) } == "time_bank_for_services")
    }

    @Test func tagsAndExpiryAreBounded() {
        var draft = lawnmower
        draft.tags = (1...11).map { "mot\($0)" }.joined(separator: ",")
        #expect(T.code { _ = try draft.validated(author: author, position: nil, now: now) } == "too_many_tags")
        draft = lawnmower
        draft.expiresOn = "2027-04-02"   // 366 days ahead
        #expect(T.code { _ = try draft.validated(author: author, position: nil, now: now) } == "invalid_expiry")
        draft.expiresOn = "2026-04-01"   // today: until tonight
        #expect(T.code { _ = try draft.validated(author: author, position: nil, now: now) } == nil)
    }
}

/// Our offers and wants, rendered as Murmurations profiles, against the schema as published.
@Suite(.tags(.conformance), .enabled(if: Fixtures.conformanceAvailable, Comment(rawValue: Fixtures.conformanceSkipReason)))
struct OffersWantsProfileConformance: OfferWantSamples {
    func validate(_ profile: OffersWantsProfile) throws -> [String] {
        try OffersWantsSchemaConformance.offersWants().errors(SchemaJSON.read(profile.jsonData()))
    }

    @Test func aRenderedOfferValidatesAgainstTheRealSchema() throws {
        let offer = try lawnmower.validated(id: T.uuid(42), author: author, position: GeoPoint(commune: "Rezé"), now: now)
        let profile = offer.murmurationsProfile(pageURL: page)
        #expect(try validate(profile) == [])
        let json = try SchemaJSON.read(profile.jsonData())
        let object = try #require(json.object)
        #expect(object["linked_schemas"] == .array([.string("offers_wants_schema-v0.1.0")]))
        #expect(object["transaction_type"] == .array([.string("borrow-lend"), .string("receive-donate")]))
        #expect(object["tags"] == .array(["tondeuse", "Jardin", "électrique", "jardinage"].map(SchemaJSON.string)))
        #expect(object["geolocation"]?.object?["lat"]?.double == 47.1833)
        #expect(object["expires_at"] == .int(Int64(T.utc("2026-06-30T22:00:00Z").timeIntervalSince1970)))
        #expect(object["contact_details"]?.object?["contact_form"]?.string == page)
        #expect(object["details_url"]?.string == page)
    }

    @Test func aMinimalServiceWantValidatesAndPublishesNoEmail() throws {
        let draft = OfferWantDraft(exchangeType: "want", itemType: "service", transactionTypes: ["receive-donate"],
                                   title: "Aide pour déménager", description: "Samedi matin, deux heures, au 3e sans ascenseur.",
                                   acceptsTimeBank: true)
        let want = try draft.validated(author: author, position: nil, now: now)
        let profile = want.murmurationsProfile(pageURL: page)
        #expect(try validate(profile) == [])
        let object = try #require(try SchemaJSON.read(profile.jsonData()).object)
        #expect(object["geolocation"] == nil && object["image"] == nil && object["expires_at"] == nil)
        #expect(object["contact_details"]?.object?["email"] == nil)
        #expect(object["tags"] == .array([.string("banque-de-temps"), .string("time-bank")]))
    }

    /// Every combination the form allows renders a valid profile.
    @Test func everyAllowedCombinationValidates() throws {
        for exchange in ExchangeType.allCases {
            for item in ExchangeItemType.allCases {
                for type in TransactionType.allCases where type.fits(item) {
                    for scope in GeographicScope.allCases {
                        let draft = OfferWantDraft(exchangeType: exchange.rawValue, itemType: item.rawValue,
                                                   transactionTypes: [type.rawValue], category: "autre", tags: "a, b",
                                                   title: "Titre « spécial », ; \\ \"ok\"", description: "Une description.",
                                                   scope: scope.rawValue, acceptsTimeBank: item == .service)
                        let profile = try draft.validated(author: author, position: GeoPoint(lat: -90, lon: 180), now: now)
                            .murmurationsProfile(pageURL: page)
                        #expect(try validate(profile) == [], "\(exchange) \(item) \(type) \(scope)")
                    }
                }
            }
        }
    }

    @Test func brokenProfilesFailTheSchema() throws {
        let good = try lawnmower.validated(author: author, position: GeoPoint(commune: "Nantes"), now: now)
            .murmurationsProfile(pageURL: page)
        var profiles: [String: OffersWantsProfile] = [:]
        var p = good; p.exchange_type = "swap"; profiles["exchange_type"] = p
        p = good; p.item_type = "thing"; profiles["item_type"] = p
        p = good; p.transaction_type = ["exchange"]; profiles["transaction_type"] = p
        p = good; p.tags = ["a", "a"]; profiles["tags unique"] = p
        p = good; p.image = "ftp://x"; profiles["image pattern"] = p
        p = good; p.details_url = "www.example.org"; profiles["details_url pattern"] = p
        p = good; p.contact_details.contact_form = "mailto:x@example.org"; profiles["contact_form pattern"] = p
        p = good; p.geolocation = .init(lat: 91, lon: 0); profiles["latitude"] = p
        p = good; p.geolocation = .init(lat: 0, lon: -181); profiles["longitude"] = p
        p = good; p.geographic_scope = "galactic"; profiles["geographic_scope"] = p
        p = good; p.linked_schemas = ["offers_wants"]; profiles["linked_schemas name"] = p
        p = good; p.linked_schemas = []; profiles["linked_schemas empty"] = p
        for (name, profile) in profiles { #expect(try !validate(profile).isEmpty, "\(name) should fail") }

        // Missing required properties and wrong JSON types, edited at the JSON level.
        let validator = try OffersWantsSchemaConformance.offersWants()
        guard case .object(let base) = try SchemaJSON.read(good.jsonData()) else { Issue.record("not an object"); return }
        for key in ["linked_schemas", "exchange_type", "transaction_type", "tags", "title", "description",
                    "geographic_scope", "contact_details"] {
            var object = base
            object[key] = nil
            #expect(try !validator.errors(.object(object)).isEmpty, "without \(key) should fail")
        }
        var object = base
        object["expires_at"] = .string("1651848477")
        #expect(try !validator.errors(.object(object)).isEmpty)
        object = base
        object["transaction_type"] = .string("buy-sell")
        #expect(try !validator.errors(.object(object)).isEmpty)
        object = base
        object["geolocation"] = .object(["lat": .number(47.2)])
        #expect(try !validator.errors(.object(object)).isEmpty)
    }
}
