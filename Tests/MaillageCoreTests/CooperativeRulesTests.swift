import MaillageCore
import Testing

@Suite struct CharterTests {
    func assessment(_ answers: [CharterAnswer], evidence: String = "preuve") -> CharterAssessment {
        CharterAssessment(zip(Characteristic.allCases, answers).map { CharterItem($0.0, $0.1, evidence: evidence) })
    }

    @Test func theBadgeSumsUpTheFiveAnswers() {
        #expect(assessment([.yes, .yes, .yes, .yes, .yes]).badge == .exemplary)
        #expect(assessment([.yes, .yes, .yes, .partly, .partly]).badge == .committed)
        #expect(assessment([.yes, .yes, .yes, .no, .partly]).badge == .onTheWay)
        #expect(assessment([.no, .no, .no, .yes, .yes]).badge == .starting)
        #expect(assessment([.yes, .partly, .yes, .partly, .no]).score == 6)
    }

    @Test func aYesWithoutEvidenceCountsAsPartly() {
        #expect(assessment([.yes, .yes, .yes, .yes, .yes], evidence: "").badge == .onTheWay)
    }

    @Test func missingAnswersReadAsNo() {
        let partial = CharterAssessment([CharterItem(.commons, .yes, evidence: "AGPL")])
        #expect(partial.ordered.count == 5)
        #expect(partial.item(.governance).answer == .no)
    }
}

@Suite struct MembershipRulesTests {
    @Test func onePersonOneVoteWhateverTheShares() {
        #expect(MembershipRules.votes(shares: 1, status: .active) == 1)
        #expect(MembershipRules.votes(shares: 5_000, status: .active) == 1)
        #expect(MembershipRules.votes(shares: 5_000, status: .pending) == 0)
        #expect(MembershipRules.votes(shares: 1, status: .declined) == 0)
    }

    @Test func aRequestSubscribesSharesAndChoosesACollegeWhereThereAreSome() throws {
        try MembershipRules.validateRequest(shares: 3, hasShareCapital: true, collegeChosen: true, hasColleges: true)
        try MembershipRules.validateRequest(shares: 0, hasShareCapital: false, collegeChosen: false, hasColleges: false)
        #expect(throws: DomainError.self) { try MembershipRules.validateRequest(shares: 0, hasShareCapital: true, collegeChosen: true, hasColleges: true) }
        #expect(throws: DomainError.self) { try MembershipRules.validateRequest(shares: 2, hasShareCapital: false, collegeChosen: false, hasColleges: false) }
        #expect(throws: DomainError.self) { try MembershipRules.validateRequest(shares: 1, hasShareCapital: true, collegeChosen: false, hasColleges: true) }
        #expect(throws: DomainError.self) { try MembershipRules.validateRequest(shares: 100_001, hasShareCapital: true, collegeChosen: true, hasColleges: true) }
    }

    @Test func aRequestIsDecidedOnce() throws {
        try MembershipRules.decide(current: .pending)
        #expect(throws: DomainError.self) { try MembershipRules.decide(current: .active) }
        #expect(throws: DomainError.self) { try MembershipRules.decide(current: .declined) }
    }

    @Test func theLastBoardMemberCannotLeaveTheBoard() throws {
        #expect(throws: DomainError.self) { try MembershipRules.changeRole(from: .board, to: .member, boardCount: 1) }
        try MembershipRules.changeRole(from: .board, to: .staff, boardCount: 2)
        try MembershipRules.changeRole(from: .member, to: .board, boardCount: 1)
    }

    @Test func capitalIsCountedInCents() {
        #expect(MembershipRules.capital(shares: 3, nominalCents: 2050) == 6150)
    }
}

@Suite struct CooperativeDraftTests {
    func draft(_ form: LegalForm = .scic, colleges: [String] = ["Producteurs", "Mangeurs", "Salariés"], share: Int64 = 2000) -> CooperativeDraft {
        CooperativeDraft(name: "Les Paniers", slug: "", legalForm: form, commune: "Vertou", postalCode: "44120",
                         description: "Des paniers de légumes locaux.", activities: [.food], colleges: colleges,
                         shareNominalCents: share, charter: [])
    }

    @Test func aValidDraftGetsASlugFromItsName() throws {
        #expect(try draft().validated().slug == "les-paniers")
    }

    @Test func aSCICNeedsThreeColleges() {
        #expect(throws: DomainError.self) { try draft(colleges: ["A", "B"]).validated() }
        #expect(throws: (any Error).self) { try draft(colleges: ["A", "a", "B"]).validated() }
    }

    @Test func associationsHaveNoShareCapital() throws {
        #expect(try draft(.association1901, colleges: [], share: 5000).validated().shareNominalCents == 0)
        #expect(throws: DomainError.self) { try draft(.scop, colleges: [], share: 0).validated() }
    }

    @Test func everyProblemIsReportedAtOnce() {
        var bad = draft()
        bad.name = ""
        bad.commune = ""
        bad.activities = []
        do {
            _ = try bad.validated()
            Issue.record("an empty draft must be refused")
        } catch let errors as ValidationErrors {
            #expect(Set(errors.errors.compactMap(\.field)) == ["name", "commune", "activities", "slug"])
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}

@Suite struct MurmurationsTests {
    @Test func aProfileCarriesTheRequiredFieldsAndTheActivityTags() {
        let source = DirectoryEntry.Source(name: "Coursiers", slug: "coursiers", legalForm: .scop, commune: "Nantes", postalCode: "44000",
                                           description: "Livraison à vélo", website: "", activities: [.delivery], createdAtUnix: 1_700_000_000,
                                           latitude: 47.2, longitude: -1.55)
        let profile = DirectoryEntry.murmurations(source, baseURL: "https://maillage.example")
        #expect(profile.linked_schemas == ["organizations_schema-v1.0.0"])
        #expect(profile.primary_url == "https://maillage.example/c/coursiers")
        #expect(profile.tags.contains("delivery"))
        #expect(profile.geolocation?.lat == 47.2 && profile.geolocation?.lon == -1.55)
    }

    @Test func communesArePlacedIgnoringAccentsAndCase() {
        #expect(Communes.coordinates(of: "reze")?.postalCode == "44400")
        #expect(Communes.coordinates(of: "SAINT-NAZAIRE")?.lat == 47.2736)
        #expect(Communes.coordinates(of: "Paris") == nil)
    }
}
