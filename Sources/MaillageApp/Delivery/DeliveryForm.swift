import Foundation
import MaillageCore
import Vapor

/// The store's delivery form: one pickup and up to two dropoffs (a multi-drop), read into a
/// `DeliveryDraft`. Fields are prefixed by their stop: `pickup_`, `dropoff1_`, `dropoff2_`.
struct DeliveryForm: Sendable {
    var fields: [String: String]

    init(values: [String: String]) { fields = values }

    static let stops: [(prefix: String, kind: DeliveryTaskKind, optional: Bool)] =
        [("pickup", .pickup, false), ("dropoff1", .dropoff, false), ("dropoff2", .dropoff, true)]

    subscript(_ name: String) -> String { (fields[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }

    /// The draft, or every problem of the form at once.
    func draft(packageTypes: [PackageType], slots: TimeSlotPlan = .standard, now: Date = Date()) throws -> DeliveryDraft {
        var problems = ValidationErrors()
        var tasks: [DeliveryTaskDraft] = []
        for stop in Self.stops {
            let p = stop.prefix
            if stop.optional && self["\(p)_address"].isEmpty { continue }
            let place = try problems.collect { try self.point(p) }
            var opens = try problems.collect { try self.instant("\(p)_after") }
            var closes = try problems.collect { try self.instant("\(p)_before") }
            // A slot the cooperative offers sets the pickup's window, if it is still offered.
            if stop.kind == .pickup, !self["pickup_slot"].isEmpty {
                if let slot = Self.slot(self["pickup_slot"]), slots.offers(slot, at: now) { opens = slot.start; closes = slot.end }
                else { problems.add(DeliveryWords.slotGone) }
            }
            var packages: [PackageLine] = []
            var weight: Int?
            if stop.kind == .dropoff {
                if let quantity = try problems.collect({ try self.whole("\(p)_quantity", default: 0) }), quantity > 0 {
                    if let type = packageTypes.first(where: { $0.name == self["\(p)_package_type"] }) {
                        packages.append(PackageLine(type: type, quantity: quantity))
                    } else {
                        problems.add(DomainError(.invalid, code: DeliveryWords.unknownPackageType.code, field: "\(p)_package_type",
                                                 fr: DeliveryWords.unknownPackageType.message.fr, en: DeliveryWords.unknownPackageType.message.en))
                    }
                }
                if !self["\(p)_weight"].isEmpty, let kg = try problems.collect({ try self.decimal("\(p)_weight") }) { weight = Int((kg * 1000).rounded()) }
            }
            guard let place, let opens, let closes else { continue }
            tasks.append(DeliveryTaskDraft(kind: stop.kind, address: self["\(p)_address"], point: place, contactName: self["\(p)_contact"],
                                           phone: self["\(p)_phone"], after: opens, before: closes, comments: self["\(p)_comments"],
                                           packages: packages, weightGrams: weight, doorstep: self["\(p)_doorstep"] == "on",
                                           tags: self["\(p)_tags"].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
                                           reference: self["\(p)_reference"]))
        }
        try problems.throwIfAny()
        let draft = DeliveryDraft(tasks: tasks, vehicle: DeliveryVehicle(rawValue: self["vehicle"]) ?? .bike)
        do { try draft.validate() } catch let errors as ValidationErrors {
            // The core names stops by index; the form names them by prefix.
            var renamed = ValidationErrors()
            for error in errors.errors { renamed.add(rename(error, stops: tasks)) }
            throw renamed
        } catch let error as DomainError { throw rename(error, stops: tasks) }
        return draft
    }

    private func rename(_ error: DomainError, stops: [DeliveryTaskDraft]) -> DomainError {
        guard let field = error.field, field.hasPrefix("tasks["), let close = field.firstIndex(of: "]"),
              let index = Int(field[field.index(field.startIndex, offsetBy: 6)..<close]) else { return error }
        let present = Self.stops.filter { !$0.optional || !self["\($0.prefix)_address"].isEmpty }
        guard present.indices.contains(index) else { return error }
        let rest = field[field.index(after: close)...].dropFirst()
        let name = rest.isEmpty ? "\(present[index].prefix)_address" : "\(present[index].prefix)_\(rest)"
        return DomainError(error.kind, code: error.code, field: name, fr: error.message.fr, en: error.message.en)
    }

    /// A slot as the form names it: its start and end in seconds since 1970.
    static func slot(_ text: String) -> TimeSlot? {
        let parts = text.split(separator: "-")
        guard parts.count == 2, let start = Double(parts[0]), let end = Double(parts[1]) else { return nil }
        return TimeSlot(start: Date(timeIntervalSince1970: start), end: Date(timeIntervalSince1970: end))
    }

    static func slotValue(_ slot: TimeSlot) -> String {
        "\(Int(slot.start.timeIntervalSince1970))-\(Int(slot.end.timeIntervalSince1970))"
    }

    /// Exact coordinates when given, else the town hall of the commune (the shared geography).
    func point(_ p: String) throws -> GeoPoint {
        let lat = self["\(p)_lat"].replacingOccurrences(of: ",", with: "."), lon = self["\(p)_lon"].replacingOccurrences(of: ",", with: ".")
        if !lat.isEmpty || !lon.isEmpty {
            guard let la = Double(lat), let lo = Double(lon), let point = GeoPoint(lat: la, lon: lo) else { throw field(DeliveryWords.position, "\(p)_lat") }
            return point
        }
        guard let point = GeoPoint(commune: self["\(p)_commune"]) else { throw field(DeliveryWords.position, "\(p)_commune") }
        return point
    }

    private func instant(_ name: String) throws -> Date? {
        let text = self[name]
        guard !text.isEmpty else { return nil }
        guard let date = DateText.localInput.date(from: text) else { throw DeliveryWords.dateTime(name) }
        return date
    }

    private func whole(_ name: String, default value: Int) throws -> Int {
        let text = self[name]
        guard !text.isEmpty else { return value }
        guard let number = Int(text), (0...999).contains(number) else { throw DeliveryWords.number(name) }
        return number
    }

    private func decimal(_ name: String) throws -> Double {
        guard let number = Double(self[name].replacingOccurrences(of: ",", with: ".")), number.isFinite, number >= 0 else { throw DeliveryWords.number(name) }
        return number
    }

    private func field(_ error: DomainError, _ name: String) -> DomainError {
        DomainError(error.kind, code: error.code, field: name, fr: error.message.fr, en: error.message.en)
    }
}
