import Fluent
import Foundation
@testable import MaillageApp
import SQLKit
import Testing
import VaporTesting

@Suite("Platform: health, metrics, jobs, API description", .serialized)
struct PlatformTests {
    @Test func healthAndMetricsAnswer() async throws {
        try await withMaillage { app in
            let health = try await app.testing().sendRequest(.GET, "/healthz")
            #expect(health.status == .ok)
            _ = try await app.testing().sendRequest(.GET, "/login")
            #expect(try await app.testing().sendRequest(.GET, "/metrics").status == .notFound, "not for the public")
            app.maillage.metricsToken = "jeton-de-supervision"
            #expect(try await app.testing().sendRequest(.GET, "/metrics", headers: ["Authorization": "Bearer autre-chose"]).status == .notFound)
            let metrics = try await app.testing().sendRequest(.GET, "/metrics", headers: ["Authorization": "Bearer jeton-de-supervision"])
            #expect(metrics.status == .ok)
            #expect(metrics.body.string.contains(#"maillage_http_requests_total{method="GET",route="/login",status="200"} 1"#))
            #expect(metrics.body.string.contains(#"route="/metrics",status="404"} 2"#), "refused reads are counted too")
            #expect(metrics.body.string.contains("maillage_http_request_duration_seconds_bucket"))
        }
    }

    @Test func aJobRunsOncePerSlotWhateverTheNumberOfSchedulers() async throws {
        try await withMaillage { app in
            let runs = Counter()
            let job = ScheduledJob("count", every: 60) { _ in await runs.increment() }
            let replicas = (0..<4).map { _ in JobScheduler(jobs: [job]) }
            let now = Date(timeIntervalSince1970: 1_800_000_030)
            await withTaskGroup(of: [String].self) { group in
                for replica in replicas { group.addTask { await replica.runDue(app, now: now) } }
                for await _ in group {}
            }
            #expect(await runs.value == 1)
            _ = await replicas[0].runDue(app, now: now.addingTimeInterval(10))
            #expect(await runs.value == 1, "same slot: not again")
            _ = await replicas[1].runDue(app, now: now.addingTimeInterval(60))
            #expect(await runs.value == 2, "next slot: once more")
        }
    }

    @Test func expiredSessionsArePurgedByTheFirstJob() async throws {
        try await withMaillage { app in
            let visitor = Visitor(app)
            try await visitor.get("/login")
            try await app.db.sql.update(DatabaseSessions.table).set("expires_at", to: SQLBind(Date().addingTimeInterval(-1))).run()
            let scheduler = try #require(app.scheduler)
            let ran = await scheduler.runDue(app, now: Date())
            #expect(ran.contains("purge-expired-sessions"))
            struct Row: Decodable { var n: Int }
            let left = try await app.db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(DatabaseSessions.table).first(decoding: Row.self)
            #expect(left?.n == 0)
        }
    }

    @Test func theOpenAPIDocumentDescribesEveryAPIRouteAndNothingElse() async throws {
        try await withMaillage { app in
            let response = try await app.testing().sendRequest(.GET, "/api/openapi.json")
            #expect(response.json["openapi"] as? String == "3.1.0")
            let paths = response.json["paths"] as? [String: [String: Any]] ?? [:]
            var documented = Set<String>()
            for (path, methods) in paths { for method in methods.keys { documented.insert("\(method.uppercased()) \(path)") } }
            var served = Set<String>()
            for route in app.routes.all where route.path.first?.description == "api" && route.path.dropFirst().first?.description == "v1" {
                let path = "/" + route.path.map { component -> String in
                    if case .parameter(let name) = component { return "{\(name)}" }
                    return component.description
                }.joined(separator: "/")
                served.insert("\(route.method.rawValue) \(path)")
            }
            #expect(served == documented, "served but undocumented: \(served.subtracting(documented)); documented but not served: \(documented.subtracting(served))")
        }
    }
}

actor Counter {
    private(set) var value = 0
    func increment() { value += 1 }
}
