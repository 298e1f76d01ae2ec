import Foundation
import MaillageCore
import Testing

/// Decoders written here from the RFCs, to read back what the encoders wrote.
enum MailDecoding {
    /// RFC 2045 §6.7: soft line breaks removed, `=XX` turned back into bytes, CRLF kept.
    static func quotedPrintable(_ encoded: String) -> String {
        var bytes: [UInt8] = []
        let input = Array(encoded.replacingOccurrences(of: "=\r\n", with: "").utf8)
        var index = 0
        while index < input.count {
            if input[index] == UInt8(ascii: "="), index + 2 < input.count,
               let byte = UInt8(String(decoding: input[index + 1...index + 2], as: UTF8.self), radix: 16) {
                bytes.append(byte)
                index += 3
            } else {
                bytes.append(input[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// One RFC 2047 `=?UTF-8?B?…?=` word, or nil when it is not one or not whole UTF-8.
    static func encodedWord(_ word: String) -> String? {
        guard word.hasPrefix("=?UTF-8?B?"), word.hasSuffix("?="),
              let data = Data(base64Encoded: String(word.dropFirst(10).dropLast(2)))
        else { return nil }
        return String(data: data, encoding: .utf8)
    }

    /// A field without its final CRLF (one Character in Swift).
    static func withoutLineEnd(_ field: String) -> String {
        field.hasSuffix("\r\n") ? String(field.dropLast()) : field
    }

    /// A header field unfolded (RFC 5322 §2.2.3): each CRLF before white space removed.
    static func unfold(_ field: String) -> String {
        withoutLineEnd(field).replacingOccurrences(of: "\r\n ", with: " ")
    }

    /// An unfolded field's value with its encoded-words decoded; the white space between two
    /// adjacent encoded-words is dropped, as RFC 2047 §6.2 says.
    static func decodedValue(_ field: String, name: String) -> String {
        let value = String(unfold(field).dropFirst(name.count + 2))
        let words = value.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        var out = ""
        var previousWasEncoded = false
        for (index, word) in words.enumerated() {
            if let decoded = encodedWord(word) {
                out += (index > 0 && !previousWasEncoded ? " " : "") + decoded
                previousWasEncoded = true
            } else {
                out += (index > 0 ? " " : "") + word
                previousWasEncoded = false
            }
        }
        return out
    }

    static func lines(_ text: String) -> [Substring] {
        text.split(separator: "\r\n", omittingEmptySubsequences: false)
    }
}

@Suite struct MailAddressTests {
    @Test func aSenderSettingIsReadWithOrWithoutItsName() throws {
        let named = try MailAddress(parsing: "Maillage <no-reply@example.org>")
        #expect(named.address == "no-reply@example.org")
        #expect(named.displayName == "Maillage")
        #expect(named.domain == "example.org")
        let quoted = try MailAddress(parsing: #"  "Dupont, Jean \"JD\"" <jean.dupont@mail.example.org> "#)
        #expect(quoted.displayName == #"Dupont, Jean "JD""#)
        #expect(quoted.address == "jean.dupont@mail.example.org")
        let bare = try MailAddress(parsing: "lea+tri@example.org")
        #expect(bare.displayName == nil)
        #expect(try MailAddress(parsing: "<lea@example.org>").displayName == nil)
    }

    @Test func addressesThatCouldBreakACommandOrAHeaderAreRefused() {
        let bad = [
            "", "lea", "lea@", "@example.org", "le a@example.org", "lea@exa mple.org", "lea@example.org\r\nRCPT TO:<x@y.org>",
            "lea@example.org>", "<lea@example.org", "lé@example.org", "lea@exämple.org", "lea..x@example.org", ".lea@example.org",
            "lea@-example.org", "lea@example..org", "\"lea\"@example.org", "lea@[127.0.0.1]", String(repeating: "a", count: 65) + "@example.org",
        ]
        for address in bad {
            #expect(throws: MailFormatError.self, "\(address.debugDescription)") { try MailAddress(address) }
        }
        #expect(throws: MailFormatError.invalidDisplayName(reason: "line break")) { try MailAddress("lea@example.org", displayName: "Léa\r\nBcc: x@y.org") }
        #expect(throws: MailFormatError.invalidDisplayName(reason: "control character")) { try MailAddress("lea@example.org", displayName: "Léa\u{7}") }
        #expect(throws: MailFormatError.self) { try MailAddress(parsing: "Léa <lea@example.org>\nBcc: x@y.org") }
    }
}

@Suite struct MailHeaderTextTests {
    @Test func encodedWordsAreShortWholeCharactersAndDecodeToTheText() {
        let texts = [
            "Réunion du conseil d’administration : ordre du jour, pièces jointes et procès-verbal de l’assemblée générale",
            String(repeating: "é", count: 200),
            "👩‍👩‍👧‍👦 famille " + String(repeating: "🇫🇷", count: 30),
            "日本語のテキストも送れます。" + String(repeating: "漢", count: 40),
        ]
        for text in texts {
            let words = MailHeaderText.encodedWords(text, firstRoom: 60)
            #expect(words.count > 1)
            #expect(words.allSatisfy { $0.count <= 75 })
            #expect(words[0].count <= 60)
            let decoded = words.map { MailDecoding.encodedWord($0) }
            #expect(decoded.allSatisfy { $0 != nil }, "each word decodes alone to whole characters")
            #expect(decoded.compactMap { $0 }.joined() == text)
        }
    }

    @Test func aPlainSubjectIsWrittenAsItIsAndFoldedAtItsSpaces() throws {
        #expect(try MailHeaderText.unstructured("Subject", "Votre commande est prête").hasPrefix("Subject: =?UTF-8?B?"))
        #expect(try MailHeaderText.unstructured("Subject", "Your order is ready") == "Subject: Your order is ready\r\n")
        let long = (1...40).map { "word\($0)" }.joined(separator: " ") + "  two  spaces"
        let field = try MailHeaderText.unstructured("Subject", long)
        let lines = MailDecoding.lines(MailDecoding.withoutLineEnd(field))
        #expect(lines.count > 1)
        #expect(lines.allSatisfy { $0.utf8.count <= 76 })
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix(" ") && !$0.trimmingCharacters(in: .whitespaces).isEmpty })
        #expect(MailDecoding.unfold(field) == "Subject: " + long)
    }

    @Test func anAccentedSubjectIsEncodedInLinesOfAtMost76() throws {
        let subject = "Assemblée générale : convocation à la réunion de l’été, ordre du jour et procurations"
        let field = try MailHeaderText.unstructured("Subject", subject)
        #expect(field.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(MailDecoding.lines(MailDecoding.withoutLineEnd(field)).allSatisfy { $0.utf8.count <= 76 })
        #expect(MailDecoding.decodedValue(field, name: "Subject") == subject)
        // Text that only looks like an encoded-word is encoded too, so a reader does not decode it.
        let lookalike = try MailHeaderText.unstructured("Subject", "=?UTF-8?B?SGk=?=")
        #expect(MailDecoding.decodedValue(lookalike, name: "Subject") == "=?UTF-8?B?SGk=?=")
    }

    @Test func aLineBreakInAHeaderIsRefused() {
        for value in ["Bonjour\r\nBcc: victim@example.org", "Bonjour\nX: y", "Bonjour\r"] {
            #expect(throws: MailFormatError.lineBreakInHeader(field: "Subject")) { try MailHeaderText.unstructured("Subject", value) }
        }
    }

    @Test func displayNamesAreAtomsQuotedOrEncoded() throws {
        #expect(try MailHeaderText.addressList("From", [MailAddress("no-reply@example.org", displayName: "Maillage")])
            == "From: Maillage <no-reply@example.org>\r\n")
        #expect(try MailHeaderText.addressList("To", [MailAddress("jean@example.org", displayName: #"Dupont, Jean "JD""#), MailAddress("lea@example.org")])
            == #"To: "Dupont, Jean \"JD\"" <jean@example.org>, lea@example.org"# + "\r\n")
        let accented = try MailHeaderText.addressList("From", [MailAddress("amelie@example.org", displayName: "Amélie Poulain — Les Paniers de la Sèvre")])
        #expect(accented.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(MailDecoding.lines(MailDecoding.withoutLineEnd(accented)).allSatisfy { $0.utf8.count <= 76 })
        #expect(MailDecoding.decodedValue(accented, name: "From") == "Amélie Poulain — Les Paniers de la Sèvre <amelie@example.org>")
    }
}

@Suite struct QuotedPrintableTests {
    @Test func textComesBackAsItWasWithCRLFLineEnds() {
        let texts = [
            "Bonjour Léa,\n\nVotre commande n° 42 est prête. Prix : 12,50 €.\n",
            "tab\tand trailing space \nand trailing tab\t\n= sign and =3D literal\r\nCR only\rend",
            String(repeating: "x", count: 3000),
            String(repeating: "é", count: 500) + "\n" + String(repeating: "a ", count: 400),
            ".starts with a dot\n..two dots\n.\nFrom the start\nFrom: not a separator",
            "",
        ]
        for text in texts {
            let encoded = QuotedPrintable.encode(text)
            #expect(encoded.unicodeScalars.allSatisfy { $0.isASCII })
            let lines = MailDecoding.lines(encoded)
            #expect(lines.allSatisfy { $0.utf8.count <= 76 }, "\(lines.map(\.count).max() ?? 0)")
            #expect(lines.allSatisfy { !$0.hasSuffix(" ") && !$0.hasSuffix("\t") }, "no white space at a line's end")
            let crlf = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
            #expect(MailDecoding.quotedPrintable(encoded) == crlf)
        }
    }

    @Test func dotsStayForSMTPAndFromIsEscaped() {
        let encoded = QuotedPrintable.encode(".hidden\nFrom here")
        #expect(encoded == ".hidden\r\n=46rom here")
    }

    @Test func aLongLineIsCutWithSoftBreaksNeverInsideAnEscape() {
        let encoded = QuotedPrintable.encode(String(repeating: "é", count: 100))
        let lines = MailDecoding.lines(encoded)
        #expect(lines.dropLast().allSatisfy { $0.hasSuffix("=") })
        // Each line holds whole =XX escapes: 25 of them (75 characters) and the soft break.
        #expect(lines.dropLast().allSatisfy { $0.count == 76 })
    }
}

@Suite struct SMTPDataTests {
    @Test func linesStartingWithADotGetASecondOneAndTheEndIsMarked() {
        func transmitted(_ text: String) -> String { String(decoding: SMTPData.transmission(of: Array(text.utf8)), as: UTF8.self) }
        #expect(transmitted("a\r\n.\r\n.b\r\n..c\r\nd.e\r\n") == "a\r\n..\r\n..b\r\n...c\r\nd.e\r\n.\r\n")
        #expect(transmitted(".first") == "..first\r\n.\r\n")
        #expect(transmitted("bare\nline\rends\r\n") == "bare\r\nline\r\nends\r\n.\r\n")
        #expect(transmitted("") == ".\r\n")
    }
}

@Suite struct MailDateTests {
    @Test func datesAreRFC5322InUTC() {
        #expect(MailDate.format(Date(timeIntervalSince1970: 0)) == "Thu, 01 Jan 1970 00:00:00 +0000")
        #expect(MailDate.format(Date(timeIntervalSince1970: 1_000_000_000)) == "Sun, 09 Sep 2001 01:46:40 +0000")
    }
}

@Suite struct MailMessageTests {
    static func message(subject: String = "Votre commande est prête", text: String = "Bonjour Léa,\n\nÀ bientôt.\n",
                        html: String? = "<p>Bonjour Léa,</p><p>À bientôt.</p>\n", headers: [MailMessage.Header] = []) throws -> MailMessage {
        let from = try MailAddress("no-reply@example.org", displayName: "Les Paniers de la Sèvre")
        return MailMessage(from: from, to: [try MailAddress("lea@example.org", displayName: "Léa Martin")], subject: subject, text: text, html: html,
                           language: .fr, messageID: MailMessage.messageID(unique: "outbox-17.k3j5", from: from),
                           date: Date(timeIntervalSince1970: 1_000_000_000), headers: headers)
    }

    @Test func aMessageIsSevenBitMIMEWithItsHeadersAndTwoParts() throws {
        let rendered = try Self.message(headers: [.init("Auto-Submitted", "auto-generated")]).rendered()
        #expect(rendered.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(!rendered.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "no bare line feed")
        #expect(!rendered.replacingOccurrences(of: "\r\n", with: "").contains("\r"), "no bare carriage return")
        let lines = MailDecoding.lines(rendered)
        #expect(lines.allSatisfy { $0.utf8.count <= 76 })
        let head = rendered.components(separatedBy: "\r\n\r\n")[0] + "\r\n"
        for expected in [
            "Date: Sun, 09 Sep 2001 01:46:40 +0000\r\n", "Message-ID: <outbox-17.k3j5@example.org>\r\n", "MIME-Version: 1.0\r\n",
            "Content-Language: fr\r\n", "Auto-Submitted: auto-generated\r\n", "\r\nTo: =?UTF-8?B?",
            "Content-Type: multipart/alternative; boundary=\"=_maillage_",
        ] {
            #expect(("\r\n" + head).contains(expected), "\(expected)")
        }
        #expect(rendered.contains("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nBonjour L=C3=A9a,\r\n"))
        #expect(rendered.contains("Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n<p>Bonjour L=C3=A9a,</p>"))
        #expect(rendered.hasSuffix("--\r\n"))
    }

    @Test func theBoundaryIsFoundOnlyWhereItSeparatesParts() throws {
        let tricky = "--=_maillage_0\n=_maillage_\n--" + String(repeating: "=", count: 80)
        let message = try Self.message(text: tricky, html: tricky)
        let rendered = try message.rendered()
        guard let range = rendered.range(of: #"boundary="([^"]+)""#, options: .regularExpression) else {
            Issue.record("no boundary")
            return
        }
        let boundary = String(rendered[range].dropFirst(10).dropLast())
        #expect(rendered.components(separatedBy: "--" + boundary).count == 4, "two openings and the closing")
        #expect(try message.rendered() == rendered, "the same message is written the same way each time")
    }

    @Test func aTextAloneIsOnePart() throws {
        let rendered = try Self.message(html: nil).rendered()
        #expect(!rendered.contains("multipart"))
        #expect(rendered.contains("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nBonjour"))
    }

    @Test func aLongLineIsWrappedAndEveryLineStaysShort() throws {
        let long = (0..<600).map { "mot\($0)" }.joined(separator: "") + " fin"
        let rendered = try Self.message(subject: String(repeating: "Sujet ", count: 60), text: long, html: "<p>" + long + "</p>").rendered()
        #expect(MailDecoding.lines(rendered).allSatisfy { $0.utf8.count <= 76 })
        #expect(rendered.contains("=\r\n"), "soft line breaks")
    }

    @Test func headerInjectionIsRefused() throws {
        #expect(throws: MailFormatError.lineBreakInHeader(field: "Subject")) { try Self.message(subject: "Hi\r\nBcc: x@y.org").rendered() }
        #expect(throws: MailFormatError.lineBreakInHeader(field: "List-Id")) { try Self.message(headers: [.init("List-Id", "a\nBcc: x@y.org")]).rendered() }
        #expect(throws: MailFormatError.invalidHeaderName("Bad Name")) { try Self.message(headers: [.init("Bad Name", "x")]).rendered() }
        #expect(throws: MailFormatError.invalidHeaderName("X\r\nBcc")) { try Self.message(headers: [.init("X\r\nBcc", "x")]).rendered() }
        #expect(throws: MailFormatError.reservedHeader("BCC")) { try Self.message(headers: [.init("BCC", "x@y.org")]).rendered() }
        #expect(throws: MailFormatError.reservedHeader("subject")) { try Self.message(headers: [.init("subject", "again")]).rendered() }
        #expect(throws: MailFormatError.nonASCIIHeader(field: "X-Note")) { try Self.message(headers: [.init("X-Note", "été")]).rendered() }
        var message = try Self.message()
        for id in ["no-at-sign", "a@b>\r\nBcc: x@y.org", "a b@example.org", "<a@example.org>", "a@"] {
            message.messageID = id
            #expect(throws: MailFormatError.invalidMessageID(id)) { try message.rendered() }
        }
        message = try Self.message()
        message.to = []
        #expect(throws: MailFormatError.noRecipient) { try message.rendered() }
    }
}

@Suite struct SMTPReplyTests {
    @Test func multilineRepliesAreGatheredHoweverTheyArrive() throws {
        var reader = SMTPReplyReader()
        let wire = "220 mail.example.org ESMTP\r\n250-mail.example.org\r\n250-SIZE 1000\r\n250-AUTH=LOGIN\r\n250-auth plain login\r\n250 STARTTLS\r\n354 go\n"
        var replies: [SMTPReply] = []
        for byte in wire.utf8 { replies += try reader.read([byte]) }
        #expect(replies.map(\.code) == [220, 250, 354])
        #expect(replies[1].lines == ["mail.example.org", "SIZE 1000", "AUTH=LOGIN", "auth plain login", "STARTTLS"])
        #expect(replies[1].extensions["AUTH"] == ["LOGIN", "PLAIN", "LOGIN"])
        #expect(replies[1].extensions["STARTTLS"] == [])
        #expect(replies[2].lines == ["go"])
        #expect(!reader.hasPartialReply)
        #expect(try reader.read(Array("250-half".utf8)).isEmpty)
        #expect(reader.hasPartialReply)
        var bare = SMTPReplyReader()
        #expect(try bare.read(Array("250\r\n".utf8)) == [SMTPReply(code: 250, lines: [""])])
    }

    @Test func whatIsNotAReplyIsRefused() {
        for wire in ["HTTP/1.1 400 Bad Request\r\n", "25\r\n", "250x\r\n", "650 no\r\n", "250-a\r\n251 b\r\n", String(repeating: "2", count: 5000)] {
            var reader = SMTPReplyReader()
            #expect(throws: SMTPProtocolViolation.self, "\(wire.prefix(30))") { try reader.read(Array(wire.utf8)) }
        }
    }

    @Test func codesSayPermanentOrTransient() {
        #expect(SMTPReply(code: 550, lines: ["no such user"]).isPermanentFailure)
        #expect(SMTPReply(code: 451, lines: ["try later"]).isTransientFailure)
        #expect(!SMTPReply(code: 250, lines: ["ok"]).isPermanentFailure)
        #expect(SMTPReply(code: 250, lines: ["first", "last"]).description == "250 first / 250 last")
    }
}
