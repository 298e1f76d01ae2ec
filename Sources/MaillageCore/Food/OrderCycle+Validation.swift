import Foundation

extension OrderCycle {
    public static let maximumDeliveryFeeCents: Int64 = 100_000

    /// Every problem of the cycle as a coordinator set it up, checked against the products it
    /// sells. Field names: `name`, `closesAt`, `fulfilment`, `pickupPoints[i].name`,
    /// `pickupPoints[i].slots[j]`, `homeDelivery.fee`, `offers[k]`.
    public func problems(catalog: FoodCatalog) -> ValidationErrors {
        var errors = ValidationErrors()
        do { _ = try Validate.text(name, field: "name", label: Localized(fr: "Nom", en: "Name"), range: 1...120) } catch { errors.add(error) }
        if closesAt <= opensAt { errors.add(.closeNotAfterOpen) }
        if pickupPoints.isEmpty && homeDelivery == nil { errors.add(.noFulfilment) }
        var pointIDs = Set<UUID>(), slotIDs = Set<UUID>()
        for (i, point) in pickupPoints.enumerated() {
            let prefix = "pickupPoints[\(i)]"
            if !pointIDs.insert(point.id).inserted { errors.add(.duplicateEntry(field: prefix)) }
            do { _ = try Validate.text(point.name, field: prefix + ".name", label: Localized(fr: "Point de retrait", en: "Pickup point"), range: 1...120) } catch { errors.add(error) }
            if point.slots.isEmpty { errors.add(.noSlot(field: prefix + ".slots")) }
            for (j, slot) in point.slots.enumerated() {
                let field = prefix + ".slots[\(j)]"
                if !slotIDs.insert(slot.id).inserted { errors.add(.duplicateEntry(field: field)) }
                if slot.endsAt <= slot.startsAt { errors.add(.slotEndsBeforeStart(field: field)) }
                if slot.startsAt < closesAt { errors.add(.slotBeforeClose(field: field)) }
            }
        }
        if let homeDelivery, !(0...Self.maximumDeliveryFeeCents).contains(homeDelivery.feeCents) {
            errors.add(.invalidPrice(field: "homeDelivery.fee"))
        }
        var variantIDs = Set<UUID>()
        for (k, offer) in offers.enumerated() {
            let field = "offers[\(k)]"
            if !variantIDs.insert(offer.variantID).inserted { errors.add(.duplicateEntry(field: field)) }
            if let entry = catalog.entry(variant: offer.variantID) {
                if entry.product.id != offer.productID || entry.product.producerID != offer.producerID {
                    errors.add(.offerMismatch(field: field))
                }
            } else {
                errors.add(.unknownVariant(field: field))
            }
            if let price = offer.priceCents, !(1...ProductDraft.maximumPriceCents).contains(price) {
                errors.add(.invalidPrice(field: field + ".price"))
            }
            if case .tracked(let count)? = offer.stock, !(0...ProductDraft.maximumStock).contains(count) {
                errors.add(.invalidStock(field: field + ".stock"))
            }
        }
        return errors
    }
}
