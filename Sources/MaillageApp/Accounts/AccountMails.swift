import MaillageCore

/// The account's mails, in the person's language. Each says why the person gets it and what to
/// do if they did not ask for it.
enum AccountMails {
    static func confirmAddress(to email: String, name: String, language: Language, link: String) -> MailContent {
        let t = Translator(language: language)
        return MailContent(
            to: email, toName: name, language: language,
            subject: t("Confirmez votre adresse e-mail", "Confirm your email address"),
            greeting: t("Bonjour \(name),", "Hello \(name),"),
            paragraphs: [t("Votre compte Maillage est créé. Confirmez que cette adresse est bien la vôtre : ensuite vous pourrez rejoindre une coopérative, voter, commander et emprunter.",
                           "Your Maillage account is ready. Confirm that this address is yours: then you can join a cooperative, vote, order and borrow."),
                         t("Ce lien est valable 3 jours et ne sert qu’une fois.", "This link is valid for 3 days and works once.")],
            action: .init(label: t("Confirmer mon adresse", "Confirm my address"), url: link),
            footer: t("Vous recevez ce courriel parce qu’un compte a été créé avec cette adresse. Si ce n’est pas vous, ignorez-le : sans confirmation, le compte ne peut rien faire en votre nom.",
                      "You get this mail because an account was created with this address. If it was not you, ignore it: without confirmation the account can do nothing in your name."))
    }

    static func someoneTriedToSignUp(to email: String, name: String, language: Language, baseURL: String) -> MailContent {
        let t = Translator(language: language)
        return MailContent(
            to: email, toName: name, language: language,
            subject: t("Quelqu’un a voulu créer un compte avec votre adresse", "Someone tried to sign up with your address"),
            greeting: t("Bonjour \(name),", "Hello \(name),"),
            paragraphs: [t("Quelqu’un a demandé à créer un compte Maillage avec votre adresse, qui en a déjà un. Aucun compte n’a été créé.",
                           "Someone asked to create a Maillage account with your address, which already has one. No account was created."),
                         t("Si c’était vous, connectez-vous ; si vous avez oublié votre mot de passe, choisissez-en un nouveau :",
                           "If it was you, log in; if you forgot your password, choose a new one:")],
            action: .init(label: t("Mot de passe oublié", "Forgot my password"), url: baseURL + "/password/forgot"),
            footer: t("Si ce n’était pas vous, vous n’avez rien à faire.", "If it was not you, there is nothing to do."))
    }

    static func resetPassword(to email: String, name: String, language: Language, link: String) -> MailContent {
        let t = Translator(language: language)
        return MailContent(
            to: email, toName: name, language: language,
            subject: t("Choisir un nouveau mot de passe", "Choose a new password"),
            greeting: t("Bonjour \(name),", "Hello \(name),"),
            paragraphs: [t("Vous avez demandé à changer votre mot de passe Maillage. Ce lien est valable une heure et ne sert qu’une fois ; après le changement, vos autres connexions et vos jetons d’API sont fermés.",
                           "You asked to change your Maillage password. This link is valid for one hour and works once; after the change, your other sessions and API tokens are closed.")],
            action: .init(label: t("Choisir un nouveau mot de passe", "Choose a new password"), url: link),
            footer: t("Si vous n’avez rien demandé, ignorez ce courriel : votre mot de passe ne change pas.",
                      "If you did not ask, ignore this mail: your password does not change."))
    }

    static func noAccount(to email: String, language: Language, baseURL: String) -> MailContent {
        let t = Translator(language: language)
        return MailContent(
            to: email, toName: nil, language: language,
            subject: t("Mot de passe oublié : aucun compte à cette adresse", "Forgotten password: no account at this address"),
            greeting: t("Bonjour,", "Hello,"),
            paragraphs: [t("Quelqu’un a demandé un nouveau mot de passe Maillage pour cette adresse, mais aucun compte n’y est lié. Peut-être avez-vous créé votre compte avec une autre adresse ?",
                           "Someone asked for a new Maillage password for this address, but no account uses it. Perhaps you signed up with another address?")],
            action: .init(label: t("Créer un compte", "Sign up"), url: baseURL + "/signup"),
            footer: t("Si vous n’avez rien demandé, ignorez ce courriel.", "If you did not ask, ignore this mail."))
    }

    static func confirmNewAddress(to email: String, name: String, language: Language, link: String) -> MailContent {
        let t = Translator(language: language)
        return MailContent(
            to: email, toName: name, language: language,
            subject: t("Confirmez votre nouvelle adresse e-mail", "Confirm your new email address"),
            greeting: t("Bonjour \(name),", "Hello \(name),"),
            paragraphs: [t("Vous avez demandé que votre compte Maillage utilise désormais cette adresse. Elle remplacera l’ancienne quand vous aurez suivi ce lien (valable 3 jours).",
                           "You asked for your Maillage account to use this address from now on. It replaces the old one once you follow this link (valid for 3 days).")],
            action: .init(label: t("Confirmer la nouvelle adresse", "Confirm the new address"), url: link),
            footer: t("Si vous n’avez rien demandé, ignorez ce courriel : rien ne change.", "If you did not ask, ignore this mail: nothing changes."))
    }

    static func addressChangeAsked(to email: String, name: String, newEmail: String, language: Language) -> MailContent {
        let t = Translator(language: language)
        return MailContent(
            to: email, toName: name, language: language,
            subject: t("Changement d’adresse e-mail demandé", "Email address change requested"),
            greeting: t("Bonjour \(name),", "Hello \(name),"),
            paragraphs: [t("Quelqu’un connecté à votre compte Maillage a demandé à remplacer cette adresse par \(newEmail). Le changement n’a lieu que si la nouvelle adresse est confirmée.",
                           "Someone signed in to your Maillage account asked to replace this address with \(newEmail). The change happens only once the new address is confirmed.")],
            action: nil,
            footer: t("Si ce n’est pas vous, changez votre mot de passe dès maintenant (« Mot de passe oublié » sur la page de connexion).",
                      "If it was not you, change your password now (“Forgot my password” on the login page)."))
    }

    static func passwordChanged(to email: String, name: String, language: Language, baseURL: String) -> MailContent {
        let t = Translator(language: language)
        return MailContent(
            to: email, toName: name, language: language,
            subject: t("Votre mot de passe a été changé", "Your password was changed"),
            greeting: t("Bonjour \(name),", "Hello \(name),"),
            paragraphs: [t("Le mot de passe de votre compte Maillage vient d’être changé ; vos autres connexions et vos jetons d’API sont fermés.",
                           "The password of your Maillage account was just changed; your other sessions and API tokens are closed.")],
            action: .init(label: t("Ce n’était pas moi", "It was not me"), url: baseURL + "/password/forgot"),
            footer: t("Courriel envoyé à chaque changement de mot de passe.", "Sent at every password change."))
    }
}
