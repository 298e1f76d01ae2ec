import Fluent
import MaillageCore
import Vapor

/// People and cooperatives of the demo territory.
extension CooperativesModule {
    func seedDemo(_ demo: DemoTerritory) async throws {
        let people = [
            ("alice", "Alice Morvan"), ("bruno", "Bruno Le Goff"), ("chloe", "Chloé Bernard"), ("david", "David Nguyen"),
            ("emma", "Emma Guérin"), ("farid", "Farid Haddad"), ("gaelle", "Gaëlle Riou"), ("hugo", "Hugo Martin"),
            ("ines", "Inès Lefèvre"), ("jules", "Jules Perrin"), ("katia", "Katia Roussel"), ("leo", "Léo Tessier"),
            ("manon", "Manon Chevalier"), ("nael", "Naël Benali"), ("oceane", "Océane Durand"), ("paul", "Paul Jaouen"),
            ("quentin", "Quentin Moreau"), ("rose", "Rose Fleury"), ("samir", "Samir Ait"), ("theo", "Théo Gautier"),
            ("ursule", "Ursule Pichon"), ("victor", "Victor Lambert"), ("yasmine", "Yasmine Caron"), ("zoe", "Zoé Marchand"),
        ]
        for (handle, name) in people { _ = try await demo.person(handle, name) }
        for seed in DemoCooperatives.all {
            let coop = try await Cooperatives.create(seed.draft, creator: demo.user(seed.founder), review: .approved, on: demo.db)
            demo.register(coop, for: seed.activity)
            let loaded = try await Cooperatives.find(slug: coop.slug, on: demo.db)
            let colleges = loaded.colleges.sorted { $0.position < $1.position }
            let shares = seed.draft.legalForm.hasShareCapital
            for (index, handle) in (seed.board + seed.staff + seed.members + seed.pending).enumerated() {
                let college = colleges.isEmpty ? nil : colleges[index % colleges.count].id
                let request = Joining.Request(college: college, shares: shares ? 1 + (index * 3) % 10 : 0,
                                              message: index % 2 == 0 ? "Bonjour, je souhaite participer !" : nil)
                let membership = try await Joining.ask(request, user: demo.user(handle), coop: loaded, on: demo.db)
                guard !seed.pending.contains(handle) else { continue }
                _ = try await Joining.decide(membership.requireID(), approve: true, by: demo.user(seed.founder), coop: loaded, on: demo.db)
                if seed.board.contains(handle) {
                    _ = try await Joining.changeRole(membership.requireID(), to: .board, by: demo.user(seed.founder), coop: loaded, on: demo.db)
                } else if seed.staff.contains(handle) {
                    _ = try await Joining.changeRole(membership.requireID(), to: .staff, by: demo.user(seed.founder), coop: loaded, on: demo.db)
                }
            }
        }
        // An invitation waiting on the food cooperative's board page (its link was never mailed).
        let food = try await Cooperatives.find(slug: "paniers-de-la-sevre", on: demo.db)
        let college = food.colleges.sorted { $0.position < $1.position }.dropFirst().first?.id
        try await Invitations.invite(.init(email: "voisine.invitee@example.org", college: college, shares: 2,
                                           message: "Au plaisir de vous compter parmi les mangeurs !", language: .fr),
                                     by: demo.user("alice"), coop: food, baseURL: "", sendsMail: false, on: demo.db)
    }
}

/// The six demo cooperatives, one per activity.
enum DemoCooperatives {
    struct Seed {
        var activity: Activity
        var founder: String
        var board: [String]
        var staff: [String]
        var members: [String]
        var pending: [String]
        var draft: CooperativeDraft
    }

    static func charter(_ answers: [CharterAnswer], _ evidence: [String]) -> [CharterItem] {
        zip(Characteristic.allCases, zip(answers, evidence)).map { CharterItem($0.0, $0.1.0, evidence: $0.1.1) }
    }

