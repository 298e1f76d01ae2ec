import Foundation

/// A photo as uploaded (a product, an item to lend): recognised by its first bytes (never by the name or the type the
/// browser claims), then shrunk to at most 800 px and re-encoded as JPEG without metadata (no
/// GPS position of the farm leaks) by ImageMagick's `convert` from the Debian package.
struct UploadedPhoto: Sendable {
    let data: Data
    let type: String

    static let maximumSide = 800

    init?(_ data: Data) {
        let bytes = [UInt8](data.prefix(12))
        guard bytes.count >= 12 else { return nil }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { type = "image/jpeg" }
        else if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) { type = "image/png" }
        else if bytes.starts(with: Array("RIFF".utf8)), Array(bytes[8..<12]) == Array("WEBP".utf8) { type = "image/webp" }
        else { return nil }
        self.data = data
    }

    private init(data: Data, type: String) {
        self.data = data
        self.type = type
    }

    /// The photo at most `maximumSide` wide and high, as JPEG; the original when ImageMagick is
    /// missing or fails (it is still a checked image).
    func resized() -> UploadedPhoto {
        let tool = URL(fileURLWithPath: "/usr/bin/convert")
        guard FileManager.default.isExecutableFile(atPath: tool.path) else { return self }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("maillage-photo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let input = directory.appendingPathComponent("in"), output = directory.appendingPathComponent("out.jpg")
            try data.write(to: input)
            let process = Process()
            process.executableURL = tool
            process.arguments = [input.path + "[0]", "-auto-orient", "-resize", "\(Self.maximumSide)x\(Self.maximumSide)>", "-strip",
                                 "-quality", "82", "jpg:" + output.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { return self }
            let out = try Data(contentsOf: output)
            return out.isEmpty ? self : UploadedPhoto(data: out, type: "image/jpeg")
        } catch {
            return self
        }
    }
}
