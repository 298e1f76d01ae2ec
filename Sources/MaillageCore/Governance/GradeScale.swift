/// The words of a majority-judgment ballot, worst first: grade 0 is always « À rejeter ».
/// The six-grade scale is the one Balinski and Laraki tested at Orsay in the 2007 French
/// presidential election; MieuxVoter adds « Excellent » on top for seven.
public struct GradeScale: Sendable, Hashable {
    public let labels: [Localized]

    public init(labels: [Localized]) {
        self.labels = labels
    }

    public var count: Int { labels.count }

    /// A scale longer than this is no longer a judgment a person makes in words.
    public static let maximumGrades = 20

    public static let sevenGrades = GradeScale(labels: [
        Localized(fr: "À rejeter", en: "To reject"),
        Localized(fr: "Insuffisant", en: "Poor"),
        Localized(fr: "Passable", en: "Fair"),
        Localized(fr: "Assez bien", en: "Fairly good"),
        Localized(fr: "Bien", en: "Good"),
        Localized(fr: "Très bien", en: "Very good"),
        Localized(fr: "Excellent", en: "Excellent"),
    ])

    public static let sixGrades = GradeScale(labels: Array(sevenGrades.labels.dropLast()))

    /// The default scale of a vote.
    public static let standard = sevenGrades

    /// The named scale with this many grades, if there is one.
    public static func named(grades: Int) -> GradeScale? {
        switch grades {
        case 7: sevenGrades
        case 6: sixGrades
        default: nil
        }
    }

    static func validate(grades: Int) throws(DomainError) {
        guard (2...maximumGrades).contains(grades) else { throw .gradeScale(grades) }
    }
}
