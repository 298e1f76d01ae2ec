import Foundation
import MaillageCore
import Testing

@Suite struct AssemblyRulesTests {
    @Test func aProxyCountsOnlyWhenItsHolderIsPresent() throws {
        let quorum = AssemblyRules.quorum(members: 10, attendance: [
            ("ana", .present, nil), ("bob", .represented, "ana"), ("cleo", .represented, "dan"), ("dan", .absent, nil),
        ], required: try Fraction(parsing: "1/5"))
        #expect(quorum.present == 1)
        #expect(quorum.represented == 1)
        #expect(quorum.reached)
    }

    @Test func aProxyGoesToAnotherMemberWithinTheLimit() throws {
        let giver = UUID(), holder = UUID()
        #expect(throws: DomainError.self) { try AssemblyRules.validateProxy(giver: giver, holder: giver, holderIsMember: true, holderIsRepresented: false, proxiesHeld: 0, limit: 1) }
        #expect(throws: DomainError.self) { try AssemblyRules.validateProxy(giver: giver, holder: holder, holderIsMember: true, holderIsRepresented: false, proxiesHeld: 1, limit: 1) }
        #expect(throws: DomainError.self) { try AssemblyRules.validateProxy(giver: giver, holder: holder, holderIsMember: true, holderIsRepresented: true, proxiesHeld: 0, limit: 1) }
        try AssemblyRules.validateProxy(giver: giver, holder: holder, holderIsMember: true, holderIsRepresented: false, proxiesHeld: 0, limit: 1)
    }

    @Test func theLastBoardMemberMayLeaveOnlyAnEmptyCooperative() {
        #expect(!MembershipRules.mayLeave(isBoard: true, otherBoardMembers: 0, otherMembers: 3))
        #expect(MembershipRules.mayLeave(isBoard: true, otherBoardMembers: 1, otherMembers: 3))
        #expect(MembershipRules.mayLeave(isBoard: true, otherBoardMembers: 0, otherMembers: 0))
        #expect(MembershipRules.mayLeave(isBoard: false, otherBoardMembers: 0, otherMembers: 3))
    }
}
