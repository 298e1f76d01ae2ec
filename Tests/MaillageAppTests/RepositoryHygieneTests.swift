import Foundation
import Testing

/// The repository speaks of itself only: no path of a development machine in code or tests,
/// and no work-log wording (work periods, issue numbers, dated runs) in the docs or comments —
/// those belong in git history.
@Suite struct RepositoryHygieneTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func files(under folder: String, extensions: Set<String>) -> [URL] {
        let enumerator = FileManager.default.enumerator(at: root.appendingPathComponent(folder), includingPropertiesForKeys: nil)
        var out: [URL] = []
        while let url = enumerator?.nextObject() as? URL {
            if url.path.contains("/Fixtures/documents/") { continue }
            if extensions.contains(url.pathExtension) { out.append(url) }
        }
        return out
    }

    static func offences(in urls: [URL], matching pattern: String) throws -> [String] {
        let regex = try NSRegularExpression(pattern: pattern)
        var found: [String] = []
        for url in urls {
            let text = try String(contentsOf: url, encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = String(line)
                if regex.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil {
                    found.append("\(url.path.dropFirst(root.path.count + 1)):\(number + 1): \(line.trimmingCharacters(in: .whitespaces).prefix(120))")
                }
            }
        }
        return found
    }

    @Test func noMachinePathInCodeOrTests() throws {
        let code = Self.files(under: "Sources", extensions: ["swift"]) + Self.files(under: "Tests", extensions: ["swift"])
            + Self.files(under: "e2e", extensions: ["py"]) + Self.files(under: "scripts", extensions: ["", "py", "sh"])
            + Self.files(under: "bench", extensions: ["", "py", "sh", "lua"])
        let found = try Self.offences(in: code, matching: #"["'](/work/|/home/|/root/|/Users/)"#)
        #expect(found.isEmpty, Comment(rawValue: found.joined(separator: "\n")))
    }

    @Test func noWorkLogWordingInDocsOrComments() throws {
        let docs = Self.files(under: "docs", extensions: ["md"]) + [Self.root.appendingPathComponent("README.md"), Self.root.appendingPathComponent("ARCHITECTURE.md")]
            + Self.files(under: "e2e", extensions: ["md"])
        let dated = try Self.offences(in: docs, matching: #"\b20[0-9]{2}-[01][0-9]-[0-3][0-9]\b|[Ss]ession [0-9]|\b[Ii]ssue #?[0-9]|\bstop [0-9]"#)
        #expect(dated.isEmpty, Comment(rawValue: dated.joined(separator: "\n")))
        let code = Self.files(under: "Sources", extensions: ["swift"]) + Self.files(under: "Tests", extensions: ["swift"])
        let comments = try Self.offences(in: code, matching: #"//.*(\b[Ss]ession [0-9]|\b[Ii]ssue #?[0-9]|\btried on 20[0-9]{2})"#)
        #expect(comments.isEmpty, Comment(rawValue: comments.joined(separator: "\n")))
    }
}
