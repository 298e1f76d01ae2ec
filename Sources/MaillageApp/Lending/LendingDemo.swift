import Fluent
import Foundation
import MaillageCore

/// La Prêterie de Rezé: a showcase location open on Wednesdays and Saturdays, 42 items among
/// its members, and loans at every step (returned and reviewed, in progress, overdue, accepted,
/// requested). The drill (« Perceuse à percussion ») stays free for the browser walk.
enum LendingDemo {
    typealias Seed = (owner: String, title: String, category: ItemCategory, condition: ItemCondition, deposit: String, days: Int, showcase: Bool, commune: String, description: String)

    static let items: [Seed] = [
        ("hugo", "Perceuse à percussion", .tools, .veryGood, "30", 7, false, "Rezé", "Perceuse-visseuse filaire 750 W avec coffret de forets béton, bois et métal."),
        ("hugo", "Scie sauteuse", .tools, .good, "25", 7, false, "Rezé", "Avec trois lames bois. Lunettes de protection fournies."),
        ("gaelle", "Ponceuse orbitale", .tools, .good, "20", 7, true, "Rezé", "Disques grain 80, 120 et 180 inclus."),
        ("zoe", "Visseuse sans fil 18 V", .tools, .veryGood, "30", 5, true, "Rezé", "Deux batteries, chargeur rapide."),
        ("leo", "Scie circulaire", .tools, .good, "50", 5, false, "Bouguenais", "Lame 190 mm, guide parallèle."),
        ("manon", "Caisse à outils complète", .tools, .good, "15", 14, false, "Nantes", "Marteau, tournevis, clés plates, pince, mètre."),
        ("katia", "Détecteur de métaux et de câbles", .tools, .new, "10", 7, true, "Rezé", "Pour percer sans risque."),
        ("chloe", "Escabeau 5 marches", .diy, .good, "", 7, false, "Nantes", "Aluminium, léger."),
        ("gaelle", "Échelle télescopique 3,8 m", .diy, .veryGood, "40", 5, true, "Rezé", "Se range dans un coffre de voiture."),
        ("hugo", "Décolleuse à papier peint", .diy, .good, "20", 7, false, "Rezé", "Vapeur, 2 000 W."),
        ("leo", "Kit de peinture (rouleaux, bacs, bâches)", .diy, .worn, "", 14, false, "Bouguenais", "Rouleaux lavés après chaque prêt."),
        ("zoe", "Carrelette coupe-carreaux", .diy, .good, "20", 7, true, "Rezé", "Jusqu’à 60 cm."),
        ("manon", "Tondeuse électrique", .gardening, .good, "40", 3, false, "Nantes", "Coupe 38 cm, bac 40 L."),
        ("gaelle", "Taille-haie", .gardening, .veryGood, "30", 5, true, "Rezé", "Lame 55 cm."),
        ("chloe", "Broyeur de végétaux", .gardening, .good, "60", 3, false, "Nantes", "Branches jusqu’à 4 cm."),
        ("hugo", "Motobineuse", .gardening, .worn, "50", 3, false, "Rezé", "Essence ; le plein est à faire."),
        ("katia", "Sécateur de force", .gardening, .new, "", 14, true, "Rezé", "Pour les branches jusqu’à 5 cm."),
        ("leo", "Nettoyeur haute pression", .household, .good, "40", 3, false, "Bouguenais", "130 bars, brosse de terrasse."),
        ("manon", "Shampouineuse moquette", .household, .veryGood, "30", 3, false, "Nantes", "Produit non fourni."),
        ("zoe", "Aspirateur eau et poussière", .household, .good, "25", 5, true, "Rezé", "Cuve 20 L."),
        ("chloe", "Défroisseur vapeur", .household, .good, "", 7, false, "Nantes", ""),
        ("gaelle", "Appareil à raclette 8 personnes", .kitchen, .veryGood, "15", 4, true, "Rezé", "Avec poêlons et spatules."),
        ("hugo", "Plancha électrique", .kitchen, .good, "20", 4, false, "Rezé", "Plaque fonte 60 cm."),
        ("leo", "Robot pâtissier", .kitchen, .veryGood, "40", 5, false, "Bouguenais", "Fouet, crochet, batteur."),
        ("katia", "Stérilisateur à bocaux", .kitchen, .good, "20", 7, true, "Rezé", "Pour 14 bocaux d’un litre."),
        ("manon", "Fontaine à eau chaude 10 L", .kitchen, .good, "15", 4, false, "Nantes", "Pour les fêtes de quartier."),
        ("chloe", "Tente 4 places", .leisureAndSport, .good, "50", 14, false, "Nantes", "Montage en 10 minutes, double toit."),
        ("zoe", "Porte-vélos d’attelage", .leisureAndSport, .veryGood, "60", 10, true, "Rezé", "Trois vélos."),
        ("leo", "Paddle gonflable", .leisureAndSport, .good, "80", 4, false, "Bouguenais", "Pagaie et gilet fournis."),
        ("gaelle", "Réchaud de camping", .leisureAndSport, .good, "", 14, true, "Rezé", "Cartouche non fournie."),
        ("manon", "Poussette tout-terrain", .children, .good, "40", 14, false, "Nantes", ""),
        ("hugo", "Lit parapluie", .children, .veryGood, "20", 14, false, "Rezé", "Matelas inclus."),
        ("katia", "Siège-auto 9–18 kg", .children, .good, "30", 14, true, "Rezé", "Fixation Isofix."),
        ("zoe", "Barnum 3 × 6 m", .events, .good, "80", 4, true, "Rezé", "Montage à deux, sacs de lest fournis."),
        ("chloe", "Sono portable avec micro", .events, .veryGood, "60", 3, false, "Nantes", "Bluetooth, 8 h d’autonomie."),
        ("gaelle", "Vaisselle pour 50 personnes", .events, .good, "30", 5, true, "Rezé", "Assiettes, verres et couverts, à rendre lavés."),
        ("leo", "Vidéoprojecteur", .highTech, .good, "80", 4, false, "Bouguenais", "Full HD, HDMI, écran de 2 m."),
        ("manon", "Appareil photo reflex", .highTech, .veryGood, "150", 7, false, "Nantes", "Objectif 18–55 mm."),
        ("hugo", "Remorque de vélo", .mobility, .good, "50", 7, false, "Rezé", "Jusqu’à 40 kg."),
        ("zoe", "Vélo cargo biporteur", .mobility, .veryGood, "200", 3, true, "Rezé", "Assistance électrique, deux batteries."),
        ("chloe", "Jeux de société (lot de 6)", .books, .good, "", 21, false, "Nantes", "Carcassonne, Dixit, Codenames…"),
        ("katia", "Guides de randonnée Loire-Atlantique", .books, .good, "", 30, true, "Rezé", "Cinq guides et cartes IGN."),
    ]

