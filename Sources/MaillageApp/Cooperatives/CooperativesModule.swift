import Fluent
import MaillageCore
import Plot
import Vapor

struct CooperativesModule: MaillageModule {
    let name = "cooperatives"
    var migrations: [any Migration] { [CreateCooperatives(), CreateMembershipDepartures(), MembershipDepartureReasons(),
                                      // The Kernel's threads point at people and cooperatives: made once both exist.
                                      CreateThreads(), CooperativeReviews(), CreateInvitations(),
                                      CooperativeTwoFactorSetting()] }

    func pages(_ routes: any RoutesBuilder) {
        routes.get("c", ":slug", use: CooperativePages.show)
        let signedIn = routes.grouped(RequireLoginMiddleware())
        signedIn.get("cooperatives", "new", use: CooperativePages.newPage)
        signedIn.post("cooperatives", use: CooperativePages.create)
        signedIn.post("c", ":slug", "join", use: CooperativePages.join)
        signedIn.get("c", ":slug", "archive", use: ReviewPages.archiveQuestion)
        signedIn.post("c", ":slug", "archive", use: ReviewPages.archive)
        let review = signedIn.grouped(RequireOperatorMiddleware()).grouped("operators", "cooperatives")
        review.get(use: ReviewPages.queue)
        review.post(":id", "approve", use: ReviewPages.approve)
        review.post(":id", "refuse", use: ReviewPages.refuse)
        review.get("delete", use: TestCooperatives.deleteQuestion)
        review.post(":id", "delete", use: TestCooperatives.delete)
        signedIn.get("c", ":slug", "leave", use: CooperativePages.leaveQuestion)
        signedIn.post("c", ":slug", "leave", use: CooperativePages.leave)
        signedIn.get("c", ":slug", "edit", use: CooperativePages.editPage)
        signedIn.post("c", ":slug", "edit", use: CooperativePages.update)
        signedIn.get("c", ":slug", "manage", use: ManagePages.show)
        signedIn.get("c", ":slug", "security", use: TwoFactorRequirement.show)
        signedIn.post("c", ":slug", "security", use: TwoFactorRequirement.save)
        signedIn.post("c", ":slug", "members", ":id", ":decision", use: ManagePages.decide)
        signedIn.post("c", ":slug", "members", ":id", "role", use: ManagePages.changeRole)
        signedIn.get("c", ":slug", "members", ":id", "leave", use: ManagePages.departureQuestion)
        signedIn.post("c", ":slug", "members", ":id", "leave", use: ManagePages.recordDeparture)
        signedIn.get("c", ":slug", "invitations", use: InvitationPages.show)
        signedIn.post("c", ":slug", "invitations", use: InvitationPages.invite)
        signedIn.get("c", ":slug", "invitations", ":id", "withdraw", use: InvitationPages.withdrawQuestion)
        signedIn.post("c", ":slug", "invitations", ":id", "withdraw", use: InvitationPages.withdraw)
        // The mailed link: read by whoever holds it; answered signed in.
        routes.get("invitations", ":token", use: InvitationLinkPages.show)
        signedIn.post("invitations", ":token", use: InvitationLinkPages.accept)
        signedIn.get("c", ":slug", "moderation", use: ModerationPages.queue)
        signedIn.post("c", ":slug", "moderation", ":report", "hide", use: ModerationPages.hide)
        signedIn.post("c", ":slug", "moderation", ":report", "dismiss", use: ModerationPages.dismiss)
    }

    func accountSection(_ req: Request, user: User) async throws -> Node<HTML.BodyContext>? {
        try await MembershipViews.accountSection(req, user: user)
    }

    func api(_ routes: any RoutesBuilder) {
        routes.get("me", "memberships", use: CooperativeAPI.myMemberships)
        routes.get("cooperatives", use: CooperativeAPI.list)
        routes.post("cooperatives", use: CooperativeAPI.create)
        routes.get("cooperatives", ":slug", use: CooperativeAPI.show)
        routes.get("cooperatives", ":slug", "memberships", use: CooperativeAPI.members)
        routes.post("cooperatives", ":slug", "memberships", use: CooperativeAPI.join)
        routes.post("cooperatives", ":slug", "memberships", ":id", "approve", use: CooperativeAPI.approve)
        routes.post("cooperatives", ":slug", "memberships", ":id", "decline", use: CooperativeAPI.decline)
        routes.put("cooperatives", ":slug", "memberships", ":id", "role", use: CooperativeAPI.changeRole)
        routes.post("cooperatives", ":slug", "memberships", ":id", "leave", use: CooperativeAPI.leave)
        routes.get("cooperatives", ":slug", "invitations", use: InvitationAPI.list)
        routes.post("cooperatives", ":slug", "invitations", use: InvitationAPI.create)
        routes.delete("cooperatives", ":slug", "invitations", ":id", use: InvitationAPI.withdraw)
    }

