import MaillageCore
import Plot
import Vapor

/// The browsers a person chose to trust, on their account page, each with a way to revoke it.
enum TrustedDevicesView {
    /// A name a person recognises ("Firefox sur Linux"), from the browser's own description.
    static func shortName(_ userAgent: String) -> String {
        let browsers = [("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari")]
        let systems = [("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"), ("Mac OS", "macOS"),
                       ("CrOS", "ChromeOS"), ("Linux", "Linux")]
        let browser = browsers.first { userAgent.contains($0.0) }?.1 ?? "Navigateur"
        let system = systems.first { userAgent.contains($0.0) }?.1
        return system.map { "\(browser) · \($0)" } ?? browser
    }

    static func node(_ req: Request, devices: [TwoFactor.TrustedDevice]) -> Node<HTML.BodyContext> {
        let t = req.t
        return .section(.id("trusted-devices"), .attribute(named: "aria-labelledby", value: "trusted-devices-title"),
            .h3(.id("trusted-devices-title"), .text(t("Appareils de confiance", "Trusted devices"))),
            .if(devices.isEmpty, .p(.text(t("Aucun : un code est demandé à chaque connexion.", "None: a code is asked at every login.")))),
            .if(!devices.isEmpty, StackedTable.node(.table(
                .caption(.text(t("Appareils où aucun code n’est demandé pendant 30 jours", "Devices where no code is asked for 30 days"))),
                .thead(.tr(.th(.text(t("Appareil", "Device"))), .th(.text(t("Depuis", "Since"))), .th(.text(t("Jusqu’au", "Until"))),
                           .th(.text(t("Action", "Action"))))),
                .tbody(.forEach(devices) { device in
                    .tr(.td(.text(device.label.isEmpty ? t("Navigateur", "Browser") : device.label)),
                        .td(.text(DateText.short(device.created_at, req.language))),
                        .td(.text(DateText.short(device.expires_at, req.language))),
                        .td(Confirmation.ask(t("Révoquer…", "Revoke…"), at: "/account/two-factor/devices/\(device.id.uuidString)/revoke",
                                             ariaLabel: t("Révoquer l’appareil « \(device.label) »", "Revoke the device “\(device.label)”"))))
                })))))
    }
}
