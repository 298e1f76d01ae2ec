import Foundation
import MaillageCore
import Testing

@Suite struct ImageHeaderTests {
    @Test func theSizeIsReadFromEachFormatsHeader() throws {
        let png = try #require(Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="))
        #expect(ImageHeader(png) == ImageHeader(format: .png, width: 1, height: 1))
        // A JPEG: SOI, an APP0 segment, then a baseline frame of 640 × 480.
        var jpeg = Data([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10]) + Data("JFIF\0".utf8) + Data(repeating: 0, count: 9)
        jpeg += Data([0xFF, 0xC0, 0x00, 0x11, 0x08, 0x01, 0xE0, 0x02, 0x80, 0x03]) + Data(repeating: 0, count: 9)
        #expect(ImageHeader(jpeg) == ImageHeader(format: .jpeg, width: 640, height: 480))
        // A WebP (VP8X): canvas 1200 × 800, stored minus one on 24 bits.
        var webp = Data("RIFF".utf8) + Data([0, 0, 0, 0]) + Data("WEBPVP8X".utf8) + Data([10, 0, 0, 0, 0, 0, 0, 0])
        webp += Data([0xAF, 0x04, 0x00, 0x1F, 0x03, 0x00])
        #expect(ImageHeader(webp) == ImageHeader(format: .webp, width: 1_200, height: 800))
        #expect(ImageHeader(Data("GIF89a not accepted".utf8)) == nil)
        #expect(ImageHeader(Data([0xFF, 0xD8, 0xFF])) == nil, "a truncated JPEG has no size")
    }

    @Test func anImageOfMoreThanFortyMillionPixelsIsNotReasonable() {
        #expect(ImageHeader(format: .png, width: 8_000, height: 5_000).isReasonable)
        #expect(!ImageHeader(format: .png, width: 8_000, height: 5_001).isReasonable)
        #expect(!ImageHeader(format: .jpeg, width: 8_001, height: 10).isReasonable)
        #expect(!ImageHeader(format: .webp, width: 0, height: 10).isReasonable)
    }
}
