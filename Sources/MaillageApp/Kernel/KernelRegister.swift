import MaillageCore

extension KernelModule {
    var dataRegister: [TableRegister] {
        [
            TableRegister(table: DatabaseSessions.table, subject: nil,
                          purpose: Localized(fr: "Garder la connexion, la langue choisie et le jeton anti-falsification", en: "Keep people signed in, their language and the anti-forgery token"),
                          legalBasis: .contract, persons: Localized(fr: "Visiteurs et membres", en: "Visitors and members"),
                          recipients: Localized(fr: "Personne (usage technique)", en: "Nobody (technical use)"),
                          retention: .days(30, column: "expires_at"),
                          personal: [PersonalField("data", .connection)], nonPersonal: ["id", "expires_at", "created_at"]),
            TableRegister(table: JobRuns.table, subject: nil,
                          purpose: Localized(fr: "Exécuter chaque tâche planifiée une seule fois", en: "Run each scheduled job once"),
                          legalBasis: .legitimateInterest, persons: Localized(fr: "Aucune", en: "None"),
                          recipients: Localized(fr: "Exploitants de l’instance", en: "Instance operators"),
                          retention: .days(90, column: "started_at"),
                          personal: [], nonPersonal: ["id", "job", "slot", "owner", "started_at", "finished_at", "outcome", "detail"]),
        ]
    }
}
