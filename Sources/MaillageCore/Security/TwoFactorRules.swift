/// The words and shapes of the second factor: recovery codes and the refusals a person may meet.
public enum TwoFactorRules {
    /// Ten codes, each good once: enough for a lost phone and a few trips without it.
    public static let recoveryCodeCount = 10
    public static let trustedDeviceDays = 30
    /// Time to type the code after the password, before starting again.
    public static let pendingLoginSeconds: Int64 = 5 * 60

    /// Letters and digits that cannot be mistaken for one another (no i, l, o, u, 0, 1).
    static let alphabet = Array("abcdefghjkmnpqrstvwxyz23456789".utf8)

    /// A recovery code from ten random bytes: "xxxxx-xxxxx" (about 49 bits).
    public static func recoveryCode(from random: [UInt8]) -> String {
        precondition(random.count >= 10)
        let letters = random.prefix(10).map { Character(UnicodeScalar(alphabet[Int($0) % alphabet.count])) }
        return String(letters.prefix(5)) + "-" + String(letters.suffix(5))
    }

    /// What was typed, in the form that is hashed: lower case, without spaces or dashes.
    public static func normalizedRecoveryCode(_ typed: String) -> String? {
        let kept = typed.lowercased().filter { !$0.isWhitespace && $0 != "-" }
        guard kept.count == 10, kept.utf8.allSatisfy({ alphabet.contains($0) }) else { return nil }
        return kept
    }

    public static let wrongCode = DomainError(.invalid, code: "two_factor_wrong_code", field: "code",
        fr: "Ce code ne convient pas. Tapez les 6 chiffres que montre votre application maintenant (ou un code de secours non utilisé).",
        en: "This code does not work. Type the 6 digits your app shows now (or an unused recovery code).")
    public static let wrongEnrolmentCode = DomainError(.invalid, code: "two_factor_wrong_code", field: "code",
        fr: "Ce code ne convient pas. Vérifiez que l’heure de votre téléphone est juste, puis tapez les 6 chiffres que l’application montre maintenant.",
        en: "This code does not work. Check that your phone’s clock is right, then type the 6 digits the app shows now.")
    public static let alreadyEnabled = DomainError(.conflict, code: "two_factor_enabled",
        fr: "La double authentification est déjà active sur ce compte.", en: "Two-factor authentication is already on for this account.")
    public static let notStarted = DomainError(.conflict, code: "two_factor_not_started",
        fr: "Commencez par « Activer la double authentification » : le code à scanner a expiré ou n’a pas été créé.",
        en: "Start with “Turn on two-factor authentication”: the code to scan expired or was never made.")
    public static let pendingLoginGone = DomainError(.unauthorized, code: "two_factor_login_expired",
        fr: "Le délai pour taper le code est passé : reconnectez-vous avec votre mot de passe.",
        en: "The time to type the code ran out: log in again with your password.")
}
