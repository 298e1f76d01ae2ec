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
                          nonPersonal: ["id", "user_id", "link", "created_at"]),
        ]
    }
}
