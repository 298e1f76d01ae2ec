import Foundation
@testable import MaillageApp
import Testing

/// The rule of ARCHITECTURE.md, checked on the source tree: a module's folder under
/// `Sources/MaillageApp/` uses Kernel and, of another module, only what that module declares in
/// its `Facade/` folder — and only of a module registered before it in `Modules.all`, so modules
/// never form a cycle. Kernel uses no module, except in the composition files that assemble them.
@Suite struct ModuleBoundaryTests {
    static let appSources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources/MaillageApp")

    /// The files that assemble modules: the registration list, the app's configuration, the
    /// command line. They name every module by design.
    static let compositionFiles: Set<String> = ["Kernel/Module.swift", "Kernel/Configure.swift", "Kernel/CLI/MaillageCommandLine.swift"]

    /// Folder names in registration order (`FoodModule` lives in `Food/`).
    static var layers: [String] {
        Modules.all.map { String(describing: type(of: $0)).replacingOccurrences(of: "Module", with: "") }
    }

    @Test func everyModuleFolderIsRegisteredAndEveryRegisteredModuleHasAFolder() throws {
        let folders = Set(try SourceTree(root: Self.appSources).files.map(\.module))
        #expect(folders == Set(Self.layers), "folders \(folders.sorted()) vs Modules.all \(Self.layers)")
    }

    @Test func modulesMeetOnlyAtFacadesOfModulesRegisteredBefore() throws {
        let tree = try SourceTree(root: Self.appSources)
        let order = Dictionary(uniqueKeysWithValues: Self.layers.enumerated().map { ($1, $0) })
        var violations: [String] = []
        for file in tree.files where !Self.compositionFiles.contains(file.path) {
            for name in file.referencedTypeNames.sorted() {
                guard let declaration = tree.declarations[name], declaration.module != file.module else { continue }
                if declaration.module == "Kernel" { continue }
                if file.module == "Kernel" {
                    violations.append("\(file.path): Kernel uses \(name) of \(declaration.module)")
                } else if !declaration.isFacade {
                    violations.append("\(file.path): \(name) is internal to \(declaration.module) (\(declaration.path))")
                } else if (order[declaration.module] ?? .max) > (order[file.module] ?? .max) {
                    violations.append("\(file.path): \(name) of \(declaration.module), registered after \(file.module)")
                }
            }
        }
        #expect(violations.isEmpty, Comment(rawValue: "\(violations.count) references across module boundaries:\n" + violations.joined(separator: "\n")))
    }

    /// The checker itself sees through comments and strings, and sees a reference in code.
    @Test func theCheckerReadsCodeNotProse() {
        let file = SourceFile(path: "Food/X.swift", text: """
        // Votes are counted elsewhere
        let title = "Votes et décisions"
        let page = \"\"\"
        Ledger
        \"\"\"
        try await LedgerFacade.pay(x)
        """)
        #expect(file.referencedTypeNames.contains("LedgerFacade"))
        #expect(!file.referencedTypeNames.contains("Votes"))
        #expect(!file.referencedTypeNames.contains("Ledger"))
    }
}

struct SourceTree {
    struct Declaration { var module: String; var path: String; var isFacade: Bool }
    var files: [SourceFile] = []
    var declarations: [String: Declaration] = [:]

    init(root: URL) throws {
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            guard url.pathExtension == "swift" else { continue }
            let path = String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))
            files.append(SourceFile(path: path, text: try String(contentsOf: url, encoding: .utf8)))
        }
        for file in files {
            for name in file.declaredTypeNames {
                declarations[name] = Declaration(module: file.module, path: file.path, isFacade: file.path.contains("/Facade/"))
            }
        }
    }
}

struct SourceFile {
    var path: String
    var code: String

    init(path: String, text: String) {
        self.path = path
        self.code = Self.withoutCommentsAndStrings(text)
    }

    var module: String { String(path.split(separator: "/").first ?? "") }

    /// Top-level types this file declares, except file-private ones.
    var declaredTypeNames: [String] {
        let pattern = #/(?m)^(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|internal|final|indirect)\s+)*(?:struct|enum|class|protocol|actor|typealias)\s+([A-Z]\w*)/#
        return code.matches(of: pattern).map { String($0.output.1) }
    }

    /// Every identifier that starts with a capital letter. (Read as whole identifiers: with
    /// Unicode word boundaries, `Votes.close` would be one word.)
    var referencedTypeNames: Set<String> {
        Set(code.matches(of: #/[A-Za-z_][A-Za-z0-9_]*/#).map { String(code[$0.range]) }.filter { $0.first?.isUppercase == true })
    }

    /// Code without `//` and `/* */` comments, and with string literals emptied: a French word
    /// that is also a type name ("Votes") is not a reference.
    static func withoutCommentsAndStrings(_ text: String) -> String {
        var out = ""
        var chars = Array(text)[...]
        while let c = chars.first {
            if chars.starts(with: "//") {
                while let d = chars.first, d != "\n" { chars.removeFirst() }
            } else if chars.starts(with: "/*") {
                chars.removeFirst(2)
                while !chars.isEmpty && !chars.starts(with: "*/") { chars.removeFirst() }
                chars = chars.dropFirst(2)
            } else if chars.starts(with: "\"\"\"") {
                chars.removeFirst(3)
                while !chars.isEmpty && !chars.starts(with: "\"\"\"") { chars.removeFirst() }
                chars = chars.dropFirst(3)
                out += "\"\""
            } else if c == "\"" {
                chars.removeFirst()
                while let d = chars.first, d != "\"", d != "\n" {
                    chars.removeFirst()
                    if d == "\\" { chars = chars.dropFirst() }
                }
                chars = chars.dropFirst()
                out += "\"\""
            } else {
                out.append(c)
                chars.removeFirst()
            }
        }
        return out
    }
}
