import MaillageCore

extension AccountsModule {
    var dataRegister: [TableRegister] {
        [
            TableRegister(table: User.schema, subject: "id",
                          purpose: Localized(fr: "Compte personnel unique pour toutes les coopératives du territoire", en: "One personal account for every cooperative of the territory"),
                          legalBasis: .contract, persons: Localized(fr: "Membres et personnes inscrites", en: "Members and registered people"),
                          recipients: Localized(fr: "Conseils et équipes des coopératives dont la personne est sociétaire (nom affiché)", en: "Boards and staff of the person's cooperatives (display name)"),
                          retention: .whileAccountExists,
                          personal: [PersonalField("email", .contact), PersonalField("display_name", .identity), PersonalField("password_hash", .credentials),
                                     PersonalField("language", .identity)],
                          nonPersonal: ["id", "created_at"]),
            TableRegister(table: AccessToken.schema, subject: "user_id",
                          purpose: Localized(fr: "Accès à l’API au nom de la personne", en: "API access on the person's behalf"),
                          legalBasis: .contract, persons: Localized(fr: "Membres", en: "Members"),
                          recipients: Localized(fr: "La personne seule", en: "The person only"),
                          retention: .whileAccountExists,
                          personal: [PersonalField("name", .credentials), PersonalField("token_hash", .credentials), PersonalField("hint", .credentials),
                                     PersonalField("last_used_at", .connection)],
                          nonPersonal: ["id", "user_id", "created_at", "revoked_at"]),
            TableRegister(table: SignUpAttempts.table, subject: nil,
                          purpose: Localized(fr: "Freiner la création de comptes en masse depuis une même adresse", en: "Slow down mass sign-ups from one address"),
                          legalBasis: .legitimateInterest, persons: Localized(fr: "Personnes qui créent un compte", en: "People signing up"),
                          recipients: Localized(fr: "Personne (usage technique)", en: "Nobody (technical use)"),
                          retention: .days(1, column: "created_at"),
                          personal: [PersonalField("address", .connection)], nonPersonal: ["id", "created_at"]),
            TableRegister(table: LoginAttempts.table, subject: nil,
                          purpose: Localized(fr: "Freiner les tentatives de deviner un mot de passe", en: "Slow down password guessing"),
                          legalBasis: .legitimateInterest, persons: Localized(fr: "Personnes qui se connectent", en: "People logging in"),
                          recipients: Localized(fr: "Personne (usage technique)", en: "Nobody (technical use)"),
                          retention: .days(1, column: "created_at"),
                          personal: [PersonalField("email", .contact), PersonalField("address", .connection)], nonPersonal: ["id", "created_at"]),
        ]
    }
}
