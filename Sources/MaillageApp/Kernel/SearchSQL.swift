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
}
