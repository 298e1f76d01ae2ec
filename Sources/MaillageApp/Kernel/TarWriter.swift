import Foundation

/// A minimal POSIX ustar writer: enough for a handful of small files, no dependency. The data
/// export and the proofs of delivery are packed with it.
struct TarWriter {
    private var data = Data()

    mutating func add(_ path: String, _ content: Data) {
        var header = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int, length: Int) {
            for (index, byte) in text.utf8.prefix(length).enumerated() { header[offset + index] = byte }
        }
        put(path, at: 0, length: 100)
        put("0000644", at: 100, length: 8)
        put("0000000", at: 108, length: 8)
        put("0000000", at: 116, length: 8)
        put(String(format: "%011o", content.count), at: 124, length: 12)
        put(String(format: "%011o", Int(Date().timeIntervalSince1970)), at: 136, length: 12)
        put("        ", at: 148, length: 8)
        header[156] = UInt8(ascii: "0")
        put("ustar", at: 257, length: 6)
        put("00", at: 263, length: 2)
        let checksum = header.reduce(0) { $0 + Int($1) }
        put(String(format: "%06o", checksum) + "\0 ", at: 148, length: 8)
        data.append(contentsOf: header)
        data.append(content)
        let padding = (512 - content.count % 512) % 512
        data.append(contentsOf: [UInt8](repeating: 0, count: padding))
    }

    mutating func finish() -> Data {
        data.append(contentsOf: [UInt8](repeating: 0, count: 1024))
        return data
    }
}