    static func seed(_ demo: DemoTerritory) async throws {
        guard let coop = demo.cooperative(.lending) else { return }
        let db = demo.db, coopID = try coop.requireID(), zone = LocalZone.paris
        let hours = try WeeklyHours([OpeningSlot(weekday: 3, opens: "14:00", closes: "18:30"), OpeningSlot(weekday: 6, opens: "10:00", closes: "12:30")])
        guard let position = GeoPoint(commune: "Rezé") else { return }
        try await LendingStore.saveShowcase(ShowcaseLocation(name: "La Vitrine Jean-Jaurès", address: "12 rue Jean-Jaurès", commune: "Rezé",
                                                             position: position, hours: hours), of: coopID, on: db)
        let today = zone.localDate(at: Date())
        func at(_ offset: Int, _ hour: Int) -> Date { zone.instant(on: today.adding(days: offset) ?? today, hour: hour) }
        var rows: [String: LendingItemRow] = [:]
        for (index, seed) in items.enumerated() {
            let draft = LendingItemDraft(title: seed.title, category: seed.category.rawValue, description: seed.description,
                                         condition: seed.condition.rawValue, deposit: seed.deposit, maximumLoanDays: String(seed.days),
                                         pickupAtShowcase: seed.showcase)
            rows[seed.title] = try await LendingStore.createItem(.init(draft: draft, commune: seed.commune),
                                                                 owner: demo.user(seed.owner).requireID(), coop: coopID, on: db,
                                                                 now: at(-60 + index, 9))
        }
        func loan(_ title: String, _ borrower: String, from first: Int, days: Int, requested: Int, message: String?) async throws -> LoanRow {
            guard let item = rows[title], let firstDay = today.adding(days: first) else { throw Problem.notFound(LendingWords.item) }
            return try await LendingStore.request(item: item, borrower: demo.user(borrower).requireID(), period: try LoanPeriod(first: firstDay, days: days),
                                                  message: message, coopSlug: coop.slug, on: db, now: at(requested, 10))
        }
        func step(_ action: LendingStore.Action, _ row: LoanRow, by handle: String, at time: Date) async throws -> LoanRow {
            let title = rows.values.first { $0.id == row.itemID }?.title ?? ""
            return try await LendingStore.act(action, on: row, by: demo.user(handle).requireID(), isStaff: false, itemTitle: title,
                                              coopSlug: coop.slug, db: db, now: time)
        }
        // Returned and reviewed, on the drill and on two other items.
        for (title, owner, borrower, first) in [("Perceuse à percussion", "hugo", "manon", -30), ("Tente 4 places", "chloe", "leo", -40),
                                                ("Plancha électrique", "hugo", "chloe", -21)] {
            var row = try await loan(title, borrower, from: first, days: 3, requested: first - 4, message: "Bonjour, je peux passer le prendre le matin ?")
            row = try await step(.accept, row, by: owner, at: at(first - 3, 18))
            row = try await step(.handover, row, by: owner, at: at(first, 9))
            row = try await step(.handover, row, by: borrower, at: at(first, 9))
            row = try await step(.giveBack, row, by: borrower, at: at(first + 2, 19))
            row = try await step(.giveBack, row, by: owner, at: at(first + 2, 19))
            try await LendingStore.review(row, by: demo.user(borrower).requireID(), rating: 5, text: "Objet en parfait état, prêteur très arrangeant. Merci !",
                                          coopSlug: coop.slug, on: db, now: at(first + 3, 12))
            try await LendingStore.review(row, by: demo.user(owner).requireID(), rating: 5, text: "Rendu propre et à l’heure.",
                                          coopSlug: coop.slug, on: db, now: at(first + 3, 13))
        }
        // Overdue: handed over ten days ago for three days, not back yet.
        var late = try await loan("Nettoyeur haute pression", "zoe", from: -10, days: 3, requested: -14, message: nil)
        late = try await step(.accept, late, by: "leo", at: at(-13, 9))
        late = try await step(.handover, late, by: "leo", at: at(-10, 10))
        _ = try await step(.handover, late, by: "zoe", at: at(-10, 10))
        // In progress.
        var running = try await loan("Tondeuse électrique", "hugo", from: -1, days: 3, requested: -5, message: "Pour la pelouse du jardin partagé.")
        running = try await step(.accept, running, by: "manon", at: at(-4, 9))
        running = try await step(.handover, running, by: "manon", at: at(-1, 11))
        _ = try await step(.handover, running, by: "hugo", at: at(-1, 11))
        // Accepted, and a request waiting for its owner.
        let accepted = try await loan("Vidéoprojecteur", "manon", from: 5, days: 2, requested: -2, message: "Pour une soirée ciné au local associatif.")
        _ = try await step(.accept, accepted, by: "leo", at: at(-1, 9))
        _ = try await loan("Scie sauteuse", "leo", from: 3, days: 2, requested: -1, message: "Pour découper un plan de travail.")
    }
}
