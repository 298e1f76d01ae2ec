import Foundation
import MaillageCore
import Testing

@Suite("Carpool: alert, community and review rules")
struct CarpoolAlertRulesTests {
    @Test func anAlertMeetsARideOnItsDaysAndAroundItsTime() throws {
        let morning = try RideAlert.parse(lookingFor: "driver", weekdays: ["1", "2"], time: "7h30", margin: "")
        #expect(morning.time == RideTime(minute: 450, margin: RideAlert.defaultMargin) && morning.weekdaysText == "1,2")
        #expect(morning.meets(weekday: 1, adTime: RideTime(minute: 480, margin: 0), pickupAfterMinutes: 0), "8:00 is within 7:30 ± 30")
        #expect(!morning.meets(weekday: 3, adTime: RideTime(minute: 450, margin: 0), pickupAfterMinutes: 0), "Wednesday is not chosen")
        #expect(!morning.meets(weekday: 1, adTime: RideTime(minute: 540, margin: 10), pickupAfterMinutes: 0), "9:00 ± 10 is too late")
        // The driver who leaves at 7:00 reaches the pick-up 25 minutes later: in time.
        #expect(morning.meets(weekday: 2, adTime: RideTime(minute: 420, margin: 0), pickupAfterMinutes: 25))
        let anyTime = RideAlert(lookingFor: .passenger)
        #expect(anyTime.meets(weekday: 7, adTime: RideTime(minute: 1_380), pickupAfterMinutes: 0))
        #expect(morning.wants(.driver) && morning.wants(.both) && !morning.wants(.passenger))
        #expect(anyTime.wants(.passenger) && anyTime.wants(.both) && !anyTime.wants(.driver))
    }

    @Test func anAlertFormIsRefusedWithEveryProblemAtOnce() {
        #expect(throws: ValidationErrors.self) { try RideAlert.parse(lookingFor: "both", weekdays: ["8"], time: "25:00", margin: "500") }
        do {
            _ = try RideAlert.parse(lookingFor: "both", weekdays: ["8"], time: "25:00", margin: "500")
        } catch let errors as ValidationErrors {
            #expect(Set(errors.errors.compactMap(\.field)) == ["looking_for", "weekdays", "time", "margin"])
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func aCommunityNamesTheAddressesItLetsIn() throws {
        let school = try CommunityDraft(name: " École Jules-Verne ", joining: "domain", domains: "@Ecole.fr, lycee.org").validated()
        #expect(school.name == "École Jules-Verne" && school.domains == ["ecole.fr", "lycee.org"] && school.addresses.isEmpty)
        #expect(fields { try CommunityDraft(name: "X", joining: "domain", domains: "pas-un-domaine").validated() } == ["name", "domains"])
        #expect(fields { try CommunityDraft(name: "Liste", joining: "list", addresses: "quelqu’un").validated() } == ["addresses"])
        let listed = try CommunityDraft(name: "Liste", joining: "list", addresses: "A@b.fr\nc@d.org").validated()
        #expect(listed.addresses == ["a@b.fr", "c@d.org"])
        #expect(try listed.joining.decide(email: "C@D.org", domains: listed.domains, list: listed.addresses) == .joined)
    }

    /// The fields a refusal names (one problem or several).
    func fields(_ body: () throws -> Any) -> Set<String> {
        do {
            _ = try body()
        } catch let one as DomainError {
            return Set([one.field].compactMap { $0 })
        } catch let many as ValidationErrors {
            return Set(many.errors.compactMap(\.field))
        } catch {}
        return []
    }

    @Test func aReviewWaitsForTheRideAndTheCooperativesChoice() throws {
        #expect(throws: RideReview.off) { try RideReview.check("Super trajet", status: .completed, reviewsOn: false) }
        #expect(throws: RideReview.notCompleted) { try RideReview.check("Super trajet", status: .accepted, reviewsOn: true) }
        #expect(throws: RideReview.bodyLength) { try RideReview.check(" ok ", status: .completed, reviewsOn: true) }
        #expect(try RideReview.check("  Super trajet ", status: .completed, reviewsOn: true) == "Super trajet")
    }
}
