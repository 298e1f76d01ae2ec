import Foundation

/// A document in the shape of the standard covoiturage API (journeys, regular trips, bookings and
/// users, as an operator exports them or as the standard's playground keeps its data): read
/// leniently, each item checked on its own, so one bad journey is reported with its path and the
/// rest still imports.
public struct StandardData: Sendable {
    /// A person as the standard names them: unique by operator and id.
    public struct Person: Sendable, Hashable {
        public var operatorDomain: String
        public var id: String
        public var alias: String
        public var firstName: String?
        public var lastName: String?
        /// Not in the standard: an export may carry the person's address, a better identity than a placeholder.
        public var email: String?
        public var key: String { "\(operatorDomain)/\(id)" }
        /// The name shown on the instance: first and last name when given, else the alias.
        public var displayName: String {
            let full = [firstName, lastName].compactMap { $0?.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
            return String((full.isEmpty ? alias : full).prefix(80))
        }
    }

    public struct Place: Sendable, Hashable {
        public var point: GeoPoint
        public var address: String?
    }

    public struct Journey: Sendable {
        public var path: String
        public var id: String
        public var role: RideRole
        public var person: Person
        public var pickup: Place
        public var drop: Place
        public var pickupDate: Date
        public var seats: Int?
    }

    public struct RegularTrip: Sendable {
        public var path: String
        public var id: String
        public var role: RideRole
        public var person: Person
        public var pickup: Place
        public var drop: Place
        /// ISO weekday (1 = Monday) → minute of the local day.
        public var days: [Int: Int]
        /// The first and last pickups listed, when the trip lists its dated journeys.
        public var firstDate: Date?
        public var lastDate: Date?
        public var seats: Int?
    }

    public struct Booking: Sendable {
        public var path: String
        public var id: String
        public var driver: Person
        public var passenger: Person
        public var status: AskStatus
        public var pickup: Place
        public var drop: Place
        public var pickupDate: Date
        public var driverJourneyID: String?
        public var passengerJourneyID: String?
        public var seats: Int
        public var priceCents: Int64
    }

    /// Something in the document that was not taken, or taken with a remark, and where.
    public struct Problem: Sendable, Hashable {
        public var path: String
        public var message: Localized
        public init(path: String, message: Localized) {
            self.path = path
            self.message = message
        }
    }

    public var users: [Person] = []
    public var journeys: [Journey] = []
    public var regularTrips: [RegularTrip] = []
    public var bookings: [Booking] = []
    public var problems: [Problem] = []

    /// The document's top-level lists, as the standard's playground names them.
    public static let lists = ["users", "driverJourneys", "passengerJourneys", "driverRegularTrips", "passengerRegularTrips", "bookings"]

    public static let notADocument = DomainError(.invalid, code: "not_standard_data", field: "file",
        fr: "Ce fichier n’est pas un document JSON du standard covoiturage (un objet avec driverJourneys, passengerJourneys, driverRegularTrips, passengerRegularTrips, bookings ou users).",
        en: "This file is not a standard covoiturage JSON document (an object with driverJourneys, passengerJourneys, driverRegularTrips, passengerRegularTrips, bookings or users).")

    /// Reads the document; throws only when it is not such a document at all.
    public static func read(_ data: Data) throws -> StandardData {
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              lists.contains(where: { root[$0] != nil }) else { throw notADocument }
        var reader = StandardDataReader()
        for name in root.keys.sorted() where !lists.contains(name) {
            reader.problem(name, fr: "liste inconnue, ignorée", en: "unknown list, ignored")
        }
        for name in lists {
            guard let value = root[name] else { continue }
            guard let items = value as? [Any] else { reader.problem(name, fr: "doit être une liste", en: "must be a list"); continue }
            for (index, item) in items.enumerated() {
                let path = "\(name)[\(index)]"
                guard let object = item as? [String: Any] else { reader.problem(path, fr: "doit être un objet", en: "must be an object"); continue }
                switch name {
                case "users": if let person = reader.person(object, path: path, operatorDomain: nil) { reader.data.users.append(person) }
                case "driverJourneys": reader.journey(object, path: path, role: .driver)
                case "passengerJourneys": reader.journey(object, path: path, role: .passenger)
                case "driverRegularTrips": reader.regularTrip(object, path: path, role: .driver)
                case "passengerRegularTrips": reader.regularTrip(object, path: path, role: .passenger)
                default: reader.booking(object, path: path)
                }
            }
        }
        return reader.data
    }

    /// Every person the document names (its users first, then the people of its journeys and
    /// bookings), once each.
    public var people: [Person] {
        var seen = Set<String>(), out: [Person] = []
        let all = users + journeys.map(\.person) + regularTrips.map(\.person) + bookings.flatMap { [$0.driver, $0.passenger] }
        for person in all where seen.insert(person.key).inserted { out.append(person) }
        return out
    }
}

/// The checks of one item at a time; each failed field becomes a `Problem` with its path.
struct StandardDataReader {
    var data = StandardData()

