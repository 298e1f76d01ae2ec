import MaillageCore

/// Words of the delivery pages and errors that are not core rules.
enum DeliveryWords {
    static let store = Localized(fr: "Ce magasin", en: "This store")
    static let delivery = Localized(fr: "Cette livraison", en: "This delivery")

    static let notDelivery = DomainError(.notFound, code: "not_delivery",
        fr: "Cette coopérative ne fait pas de livraison.", en: "This cooperative runs no deliveries.")
    static let nameTaken = DomainError(.conflict, code: "name_taken", field: "name",
        fr: "Ce nom est déjà pris dans la coopérative.", en: "This name is already taken in the cooperative.")
    static let notStoreMember = DomainError(.forbidden, code: "not_store_member",
        fr: "Seules les personnes du magasin et l’équipe de la coopérative commandent pour ce magasin.",
        en: "Only the store's people and the cooperative's staff order for this store.")
    static let unknownPerson = DomainError(.invalid, code: "unknown_person", field: "email",
        fr: "Aucun compte n’a cette adresse.", en: "No account has this address.")
    static let position = DomainError(.invalid, code: "position", field: "address",
        fr: "Donnez une commune du territoire ou des coordonnées (latitude, longitude).",
        en: "Give a commune of the territory or coordinates (latitude, longitude).")
    static func number(_ field: String) -> DomainError {
        DomainError(.invalid, code: "number", field: field, fr: "Ce nombre n’est pas lisible.", en: "This number cannot be read.")
    }
    static func dateTime(_ field: String) -> DomainError {
        DomainError(.invalid, code: "date_time", field: field,
                    fr: "Cette date et heure n’est pas lisible (AAAA-MM-JJTHH:MM).", en: "This date and time cannot be read (YYYY-MM-DDTHH:MM).")
    }
    static let unknownPackageType = DomainError(.invalid, code: "unknown_package_type", field: "package_type",
        fr: "Choisissez un des types de colis de la coopérative.", en: "Choose one of the cooperative's package types.")
    static let slotGone = DomainError(.invalid, code: "slot_gone", field: "pickup_slot",
        fr: "Ce créneau n’est plus proposé : choisissez-en un autre.", en: "This slot is no longer offered: choose another.")
}
