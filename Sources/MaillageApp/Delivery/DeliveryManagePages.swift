import Fluent
import MaillageCore
import Plot
import Vapor

/// `/c/<slug>/delivery/manage`: the staff's desk — stores and their people, package types,
/// failure reasons, zones (GeoJSON), the price grid, and the latest deliveries to move on.
enum DeliveryManagePages {
    @Sendable static func desk(_ req: Request) async throws -> Response {
        let access = try await DeliveryAccess(req, minimum: .staff)
        return try await view(req, access: access)
    }

    static func view(_ req: Request, access: DeliveryAccess, form: String = "", state given: FormState = FormState(),
                     status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.t, language = req.language, coop = access.coop, db = req.db, base = access.base
        func state(for name: String) -> FormState { name == form ? given : FormState() }
        let stores = try await DeliverySettings.stores(of: access.coopID, on: db)
        let types = try await DeliverySettings.packageTypes(of: access.coopID, on: db)
        let reasons = try await DeliverySettings.failureReasons(of: access.coopID, on: db)
        let zones = try await DeliverySettings.zoneRows(of: access.coopID, on: db)
        let grid = try await DeliverySettings.pricing(of: access.coopID, on: db)
        let deliveries = try await DeliveryOrders.deliveries(of: access.coopID, limit: 50, on: db)
        let storeNames = Dictionary(stores.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        var gridState = state(for: "grid")
        if gridState.values.isEmpty {
            gridState.values = ["mode": grid.mode.rawValue, "couriers": String(grid.split.couriersBasisPoints / 100),
                                "cooperative": String(grid.split.cooperativeBasisPoints / 100), "reserves": String(grid.split.reservesBasisPoints / 100)]
        }
        let zoneOptions = [("", t("— aucune —", "— none —"))] + zones.map { ($0.name, $0.name) }
        return Layout.page(req, title: t("Livraison : gestion — \(coop.name)", "Delivery: management — \(coop.name)"), status: status,
            .p(.a(.href("/c/\(coop.slug)"), .text("← " + coop.name)), .text(" · "), .a(.href("\(base)/tarifs"), .text(t("Tarifs publics", "Public prices"))),
               .text(" · "), .a(.href("\(base)/partners"), .text(t("Livraisons à domicile des coopératives partenaires", "Home deliveries for partner cooperatives")))),
            .h1(.text(t("Gestion de la livraison", "Delivery management"))),
            .h2(.text(t("Livraisons récentes", "Recent deliveries"))),
            .if(deliveries.isEmpty, .p(.text(t("Aucune livraison pour l’instant.", "No delivery yet.")))),
            .ul(.forEach(deliveries) { delivery in
                .li(.a(.href("\(base)/deliveries/\(delivery.id)"), .text("\(storeNames[delivery.store_id] ?? "") · \(DateText.short(delivery.created_at, language))")),
                    .text(" — \(delivery.deliveryStatus.words(language)) · \(Euros.format(cents: delivery.price_cents, language))"))
            }),
            .h2(.text(t("Magasins", "Stores"))),
            .ul(.forEach(stores) { store in .li(.a(.href("\(base)/stores/\(store.id)"), .text(store.name)), .text(" — \(store.address)")) }),
            Form.post(req, action: "\(base)/manage/stores",
                Form.summary(state(for: "store"), t),
                Form.field("name", label: t("Nom du magasin", "Store name"), state: state(for: "store"), t),
                Form.field("address", label: t("Adresse", "Address"), state: state(for: "store"), t),
                Form.select("store_commune", label: t("Commune", "Commune"), state: state(for: "store"), t, options: communes),
                Form.field("store_lat", label: t("Latitude", "Latitude"), state: state(for: "store"), t, required: false),
                Form.field("store_lon", label: t("Longitude", "Longitude"), state: state(for: "store"), t, required: false),
                Form.field("max_km", label: t("Distance maximale (km)", "Maximum distance (km)"), state: state(for: "store"), t, required: false),
                Form.field("max_weight", label: t("Poids maximal (kg)", "Maximum weight (kg)"), state: state(for: "store"), t, required: false),
                Form.select("pickup_zone", label: t("Retraits dans la zone", "Pickups in zone"), state: state(for: "store"), t, options: zoneOptions),
                Form.select("dropoff_zone", label: t("Livraisons dans la zone", "Dropoffs in zone"), state: state(for: "store"), t, options: zoneOptions),
                Form.submit(t("Ajouter le magasin", "Add the store"))),
            .h2(.text(t("Types de colis", "Package types"))),
            .ul(.forEach(types) { type in .li(.text("\(type.name) — \(type.volume_units) u., \(type.weight_grams / 1000) kg")) }),
            Form.post(req, action: "\(base)/manage/package-types",
                Form.summary(state(for: "type"), t),
                Form.field("name", label: t("Nom", "Name"), state: state(for: "type"), t),
                Form.field("volume", label: t("Unités de volume", "Volume units"), state: state(for: "type"), t, type: .number),
                Form.field("weight", label: t("Poids (kg)", "Weight (kg)"), state: state(for: "type"), t),
                Form.submit(t("Ajouter le type de colis", "Add the package type"))),
            .h2(.text(t("Raisons d’échec", "Failure reasons"))),
            .ul(.forEach(reasons) { .li(.text($0.label)) }),
            Form.post(req, action: "\(base)/manage/failure-reasons",
                Form.summary(state(for: "reason"), t),
                Form.field("label", label: t("Raison", "Reason"), state: state(for: "reason"), t),
                Form.submit(t("Ajouter la raison", "Add the reason"))),
            .h2(.text(t("Zones", "Zones"))),
            .ul(.forEach(zones) { .li(.text($0.name)) }),
            Form.post(req, action: "\(base)/manage/zones",
                Form.summary(state(for: "zone"), t),
                Form.field("name", label: t("Nom de la zone", "Zone name"), state: state(for: "zone"), t),
                Form.textarea("geojson", label: t("GeoJSON (polygones)", "GeoJSON (polygons)"), state: state(for: "zone"), t, rows: 6,
                              hint: t("Collez le contenu d’un fichier .geojson (FeatureCollection, Polygon ou MultiPolygon).",
                                      "Paste the content of a .geojson file (FeatureCollection, Polygon or MultiPolygon).")),
                Form.submit(t("Enregistrer la zone", "Save the zone"))),
            .h2(.text(t("Grille tarifaire", "Price grid"))),
            .ol(.forEach(Array(grid.rules.enumerated())) { index, rule in
                .li(.text("\(rule.label) — \(rule.conditions.map { $0.words(language) }.joined(separator: ", ")) — \(DeliveryPublicPages.amount(rule, language)) "),
                    Form.post(req, action: "\(base)/manage/rules/\(index)/remove", Form.submit(t("Retirer", "Remove"))))
            }),
            Form.post(req, action: "\(base)/manage/grid",
                Form.summary(gridState, t),
                Form.select("mode", label: t("Mode", "Mode"), state: gridState, t,
                            options: [(PricingMode.firstMatch.rawValue, t("le premier tarif qui s’applique", "the first price that applies")),
                                      (PricingMode.addUp.rawValue, t("les tarifs qui s’appliquent s’additionnent", "the prices that apply add up"))]),
                Form.field("couriers", label: t("Part des coursier·ères (%)", "Couriers' share (%)"), state: gridState, t, type: .number),
                Form.field("cooperative", label: t("Part de la coopérative (%)", "Cooperative's share (%)"), state: gridState, t, type: .number),
                Form.field("reserves", label: t("Part des réserves (%)", "Reserves' share (%)"), state: gridState, t, type: .number),
                Form.submit(t("Enregistrer le mode et le partage", "Save the mode and the split"))),
            .h3(.text(t("Ajouter un tarif", "Add a price"))),
            Form.post(req, action: "\(base)/manage/rules", DeliveryRuleForm.fields(state(for: "rule"), zones: zoneOptions, t)))
    }

    static var communes: [(value: String, label: String)] { Communes.known.map { ($0.name, $0.name) } }

    // MARK: Forms

    @Sendable static func addStore(_ req: Request) async throws -> Response {
        let access = try await DeliveryAccess(req, minimum: .staff)
        let values = try req.content.decode([String: String].self)
        let form = DeliveryForm(values: values)
        do {
            var problems = ValidationErrors()
            let name = try problems.collect { try Validate.text(form["name"], field: "name", label: Localized(fr: "Nom", en: "Name"), range: 2...120) }
            let address = try problems.collect { try Validate.text(form["address"], field: "address", label: Localized(fr: "Adresse", en: "Address"), range: 2...300) }
            let point = try problems.collect { try form.point("store") }
            let maxKm = try problems.collect { try optionalNumber(form["max_km"], field: "max_km") }
            let maxKg = try problems.collect { try optionalNumber(form["max_weight"], field: "max_weight") }
            try problems.throwIfAny()
            let rule = AcceptanceRule(maximumDistanceKm: maxKm ?? nil, pickupZone: form["pickup_zone"].isEmpty ? nil : form["pickup_zone"],
                                      dropoffZone: form["dropoff_zone"].isEmpty ? nil : form["dropoff_zone"],
                                      maximumWeightGrams: (maxKg ?? nil).map { Int(($0 * 1000).rounded()) })
            let id = try await DeliverySettings.createStore(name: name ?? "", address: address ?? "", point: point!, rule: rule, in: access.coopID, on: req.db)
            return req.done(Localized(fr: "Magasin ajouté.", en: "Store added."), goTo: "\(access.base)/stores/\(id)")
        } catch {
            return try await view(req, access: access, form: "store", state: FormState(refused: error, values: values), status: .unprocessableEntity)
        }
    }

    @Sendable static func addPackageType(_ req: Request) async throws -> Response {
        let access = try await DeliveryAccess(req, minimum: .staff)
        let values = try req.content.decode([String: String].self)
        let form = DeliveryForm(values: values)
        do {
            var problems = ValidationErrors()
            let name = try problems.collect { try Validate.text(form["name"], field: "name", label: Localized(fr: "Nom", en: "Name"), range: 2...80) }
            let volume = try problems.collect { () throws -> Int in
                guard let units = Int(form["volume"]), (0...1000).contains(units) else { throw DeliveryWords.number("volume") }
                return units
            }
            let weight = try problems.collect { try optionalNumber(form["weight"], field: "weight") ?? 0 }
            try problems.throwIfAny()
            try await DeliverySettings.addPackageType(PackageType(name: name ?? "", volumeUnits: volume ?? 0, weightGrams: Int(((weight ?? 0) * 1000).rounded())),
                                                      in: access.coopID, on: req.db)
            return req.done(Localized(fr: "Type de colis ajouté.", en: "Package type added."), goTo: "\(access.base)/manage")
        } catch {
            return try await view(req, access: access, form: "type", state: FormState(refused: error, values: values), status: .unprocessableEntity)
        }
    }

    @Sendable static func addFailureReason(_ req: Request) async throws -> Response {
        let access = try await DeliveryAccess(req, minimum: .staff)
        let values = try req.content.decode([String: String].self)
        do {
            let label = try Validate.text(values["label"], field: "label", label: Localized(fr: "Raison", en: "Reason"), range: 2...120)
            try await DeliverySettings.addFailureReason(label, in: access.coopID, on: req.db)
            return req.done(Localized(fr: "Raison d’échec ajoutée.", en: "Failure reason added."), goTo: "\(access.base)/manage")
        } catch {
            let error = (error as? DomainError)?.field == "name" ? DomainError(.conflict, code: "name_taken", field: "label", fr: DeliveryWords.nameTaken.message.fr, en: DeliveryWords.nameTaken.message.en) : error
            return try await view(req, access: access, form: "reason", state: FormState(refused: error, values: values), status: .unprocessableEntity)
        }
    }

    @Sendable static func saveZone(_ req: Request) async throws -> Response {
        let access = try await DeliveryAccess(req, minimum: .staff)
        let values = try req.content.decode([String: String].self)
        do {
            let name = try Validate.text(values["name"], field: "name", label: Localized(fr: "Nom de la zone", en: "Zone name"), range: 2...80)
            let zone = try GeoJSONZones.zone(named: name, from: Data((values["geojson"] ?? "").utf8))
            try await DeliverySettings.saveZone(zone, in: access.coopID, on: req.db)
            return req.done(Localized(fr: "Zone enregistrée.", en: "Zone saved."), goTo: "\(access.base)/manage")
        } catch {
            return try await view(req, access: access, form: "zone", state: FormState(refused: error, values: values), status: .unprocessableEntity)
        }
    }

    @Sendable static func saveGrid(_ req: Request) async throws -> Response {
        let access = try await DeliveryAccess(req, minimum: .staff)
        let values = try req.content.decode([String: String].self)
        do {
            func share(_ name: String) throws -> Int {
                guard let value = Double((values[name] ?? "").replacingOccurrences(of: ",", with: ".")), value >= 0, value <= 100 else { throw DeliveryWords.number(name) }
                return Int((value * 100).rounded())
            }
            var problems = ValidationErrors()
            let couriers = try problems.collect { try share("couriers") }, cooperative = try problems.collect { try share("cooperative") }
            let reserves = try problems.collect { try share("reserves") }
            try problems.throwIfAny()
            let split = try PriceSplit(couriersBasisPoints: couriers ?? 0, cooperativeBasisPoints: cooperative ?? 0, reservesBasisPoints: reserves ?? 0)
            var grid = try await DeliverySettings.pricing(of: access.coopID, on: req.db)
            grid.mode = PricingMode(rawValue: values["mode"] ?? "") ?? .firstMatch
            grid.split = split
            try await DeliverySettings.savePricing(grid, of: access.coopID, on: req.db)
            return req.done(Localized(fr: "Grille enregistrée.", en: "Price grid saved."), goTo: "\(access.base)/manage")
        } catch {
            return try await view(req, access: access, form: "grid", state: FormState(refused: error, values: values), status: .unprocessableEntity)
        }
    }

    @Sendable static func addRule(_ req: Request) async throws -> Response {
        let access = try await DeliveryAccess(req, minimum: .staff)
        let values = try req.content.decode([String: String].self)
        do {
            let rule = try DeliveryRuleForm.rule(DeliveryForm(values: values))
            var grid = try await DeliverySettings.pricing(of: access.coopID, on: req.db)
            grid.rules.append(rule)
            try await DeliverySettings.savePricing(grid, of: access.coopID, on: req.db)
            return req.done(Localized(fr: "Tarif ajouté.", en: "Price added."), goTo: "\(access.base)/manage")
        } catch {
            return try await view(req, access: access, form: "rule", state: FormState(refused: error, values: values), status: .unprocessableEntity)
        }
    }

    @Sendable static func removeRule(_ req: Request) async throws -> Response {
        let access = try await DeliveryAccess(req, minimum: .staff)
        var grid = try await DeliverySettings.pricing(of: access.coopID, on: req.db)
        guard let index = req.parameters.get("index", as: Int.self), grid.rules.indices.contains(index) else { throw Problem.notFound }
        grid.rules.remove(at: index)
        try await DeliverySettings.savePricing(grid, of: access.coopID, on: req.db)
        return req.done(Localized(fr: "Tarif retiré.", en: "Price removed."), goTo: "\(access.base)/manage")
    }

    static func optionalNumber(_ text: String, field: String) throws -> Double? {
        guard !text.isEmpty else { return nil }
        guard let value = Double(text.replacingOccurrences(of: ",", with: ".")), value.isFinite, value >= 0, value <= 100_000 else { throw DeliveryWords.number(field) }
        return value
    }
}
