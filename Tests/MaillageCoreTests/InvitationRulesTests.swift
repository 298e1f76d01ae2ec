import Foundation
import MaillageCore
import Testing

@Suite struct InvitationRulesTests {
    let sent = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func anInvitationIsPendingForFourteenDaysThenExpired() {
        let expires = InvitationRules.expiry(sentAt: sent)
        #expect(expires.timeIntervalSince(sent) == 14 * 86_400)
        #expect(InvitationRules.state(recorded: .pending, expiresAt: expires, now: sent.addingTimeInterval(13 * 86_400)) == .pending)
        #expect(InvitationRules.state(recorded: .pending, expiresAt: expires, now: expires) == .expired)
        // Accepted or withdrawn stays so, whatever the date.
        #expect(InvitationRules.state(recorded: .accepted, expiresAt: expires, now: expires.addingTimeInterval(86_400)) == .accepted)
        #expect(InvitationRules.state(recorded: .withdrawn, expiresAt: expires, now: expires.addingTimeInterval(86_400)) == .withdrawn)
    }

    @Test func onlyAPendingInvitationOpensTheDoor() throws {
        try InvitationRules.requireOpen(.pending)
        #expect(throws: InvitationRules.alreadyUsed) { try InvitationRules.requireOpen(.accepted) }
        #expect(throws: InvitationRules.withdrawn) { try InvitationRules.requireOpen(.withdrawn) }
        #expect(throws: InvitationRules.expired) { try InvitationRules.requireOpen(.expired) }
    }

    @Test func addressesAreNormalisedAndChecked() throws {
        #expect(try InvitationRules.normalisedEmail("  Zoe.Martin@Example.ORG ") == "zoe.martin@example.org")
        #expect(throws: DomainError.self) { try InvitationRules.normalisedEmail("zoe@") }
        let refused = #expect(throws: DomainError.self) { try InvitationRules.normalisedEmail("pas une adresse") }
        #expect(refused?.field == "email")
    }

    @Test func onlyTheBoardInvites() {
        #expect(InvitationRules.mayInvite(.board))
        #expect(!InvitationRules.mayInvite(.staff))
        #expect(!InvitationRules.mayInvite(.member))
        #expect(!InvitationRules.mayInvite(nil))
    }

    @Test func theSuggestedSharesFollowTheRulesOfARequest() throws {
        try InvitationRules.validateOffer(shares: 2, hasShareCapital: true, collegeChosen: true, hasColleges: true)
        try InvitationRules.validateOffer(shares: 0, hasShareCapital: false, collegeChosen: false, hasColleges: false)
        let none = #expect(throws: DomainError.self) { try InvitationRules.validateOffer(shares: 0, hasShareCapital: true, collegeChosen: true, hasColleges: true) }
        #expect(none?.field == "shares")
        #expect(throws: DomainError.self) { try InvitationRules.validateOffer(shares: 1, hasShareCapital: false, collegeChosen: false, hasColleges: false) }
        let noCollege = #expect(throws: DomainError.self) { try InvitationRules.validateOffer(shares: 1, hasShareCapital: true, collegeChosen: false, hasColleges: true) }
        #expect(noCollege?.field == "college")
    }

    @Test func aMemberOrSomeoneWhoAlreadyAskedIsNotInvited() throws {
        #expect(throws: InvitationRules.alreadyMember) { try InvitationRules.checkInvitee(existing: .active) }
        #expect(throws: InvitationRules.alreadyAsked) { try InvitationRules.checkInvitee(existing: .pending) }
        // Someone who left, or was declined, may be invited back.
        try InvitationRules.checkInvitee(existing: .left)
        try InvitationRules.checkInvitee(existing: .declined)
        try InvitationRules.checkInvitee(existing: nil)
    }

    @Test func theBoardsYesCoversTheConfirmedInvitedAddressOnly() {
        #expect(InvitationRules.acceptance(invitedEmail: "zoe@example.org", accountEmail: "Zoe@Example.org", emailConfirmed: true) == .approvedAtOnce)
        #expect(InvitationRules.acceptance(invitedEmail: "zoe@example.org", accountEmail: "zoe@example.org", emailConfirmed: false) == .ordinaryRequest)
        #expect(InvitationRules.acceptance(invitedEmail: "zoe@example.org", accountEmail: "paul@example.org", emailConfirmed: true) == .ordinaryRequest)
        #expect(InvitationRules.acceptance(invitedEmail: "zoe@example.org", accountEmail: "zoe@example.org", emailConfirmed: true,
                                           collegeAsInvited: false) == .ordinaryRequest, "another college is the board's to decide")
    }

    @Test func theTimeLeftIsSaidInWords() {
        let expires = InvitationRules.expiry(sentAt: sent)
        #expect(InvitationRules.remaining(until: expires, now: sent).fr == "expire dans 14 jours")
        #expect(InvitationRules.remaining(until: expires, now: sent).en == "expires in 14 days")
        #expect(InvitationRules.remaining(until: expires, now: expires.addingTimeInterval(-30 * 3600)).fr == "expire demain")
        #expect(InvitationRules.remaining(until: expires, now: expires.addingTimeInterval(-3600)).fr == "expire dans 1 heure")
        #expect(InvitationRules.remaining(until: expires, now: expires.addingTimeInterval(-5 * 3600)).en == "expires in 5 hours")
        #expect(InvitationRules.remaining(until: expires, now: expires).fr == "expirée")
    }
}