    mutating func problem(_ path: String, fr: String, en: String) {
        data.problems.append(StandardData.Problem(path: path, message: Localized(fr: fr, en: en)))
    }

    mutating func missing(_ path: String) { problem(path, fr: "manquant ou invalide", en: "missing or invalid") }

    func text(_ value: Any?) -> String? {
        if let string = value as? String { let trimmed = string.trimmingCharacters(in: .whitespacesAndNewlines); return trimmed.isEmpty ? nil : trimmed }
        if let number = value as? NSNumber { return number.stringValue }
        return nil
    }

    func number(_ value: Any?) -> Double? {
        guard let number = value as? NSNumber, number.doubleValue.isFinite else { return nil }
        return number.doubleValue
    }

    func integer(_ value: Any?) -> Int? {
        guard let double = number(value), double == double.rounded(), abs(double) < 1e12 else { return nil }
        return Int(double)
    }

    mutating func person(_ object: [String: Any]?, path: String, operatorDomain: String?) -> StandardData.Person? {
        guard let object else { missing(path); return nil }
        let id = text(object["id"]), alias = text(object["alias"])
        let domain = text(object["operator"]) ?? operatorDomain
        if id == nil { missing(path + ".id") }
        if alias == nil { missing(path + ".alias") }
        if domain == nil { missing(path + ".operator") }
        guard let id, let alias, let domain, id.count <= 255 else { return nil }
        let email = text(object["email"]).flatMap { $0.contains("@") && $0.count <= 254 ? $0.lowercased() : nil }
        return StandardData.Person(operatorDomain: domain.lowercased(), id: id, alias: alias, firstName: text(object["firstName"]),
                                   lastName: text(object["lastName"]), email: email)
    }

    mutating func place(_ object: [String: Any], _ path: String, lat: String, lng: String, address: String) -> StandardData.Place? {
        let latitude = number(object[lat]), longitude = number(object[lng])
        if latitude == nil { missing("\(path).\(lat)") }
        if longitude == nil { missing("\(path).\(lng)") }
        guard let latitude, let longitude else { return nil }
        guard let point = GeoPoint(lat: latitude, lon: longitude) else {
            problem("\(path).\(lat)", fr: "coordonnées hors des bornes", en: "coordinates out of range")
            return nil
        }
        return StandardData.Place(point: point, address: text(object[address]).map { String($0.prefix(120)) })
    }

    /// The pickup and drop-off of a trip, at least a kilometre apart (as the ad form asks).
    mutating func ends(_ object: [String: Any], _ path: String) -> (StandardData.Place, StandardData.Place)? {
        let pickup = place(object, path, lat: "passengerPickupLat", lng: "passengerPickupLng", address: "passengerPickupAddress")
        let drop = place(object, path, lat: "passengerDropLat", lng: "passengerDropLng", address: "passengerDropAddress")
        guard let pickup, let drop else { return nil }
        guard pickup.point.distanceKm(to: drop.point) >= 1 else {
            problem(path, fr: "prise en charge et dépose à moins d’un kilomètre", en: "pickup and drop-off less than a kilometre apart")
            return nil
        }
        return (pickup, drop)
    }

    mutating func date(_ object: [String: Any], _ key: String, _ path: String) -> Date? {
        guard let seconds = number(object[key]), (0...32_503_680_000).contains(seconds) else { missing("\(path).\(key)"); return nil }
        return Date(timeIntervalSince1970: seconds)
    }

    mutating func seats(_ object: [String: Any], _ key: String, _ path: String) -> Int? {
        guard object[key] != nil else { return nil }
        guard let seats = integer(object[key]), RideDraft.seatRange.contains(seats) else {
            problem("\(path).\(key)", fr: "entre 1 et 8 places", en: "between 1 and 8 seats")
            return nil
        }
        return seats
    }

    /// The person of a trip: its `driver` or `passenger`. The playground's passenger journeys
    /// name their person `driver`; that is read, with a remark.
    mutating func tripPerson(_ object: [String: Any], path: String, role: RideRole) -> StandardData.Person? {
        let key = role == .driver ? "driver" : "passenger"
        let domain = text(object["operator"])
        if role == .passenger, object["passenger"] == nil, let driver = object["driver"] as? [String: Any] {
            problem(path + ".passenger", fr: "absent : la personne nommée « driver » est prise pour le passager",
                    en: "missing: the person named “driver” is taken as the passenger")
            return person(driver, path: path + ".driver", operatorDomain: domain)
        }
        return person(object[key] as? [String: Any], path: "\(path).\(key)", operatorDomain: domain)
    }

