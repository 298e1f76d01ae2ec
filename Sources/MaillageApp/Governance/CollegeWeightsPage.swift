import Fluent
import MaillageCore
import Plot
import Vapor

/// The board sets each voting college's weight; SCIC rules are checked by `VotingColleges`.
enum CollegeWeightsPage {
    @Sendable static func show(_ req: Request) async throws -> Response {
        let (coop, _, _) = try await Cooperatives.memberContext(req, minimum: .board)
        var values: [String: String] = [:]
        for college in coop.colleges { values["weight_\(college.id?.uuidString ?? "")"] = college.weight.map(String.init) ?? "" }
        return view(req, coop: coop, state: FormState(values: values))
    }

    @Sendable static func save(_ req: Request) async throws -> Response {
        let (coop, _, _) = try await Cooperatives.memberContext(req, minimum: .board)
        let colleges = coop.colleges.sorted { $0.position < $1.position }
        var values: [String: String] = [:]
        var weights: [Int] = []
        for college in colleges {
            let key = "weight_\(college.id?.uuidString ?? "")"
            let raw = (try? req.content.get(String.self, at: key)) ?? ""
            values[key] = raw
            weights.append(Int(raw.trimmingCharacters(in: .whitespaces)) ?? -1)
        }
        do {
            _ = try VotingColleges(zip(colleges, weights).map { VotingCollege(name: $0.0.name, weight: $0.1) })
            let chosen = weights
            try await req.db.writeTransaction { db in
                for (college, weight) in zip(colleges, chosen) {
                    college.weight = weight
                    try await college.save(on: db)
                }
            }
            return req.done(Localized(fr: "Poids enregistrés ; ils valent pour les votes pondérés qui ouvriront désormais.",
                                      en: "Weights saved; they apply to weighted votes that open from now on."), goTo: "/c/\(coop.slug)/colleges")
        } catch {
            return view(req, coop: coop, state: try FormState(refused: error, values: values), status: .unprocessableEntity)
        }
    }

    static func view(_ req: Request, coop: Cooperative, state: FormState, status: HTTPResponseStatus = .ok) -> Response {
        let t = req.t
        let colleges = coop.colleges.sorted { $0.position < $1.position }
        return Layout.page(req, title: t("Poids des collèges", "College weights"), status: status,
            .p(.a(.href("/c/\(coop.slug)/votes"), .text("← " + t("Votes", "Votes")))),
            .h1(.text(t("Poids des collèges de vote", "Weights of the voting colleges"))),
            .p(.text(t("Dans une SCIC, chaque collège pèse entre 10 % et 50 % des voix et les poids font 100 % (loi 47-1775, art. 19 octies). Les votes « pondérés par collège » les utilisent.",
                       "In a SCIC each college weighs between 10% and 50% of the votes and the weights add up to 100% (Loi 47-1775, art. 19 octies). Votes “weighted by college” use them."))),
            .if(colleges.isEmpty, .p(.text(t("Cette coopérative n’a pas de collège.", "This cooperative has no college."))),
                else: Form.post(req, action: "/c/\(coop.slug)/colleges",
                    Form.summary(state, t),
                    .forEach(colleges) { college in
                        Form.field("weight_\(college.id?.uuidString ?? "")", label: college.name + " (%)", state: state, t, type: .number,
                                   extra: [.attribute(named: "min", value: "10"), .attribute(named: "max", value: "50")])
                    },
                    Form.submit(t("Enregistrer", "Save")))))
    }
}
