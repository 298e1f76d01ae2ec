import Foundation

/// A node or value of a JSON-LD graph.
public enum JSONLDTerm: Sendable, Hashable, Comparable {
    case iri(String)
    case blank(String)
    case literal(String)

    public static func < (lhs: JSONLDTerm, rhs: JSONLDTerm) -> Bool { lhs.sortKey < rhs.sortKey }

    var sortKey: String {
        switch self {
        case .iri(let value): "i" + value
        case .blank(let value): "b" + value
        case .literal(let value): "l" + value
        }
    }
}

/// A compact JSON-LD document read as RDF triples, with full IRIs: a single node or an `@graph`,
/// nested objects as (blank) nodes of their own, arrays as several values. Accepts what DFC
/// platforms publish: numbers as strings or as JSON numbers, node references as `{"@id": …}`
/// or, for the context's `@id` properties, as plain strings — blank node labels included.
public struct JSONLDGraph: Sendable, Hashable {
    public struct Triple: Sendable, Hashable {
        public let subject: JSONLDTerm
        public let predicate: String
        public let object: JSONLDTerm
    }

    public static let rdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

    public private(set) var triples: [Triple] = []

    public init(triples: [Triple]) { self.triples = triples }

    public init(data: Data, context: JSONLDContext) throws(DomainError) {
        guard let root = try? JSONSerialization.jsonObject(with: data) else { throw .notJSONLD }
        try self.init(json: root, context: context)
    }

    public init(json root: Any, context: JSONLDContext) throws(DomainError) {
        var reader = Reader(context: context.merging(inline: (root as? [String: Any])?["@context"]))
        let tops: [Any]
        if let object = root as? [String: Any], let graph = object["@graph"] {
            tops = graph as? [Any] ?? [graph]
        } else {
            tops = root as? [Any] ?? [root]
        }
        for top in tops {
            guard let object = top as? [String: Any] else { throw .notJSONLD }
            _ = reader.node(object)
        }
        triples = reader.triples
    }

    private struct Reader {
        let context: JSONLDContext
        var triples: [Triple] = []
        var anonymous = 0

        mutating func node(_ object: [String: Any]) -> JSONLDTerm {
            let subject: JSONLDTerm
            if let id = object["@id"] as? String { subject = reference(id) } else {
                anonymous += 1
                subject = .blank("_:anonymous\(anonymous)")
            }
            for (key, value) in object {
                switch key {
                case "@id", "@context", "@graph": continue
                case "@type":
                    for type in (value as? [Any] ?? [value]).compactMap({ $0 as? String }) {
                        triples.append(Triple(subject: subject, predicate: JSONLDGraph.rdfType, object: .iri(context.expand(type))))
                    }
                default:
                    let predicate = context.expand(key)
                    for item in value as? [Any] ?? [value] {
                        if let object = self.object(item, isReference: context.idProperties.contains(predicate)) {
                            triples.append(Triple(subject: subject, predicate: predicate, object: object))
                        }
                    }
                }
            }
            return subject
        }

        mutating func object(_ value: Any, isReference: Bool) -> JSONLDTerm? {
            switch value {
            case let text as String: return isReference ? reference(text) : .literal(text)
            case let object as [String: Any]:
                if let literal = object["@value"] { return self.object(literal, isReference: false) }
                if object.count == 1, let id = object["@id"] as? String { return reference(id) }
                return node(object)
            case let number as NSNumber: return .literal(JSONLDGraph.canonicalNumber(number.stringValue) ?? number.stringValue)
            default: return nil
            }
        }

        func reference(_ id: String) -> JSONLDTerm {
            id.hasPrefix("_:") ? .blank(id) : .iri(context.expand(id))
        }
    }

    /// "2.540" → "2.54", "08" stays "08" (a code, not a number): numbers compare by value
    /// whether written as JSON numbers or as strings, other text exactly.
    static func canonicalNumber(_ text: String) -> String? {
        let body = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              parts[0] == "0" || !parts[0].hasPrefix("0"),
              let decimal = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else { return nil }
        return NSDecimalNumber(decimal: decimal).stringValue
    }
}

extension JSONLDGraph {
    /// Whether two graphs hold the same statements, whatever the order of nodes and values and
    /// the labels of blank nodes, with numbers compared by value. Blank nodes are named by what
    /// they say (their properties, recursively), which tells apart every blank node DFC uses
    /// (prices, quantities, characteristics); two blank nodes saying exactly the same thing
    /// count as one.
    public func isIsomorphic(to other: JSONLDGraph) -> Bool { canonicalStatements() == other.canonicalStatements() }

    /// The statements with blank nodes replaced by their content, as sorted text: what
    /// `isIsomorphic` compares, and what a failing test prints.
    public func canonicalStatements() -> [String] {
        var outgoing: [String: [Triple]] = [:]
        for triple in triples { if case .blank(let label) = triple.subject { outgoing[label, default: []].append(triple) } }
        var memo: [String: String] = [:]
        func name(_ term: JSONLDTerm, depth: Int) -> String {
            switch term {
            case .iri(let iri): return "<\(iri)>"
            case .literal(let text): return "\"\(Self.canonicalNumber(text) ?? text)\""
            case .blank(let label):
                if let known = memo[label] { return known }
                guard depth < 16 else { return "[…]" }
                let inside = (outgoing[label] ?? []).map { "\($0.predicate) \(name($0.object, depth: depth + 1))" }.sorted()
                let named = "[" + inside.joined(separator: "; ") + "]"
                if depth == 0 { memo[label] = named }
                return named
            }
        }
        return Set(triples.map { "\(name($0.subject, depth: 0)) <\($0.predicate)> \(name($0.object, depth: 0))" }).sorted()
    }
}
