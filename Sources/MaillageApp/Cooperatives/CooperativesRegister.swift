import MaillageCore

extension CooperativesModule {
    var dataRegister: [TableRegister] {
        let coopRecords = Localized(fr: "Public (annuaire)", en: "Public (directory)")
        return [
            TableRegister(table: Cooperative.schema, subject: nil,
                          purpose: Localized(fr: "Présenter la coopérative dans l’annuaire", en: "Present the cooperative in the directory"),
                          legalBasis: .legitimateInterest, persons: Localized(fr: "Aucune (personnes morales)", en: "None (legal entities)"),
                          recipients: coopRecords, retention: .cooperativeRecords(years: 10), personal: [],
                          nonPersonal: ["id", "slug", "name", "legal_form", "commune", "postal_code", "description", "website", "activities",
                                        "share_nominal_cents", "latitude", "longitude", "created_at"]),
            TableRegister(table: College.schema, subject: nil,
                          purpose: Localized(fr: "Collèges de vote de la coopérative", en: "The cooperative's voting colleges"),
                          legalBasis: .contract, persons: Localized(fr: "Aucune", en: "None"), recipients: coopRecords,
                          retention: .cooperativeRecords(years: 10), personal: [], nonPersonal: ["id", "cooperative_id", "name", "position", "weight"]),
            TableRegister(table: CharterEntry.schema, subject: nil,
                          purpose: Localized(fr: "Auto-évaluation publique de la charte", en: "Public charter self-assessment"),
                          legalBasis: .legitimateInterest, persons: Localized(fr: "Aucune", en: "None"), recipients: coopRecords,
                          retention: .cooperativeRecords(years: 10), personal: [], nonPersonal: ["id", "cooperative_id", "characteristic", "answer", "evidence"]),
            TableRegister(table: Membership.schema, subject: "user_id",
                          purpose: Localized(fr: "Tenir le registre des sociétaires (catégorie, parts sociales, rôle)", en: "Keep the register of members (category, shares, role)"),
                          legalBasis: .legalObligation, persons: Localized(fr: "Sociétaires et candidat·e·s", en: "Members and applicants"),
                          recipients: Localized(fr: "Conseil et équipe de la coopérative", en: "The cooperative's board and staff"),
                          retention: .cooperativeRecords(years: 10),
                          personal: [PersonalField("college_id", .membership), PersonalField("shares", .economic), PersonalField("role", .membership),
                                     PersonalField("status", .membership), PersonalField("message", .communication)],
                          nonPersonal: ["id", "cooperative_id", "user_id", "requested_at", "decided_at", "decided_by"]),
            TableRegister(table: MembershipDepartures.table, subject: "user_id",
                          purpose: Localized(fr: "Inscrire au registre des sociétaires chaque départ et les parts à rembourser",
                                             en: "Record each departure in the register of members, and the shares to pay back"),
                          legalBasis: .legalObligation, persons: Localized(fr: "Ancien·ne·s sociétaires", en: "Former members"),
                          recipients: Localized(fr: "Conseil et équipe de la coopérative", en: "The cooperative's board and staff"),
                          retention: .cooperativeRecords(years: 10),
                          personal: [PersonalField("shares", .economic), PersonalField("left_at", .membership)],
                          nonPersonal: ["id", "membership_id", "cooperative_id", "user_id", "recorded_by"]),
        ]
    }
}

extension GovernanceModule {
    var dataRegister: [TableRegister] {
        let members = Localized(fr: "Sociétaires de la coopérative", en: "Members of the cooperative")
        let records = Retention.cooperativeRecords(years: 10)
        return [
            TableRegister(table: Proposal.schema, subject: nil,
                          purpose: Localized(fr: "Décisions de la coopérative", en: "The cooperative's decisions"),
                          legalBasis: .legalObligation, persons: Localized(fr: "Auteur·e de la proposition", en: "Author of the proposal"),
                          recipients: members, retention: records, personal: [PersonalField("author_id", .participation)],
                          nonPersonal: ["id", "cooperative_id", "title", "body", "method", "options", "grades", "opens_at", "closes_at", "secret",
                                        "quorum", "majority", "weighted", "electorate_taken_at", "closed_at", "result", "outcome_statement",
                                        "created_at", "assembly_id"]),
            TableRegister(table: ProposalVoter.schema, subject: "user_id",
                          purpose: Localized(fr: "Corps électoral à l’ouverture du vote et participation", en: "Electorate when the vote opened, and turnout"),
                          legalBasis: .legalObligation, persons: members, recipients: members, retention: records,
                          personal: [PersonalField("college_id", .membership), PersonalField("voted_at", .participation)],
                          nonPersonal: ["id", "proposal_id", "user_id"]),
            TableRegister(table: Ballot.schema, subject: "voter_id",
                          purpose: Localized(fr: "Bulletins comptés (sans votant pour un vote secret)", en: "Counted ballots (no voter for a secret vote)"),
                          legalBasis: .legalObligation, persons: members,
                          recipients: Localized(fr: "Sociétaires (fichier anonymisé des bulletins)", en: "Members (anonymised ballot file)"),
                          retention: records, personal: [PersonalField("content", .participation)],
                          nonPersonal: ["id", "proposal_id", "voter_id", "college_id", "cast_at"]),
            TableRegister(table: "ballot_history", subject: "voter_id",
                          purpose: Localized(fr: "Historique des bulletins modifiés", en: "History of changed ballots"),
                          legalBasis: .legalObligation, persons: members, recipients: Localized(fr: "La personne seule", en: "The person only"),
                          retention: records, personal: [PersonalField("content", .participation)],
                          nonPersonal: ["id", "proposal_id", "voter_id", "cast_at"]),
            TableRegister(table: Assembly.schema, subject: nil,
                          purpose: Localized(fr: "Convocation des assemblées générales", en: "Convening general assemblies"),
                          legalBasis: .legalObligation, persons: Localized(fr: "Membre du conseil qui convoque", en: "Board member convening"),
                          recipients: members, retention: records, personal: [PersonalField("convened_by", .membership)],
                          nonPersonal: ["id", "cooperative_id", "title", "kind", "starts_at", "place", "quorum", "proxies_per_holder", "created_at"]),
            TableRegister(table: Attendance.schema, subject: "user_id",
                          purpose: Localized(fr: "Feuille de présence et pouvoirs", en: "Attendance sheet and proxies"),
                          legalBasis: .legalObligation, persons: members, recipients: members, retention: records,
                          personal: [PersonalField("status", .participation), PersonalField("proxy_holder_id", .participation)],
                          nonPersonal: ["id", "assembly_id", "user_id", "recorded_at"]),
        ]
    }
}
