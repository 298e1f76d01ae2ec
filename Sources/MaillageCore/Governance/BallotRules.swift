import Foundation

/// Checks one ballot at cast time with the very code that counts them at close:
/// a ballot the tally would refuse is refused when it is cast, with the same message.
public enum BallotRules {
    /// The ballot as it is stored and counted: read into the method's own shape, every key it
    /// does not know refused (a ranked ballot's `count` would weigh it like a million voters),
    /// checked by the tally, and written back in one canonical form. A ballot weighs one vote;
    /// colleges weigh at close, by the rules.
    public static func canonical(method: TallyMethod, options: [String], grades: Int, ballot: Data) throws(DomainError) -> Data {
        guard let value = try? JSONSerialization.jsonObject(with: ballot, options: [.fragmentsAllowed]),
              let shaped = shape(value, for: method) else {
            throw DomainError(.invalid, code: "invalid_ballot", field: "ballot",
                              fr: "Ce bulletin n’a pas la forme attendue pour ce mode de scrutin.",
                              en: "This ballot does not have the shape this voting method expects.")
        }
        if let reason = (shaped as? [String: Any])?["reason"] as? String, reason.count > TextLimits.reason {
            throw DomainError(.invalid, code: "reason_too_long", field: "reason",
                              fr: "La raison tient en \(TextLimits.reason) caractères au plus.",
                              en: "The reason fits in \(TextLimits.reason) characters at most.")
        }
        guard let data = try? JSONSerialization.data(withJSONObject: shaped, options: [.sortedKeys, .fragmentsAllowed]) else {
            throw DomainError(.invalid, code: "invalid_ballot", field: "ballot", fr: "Bulletin illisible.", en: "Unreadable ballot.")
        }
        try validate(method: method, options: options, grades: grades, ballot: data)
        return data
    }

    /// One ballot in the method's shape, nothing more; nil when it has another shape.
    public static func shape(_ value: Any, for method: TallyMethod) -> Any? {
        switch method {
        case .schulze:
            guard let object = value as? [String: Any], Set(object.keys) == ["ranking"], let ranking = object["ranking"] as? [[String]] else { return nil }
            return ["ranking": ranking]
        case .consent:
            guard let object = value as? [String: Any], Set(object.keys).isSubset(of: ["position", "reason"]),
                  let position = object["position"] as? String else { return nil }
            var ballot: [String: Any] = ["position": position]
            if let reason = object["reason"] as? String { ballot["reason"] = reason } else if object["reason"] != nil && !(object["reason"] is NSNull) { return nil }
            return ballot
        case .majorityJudgment:
            return value as? [Int]
        case .approval:
            return value as? [String]
        case .meetingTime:
            return value as? [String]
        case .singleChoice:
            if value is NSNull { return NSNull() }
            return value as? String
        }
    }

    public static func validate(method: TallyMethod, options: [String], grades: Int, ballot: Data) throws(DomainError) {
        guard let value = try? JSONSerialization.jsonObject(with: ballot, options: [.fragmentsAllowed]) else {
            throw DomainError(.invalid, code: "invalid_ballot", field: "ballot", fr: "Bulletin illisible.", en: "Unreadable ballot.")
        }
        var file: [String: Any] = ["ballots": [value]]
        if method != .consent { file["options"] = options }
        if method == .majorityJudgment { file["grades"] = grades }
        if method == .consent, let object = value as? [String: Any], object["position"] as? String == "block",
           ((object["reason"] as? String) ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw DomainError(.invalid, code: "block_needs_reason", field: "reason",
                              fr: "Un blocage doit être motivé : dites pourquoi.", en: "A block needs a reason: say why.")
        }
        guard let data = try? JSONSerialization.data(withJSONObject: file) else {
            throw DomainError(.invalid, code: "invalid_ballot", field: "ballot", fr: "Bulletin illisible.", en: "Unreadable ballot.")
        }
        _ = try Tally.run(method: method, json: data)
    }
}

/// What a closed vote decided, read from the tally's report.
public struct TallyOutcome: Sendable, Hashable {
    public let winners: [String]
    public let participants: Int64
    public let quorumReached: Bool
    /// nil where the method has no majority (majority judgment, Schulze, meeting time).
    public let majorityReached: Bool?
    public let blocks: [String]

    public init(report: Data) {
        let object = (try? JSONSerialization.jsonObject(with: report)) as? [String: Any] ?? [:]
        let ranking = object["ranking"] as? [[String]] ?? []
        let turnout = object["turnout"] as? [String: Any]
        let outcome = object["outcome"] as? String
        winners = outcome.map { [$0] } ?? ranking.first ?? []
        participants = (turnout?["participants"] as? NSNumber)?.int64Value ?? (object["ballots"] as? NSNumber)?.int64Value ?? 0
        quorumReached = turnout?["quorum_reached"] as? Bool ?? true
        if let outcome { majorityReached = outcome == "passed" } else { majorityReached = object["majority_reached"] as? Bool }
        blocks = object["blocks"] as? [String] ?? []
    }

    /// Adopted when quorum and (where it applies) majority are reached.
    public var adopted: Bool { quorumReached && (majorityReached ?? true) }
}
