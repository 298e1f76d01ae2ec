import Foundation
@testable import MaillageCore
import Testing

enum DeliveryTest {
    static let crate = PackageType(name: "Caisse", volumeUnits: 2, weightGrams: 8_000)
    static let bag = PackageType(name: "Sac", volumeUnits: 1, weightGrams: 2_000)
    // Place Royale, Nantes; Talensac market; Rezé town hall (about 5 km south); Carquefou (about 10 km).
    static let royale = GeoPoint(lat: 47.2146, lon: -1.5590)!
    static let talensac = GeoPoint(lat: 47.2229, lon: -1.5590)!
    static let reze = GeoPoint(lat: 47.1910, lon: -1.5690)!
    static let carquefou = GeoPoint(lat: 47.2975, lon: -1.4920)!
    /// A square around central Nantes.
    static let centre = DeliveryZone(name: "Centre", polygons: [[[
        GeoPoint(lat: 47.20, lon: -1.58)!, GeoPoint(lat: 47.20, lon: -1.53)!,
        GeoPoint(lat: 47.23, lon: -1.53)!, GeoPoint(lat: 47.23, lon: -1.58)!, GeoPoint(lat: 47.20, lon: -1.58)!,
    ]]])

    static func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    static func task(_ kind: DeliveryTaskKind, _ point: GeoPoint, after: Date? = nil, before: Date? = nil,
                     packages: [PackageLine] = []) -> DeliveryTaskDraft {
        DeliveryTaskDraft(kind: kind, address: "1 rue de la Paix, Nantes", point: point, after: after, before: before, packages: packages)
    }

    static func code(_ body: () throws -> Void) -> [String] {
        do { try body(); return [] }
        catch let error as DomainError { return [error.code] }
        catch let errors as ValidationErrors { return errors.errors.map(\.code) }
        catch { return ["\(error)"] }
    }
}

@Suite struct DeliveryDraftTests {
    typealias T = DeliveryTest

    @Test func aPickupThenSeveralDropoffsIsAMultiDrop() throws {
        let draft = DeliveryDraft(tasks: [T.task(.pickup, T.talensac), T.task(.dropoff, T.royale, packages: [.init(type: T.crate, quantity: 2)]),
                                          T.task(.dropoff, T.reze, packages: [.init(type: T.bag, quantity: 1)])])
        try draft.validate()
        #expect(draft.packageCount == 3)
        #expect(draft.volumeUnits == 5)
        #expect(draft.weightGrams == 18_000)
    }

    @Test func severalPickupsToOneDropoffIsAccepted() throws {
        try DeliveryDraft(tasks: [T.task(.pickup, T.talensac), T.task(.pickup, T.reze), T.task(.dropoff, T.royale)]).validate()
    }

    @Test func manyPickupsToManyDropoffsIsRefused() {
        let draft = DeliveryDraft(tasks: [T.task(.pickup, T.talensac), T.task(.pickup, T.reze), T.task(.dropoff, T.royale), T.task(.dropoff, T.carquefou)])
        #expect(T.code { try draft.validate() } == ["delivery_many_to_many"])
    }

    @Test func aDropoffRiddenBeforeItsPickupIsRefused() {
        let draft = DeliveryDraft(tasks: [T.task(.dropoff, T.royale), T.task(.pickup, T.talensac)])
        #expect(T.code { try draft.validate() } == ["dropoff_before_pickup"])
    }

    @Test func aDropoffWindowEndingBeforeThePickupOpensIsRefused() {
        let draft = DeliveryDraft(tasks: [T.task(.pickup, T.talensac, after: T.utc("2026-05-04T10:00:00Z")),
                                          T.task(.dropoff, T.royale, before: T.utc("2026-05-04T09:30:00Z"))])
        #expect(T.code { try draft.validate() } == ["dropoff_window_before_pickup"])
    }

    @Test func everyProblemIsToldAtOnce() {
        var bad = T.task(.dropoff, T.royale, after: T.utc("2026-05-04T10:00:00Z"), before: T.utc("2026-05-04T09:00:00Z"))
        bad.address = "  "
        #expect(T.code { try DeliveryDraft(tasks: [bad]).validate() } == ["delivery_needs_pickup", "task_address_missing", "task_window_reversed"])
    }
}

