import Foundation
import MaillageCore
import Vapor

/// Applies each page form once (`FormSubmissions`): a post whose key was already applied is not
/// run again but sent, with a 303, where the first one led (or back to the form's page), with a
/// line saying it was taken into account once. A refused post frees its key. Runs after the CSRF
/// check, on page routes only: the JSON API has `Idempotency-Key` where it matters.
struct FormOnceMiddleware: AsyncMiddleware {
    static let alreadySent = Localized(fr: "Ce formulaire avait déjà été envoyé : il n’a été pris en compte qu’une fois.",
                                       en: "This form had already been sent: it was taken into account once.")

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard req.method == .POST, let key = Self.key(req) else { return try await next.respond(to: req) }
        // The session the form was drawn for (a form needs one: its CSRF token lives there).
        let owner = req.session.id?.string ?? ""
        var claim = try await FormSubmissions.claim(key, owner: owner, on: req.db)
        // A double click: the first post is being applied; wait for it (briefly) to send the second where it went.
        var waited = 0
        while claim == .running, waited < 50 {
            try await Task.sleep(for: .milliseconds(100))
            waited += 1
            claim = try await FormSubmissions.claim(key, owner: owner, on: req.db)
        }
        switch claim {
        case .first:
            let response: Response
            do { response = try await next.respond(to: req) } catch {
                try? await FormSubmissions.release(key, on: req.db)
                throw error
            }
            if response.status.code < 400 {
                try await FormSubmissions.finish(key, location: response.headers.first(name: .location), on: req.db)
            } else {
                try await FormSubmissions.release(key, on: req.db)
            }
            return response
        case .done(let location):
            req.flash(Self.alreadySent)
            return req.redirect(to: location ?? Layout.returnPath(req), redirectType: .normal)
        case .running:
            req.flash(Localized(fr: "Ce formulaire est encore en cours d’enregistrement ; vérifiez le résultat dans un instant.",
                                en: "This form is still being saved; check the result in a moment."))
            return req.redirect(to: Layout.returnPath(req), redirectType: .normal)
        }
    }

    /// The form's key, from a url-encoded or multipart body (already collected by the CSRF check).
    static func key(_ req: Request) -> String? {
        let sent = (try? req.content.get(String.self, at: FormSubmissions.field)) ?? CSRFMiddleware.plainField(req, named: FormSubmissions.field)
        return sent.flatMap { FormSubmissions.isWellFormed($0) ? $0 : nil }
    }
}
