import Fluent
import Foundation
import MaillageCore
import SQLKit

/// The case diary: who called whom, when, what was said; the moves of the case are written in it
/// too, so the next coordinator on the phone reads the whole story.
enum SolidarityDiary {
    enum Kind: String, CaseIterable { case call, note, ask, answer, status

        var label: Localized {
            switch self {
            case .call: Localized(fr: "Appel", en: "Call")
            case .note: Localized(fr: "Note", en: "Note")
            case .ask: Localized(fr: "Sollicitation", en: "Asked")
            case .answer: Localized(fr: "Réponse", en: "Answer")
            case .status: Localized(fr: "Étape", en: "Step")
            }
        }
    }

    struct Entry: Decodable, Sendable {
        var by_id: UUID?
        /// The volunteer an ask or an answer is about: named as they are now, so an erased
        /// account leaves only its pseudonym in the diary.
        var about_id: UUID?
        var kind: String
        var with_whom: String
        var note: String
        var at: Date
    }

    static func write(_ request: UUID, kind: Kind, by person: UUID?, about volunteer: UUID? = nil, withWhom: String = "", note: String,
                      at: Date = Date(), on db: any Database) async throws {
        try await db.sql.insert(into: Solidarity.diaryTable).columns("id", "request_id", "by_id", "about_id", "kind", "with_whom", "note", "at")
            .values(SQLBind(UUID()), SQLBind(request), SQLBind(person), SQLBind(volunteer), SQLBind(kind.rawValue), SQLBind(withWhom),
                    SQLBind(note), SQLBind(at)).run()
    }

    /// A coordinator's entry from the form: a call needs whom, any entry needs what was said.
    static func record(_ request: UUID, kind: String, withWhom: String, note: String, by person: UUID, on db: any Database) async throws {
        var errors = ValidationErrors()
        let entryKind = Kind(rawValue: kind).flatMap { [.call, .note].contains($0) ? $0 : nil }
        if entryKind == nil { errors.add(CarpoolErrors.unknownChoice("kind")) }
        let whom = withWhom.trimmingCharacters(in: .whitespacesAndNewlines), text = note.trimmingCharacters(in: .whitespacesAndNewlines)
        if entryKind == .call && whom.isEmpty {
            errors.add(DomainError(.invalid, code: "whom_required", field: "with_whom", fr: "Dites qui a été appelé·e.", en: "Say who was called."))
        }
        if text.isEmpty || text.count > 2_000 {
            errors.add(DomainError(.invalid, code: "note_required", field: "note",
                                   fr: "Écrivez ce qui a été dit (2 000 caractères au plus).", en: "Write what was said (2,000 characters at most)."))
        }
        try errors.throwIfAny()
        try await write(request, kind: entryKind!, by: person, withWhom: String(whom.prefix(120)), note: text, on: db)
    }

    static func entries(of request: UUID, on db: any Database) async throws -> [Entry] {
        try await db.sql.select().columns("by_id", "about_id", "kind", "with_whom", "note", "at").from(Solidarity.diaryTable)
            .where("request_id", .equal, SQLBind(request)).orderBy("at").all(decoding: Entry.self)
    }
}
