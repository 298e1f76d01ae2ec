import Foundation
import Fluent
@testable import MaillageApp
import Testing
import VaporTesting

/// Bad input gets a clear 4xx with the one error shape, never a 500.
@Suite("Bad input", .serialized)
struct ErrorTests {
    @Test func malformedJSONIsA400() async throws {
        try await withMaillage { app in
            let response = try await APIClient(app: app).send(.POST, "/api/v1/accounts", json: #"{"email": "a@b.fr", "password": "#)
            #expect(response.status == .badRequest)
            #expect(response.errorCode == "malformed_body")
            #expect((response.json["error"] as? [String: Any])?["message"] as? String != nil)
        }
    }

    @Test func aMissingFieldIsNamed() async throws {
        try await withMaillage { app in
            let response = try await APIClient(app: app).send(.POST, "/api/v1/accounts", json: #"{"email": "a@b.fr"}"#)
            #expect(response.status == .unprocessableEntity)
            #expect(response.errorCode == "missing_field")
            #expect(response.errorField == "password")
        }
    }

    @Test func aWrongTypeIsNamed() async throws {
        try await withMaillage { app in
            let response = try await APIClient(app: app).send(.POST, "/api/v1/accounts", json: #"{"email": 12, "password": "un mot de passe solide"}"#)
            #expect(response.status == .unprocessableEntity)
            #expect(response.errorField == "email")
        }
    }

    @Test func anOversizedBodyIsA413() async throws {
        try await withMaillage { app in
            // Through a real socket: the limit applies while the body streams in.
            let huge = #"{"email": "a@b.fr", "password": ""# + String(repeating: "x", count: 2_000_000) + #""}"#
            let response = try await app.testing(method: .running(hostname: "127.0.0.1", port: Int.random(in: 20_000...40_000)))
                .sendRequest(.POST, "/api/v1/accounts", headers: ["Content-Type": "application/json"], body: ByteBuffer(string: huge))
            #expect(response.status == .payloadTooLarge)
            #expect(response.errorCode == "payload_too_large")
        }
    }

    /// A second sign-up with the same address answers as the first (so sign-up does not tell who
    /// has an account), in the request's language; the mail tells the owner.
    @Test func aRepeatedSignUpAnswersTheSameInTheRequestsLanguage() async throws {
        try await withMaillage { app in
            let api = APIClient(app: app)
            let body = #"{"email": "lea@example.org", "password": "un mot de passe solide"}"#
            #expect(try await api.send(.POST, "/api/v1/accounts", json: body).status == .accepted)
            let again = try await api.send(.POST, "/api/v1/accounts", json: body, headers: ["Accept-Language": "en"])
            #expect(again.status == .accepted)
            #expect((again.json["message"] as? String)?.hasPrefix("A mail is on its way") == true)
            #expect(try await User.query(on: app.db).count() == 1)
        }
    }

    @Test func unknownThingsAre404sAndAnonymousCallsAre401s() async throws {
        try await withMaillage { app in
            let api = APIClient(app: app)
            let coop = try await api.send(.GET, "/api/v1/cooperatives/nowhere")
            #expect(coop.status == .notFound)
            #expect(coop.errorCode == "not_found")
            #expect(try await api.send(.GET, "/api/v1/no-such-route").status == .notFound)
            let anonymous = try await api.send(.GET, "/api/v1/me")
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.errorCode == "unauthorized")
            let badToken = try await APIClient(app: app, token: "mlg_forged").send(.GET, "/api/v1/me")
            #expect(badToken.status == .unauthorized)
            let (_, signedIn) = try await personWithToken(app, email: "lea@example.org", name: "Léa")
            let notAnID = try await signedIn.send(.POST, "/api/v1/cooperatives/nowhere/memberships/not-a-uuid/approve")
            #expect(notAnID.status == .notFound)
            let page = try await app.testing().sendRequest(.GET, "/c/nowhere")
            #expect(page.status == .notFound)
            #expect(page.body.string.contains("Page introuvable"))
        }
    }

    @Test func aFormPostedAsJSONOrGarbageIsRefusedCleanly() async throws {
        try await withMaillage { app in
            let visitor = Visitor(app)
            try await visitor.get("/signup")
            var headers: HTTPHeaders = ["Content-Type": "application/x-www-form-urlencoded"]
            headers.replaceOrAdd(name: .cookie, value: "maillage_session=\(visitor.cookie ?? "")")
            let garbage = try await app.testing().sendRequest(.POST, "/signup", headers: headers, body: ByteBuffer(string: "%%%&&&==="))
            #expect(garbage.status.code >= 400 && garbage.status.code < 500)
            let xml = try await APIClient(app: app).send(.POST, "/api/v1/accounts", headers: ["Content-Type": "application/xml"])
            #expect(xml.status.code >= 400 && xml.status.code < 500)
        }
    }
}
