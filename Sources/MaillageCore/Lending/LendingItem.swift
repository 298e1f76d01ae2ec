import Foundation

/// An item a member lends, once its form is validated.
public struct LendingItem: Sendable, Hashable, Codable, Identifiable {
    public let id: UUID
    public let owner: UUID
    public var title: String
    public var category: ItemCategory
    public var description: String
    public var condition: ItemCondition
    /// The deposit (*caution*) the borrower leaves, in euro cents; 0 for none.
    public var depositCents: Int64
    /// The longest loan the owner accepts, in days (both ends counted).
    public var maximumLoanDays: Int
    public var pickup: PickupPlace

    public init(id: UUID = UUID(), owner: UUID, title: String, category: ItemCategory, description: String,
                condition: ItemCondition, depositCents: Int64, maximumLoanDays: Int, pickup: PickupPlace) {
        self.id = id
        self.owner = owner
        self.title = title
        self.category = category
        self.description = description
        self.condition = condition
        self.depositCents = depositCents
        self.maximumLoanDays = maximumLoanDays
        self.pickup = pickup
    }

    /// The deposit as a ledger amount (for a pending transfer held during the loan).
    public var deposit: Amount { .euros(cents: depositCents) }

    /// The search column's value for this item (see `SearchText.indexed`).
    public var searchText: String {
        SearchText.indexed([title, description, category.label.fr, category.label.en] + category.keywords)
    }
}

/// The item form as typed, kept as text so a refused form comes back exactly as it was filled.
public struct LendingItemDraft: Sendable, Hashable {
    public var title: String
    public var category: String
    public var description: String
    public var condition: String
    /// "20", "20,50 €"…; empty means no deposit.
    public var deposit: String
    public var maximumLoanDays: String
    public var pickupAtShowcase: Bool

    public static let titleLength = 3...100
    public static let descriptionLength = 0...2000
    /// A neighbour's deposit, not a rental guarantee: up to 2 000 €.
    public static let depositLimitCents: Int64 = 200_000
    /// Also bounds the rows one acceptance claims in `loan_days` (`LendingStorageContract`).
    public static let loanDaysLimit = 1...60

    public init(title: String, category: String, description: String = "", condition: String,
                deposit: String = "", maximumLoanDays: String, pickupAtShowcase: Bool = false) {
        self.title = title
        self.category = category
        self.description = description
        self.condition = condition
        self.deposit = deposit
        self.maximumLoanDays = maximumLoanDays
        self.pickupAtShowcase = pickupAtShowcase
    }

    /// Checks every field and returns the item, or every problem at once: a `ValidationErrors`
    /// when several fields are wrong, the single `DomainError` when one is.
    /// `showcase` is the cooperative's showcase location, nil when it has none.
    public func validated(id: UUID = UUID(), owner: UUID, showcase: ShowcaseLocation?) throws -> LendingItem {
        var errors = ValidationErrors()
        func check<T>(_ body: () throws(DomainError) -> T) -> T? {
            do { return try body() } catch { errors.add(error); return nil }
        }
        let title = check { () throws(DomainError) in
            try Validate.text(self.title, field: "title", label: Localized(fr: "Titre", en: "Title"), range: Self.titleLength)
        }
        let description = check { () throws(DomainError) in
            try Validate.text(self.description, field: "description", label: Localized(fr: "Description", en: "Description"),
                              range: Self.descriptionLength)
        }
        let category = ItemCategory(code: self.category)
        if category == nil { errors.add(.unknownCategory) }
        let condition = ItemCondition(rawValue: self.condition.trimmingCharacters(in: .whitespaces))
        if condition == nil { errors.add(.unknownCondition) }

        let typed = deposit.trimmingCharacters(in: .whitespaces)
        let depositCents: Int64? = typed.isEmpty ? 0 : Euros.parseCents(typed)
        if depositCents.map({ !(0...Self.depositLimitCents).contains($0) }) ?? true {
            errors.add(.invalidDeposit(limitCents: Self.depositLimitCents))
        }
        let days = Int(maximumLoanDays.trimmingCharacters(in: .whitespaces))
        if days.map({ !Self.loanDaysLimit.contains($0) }) ?? true {
            errors.add(.invalidMaximumLoanDays(Self.loanDaysLimit))
        }
        var pickup = PickupPlace.ownerHome
        if pickupAtShowcase {
            if let showcase { pickup = .showcase(showcase) } else { errors.add(.noShowcase) }
        }
        try errors.throwIfAny()
        guard let title, let description, let category, let condition, let depositCents, let days else {
            // Every nil above added an error, so this is unreachable; refuse rather than trap.
            throw DomainError.unknownCategory
        }
        return LendingItem(id: id, owner: owner, title: title, category: category, description: description,
                           condition: condition, depositCents: depositCents, maximumLoanDays: days, pickup: pickup)
    }
}
