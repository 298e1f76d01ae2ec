import Fluent
import Foundation
import MaillageCore
import SQLKit
import Vapor

/// Brings a standard covoiturage document (`StandardData`) into a carpool cooperative: its people
/// become accounts and members, its journeys and regular trips ads, its bookings asks. Each item
/// is written with its row of `carpool_imported_ids` in one transaction, so a second import of the
/// same document finds every item already there and changes nothing.
enum CarpoolImport {
    enum Kind: String, CaseIterable, Sendable {
        case user
        case driverJourney = "driver-journey", passengerJourney = "passenger-journey"
        case driverRegularTrip = "driver-regular-trip", passengerRegularTrip = "passenger-regular-trip"
        case booking

        var label: String {
            switch self {
            case .user: "personnes"
            case .driverJourney: "trajets conducteur"
            case .passengerJourney: "trajets passager"
            case .driverRegularTrip: "trajets réguliers conducteur"
            case .passengerRegularTrip: "trajets réguliers passager"
            case .booking: "réservations"
            }
        }
    }

    struct Report: Sendable {
        var imported: [Kind: Int] = [:]
        var alreadyThere: [Kind: Int] = [:]
        /// Items not taken, and remarks on items taken, with their path in the document.
        var skipped: [StandardData.Problem] = []
        var changed: Int { imported.values.reduce(0, +) }
    }

    static let unknownCooperative = DomainError(.notFound, code: "not_carpool", field: "cooperative",
        fr: "Aucune coopérative de covoiturage de ce nom.", en: "No carpool cooperative by that name.")

    static func run(_ data: StandardData, into coop: Cooperative, today: LocalDate, on db: any Database,
                    progress: @escaping (String) -> Void = { _ in }) async throws -> Report {
        let coopID = try coop.requireID()
        var report = Report()
        report.skipped = data.problems
        var people: [String: UUID] = [:]
        var joined = false
        let everyone = data.people
        // One bcrypt hash of a random secret: it matches no password anyone can type.
        let unusable = try Bcrypt.hash(UUID().uuidString + UUID().uuidString)
        for (n, person) in everyone.enumerated() {
            let (id, created, member) = try await account(person, coop: coopID, unusablePassword: unusable, on: db)
            people[person.key] = id
            report.count(.user, created)
            joined = joined || member
            if (n + 1) % 100 == 0 || n + 1 == everyone.count { progress("  \(n + 1)/\(everyone.count) \(Kind.user.label)") }
        }
        if joined { await Modules.membershipsChanged(in: coop, on: db) }

        for (n, journey) in data.journeys.enumerated() {
            let kind: Kind = journey.role == .driver ? .driverJourney : .passengerJourney
            guard let author = people[journey.person.key] else { continue }
            let created = try await ad(StandardData.ad(journey), kind: kind, source: journey.person.operatorDomain, externalID: journey.id,
                                       author: author, coop: coopID, on: db)
            report.count(kind, created)
            if (n + 1) % 100 == 0 || n + 1 == data.journeys.count { progress("  \(n + 1)/\(data.journeys.count) trajets ponctuels") }
        }
        for (n, trip) in data.regularTrips.enumerated() {
            let kind: Kind = trip.role == .driver ? .driverRegularTrip : .passengerRegularTrip
            guard let author = people[trip.person.key] else { continue }
            let created = try await ad(StandardData.ad(trip, today: today), kind: kind, source: trip.person.operatorDomain, externalID: trip.id,
                                       author: author, coop: coopID, on: db)
            report.count(kind, created)
            if (n + 1) % 100 == 0 || n + 1 == data.regularTrips.count { progress("  \(n + 1)/\(data.regularTrips.count) trajets réguliers") }
        }
        for (n, booking) in data.bookings.enumerated() {
            switch try await ask(booking, people: people, coop: coopID, on: db) {
            case .imported: report.count(.booking, true)
            case .alreadyThere: report.count(.booking, false)
            case .skipped(let why): report.skipped.append(StandardData.Problem(path: booking.path, message: why))
            }
            if (n + 1) % 100 == 0 || n + 1 == data.bookings.count { progress("  \(n + 1)/\(data.bookings.count) \(Kind.booking.label)") }
        }
        return report
    }

    // MARK: - The mapping table

    static func local(_ kind: Kind, source: String, externalID: String, coop: UUID, on db: any Database) async throws -> UUID? {
        struct Row: Decodable { var local_id: UUID }
        return try await db.sql.select().column("local_id").from("carpool_imported_ids")
            .where("cooperative_id", .equal, SQLBind(coop)).where("source", .equal, SQLBind(source))
            .where("kind", .equal, SQLBind(kind.rawValue)).where("external_id", .equal, SQLBind(externalID))
            .first(decoding: Row.self)?.local_id
    }

