/// What went wrong, in words a person understands, and which field to fix.
/// The App maps `kind` to an HTTP status; the code is stable for API clients.
public struct DomainError: Error, Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case invalid        // 422: the input breaks a rule
        case notFound       // 404
        case forbidden      // 403
        case conflict       // 409: duplicate or wrong state
        case unauthorized   // 401
        case tooManyRequests // 429
    }

    public let kind: Kind
    public let code: String
    public let message: Localized
    public let field: String?

    public init(_ kind: Kind, code: String, field: String? = nil, fr: String, en: String) {
        self.kind = kind
        self.code = code
        self.field = field
        self.message = Localized(fr: fr, en: en)
    }
}

/// Collects every problem of a form at once, so a person fixes them in one go.
public struct ValidationErrors: Error, Sendable, Hashable {
    public private(set) var errors: [DomainError] = []
    public init() {}

    public var isEmpty: Bool { errors.isEmpty }
    public mutating func add(_ error: DomainError) { errors.append(error) }
    /// Runs one field's check: its value, or nil with its problem kept, so the next field is still
    /// checked. Anything that is not a person's mistake is thrown on.
    public mutating func collect<T>(_ check: () throws -> T) throws -> T? {
        do { return try check() }
        catch let error as DomainError { errors.append(error) }
        catch let more as ValidationErrors { errors += more.errors }
        return nil
    }
    public func message(for field: String) -> Localized? {
        errors.first { $0.field == field }?.message
    }
    public func throwIfAny() throws {
        if let first = errors.first {
            if errors.count == 1 { throw first }
            throw self
        }
    }
}
