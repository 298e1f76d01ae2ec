import Foundation

/// The part of a JSON-LD `@context` DFC documents use: prefixes for compact IRIs
/// ("dfc-b:Offer") and the properties whose plain-string values are node references
/// (`"@type": "@id"`, e.g. `"dfc-b:hasQuantity": "_:b1"`). Enough to read and write DFC
/// documents exactly; not a general JSON-LD processor (no `@vocab`, `@base`, scoped contexts).
public struct JSONLDContext: Sendable, Hashable {
    public let prefixes: [String: String]
    /// Expanded IRIs of the properties whose string values are IRIs or blank node labels.
    public let idProperties: Set<String>
    /// Plain terms an inline context defines ("name" → "dfc-b:name").
    public private(set) var aliases: [String: String] = [:]

    public init(prefixes: [String: String], idTerms: [String]) {
        self.prefixes = prefixes
        var expanded = Set<String>()
        for term in idTerms { expanded.insert(Self.expand(term, prefixes)) }
        idProperties = expanded
    }

    /// Reads a context document (`{"@context": {…}}`) as DFC publishes it.
    public init(contextDocument data: Data) throws(DomainError) {
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let context = root["@context"] as? [String: Any] else { throw .notJSONLD }
        var prefixes: [String: String] = [:], idTerms: [String] = []
        for (term, definition) in context {
            if let iri = definition as? String { prefixes[term] = iri }
            if let object = definition as? [String: Any], object["@type"] as? String == "@id" { idTerms.append(term) }
        }
        self.init(prefixes: prefixes, idTerms: idTerms)
    }

    /// This context with what a document's own inline `@context` adds (an object, or an array of
    /// URLs and objects): its prefixes, its `"@type": "@id"` terms and its plain aliases. A URL
    /// (the 1.16 or 2.0 context) adds nothing: its prefixes are the vendored ones.
    public func merging(inline context: Any?) -> JSONLDContext {
        let objects = (context as? [Any] ?? [context as Any]).compactMap { $0 as? [String: Any] }
        guard !objects.isEmpty else { return self }
        var prefixes = self.prefixes, aliases = self.aliases, idTerms: [String] = []
        for object in objects {
            for (term, definition) in object where !term.hasPrefix("@") {
                if (definition as? [String: Any])?["@type"] as? String == "@id" { idTerms.append(term) }
                guard let iri = definition as? String ?? (definition as? [String: Any])?["@id"] as? String else { continue }
                if iri.hasSuffix("#") || iri.hasSuffix("/") { prefixes[term] = iri } else if !term.contains(":") { aliases[term] = iri }
            }
        }
        var merged = JSONLDContext(prefixes: prefixes, idTerms: [])
        merged.aliases = aliases
        merged = JSONLDContext(copying: merged, idProperties: idProperties.union(idTerms.map { merged.expand($0) }))
        return merged
    }

    private init(copying context: JSONLDContext, idProperties: Set<String>) {
        prefixes = context.prefixes
        self.idProperties = idProperties
        aliases = context.aliases
    }

    /// "dfc-b:Offer" → the full IRI; a blank node label, an absolute or unknown-prefix IRI is kept.
    public func expand(_ term: String) -> String {
        if let alias = aliases[term], alias != term { return Self.expand(alias, prefixes) }
        return Self.expand(term, prefixes)
    }

    /// The full IRI → "dfc-b:Offer" when a prefix covers it (the longest wins).
    public func compact(_ iri: String) -> String {
        var best: (prefix: String, namespace: String)?
        for (prefix, namespace) in prefixes where iri.hasPrefix(namespace) && iri.count > namespace.count {
            if namespace.count > (best?.namespace.count ?? -1) { best = (prefix, namespace) }
        }
        guard let best else { return iri }
        return best.prefix + ":" + iri.dropFirst(best.namespace.count)
    }

    static func expand(_ term: String, _ prefixes: [String: String]) -> String {
        guard !term.hasPrefix("_:"), let colon = term.firstIndex(of: ":") else { return term }
        let prefix = String(term[..<colon])
        let rest = term[term.index(after: colon)...]
        // "http://…" has a prefix too, but "//" marks it as already absolute.
        guard !rest.hasPrefix("//"), let namespace = prefixes[prefix] else { return term }
        return namespace + rest
    }
}

extension DomainError {
    static let notJSONLD = DomainError(
        .invalid, code: "not_json_ld", field: "document",
        fr: "Ce document n’est pas un JSON-LD lisible.", en: "This document is not readable JSON-LD.")
}
