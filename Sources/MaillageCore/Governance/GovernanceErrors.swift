/// The ways a ballot file or a vote's set-up can be wrong, each named so a person can fix it.
/// Ballots are numbered from 1 in messages (as a person counts); `field` holds the JSON path.
extension DomainError {
    static let noOptions = DomainError(
        .invalid, code: "no_options", field: "options",
        fr: "Le vote n’a aucune option.", en: "The vote has no options.")

    static func blankOption(_ index: Int) -> DomainError {
        DomainError(.invalid, code: "blank_option", field: "options[\(index)]",
                    fr: "L’option n° \(index + 1) n’a pas de nom.",
                    en: "Option no. \(index + 1) has no name.")
    }

    static func duplicateOption(_ name: String) -> DomainError {
        DomainError(.invalid, code: "duplicate_option", field: "options",
                    fr: "L’option « \(name) » apparaît deux fois.",
                    en: "The option “\(name)” appears twice.")
    }

    static func unknownOption(_ name: String, ballot: Int) -> DomainError {
        DomainError(.invalid, code: "unknown_option", field: "ballots[\(ballot)]",
                    fr: "Le bulletin n° \(ballot + 1) cite « \(name) », qui n’est pas une option du vote.",
                    en: "Ballot no. \(ballot + 1) names “\(name)”, which is not an option of the vote.")
    }

    static func optionOutOfRange(_ option: Int, options: Int, ballot: Int) -> DomainError {
        DomainError(.invalid, code: "unknown_option", field: "ballots[\(ballot)]",
                    fr: "Le bulletin n° \(ballot + 1) cite l’option \(option), hors de 0…\(options - 1).",
                    en: "Ballot no. \(ballot + 1) names option \(option), outside 0…\(options - 1).")
    }

    static func optionTwiceInBallot(_ name: String, ballot: Int) -> DomainError {
        DomainError(.invalid, code: "option_twice_in_ballot", field: "ballots[\(ballot)]",
                    fr: "Le bulletin n° \(ballot + 1) cite « \(name) » plus d’une fois.",
                    en: "Ballot no. \(ballot + 1) names “\(name)” more than once.")
    }

    static func ballotLength(ballot: Int, found: Int, expected: Int) -> DomainError {
        DomainError(.invalid, code: "ballot_length", field: "ballots[\(ballot)]",
                    fr: "Le bulletin n° \(ballot + 1) porte \(found) réponses au lieu de \(expected) (une par option).",
                    en: "Ballot no. \(ballot + 1) holds \(found) answers instead of \(expected) (one per option).")
    }

    static func gradeOutOfRange(_ grade: Int, grades: Int, ballot: Int) -> DomainError {
        DomainError(.invalid, code: "grade_out_of_range", field: "ballots[\(ballot)]",
                    fr: "Le bulletin n° \(ballot + 1) donne la mention \(grade), hors de l’échelle 0…\(grades - 1).",
                    en: "Ballot no. \(ballot + 1) gives grade \(grade), outside the scale 0…\(grades - 1).")
    }

    static func gradeScale(_ grades: Int) -> DomainError {
        DomainError(.invalid, code: "grade_scale", field: "grades",
                    fr: "L’échelle doit compter de 2 à \(GradeScale.maximumGrades) mentions, pas \(grades).",
                    en: "The scale must have 2 to \(GradeScale.maximumGrades) grades, not \(grades).")
    }

    static func tallyLength(option: Int, found: Int, expected: Int) -> DomainError {
        DomainError(.invalid, code: "tally_length", field: "tallies[\(option)]",
                    fr: "Le décompte de l’option n° \(option + 1) a \(found) cases au lieu de \(expected) (une par mention).",
                    en: "The tally of option no. \(option + 1) has \(found) counts instead of \(expected) (one per grade).")
    }

    static func tallyRows(found: Int, expected: Int) -> DomainError {
        DomainError(.invalid, code: "tally_rows", field: "tallies",
                    fr: "Il y a \(found) décomptes pour \(expected) options.",
                    en: "There are \(found) tallies for \(expected) options.")
    }

    static func negativeCount(field: String) -> DomainError {
        DomainError(.invalid, code: "negative_count", field: field,
                    fr: "Un nombre de voix ne peut pas être négatif (\(field)).",
                    en: "A number of votes cannot be negative (\(field)).")
    }

    static func countTooLarge(field: String) -> DomainError {
        DomainError(.invalid, code: "count_too_large", field: field,
                    fr: "Un nombre de voix est trop grand pour être compté (\(field)).",
                    en: "A number of votes is too large to count (\(field)).")
    }

    static func tooManyOptions(_ count: Int) -> DomainError {
        DomainError(.invalid, code: "too_many_options", field: "options",
                    fr: "Un vote compte au plus \(Tally.maximumOptions) options, pas \(count).",
                    en: "A vote has at most \(Tally.maximumOptions) options, not \(count).")
    }

    static let notExact = DomainError(
        .invalid, code: "weights_not_exact", field: "colleges",
        fr: "Les collèges sont trop nombreux et de tailles trop différentes pour un calcul exact.",
        en: "The colleges are too many and too different in size for an exact count.")

    static func blockWithoutReason() -> DomainError {
        DomainError(.invalid, code: "block_needs_reason", field: "reason",
                    fr: "Un blocage doit être motivé : dites ce qui rend la proposition inacceptable.",
                    en: "A block needs a reason: say what makes the proposal unacceptable.")
    }
}
