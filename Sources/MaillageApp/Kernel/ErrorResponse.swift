import MaillageCore
import Vapor

/// The one error shape of the JSON API: `{"error": {"code", "message", "field"?}}`.
struct ErrorBody: Content {
    struct Detail: Content {
        var code: String
        var message: String
        var field: String?
    }
    var error: Detail
}

extension DomainError: AbortError {
    public var status: HTTPResponseStatus {
        switch kind {
        case .invalid: .unprocessableEntity
        case .notFound: .notFound
        case .forbidden: .forbidden
        case .conflict: .conflict
        case .unauthorized: .unauthorized
        case .tooManyRequests: .tooManyRequests
        }
    }
    public var reason: String { message.en }
}

extension ValidationErrors: AbortError {
    public var status: HTTPResponseStatus { errors.first?.status ?? .unprocessableEntity }
    public var reason: String { errors.map(\.message.en).joined(separator: " ") }
}

/// Common errors, worded once.
enum Problem {
    static let notFound = DomainError(.notFound, code: "not_found",
                                      fr: "Cette page ou cette ressource n’existe pas.",
                                      en: "This page or resource does not exist.")
    static let signInRequired = DomainError(.unauthorized, code: "unauthorized",
                                            fr: "Connectez-vous pour continuer.",
                                            en: "Sign in to continue.")
    static let forbidden = DomainError(.forbidden, code: "forbidden",
                                       fr: "Vous n’avez pas le droit de faire cela.",
                                       en: "You are not allowed to do this.")
    static func notFound(_ what: Localized, field: String? = nil) -> DomainError {
        DomainError(.notFound, code: "not_found", field: field,
                    fr: "\(what.fr) introuvable.", en: "\(what.en) not found.")
    }
}

/// Turns any error into a clear 4xx answer (or, for a real bug, a 500 that says so and is logged):
/// JSON under `/api`, an HTML page elsewhere, always in the person's language.
struct MaillageErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let described = describe(error, language: request.language)
            if described.status.code >= 500 {
                request.logger.report(error: error)
            } else {
                request.logger.debug("request refused", metadata: ["code": .string(described.code), "status": "\(described.status.code)"])
            }
            let response: Response
            if request.url.path.hasPrefix("/api") || request.prefersJSON {
                response = Response(status: described.status)
                try response.content.encode(ErrorBody(error: .init(code: described.code, message: described.message, field: described.field)))
            } else {
                response = ErrorPage.render(request, status: described.status, message: described.message)
            }
            if let abort = error as? any AbortError {
                for (name, value) in abort.headers where name.lowercased() != "content-type" {
                    response.headers.replaceOrAdd(name: name, value: value)
                }
            }
            return response
        }
    }

    struct Described {
        var status: HTTPResponseStatus
        var code: String
        var message: String
        var field: String?
    }

    func describe(_ error: any Error, language: Language) -> Described {
        switch error {
        case let domain as DomainError:
            return Described(status: domain.status, code: domain.code, message: domain.message(language), field: domain.field)
        case let many as ValidationErrors:
            let first = many.errors.first ?? Problem.notFound
            let all = many.errors.map { $0.message(language) }.joined(separator: " ")
            return Described(status: first.status, code: first.code, message: all, field: first.field)
        case let decoding as DecodingError:
            return describe(decoding, language: language)
        case let abort as any AbortError:
            return describe(abort, language: language)
        default:
            return Described(status: .internalServerError, code: "internal_error",
                             message: language == .fr ? "Une erreur inattendue s’est produite ; elle a été consignée."
                                                      : "An unexpected error occurred; it has been logged.")
        }
    }

    private func describe(_ error: DecodingError, language: Language) -> Described {
        func path(_ context: DecodingError.Context, _ key: (any CodingKey)? = nil) -> String? {
            let keys = context.codingPath + (key.map { [$0] } ?? [])
            let joined = keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
            return joined.isEmpty ? nil : joined
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context, key) ?? key.stringValue
            return Described(status: .unprocessableEntity, code: "missing_field",
                             message: language == .fr ? "Le champ « \(field) » est obligatoire." : "The field “\(field)” is required.",
                             field: field)
        case .valueNotFound(_, let context), .typeMismatch(_, let context):
            let field = path(context)
            return Described(status: .unprocessableEntity, code: "invalid_field",
                             message: language == .fr ? "Le champ « \(field ?? "?") » n’a pas le bon type ou est vide."
                                                      : "The field “\(field ?? "?")” has the wrong type or is empty.",
                             field: field)
        case .dataCorrupted(let context):
            let field = path(context)
            if field == nil {
                return Described(status: .badRequest, code: "malformed_body",
                                 message: language == .fr ? "Le corps de la requête n’est pas un JSON valide." : "The request body is not valid JSON.")
            }
            return Described(status: .unprocessableEntity, code: "invalid_field",
                             message: language == .fr ? "La valeur du champ « \(field!) » n’est pas valide." : "The value of “\(field!)” is not valid.",
                             field: field)
        @unknown default:
            return Described(status: .badRequest, code: "malformed_body", message: "Malformed body.")
        }
    }

    private func describe(_ error: any AbortError, language: Language) -> Described {
        let status = error.status
        let (code, fr, en): (String, String, String) = switch status.code {
        case 400: ("bad_request", "Requête invalide : \(error.reason)", "Bad request: \(error.reason)")
        case 401: ("unauthorized", "Connectez-vous pour continuer.", "Sign in to continue.")
        case 403: ("forbidden", "Vous n’avez pas le droit de faire cela.", "You are not allowed to do this.")
        case 404: ("not_found", "Cette page ou cette ressource n’existe pas.", "This page or resource does not exist.")
        case 405: ("method_not_allowed", "Méthode non permise ici.", "Method not allowed here.")
        case 413: ("payload_too_large", "Le contenu envoyé est trop volumineux.", "The content sent is too large.")
        case 415: ("unsupported_media_type", "Format de contenu non pris en charge : envoyez du JSON ou un formulaire.",
                   "Unsupported content type: send JSON or a form.")
        case 422: ("invalid_input", error.reason, error.reason)
        case 429: ("too_many_requests", "Trop de requêtes, réessayez plus tard.", "Too many requests, try again later.")
        default: (status.code >= 500 ? "internal_error" : "error", error.reason, error.reason)
        }
        return Described(status: status, code: code, message: language == .fr ? fr : en)
    }
}

extension Request {
    /// API clients that ask for JSON get JSON errors even outside `/api`.
    var prefersJSON: Bool {
        headers.accept.first?.mediaType == .json
    }
}
