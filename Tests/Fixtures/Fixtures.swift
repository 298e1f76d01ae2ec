import Foundation

/// The one way tests read documents.
///
/// - `data(_:)`: the project's own test documents (`Tests/Fixtures/documents`, bundled with the
///   test targets). Always there.
/// - `conformance(_:)`: the full set of third-party standard documents, from the folder named by
///   `MAILLAGE_FIXTURES`. Tests that read it carry the `.conformance` tag and
///   `.enabled(if: Fixtures.conformanceAvailable)`, so they show as skipped where it is unset.
public enum Fixtures {
    public static func data(_ path: String) throws -> Data {
        try Data(contentsOf: documents.appendingPathComponent(path))
    }

    public static func string(_ path: String) throws -> String {
        try String(decoding: data(path), as: UTF8.self)
    }

    /// The folder `MAILLAGE_FIXTURES` names, when it is set and exists.
    public static var conformanceDirectory: URL? {
        guard let value = ProcessInfo.processInfo.environment["MAILLAGE_FIXTURES"], !value.isEmpty else { return nil }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: value, isDirectory: &isDirectory), isDirectory.boolValue else { return nil }
        return URL(fileURLWithPath: value, isDirectory: true)
    }

    public static var conformanceAvailable: Bool { conformanceDirectory != nil }

    /// Why a conformance test is skipped, shown next to it.
    public static let conformanceSkipReason = "needs MAILLAGE_FIXTURES: the folder of third-party standard documents"

    public static func conformance(_ path: String) throws -> Data {
        guard let directory = conformanceDirectory else { throw Missing(path: path) }
        return try Data(contentsOf: directory.appendingPathComponent(path))
    }

    struct Missing: Error, CustomStringConvertible {
        var path: String
        var description: String { "\(path): MAILLAGE_FIXTURES is not set" }
    }

    private static var documents: URL {
        Bundle.module.resourceURL!.appendingPathComponent("documents")
    }
}
