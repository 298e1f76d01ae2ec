import Foundation
import Testing
import Vapor
import VaporTesting

@testable import MaillageApp

/// Someone who only looks leaves no trace: no session, so no cookie and no row written. A page
/// may open a session only when it shows a form that needs its CSRF token (sign-up, log-in…).
@Suite("Anonymous visits")
struct AnonymousVisitTests {
    @Test func pagesWithoutAFormSetNoCookie() async throws {
        try await withMaillage(demo: true) { app in
            var queue = ["/"], seen = Set(queue), visited = 0, withForms = 0
            let linkPattern = try NSRegularExpression(pattern: ##"href="(/[^"#?]*(\?[^"#]*)?)""##)
            while !queue.isEmpty, visited < 400 {
                let path = queue.removeFirst()
                let response = try await app.testing().sendRequest(.GET, path)
                visited += 1
                let html = response.body.string
                let cookie = response.headers.first(name: .setCookie)
                let hasForm = html.contains("name=\"\(CSRFMiddleware.field)\"")
                if hasForm { withForms += 1 }
                #expect(cookie == nil || hasForm, "\(path) sets a cookie without showing a form")
                guard response.headers.contentType == .html else { continue }
                let range = NSRange(html.startIndex..., in: html)
                for match in linkPattern.matches(in: html, range: range) {
                    guard let found = Range(match.range(at: 1), in: html) else { continue }
                    let link = String(html[found]).replacingOccurrences(of: "&amp;", with: "&")
                    // The language switch sets a preference cookie on purpose; assets are not pages.
                    if link.hasPrefix("/lang/") || link.hasPrefix("/assets/") || link.contains("/photos/") { continue }
                    if seen.insert(link).inserted { queue.append(link) }
                }
            }
            // The crawl reached the shopfront, the lending catalogue and the exchange.
            #expect(seen.contains { $0.contains("/food/cycles/") })
            #expect(seen.contains { $0.hasSuffix("/lending") })
            #expect(seen.contains { $0.hasSuffix("/exchange") })
            #expect(visited > 30 && withForms > 0)
        }
    }
}
