import Foundation
@testable import MaillageApp
import MaillageCore
import Testing
import VaporTesting

@Suite("Directory", .serialized)
struct DirectoryTests {
    @Test func theDemoTerritoryHasACooperativePerActivityWithMembersAndBoards() async throws {
        try await withMaillage(demo: true) { app in
            let feed = try await app.testing().sendRequest(.GET, "/api/v1/cooperatives")
            let coops = feed.json["data"] as? [[String: Any]] ?? []
            #expect(coops.count >= 6)
            let activities = Set(coops.flatMap { $0["activities"] as? [String] ?? [] })
            #expect(activities == Set(Activity.allCases.map(\.rawValue)))
            for coop in coops { #expect((coop["members"] as? Int ?? 0) >= 5, "\(coop["slug"] ?? "")") }
        }
    }

    @Test func theHomePageFiltersByActivityAndCommune() async throws {
        try await withMaillage(demo: true) { app in
            let all = try await app.testing().sendRequest(.GET, "/")
            #expect(all.body.string.contains("6 plateformes"))
            let food = try await app.testing().sendRequest(.GET, "/?activity=food")
            #expect(food.body.string.contains("1 plateforme<"))
            #expect(food.body.string.contains("Les Paniers de la Sèvre"))
            #expect(!food.body.string.contains("Coursiers Nantais"))
            let reze = try await app.testing().sendRequest(.GET, "/?commune=Rez%C3%A9")
            #expect(reze.body.string.contains("La Prêterie de Rezé"))
            #expect(!reze.body.string.contains("Les Paniers de la Sèvre"))
            let none = try await app.testing().sendRequest(.GET, "/?activity=barter&commune=Vertou")
            #expect(none.body.string.contains("Aucune plateforme ne correspond"))
            #expect(all.body.string.contains(#"<option value selected>Toutes</option>"#), "“All” sends an empty value (a bare `value` is the empty string), not its label")
            let englishNone = try await app.testing().sendRequest(.GET, "/?activity=barter&commune=Vertou", headers: ["Accept-Language": "en"])
            #expect(englishNone.body.string.contains("0 platforms"))
            let unknown = try await app.testing().sendRequest(.GET, "/?activity=teleportation")
            #expect(unknown.status == .ok, "an unknown filter value shows everything, not an error page")
        }
    }

    @Test func eachCardShowsTheCharterAndItsBadge() async throws {
        try await withMaillage(demo: true) { app in
            let html = try await app.testing().sendRequest(.GET, "/?activity=food").body.string
            for characteristic in Characteristic.allCases { #expect(html.contains(characteristic.label.fr)) }
            #expect(html.contains("Plateforme coopérative engagée"))
            #expect(html.contains("Catalogues échangés au format DFC"))
            let english = try await app.testing().sendRequest(.GET, "/?activity=food", headers: ["Accept-Language": "en"]).body.string
            #expect(english.contains("Committed cooperative platform"))
            #expect(english.contains("Inclusive governance"))
        }
    }

}
