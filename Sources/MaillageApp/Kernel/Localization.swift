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

    /// Only same-site paths, so the switcher cannot be used as an open redirect.
    static func safeReturnPath(_ raw: String?) -> String {
        guard let raw, raw.hasPrefix("/"), !raw.hasPrefix("//"), !raw.contains("\\"), raw.count < 500 else { return "/" }
        return raw
    }
}
