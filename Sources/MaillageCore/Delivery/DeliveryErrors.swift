import Foundation

/// Why delivery refuses something, in words the store, the recipient or the staff understand.
extension DomainError {
    static let deliveryNeedsPickup = DomainError(.invalid, code: "delivery_needs_pickup", field: "tasks",
        fr: "Une livraison part d’au moins un point de retrait.", en: "A delivery starts from at least one pickup.")
    static let deliveryNeedsDropoff = DomainError(.invalid, code: "delivery_needs_dropoff", field: "tasks",
        fr: "Une livraison a au moins un point de livraison.", en: "A delivery has at least one dropoff.")
    static let deliveryManyToMany = DomainError(.invalid, code: "delivery_many_to_many", field: "tasks",
        fr: "Une livraison a un seul retrait et plusieurs livraisons, ou plusieurs retraits et une seule livraison : faites-en deux.",
        en: "A delivery has one pickup and several dropoffs, or several pickups and one dropoff: make two deliveries.")
    static func deliveryTooManyTasks(_ limit: Int) -> DomainError {
        DomainError(.invalid, code: "delivery_too_many_tasks", field: "tasks",
                    fr: "Une livraison a au plus \(limit) étapes.", en: "A delivery has at most \(limit) stops.")
    }
    static let dropoffBeforePickup = DomainError(.invalid, code: "dropoff_before_pickup", field: "tasks",
        fr: "Les retraits viennent avant les livraisons : on ne livre pas un colis pas encore pris.",
        en: "Pickups come before dropoffs: a parcel cannot be delivered before it is collected.")
    static func taskAddressMissing(field: String) -> DomainError {
        DomainError(.invalid, code: "task_address_missing", field: field, fr: "Indiquez l’adresse.", en: "Give the address.")
    }
    static func taskTextTooLong(field: String) -> DomainError {
        DomainError(.invalid, code: "task_text_too_long", field: field,
                    fr: "Un des textes de cette étape est trop long.", en: "One of this stop's texts is too long.")
    }
    static func taskWindowReversed(field: String) -> DomainError {
        DomainError(.invalid, code: "task_window_reversed", field: field,
                    fr: "La fin du créneau doit venir après son début.", en: "The window must end after it starts.")
    }
    static func dropoffWindowBeforePickup(field: String) -> DomainError {
        DomainError(.invalid, code: "dropoff_window_before_pickup", field: field,
                    fr: "Ce créneau de livraison se termine avant que le colis puisse être retiré.",
                    en: "This dropoff window ends before the parcel can be collected.")
    }
    static func packageQuantity(field: String) -> DomainError {
        DomainError(.invalid, code: "package_quantity", field: field,
                    fr: "Le nombre de colis va de 1 à 999.", en: "The number of parcels is between 1 and 999.")
    }
    static func taskWeight(field: String) -> DomainError {
        DomainError(.invalid, code: "task_weight", field: field,
                    fr: "Ce poids n’est pas possible.", en: "This weight is not possible.")
    }
    public static func deliveryCannotMove(from: DeliveryStatus, to: DeliveryStatus) -> DomainError {
        DomainError(.conflict, code: "delivery_status_conflict", field: "status",
                    fr: "Cette livraison est « \(from.words.fr) » : elle ne peut passer à « \(to.words.fr) ».",
                    en: "This delivery is “\(from.words.en)”: it cannot become “\(to.words.en)”.")
    }
    public static let failureReasonUnknown = DomainError(.invalid, code: "failure_reason_unknown", field: "reason",
        fr: "Choisissez une des raisons d’échec de la coopérative.", en: "Choose one of the cooperative’s failure reasons.")

