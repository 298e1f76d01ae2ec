/// Walks an option's majority value — its lower median, then the lower median of what is left
/// once that grade is removed, and so on (Balinski & Laraki, *Majority Judgment*, MIT Press 2011,
/// ch. 13) — by stretches instead of one judge at a time, so comparing two options costs
/// O(number of grades) whatever the number of judges.
///
/// The sorted judgments split into a lower part [0, a) and an upper part of size s. The next
/// median is the top of the lower part when a ≥ s, else the bottom of the upper part. After the
/// first step the walk alternates low, high, low… (or high, low…), so while neither boundary grade
/// runs out the sequence is periodic with period 2: a "stretch".
struct MajorityValueWalk {
    private let tally: [Int64]
    private var low = 0, lowLeft: Int64 = 0     // top grade of the lower part, and how many remain
    private var high = 0, highLeft: Int64 = 0   // bottom grade of the upper part, and how many remain
    private var a: Int64 = 0, s: Int64 = 0      // sizes of the lower and upper parts

    init(_ tally: [Int64]) {
        self.tally = tally
        let n = tally.reduce(0, +)
        a = (n + 1) / 2
        s = n - a
        var below: Int64 = 0
        for (grade, count) in tally.enumerated() where count > 0 {
            if a > 0 && below < a && below + count >= a { low = grade; lowLeft = a - below }
            if s > 0 && below <= a && below + count > a { high = grade; highLeft = below + count - a }
            below += count
        }
    }

    /// The next stretch: `length` steps reading first, second, first, second…
    func stretch() -> (first: Int, second: Int, length: Int64) {
        let remaining = a + s
        if remaining == 0 { return (0, 0, 0) }
        if a - s == 1 { return (low, high, 1) }             // odd start: low, then low again
        if a >= s {                                         // low, high, low…
            return (low, high, min(2 * lowLeft - 1, s > 0 ? 2 * highLeft : 1, remaining))
        }
        return (high, low, min(2 * highLeft - 1, a > 0 ? 2 * lowLeft : 1, remaining))
    }

    /// Removes the next `steps` medians; `steps` never exceeds the current stretch.
    mutating func advance(_ steps: Int64) {
        let lowFirst = a >= s
        let takenLow = a - s == 1 ? 1 : (lowFirst ? (steps + 1) / 2 : steps / 2)
        let takenHigh = steps - takenLow
        a -= takenLow; lowLeft -= takenLow
        s -= takenHigh; highLeft -= takenHigh
        if lowLeft == 0 && a > 0 {
            repeat { low -= 1 } while tally[low] == 0
            lowLeft = tally[low]
        }
        if highLeft == 0 && s > 0 {
            repeat { high += 1 } while tally[high] == 0
            highLeft = tally[high]
        }
    }

    /// The sign of (majority value of x) − (majority value of y), compared lexicographically.
    static func compare(_ x: [Int64], _ y: [Int64]) -> Int {
        var p = MajorityValueWalk(x), q = MajorityValueWalk(y)
        while true {
            let u = p.stretch(), v = q.stretch()
            let length = min(u.length, v.length)
            if length == 0 { return 0 }
            if u.first != v.first { return u.first < v.first ? -1 : 1 }
            if length >= 2 && u.second != v.second { return u.second < v.second ? -1 : 1 }
            p.advance(length)
            q.advance(length)
        }
    }
}