@Suite struct DeliveryStatusTests {
    @Test func aDeliveryGoesFromTodoThroughDoingToDone() throws {
        #expect(try DeliveryStatus.todo.move(to: .doing) == .doing)
        #expect(try DeliveryStatus.doing.move(to: .done) == .done)
    }

    @Test func aFinishedDeliveryCannotBeCancelled() {
        #expect(DeliveryTest.code { _ = try DeliveryStatus.done.move(to: .cancelled) } == ["delivery_status_conflict"])
        #expect(DeliveryTest.code { _ = try DeliveryStatus.todo.move(to: .done) } == ["delivery_status_conflict"])
    }

    @Test func aFailureNamesOneOfTheCooperativesReasons() throws {
        #expect(DeliveryTest.code { _ = try DeliveryStatus.doing.move(to: .failed, failureReason: "chien", knownReasons: ["Absent"]) } == ["failure_reason_unknown"])
        #expect(try DeliveryStatus.doing.move(to: .failed, failureReason: "Absent", knownReasons: ["Absent"]) == .failed)
    }

    @Test func cancellingIsPossibleOnlyBeforeTheEnd() {
        #expect(DeliveryStatus.cancelled.reachableFrom == [.todo, .doing])
    }
}

@Suite struct DeliveryZoneTests {
    typealias T = DeliveryTest

    @Test func aPointInsideThePolygonIsInTheZone() {
        #expect(T.centre.contains(T.royale))
        #expect(!T.centre.contains(T.reze))
        #expect(!T.centre.contains(T.carquefou))
    }

    @Test func aHoleIsOutsideTheZone() {
        let hole = [GeoPoint(lat: 47.21, lon: -1.565)!, GeoPoint(lat: 47.21, lon: -1.55)!, GeoPoint(lat: 47.22, lon: -1.55)!,
                    GeoPoint(lat: 47.22, lon: -1.565)!, GeoPoint(lat: 47.21, lon: -1.565)!]
        let zone = DeliveryZone(name: "Centre sans Royale", polygons: [[T.centre.polygons[0][0], hole]])
        #expect(!zone.contains(T.royale))
        #expect(zone.contains(T.talensac))
    }

    @Test func geoJSONPolygonsAreReadLongitudeFirst() throws {
        let json = #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"MultiPolygon","coordinates":[[[[-1.58,47.20],[-1.53,47.20],[-1.53,47.23],[-1.58,47.23],[-1.58,47.20]]]]}},{"type":"Feature","geometry":{"type":"Point","coordinates":[0,0]}}]}"#
        let zone = try GeoJSONZones.zone(named: "Centre", from: Data(json.utf8))
        #expect(zone.polygons.count == 1)
        #expect(zone.contains(T.royale))
        #expect(!zone.contains(T.reze))
    }

    @Test func aFileThatIsNotGeoJSONSaysSo() {
        #expect(T.code { _ = try GeoJSONZones.zone(named: "x", from: Data("hello".utf8)) } == ["zone_not_geojson"])
        #expect(T.code { _ = try GeoJSONZones.zone(named: "x", from: Data(#"{"type":"Polygon","coordinates":[[[0,0],[1,1]]]}"#.utf8)) } == ["zone_not_geojson"])
        #expect(T.code { _ = try GeoJSONZones.zone(named: "x", from: Data(#"{"type":"Point","coordinates":[0,0]}"#.utf8)) } == ["zone_without_polygon"])
        #expect(T.code { _ = try GeoJSONZones.zone(named: "x", from: Data(#"{"type":"Polygon","coordinates":[[[0,0],[1,95],[1,0],[0,0]]]}"#.utf8)) } == ["zone_not_geojson"])
    }
}

@Suite struct DeliveryAcceptanceTests {
    typealias T = DeliveryTest

    func facts(_ dropoff: GeoPoint, weight: Int = 0) -> DeliveryFacts {
        var draft = DeliveryDraft(tasks: [T.task(.pickup, T.talensac), T.task(.dropoff, dropoff)])
        draft.tasks[1].weightGrams = weight
        return DeliveryFacts(draft, zones: [T.centre], orderedAt: T.utc("2026-05-04T08:00:00Z"))
    }

