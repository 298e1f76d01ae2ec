import Foundation
import MaillageCore
import Plot
import Vapor

/// The form that builds one pricing rule from typed fields: each filled field is one condition.
enum DeliveryRuleForm {
    static func fields(_ state: FormState, zones: [(String, String)], _ t: Translator) -> Node<HTML.FormContext> {
        .group(
            Form.summary(state, t),
            Form.field("label", label: t("Nom du tarif", "Price name"), state: state, t),
            Form.select("target", label: t("S’applique", "Applies"), state: state, t,
                        options: [(PricingTarget.delivery.rawValue, t("une fois par livraison", "once per delivery")),
                                  (PricingTarget.task.rawValue, t("à chaque étape qui remplit les conditions", "to each stop meeting the conditions"))]),
            Form.field("base", label: t("Montant (€)", "Amount (€)"), state: state, t),
            Form.field("per_km", label: t("Par km entamé (€)", "Per started km (€)"), state: state, t, required: false),
            .fieldset(.element(named: "legend", nodes: [.text(t("Conditions (laissez vide ce qui ne compte pas)", "Conditions (leave empty what does not matter)"))]),
                Form.field("min_km", label: t("Distance d’au moins (km)", "Distance at least (km)"), state: state, t, required: false),
                Form.field("max_km", label: t("Distance d’au plus (km)", "Distance at most (km)"), state: state, t, required: false),
                Form.field("max_weight", label: t("Poids d’au plus (kg)", "Weight at most (kg)"), state: state, t, required: false),
                Form.field("min_weight", label: t("Poids de plus de (kg)", "Weight over (kg)"), state: state, t, required: false),
                Form.field("max_packages", label: t("Colis : au plus", "Parcels: at most"), state: state, t, required: false),
                Form.field("max_volume", label: t("Volume : au plus (unités)", "Volume: at most (units)"), state: state, t, required: false),
                Form.select("pickup_zone", label: t("Retrait dans la zone", "Pickup in zone"), state: state, t, options: zones, required: false),
                Form.select("dropoff_zone", label: t("Livraison dans la zone", "Dropoff in zone"), state: state, t, options: zones, required: false),
                Form.field("slot_from", label: t("Retrait à partir de (HH:MM)", "Pickup from (HH:MM)"), state: state, t, type: .time, required: false),
                Form.field("slot_to", label: t("Retrait avant (HH:MM)", "Pickup before (HH:MM)"), state: state, t, type: .time, required: false),
                Form.field("lead_below", label: t("Commandée moins de … heures avant", "Ordered less than … hours ahead"), state: state, t, required: false),
                Form.select("vehicle", label: t("Véhicule", "Vehicle"), state: state, t,
                            options: [("", t("— tous —", "— any —"))] + DeliveryVehicle.allCases.map { ($0.rawValue, t($0.words)) }, required: false),
                Form.select("task_kind", label: t("Étape (tarifs par étape)", "Stop (per-stop prices)"), state: state, t,
                            options: [("", t("— toutes —", "— any —")), (DeliveryTaskKind.pickup.rawValue, t("retrait", "pickup")),
                                      (DeliveryTaskKind.dropoff.rawValue, t("livraison", "dropoff"))], required: false)),
            Form.submit(t("Ajouter le tarif", "Add the price")))
    }

    /// The rule the form describes, or every problem at once.
    static func rule(_ form: DeliveryForm) throws -> PricingRule {
        var problems = ValidationErrors()
        var conditions: [PriceCondition] = []
        func number(_ name: String) throws -> Double? { try DeliveryManagePages.optionalNumber(form[name], field: name) }
        func add(_ name: String, _ make: (Double) -> PriceCondition) throws {
            if let value = try problems.collect({ try number(name) }) ?? nil { conditions.append(make(value)) }
        }
        try add("min_km") { .distanceKm(.atLeast, $0) }
        try add("max_km") { .distanceKm(.atMost, $0) }
        try add("max_weight") { .weightKg(.atMost, $0) }
        try add("min_weight") { .weightKg(.above, $0) }
        try add("max_packages") { .packageCount(.atMost, Int($0)) }
        try add("max_volume") { .volumeUnits(.atMost, Int($0)) }
        if !form["pickup_zone"].isEmpty { conditions.append(.pickupInZone(form["pickup_zone"])) }
        if !form["dropoff_zone"].isEmpty { conditions.append(.dropoffInZone(form["dropoff_zone"])) }
        if !form["slot_from"].isEmpty || !form["slot_to"].isEmpty {
            let from = minute(form["slot_from"]) ?? (form["slot_from"].isEmpty ? 0 : nil)
            let to = minute(form["slot_to"]) ?? (form["slot_to"].isEmpty ? 1440 : nil)
            if let from, let to { conditions.append(.timeSlot(fromMinute: from, toMinute: to)) }
            else { problems.add(DeliveryWords.number(minute(form["slot_from"]) == nil ? "slot_from" : "slot_to")) }
        }
        try add("lead_below") { .leadTimeHours(.below, $0) }
        if let vehicle = DeliveryVehicle(rawValue: form["vehicle"]) { conditions.append(.vehicle(vehicle)) }
        if let kind = DeliveryTaskKind(rawValue: form["task_kind"]) { conditions.append(.taskKind(kind)) }
        let base = Euros.parseCents(form["base"])
        if base == nil { problems.add(DeliveryWords.number("base")) }
        let perKm = form["per_km"].isEmpty ? 0 : Euros.parseCents(form["per_km"])
        if perKm == nil { problems.add(DeliveryWords.number("per_km")) }
        try problems.throwIfAny()
        let rule = PricingRule(label: form["label"], target: PricingTarget(rawValue: form["target"]) ?? .delivery, conditions: conditions,
                               baseCents: base ?? 0, perKmCents: perKm ?? 0)
        try rule.validate()
        return rule
    }

    /// "9:30" or "09:30" → 570.
    static func minute(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]), (0...24).contains(hour), (0..<60).contains(minute),
              hour * 60 + minute <= 1440 else { return nil }
        return hour * 60 + minute
    }
}
