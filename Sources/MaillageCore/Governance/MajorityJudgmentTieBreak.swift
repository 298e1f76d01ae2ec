/// Why, among options with the same majority grade, one ranks above another: the words a
/// results page shows, taken from the very walk the ranking uses (`MajorityValueWalk`).
public struct TieBreak: Sendable, Hashable {
    public let better: String
    public let worse: String
    /// The majority grade both share.
    public let sharedGrade: Int
    /// How many median judgments were taken from each before their medians differ; nil when
    /// their profiles are identical and they stay tied.
    public let removed: Int64?
    /// Their medians once they differ.
    public let betterGrade: Int, worseGrade: Int

    /// The explanation in words, with the grade names of the vote's scale.
    public func sentence(grades: Int) -> Localized {
        let scale = GradeScale.named(grades: grades)
        func name(_ grade: Int) -> Localized {
            scale.flatMap { $0.labels.indices.contains(grade) ? $0.labels[grade] : nil }
                ?? Localized(fr: "mention \(grade)", en: "grade \(grade)")
        }
        let shared = name(sharedGrade)
        guard let removed else {
            return Localized(fr: "« \(better) » et « \(worse) » ont exactement les mêmes mentions dans les mêmes proportions : elles restent à égalité.",
                             en: "“\(better)” and “\(worse)” received exactly the same grades in the same proportions: they stay tied.")
        }
        let up = name(betterGrade), down = name(worseGrade)
        let fr = removed == 1 ? "après 1 retrait" : "après \(removed) retraits"
        let en = removed == 1 ? "after 1 removal" : "after \(removed) removals"
        return Localized(
            fr: "« \(better) » et « \(worse) » ont la même mention majoritaire « \(shared.fr) ». On retire à chacune, une par une, sa mention médiane (règle de Balinski et Laraki) : \(fr), la médiane de « \(better) » est « \(up.fr) » et celle de « \(worse) » « \(down.fr) ». « \(better) » l’emporte.",
            en: "“\(better)” and “\(worse)” have the same majority grade, “\(shared.en)”. Their median grades are removed one at a time from each (the Balinski–Laraki rule): \(en), the median of “\(better)” is “\(up.en)” and that of “\(worse)” is “\(down.en)”. “\(better)” wins.")
    }
}

extension MajorityJudgment {
    /// Where two options' majority values first differ: after `removed` medians taken from each,
    /// their medians are `x` and `y`. Nil when the values are the same all the way (a tie).
    public static func firstDifference(_ x: [Int64], _ y: [Int64]) -> (removed: Int64, x: Int, y: Int)? {
        var p = MajorityValueWalk(x), q = MajorityValueWalk(y)
        var removed: Int64 = 0
        while true {
            let u = p.stretch(), v = q.stretch()
            let length = min(u.length, v.length)
            if length == 0 { return nil }
            if u.first != v.first { return (removed, u.first, v.first) }
            if length >= 2 && u.second != v.second { return (removed + 1, u.second, v.second) }
            p.advance(length)
            q.advance(length)
            removed += length
        }
    }

    /// Every place in a report's ranking where two neighbours share their majority grade: who
    /// wins the tie-break and why, or that they stay tied. Empty when the majority grades alone
    /// ordered the options.
    public static func tieBreaks(_ report: TallyReport.MajorityJudgment) -> [TieBreak] {
        let byName = Dictionary(report.options.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var out: [TieBreak] = []
        var previous: (option: TallyReport.MajorityJudgment.Option, group: Int)?
        for (group, names) in report.ranking.enumerated() {
            for name in names {
                guard let option = byName[name] else { continue }
                if let (before, beforeGroup) = previous, let grade = option.majorityGrade, before.majorityGrade == grade {
                    if beforeGroup == group {
                        out.append(TieBreak(better: before.name, worse: option.name, sharedGrade: grade, removed: nil,
                                            betterGrade: grade, worseGrade: grade))
                    } else if let difference = firstDifference(before.tally, option.tally) {
                        out.append(TieBreak(better: before.name, worse: option.name, sharedGrade: grade, removed: difference.removed,
                                            betterGrade: difference.x, worseGrade: difference.y))
                    }
                }
                previous = (option, group)
            }
        }
        return out
    }
}
