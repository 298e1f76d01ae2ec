import MaillageCore

extension KernelModule {
    var dataRegister: [TableRegister] {
        ThreadTables.register + [
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
            // A delivered message keeps no body: only where it went, its subject and when.
            TableRegister(table: OutboxTables.messages, subject: nil,
                          purpose: Localized(fr: "Envoyer les courriels (liens de connexion, confirmations) et prouver leur envoi", en: "Send mail (sign-in links, confirmations) and keep proof it was sent"),
                          legalBasis: .contract, persons: Localized(fr: "Destinataires des courriels", en: "Mail recipients"),
                          recipients: Localized(fr: "Le serveur de courriel de l’instance ; les exploitants de l’instance (courriels en échec ou non envoyés)", en: "The instance's mail server; the instance operators (failed or unsent mail)"),
                          retention: .days(60, column: "created_at"),
                          personal: [PersonalField("destination", .contact), PersonalField("summary", .communication),
                                     PersonalField("payload", .communication)],
                          nonPersonal: ["id", "channel", "destination_key", "signer", "status", "attempts", "created_at", "next_attempt_at",
                                        "lease_owner", "lease_until", "finished_at", "last_error"]),
            TableRegister(table: FormSubmissions.table, subject: nil,
                          purpose: Localized(fr: "Ne prendre en compte qu’une fois un formulaire envoyé deux fois (double clic, page rechargée)", en: "Apply a form sent twice (double click, reloaded page) once"),
                          legalBasis: .legitimateInterest, persons: Localized(fr: "Visiteurs et membres", en: "Visitors and members"),
                          recipients: Localized(fr: "Personne (usage technique)", en: "Nobody (technical use)"),
                          retention: .days(2, column: "created_at"),
                          personal: [PersonalField("owner", .connection)], nonPersonal: ["form_key", "status", "location", "created_at"]),
            TableRegister(table: OutboxTables.attempts, subject: nil,
                          purpose: Localized(fr: "Journal des tentatives d’envoi, pour les exploitants", en: "Log of delivery attempts, for the operators"),
                          legalBasis: .legitimateInterest, persons: Localized(fr: "Destinataires des courriels", en: "Mail recipients"),
                          recipients: Localized(fr: "Exploitants de l’instance", en: "Instance operators"),
                          retention: .days(60, column: "attempted_at"),
                          personal: [], nonPersonal: ["id", "message_id", "attempted_at", "owner", "outcome", "detail"]),
        ]
    }
}
