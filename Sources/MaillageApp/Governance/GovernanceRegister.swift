import MaillageCore

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
                                        "created_at", "assembly_id", "awaiting_board", "college_weights",
                                        "cancelled_at", "cancel_reason", "fixed_terms"]),
            TableRegister(table: ProposalVoter.schema, subject: "user_id",
                          purpose: Localized(fr: "Corps électoral à l’ouverture du vote et participation", en: "Electorate when the vote opened, and turnout"),
                          legalBasis: .legalObligation, persons: members, recipients: members, retention: records,
                          personal: [PersonalField("college_id", .membership), PersonalField("voted_at", .participation),
                                     PersonalField("sealed_ballot", .participation)],
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
