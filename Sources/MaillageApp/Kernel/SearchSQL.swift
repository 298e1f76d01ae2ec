import Foundation
import MaillageCore
import SQLKit

/// The SQL of a `SearchQuery` (see its comment), shared by every searchable table that has
/// `search_text`, `category`, `lat` and `lon` columns.
extension SearchQuery {
    /// " AND search_text LIKE … AND category = …": one `LIKE` per word, then the category.
    var wordConditions: SQLQueryString {
        var sql: SQLQueryString = ""
        for pattern in likePatterns { sql = sql + " AND search_text LIKE \(bind: pattern) ESCAPE '\\'" }
        if let category { sql = sql + " AND category = \(bind: category.rawValue)" }
        return sql
    }

    /// " AND lat BETWEEN … AND lon BETWEEN …", the prefilter rectangle; empty without a centre.
    var boxConditions: SQLQueryString {
        guard let box = boundingBox else { return "" }
        return " AND lat BETWEEN \(bind: box.minLat) AND \(bind: box.maxLat) AND lon BETWEEN \(bind: box.minLon) AND \(bind: box.maxLon)"
    }

    /// The squared planar distance to the centre, in degrees of latitude, as SQL arithmetic on
    /// the given columns (equirectangular: longitude scaled by the cosine of the centre's
    /// latitude). It only orders candidates so that `LIMIT` keeps the nearest; the core's
    /// haversine still decides the circle and the final order. Its error at distance d is about
    /// d²/R (1.4 m at 3 km), far inside the margin `candidateLimit` leaves.
    func squaredDistance(lat: String, lon: String) -> SQLQueryString? {
        guard let centre else { return nil }
        let k = cos(centre.lat * .pi / 180)
        return "((\(unsafeRaw: lat) - \(bind: centre.lat)) * (\(unsafeRaw: lat) - \(bind: centre.lat)) + (\(unsafeRaw: lon) - \(bind: centre.lon)) * (\(unsafeRaw: lon) - \(bind: centre.lon)) * \(bind: k * k))"
    }

    /// How many nearest candidates to read for a page of `limit`: the page plus a margin for
    /// the few the circle trims from the box's corners' side and for near-ties.
    static func candidateLimit(_ limit: Int) -> Int { max(1, limit) * 2 + 50 }
}
