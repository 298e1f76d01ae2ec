/// A QR code (ISO/IEC 18004) in byte mode at error correction level M, versions 1 to 10: enough
/// for an otpauth URI (up to 213 bytes), drawn by the server so no script or third party is needed.
public struct QRCode: Sendable, Equatable {
    public let version: Int
    public let mask: Int
    /// ISO/IEC 18004 section 7.8.3's score of this mask; the lowest of the eight is chosen.
    public let penalty: Int
    /// `modules[row][column]`, true for dark.
    public let modules: [[Bool]]
    public var size: Int { modules.count }

    public enum Failure: Error, Equatable { case tooLong(bytes: Int) }

    /// The smallest version that holds the bytes; the mask with the lowest penalty unless one is given.
    public static func encode(_ bytes: [UInt8], mask forcedMask: Int? = nil) throws(Failure) -> QRCode {
        guard let version = (1...10).first(where: { capacity(of: $0) >= bytes.count }) else { throw .tooLong(bytes: bytes.count) }
        let codewords = interleaved(dataCodewords(bytes, version: version), version: version)
        var grid = QRGrid(version: version)
        grid.drawFunctionPatterns()
        grid.drawCodewords(codewords)
        let masks = forcedMask.map { [$0] } ?? Array(0..<8)
        var best: (penalty: Int, grid: QRGrid, mask: Int)?
        for mask in masks {
            var candidate = grid
            candidate.apply(mask: mask)
            candidate.drawFormatBits(mask: mask)
            let penalty = candidate.penalty()
            if best == nil || penalty < best!.penalty { best = (penalty, candidate, mask) }
        }
        return QRCode(version: version, mask: best!.mask, penalty: best!.penalty, modules: best!.grid.modules)
    }

    // Level M, per version: error correction codewords per block, then the data codewords of each block
    // (ISO/IEC 18004 table 9).
    static let blocks: [Int: (ec: Int, data: [Int])] = [
        1: (10, [16]), 2: (16, [28]), 3: (26, [44]), 4: (18, [32, 32]), 5: (24, [43, 43]),
        6: (16, [27, 27, 27, 27]), 7: (18, [31, 31, 31, 31]), 8: (22, [38, 38, 39, 39]),
        9: (22, [36, 36, 36, 37, 37]), 10: (26, [43, 43, 43, 43, 44]),
    ]

    static func characterCountBits(_ version: Int) -> Int { version <= 9 ? 8 : 16 }

    /// Bytes that fit: data codewords less the mode indicator (4 bits) and the count.
    static func capacity(of version: Int) -> Int {
        (blocks[version]!.data.reduce(0, +) * 8 - 4 - characterCountBits(version)) / 8
    }

    /// Mode, count, bytes, terminator, padding to whole codewords, then the pad bytes 0xEC 0x11.
    static func dataCodewords(_ bytes: [UInt8], version: Int) -> [UInt8] {
        let total = blocks[version]!.data.reduce(0, +)
        var bits = BitBuffer()
        bits.append(0b0100, count: 4)
        bits.append(bytes.count, count: characterCountBits(version))
        for byte in bytes { bits.append(Int(byte), count: 8) }
        bits.append(0, count: min(4, total * 8 - bits.count))
        bits.append(0, count: (8 - bits.count % 8) % 8)
        var codewords = bits.bytes
        var pad: UInt8 = 0xEC
        while codewords.count < total { codewords.append(pad); pad = pad == 0xEC ? 0x11 : 0xEC }
        return codewords
    }

    /// Splits the data into blocks, adds each block's Reed–Solomon codewords, and interleaves them.
    static func interleaved(_ data: [UInt8], version: Int) -> [UInt8] {
        let layout = blocks[version]!
        let divisor = ReedSolomon.divisor(degree: layout.ec)
        var dataBlocks: [[UInt8]] = [], ecBlocks: [[UInt8]] = []
        var start = 0
        for length in layout.data {
            let block = Array(data[start..<start + length])
            start += length
            dataBlocks.append(block)
            ecBlocks.append(ReedSolomon.remainder(block, divisor: divisor))
        }
        var out: [UInt8] = []
        for i in 0..<layout.data.max()! { for block in dataBlocks where i < block.count { out.append(block[i]) } }
        for i in 0..<layout.ec { for block in ecBlocks { out.append(block[i]) } }
        return out
    }
}

struct BitBuffer {
    private(set) var bits: [Bool] = []
    var count: Int { bits.count }
    mutating func append(_ value: Int, count: Int) {
        for i in stride(from: count - 1, through: 0, by: -1) { bits.append((value >> i) & 1 == 1) }
    }
    var bytes: [UInt8] {
        stride(from: 0, to: bits.count, by: 8).map { start in
            (0..<8).reduce(UInt8(0)) { acc, i in acc << 1 | ((start + i < bits.count && bits[start + i]) ? 1 : 0) }
        }
    }
}

/// Reed–Solomon over GF(256) with the QR polynomial x⁸ + x⁴ + x³ + x² + 1 and generator roots α⁰…α^(n-1).
enum ReedSolomon {
    static func multiply(_ x: UInt8, _ y: UInt8) -> UInt8 {
        var z = 0
        for i in stride(from: 7, through: 0, by: -1) {
            z = (z << 1) ^ ((z >> 7) * 0x11D)
            z ^= ((Int(y) >> i) & 1) * Int(x)
        }
        return UInt8(z)
    }

    /// The generator polynomial's coefficients, highest degree first, the leading 1 left out.
    static func divisor(degree: Int) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: degree)
        result[degree - 1] = 1
        var root: UInt8 = 1
        for _ in 0..<degree {
            for j in 0..<degree {
                result[j] = multiply(result[j], root)
                if j + 1 < degree { result[j] ^= result[j + 1] }
            }
            root = multiply(root, 0x02)
        }
        return result
    }

    static func remainder(_ data: [UInt8], divisor: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: divisor.count)
        for byte in data {
            let factor = byte ^ result.removeFirst()
            result.append(0)
            for i in result.indices { result[i] ^= multiply(divisor[i], factor) }
        }
        return result
    }
}