    @Test func aShortRideInTheZoneIsAccepted() {
        #expect(AcceptanceRule(maximumDistanceKm: 8, dropoffZone: "Centre").refusals(facts(T.royale)).isEmpty)
    }

    @Test func aRefusedDeliverySaysEveryReason() {
        let rule = AcceptanceRule(maximumDistanceKm: 8, dropoffZone: "Centre", maximumWeightGrams: 50_000)
        let refusals = rule.refusals(facts(T.carquefou, weight: 80_000))
        #expect(refusals.map(\.code) == ["delivery_too_far", "dropoff_outside_zone", "delivery_too_heavy"])
        #expect(refusals[0].message.fr.contains("8 km"))
    }
}

@Suite struct DeliveryPricingTests {
    typealias T = DeliveryTest
    let now = DeliveryTest.utc("2026-05-04T06:00:00Z")

    func facts(_ dropoffs: [GeoPoint], vehicle: DeliveryVehicle = .bike, pickupAt: Date? = nil) -> DeliveryFacts {
        let draft = DeliveryDraft(tasks: [T.task(.pickup, T.talensac, after: pickupAt)] + dropoffs.map { T.task(.dropoff, $0, packages: [.init(type: T.crate, quantity: 1)]) },
                                  vehicle: vehicle)
        return DeliveryFacts(draft, zones: [T.centre], orderedAt: now)
    }

    var grid: [PricingRule] {
        [PricingRule(label: "Centre", conditions: [.dropoffInZone("Centre"), .distanceKm(.atMost, 3)], baseCents: 600),
         PricingRule(label: "Jusqu’à 8 km", conditions: [.distanceKm(.atMost, 8)], baseCents: 500, perKmCents: 100),
         PricingRule(label: "Vélo cargo", conditions: [.vehicle(.cargoBike)], baseCents: 400),
         PricingRule(label: "Étape en plus", target: .task, conditions: [.taskKind(.dropoff)], baseCents: 200)]
    }

    @Test func firstMatchTakesTheFirstRuleThatApplies() throws {
        let quote = try PricingRuleSet(mode: .firstMatch, rules: grid).quote(facts([T.royale]))
        #expect(quote.lines.map(\.label) == ["Centre"])
        #expect(quote.totalCents == 600)
    }

    @Test func aLongerRideIsPricedPerStartedKilometre() throws {
        let f = facts([T.reze])
        let quote = try PricingRuleSet(mode: .firstMatch, rules: grid).quote(f)
        #expect(quote.lines.map(\.label) == ["Jusqu’à 8 km"])
        #expect(quote.totalCents == 500 + 100 * Int64(f.distanceKm.rounded(.up)))
    }

    @Test func addUpSumsEveryRuleThatAppliesAndPerTaskRulesCountEachStop() throws {
        let quote = try PricingRuleSet(mode: .addUp, rules: grid).quote(facts([T.royale, T.royale], vehicle: .cargoBike))
        #expect(quote.lines.map(\.label) == ["Centre", "Jusqu’à 8 km", "Vélo cargo", "Étape en plus"])
        #expect(quote.lines.last?.cents == 400)
    }

    @Test func timeSlotAndLeadTimeReadThePickupWindow() throws {
        // 10:00 in Paris (UTC+2 in May), ordered four hours ahead.
        let f = facts([T.royale], pickupAt: T.utc("2026-05-04T08:00:00Z"))
        #expect(f.pickupMinuteOfDay == 600)
        #expect(PriceCondition.timeSlot(fromMinute: 9 * 60, toMinute: 11 * 60).holds(for: f))
        #expect(!PriceCondition.timeSlot(fromMinute: 11 * 60, toMinute: 13 * 60).holds(for: f))
        #expect(PriceCondition.leadTimeHours(.atLeast, 2).holds(for: f))
        #expect(!PriceCondition.leadTimeHours(.below, 2).holds(for: f))
    }

