import MaillageCore

/// Why the safe fetcher did not bring a document back. Each reason has words for the person who
/// gave the address; a feature turns it into its own answer with `domainError(field:)`.
enum FetchRefusal: Error, Sendable, Hashable {
    /// Only http and https: other schemes (file, ftp, gopher…) reach what a web client should not.
    case schemeNotAllowed(String)
    /// `user:password@host`: credentials in an address are refused rather than sent anywhere.
    case credentialsInAddress
    /// Not an absolute web address, or a host written in none of the canonical forms.
    case invalidAddress
    /// The host is, or resolves to, an address on the machine or a private or reserved network.
    case addressNotAllowed(host: String)
    case tooManyRedirects(limit: Int)
    /// The document is longer than the caller's limit, in bytes.
    case tooLarge(limit: Int)
    case timedOut
    /// The remote server answered, but not with a document (4xx, 5xx, a 3xx without a target).
    case httpStatus(Int)
    /// No address for the name, or no connection to any of its addresses.
    case unreachable(host: String)

    var code: String {
        switch self {
        case .schemeNotAllowed: "fetch_scheme_not_allowed"
        case .credentialsInAddress: "fetch_credentials_in_address"
        case .invalidAddress: "fetch_invalid_address"
        case .addressNotAllowed: "fetch_address_not_allowed"
        case .tooManyRedirects: "fetch_too_many_redirects"
        case .tooLarge: "fetch_too_large"
        case .timedOut: "fetch_timed_out"
        case .httpStatus: "fetch_http_status"
        case .unreachable: "fetch_unreachable"
        }
    }

    var message: Localized {
        switch self {
        case .schemeNotAllowed(let scheme):
            Localized(fr: "Seules les adresses http et https peuvent être lues (pas « \(scheme) »).",
                      en: "Only http and https addresses can be fetched (not “\(scheme)”).")
        case .credentialsInAddress:
            Localized(fr: "Une adresse qui contient un identifiant ou un mot de passe (nom:mot@…) n’est pas acceptée.",
                      en: "An address that contains a user name or password (name:word@…) is not accepted.")
        case .invalidAddress:
            Localized(fr: "Ce n’est pas une adresse web valide.", en: "This is not a valid web address.")
        case .addressNotAllowed(let host):
            Localized(fr: "L’adresse « \(host) » mène à un réseau privé ou réservé : elle n’est pas lue.",
                      en: "“\(host)” leads to a private or reserved network: it is not fetched.")
        case .tooManyRedirects(let limit):
            Localized(fr: "L’adresse redirige trop de fois (plus de \(limit)).",
                      en: "The address redirects too many times (more than \(limit)).")
        case .tooLarge(let limit):
            Localized(fr: "Le document dépasse la taille permise (\(Self.size(limit, .fr))).",
                      en: "The document is larger than allowed (\(Self.size(limit, .en))).")
        case .timedOut:
            Localized(fr: "Le serveur distant a mis trop de temps à répondre.",
                      en: "The remote server took too long to answer.")
        case .httpStatus(let status):
            Localized(fr: "Le serveur distant n’a pas rendu le document (réponse HTTP \(status)).",
                      en: "The remote server did not return the document (HTTP answer \(status)).")
        case .unreachable(let host):
            Localized(fr: "Impossible de joindre « \(host) ».", en: "Could not reach “\(host)”.")
        }
    }

    /// The refusal as the app's one error shape (422: the address given cannot be used).
    func domainError(field: String? = nil) -> DomainError {
        DomainError(.invalid, code: code, field: field, fr: message.fr, en: message.en)
    }

    private static func size(_ bytes: Int, _ language: Language) -> String {
        if bytes >= 1_048_576 && bytes % 1_048_576 == 0 { return "\(bytes / 1_048_576) \(language == .fr ? "Mo" : "MB")" }
        if bytes >= 1_024 { return "\(bytes / 1_024) \(language == .fr ? "Ko" : "KB")" }
        return "\(bytes) \(language == .fr ? "octets" : "bytes")"
    }
}