    var openAPI: OpenAPIFragment {
        let page = { (schema: String) in OAS.object(["data": OAS.array(OAS.ref(schema))], required: ["data"]) }
        let membershipID = OAS.pathParameter("id", OAS.uuid)
        let charter = OAS.object(["characteristic": OAS.string(enum: Characteristic.allCases.map(\.rawValue)),
                                  "answer": OAS.string(enum: CharterAnswer.allCases.map(\.rawValue)),
                                  "evidence": OAS.string(max: 500)], required: ["characteristic", "answer", "evidence"])
        var creation = OAS.object([
            "name": OAS.string(min: 2, max: 120),
            "slug": ["type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$", "minLength": 3, "maxLength": 60,
                     "description": "Made from the name when absent"],
            "legalForm": OAS.string(enum: LegalForm.allCases.map(\.rawValue)), "commune": OAS.string(min: 1, max: 100),
            "postalCode": ["type": "string", "pattern": "^([0-9]{5})?$"], "description": OAS.string(min: 10, max: 2000),
            "website": ["type": "string", "pattern": "^(https?://\\S*)?$", "maxLength": 300],
            "activities": ["type": "array", "minItems": 1, "uniqueItems": true,
                           "items": OAS.string(enum: Activity.allCases.map(\.rawValue))],
            "colleges": ["type": "array", "maxItems": 12, "uniqueItems": true, "items": OAS.string(min: 1, max: 80),
                         "description": "Voting colleges; a SCIC needs at least 3"],
            "shareNominalCents": ["type": "integer", "minimum": 0, "maximum": 10_000_000,
                                  "description": "Nominal value of one share in cents; at least 1 for forms with share capital"],
            "charter": OAS.array(charter),
        ], required: ["name", "legalForm", "commune", "description", "activities"])
        // What the legal form asks (CooperativeDraft): a SCIC's three colleges, a share's value
        // where there is share capital. Without a slug, the name makes it: three letters or digits at least.
        let withCapital = LegalForm.allCases.filter(\.hasShareCapital).map { JSONValue.string($0.rawValue) }
        let withColleges = LegalForm.allCases.filter { $0.minimumColleges > 0 }
        if case .object(var body) = creation {
            body["allOf"] = .array(withColleges.map { form -> JSONValue in
                ["if": ["properties": ["legalForm": ["const": .string(form.rawValue)]], "required": ["legalForm"]],
                 "then": ["required": ["colleges"], "properties": ["colleges": ["minItems": .int(form.minimumColleges)]]]]
            } + [["if": ["properties": ["legalForm": ["enum": .array(withCapital)]], "required": ["legalForm"]],
                  "then": ["required": ["shareNominalCents"], "properties": ["shareNominalCents": ["minimum": 1]]]],
                 ["if": ["not": ["required": ["slug"]]],
                  "then": ["properties": ["name": ["pattern": "([A-Za-z0-9][^A-Za-z0-9]*){3}"]]]]])
            creation = .object(body)
        }
        let paths: [String: JSONValue] = [
                "/api/v1/me/memberships": ["get": OAS.operation("myMemberships", "My memberships in every cooperative", tag: "Accounts", secured: true,
                    responses: OAS.ok("Memberships", OAS.object(["data": OAS.array(OAS.ref("Membership"))], required: ["data"])), errorCodes: [401])],
                "/api/v1/cooperatives": [
                    "get": OAS.operation("listCooperatives", "Every cooperative of the instance", tag: "Cooperatives", secured: false,
                        responses: OAS.ok("Cooperatives", page("Cooperative")), errorCodes: []),
                    "post": OAS.operation("createCooperative", "Create a cooperative; its creator becomes its first board member", tag: "Cooperatives", secured: true,
                        body: creation,
                        responses: OAS.ok("Created", OAS.ref("Cooperative"), status: 201), errorCodes: [401, 403, 409]),
                ],
                "/api/v1/cooperatives/{slug}": ["get": OAS.operation("getCooperative", "One cooperative", tag: "Cooperatives", secured: false,
                    parameters: [OAS.slug], responses: OAS.ok("The cooperative", OAS.ref("Cooperative")), errorCodes: [404])],
                "/api/v1/cooperatives/{slug}/memberships": [
                    "get": OAS.operation("listMemberships", "Members and requests (board and staff only)", tag: "Memberships", secured: true,
                        parameters: [OAS.slug, OAS.queryParameter("status", OAS.string(enum: MembershipStatus.allCases.map(\.rawValue)), "Only this status")],
                        responses: OAS.ok("Memberships", page("Membership")), errorCodes: [401, 403, 404, 422]),
                    "post": OAS.operation("askToJoin", "Ask to join, choosing a college and a number of shares", tag: "Memberships", secured: true,
                        parameters: [OAS.slug],
                        body: OAS.object(["college": ["anyOf": [OAS.uuid, ["type": "null"]], "description": "Required when the cooperative has colleges"],
                                          "shares": ["type": "integer", "minimum": 0, "maximum": 100000,
                                                     "description": "At least 1 when the cooperative has share capital, 0 otherwise"],
                                          "message": OAS.nullable(OAS.string(max: 1000))], required: ["shares"]),
                        responses: OAS.ok("Request recorded, pending the board's decision", OAS.ref("Membership"), status: 201), errorCodes: [401, 403, 404, 409]),
                ],
                "/api/v1/cooperatives/{slug}/memberships/{id}/approve": ["post": OAS.operation("approveMembership", "Approve a pending request (board)", tag: "Memberships", secured: true,
                    parameters: [OAS.slug, membershipID], responses: OAS.ok("Approved", OAS.ref("Membership")), errorCodes: [401, 403, 404, 409])],
                "/api/v1/cooperatives/{slug}/memberships/{id}/decline": ["post": OAS.operation("declineMembership", "Decline a pending request (board)", tag: "Memberships", secured: true,
                    parameters: [OAS.slug, membershipID], responses: OAS.ok("Declined", OAS.ref("Membership")), errorCodes: [401, 403, 404, 409])],
                "/api/v1/cooperatives/{slug}/memberships/{id}/leave": ["post": OAS.operation("leaveCooperative",
                    "Leave the cooperative (the member) or record a member's departure (staff for a plain member, the board for a board or staff member, with a reason sent to the person); the shares are paid back under the capital rules",
                    tag: "Memberships", secured: true, parameters: [OAS.slug, membershipID],
                    body: OAS.object(["reason": OAS.nullable(OAS.string(max: MembershipRules.maximumReason))], required: []), bodyRequired: false,
                    responses: OAS.ok("Left", OAS.ref("Membership")),
                    errorCodes: [401, 403, 404, 409, 422])],
                "/api/v1/cooperatives/{slug}/memberships/{id}/role": ["put": OAS.operation("changeRole", "Change an active member's role (board)", tag: "Memberships", secured: true,
                    parameters: [OAS.slug, membershipID],
                    body: OAS.object(["role": OAS.string(enum: MemberRole.allCases.map(\.rawValue))], required: ["role"]),
                    responses: OAS.ok("Changed", OAS.ref("Membership")), errorCodes: [401, 403, 404, 409])],
        ]
        return OpenAPIFragment(
            paths: paths.merging(InvitationAPI.paths) { first, _ in first },
            schemas: [
                "Invitation": InvitationAPI.schema,
                "College": OAS.object(["id": OAS.uuid, "name": OAS.string()], required: ["id", "name"]),
                "Cooperative": OAS.object([
                    "id": OAS.uuid, "slug": OAS.string(), "name": OAS.string(), "legalForm": OAS.string(enum: LegalForm.allCases.map(\.rawValue)),
                    "commune": OAS.string(), "postalCode": OAS.string(), "description": OAS.string(), "website": OAS.string(),
                    "activities": OAS.array(OAS.string(enum: Activity.allCases.map(\.rawValue))), "colleges": OAS.array(OAS.ref("College")),
                    "shareNominalCents": ["type": "integer"], "charter": OAS.array(charter),
                    "badge": OAS.string(enum: CharterBadge.allCases.map(\.rawValue)), "charterScore": ["type": "integer", "minimum": 0, "maximum": 10],
                    "members": ["type": "integer", "minimum": 0], "createdAt": OAS.nullable(OAS.dateTime),
                ], required: ["id", "slug", "name", "legalForm", "commune", "description", "activities", "colleges", "shareNominalCents", "charter", "badge", "members"]),
                "Membership": OAS.object([
                    "id": OAS.uuid, "cooperative": OAS.string("slug"), "userId": OAS.uuid, "displayName": OAS.nullable(OAS.string()),
                    "college": OAS.nullable(OAS.ref("College")), "shares": ["type": "integer"],
                    "role": OAS.string(enum: MemberRole.allCases.map(\.rawValue)), "status": OAS.string(enum: MembershipStatus.allCases.map(\.rawValue)),
                    "votes": ["type": "integer", "minimum": 0, "maximum": 1, "description": "One person = one vote, whatever the shares"],
                    "message": OAS.string(), "requestedAt": OAS.nullable(OAS.dateTime), "decidedAt": OAS.nullable(OAS.dateTime),
                ], required: ["id", "cooperative", "userId", "shares", "role", "status", "votes"]),
            ])
    }
}
