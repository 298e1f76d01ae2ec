import Vapor

/// A CSV download. `byteOrderMark` helps spreadsheets read accents in free text (statements,
/// the transparency report); exports read by programs leave it out.
enum CSVResponse {
    static func make(_ text: String, filename: String, byteOrderMark: Bool = false) -> Response {
        let response = Response(status: .ok, body: .init(string: (byteOrderMark ? "\u{FEFF}" : "") + text))
        response.headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(filename)\"")
        return response
    }
}
