import MaillageCore
import Testing

@Suite struct LedgerAmountTests {
    @Test func eachUnitIsFormattedForPeopleInBothLanguages() throws {
        #expect(eur(123456).formatted(.fr) == "1\u{202F}234,56\u{00A0}€")
        #expect(eur(123456).formatted(.en) == "€1,234.56")
        #expect(Amount.barter(cents: 1250).formatted(.fr) == "12,50\u{00A0}unités troc")
        #expect(Amount.barter(cents: 150).formatted(.fr) == "1,50\u{00A0}unité troc")
        #expect(Amount.barter(cents: 100).formatted(.en) == "1.00 barter unit")
        #expect(Amount.barter(cents: -123456).formatted(.en) == "-1,234.56 barter units")
        #expect(Amount.time(minutes: 125).formatted(.fr) == "2\u{00A0}h\u{00A0}05")
        #expect(Amount.time(minutes: -45).formatted(.en) == "-0 h 45 min")
    }

    @Test func plainFiguresAreTheSameInEveryLanguageForCSV() throws {
        #expect(eur(-1250).plain == "-12.50")
        #expect(eur(7).plain == "0.07")
        #expect(Amount.barter(cents: 100).plain == "1.00")
        #expect(Amount.time(minutes: -125).plain == "-2:05")
        #expect(Amount(Int64.min, .eur).plain == "-92233720368547758.08")
    }

    @Test func typedAmountsAreReadExactlyPerUnit() throws {
        #expect(Amount.parse("12,50 €", in: .eur) == eur(1250))
        #expect(Amount.parse("12,5 unités troc", in: .barter) == .barter(cents: 1250))
        #expect(Amount.parse("2:30", in: .hour) == .time(minutes: 150))
        #expect(Amount.parse("2 h 05", in: .hour) == .time(minutes: 125))
        #expect(Amount.parse("2h", in: .hour) == .time(minutes: 120))
        #expect(Amount.parse("45 min", in: .hour) == .time(minutes: 45))
        #expect(Amount.parse("1,5", in: .hour) == .time(minutes: 90))
        #expect(Amount.parse("1,25", in: .hour) == .time(minutes: 75))
        for bad in ["", "deux heures", "2:75", "1,01", "2h5", "-1h", "1:2:3"] {
            #expect(Amount.parse(bad, in: .hour) == nil, "\(bad)")
        }
    }

    @Test func unitsNeverMix() throws {
        #expect(refusal { try eur(100).adding(.barter(cents: 100)) } == "unit_mismatch")
        #expect(refusal { try Amount.time(minutes: 1).subtracting(eur(1)) } == "unit_mismatch")
        #expect(try Amount.sum([eur(1), eur(2), eur(3)]) == eur(6))
        #expect(try Amount.sum([]) == nil)
    }

    @Test func overflowIsRefusedNotTrapped() throws {
        #expect(refusal { try eur(.max).adding(eur(1)) } == "amount_overflow")
        #expect(refusal { try eur(.min).subtracting(eur(1)) } == "amount_overflow")
        #expect(refusal { try eur(.min).negated() } == "amount_overflow")
        #expect(refusal { try eur(.max / 2 + 1).multiplied(by: 2) } == "amount_overflow")
        #expect(try eur(2000).multiplied(by: 3) == eur(6000))
    }

    @Test func limitsStartAtZeroOrAroundIt() throws {
        #expect(refusal { try BalanceLimits(floor: 1) } == "invalid_limits")
        #expect(refusal { try BalanceLimits(floor: 0, ceiling: -1) } == "invalid_limits")
        #expect(try BalanceLimits.creditLine(.barter(cents: 50_000)).floor == -50_000)
        #expect(BalanceLimits.unbounded.floor == nil)
    }
}

@Suite struct LedgerCSVTests {
    @Test func fieldsAreQuotedAsRFC4180Says() {
        #expect(CSV.escape(.text("plain")) == "plain")
        #expect(CSV.escape(.text("a,b")) == "\"a,b\"")
        #expect(CSV.escape(.text("say \"hi\"")) == "\"say \"\"hi\"\"\"")
        #expect(CSV.escape(.text("two\nlines")) == "\"two\nlines\"")
        #expect(CSV.escape(.text("crlf\r\nline")) == "\"crlf\r\nline\"")
        #expect(CSV.render([[.text("a"), .figure("1.00")], [.text("b"), .figure("-2.00")]]) == "a,1.00\r\nb,-2.00\r\n")
    }

    @Test func aLeadingFormulaCharacterIsNeutralised() throws {
        for formula in ["=1+1", "+33 6", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            #expect(CSV.escape(.text(formula)).contains("'"), "\(formula)")
        }
        #expect(CSV.escape(.text("=HYPERLINK(\"x\",\"y\")")) == "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"")
    }

    @Test func ourFiguresStayNumbersButAnythingElseIsText() throws {
        #expect(CSV.escape(.figure("-12.50")) == "-12.50")
        #expect(CSV.escape(.figure("-2:05")) == "-2:05")
        #expect(CSV.escape(.figure("-1+1")) == "'-1+1")
        #expect(CSV.escape(.figure("=1")) == "'=1")
    }
}
