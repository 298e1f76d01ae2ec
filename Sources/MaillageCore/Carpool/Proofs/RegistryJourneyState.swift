import Foundation

/// What the registry later made of a journey it recorded (`GET /journeys/{operator_journey_id}`):
/// a proof is accepted at once, then checked there (anomalies, fraud, the terms of use) before it
/// counts for incentives. The person sees this second answer beside the first.
public enum RegistryJourneyState: String, Sendable, Hashable, CaseIterable {
    case pending, ok, canceled, unknown
    case validationError = "validation_error", anomalyError = "anomaly_error", acquisitionError = "acquisition_error"
    case normalizationError = "normalization_error", fraudError = "fraud_error", termsViolationError = "terms_violation_error"

    public var label: Localized {
        switch self {
        case .pending: Localized(fr: "En cours de vérification au registre", en: "Being checked by the registry")
        case .ok: Localized(fr: "Validée par le registre", en: "Validated by the registry")
        case .canceled: Localized(fr: "Annulée au registre", en: "Cancelled at the registry")
        case .unknown: Localized(fr: "Erreur inconnue au registre", en: "Unknown error at the registry")
        case .validationError: Localized(fr: "Rejetée : données invalides", en: "Rejected: invalid data")
        case .anomalyError: Localized(fr: "Rejetée : trajet incohérent", en: "Rejected: inconsistent ride")
        case .acquisitionError: Localized(fr: "Non enregistrée au registre", en: "Not recorded by the registry")
        case .normalizationError: Localized(fr: "Enregistrée mais non standardisée", en: "Recorded but not standardised")
        case .fraudError: Localized(fr: "Rejetée : suspicion de fraude", en: "Rejected: suspected fraud")
        case .termsViolationError: Localized(fr: "Rejetée : conditions d’utilisation non respectées", en: "Rejected: terms of use not met")
        }
    }

    /// Still moving at the registry: asked again later.
    public var isSettled: Bool { self != .pending && self != .unknown }
}

/// When an accepted proof is asked about again: every few hours while the registry checks it,
/// for a month at most (its checks take days, not months), never once it settled.
public enum RegistryStatusChecks {
    public static let interval: TimeInterval = 6 * 3_600
    public static let horizon: TimeInterval = 30 * 86_400

    public static func isDue(state: RegistryJourneyState?, acceptedAt: Date?, checkedAt: Date?, now: Date) -> Bool {
        guard let acceptedAt, now.timeIntervalSince(acceptedAt) <= horizon, !(state?.isSettled ?? false) else { return false }
        guard let checkedAt else { return true }
        return now.timeIntervalSince(checkedAt) >= interval
    }

    /// The registry's reasons from a status answer: its fraud, anomaly and terms labels, in its own words.
    public static func reasons(fraud: [String], anomaly: [String], terms: [String]) -> String {
        (fraud + anomaly + terms).filter { !$0.isEmpty }.joined(separator: ", ")
    }
}
