import MaillageCore

enum GovernanceOpenAPI {
    static var fragment: OpenAPIFragment {
        let proposalID = OAS.pathParameter("id", OAS.uuid)
        let proposal = OAS.object([
            "id": OAS.uuid, "title": OAS.string(), "body": OAS.string(),
            "method": OAS.string(enum: TallyMethod.allCases.map(\.rawValue)), "options": OAS.array(OAS.string()),
            "opensAt": OAS.dateTime, "closesAt": OAS.dateTime,
            "endsAt": ["type": "string", "format": "date-time", "description": "When it stops (or stopped) taking ballots: closesAt, or earlier if closed or cancelled before"],
            "phase": OAS.string(enum: ProposalPhase.allCases.map(\.rawValue)),
            "secret": ["type": "boolean"], "quorum": OAS.string("A fraction such as 1/4, or 0"),
            "majority": OAS.string(enum: RequiredMajority.allCases.map(\.rawValue)), "weighted": ["type": "boolean"],
            "electorate": ["type": "integer", "minimum": 0, "description": "Members who vote, fixed at opening; before opening, those who would vote if it opened now"],
            "electorateFixed": ["type": "boolean", "description": "Whether the electorate has been taken (the vote has opened)"],
            "participants": ["type": "integer", "minimum": 0],
            "cancelledAt": OAS.nullable(OAS.dateTime), "cancelReason": OAS.nullable(OAS.string()),
            "result": ["description": "The tally report, as `maillage tally` prints it, once closed"],
            "statement": OAS.nullable(OAS.string()),
        ], required: ["id", "title", "method", "options", "opensAt", "closesAt", "endsAt", "phase", "secret", "electorate", "electorateFixed", "participants"])
        let entry = OAS.object([
            "id": OAS.uuid, "title": OAS.string(), "method": OAS.string(), "secret": ["type": "boolean"],
            "closedAt": OAS.nullable(OAS.dateTime), "electorate": ["type": "integer"], "participants": ["type": "integer"],
            "quorum": OAS.string(), "quorumReached": ["type": "boolean"], "majority": OAS.string(),
            "majorityReached": OAS.nullable(["type": "boolean"]), "adopted": ["type": "boolean"],
            "winners": OAS.array(OAS.string()), "statement": OAS.nullable(OAS.string()),
        ], required: ["id", "title", "method", "electorate", "participants", "adopted", "winners"])
        let assemblyID = OAS.pathParameter("id", OAS.uuid)
        let attendance = OAS.object(["userId": OAS.uuid, "displayName": OAS.string(), "status": OAS.string(enum: AttendanceStatus.allCases.map(\.rawValue)),
                                     "proxyHolder": OAS.nullable(OAS.uuid)], required: ["userId", "displayName", "status"])
        let assembly = OAS.object([
            "id": OAS.uuid, "title": OAS.string(), "kind": OAS.string(enum: AssemblyKind.allCases.map(\.rawValue)), "startsAt": OAS.dateTime,
            "place": OAS.string(), "quorum": OAS.string(), "proxiesPerHolder": ["type": "integer"], "members": ["type": "integer"],
            "present": ["type": "integer"], "represented": ["type": "integer"], "quorumReached": ["type": "boolean"],
            "agenda": OAS.array(OAS.uuid), "attendance": OAS.array(attendance),
        ], required: ["id", "title", "kind", "startsAt", "place", "quorum", "members", "present", "represented", "quorumReached", "agenda", "attendance"])
        // What a method asks of its options (ProposalDraft): consent takes none; a meeting-time poll is never secret.
        var proposalDraft = OAS.object([
            "title": OAS.string(min: 3, max: 200), "body": OAS.string(max: 10_000),
            "method": OAS.string(enum: TallyMethod.allCases.map(\.rawValue)),
            "options": ["type": "array", "maxItems": .int(ProposalDraft.maximumOptions), "uniqueItems": true,
                        "items": ["type": "string", "maxLength": 200, "pattern": "\\S"],
                        "description": "Ignored by consent; blank lines are dropped"],
            "opensAt": OAS.dateTimeInput, "closesAt": ["type": "string", "format": "date-time", "pattern": OAS.dateTimeInput["pattern"] ?? "",
                                                       "description": "In the future, after opensAt"],
            "secret": ["type": "boolean"],
            "quorum": OAS.string("A fraction such as 1/4, or 0"), "majority": OAS.string(enum: RequiredMajority.allCases.map(\.rawValue)),
            "weighted": ["type": "boolean"],
        ], required: ["title", "method", "closesAt"])
        if case .object(var body) = proposalDraft {
            var rules: [JSONValue] = TallyMethod.allCases.compactMap { method in
                ProposalDraft.minimumOptions(for: method).map { minimum in
                    ["if": ["properties": ["method": ["const": .string(method.rawValue)]], "required": ["method"]],
                     "then": ["required": ["options"], "properties": ["options": ["minItems": .int(minimum)]]]]
                }
            }
            rules.append(["if": ["properties": ["method": ["const": .string(TallyMethod.meetingTime.rawValue)]], "required": ["method"]],
                          "then": ["properties": ["secret": ["const": false]]]])
            body["allOf"] = .array(rules)
            proposalDraft = .object(body)
        }
        // A change names only what changes.
        var proposalEdit = proposalDraft
        if case .object(var body) = proposalEdit {
            body["required"] = []
            body["allOf"] = nil
            proposalEdit = .object(body)
        }
        // A proxy names its holder.
        var attendanceInput = OAS.object(["member": OAS.nullable(OAS.uuid), "status": OAS.string(enum: AttendanceStatus.allCases.map(\.rawValue)),
                                          "proxyHolder": OAS.nullable(OAS.uuid)], required: ["status"])
        if case .object(var body) = attendanceInput {
            body["allOf"] = [["if": ["properties": ["status": ["const": .string(AttendanceStatus.represented.rawValue)]], "required": ["status"]],
                              "then": ["required": ["proxyHolder"], "properties": ["proxyHolder": OAS.uuid]]]]
            attendanceInput = .object(body)
        }
        return OpenAPIFragment(
            paths: [
                "/api/v1/cooperatives/{slug}/assemblies": [
                    "get": OAS.operation("listAssemblies", "General assemblies of a cooperative (members)", tag: "Governance", secured: true,
                        parameters: [OAS.slug], responses: OAS.ok("Assemblies", OAS.object(["data": OAS.array(OAS.ref("Assembly"))], required: ["data"])),
                        errorCodes: [401, 403, 404]),
                    "post": OAS.operation("conveneAssembly", "Convene a general assembly (board)", tag: "Governance", secured: true,
                        parameters: [OAS.slug],
                        body: OAS.object(["title": OAS.string(min: 3, max: 200), "kind": OAS.string(enum: AssemblyKind.allCases.map(\.rawValue)),
                                          "startsAt": OAS.dateTimeInput, "place": OAS.string(min: 1, max: 300),
                                          "proxiesPerHolder": ["type": "integer", "minimum": 1, "maximum": 10], "agenda": OAS.array(OAS.uuid)],
                                         required: ["title", "startsAt", "place"]),
                        responses: OAS.ok("Convened", OAS.ref("Assembly"), status: 201), errorCodes: [401, 403, 404]),
                ],
                "/api/v1/cooperatives/{slug}/assemblies/{id}": ["get": OAS.operation("getAssembly", "One assembly with attendance and quorum", tag: "Governance", secured: true,
                    parameters: [OAS.slug, assemblyID], responses: OAS.ok("The assembly", OAS.ref("Assembly")), errorCodes: [401, 403, 404])],
                "/api/v1/cooperatives/{slug}/assemblies/{id}/attendance": ["put": OAS.operation("recordAttendance",
                    "Record attendance or a proxy (one's own; the board for anyone)", tag: "Governance", secured: true,
                    parameters: [OAS.slug, assemblyID],
                    body: attendanceInput,
                    responses: OAS.ok("Recorded", OAS.ref("Assembly")), errorCodes: [401, 403, 404, 409])],
                "/api/v1/cooperatives/{slug}/proposals": [
                    "get": OAS.operation("listProposals", "Votes of a cooperative (members)", tag: "Governance", secured: true,
                        parameters: [OAS.slug], responses: OAS.ok("Votes", OAS.object(["data": OAS.array(OAS.ref("Proposal"))], required: ["data"])),
                        errorCodes: [401, 403, 404]),
                    "post": OAS.operation("createProposal", "Put a question to the vote (members)", tag: "Governance", secured: true,
                        parameters: [OAS.slug],
                        body: proposalDraft,
                        responses: OAS.ok("Created", OAS.ref("Proposal"), status: 201), errorCodes: [401, 403, 404]),
                ],
                "/api/v1/cooperatives/{slug}/proposals/{id}": [
                    "get": OAS.operation("getProposal", "One vote, with its result once closed", tag: "Governance", secured: true,
                        parameters: [OAS.slug, proposalID], responses: OAS.ok("The vote", OAS.ref("Proposal")), errorCodes: [401, 403, 404]),
                    "patch": OAS.operation("editProposal", "Change a vote before it opens (board); fields left out stay as they are", tag: "Governance", secured: true,
                        parameters: [OAS.slug, proposalID], body: proposalEdit,
                        responses: OAS.ok("The changed vote", OAS.ref("Proposal")), errorCodes: [401, 403, 404, 409]),
                ],
                "/api/v1/cooperatives/{slug}/proposals/{id}/cancel": ["post": OAS.operation("cancelProposal",
                    "Cancel a vote before it closes, with a reason shown to members (board); nothing is counted", tag: "Governance", secured: true,
                    parameters: [OAS.slug, proposalID],
                    body: OAS.object(["reason": OAS.string(min: 3, max: 1_000)], required: ["reason"]),
                    responses: OAS.ok("The cancelled vote", OAS.ref("Proposal")), errorCodes: [401, 403, 404, 409])],
                "/api/v1/cooperatives/{slug}/proposals/{id}/ballot": ["put": OAS.operation("castBallot", "Cast or change my ballot (a secret ballot cannot be changed)", tag: "Governance", secured: true,
                    parameters: [OAS.slug, proposalID],
                    body: OAS.object(["ballot": ["description": "As in the ballot file: grades per option (majority judgment), {\"ranking\": [[...]]} (Schulze), approved names (approval), a name or null (single choice), {\"position\", \"reason\"} (consent), yes/maybe/no per slot (meeting time)"]], required: ["ballot"]),
                    responses: ["204": ["description": "Recorded"]], errorCodes: [401, 403, 404, 409])],
                "/api/v1/cooperatives/{slug}/decisions": ["get": OAS.operation("decisionLog", "Every closed vote with its result (members)", tag: "Governance", secured: true,
                    parameters: [OAS.slug], responses: OAS.ok("Decisions", OAS.object(["data": OAS.array(OAS.ref("Decision"))], required: ["data"])),
                    errorCodes: [401, 403, 404])],
            ],
            schemas: ["Proposal": proposal, "Decision": entry, "Assembly": assembly])
    }
}
