import MaillageCore

enum LedgerOpenAPI {
    static var fragment: OpenAPIFragment {
        let int64: JSONValue = ["type": "integer", "format": "int64"]
        let positive: JSONValue = ["type": "integer", "format": "int64", "minimum": 1, "maximum": 1_000_000_000_000]
        let account = OAS.object([
            "id": OAS.uuid, "purpose": OAS.string(enum: AccountPurpose.allCases.map(\.rawValue)),
            "unit": OAS.string(enum: UnitOfAccount.allCases.map(\.code)), "owner": OAS.nullable(OAS.uuid),
            "posted": int64, "available": int64,
            "spendable": ["anyOf": [int64, ["type": "null"]],
                          "description": "What may still be spent, down to the floor (a credit line included), pending payments counted as spent; the figure the pages call “encore disponible”; null without a floor"],
            "floor": OAS.nullable(int64), "ceiling": OAS.nullable(int64), "closed": ["type": "boolean"],
        ], required: ["id", "purpose", "unit", "posted", "available", "closed"])
        let transfer = OAS.object([
            "id": OAS.uuid, "debit": OAS.uuid, "credit": OAS.uuid, "unit": OAS.string(enum: UnitOfAccount.allCases.map(\.code)),
            "amount": int64, "memo": OAS.string(), "category": OAS.string(enum: LedgerCategory.allCases.map(\.rawValue)),
            "time": OAS.dateTime, "phase": OAS.string(enum: ["immediate", "pending", "posting", "voiding"]),
            "pendingId": OAS.nullable(OAS.uuid), "expiresAt": OAS.nullable(OAS.dateTime), "reverses": OAS.nullable(OAS.uuid),
            "status": OAS.nullable(OAS.string(enum: ["open", "posted", "voided", "expired"])),
        ], required: ["id", "debit", "credit", "unit", "amount", "memo", "category", "time", "phase"])
        let line = OAS.object([
            "transfer": OAS.uuid, "time": OAS.dateTime, "memo": OAS.string(), "counterparty": OAS.uuid, "counterpartyName": OAS.string(),
            "change": int64, "balance": int64, "reverses": OAS.nullable(OAS.uuid),
        ], required: ["transfer", "time", "memo", "counterparty", "counterpartyName", "change", "balance"])
        let statement = OAS.object(["account": OAS.ref("LedgerAccount"), "from": OAS.dateTime, "to": OAS.dateTime,
                                    "opening": int64, "closing": int64, "lines": OAS.array(line)],
                                   required: ["account", "from", "to", "opening", "closing", "lines"])
        let fee = OAS.object(["activity": OAS.string(enum: Activity.allCases.map(\.rawValue)), "basisPoints": int64, "fixedCents": int64],
                             required: ["activity", "basisPoints", "fixedCents"])
        let invoice = OAS.object([
            "id": OAS.uuid, "seller": OAS.uuid, "buyer": OAS.uuid, "amount": int64, "description": OAS.string(),
            "status": OAS.string(enum: ["issued", "accepted", "declined", "cancelled"]), "issuedAt": OAS.dateTime, "decidedAt": OAS.nullable(OAS.dateTime),
        ], required: ["id", "seller", "buyer", "amount", "description", "status", "issuedAt"])
        let reportLine = OAS.object(["kind": OAS.string(), "tag": OAS.nullable(OAS.string()), "unit": OAS.string(), "amount": int64],
                                    required: ["kind", "unit", "amount"])
        let report = OAS.object([
            "cooperative": OAS.string(), "slug": OAS.string(), "year": ["type": "integer"], "years": OAS.array(["type": "integer"]),
            "revenue": OAS.array(reportLine), "costs": OAS.array(reportLine), "result": int64, "reserves": OAS.array(reportLine),
            "redistributed": OAS.array(reportLine), "allocationStatus": OAS.nullable(OAS.string(enum: AllocationStatus.allCases.filter { $0 != .none }.map(\.rawValue))),
        ], required: ["cooperative", "slug", "year", "years", "revenue", "costs", "result", "reserves", "redistributed"])

        let accountID = OAS.pathParameter("account", OAS.uuid), transferID = OAS.pathParameter("id", OAS.uuid)
        let invoiceID = OAS.pathParameter("id", OAS.uuid)
        let activity = OAS.pathParameter("activity", OAS.string(enum: Activity.allCases.map(\.rawValue)))
        let idempotency: JSONValue = ["name": "Idempotency-Key", "in": "header", "required": false,
                                      "schema": OAS.string(min: 1, max: 150),
                                      "description": "A retried request with the same key returns the first result instead of paying twice"]
        let dates = [OAS.queryParameter("from", OAS.day, "First day (Europe/Paris), default 1 January"),
                     OAS.queryParameter("to", OAS.day, "Last day, included, not before `from`; default 31 December")]
        // The total is what is split: without it there is nothing to answer.
        var total = OAS.queryParameter("total", ["type": "integer", "minimum": 0, "maximum": 1_000_000_000_000], "Total paid, in cents")
        if case .object(var parameter) = total { parameter["required"] = true; total = .object(parameter) }
        let moved = OAS.ok("Recorded", OAS.ref("Transfer"), status: 201).merging(OAS.ok("Already recorded (same idempotency key)", OAS.ref("Transfer"))) { a, _ in a }
        let page = { (schema: String) in OAS.object(["data": OAS.array(OAS.ref(schema))], required: ["data"]) }
        let invoiceAction = { (id: String, summary: String) in
            OAS.operation(id, summary, tag: "Barter", secured: true, parameters: [OAS.slug, invoiceID],
                          responses: OAS.ok("The invoice", OAS.ref("BarterInvoice")), errorCodes: [401, 403, 404, 409])
        }
        return OpenAPIFragment(
            paths: [
                "/api/v1/cooperatives/{slug}/accounts": ["get": OAS.operation("listAccounts",
                    "My accounts in this cooperative's books (staff and board: all accounts)", tag: "Ledger", secured: true,
                    parameters: [OAS.slug], responses: OAS.ok("Accounts", page("LedgerAccount")), errorCodes: [401, 403, 404])],
                "/api/v1/cooperatives/{slug}/accounts/{account}/statement": ["get": OAS.operation("accountStatement",
                    "An account's statement over a period, with the balance after each line (JSON, or CSV with format=csv)", tag: "Ledger", secured: true,
                    parameters: [OAS.slug, accountID] + dates + [OAS.queryParameter("format", OAS.string(enum: ["json", "csv"]), "csv for a spreadsheet")],
                    responses: ["200": ["description": "The statement", "content": ["application/json": ["schema": OAS.ref("Statement")],
                                                                                    "text/csv": ["schema": ["type": "string"]]]]],
                    errorCodes: [401, 403, 404, 422])],
                "/api/v1/cooperatives/{slug}/transfers": ["post": OAS.operation("createTransfer",
                    "Pay from one of my accounts (prepaid credit, hours), or from the cooperative's (board); pending reserves the amount", tag: "Ledger", secured: true,
                    parameters: [OAS.slug, idempotency],
                    body: OAS.object(["debit": OAS.uuid, "credit": OAS.uuid, "amount": positive, "memo": OAS.string(max: 500),
                                      "pending": ["type": "boolean"], "expiresAt": OAS.dateTimeInput], required: ["debit", "credit", "amount"]),
                    responses: moved, errorCodes: [401, 403, 404, 409])],
                "/api/v1/cooperatives/{slug}/transfers/{id}": ["get": OAS.operation("getTransfer", "One transfer of my accounts", tag: "Ledger", secured: true,
                    parameters: [OAS.slug, transferID], responses: OAS.ok("The transfer", OAS.ref("Transfer")), errorCodes: [401, 403, 404])],
                "/api/v1/cooperatives/{slug}/transfers/{id}/post": ["post": OAS.operation("postPendingTransfer",
                    "Post a pending transfer, all of it or less (the payer or the board)", tag: "Ledger", secured: true,
                    parameters: [OAS.slug, transferID, idempotency], body: OAS.object(["amount": positive], required: []),
                    responses: moved, errorCodes: [401, 403, 404, 409])],
                "/api/v1/cooperatives/{slug}/transfers/{id}/void": ["post": OAS.operation("voidPendingTransfer",
                    "Release a pending transfer (the payer or the board)", tag: "Ledger", secured: true,
                    parameters: [OAS.slug, transferID, idempotency], responses: moved, errorCodes: [401, 403, 404, 409])],
                "/api/v1/cooperatives/{slug}/transfers/{id}/reverse": ["post": OAS.operation("reverseTransfer",
                    "Correct a posted transfer with the reverse one (board); a transfer is reversed once", tag: "Ledger", secured: true,
                    parameters: [OAS.slug, transferID, idempotency], body: OAS.object(["memo": OAS.string(max: 500)], required: []),
                    responses: moved, errorCodes: [401, 403, 404, 409])],
                "/api/v1/cooperatives/{slug}/fees": ["get": OAS.operation("listFees", "Each activity's fee (public: fees are published)", tag: "Ledger", secured: false,
                    parameters: [OAS.slug], responses: OAS.ok("Fees", page("Fee")), errorCodes: [404])],
                "/api/v1/cooperatives/{slug}/fees/{activity}": ["put": OAS.operation("setFee", "Set an activity's fee (board)", tag: "Ledger", secured: true,
                    parameters: [OAS.slug, activity],
                    body: OAS.object(["basisPoints": ["type": "integer", "minimum": 0, "maximum": 10_000],
                                      "fixedCents": ["type": "integer", "minimum": 0, "maximum": 100_000_000]], required: ["basisPoints"]),
                    responses: OAS.ok("Saved", OAS.ref("Fee")), errorCodes: [401, 403, 404])],
                "/api/v1/cooperatives/{slug}/fees/{activity}/split": ["get": OAS.operation("feeSplit",
                    "Where a payment would go: producer, cooperative fee, delivery (public)", tag: "Ledger", secured: false,
                    parameters: [OAS.slug, activity, total,
                                 OAS.queryParameter("delivery", ["type": "integer", "minimum": 0, "maximum": 1_000_000_000_000],
                                                    "Delivery included, in cents, at most the total")],
                    responses: OAS.ok("The split", OAS.object(["total": int64, "producer": int64, "fee": int64, "delivery": int64],
                                                             required: ["total", "producer", "fee", "delivery"])),
                    errorCodes: [404, 422])],
                "/api/v1/cooperatives/{slug}/barter/invoices": [
                    "get": OAS.operation("listBarterInvoices", "My invoices in the barter network", tag: "Barter", secured: true,
                        parameters: [OAS.slug], responses: OAS.ok("Invoices", page("BarterInvoice")), errorCodes: [401, 403, 404]),
                    "post": OAS.operation("issueBarterInvoice", "Invoice another business in barter units (cents of a unit)", tag: "Barter", secured: true,
                        parameters: [OAS.slug],
                        body: OAS.object(["buyer": OAS.uuid, "amount": positive, "description": OAS.string(min: 3, max: 500)],
                                         required: ["buyer", "amount", "description"]),
                        responses: OAS.ok("Issued", OAS.ref("BarterInvoice"), status: 201), errorCodes: [401, 403, 404, 409]),
                ],
                "/api/v1/cooperatives/{slug}/barter/invoices/{id}/accept": ["post": invoiceAction("acceptBarterInvoice",
                    "Accept and pay (the buyer): the trade and the network's commission post together")],
                "/api/v1/cooperatives/{slug}/barter/invoices/{id}/decline": ["post": invoiceAction("declineBarterInvoice", "Decline (the buyer)")],
                "/api/v1/cooperatives/{slug}/barter/invoices/{id}/cancel": ["post": invoiceAction("cancelBarterInvoice", "Withdraw (the seller)")],
                "/api/v1/cooperatives/{slug}/transparency": ["get": OAS.operation("transparency",
                    "A cooperative's public figures for a year: revenue by activity, costs, result, reserves, value redistributed", tag: "Ledger",
                    secured: false, parameters: [OAS.slug, OAS.queryParameter("year", ["type": "integer", "minimum": 2000, "maximum": .int(YearEnd.currentYear() + 1)],
                                                                               "Default: this year; at most next year")],
                    responses: OAS.ok("The figures", OAS.ref("TransparencyReport")), errorCodes: [404, 422])],
            ],
            schemas: ["LedgerAccount": account, "Transfer": transfer, "Statement": statement, "Fee": fee,
                      "BarterInvoice": invoice, "TransparencyReport": report])
    }
}
