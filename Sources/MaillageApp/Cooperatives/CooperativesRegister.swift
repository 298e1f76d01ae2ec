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
                                        "share_nominal_cents", "latitude", "longitude", "created_at", "review", "review_reason", "reviewed_at",
                                        "archived_at", "requires_two_factor"]),
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
            // About the invited person: by their address until they answer, then by their account.
            TableRegister(table: Invitation.schema, subject: "accepted_by",
                          purpose: Localized(fr: "Inviter une personne à adhérer, par courriel, à la demande du conseil",
                                             en: "Invite a person to join, by email, at the board's request"),
                          legalBasis: .legitimateInterest, persons: Localized(fr: "Personnes invitées par le conseil", en: "People invited by the board"),
                          recipients: Localized(fr: "Conseil de la coopérative", en: "The cooperative's board"),
                          retention: .days(365, column: "expires_at"),
                          personal: [PersonalField("email", .contact), PersonalField("college_id", .membership), PersonalField("shares", .economic),
                                     PersonalField("message", .communication), PersonalField("accepted_at", .membership)],
                          nonPersonal: ["id", "cooperative_id", "token_hash", "invited_by", "language", "status", "created_at", "expires_at",
                                        "accepted_by", "withdrawn_at", "withdrawn_by", "membership_id"]),
            TableRegister(table: MembershipDepartures.table, subject: "user_id",
                          purpose: Localized(fr: "Inscrire au registre des sociétaires chaque départ et les parts à rembourser",
                                             en: "Record each departure in the register of members, and the shares to pay back"),
                          legalBasis: .legalObligation, persons: Localized(fr: "Ancien·ne·s sociétaires", en: "Former members"),
                          recipients: Localized(fr: "Conseil et équipe de la coopérative", en: "The cooperative's board and staff"),
                          retention: .cooperativeRecords(years: 10),
                          personal: [PersonalField("shares", .economic), PersonalField("left_at", .membership), PersonalField("reason", .membership)],
                          nonPersonal: ["id", "membership_id", "cooperative_id", "user_id", "recorded_by"]),
        ]
    }
}
