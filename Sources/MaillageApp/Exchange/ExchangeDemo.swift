import Fluent
import Foundation
import MaillageCore

/// Coup de Main Orvault: 24 offers and wants of goods and services, and services recorded in
/// hours and as free help, so the impact counters have something to count.
enum ExchangeDemo {
    typealias Seed = (author: String, type: ExchangeType, item: ExchangeItemType, ways: [TransactionType], category: ItemCategory?, tags: String,
                      title: String, description: String, commune: String, timeBank: Bool)

    static let listings: [Seed] = [
        ("emma", .offer, .service, [.receiveDonate], .gardening, "jardin, taille", "Taille de haies et d’arbustes", "Je taille vos haies au printemps et à l’automne, outils fournis.", "Orvault", true),
        ("ines", .offer, .service, [.receiveDonate], .other, "papiers, impôts", "Aide aux démarches administratives", "Déclaration de revenus, dossiers CAF, courriers : je vous aide à y voir clair.", "Orvault", true),
        ("chloe", .offer, .service, [.receiveDonate], .books, "anglais, cours", "Conversation en anglais", "Une heure de conversation par semaine, tous niveaux.", "Nantes", true),
        ("jules", .offer, .service, [.receiveDonate], .leisureAndSport, "guitare, musique", "Cours de guitare débutant", "Accords de base et premiers morceaux ; guitare prêtée si besoin.", "Orvault", true),
        ("oceane", .offer, .service, [.receiveDonate], .mobility, "vélo, réparation", "Réparation de vélos", "Crevaisons, freins, dérailleur : venez avec votre vélo le samedi matin.", "Orvault", true),
        ("paul", .offer, .service, [.receiveDonate], .diy, "montage, meubles", "Montage de meubles", "Armoires, lits, étagères en kit ; j’apporte ma visseuse.", "Saint-Herblain", true),
        ("rose", .offer, .service, [.receiveDonate], .other, "animaux, chat", "Garde de chats et arrosage", "Pendant vos vacances, je passe nourrir le chat et arroser les plantes.", "Orvault", true),
        ("emma", .offer, .good, [.receiveDonate], .gardening, "semis, tomates", "Plants de tomates", "Une trentaine de plants (cœur de bœuf, cerise) à donner en mai.", "Orvault", false),
        ("ines", .offer, .good, [.borrowLend], .kitchen, "confiture", "Bassine à confiture", "Bassine en cuivre à prêter pour l’été.", "Orvault", false),
        ("chloe", .offer, .good, [.receiveDonate], .children, "vêtements, bébé", "Vêtements de bébé 0–12 mois", "Un grand sac, propres et en bon état.", "Nantes", false),
        ("jules", .offer, .good, [.buySell], .highTech, "ordinateur", "Ordinateur portable reconditionné", "Linux installé, 8 Go de mémoire ; 120 €.", "Orvault", false),
        ("oceane", .offer, .service, [.receiveDonate], .highTech, "informatique", "Initiation à l’informatique", "Courriels, visioconférence, sauvegardes : à votre rythme.", "Orvault", true),
        ("paul", .offer, .good, [.borrowLend], .diy, "remorque", "Remorque de voiture", "Pour un déménagement ou la déchetterie, le week-end.", "Saint-Herblain", false),
        ("rose", .want, .service, [.receiveDonate], .household, "ménage, grand nettoyage", "Aide pour un grand nettoyage", "Je cherche deux paires de bras pour vider une cave.", "Orvault", true),
        ("emma", .want, .service, [.receiveDonate], .highTech, "ordinateur", "Quelqu’un pour réinstaller mon ordinateur", "Il est devenu très lent.", "Orvault", true),
        ("ines", .want, .good, [.borrowLend], .events, "fête, tables", "Tables et bancs pour une fête de voisins", "Le premier samedi de juin.", "Orvault", false),
        ("chloe", .want, .service, [.receiveDonate], .diy, "peinture", "Aide pour repeindre une chambre", "Un samedi, peinture fournie.", "Nantes", true),
        ("jules", .want, .good, [.receiveDonate], .books, "livres, enfants", "Livres pour enfants de 6 à 8 ans", "Pour la boîte à livres de l’école.", "Orvault", false),
        ("oceane", .want, .service, [.receiveDonate], .mobility, "covoiturage", "Covoiturage vers Nantes le mardi", "Départ 8 h, retour 18 h ; je participe aux frais.", "Orvault", false),
        ("paul", .want, .service, [.receiveDonate], .gardening, "potager", "Conseils pour démarrer un potager", "Premier potager en carrés, je débute.", "Saint-Herblain", true),
        ("rose", .want, .good, [.buySell, .receiveDonate], .mobility, "vélo, enfant", "Vélo enfant 20 pouces", "Pour ma fille de 7 ans.", "Orvault", false),
        ("emma", .offer, .service, [.receiveDonate], .kitchen, "cuisine, conserves", "Atelier conserves et bocaux", "On prépare ensemble des bocaux de saison.", "Orvault", true),
        ("ines", .offer, .service, [.receiveDonate], .children, "devoirs", "Aide aux devoirs (collège)", "Maths et français, le mercredi après-midi.", "Orvault", true),
        ("jules", .want, .service, [.receiveDonate], .household, "couture", "Retouche d’un pantalon", "Un ourlet à reprendre.", "Orvault", true),
    ]

