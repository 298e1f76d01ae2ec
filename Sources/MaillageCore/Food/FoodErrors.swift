import Foundation

// Catalog
extension DomainError {
    public static func invalidVATRate(field: String) -> DomainError {
        DomainError(.invalid, code: "invalid_vat_rate", field: field,
                    fr: "Le taux de TVA doit être 0, 5,5, 10 ou 20 %.",
                    en: "The VAT rate must be 0, 5.5, 10 or 20 %.")
    }

    public static func unknownUnit(field: String) -> DomainError {
        DomainError(.invalid, code: "unknown_unit", field: field,
                    fr: "L’unité doit être kg, g, L, mL ou pièce.",
                    en: "The unit must be kg, g, L, mL or piece.")
    }

    public static let noVariant = DomainError(
        .invalid, code: "no_variant", field: "variants",
        fr: "Un produit se vend sous au moins une variante (par exemple « 1 kg »).",
        en: "A product is sold as at least one variant (for example “1 kg”).")

    public static func tooManyVariants(_ limit: Int) -> DomainError {
        DomainError(.invalid, code: "too_many_variants", field: "variants",
                    fr: "Un produit compte au plus \(limit) variantes.", en: "A product has at most \(limit) variants.")
    }

    public static func duplicateVariant(field: String) -> DomainError {
        DomainError(.invalid, code: "duplicate_variant", field: field,
                    fr: "Deux variantes portent le même nom.", en: "Two variants have the same name.")
    }

    public static func invalidMeasure(field: String) -> DomainError {
        DomainError(.invalid, code: "invalid_quantity", field: field,
                    fr: "La quantité doit être un nombre positif, avec au plus 3 décimales (exemple : 0,5).",
                    en: "The quantity must be a positive number with at most 3 decimals (example: 0.5).")
    }

    public static func invalidPrice(field: String) -> DomainError {
        DomainError(.invalid, code: "invalid_price", field: field,
                    fr: "Le prix doit être un montant positif en euros (exemple : 3,50).",
                    en: "The price must be a positive amount in euros (example: 3.50).")
    }

    public static func invalidStock(field: String) -> DomainError {
        DomainError(.invalid, code: "invalid_stock", field: field,
                    fr: "Le stock est un nombre entier d’articles, ou vide pour « à la demande ».",
                    en: "Stock is a whole number of items, or empty for “on demand”.")
    }
}

// Order cycles
extension DomainError {
    public static let cycleNotOpenYet = DomainError(
        .conflict, code: "cycle_not_open", fr: "Les commandes ne sont pas encore ouvertes pour ce cycle.",
        en: "Orders are not open yet for this cycle.")

    public static let cycleClosed = DomainError(
        .conflict, code: "cycle_closed", fr: "Ce cycle de commande est clos : il ne prend plus de commande.",
        en: "This order cycle is closed: it takes no more orders.")

    public static let cycleCancelled = DomainError(
        .conflict, code: "cycle_cancelled", fr: "Ce cycle de commande a été annulé.", en: "This order cycle was cancelled.")

    public static let unknownPickupPoint = DomainError(
        .invalid, code: "unknown_pickup_point", field: "pickupPoint",
        fr: "Ce point de retrait n’est pas proposé dans ce cycle.", en: "This pickup point is not offered in this cycle.")

    public static let slotNotAtPickupPoint = DomainError(
        .invalid, code: "slot_not_at_pickup_point", field: "slot",
        fr: "Ce créneau n’appartient pas au point de retrait choisi.", en: "This time slot does not belong to the chosen pickup point.")

    public static let noHomeDelivery = DomainError(
        .invalid, code: "no_home_delivery", field: "fulfilment",
        fr: "Ce cycle ne propose pas la livraison à domicile.", en: "This cycle does not offer home delivery.")

    public static let deliveryAddressMissing = DomainError(
        .invalid, code: "delivery_address_missing", field: "address",
        fr: "Indiquez l’adresse de livraison.", en: "Enter the delivery address.")

    public static let closeNotAfterOpen = DomainError(
        .invalid, code: "close_not_after_open", field: "closesAt",
        fr: "La clôture doit venir après l’ouverture.", en: "Closing must come after opening.")