    /// Records the item; false when another import recorded it first (the caller's transaction is then undone).
    static func remember(_ kind: Kind, source: String, externalID: String, local: UUID, coop: UUID, on db: any Database) async throws -> Bool {
        let rows = try await db.sql.insert(into: "carpool_imported_ids")
            .columns("cooperative_id", "source", "kind", "external_id", "local_id", "imported_at")
            .values(SQLBind(coop), SQLBind(source), SQLBind(kind.rawValue), SQLBind(externalID), SQLBind(local), SQLBind(Date()))
            .ignoringConflicts().returning("local_id").all()
        return !rows.isEmpty
    }

    struct AlreadyImported: Error {}

    // MARK: - People

    /// The person's account (their address's when the document gives one and it exists, else a new
    /// one with an unusable password and a placeholder address under the operator's domain), made
    /// an active member of the cooperative. Returns whether this import created the mapping.
    static func account(_ person: StandardData.Person, coop: UUID, unusablePassword: String, on db: any Database) async throws
        -> (id: UUID, created: Bool, joined: Bool) {
        if let known = try await local(.user, source: person.operatorDomain, externalID: person.id, coop: coop, on: db) {
            return (known, false, false)
        }
        let email = person.email ?? placeholderAddress(person)
        do {
            return try await db.writeTransaction { tx in
                let user: User
                if let existing = try await User.query(on: tx).filter(\.$email == email).first() {
                    user = existing
                } else {
                    user = User(email: email, passwordHash: unusablePassword, displayName: person.displayName, language: .fr, emailConfirmedAt: nil)
                    try await user.create(on: tx)
                }
                let userID = try user.requireID()
                var joined = false
                if try await Cooperatives.membership(of: userID, in: coop, on: tx) == nil {
                    let membership = Membership()
                    membership.$cooperative.id = coop
                    membership.$user.id = userID
                    membership.shares = 0
                    membership.role = MemberRole.member.rawValue
                    membership.status = MembershipStatus.active.rawValue
                    membership.message = ""
                    membership.decidedAt = Date()
                    try await membership.create(on: tx)
                    joined = true
                }
                guard try await remember(.user, source: person.operatorDomain, externalID: person.id, local: userID, coop: coop, on: tx) else {
                    throw AlreadyImported()
                }
                return (userID, true, joined)
            }
        } catch is AlreadyImported {
            guard let known = try await local(.user, source: person.operatorDomain, externalID: person.id, coop: coop, on: db) else { throw Problem.notFound }
            return (known, false, false)
        }
    }