    // Acceptance
    static func deliveryTooFar(distanceKm: Double, limitKm: Double) -> DomainError {
        let km = (distanceKm * 10).rounded() / 10
        return DomainError(.invalid, code: "delivery_too_far", field: "tasks",
                           fr: "Le trajet fait environ \(String(km).replacingOccurrences(of: ".", with: ",")) km ; ce magasin est livré jusqu’à \(Self.km(limitKm, .fr)) km.",
                           en: "The ride is about \(km) km; this store is served up to \(Self.km(limitKm, .en)) km.")
    }
    static func pickupOutsideZone(_ zone: String) -> DomainError {
        DomainError(.invalid, code: "pickup_outside_zone", field: "tasks",
                    fr: "Un retrait est hors de la zone « \(zone) ».", en: "A pickup lies outside the zone “\(zone)”.")
    }
    static func dropoffOutsideZone(_ zone: String) -> DomainError {
        DomainError(.invalid, code: "dropoff_outside_zone", field: "tasks",
                    fr: "Une livraison est hors de la zone « \(zone) ».", en: "A dropoff lies outside the zone “\(zone)”.")
    }
    static func deliveryTooHeavy(weightGrams: Int, limitGrams: Int) -> DomainError {
        DomainError(.invalid, code: "delivery_too_heavy", field: "tasks",
                    fr: "Le chargement pèse \(weightGrams / 1000) kg ; au plus \(limitGrams / 1000) kg pour ce magasin.",
                    en: "The load weighs \(weightGrams / 1000) kg; at most \(limitGrams / 1000) kg for this store.")
    }
    private static func km(_ value: Double, _ language: Language) -> String {
        let text = value == value.rounded() ? String(Int(value)) : String(value)
        return language == .fr ? text.replacingOccurrences(of: ".", with: ",") : text
    }

    // Pricing
    public static let noPriceApplies = DomainError(.invalid, code: "no_price_applies", field: "tasks",
        fr: "Aucun tarif de la coopérative ne couvre cette livraison.", en: "None of the cooperative’s prices covers this delivery.")
    public static let splitNotWhole = DomainError(.invalid, code: "split_not_whole", field: "split",
        fr: "Les parts (coursier·ères, coopérative, réserves) doivent faire 100 %.", en: "The shares (couriers, cooperative, reserves) must make 100 %.")
    static let ruleLabel = DomainError(.invalid, code: "rule_label", field: "label",
        fr: "Donnez un nom à ce tarif (120 caractères au plus).", en: "Name this price (at most 120 characters).")
    static let ruleAmount = DomainError(.invalid, code: "rule_amount", field: "base",
        fr: "Ce montant n’est pas possible.", en: "This amount is not possible.")
    static let conditionValue = DomainError(.invalid, code: "condition_value", field: "conditions",
        fr: "Une condition a une valeur impossible.", en: "A condition has an impossible value.")
    static let conditionTimeSlot = DomainError(.invalid, code: "condition_time_slot", field: "conditions",
        fr: "La plage horaire doit finir après son début, dans la journée.", en: "The time range must end after it starts, within the day.")

    // Zones
    static let zoneFileTooLarge = DomainError(.invalid, code: "zone_file_too_large", field: "geojson",
        fr: "Ce fichier est trop gros pour une zone (2 Mo au plus).", en: "This file is too large for a zone (2 MB at most).")
    static let zoneNotGeoJSON = DomainError(.invalid, code: "zone_not_geojson", field: "geojson",
        fr: "Ce fichier n’est pas du GeoJSON lisible (polygones en [longitude, latitude]).",
        en: "This file is not readable GeoJSON (polygons as [longitude, latitude]).")
    static let zoneWithoutPolygon = DomainError(.invalid, code: "zone_without_polygon", field: "geojson",
        fr: "Ce fichier ne contient aucun polygone.", en: "This file holds no polygon.")

    // Time slots
    static let slotPlanHours = DomainError(.invalid, code: "slot_plan_hours", field: "slots",
        fr: "Les heures des créneaux ne vont pas : un début avant la fin, des créneaux de 15 min à 12 h.",
        en: "The slot hours do not fit: a start before the end, slots of 15 min to 12 h.")
    static let slotPlanDays = DomainError(.invalid, code: "slot_plan_days", field: "days",
        fr: "Choisissez au moins un jour ouvré.", en: "Choose at least one working day.")
    static let slotPlanNotice = DomainError(.invalid, code: "slot_plan_notice", field: "notice",
        fr: "Le délai de prévenance ou l’heure limite n’est pas possible.", en: "The notice or the cutoff is not possible.")
}
