import Fluent
import MaillageCore
import Plot
import Vapor

/// Every closed vote with its result, for members; as a page, CSV and JSON; plus each ballot file.
enum DecisionLog {
    struct Entry: Content {
        var id: UUID
        var title: String
        var method: String
        var secret: Bool
        var closedAt: Date?
        var electorate: Int
        var participants: Int64
        var quorum: String
        var quorumReached: Bool
        var majority: String
        var majorityReached: Bool?
        var adopted: Bool
        var winners: [String]
        var statement: String?
    }

    static func entries(_ coop: Cooperative, on db: any Database) async throws -> [Entry] {
        let closed = try await Proposal.query(on: db).filter(\.$cooperative.$id == coop.requireID()).filter(\.$closedAt != nil)
            .sort(\.$closedAt, .descending).all()
        var out: [Entry] = []
        for proposal in closed {
            let outcome = proposal.outcome
            let electorate = try await ProposalVoter.query(on: db).filter(\.$proposal.$id == proposal.requireID()).count()
            out.append(Entry(id: try proposal.requireID(), title: proposal.title, method: proposal.method, secret: proposal.secret,
                             closedAt: proposal.closedAt, electorate: electorate, participants: outcome?.participants ?? 0,
                             quorum: proposal.quorum, quorumReached: outcome?.quorumReached ?? false, majority: proposal.majority,
                             majorityReached: outcome?.majorityReached, adopted: outcome?.adopted ?? false,
                             winners: outcome?.winners ?? [], statement: proposal.outcomeStatement))
        }
        return out
    }

    @Sendable static func page(_ req: Request) async throws -> Response {
        let (coop, _, _) = try await Cooperatives.memberContext(req)
        let t = req.t
        let entries = try await entries(coop, on: req.db)
        return Layout.page(req, title: t("Registre des décisions — \(coop.name)", "Decision log — \(coop.name)"),
            .p(.a(.href("/c/\(coop.slug)/votes"), .text("← " + t("Votes", "Votes")))),
            .h1(.text(t("Registre des décisions", "Decision log"))),
            .p(.text(t("Télécharger : ", "Download: ")), .a(.href("/c/\(coop.slug)/decisions.csv"), .text("CSV")), .text(" · "),
               .a(.href("/c/\(coop.slug)/decisions.json"), .text("JSON"))),
            StackedTable.node(.table(
                .thead(.tr(.th(.text(t("Clos le", "Closed"))), .th(.text(t("Question", "Question"))), .th(.text(t("Participation", "Turnout"))),
                           .th(.text(t("Résultat", "Result"))), .th(.text(t("Adoptée", "Adopted"))))),
                .tbody(.forEach(entries) { entry in
                    .tr(.td(.text(DateText.short(entry.closedAt, req.language))),
                        .td(.a(.href("/c/\(coop.slug)/votes/\(entry.id)"), .text(entry.title))),
                        .td(.text("\(entry.participants) / \(entry.electorate)")),
                        .td(.text(entry.winners.joined(separator: ", "))),
                        .td(.text(entry.adopted ? t("oui", "yes") : t("non", "no"))))
                }))))
    }

    @Sendable static func json(_ req: Request) async throws -> [Entry] {
        let (coop, _, _) = try await Cooperatives.memberContext(req)
        return try await entries(coop, on: req.db)
    }

    @Sendable static func csv(_ req: Request) async throws -> Response {
        let (coop, _, _) = try await Cooperatives.memberContext(req)
        var lines = ["id,closed_at,title,method,secret,electorate,participants,quorum,quorum_reached,majority,majority_reached,adopted,winners,statement"]
        let iso = ISO8601DateFormatter()
        for e in try await entries(coop, on: req.db) {
            let fields = [e.id.uuidString, e.closedAt.map(iso.string) ?? "", e.title, e.method, String(e.secret), String(e.electorate),
                          String(e.participants), e.quorum, String(e.quorumReached), e.majority, e.majorityReached.map(String.init) ?? "",
                          String(e.adopted), e.winners.joined(separator: " | "), e.statement ?? ""]
            lines.append(fields.map { CSV.escape(.text($0)) }.joined(separator: ","))
        }
        return CSVResponse.make(lines.joined(separator: "\r\n") + "\r\n", filename: "decisions-\(coop.slug).csv")
    }

    @Sendable static func ballots(_ req: Request) async throws -> Response {
        let (coop, _, _) = try await Cooperatives.memberContext(req)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
        let proposal = try await Votes.find(id, in: coop, on: req.db)
        guard proposal.closedAt != nil else {
            throw DomainError(.conflict, code: "vote_not_closed", fr: "Le fichier des bulletins est publié à la clôture.",
                              en: "The ballot file is published when the vote closes.")
        }
        let response = Response(status: .ok, body: .init(data: try await BallotFile.build(for: proposal, on: req.db)))
        response.headers.contentType = .json
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"ballots-\(id).json\"")
        return response
    }
}
