import MaillageCore
import Testing

@Suite struct LanguageTests {
    @Test func frenchIsTheDefault() {
        #expect(Language.negotiate(acceptLanguage: nil) == .fr)
        #expect(Language.negotiate(acceptLanguage: "de-DE,it;q=0.8") == .fr)
    }

    @Test func theBestAcceptedLanguageWins() {
        #expect(Language.negotiate(acceptLanguage: "en-GB,en;q=0.9,fr;q=0.8") == .en)
        #expect(Language.negotiate(acceptLanguage: "de;q=1, en;q=0.5, fr;q=0.7") == .fr)
        #expect(Language.negotiate(acceptLanguage: "en;q=0, fr;q=0.1") == .fr)
    }
}

@Suite struct ValidationTests {
    @Test func emailsAreTrimmedLowercasedAndChecked() throws {
        #expect(try Validate.email("  Lea@Example.ORG ") == "lea@example.org")
        for bad in ["", "lea", "lea@", "@example.org", "lea@example", "le a@example.org", "a@b@c.fr", "lea@.org"] {
            #expect(throws: DomainError.self, "\(bad)") { try Validate.email(bad) }
        }
    }

    @Test func slugsAreShortLowercaseAndHyphenated() throws {
        #expect(try Validate.slug("Paniers-44") == "paniers-44")
        for bad in ["ab", "a b c", "-paniers", "paniers-", "pa--niers", "paniers_44", "éte", String(repeating: "a", count: 61)] {
            #expect(throws: DomainError.self, "\(bad)") { try Validate.slug(bad) }
        }
        #expect(Validate.suggestedSlug(from: "Les Paniers d'Été !") == "les-paniers-d-ete")
    }

    @Test func passwordsHaveAMinimumLength() throws {
        #expect(throws: DomainError.self) { try Validate.password("court") }
        try Validate.password("assez long pour passer")
    }
}

@Suite struct EurosTests {
    @Test func amountsAreFormattedPerLanguage() {
        #expect(Euros.format(cents: 2000, .fr) == "20,00\u{00A0}€")
        #expect(Euros.format(cents: 123456789, .fr) == "1\u{202F}234\u{202F}567,89\u{00A0}€")
        #expect(Euros.format(cents: 2050, .en) == "€20.50")
        #expect(Euros.format(cents: -5, .en) == "-€0.05")
    }

    @Test func typedAmountsAreParsedWithoutFloatingPoint() {
        #expect(Euros.parseCents("20") == 2000)
        #expect(Euros.parseCents("20,5") == 2050)
        #expect(Euros.parseCents("1 000,00 €") == 100000)
        #expect(Euros.parseCents("0.07") == 7)
        #expect(Euros.parseCents("vingt") == nil)
        #expect(Euros.parseCents("1,234") == nil)
        #expect(Euros.parseCents("") == nil)
    }
}

@Suite struct JobScheduleTests {
    @Test func eachMomentFallsInOneSlot() {
        let hourly = JobSchedule(everySeconds: 3600)
        #expect(hourly.slot(atUnix: 0) == 0)
        #expect(hourly.slot(atUnix: 3599) == 0)
        #expect(hourly.slot(atUnix: 3600) == 1)
        #expect(hourly.slot(atUnix: -1) == -1)
        #expect(hourly.nextSlotStart(afterUnix: 3599) == 3600)
    }
}

@Suite struct LoginThrottleTests {
    @Test func theFifthFailureLocksTheAccountForTheWindow() throws {
        let rule = LoginThrottle()
        try rule.check(recentFailuresForAccount: 4, recentFailuresFromAddress: 4)
        #expect(throws: DomainError.self) { try rule.check(recentFailuresForAccount: 5, recentFailuresFromAddress: 5) }
        #expect(throws: DomainError.self) { try rule.check(recentFailuresForAccount: 0, recentFailuresFromAddress: 30) }
    }
}
