import Foundation
import MaillageCore

/// The membership request's fields as a form sends them (the cooperative's page, an invitation,
/// the board's invitation form): read once, refused with the same words everywhere.
enum MembershipRequestFields {
    /// The number of shares typed; 0 for a cooperative without share capital.
    static func shares(_ text: String?, in coop: Cooperative) throws -> Int {
        guard coop.form.hasShareCapital else { return 0 }
        guard let parsed = Int((text ?? "").trimmingCharacters(in: .whitespaces)) else {
            throw DomainError(.invalid, code: "invalid_shares", field: "shares",
                              fr: "Indiquez un nombre entier de parts, par exemple 1.", en: "Give a whole number of shares, for example 1.")
        }
        return parsed
    }

    /// The college chosen, nil when none; an unknown one is refused.
    static func college(_ text: String?) throws -> UUID? {
        let text = text ?? ""
        if text.isEmpty { return nil }
        guard let id = UUID(uuidString: text) else { throw Joining.unknownCollege }
        return id
    }
}
