import MaillageCore
import MaillageTestFixtures
import Testing

/// Checked module for module against matrices made by an independent encoder (python-qrcode) (`security/qr-reference.txt`,
/// see `PROVENANCE.md`): version, mask (given or chosen by the penalty rules), format and version
/// information, Reed–Solomon codewords and their interleaving all show in the modules.
@Suite("Second factor: the QR code of the enrolment page")
struct QRCodeTests {
    struct Reference { var text: [UInt8]; var version: Int; var mask: Int; var forced: Bool; var rows: [String] }

    static func references() throws -> [Reference] {
        var out: [Reference] = []
        for chunk in try Fixtures.string("security/qr-reference.txt").split(separator: "\n\n") {
            let lines = chunk.split(separator: "\n").map(String.init)
            guard lines.count > 2 else { continue }
            let hex = Array(lines[0].dropFirst(5).utf8)
            let text = stride(from: 0, to: hex.count, by: 2).map { UInt8(String(decoding: hex[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
            let words = lines[1].split(separator: " ")
            out.append(Reference(text: text, version: Int(words[1])!, mask: Int(words[3])!, forced: words[5] == "yes",
                                 rows: Array(lines.dropFirst(2))))
        }
        return out
    }

    static func rows(_ code: QRCode) -> [String] {
        code.modules.map { String($0.map { $0 ? "1" : "0" }) }
    }

    @Test func everyReferenceMatrixIsReproducedWithItsMask() throws {
        let references = try Self.references()
        #expect(references.count >= 20)
        #expect(Set(references.map(\.version)) == Set(1...10), "every version from 1 to 10")
        #expect(Set(references.map(\.mask)) == Set(0...7), "every mask")
        for reference in references {
            let code = try QRCode.encode(reference.text, mask: reference.mask)
            #expect(code.version == reference.version)
            #expect(Self.rows(code) == reference.rows, "\(reference.text.count) bytes, version \(reference.version), mask \(reference.mask)")
        }
    }

    /// Encoders read the penalty rules differently (python-qrcode and segno choose different masks
    /// for "HELLO WORLD"), and any mask scans; what matters is that ours takes its own lowest score.
    @Test func theChosenMaskHasTheLowestPenalty() throws {
        for reference in try Self.references() where !reference.forced {
            let chosen = try QRCode.encode(reference.text)
            for mask in 0..<8 {
                #expect(try QRCode.encode(reference.text, mask: mask).penalty >= chosen.penalty, "\(reference.text.count) bytes, mask \(mask)")
            }
        }
    }

    @Test func tooLongForVersion10IsRefused() {
        #expect(throws: QRCode.Failure.tooLong(bytes: 214)) { try QRCode.encode([UInt8](repeating: 65, count: 214)) }
        #expect((try? QRCode.encode([UInt8](repeating: 65, count: 213)))?.version == 10)
    }
}
