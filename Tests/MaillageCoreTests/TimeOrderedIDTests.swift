import Foundation
import MaillageCore
import Testing

@Suite struct TimeOrderedIDTests {
    /// Byte order, the way SQLite compares a BLOB and PostgreSQL a `uuid`.
    private func bytes(_ id: UUID) -> [UInt8] { withUnsafeBytes(of: id.uuid) { Array($0) } }
    private func sorted(_ ids: [UUID]) -> Bool {
        zip(ids, ids.dropFirst()).allSatisfy { bytes($0).lexicographicallyPrecedes(bytes($1)) }
    }

    @Test func idsMadeInALaterMillisecondSortAfter() {
        // setup
        var generator = TimeOrderedID(), random = SystemRandomNumberGenerator()
        let start = Date(timeIntervalSince1970: 1_764_000_000)
        // act
        let ids = (0..<1_000).map { generator.next(at: start.addingTimeInterval(Double($0) / 1000), using: &random) }
        // check
        #expect(sorted(ids))
        // Two generators (two processes): the later millisecond still sorts after.
        var one = TimeOrderedID(), other = TimeOrderedID()
        #expect(sorted([one.next(at: start, using: &random), other.next(at: start.addingTimeInterval(0.002), using: &random)]))
        // The clock stepping back does not make an id sort before the ones already made.
        let afterStepBack = generator.next(at: Date(timeIntervalSince1970: 1), using: &random)
        #expect(sorted([ids[999], afterStepBack]))
    }

    @Test func idsMadeWithinOneMillisecondStillRiseAndStayUnique() {
        // setup
        var generator = TimeOrderedID(), random = SystemRandomNumberGenerator()
        let now = Date(timeIntervalSince1970: 1_764_000_000.123)
        // act: more ids than the 12-bit counter holds in one millisecond
        let ids = (0..<10_000).map { _ in generator.next(at: now, using: &random) }
        // check
        #expect(sorted(ids))
        #expect(Set(ids).count == ids.count)
    }

    @Test func theProcessGeneratorMakesUniqueRisingIdsAcrossThreads() async {
        // act
        let batches = await withTaskGroup(of: [UUID].self) { group in
            for _ in 0..<8 { group.addTask { (0..<5_000).map { _ in TimeOrderedID.make() } } }
            var all: [[UUID]] = []
            for await batch in group { all.append(batch) }
            return all
        }
        // check
        #expect(batches.allSatisfy { sorted($0) })
        #expect(Set(batches.joined()).count == 40_000)
    }

    @Test func idsCarryTheVersion7AndVariantBitsAndTheirMillisecond() {
        // setup
        var generator = TimeOrderedID(), random = SystemRandomNumberGenerator()
        let at = Date(timeIntervalSince1970: 1_764_000_000.5)
        // act
        let id = generator.next(at: at, using: &random)
        let raw = bytes(id)
        // check
        #expect(raw[6] >> 4 == 7)
        #expect(raw[8] >> 6 == 0b10)
        let milliseconds = raw[0..<6].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        #expect(milliseconds == 1_764_000_000_500)
        #expect(id.uuidString.lowercased().dropFirst(14).first == "7")
        #expect(TimeOrderedID.uuid(milliseconds: 0, counter: 0, random: .max).uuidString == "00000000-0000-7000-BFFF-FFFFFFFFFFFF")
    }
}
