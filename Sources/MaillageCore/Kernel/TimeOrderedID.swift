import Foundation

/// Time-ordered UUIDs, laid out as RFC 9562 version 7: 48 bits of Unix milliseconds, the version
/// nibble, a 12-bit counter within the millisecond, the variant bits, then 62 random bits.
///
/// Why: an id made later sorts after every earlier one byte for byte, the way SQLite compares a
/// BLOB and PostgreSQL a `uuid`, so a new row's key lands at the right edge of its B-tree instead
/// of on a random page. A group of transfers then dirties one or two pages of the primary key
/// rather than one each, and each commit writes and syncs fewer pages.
/// Ids stay unguessable enough for what UUIDs name here (62 random bits per id).
public struct TimeOrderedID: Sendable {
    private var lastMilliseconds: UInt64 = 0
    private var counter: UInt16 = 0

    public init() {}

    /// The next id at `date`: later than every id this generator made before, even when the clock
    /// steps back or more than 4 096 ids are asked within one millisecond (the time field then runs
    /// ahead of the clock by a millisecond, as RFC 9562 § 6.2 allows).
    public mutating func next<R: RandomNumberGenerator>(at date: Date, using random: inout R) -> UUID {
        let now = UInt64(max(0, (date.timeIntervalSince1970 * 1000).rounded(.down)))
        if now > lastMilliseconds {
            lastMilliseconds = now
            counter = 0
        } else if counter < 0xFFF {
            counter += 1
        } else {
            lastMilliseconds += 1
            counter = 0
        }
        return Self.uuid(milliseconds: lastMilliseconds, counter: counter, random: random.next())
    }

    /// The id made of these parts; `milliseconds` keeps its low 48 bits, `counter` its low 12,
    /// `random` its low 62.
    public static func uuid(milliseconds: UInt64, counter: UInt16, random: UInt64) -> UUID {
        let ms = milliseconds & 0xFFFF_FFFF_FFFF, count = counter & 0xFFF
        var id: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &id) { bytes in
            for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: ms >> (40 - 8 * index)) }
            bytes[6] = 0x70 | UInt8(truncatingIfNeeded: count >> 8)
            bytes[7] = UInt8(truncatingIfNeeded: count)
            for index in 8..<16 { bytes[index] = UInt8(truncatingIfNeeded: random >> (120 - 8 * index)) }
            bytes[8] = 0x80 | bytes[8] & 0x3F
        }
        return UUID(uuid: id)
    }

    /// A new id now, from the process's one generator, so the ids this process makes rise.
    public static func make() -> UUID { shared.next() }

    private static let shared = Shared()

    /// The process's generator behind a lock (ids are made on many threads at once).
    private final class Shared: @unchecked Sendable {
        private let lock = NSLock()
        private var generator = TimeOrderedID()
        private var random = SystemRandomNumberGenerator()

        func next() -> UUID {
            lock.lock(); defer { lock.unlock() }
            return generator.next(at: Date(), using: &random)
        }
    }
}
