import MaillageCore

/// The invitation mail, in the language the board chose for it. Written out when it is sent
/// (its link's secret exists nowhere else), through the outbox, in the invitation's transaction.
enum InvitationMails {
    static func invitation(_ invitation: Invitation, coop: Cooperative, college: College?, inviter: User, link: String) -> MailContent {
        let language = invitation.mailLanguage
        let t = Translator(language: language)
        let expiry = DateText.day(invitation.expiresAt, language)
        var offer = [String]()
        if let college { offer.append(t("dans le collège « \(college.name) »", "in the college “\(college.name)”")) }
        if coop.form.hasShareCapital {
            let value = Euros.format(cents: MembershipRules.capital(shares: invitation.shares, nominalCents: coop.shareNominalCents), language)
            offer.append(t("avec \(Plural.count(invitation.shares, "part sociale", "parts sociales", .fr)) suggérée\(invitation.shares > 1 ? "s" : "") (\(value))",
                           "with \(Plural.count(invitation.shares, "suggested share", "suggested shares", .en)) (\(value))"))
        }
        var paragraphs = [
            t("\(inviter.displayName), pour le conseil de \(coop.name), vous invite à devenir sociétaire de la coopérative"
              + (offer.isEmpty ? "." : " " + offer.joined(separator: ", ") + "."),
              "\(inviter.displayName), for the board of \(coop.name), invites you to become a member of the cooperative"
              + (offer.isEmpty ? "." : " " + offer.joined(separator: ", ") + ".")),
        ]
        if !invitation.message.isEmpty {
            paragraphs.append(t("Son message : « \(invitation.message) »", "Their message: “\(invitation.message)”"))
        }
        paragraphs.append(t("Le lien ci-dessous présente la coopérative et vous permet de créer votre compte (ou de vous connecter) puis d’adhérer : le conseil vous ayant invité·e à cette adresse, votre adhésion est acceptée dès votre réponse. Une personne = une voix, quel que soit le nombre de parts.",
                            "The link below presents the cooperative and lets you create your account (or log in) and join: since the board invited you at this address, your membership is approved as soon as you answer. One person = one vote, whatever the number of shares."))
        paragraphs.append(t("Cette invitation est valable jusqu’au \(expiry) et ne sert qu’une fois.",
                            "This invitation is valid until \(expiry) and works once."))
        return MailContent(
            to: invitation.email, toName: nil, language: language,
            subject: t("Invitation à rejoindre \(coop.name)", "Invitation to join \(coop.name)"),
            greeting: t("Bonjour,", "Hello,"),
            paragraphs: paragraphs,
            action: .init(label: t("Voir l’invitation", "See the invitation"), url: link),
            footer: t("Vous recevez ce courriel parce que le conseil de \(coop.name) a saisi votre adresse. Si vous ne souhaitez pas adhérer, ignorez-le : sans réponse, l’invitation expire d’elle-même.",
                      "You get this mail because the board of \(coop.name) entered your address. If you do not wish to join, ignore it: without an answer, the invitation expires by itself."))
    }
}