    static let all: [Seed] = [
        Seed(activity: .food, founder: "alice", board: ["gaelle"], staff: ["david"], members: ["chloe", "emma", "farid", "hugo", "ines", "jules"], pending: ["katia", "leo"],
             draft: CooperativeDraft(
                name: "Les Paniers de la Sèvre", slug: "paniers-de-la-sevre", legalForm: .scic, commune: "Vertou", postalCode: "44120",
                description: "Une SCIC qui réunit maraîchers, éleveurs et mangeurs du vignoble nantais : cycles de commande chaque semaine, retrait à la ferme ou au marché, prix justes fixés avec les producteurs.",
                website: "https://paniers-sevre.example.org", activities: [.food], colleges: ["Producteurs", "Mangeurs", "Salariés", "Partenaires"],
                shareNominalCents: 2000,
                charter: charter([.yes, .yes, .yes, .partly, .yes],
                                 ["Une personne = une voix en AG, 4 collèges de vote.", "Frais de 8 % affichés à chaque commande, excédents votés en AG.",
                                  "Registre des données publié, aucun traceur.", "Code AGPL ; données produits ouvertes en cours.",
                                  "Catalogues échangés au format DFC avec deux épiceries coopératives."]))),
        Seed(activity: .delivery, founder: "bruno", board: ["manon"], staff: ["nael"], members: ["chloe", "oceane", "paul", "quentin"], pending: ["rose"],
             draft: CooperativeDraft(
                name: "Coursiers Nantais", slug: "coursiers-nantais", legalForm: .scop, commune: "Nantes", postalCode: "44000",
                description: "Coopérative de coursiers à vélo salariés : livraison du dernier kilomètre pour les commerces et les paniers du territoire, tarifs publics, pas de notation des coursiers.",
                website: "", activities: [.delivery], colleges: ["Coursiers associés", "Clients"], shareNominalCents: 5000,
                charter: charter([.yes, .yes, .partly, .yes, .partly],
                                 ["Les coursiers détiennent 100 % des voix.", "Grille tarifaire publique, ristourne votée chaque année.",
                                  "Traces GPS effacées après 30 jours.", "https://example.org/coursiers-nantais/code",
                                  "Membre d’une fédération de coopératives de livraison."]))),
        Seed(activity: .carpool, founder: "samir", board: ["theo"], staff: [], members: ["alice", "ursule", "victor", "yasmine"], pending: [],
             draft: CooperativeDraft(
                name: "Roulons Ensemble Estuaire", slug: "roulons-ensemble-estuaire", legalForm: .association1901, commune: "Saint-Nazaire", postalCode: "44600",
                description: "Covoiturage libre et sans commission pour les trajets domicile-travail de l’estuaire, entre Saint-Nazaire, Savenay et Nantes.",
                website: "", activities: [.carpool], colleges: [], shareNominalCents: 0,
                charter: charter([.yes, .yes, .yes, .partly, .yes],
                                 ["Assemblée générale ouverte à tous les adhérents.", "Aucune commission : les passagers paient le conducteur directement.",
                                  "Pas de revente de données.", "Trajets publiés en données ouvertes (anonymisés).",
                                  "Trajets échangés au standard covoiturage (RDEX+)."]))),
        Seed(activity: .lending, founder: "gaelle", board: ["zoe"], staff: ["katia"], members: ["chloe", "hugo", "leo", "manon"], pending: ["samir"],
             draft: CooperativeDraft(
                name: "La Prêterie de Rezé", slug: "preterie-de-reze", legalForm: .cooperativeAssociation, commune: "Rezé", postalCode: "44400",
                description: "Une bibliothèque d’objets entre voisins : perceuses, tentes, appareils à raclette… Dépôt et retrait au lieu vitrine, rue Jean-Jaurès, le mercredi et le samedi.",
                website: "", activities: [.lending], colleges: ["Habitants", "Commerces partenaires", "Bénévoles"], shareNominalCents: 1000,
                charter: charter([.yes, .partly, .yes, .yes, .no],
                                 ["Chaque adhérent a une voix.", "Cotisation libre, budget présenté en AG.", "Seule la commune est demandée.",
                                  "Inventaire publié sous licence ODbL.", ""]))),
        Seed(activity: .exchange, founder: "emma", board: ["ines"], staff: [], members: ["chloe", "jules", "oceane", "paul", "rose"], pending: ["theo"],
             draft: CooperativeDraft(
                name: "Coup de Main Orvault", slug: "coup-de-main-orvault", legalForm: .association1901, commune: "Orvault", postalCode: "44700",
                description: "Échange de services entre voisins : une heure donnée vaut une heure reçue. Bricolage, jardinage, aide administrative, garde d’animaux.",
                website: "", activities: [.exchange], colleges: [], shareNominalCents: 0,
                charter: charter([.yes, .yes, .partly, .partly, .partly],
                                 ["Une voix par adhérent.", "Banque de temps : aucune somme d’argent ne circule.", "Messages effacés après un an.",
                                  "Catalogue d’offres ouvert.", "Offres publiées au format Murmurations."]))),
        Seed(activity: .barter, founder: "victor", board: ["farid"], staff: ["yasmine"], members: ["bruno", "alice", "quentin", "ursule"], pending: ["chloe"],
             draft: CooperativeDraft(
                name: "Troc Pro Loire-Atlantique", slug: "troc-pro-loire-atlantique", legalForm: .scic, commune: "Saint-Herblain", postalCode: "44800",
                description: "Réseau de troc inter-entreprises en crédit mutuel : les entreprises du département échangent biens et services en unités d’échange (1 unité = 1 €), commission de 5 %.",
                website: "", activities: [.barter], colleges: ["Entreprises membres", "Salariés", "Collectivités", "Soutiens"], shareNominalCents: 10000,
                charter: charter([.partly, .yes, .yes, .partly, .partly],
                                 ["Collèges pondérés ; les entreprises ont 50 % des voix.", "Commission de 5 % publiée, réserves impartageables.",
                                  "Relevés visibles par le seul membre et le conseil.", "API ouverte documentée.", "Partenariat avec un réseau voisin."]))),
    ]
}
