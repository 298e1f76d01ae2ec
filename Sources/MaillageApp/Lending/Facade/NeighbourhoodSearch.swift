import Foundation
import MaillageCore
import Vapor

/// The search form shared by lending and the exchange of services: words, category of the
/// shared taxonomy, distance to a commune of the territory.
enum NeighbourhoodSearch {
    static func categoryOptions(_ t: Translator, any: String? = nil) -> [(value: String, label: String)] {
        (any.map { [("", $0)] } ?? []) + ItemCategory.allCases.map { ($0.rawValue, t($0.label)) }
    }

    static func communeOptions(_ any: String? = nil) -> [(value: String, label: String)] {
        (any.map { [("", $0)] } ?? []) + Communes.known.map { ($0.name, $0.name) }
    }

    /// Reads the search fields of the catalogue (page and API alike).
    static func query(_ req: Request) throws -> SearchQuery {
        let text = req.query[String.self, at: "q"] ?? ""
        let categoryCode = req.query[String.self, at: "category"] ?? ""
        let category = categoryCode.isEmpty ? nil : ItemCategory(code: categoryCode)
        if !categoryCode.isEmpty && category == nil {
            throw DomainError(.invalid, code: "unknown_category", field: "category", fr: "Choisissez une catégorie dans la liste.",
                              en: "Choose a category from the list.")
        }
        let near = (req.query[String.self, at: "near"] ?? "").trimmingCharacters(in: .whitespaces)
        let centre = near.isEmpty ? nil : GeoPoint(commune: near)
        if !near.isEmpty && centre == nil {
            throw DomainError(.invalid, code: "unknown_commune", field: "near", fr: "Commune inconnue du territoire : choisissez-en une de la liste.",
                              en: "Unknown commune of the territory: choose one from the list.")
        }
        let radiusText = (req.query[String.self, at: "radius"] ?? "").replacingOccurrences(of: ",", with: ".")
        let radius = radiusText.isEmpty ? SearchQuery.defaultRadiusKm : (Double(radiusText) ?? -1)
        return try SearchQuery(text: text, category: category, centre: centre, radiusKm: radius)
    }
}