    static func seed(_ demo: DemoTerritory) async throws {
        guard let coop = demo.cooperative(.exchange) else { return }
        let db = demo.db, coopID = try coop.requireID(), zone = LocalZone.paris
        let today = zone.localDate(at: Date())
        func at(_ offset: Int) -> Date { zone.instant(on: today.adding(days: offset) ?? today, hour: 18) }
        var ids: [String: UUID] = [:]
        for (index, seed) in listings.enumerated() {
            let draft = OfferWantDraft(exchangeType: seed.type.rawValue, itemType: seed.item.rawValue, transactionTypes: seed.ways.map(\.rawValue),
                                       category: seed.category?.rawValue ?? "", tags: seed.tags, title: seed.title, description: seed.description,
                                       acceptsTimeBank: seed.timeBank)
            let row = try await ExchangeStore.publish(draft, commune: seed.commune, author: demo.user(seed.author).requireID(), coop: coopID,
                                                      on: db, now: at(-40 + index))
            ids[seed.title] = row.id
        }
        // Received in hours (the receiver records it), and free help.
        let services: [(receiver: String, giver: String, settlement: ExchangeStore.Settlement, minutes: Int, what: String, listing: String?, day: Int)] = [
            ("rose", "oceane", .hours, 60, "Réglage des freins du vélo", "Réparation de vélos", -20),
            ("paul", "emma", .hours, 120, "Taille de la haie du jardin", "Taille de haies et d’arbustes", -15),
            ("emma", "ines", .hours, 90, "Déclaration de revenus", "Aide aux démarches administratives", -12),
            ("jules", "chloe", .free, 0, "Conversation en anglais", "Conversation en anglais", -9),
            ("oceane", "paul", .free, 0, "Prêt de la remorque pour la déchetterie", "Remorque de voiture", -6),
            ("paul", "jules", .hours, 45, "Premier cours de guitare", "Cours de guitare débutant", -3),
        ]
        for service in services {
            _ = try await ExchangeStore.record(.init(counterpart: try demo.user(service.giver).requireID(), role: .received, settlement: service.settlement,
                                                     duration: "\(service.minutes) min", description: service.what,
                                                     doneOn: (today.adding(days: service.day) ?? today).iso, offerWant: service.listing.flatMap { ids[$0] }),
                                               by: try demo.user(service.receiver).requireID(), in: coop, on: db, now: at(service.day))
        }
    }
}