    /// `<id>@<operator>`, lower-case, with what an address cannot hold replaced: it receives no mail
    /// (the address is never confirmed) and only keeps accounts apart.
    static func placeholderAddress(_ person: StandardData.Person) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._-")
        let local = String(person.id.lowercased().map { allowed.contains($0) ? $0 : "-" }.prefix(40))
        let domain = String(person.operatorDomain.lowercased().filter { allowed.contains($0) }.prefix(200))
        return "\(local.isEmpty ? "x" : local).covoiturage@\(domain.isEmpty ? "operateur.invalid" : domain)"
    }

    // MARK: - Ads

    static func ad(_ ad: RideAd, kind: Kind, source: String, externalID: String, author: UUID, coop: UUID, on db: any Database) async throws -> Bool {
        if try await local(kind, source: source, externalID: externalID, coop: coop, on: db) != nil { return false }
        let rows = CarpoolAdRows(ad, phone: nil, author: author, coop: coop)
        do {
            try await db.writeTransaction { tx in
                try await CarpoolAdRows.insert([rows], on: tx.sql)
                guard try await remember(kind, source: source, externalID: externalID, local: rows.id, coop: coop, on: tx) else { throw AlreadyImported() }
            }
            return true
        } catch is AlreadyImported {
            return false
        }
    }

    // MARK: - Bookings

    enum Outcome { case imported, alreadyThere, skipped(Localized) }

    private struct AdRow: Decodable { var id: UUID; var role: String; var seats: Int; var author_id: UUID; var distance_km: Double }

    static func ask(_ booking: StandardData.Booking, people: [String: UUID], coop: UUID, on db: any Database) async throws -> Outcome {
        let source = booking.driver.operatorDomain
        if try await local(.booking, source: source, externalID: booking.id, coop: coop, on: db) != nil { return .alreadyThere }
        var adID: UUID?
        if let journey = booking.driverJourneyID {
            adID = try await local(.driverJourney, source: booking.driver.operatorDomain, externalID: journey, coop: coop, on: db)
        }
        if adID == nil, let journey = booking.passengerJourneyID {
            adID = try await local(.passengerJourney, source: booking.passenger.operatorDomain, externalID: journey, coop: coop, on: db)
        }
        guard let adID, let ad = try await db.sql.select().columns("id", "role", "seats", "author_id", "distance_km").from("carpool_ads")
            .where("id", .equal, SQLBind(adID)).first(decoding: AdRow.self) else {
            return .skipped(Localized(fr: "aucun trajet de cette réservation n’a été importé (driverJourneyId, passengerJourneyId)",
                                      en: "no journey of this booking was imported (driverJourneyId, passengerJourneyId)"))
        }
        guard let driver = people[booking.driver.key], let passenger = people[booking.passenger.key], driver != passenger else {
            return .skipped(Localized(fr: "le conducteur et le passager sont le même compte", en: "the driver and the passenger are the same account"))
        }
        guard booking.seats <= ad.seats else {
            return .skipped(Localized(fr: "plus de places demandées que le trajet n’en offre", en: "more seats asked than the trip offers"))
        }
        let date = LocalZone.paris.localDate(at: booking.pickupDate).iso
        let askedBy = ad.role == RideRole.passenger.rawValue ? "driver" : "passenger"
        let id = UUID(), now = Date()
        let sharedKm = CarpoolAds.estimator.estimate(from: booking.pickup.point, to: booking.drop.point).distanceKm
        do {
            try await db.writeTransaction { tx in
                try await tx.sql.insert(into: "carpool_asks")
                    .columns("id", "cooperative_id", "ad_id", "travel_date", "leg", "driver_id", "passenger_id", "asked_by", "status", "seats",
                             "pickup_name", "dropoff_name", "shared_km", "contribution_cents", "paid_at", "created_at", "updated_at")
                    .values(SQLBind(id), SQLBind(coop), SQLBind(adID), SQLBind(date), SQLBind(RideLeg.outward.rawValue), SQLBind(driver),
                            SQLBind(passenger), SQLBind(askedBy), SQLBind(booking.status.rawValue), SQLBind(booking.seats),
                            SQLBind(StandardData.placeName(booking.pickup)), SQLBind(StandardData.placeName(booking.drop)),
                            SQLBind((sharedKm * 10).rounded() / 10), SQLBind(booking.priceCents), SQLLiteral.null, SQLBind(now), SQLBind(now))
                    .run()
                try await tx.sql.insert(into: "carpool_ask_events").columns("id", "ask_id", "status", "by_id", "reason", "at")
                    .values(SQLBind(UUID()), SQLBind(id), SQLBind(booking.status.rawValue), SQLLiteral.null,
                            SQLBind("Import (\(booking.id))"), SQLBind(now)).run()
                if booking.status.holdsSeats {
                    // The same conditional update as an acceptance: an import never overbooks a car either.
                    try await tx.sql.insert(into: "carpool_seats").columns("ad_id", "travel_date", "leg", "capacity", "taken")
                        .values(SQLBind(adID), SQLBind(date), SQLBind(RideLeg.outward.rawValue), SQLBind(ad.seats), SQLBind(0))
                        .ignoringConflicts().run()
                    let held = try await tx.sql.update("carpool_seats").set("taken", to: SQLRaw("taken + \(booking.seats)"))
                        .where("ad_id", .equal, SQLBind(adID)).where("travel_date", .equal, SQLBind(date))
                        .where("leg", .equal, SQLBind(RideLeg.outward.rawValue)).where(SQLRaw("taken + \(booking.seats) <= capacity"))
                        .returning("taken").all()
                    guard !held.isEmpty else { throw CarpoolErrors.full }
                }
                guard try await remember(.booking, source: source, externalID: booking.id, local: id, coop: coop, on: tx) else { throw AlreadyImported() }
            }
            return .imported
        } catch is AlreadyImported {
            return .alreadyThere
        } catch let error as DomainError where error == CarpoolErrors.full {
            return .skipped(Localized(fr: "le trajet est déjà complet ce jour-là", en: "the trip is already full that day"))
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return .skipped(Localized(fr: "une demande ouverte existe déjà entre ces deux personnes pour ce trajet et ce jour",
                                      en: "an open request already exists between these two people for this trip and day"))
        }
    }
}

extension CarpoolImport.Report {
    mutating func count(_ kind: CarpoolImport.Kind, _ created: Bool) {
        if created { imported[kind, default: 0] += 1 } else { alreadyThere[kind, default: 0] += 1 }
    }
}
