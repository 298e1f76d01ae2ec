import MaillageCore
import Vapor

/// Plot also names a `Language`; in this module the word means ours.
typealias Language = MaillageCore.Language

/// A page's words, French and English side by side where they are used: `t("Connexion", "Log in")`.
struct Translator: Sendable {
    let language: Language
    func callAsFunction(_ fr: String, _ en: String) -> String { language == .fr ? fr : en }
    func callAsFunction(_ text: Localized) -> String { text(language) }
}

extension Request {
    private struct LanguageKey: StorageKey { typealias Value = Language }

    /// The reader's language: their explicit choice (kept in the session), else `Accept-Language`, else French.
    var language: Language {
        get {
            if let cached = storage[LanguageKey.self] { return cached }
            let chosen = hasSession ? session.data["lang"].flatMap(Language.init(rawValue:)) : nil
            let language = chosen ?? Language.negotiate(acceptLanguage: headers.first(name: .acceptLanguage))
            storage[LanguageKey.self] = language
            return language
        }
        set { storage[LanguageKey.self] = newValue }
    }

    var t: Translator { Translator(language: language) }
}

/// `/lang/en?back=/c/paniers` remembers the choice and returns to the page; works without JavaScript.
enum LanguageSwitch {
    @Sendable static func choose(_ req: Request) async throws -> Response {
        guard let language = req.parameters.get("code").flatMap(Language.init(rawValue:)) else { throw Problem.notFound }
        req.session.data["lang"] = language.rawValue
        return req.redirect(to: safeReturnPath(req.query[String.self, at: "back"]))
    }

    /// Only same-site paths, so the switcher and the login's `next` cannot send anyone away.
    /// Browsers drop tabs and line breaks inside a URL ("/\t/evil.example" is followed as
    /// "//evil.example"), so control characters go first; what is left must read as a path of
    /// this host — no scheme, no host, no backslash.
    static func safeReturnPath(_ raw: String?) -> String {
        guard let raw, raw.count < 500 else { return "/" }
        let path = String(String.UnicodeScalarView(raw.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) }))
        guard path.hasPrefix("/"), !path.hasPrefix("//"), !path.contains("\\"),
              let parsed = URLComponents(string: path), parsed.scheme == nil, parsed.host == nil, parsed.path.hasPrefix("/")
        else { return "/" }
        return path
    }
}