    public static let noFulfilment = DomainError(
        .invalid, code: "no_fulfilment", field: "fulfilment",
        fr: "Proposez au moins un point de retrait ou la livraison à domicile.",
        en: "Offer at least one pickup point or home delivery.")

    public static func duplicateEntry(field: String) -> DomainError {
        DomainError(.invalid, code: "duplicate_entry", field: field,
                    fr: "Cet élément figure deux fois.", en: "This entry appears twice.")
    }

    public static func noSlot(field: String) -> DomainError {
        DomainError(.invalid, code: "no_slot", field: field,
                    fr: "Un point de retrait propose au moins un créneau.", en: "A pickup point offers at least one time slot.")
    }

    public static func slotEndsBeforeStart(field: String) -> DomainError {
        DomainError(.invalid, code: "slot_ends_before_start", field: field,
                    fr: "Un créneau doit finir après avoir commencé.", en: "A time slot must end after it starts.")
    }

    public static func slotBeforeClose(field: String) -> DomainError {
        DomainError(.invalid, code: "slot_before_close", field: field,
                    fr: "Les créneaux de retrait commencent après la clôture des commandes, le temps de récolter et préparer.",
                    en: "Pickup slots start after orders close, leaving time to harvest and pack.")
    }

    public static func offerMismatch(field: String) -> DomainError {
        DomainError(.invalid, code: "offer_mismatch", field: field,
                    fr: "Cette variante n’appartient pas au produit ou au producteur indiqué.",
                    en: "This variant does not belong to the stated product or producer.")
    }

    public static func unknownVariant(field: String) -> DomainError {
        DomainError(.notFound, code: "unknown_variant", field: field,
                    fr: "Cette variante n’existe pas.", en: "This variant does not exist.")
    }
}

// Cart and checkout
extension DomainError {
    public static let emptyCart = DomainError(
        .invalid, code: "empty_cart", field: "cart", fr: "Le panier est vide.", en: "The basket is empty.")

    public static func tooManyLines(_ limit: Int) -> DomainError {
        DomainError(.invalid, code: "too_many_lines", field: "cart",
                    fr: "Un panier compte au plus \(limit) lignes.", en: "A basket has at most \(limit) lines.")
    }

    public static func invalidQuantity(_ limit: Int) -> DomainError {
        DomainError(.invalid, code: "invalid_cart_quantity", field: "quantity",
                    fr: "La quantité va de 1 à \(limit) par article.", en: "The quantity runs from 1 to \(limit) per item.")
    }

    public static let variantNotInCycle = DomainError(
        .invalid, code: "variant_not_in_cycle", field: "variant",
        fr: "Ce produit n’est pas en vente dans ce cycle.", en: "This product is not on sale in this cycle.")
}

// Stock
extension DomainError {
    public static func outOfStock(available: Int) -> DomainError {
        DomainError(.conflict, code: "out_of_stock", field: "quantity",
                    fr: available > 0 ? "Il ne reste que \(available) article(s) de ce produit." : "Ce produit est épuisé.",
                    en: available > 0 ? "Only \(available) item(s) of this product are left." : "This product is sold out.")
    }

    /// Out of stock, naming the product the shopper asked for and saying what to do:
    /// `inBasket` is what their basket already holds of it (adding more than is left).
    public static func outOfStock(_ name: String, available: Int, inBasket: Int = 0) -> DomainError {
        let left = max(0, available)
        if left == 0 {
            return DomainError(.conflict, code: "out_of_stock", field: "quantity",
                               fr: "« \(name) » est épuisé : retirez-le du panier ou choisissez un autre produit.",
                               en: "“\(name)” is sold out: remove it from the basket or choose another product.")
        }
        if inBasket > 0 {
            let more = max(0, left - inBasket)
            return DomainError(.conflict, code: "out_of_stock", field: "quantity",
                               fr: "Plus que \(left) « \(name) » en stock et votre panier en a déjà \(inBasket) : "
                                   + (more > 0 ? "vous pouvez en ajouter \(more) au plus." : "vous ne pouvez pas en ajouter."),
                               en: "Only \(left) “\(name)” left and your basket already has \(inBasket): "
                                   + (more > 0 ? "you may add \(more) at most." : "you cannot add more."))
        }
        return DomainError(.conflict, code: "out_of_stock", field: "quantity",
                           fr: "Plus que \(left) « \(name) » en stock : choisissez \(left) au plus.",
                           en: "Only \(left) “\(name)” left: choose \(left) at most.")
    }

