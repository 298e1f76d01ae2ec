import Foundation

/// A search for items (or offers and wants): words, a category, and a circle around a place.
/// Pure: the app turns it into SQL — one `LIKE` per word on the indexed text column, the
/// category, the bounding box on `lat`/`lon` — then calls `rank` on the rows fetched, which
/// trims the box to the circle and orders by distance.
///
/// ```sql
/// SELECT id, search_text, category, lat, lon FROM lending_items
///  WHERE search_text LIKE ? ESCAPE '\' [AND search_text LIKE ? ESCAPE '\' …]
///    [AND category = ?]
///    [AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?]
/// ```
public struct SearchQuery: Sendable, Hashable {
    public static let textLimit = 200
    public static let radiusLimitKm = 0.1...200.0
    public static let defaultRadiusKm = 5.0

    public let text: String
    public let tokens: [String]
    public let category: ItemCategory?
    public let centre: GeoPoint?
    public let radiusKm: Double

    public init(text: String = "", category: ItemCategory? = nil, centre: GeoPoint? = nil,
                radiusKm: Double = SearchQuery.defaultRadiusKm) throws(DomainError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count <= Self.textLimit else { throw .searchTextTooLong }
        guard radiusKm.isFinite, Self.radiusLimitKm.contains(radiusKm) else { throw .invalidSearchRadius }
        self.text = trimmed
        // Ten words are plenty; more would only make the SQL longer.
        self.tokens = Array(SearchText.tokens(trimmed).prefix(10))
        self.category = category
        self.centre = centre
        self.radiusKm = radiusKm
    }

    /// The `LIKE` patterns, one per word, to use with `ESCAPE '\'`.
    public var likePatterns: [String] {
        tokens.map { "% " + Self.escapeLike($0) + "%" }
    }

    /// The prefilter rectangle; nil without a centre.
    public var boundingBox: GeoBoundingBox? { centre.map { GeoBoundingBox(around: $0, radiusKm: radiusKm) } }

    /// A row as the app read it back from the prefiltered SQL.
    public struct Candidate: Sendable, Hashable {
        public let id: UUID
        public let searchText: String
        public let category: ItemCategory?
        public let position: GeoPoint?

        public init(id: UUID, searchText: String, category: ItemCategory?, position: GeoPoint?) {
            self.id = id
            self.searchText = searchText
            self.category = category
            self.position = position
        }
    }

    public struct Hit: Sendable, Hashable {
        public let id: UUID
        /// Nil when the query has no centre.
        public let distanceKm: Double?
    }

    /// Whether a candidate answers the query: every word, the category, inside the circle.
    /// Without a centre, position does not matter; with one, a candidate without position is out.
    public func matches(_ candidate: Candidate) -> Bool {
        guard category.map({ $0 == candidate.category }) ?? true else { return false }
        guard SearchText.matches(tokens: tokens, indexed: candidate.searchText) else { return false }
        guard let centre else { return true }
        guard let position = candidate.position else { return false }
        return position.distanceKm(to: centre) <= radiusKm
    }

    /// The matching candidates, nearest first (ties by id, so pages are stable), at most `limit`.
    public func rank(_ candidates: [Candidate], limit: Int = 50) -> [Hit] {
        let hits = candidates.lazy.filter(matches).map { candidate in
            Hit(id: candidate.id, distanceKm: centre.flatMap { c in candidate.position.map { $0.distanceKm(to: c) } })
        }
        let sorted = hits.sorted { a, b in
            let da = a.distanceKm ?? 0, db = b.distanceKm ?? 0
            return da != db ? da < db : a.id.uuidString < b.id.uuidString
        }
        return Array(sorted.prefix(max(0, limit)))
    }

    static func escapeLike(_ text: String) -> String {
        var out = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { out.append("\\") }
            out.append(character)
        }
        return out
    }
}
