import Foundation

/// How a member takes part in a general assembly.
public enum AttendanceStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case present, represented, absent

    public var label: Localized {
        switch self {
        case .present: Localized(fr: "Présent·e", en: "Present")
        case .represented: Localized(fr: "Représenté·e (pouvoir)", en: "Represented (proxy)")
        case .absent: Localized(fr: "Absent·e", en: "Absent")
        }
    }
}

public enum AssemblyKind: String, Sendable, Hashable, Codable, CaseIterable {
    case ordinary, extraordinary

    public var label: Localized {
        switch self {
        case .ordinary: Localized(fr: "Assemblée générale ordinaire", en: "Ordinary general assembly")
        case .extraordinary: Localized(fr: "Assemblée générale extraordinaire", en: "Extraordinary general assembly")
        }
    }

    /// Default rules: ordinary 1/5 and simple majority, extraordinary 1/4 and two thirds
    /// (Code de commerce L225-96, L225-98, applied by most cooperative statutes).
    public var rules: ElectorateRules { self == .ordinary ? .ordinary : .extraordinary }
}

/// The rules of a general assembly: proxies and quorum.
public enum AssemblyRules {
    /// Statutes usually allow one proxy per holder; the assembly may set another limit.
    public static let defaultProxiesPerHolder = 1

    /// A proxy goes to another member who is not themselves represented (a proxy is not passed on),
    /// within the number of proxies one member may hold.
    public static func validateProxy(giver: UUID, holder: UUID, holderIsMember: Bool, holderIsRepresented: Bool,
                                     proxiesHeld: Int, limit: Int) throws(DomainError) {
        guard giver != holder else {
            throw DomainError(.invalid, code: "proxy_to_self", field: "holder",
                              fr: "On ne se donne pas un pouvoir à soi-même.", en: "You cannot give a proxy to yourself.")
        }
        guard holderIsMember else {
            throw DomainError(.invalid, code: "proxy_holder_not_member", field: "holder",
                              fr: "Le pouvoir se donne à un·e autre sociétaire.", en: "A proxy is given to another member.")
        }
        guard !holderIsRepresented else {
            throw DomainError(.invalid, code: "proxy_holder_represented", field: "holder",
                              fr: "Cette personne s’est elle-même fait représenter : elle ne peut pas porter de pouvoir.",
                              en: "This person is represented themselves: they cannot hold a proxy.")
        }
        guard proxiesHeld < limit else {
            throw DomainError(.conflict, code: "too_many_proxies", field: "holder",
                              fr: "Cette personne porte déjà \(limit) pouvoir\(limit > 1 ? "s" : "") : c’est le maximum prévu.",
                              en: "This person already holds \(limit) prox\(limit > 1 ? "ies" : "y"): that is the maximum allowed.")
        }
    }

    public struct Quorum: Sendable, Hashable {
        public let members: Int64
        public let present: Int64
        public let represented: Int64
        public let required: Fraction
        public var reached: Bool { required.isReached(by: present + represented, of: members) }
    }

    /// Counts the assembly: present members, and the represented ones whose proxy holder is present
    /// (a proxy held by someone absent represents nobody).
    public static func quorum<Person: Hashable>(members: Int, attendance: [(person: Person, status: AttendanceStatus, holder: Person?)],
                                                required: Fraction) -> Quorum {
        let present = Set(attendance.filter { $0.status == .present }.map(\.person))
        let represented = attendance.filter { $0.status == .represented && ($0.holder.map(present.contains) ?? false) }.count
        return quorum(members: members, present: present.count, represented: represented, required: required)
    }

    public static func quorum(members: Int, present: Int, represented: Int, required: Fraction) -> Quorum {
        Quorum(members: Int64(members), present: Int64(present), represented: Int64(represented), required: required)
    }
}