    mutating func journey(_ object: [String: Any], path: String, role: RideRole) {
        let id = text(object["id"])
        if id == nil { missing(path + ".id") }
        let person = tripPerson(object, path: path, role: role)
        let ends = ends(object, path)
        let pickupDate = date(object, "passengerPickupDate", path)
        let seats = seats(object, role == .driver ? "availableSeats" : "requestedSeats", path)
        guard let id, id.count <= 255, let person, let ends, let pickupDate else { return }
        data.journeys.append(StandardData.Journey(path: path, id: id, role: role, person: person, pickup: ends.0, drop: ends.1,
                                                  pickupDate: pickupDate, seats: seats))
    }

    static let weekdays = ["MON": 1, "TUE": 2, "WED": 3, "THU": 4, "FRI": 5, "SAT": 6, "SUN": 7]

    mutating func regularTrip(_ object: [String: Any], path: String, role: RideRole) {
        let person = tripPerson(object, path: path, role: role)
        let ends = ends(object, path)
        let seats = seats(object, role == .driver ? "availableSeats" : "requestedSeats", path)
        var days: [Int: Int] = [:], dates: [Date] = [], ids: [String] = []
        let schedules = object["schedules"] as? [Any] ?? []
        for (index, item) in schedules.enumerated() {
            let at = "\(path).schedules[\(index)]"
            guard let schedule = item as? [String: Any] else { missing(at); continue }
            let day = text(schedule["passengerPickupDay"]).flatMap { Self.weekdays[$0.uppercased()] }
            // A partial time ("08:30:00") carries no offset: it is read on the territory's clock.
            let minute = text(schedule["passengerPickupTimeOfDay"]).flatMap { RideTime.minute(of: String($0.prefix(5))) }
            if day == nil { missing(at + ".passengerPickupDay") }
            if minute == nil { missing(at + ".passengerPickupTimeOfDay") }
            if let day, let minute { days[day] = minute }
            for dated in schedule["journeySchedules"] as? [Any] ?? [] {
                guard let dated = dated as? [String: Any] else { continue }
                if let seconds = number(dated["passengerPickupDate"]) { dates.append(Date(timeIntervalSince1970: seconds)) }
                if let id = text(dated["id"]) { ids.append(id) }
            }
        }
        if days.isEmpty { problem(path + ".schedules", fr: "aucun jour de la semaine", en: "no weekday") }
        guard let person, let ends, !days.isEmpty else { return }
        // The standard gives a regular trip no id: its own when an export adds one, else its first
        // dated journey's, else what it is (person, places, days), so that reading it again finds it.
        let places = String(format: "%.5f,%.5f|%.5f,%.5f", ends.0.point.lat, ends.0.point.lon, ends.1.point.lat, ends.1.point.lon)
        let week = days.sorted { $0.key < $1.key }.map { "\($0.key)@\($0.value)" }.joined(separator: ",")
        let id = text(object["id"]) ?? ids.first ?? "\(person.key)|\(places)|\(week)"
        data.regularTrips.append(StandardData.RegularTrip(path: path, id: String(id.prefix(255)), role: role, person: person, pickup: ends.0,
                                                          drop: ends.1, days: days, firstDate: dates.min(), lastDate: dates.max(), seats: seats))
    }

    static let statuses: [String: AskStatus] = ["WAITING_CONFIRMATION": .pending, "CONFIRMED": .accepted, "CANCELLED": .cancelled,
                                                "COMPLETED_PENDING_VALIDATION": .completed, "VALIDATED": .completed]

    mutating func booking(_ object: [String: Any], path: String) {
        let id = text(object["id"])
        if id == nil { missing(path + ".id") }
        let domain = text(object["operator"])
        let driver = person(object["driver"] as? [String: Any], path: path + ".driver", operatorDomain: domain)
        let passenger = person(object["passenger"] as? [String: Any], path: path + ".passenger", operatorDomain: domain ?? driver?.operatorDomain)
        let statusText = text(object["status"]) ?? "WAITING_CONFIRMATION"
        let status = Self.statuses[statusText]
        if status == nil { problem(path + ".status", fr: "statut inconnu « \(statusText) »", en: "unknown status “\(statusText)”") }
        let ends = ends(object, path)
        let pickupDate = date(object, "passengerPickupDate", path)
        let seats = seats(object, "requestedSeats", path) ?? 1
        var cents: Int64 = 0
        if let price = object["price"] as? [String: Any], text(price["type"]) == "PAYING", let amount = number(price["amount"]), (0...10_000).contains(amount) {
            cents = Int64((amount * 100).rounded())
        }
        if let driver, let passenger, driver.key == passenger.key {
            problem(path, fr: "le conducteur et le passager sont la même personne", en: "the driver and the passenger are the same person")
            return
        }
        guard let id, id.count <= 255, let driver, let passenger, let status, let ends, let pickupDate else { return }
        data.bookings.append(StandardData.Booking(path: path, id: id, driver: driver, passenger: passenger, status: status, pickup: ends.0,
                                                  drop: ends.1, pickupDate: pickupDate, driverJourneyID: text(object["driverJourneyId"]),
                                                  passengerJourneyID: text(object["passengerJourneyId"]), seats: seats, priceCents: cents))
    }
}