    public static func stockBelowCommitted(_ committed: Int) -> DomainError {
        DomainError(.conflict, code: "stock_below_committed", field: "stock",
                    fr: "Le stock ne peut descendre sous les \(committed) article(s) déjà réservés ou vendus.",
                    en: "Stock cannot go below the \(committed) item(s) already reserved or sold.")
    }

    /// The same, naming the product whose stock was set too low.
    public static func stockBelowCommitted(_ committed: Int, name: String) -> DomainError {
        DomainError(.conflict, code: "stock_below_committed", field: "stock",
                    fr: "« \(name) » : le stock ne peut descendre sous les \(committed) article(s) déjà réservés ou vendus.",
                    en: "“\(name)”: stock cannot go below the \(committed) item(s) already reserved or sold.")
    }

    public static let unknownStock = DomainError(
        .notFound, code: "unknown_stock", field: "variant",
        fr: "Ce produit n’a pas de stock enregistré.", en: "This product has no recorded stock.")

    public static let reservationExists = DomainError(
        .conflict, code: "reservation_exists", fr: "Cette commande a déjà réservé son stock.",
        en: "This order has already reserved its stock.")

    public static let expiryNotAfterNow = DomainError(
        .invalid, code: "expiry_not_after_now", fr: "Une réservation expire après avoir commencé.",
        en: "A reservation expires after it starts.")

    public static let reservationExpired = DomainError(
        .conflict, code: "reservation_expired",
        fr: "Le délai pour valider ce panier est dépassé : ses produits ont été remis en vente.",
        en: "The time to confirm this basket is over: its products were put back on sale.")

    public static let unknownReservation = DomainError(
        .notFound, code: "unknown_reservation", fr: "Aucune réservation de stock pour cette commande.",
        en: "No stock reservation for this order.")

    public static let reservationNotHeld = DomainError(
        .conflict, code: "reservation_not_held", fr: "Cette réservation n’est plus en cours.",
        en: "This reservation is no longer held.")

    public static let reservationNotSold = DomainError(
        .conflict, code: "reservation_not_sold", fr: "Cette commande n’a pas été confirmée.",
        en: "This order was not confirmed.")
}

// Orders
extension DomainError {
    public static func orderNotPending(_ status: OrderStatus) -> DomainError {
        DomainError(.conflict, code: "order_not_pending",
                    fr: "Cette commande n’est plus en cours de validation (\(status.label.fr.lowercased())).",
                    en: "This order is no longer being checked out (\(status.label.en.lowercased())).")
    }

    public static func orderNotConfirmed(_ status: OrderStatus) -> DomainError {
        DomainError(.conflict, code: "order_not_confirmed",
                    fr: "Seule une commande confirmée se retire (celle-ci : \(status.label.fr.lowercased())).",
                    en: "Only a confirmed order is collected (this one: \(status.label.en.lowercased())).")
    }

    public static func orderNotCancellable(_ status: OrderStatus) -> DomainError {
        DomainError(.conflict, code: "order_not_cancellable",
                    fr: "Cette commande ne peut plus être annulée (\(status.label.fr.lowercased())).",
                    en: "This order can no longer be cancelled (\(status.label.en.lowercased())).")
    }

    public static let cancelAfterClose = DomainError(
        .forbidden, code: "cancel_after_close",
        fr: "Le cycle est clos : pour annuler, adressez-vous à la coopérative.",
        en: "The cycle is closed: to cancel, contact the cooperative.")

    public static let collectBeforeClose = DomainError(
        .conflict, code: "collect_before_close", fr: "Une commande se retire après la clôture du cycle.",
        en: "An order is collected after the cycle closes.")

    public static let holdNotOver = DomainError(
        .conflict, code: "hold_not_over", fr: "Ce panier est encore réservé.", en: "This basket is still held.")

    public static let orderOfAnotherCycle = DomainError(
        .invalid, code: "order_of_another_cycle", fr: "Cette commande appartient à un autre cycle.",
        en: "This order belongs to another cycle.")
}
