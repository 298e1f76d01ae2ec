import MaillageCore

enum LendingOpenAPI {
    static var fragment: OpenAPIFragment {
        let day = OAS.day
        let commune = OAS.string("A commune of the territory", enum: Communes.known.map(\.name))
        let period = OAS.object(["firstDay": day, "lastDay": day], required: ["firstDay", "lastDay"])
        let item = OAS.object([
            "id": OAS.uuid, "title": OAS.string(), "category": OAS.string(enum: ItemCategory.allCases.map(\.rawValue)),
            "description": OAS.string(), "condition": OAS.string(enum: ItemCondition.allCases.map(\.rawValue)),
            "depositCents": ["type": "integer", "format": "int64"], "maximumLoanDays": ["type": "integer"],
            "pickup": OAS.string(enum: ["domicile", "vitrine"]), "commune": OAS.string(), "lat": ["type": "number"], "lon": ["type": "number"],
            "photoPath": ["type": "string", "description": "Address on this instance of the uploaded photo (given on the item itself, not in searches)"], "distanceKm": ["type": "number"], "booked": OAS.array(OAS.ref("LoanPeriod")), "createdAt": OAS.dateTime,
        ], required: ["id", "title", "category", "description", "condition", "depositCents", "maximumLoanDays", "pickup", "commune", "createdAt"])
        let message = OAS.object(["author": OAS.uuid, "body": OAS.string(), "at": OAS.dateTime], required: ["author", "body", "at"])
        let review = OAS.object(["side": OAS.string(enum: ["owner", "borrower"]), "rating": ["type": "integer", "minimum": 1, "maximum": 5],
                                 "text": OAS.string(), "at": OAS.dateTime], required: ["side", "rating", "text", "at"])
        let loan = OAS.object([
            "id": OAS.uuid, "item": OAS.uuid, "owner": OAS.uuid, "borrower": OAS.uuid, "firstDay": day, "lastDay": day,
            "status": OAS.string(enum: LoanStatus.allCases.map(\.rawValue)), "overdue": ["type": "boolean"], "requestedAt": OAS.dateTime,
            "decidedAt": OAS.dateTime, "handoverOwnerAt": OAS.dateTime, "handoverBorrowerAt": OAS.dateTime,
            "returnOwnerAt": OAS.dateTime, "returnBorrowerAt": OAS.dateTime, "messages": OAS.array(message), "reviews": OAS.array(review),
            "deposit": OAS.string(enum: DepositState.allCases.map(\.rawValue)),
        ], required: ["id", "item", "owner", "borrower", "firstDay", "lastDay", "status", "overdue", "requestedAt"])
        let page = { (schema: String) in OAS.object(["data": OAS.array(OAS.ref(schema))], required: ["data"]) }
        let itemID = OAS.pathParameter("id", OAS.uuid), loanID = OAS.pathParameter("id", OAS.uuid)
        let search = [OAS.queryParameter("q", OAS.string(max: 200), "Words, all of which an item must match"),
                      OAS.queryParameter("category", OAS.string(enum: ItemCategory.allCases.map(\.rawValue)), "Category code"),
                      OAS.queryParameter("near", commune, "A commune of the territory: items within `radius` km of it, nearest first"),
                      OAS.queryParameter("radius", ["type": "number", "minimum": .double(0.1), "maximum": 200], "Radius in km (default 5)"),
                      OAS.queryParameter("limit", ["type": "integer", "minimum": 1, "maximum": 200], "At most this many items (default 50)")]
        let step = { (id: String, summary: String) -> JSONValue in
            OAS.operation(id, summary, tag: "Lending", secured: true, parameters: [OAS.slug, loanID],
                          responses: OAS.ok("The loan", OAS.ref("Loan")), errorCodes: [401, 403, 404, 409, 422])
        }
        let base = "/api/v1/cooperatives/{slug}/lending"
        return OpenAPIFragment(
            paths: [
                "\(base)/items": [
                    "get": OAS.operation("searchLendingItems", "Search a lending cooperative's items by words, category and distance (public)",
                                         tag: "Lending", secured: false, parameters: [OAS.slug] + search,
                                         responses: OAS.ok("Items", page("LendingItem")), errorCodes: [404, 422]),
                    "post": OAS.operation("createLendingItem", "Lend an item (members)", tag: "Lending", secured: true, parameters: [OAS.slug],
                        body: OAS.object(["title": OAS.string(min: 3, max: 100), "category": OAS.string(enum: ItemCategory.allCases.map(\.rawValue)),
                                          "description": OAS.string(max: 2000), "condition": OAS.string(enum: ItemCondition.allCases.map(\.rawValue)),
                                          "depositCents": ["type": "integer", "minimum": 0, "maximum": 200_000],
                                          "maximumLoanDays": ["type": "integer", "minimum": 1, "maximum": 60],
                                          "pickup": OAS.string("vitrine only where the cooperative has a showcase place", enum: ["domicile", "vitrine"]),
                                          "commune": commune],
                                         required: ["title", "category", "condition", "maximumLoanDays", "commune"]),
                        responses: OAS.ok("Created", OAS.ref("LendingItem"), status: 201), errorCodes: [401, 403, 404]),
                ],
                "\(base)/items/{id}": ["get": OAS.operation("getLendingItem", "An item with the periods it is lent for (public)", tag: "Lending",
                    secured: false, parameters: [OAS.slug, itemID], responses: OAS.ok("The item", OAS.ref("LendingItem")), errorCodes: [404])],
                "\(base)/items/{id}/loans": ["post": OAS.operation("requestLoan",
                    "Ask to borrow an item for whole days (members); overlapping requests are allowed, the owner chooses", tag: "Lending", secured: true,
                    parameters: [OAS.slug, itemID],
                    body: OAS.object(["firstDay": ["type": "string", "format": "date", "description": "Today at the earliest, at most a year ahead"],
                                      "lastDay": ["type": "string", "format": "date",
                                                  "description": "Not before firstDay: the loan lasts at most the item's maximumLoanDays"],
                                      "message": OAS.string("A first message to the owner, or leave it out", min: 1, max: 2000)],
                                     required: ["firstDay", "lastDay"]),
                    responses: OAS.ok("Requested", OAS.ref("Loan"), status: 201), errorCodes: [401, 403, 404, 409])],
                "\(base)/loans": ["get": OAS.operation("listLoans", "My loans and borrowings (staff: every loan with all=true)", tag: "Lending",
                    secured: true, parameters: [OAS.slug, OAS.queryParameter("all", ["type": "boolean"], "Staff: every loan of the cooperative")],
                    responses: OAS.ok("Loans", page("Loan")), errorCodes: [401, 403, 404])],
                "\(base)/loans/{id}": ["get": OAS.operation("getLoan", "A loan with its messages and reviews (its owner, borrower, or staff)",
                    tag: "Lending", secured: true, parameters: [OAS.slug, loanID], responses: OAS.ok("The loan", OAS.ref("Loan")), errorCodes: [401, 403, 404])],
                "\(base)/loans/{id}/accept": ["post": step("acceptLoan", "Accept a request (owner or staff): its days are claimed; 409 dates_taken when another loan holds one")],
                "\(base)/loans/{id}/decline": ["post": step("declineLoan", "Decline a request (owner or staff)")],
                "\(base)/loans/{id}/cancel": ["post": step("cancelLoan", "Cancel a request or an accepted loan")],
                "\(base)/loans/{id}/handover": ["post": step("confirmHandover", "Confirm the handover, from my side; handed over once both confirm")],
                "\(base)/loans/{id}/return": ["post": step("confirmReturn", "Confirm the return, from my side; returned once both confirm")],
                "\(base)/loans/{id}/messages": ["post": OAS.operation("postLoanMessage", "Write in the loan's thread; the other side is notified",
                    tag: "Lending", secured: true, parameters: [OAS.slug, loanID], body: OAS.object(["body": OAS.string(min: 1, max: 2000)], required: ["body"]),
                    responses: OAS.ok("Posted", OAS.ref("Loan"), status: 201), errorCodes: [401, 403, 404])],
                "\(base)/loans/{id}/review": ["post": OAS.operation("reviewLoan", "Leave my one review after the return", tag: "Lending", secured: true,
                    parameters: [OAS.slug, loanID],
                    body: OAS.object(["rating": ["type": "integer", "minimum": 1, "maximum": 5], "text": OAS.string(max: 500)], required: ["rating"]),
                    responses: OAS.ok("Reviewed", OAS.ref("Loan"), status: 201), errorCodes: [401, 403, 404, 409])],
            ],
            schemas: ["LendingItem": item, "Loan": loan, "LoanPeriod": period])
    }
}
