import Foundation
import MaillageCore
import Testing

@Suite("Carpool proofs: identity the registry's way, exclusions, the document")
struct CarpoolProofRulesTests {
    @Test(arguments: [
        ("06 01 02 03 04", "+33601020304"), ("06.01.02.03.04", "+33601020304"), ("0601020304", "+33601020304"),
        ("+33 6 01 02 03 04", "+33601020304"), ("+33 (0)6 01 02 03 04", "+33601020304"), ("0033 6 01 02 03 04", "+33601020304"),
        ("07 01 02 03 04", "+33701020304"), ("02 40 00 00 00", "+33240000000"), ("+33 0 6 01 02 03 04", "+33601020304"),
        ("0690 10 10 10", "+590690101010"), ("+590 690 10 10 10", "+590690101010"), ("0692 12 34 56", "+262692123456"),
        ("+32 470 12 34 56", "+32470123456"),
    ])
    func frenchNumbersAsTypedBecomeE164(_ typed: String, _ expected: String) {
        #expect(ProofIdentity.phone(typed) == expected)
    }

    @Test(arguments: ["", "06 01 02 03", "6 01 02 03 04", "00 00 00 00 00", "+33 6 01 02 03 04 05", "06 01 02 03 0A", "+0601020304", "appelle-moi"])
    func whatIsNotAPhoneNumberIsRefused(_ typed: String) {
        #expect(ProofIdentity.phone(typed) == nil)
    }

    @Test func lastNamesAreCapitalsWithoutAccentsHyphensOrApostrophes() {
        // The registry's own example.
        #expect(ProofIdentity.lastName("D'Hérûg-de-l'Hérault") == "D HERUG DE L HERAULT")
        #expect(ProofIdentity.lastName("  Lefèvre–Œuvray  ") == "LEFEVRE OEUVRAY")
        #expect(ProofIdentity.lastName("N’Diaye") == "N DIAYE")
        #expect(ProofIdentity.lastName("Tô") == "TO")
        #expect(ProofIdentity.lastName("Müller Straße") == "MULLER STRASSE")
        #expect(ProofIdentity.lastName("— 42 —").isEmpty, "no letter, no name")
    }

    @Test func theIdentityKeySourceIsTheNumberADashAndTheName() {
        let phone = ProofIdentity.phone("07 01 02 03 04")!
        #expect(ProofIdentity.keySource(phone: phone, lastName: ProofIdentity.lastName("D'Hérûg-de-l'Hérault")) == "+33701020304-D HERUG DE L HERAULT")
        #expect(ProofIdentity.truncated(phone) == "+337010203")
        #expect(ProofIdentity.hex([0, 15, 255]) == "000fff")
    }

    @Test func aConsentNeedsANumberANameAndTheTickedBox() throws {
        let consent = try ProofConsent.parse(phone: "06 12 34 56 78", lastName: " Le Goff ", consent: true)
        #expect(consent == ProofConsent(phone: "+33612345678", lastName: "Le Goff"))
        do {
            _ = try ProofConsent.parse(phone: "12", lastName: "-", consent: false)
            Issue.record("refused")
        } catch let errors as ValidationErrors {
            #expect(Set(errors.errors.compactMap(\.field)) == ["phone", "last_name", "consent"])
        }
    }

    static let ready = ProofRules.Side(optedIn: true, phone: "+33601020304", lastName: "MARTIN", otherTripsThatDay: 0)
    static let departure = Date(timeIntervalSince1970: 1_800_000_000)

    func exclusion(driver: ProofRules.Side = ready, passenger: ProofRules.Side = ready, metres: Int = 25_000,
                   after: TimeInterval = 3_600) -> ProofExclusion? {
        ProofRules.exclusion(driver: driver, passenger: passenger, metres: metres, departure: Self.departure, now: Self.departure.addingTimeInterval(after))
    }

    @Test func bothSidesMustHaveOptedInWithANumberAndAName() {
        #expect(exclusion() == nil)
        var no = Self.ready
        no.optedIn = false
        #expect(exclusion(driver: no) == .driverNotOptedIn)
        #expect(exclusion(passenger: no) == .passengerNotOptedIn)
        var noPhone = Self.ready
        noPhone.phone = nil
        #expect(exclusion(passenger: noPhone) == .missingIdentity)
        var noName = Self.ready
        noName.lastName = ""
        #expect(exclusion(driver: noName) == .missingIdentity)
    }

    @Test func mobicoopsExclusionsComeWithTheirReasons() {
        #expect(exclusion(metres: 1_999) == .tooShort)
        #expect(exclusion(metres: 2_000) == nil, "2 km exactly is a trip")
        var phone = Self.ready, other = Self.ready
        phone.device = "device-1"
        other.device = "device-1"
        #expect(exclusion(driver: phone, passenger: other) == .sameDevice)
        other.device = "device-2"
        #expect(exclusion(driver: phone, passenger: other) == nil)
        var busy = Self.ready
        busy.otherTripsThatDay = 3
        #expect(exclusion(passenger: busy) == nil, "the fourth trip of the day goes")
        busy.otherTripsThatDay = 4
        #expect(exclusion(passenger: busy) == .tooManyTrips, "the fifth does not")
        #expect(exclusion(after: 24 * 3_600 + 1) == .tooLate)
        for reason in ProofExclusion.allCases { #expect(!reason.reason.fr.isEmpty && !reason.reason.en.isEmpty) }
    }

    static func document() -> ProofDocument {
        let identity = { (id: String) in
            ProofDocument.Identity(identityKey: String(repeating: "a", count: 64), phoneTrunc: "+336010203", operatorUserID: id)
        }
        return ProofDocument(operatorJourneyID: ProofDocument.id("5F0C-42AB"), operatorTripID: "trip1", operatorClass: .A,
                             start: .init(datetime: "2026-12-07T06:15:00Z", lat: 47.27, lon: -2.21),
                             end: .init(datetime: "2026-12-07T07:05:00Z", lat: 47.21, lon: -1.55),
                             distance: 62_000, driver: .init(identity: identity("driver"), revenue: 372),
                             passenger: .init(identity: identity("passenger"), contribution: 372, seats: 1))
    }

    @Test func theDocumentHasTheSpecsFieldsAndOurChecks() throws {
        let proof = Self.document()
        #expect(proof.operatorJourneyID == "5f0c42ab")
        #expect(proof.problems.isEmpty, "\(proof.problems)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(proof.json().utf8)) as? [String: Any])
        #expect(Set(json.keys) == ["operator_journey_id", "operator_trip_id", "operator_class", "incentives", "start", "end", "distance", "driver", "passenger"])
        #expect((json["incentives"] as? [Any])?.isEmpty == true)
        let driver = try #require(json["driver"] as? [String: Any])
        #expect(Set((driver["identity"] as? [String: Any] ?? [:]).keys) == ["identity_key", "phone_trunc", "operator_user_id"], "never the full number")
        var wrong = proof
        wrong.operatorJourneyID = "Not-OK"
        wrong.distance = 2_000_000
        wrong.passenger.seats = 0
        wrong.end.datetime = "2026-12-07T05:00:00Z"
        #expect(wrong.problems.count == 4, "\(wrong.problems)")
        #expect(ProofDocument.datetime(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
        #expect(ProofClass.of(paidThroughLedger: true) == .B && ProofClass.of(paidThroughLedger: false) == .A)
    }
}
