import Foundation

/// The width and height an image declares in its first bytes, read without decoding it: a
/// file of a few kilobytes may declare 50,000 × 50,000 pixels and take gigabytes to decode
/// (a decompression bomb). JPEG, PNG and WebP, the formats photos are accepted in.
public struct ImageHeader: Sendable, Hashable {
    public enum Format: String, Sendable { case jpeg, png, webp }

    public let format: Format
    public let width: Int
    public let height: Int

    /// The largest photo accepted before it is shrunk: 8,000 pixels a side, 40 megapixels.
    public static let maximumSide = 8_000
    public static let maximumPixels = 40_000_000

    public var isReasonable: Bool {
        width > 0 && height > 0 && width <= Self.maximumSide && height <= Self.maximumSide && width * height <= Self.maximumPixels
    }

    /// nil when the bytes are none of the three formats, or their size cannot be read.
    public init?(_ data: Data) {
        let bytes = [UInt8](data.prefix(256 * 1024))
        func u16be(_ i: Int) -> Int { i + 1 < bytes.count ? Int(bytes[i]) << 8 | Int(bytes[i + 1]) : -1 }
        func u16le(_ i: Int) -> Int { i + 1 < bytes.count ? Int(bytes[i]) | Int(bytes[i + 1]) << 8 : -1 }
        func u24le(_ i: Int) -> Int { i + 2 < bytes.count ? Int(bytes[i]) | Int(bytes[i + 1]) << 8 | Int(bytes[i + 2]) << 16 : -1 }
        func u32be(_ i: Int) -> Int { i + 3 < bytes.count ? Int(bytes[i]) << 24 | Int(bytes[i + 1]) << 16 | Int(bytes[i + 2]) << 8 | Int(bytes[i + 3]) : -1 }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), bytes.count >= 24, Array(bytes[12..<16]) == Array("IHDR".utf8) {
            // PNG: the first chunk is IHDR, width and height as 32-bit big-endian numbers.
            self.init(format: .png, width: u32be(16), height: u32be(20))
        } else if bytes.starts(with: [0xFF, 0xD8]) {
            // JPEG: walk the segments up to a start-of-frame marker, which carries the size.
            var i = 2
            while i + 9 < bytes.count {
                guard bytes[i] == 0xFF else { return nil }
                let marker = bytes[i + 1]
                if marker == 0xFF { i += 1; continue }
                if (0xC0...0xCF).contains(marker) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC {
                    self.init(format: .jpeg, width: u16be(i + 7), height: u16be(i + 5))
                    return
                }
                let length = u16be(i + 2)
                guard length >= 2 else { return nil }
                i += 2 + length
            }
            return nil
        } else if bytes.count >= 30, bytes.starts(with: Array("RIFF".utf8)), Array(bytes[8..<12]) == Array("WEBP".utf8) {
            switch String(decoding: bytes[12..<16], as: UTF8.self) {
            case "VP8 ": self.init(format: .webp, width: u16le(26) & 0x3FFF, height: u16le(28) & 0x3FFF)
            case "VP8L":
                let b = bytes.count > 24 ? (Int(bytes[21]) | Int(bytes[22]) << 8 | Int(bytes[23]) << 16 | Int(bytes[24]) << 24) : -1
                self.init(format: .webp, width: (b & 0x3FFF) + 1, height: ((b >> 14) & 0x3FFF) + 1)
            case "VP8X": self.init(format: .webp, width: u24le(24) + 1, height: u24le(27) + 1)
            default: return nil
            }
        } else {
            return nil
        }
    }

    public init(format: Format, width: Int, height: Int) {
        self.format = format
        self.width = width
        self.height = height
    }
}