    @Test func noRuleAppliesMeansNoPrice() {
        let rules = [PricingRule(label: "Centre", conditions: [.dropoffInZone("Centre")], baseCents: 600)]
        #expect(T.code { _ = try PricingRuleSet(mode: .firstMatch, rules: rules).quote(facts([T.carquefou])) } == ["no_price_applies"])
    }

    @Test func theSplitAlwaysAddsUpAndTheCouriersGetTheRounding() throws {
        let split = try PriceSplit(couriersBasisPoints: 7_000, cooperativeBasisPoints: 2_000, reservesBasisPoints: 1_000)
        for cents in [Int64(0), 1, 7, 599, 1_234, 99_999] {
            let shared = split.share(cents)
            #expect(shared.couriersCents + shared.cooperativeCents + shared.reservesCents == cents)
            #expect(shared.couriersCents >= cents * 7 / 10)
        }
        #expect(split.share(1_000) == SharedPrice(couriersCents: 700, cooperativeCents: 200, reservesCents: 100))
        #expect(T.code { _ = try PriceSplit(couriersBasisPoints: 7_000, cooperativeBasisPoints: 2_000, reservesBasisPoints: 500) } == ["split_not_whole"])
    }

    @Test func conditionsAreReadBackInWords() {
        #expect(PriceCondition.distanceKm(.atMost, 3.5).words(.fr) == "distance ≤ 3,5 km")
        #expect(PriceCondition.timeSlot(fromMinute: 540, toMinute: 660).words(.en) == "pickup between 9h00 and 11h00")
    }

    @Test func impossibleRulesAreRefused() {
        #expect(T.code { try PricingRule(label: "", conditions: [.timeSlot(fromMinute: 600, toMinute: 500)], baseCents: -1).validate() }
                == ["rule_label", "rule_amount", "condition_time_slot"])
    }

    @Test func aRuleRoundTripsThroughJSON() throws {
        let set = PricingRuleSet(mode: .addUp, rules: grid)
        let data = try JSONEncoder().encode(set)
        #expect(try JSONDecoder().decode(PricingRuleSet.self, from: data) == set)
    }
}

@Suite struct DeliveryTimeSlotTests {
    typealias T = DeliveryTest

    @Test func twoHourSlotsOnWorkingDaysWithNotice() {
        // Monday 4 May 2026, 09:30 in Paris.
        let slots = TimeSlotPlan.standard.slots(at: T.utc("2026-05-04T07:30:00Z"), days: 1)
        // 9–11 starts before the hour's notice; 11–13 … 17–19 remain.
        #expect(slots.count == 4)
        #expect(slots.first?.start == T.utc("2026-05-04T09:00:00Z"))
        #expect(slots.last?.end == T.utc("2026-05-04T17:00:00Z"))
    }

    @Test func afterTheCutoffTodayIsNoLongerOffered() {
        let slots = TimeSlotPlan.standard.slots(at: T.utc("2026-05-04T09:30:00Z"), days: 2)
        #expect(slots.allSatisfy { $0.start >= T.utc("2026-05-04T22:00:00Z") })
        #expect(slots.count == 5)
    }

    @Test func weekendsAreNotWorkingDays() {
        // Friday 8 May after the cutoff: next slots on Monday 11.
        let slots = TimeSlotPlan.standard.slots(at: T.utc("2026-05-08T15:00:00Z"), days: 4)
        #expect(slots.first?.start == T.utc("2026-05-11T07:00:00Z"))
    }

    @Test func aWindowMustBeAnOfferedSlot() {
        let now = T.utc("2026-05-04T06:00:00Z")
        #expect(TimeSlotPlan.standard.offers(TimeSlot(start: T.utc("2026-05-05T07:00:00Z"), end: T.utc("2026-05-05T09:00:00Z")), at: now))
        #expect(!TimeSlotPlan.standard.offers(TimeSlot(start: T.utc("2026-05-05T07:30:00Z"), end: T.utc("2026-05-05T09:30:00Z")), at: now))
    }

    @Test func impossiblePlansAreRefused() {
        #expect(T.code { _ = try TimeSlotPlan(firstMinute: 600, lastMinute: 500) } == ["slot_plan_hours"])
        #expect(T.code { _ = try TimeSlotPlan(workingDays: []) } == ["slot_plan_days"])
    }
}
