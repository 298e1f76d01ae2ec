import Foundation
import MaillageCore

/// A photo as uploaded (a product, an item to lend): recognised by its first bytes (never by the
/// name or the type the browser claims) and its declared size checked before anything decodes
/// it, then shrunk to at most 800 px and re-encoded as JPEG without metadata (no GPS position
/// of the farm leaks) by ImageMagick's `convert`. A photo that cannot be processed so is
/// refused, never stored as sent.
struct UploadedPhoto: Sendable {
    let data: Data
    let type: String

    static let maximumSide = 800
    /// ImageMagick from the Debian package; `IMAGE_CONVERTER` names another binary.
    static let defaultConverter = "/usr/bin/convert"
    /// Longest a conversion may take before the process is killed.
    static let timeout: TimeInterval = 20

    let header: ImageHeader

    init?(_ data: Data) {
        guard let header = ImageHeader(data) else { return nil }
        self.header = header
        self.data = data
        self.type = "image/" + header.format.rawValue
    }

    private init(converted data: Data, header: ImageHeader) {
        self.data = data
        self.type = "image/jpeg"
        self.header = header
    }

    static let tooLarge = DomainError(.invalid, code: "photo_too_large", field: "photo",
        fr: "Photo refusée : elle dépasse \(ImageHeader.maximumSide) pixels de côté ou \(ImageHeader.maximumPixels / 1_000_000) millions de pixels.",
        en: "Photo refused: it is larger than \(ImageHeader.maximumSide) pixels a side or \(ImageHeader.maximumPixels / 1_000_000) million pixels.")
    static let notProcessed = DomainError(.invalid, code: "photo_not_processed", field: "photo",
        fr: "Photo refusée : elle n’a pas pu être réduite et débarrassée de ses métadonnées (position GPS…). Essayez une autre photo.",
        en: "Photo refused: it could not be shrunk and stripped of its metadata (GPS position…). Try another photo.")
    static let noConverter = DomainError(.invalid, code: "photo_processing_unavailable", field: "photo",
        fr: "Les photos ne peuvent pas être traitées sur cette instance pour le moment : signalez-le à ses exploitants.",
        en: "Photos cannot be processed on this instance for now: tell its operators.")

    /// The photo at most `maximumSide` wide and high, as JPEG without metadata. Runs `convert`
    /// with its input format pinned, memory, area and time limits, and a process timeout, on a
    /// queue of its own (never the threads the database drivers use).
    func resized(converter: String = defaultConverter) async throws -> UploadedPhoto {
        guard header.isReasonable else { throw Self.tooLarge }
        guard FileManager.default.isExecutableFile(atPath: converter) else { throw Self.noConverter }
        let data = self.data, header = self.header
        return try await withCheckedThrowingContinuation { continuation in
            Self.queue.async {
                continuation.resume(with: Result { try Self.convert(data, header: header, converter: converter) })
            }
        }
    }

    private static let queue = DispatchQueue(label: "maillage.photos", qos: .utility, attributes: .concurrent)

    private static func convert(_ data: Data, header: ImageHeader, converter: String) throws -> UploadedPhoto {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("maillage-photo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let input = directory.appendingPathComponent("in"), output = directory.appendingPathComponent("out.jpg")
        try data.write(to: input)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: converter)
        // The format is the one the bytes were recognised as (`png:`…), never guessed again by
        // ImageMagick from the content: no other coder ever reads an upload.
        process.arguments = ["-limit", "memory", "256MiB", "-limit", "map", "512MiB", "-limit", "area", "64MP",
                             "-limit", "width", "\(ImageHeader.maximumSide)", "-limit", "height", "\(ImageHeader.maximumSide)",
                             "-limit", "time", "\(Int(timeout))",
                             "\(header.format.rawValue):\(input.path)[0]", "-auto-orient",
                             "-resize", "\(maximumSide)x\(maximumSide)>", "-strip", "-quality", "82", "jpg:" + output.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do { try process.run() } catch { throw noConverter }
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            _ = finished.wait(timeout: .now() + 2)
            throw notProcessed
        }
        guard process.terminationStatus == 0, let out = try? Data(contentsOf: output), let converted = ImageHeader(out),
              converted.format == .jpeg else { throw notProcessed }
        return UploadedPhoto(converted: out, header: converted)
    }
}
