import MaillageCore
import Plot
import Vapor

/// What a person who may not act on a members' page is told instead of a silent gap: why, and
/// the way in (log in, ask to join, or wait for the board's answer).
enum MembersOnly {
    /// `what` says what is reserved ("Commander", "Publier une offre").
    static func why(_ req: Request, coop: Cooperative, what: Localized) async throws -> Node<HTML.BodyContext> {
        var membership: Membership?
        if let id = req.user?.id { membership = try await Cooperatives.membership(of: id, in: try coop.requireID(), on: req.db) }
        let t = req.t
        let reserved = t("\(what.fr) est réservé aux sociétaires de \(coop.name).", "\(what.en) is for members of \(coop.name).")
        guard req.user != nil else {
            let back = req.url.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"
            return .p(.class("members-only"), .text(reserved + " "),
                      .a(.href("/login?next=\(back)"), .text(t("Connectez-vous", "Log in"))),
                      .text(t(" ou créez un compte, puis demandez à adhérer.", " or create an account, then ask to join.")))
        }
        switch membership?.memberStatus {
        case .pending?:
            return .p(.class("members-only"), .text(reserved + " " + t("Votre demande d’adhésion attend la décision du conseil.",
                                                                       "Your membership request is waiting for the board's decision.")))
        case .active?:
            return .empty
        default:
            return .p(.class("members-only"), .text(reserved + " "),
                      .a(.href("/c/\(coop.slug)#join-title"), .text(t("Demander à adhérer", "Ask to join"))),
                      .text(t(" : une personne, une voix.", ": one person, one vote.")))
        }
    }
}
