import MaillageCore
import Plot
import Vapor

/// What a person who may not act on a members' page is told instead of a silent gap: why, and
/// the way in (log in, ask to join, or wait for the board's answer).
enum MembersOnly {
    /// `action` is what is reserved, as a verb: « commander », « emprunter et prêter ».
    static func why(_ req: Request, coop: Cooperative, action: Localized) async throws -> Node<HTML.BodyContext> {
        var membership: Membership?
        if let id = req.user?.id { membership = try await Cooperatives.membership(of: id, in: try coop.requireID(), on: req.db) }
        return why(req, coop: coop, membership: membership, action: action)
    }

    /// The same, for a page that already has the person's membership (or nil).
    static func why(_ req: Request, coop: Cooperative, membership: Membership?, action: Localized) -> Node<HTML.BodyContext> {
        let t = req.t
        let join = "/c/\(coop.slug)#join-title"
        guard req.user != nil else {
            let back = req.url.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"
            return .p(.class("members-only"), .a(.href("/login?next=\(back)"), .text(t("Connectez-vous", "Log in"))),
                      .text(t(" pour \(action.fr) (réservé aux sociétaires de \(coop.name)).", " to \(action.en) (for members of \(coop.name)).")))
        }
        switch membership?.memberStatus {
        case .active?:
            return .empty
        case .pending?:
            return .div(.class("members-only"), .id("membership"),
                        .p(.text(t("Votre demande d’adhésion à \(coop.name) attend la décision du conseil : vous pourrez \(action.fr) dès qu’elle sera acceptée.",
                                   "Your request to join \(coop.name) awaits the board's decision: you can \(action.en) as soon as it is accepted."))),
                        .p(.a(.href(join), .text(t("Voir ma demande d’adhésion", "See my membership request")))))
        default:
            return .div(.class("members-only"), .id("membership"),
                        .p(.text(t("Seuls les sociétaires de \(coop.name) peuvent \(action.fr) : vous n’en êtes pas (encore) sociétaire.",
                                   "Only members of \(coop.name) can \(action.en): you are not a member (yet)."))),
                        .p(.a(.class("button"), .href(join), .text(t("Demander à rejoindre la coopérative", "Ask to join the cooperative")))))
        }
    }
}
