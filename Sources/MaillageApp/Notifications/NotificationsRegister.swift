import MaillageCore

extension NotificationsModule {
    var dataRegister: [TableRegister] {
        [
            TableRegister(table: Notice.schema, subject: "user_id",
                          purpose: Localized(fr: "Prévenir la personne de ce qui la concerne", en: "Tell the person what concerns them"),
                          legalBasis: .contract, persons: Localized(fr: "Membres", en: "Members"),
                          recipients: Localized(fr: "La personne seule", en: "The person only"),
                          retention: .days(365, column: "created_at"),
                          personal: [PersonalField("text_fr", .communication), PersonalField("text_en", .communication), PersonalField("read_at", .connection)],
                          nonPersonal: ["id", "user_id", "link", "created_at", "kind", "digest_id"]),
            TableRegister(table: NoticeChoices.table, subject: "user_id",
                          purpose: Localized(fr: "Prévenir la personne comme elle l’a choisi (dans le site, courriel immédiat, résumé quotidien)",
                                             en: "Tell the person the way they chose (in the site, mail at once, daily digest)"),
                          legalBasis: .contract, persons: Localized(fr: "Membres", en: "Members"),
                          recipients: Localized(fr: "La personne seule", en: "The person only"),
                          retention: .whileAccountExists,
                          personal: [PersonalField("kind", .communication), PersonalField("channel", .communication)],
                          nonPersonal: ["id", "user_id", "updated_at"]),
            TableRegister(table: DailyDigest.table, subject: "user_id",
                          purpose: Localized(fr: "N’envoyer qu’un résumé par jour, et jamais deux fois la même nouvelle",
                                             en: "Send one digest a day at most, never the same news twice"),
                          legalBasis: .contract, persons: Localized(fr: "Membres", en: "Members"),
                          recipients: Localized(fr: "La personne seule", en: "The person only"),
                          retention: .days(365, column: "created_at"),
                          personal: [PersonalField("cut_at", .connection), PersonalField("notices", .connection)],
                          nonPersonal: ["id", "user_id", "created_at"]),
        ]
    }
}
