import Foundation
import MaillageCore
import Plot

/// Partner operators' journeys under the search's own results, each partner in its section
/// "Also on <operator>": never mixed with ours, booked on the partner's site (the link leaves
/// Maillage), and a partner that did not answer in time is named rather than waited for.
enum PartnerJourneyCards {
    static func render(_ found: [PartnerJourneys.Found], t: Translator, language: Language) -> Node<HTML.BodyContext> {
        let silent = found.filter { if case .noAnswer = $0.outcome { true } else { false } }
        return .group(
            .forEach(found) { partner in
                guard case .journeys(let journeys) = partner.outcome, !journeys.isEmpty else { return .empty }
                return .section(.class("partner-journeys"),
                    .h2(.text(t("Aussi sur \(partner.name)", "Also on \(partner.name)"))),
                    .p(.class("hint"), .text(t("Trajets publiés sur \(partner.name), une autre plateforme de covoiturage : ils se réservent chez elle.",
                                               "Journeys published on \(partner.name), another carpool platform: they are booked there."))),
                    .ul(.class("cards"), .forEach(journeys) { journey in
                        .li(.class("card"), card(journey, partner: partner, t: t, language: language))
                    }))
            },
            silent.isEmpty ? .empty : .div(.class("notice"), .attribute(named: "role", value: "status"),
                .forEach(silent) { partner in
                    .p(.text(t("\(partner.name) n’a pas répondu à temps : ses trajets ne sont pas montrés.",
                               "\(partner.name) did not answer in time: its journeys are not shown.")))
                }))
    }

    static func card(_ journey: PartnerJourney, partner: PartnerJourneys.Found, t: Translator, language: Language) -> Node<HTML.BodyContext> {
        let zone = LocalZone.paris
        let clock = RideTime.clock(zone.minuteOfDay(at: journey.pickupAt))
        let from = journey.pickupName ?? coordinates(journey.pickup, t)
        let to = journey.dropName ?? coordinates(journey.drop, t)
        var meta = [DateText.dayHeading(journey.pickupAt, language)]
        if let seats = journey.seats { meta.append(t.count(seats, "place libre", "places libres", "free seat", "free seats")) }
        switch journey.price {
        case .free: meta.append(t("gratuit", "free"))
        case .paying(let cents): meta.append(t("participation : ", "contribution: ") + Amount.euros(cents: Int64(cents)).formatted(language))
        case nil: break
        }
        return .article(
            .h3(.text("\(clock) · \(from) → \(to)")),
            .p(.class("meta"), .text(meta.joined(separator: " · "))),
            .p(.a(.href(journey.webURL ?? partner.site), .attribute(named: "rel", value: "external noopener noreferrer"),
                  .text(t("Voir ce trajet sur \(partner.name)", "See this journey on \(partner.name)")))))
    }

    static func coordinates(_ point: GeoPoint, _ t: Translator) -> String {
        "\(t.decimal(point.lat, digits: 4)), \(t.decimal(point.lon, digits: 4))"
    }
}
