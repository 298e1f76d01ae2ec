import Foundation
@testable import MaillageCore
import Testing

@Suite struct ThreadRulesTests {
    let camille = Mentions.Candidate(id: UUID(uuidString: "00000000-0000-0000-0000-000000000001")!, name: "Camille Martin")
    let anne = Mentions.Candidate(id: UUID(uuidString: "00000000-0000-0000-0000-000000000002")!, name: "Anne")
    let anneMarie = Mentions.Candidate(id: UUID(uuidString: "00000000-0000-0000-0000-000000000003")!, name: "Anne Marie")
    let elodie = Mentions.Candidate(id: UUID(uuidString: "00000000-0000-0000-0000-000000000004")!, name: "Élodie Lefèvre")

    var everyone: [Mentions.Candidate] { [camille, anne, anneMarie, elodie] }

    @Test func aMentionNamesThePersonWhateverTheCaseAccentsOrSpaces() {
        #expect(Mentions.find(in: "Bonjour @camille  martin, tu viens ?", among: everyone) == [camille.id])
        #expect(Mentions.find(in: "@elodie lefevre et @Camille Martin", among: everyone) == [elodie.id, camille.id])
        #expect(Mentions.find(in: "Merci @Élodie Lefèvre.", among: everyone) == [elodie.id])
    }

    @Test func theLongestNameWinsAndANameMustEndThere() {
        #expect(Mentions.find(in: "@Anne Marie, à samedi", among: everyone) == [anneMarie.id])
        #expect(Mentions.find(in: "@Anne, à samedi", among: everyone) == [anne.id])
        #expect(Mentions.find(in: "@Annette viendra", among: everyone).isEmpty)
        #expect(Mentions.find(in: "@Anne-Sophie viendra", among: everyone).isEmpty)
    }

    @Test func anAddressOrANameOutsideTheThreadIsNoMention() {
        #expect(Mentions.find(in: "écrivez à camille@example.org", among: everyone).isEmpty)
        #expect(Mentions.find(in: "@Dominique Durand ?", among: everyone).isEmpty)
        #expect(Mentions.find(in: "@", among: everyone).isEmpty)
        #expect(Mentions.find(in: "@Camille Martin @Camille Martin", among: everyone) == [camille.id], "once each")
    }

    @Test func aMessageHasOneToTwoThousandCharactersAndNoNul() throws {
        #expect(try ThreadRules.message("  Bonjour  ") == "Bonjour")
        #expect(throws: DomainError.self) { try ThreadRules.message("   ") }
        #expect(throws: DomainError.self) { try ThreadRules.message(String(repeating: "a", count: 2_001)) }
        #expect(try ThreadRules.message(String(repeating: "é", count: 2_000)).count == 2_000)
        #expect(throws: DomainError.self) { try ThreadRules.message("a\u{0}b") }
        #expect(throws: DomainError.self) { try ThreadRules.reportReason("") }
    }

    @Test func theAuthorAndWhoBlockedThemAreNotTold() {
        let (a, b, c, d) = (UUID(), UUID(), UUID(), UUID())
        #expect(ThreadRules.recipients(participants: [a, b], writers: [b, c, a, d], author: b, blockedBy: [d]) == [a, c])
    }
}
