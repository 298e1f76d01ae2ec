import Foundation

/// The showcase form as typed: name, address, commune, optional exact coordinates, and one line
/// of hours per weekday ("14:00-18:30", "10h-12h30, 14h-18h", empty when closed).
public struct ShowcaseDraft: Sendable, Hashable {
    public var name: String
    public var address: String
    public var commune: String
    public var latitude: String
    public var longitude: String
    /// Monday first, seven lines.
    public var hours: [String]

    public init(name: String, address: String, commune: String, latitude: String = "", longitude: String = "", hours: [String]) {
        self.name = name
        self.address = address
        self.commune = commune
        self.latitude = latitude
        self.longitude = longitude
        self.hours = hours
    }

    /// The field of a weekday's hours in the form: "hours_1" (Monday) … "hours_7".
    public static func hoursField(_ weekday: Int) -> String { "hours_\(weekday)" }

    /// The place, or every problem at once, each naming its field. Without coordinates the
    /// place is at the commune's town hall; with them, they must be within 30 km of it (a typo
    /// in a decimal would otherwise put the showcase out at sea).
    public func validated(id: UUID = UUID()) throws -> ShowcaseLocation {
        var errors = ValidationErrors()
        let name = self.name.trimmingCharacters(in: .whitespacesAndNewlines)
        let address = self.address.trimmingCharacters(in: .whitespacesAndNewlines)
        if !(2...100).contains(name.count) {
            errors.add(DomainError(.invalid, code: "invalid_name", field: "name", fr: "Le nom compte de 2 à 100 caractères.",
                                   en: "The name has 2 to 100 characters."))
        }
        if !(3...200).contains(address.count) {
            errors.add(DomainError(.invalid, code: "invalid_address", field: "address", fr: "L’adresse compte de 3 à 200 caractères.",
                                   en: "The address has 3 to 200 characters."))
        }
        let place = Communes.known.first { SearchText.fold($0.name) == SearchText.fold(commune.trimmingCharacters(in: .whitespaces)) }
        if place == nil {
            errors.add(DomainError(.invalid, code: "unknown_commune", field: "commune", fr: "Commune inconnue du territoire : choisissez-en une de la liste.",
                                   en: "Unknown commune of the territory: choose one from the list."))
        }
        var position = place.flatMap { GeoPoint(lat: $0.lat, lon: $0.lon) }
        let lat = latitude.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".")
        let lon = longitude.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".")
        if !lat.isEmpty || !lon.isEmpty {
            let exact = Double(lat).flatMap { la in Double(lon).flatMap { GeoPoint(lat: la, lon: $0) } }
            if let exact, position.map({ exact.distanceKm(to: $0) <= 30 }) ?? true {
                position = exact
            } else {
                errors.add(DomainError(.invalid, code: "invalid_coordinates", field: "latitude",
                                       fr: "Coordonnées invalides : latitude et longitude en degrés décimaux (47.2, -1.55), à moins de 30 km de la commune.",
                                       en: "Invalid coordinates: latitude and longitude in decimal degrees (47.2, -1.55), within 30 km of the commune."))
            }
        }
        var slots: [OpeningSlot] = []
        for weekday in 1...7 {
            let line = weekday <= hours.count ? hours[weekday - 1] : ""
            let field = Self.hoursField(weekday)
            for range in line.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !range.isEmpty {
                let ends = range.split(whereSeparator: { $0 == "-" || $0 == "–" }).map(String.init)
                if ends.count == 2, let slot = try? OpeningSlot(weekday: weekday, opens: ends[0], closes: ends[1]) {
                    slots.append(slot)
                } else {
                    errors.add(DomainError(.invalid, code: "invalid_opening_slot", field: field,
                                           fr: "\(WeeklyHours.weekdayName(weekday, .fr).capitalized) : écrivez les créneaux comme « 14:00-18:30 », séparés par des virgules.",
                                           en: "\(WeeklyHours.weekdayName(weekday, .en)): write the slots as “14:00-18:30”, separated by commas."))
                    break
                }
            }
        }
        var weekly: WeeklyHours?
        do { weekly = try WeeklyHours(slots) } catch { errors.add(error) }
        try errors.throwIfAny()
        guard let place, let position, let weekly else { throw errors }
        return ShowcaseLocation(id: id, name: name, address: address, commune: place.name, position: position, hours: weekly)
    }
}

extension WeeklyHours {
    /// One form line per weekday, Monday first: "14:00-18:30, 20:00-22:00".
    public var formLines: [String] {
        (1...7).map { weekday in
            slots(on: weekday).map { "\(Self.hhmm($0.opens))-\(Self.hhmm($0.closes))" }.joined(separator: ", ")
        }
    }

    static func hhmm(_ minutes: Int) -> String {
        let h = minutes / 60, m = minutes % 60
        return "\(h < 10 ? "0" : "")\(h):\(m < 10 ? "0" : "")\(m)"
    }
}
