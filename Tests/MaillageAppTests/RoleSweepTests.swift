import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

/// Inside one cooperative: every board and staff action (members, roles, votes, assemblies, fees,
/// the treasury, transfers, order cycles and their reports, producers' catalogues, loans, the
/// showcase…), in the browser and through the API, tried by a plain member: refused (403 or 404),
/// nothing changed; then by the board, who gets through — so the address tried is a real one.
/// Every route of the app is classified below, so a new one cannot escape the sweep.
@Suite("Role sweep: a plain member reaches no board or staff action", .serialized)
struct RoleSweepTests {
    static let own = "the member's own things"
    static let published = "public, or published to members"
    static let parties = "the parties themselves; staff have no say"
    static let partnerKey = "a partner operator's key (X-API-Key), never a member's role"

    /// Routes of a cooperative a plain member may use, and why: the board and staff routes are
    /// the attempts of the test, each named with the route it exercises.
    static let forMembers: [String: String] = [
        "GET /c/:slug": published, "GET /api/v1/cooperatives/:slug": published, "GET /api/v1/directory/:slug": published,
        "POST /c/:slug/join": "asking to join", "POST /api/v1/cooperatives/:slug/memberships": "asking to join",
        "POST /c/:slug/leave": "leaving oneself", "GET /c/:slug/leave": "leaving oneself",
        // Governance: members read, propose (the board opens) and vote.
        "GET /c/:slug/votes": published, "GET /c/:slug/votes/:id": published, "GET /c/:slug/votes/:id/ballots.json": published,
        "GET /c/:slug/votes/new": "members propose a vote; the board opens it", "POST /c/:slug/votes": "members propose a vote; the board opens it",
        "POST /api/v1/cooperatives/:slug/proposals": "members propose a vote; the board opens it",
        "POST /c/:slug/votes/:id/ballot": "the member's own ballot", "PUT /api/v1/cooperatives/:slug/proposals/:id/ballot": "the member's own ballot",
        "GET /api/v1/cooperatives/:slug/proposals": published, "GET /api/v1/cooperatives/:slug/proposals/:id": published,
        "GET /c/:slug/assemblies": published, "GET /c/:slug/assemblies/:id": published, "GET /c/:slug/assemblies/:id/minutes": published,
        "GET /api/v1/cooperatives/:slug/assemblies": published, "GET /api/v1/cooperatives/:slug/assemblies/:id": published,
        "GET /c/:slug/decisions": published, "GET /c/:slug/decisions.csv": published, "GET /c/:slug/decisions.json": published,
        "GET /api/v1/cooperatives/:slug/decisions": published,
        "GET /c/:slug/privacy": published,
        // Money: one's own accounts and payments; the published figures.
        "GET /c/:slug/transparency": published, "GET /c/:slug/transparency.csv": published, "GET /api/v1/cooperatives/:slug/transparency": published,
        "GET /api/v1/cooperatives/:slug/fees": published, "GET /api/v1/cooperatives/:slug/fees/:activity/split": published,
        "GET /c/:slug/money": own, "POST /c/:slug/money/pay": "paying from one's own account",
        "GET /api/v1/cooperatives/:slug/accounts": "one's own accounts (staff see all: a filter, not a refusal)",
        "GET /c/:slug/barter": own, "POST /c/:slug/barter/invoices": "a business invoicing another", "POST /c/:slug/barter/offers": own,
        "GET /c/:slug/barter/offers/:id": "an offer published to the network's members, and its thread",
        "GET /api/v1/cooperatives/:slug/barter/invoices": "one's own invoices (staff see all: a filter, not a refusal)",
        "POST /api/v1/cooperatives/:slug/barter/invoices": "a business invoicing another",
        "POST /c/:slug/barter/invoices/:id/accept": parties, "POST /c/:slug/barter/invoices/:id/decline": parties,
        "POST /c/:slug/barter/invoices/:id/cancel": parties, "POST /api/v1/cooperatives/:slug/barter/invoices/:id/accept": parties,
        "POST /api/v1/cooperatives/:slug/barter/invoices/:id/decline": parties, "POST /api/v1/cooperatives/:slug/barter/invoices/:id/cancel": parties,
        // Food: the shopfront, one's basket and orders.
        "GET /c/:slug/food": published, "GET /c/:slug/food/cycles/:cycle": published, "GET /c/:slug/food/photos/:product": published,
        "GET /c/:slug/food/producers/:producer/catalog.jsonld": published, "GET /api/v1/cooperatives/:slug/food/cycles": published,
        "GET /api/v1/cooperatives/:slug/food/cycles/:cycle/products": published,
        "GET /api/v1/cooperatives/:slug/food/producers/:producer/catalog": published,
        "GET /c/:slug/food/cycles/:cycle/cart": own, "POST /c/:slug/food/cycles/:cycle/cart": own, "POST /c/:slug/food/cycles/:cycle/checkout": own,
        "POST /api/v1/cooperatives/:slug/food/cycles/:cycle/orders": own, "GET /c/:slug/food/orders": own,
        "GET /api/v1/cooperatives/:slug/food/orders": own,
        "POST /c/:slug/food/orders/:order/confirm": "the shopper confirms their own order; staff cannot",
        "POST /api/v1/cooperatives/:slug/food/orders/:order/confirm": "the shopper confirms their own order; staff cannot",
        // Lending: the catalogue, one's items, requests and loans.
        "GET /c/:slug/lending": published, "GET /c/:slug/lending/items/:id": published, "GET /c/:slug/lending/items/:id/availability.ics": published,
        "GET /c/:slug/lending/photos/:id": published, "GET /api/v1/cooperatives/:slug/lending/items": published,
        "GET /api/v1/cooperatives/:slug/lending/items/:id": published,
        "GET /c/:slug/lending/items/new": own, "POST /c/:slug/lending/items": own, "POST /api/v1/cooperatives/:slug/lending/items": own,
        "POST /c/:slug/lending/items/:id/request": "asking to borrow", "POST /api/v1/cooperatives/:slug/lending/items/:id/loans": "asking to borrow",
        "GET /c/:slug/lending/items/:id/edit": "the item's owner only; staff have no say",
        "POST /c/:slug/lending/items/:id/edit": "the item's owner only; staff have no say",
        "POST /c/:slug/lending/items/:id/withdraw": "the item's owner only; staff have no say",
        "POST /c/:slug/lending/items/:id/photo": "the item's owner only; staff have no say",
        "POST /c/:slug/lending/items/:id/blocks": "the item's owner only; staff have no say",
        "POST /c/:slug/lending/items/:id/blocks/:block/remove": "the item's owner only; staff have no say",
        "GET /c/:slug/lending/loans": own,
        // Threads: who reads and writes is the subject's rule (a loan's parties, members for a listing or a vote).
        "POST /c/:slug/threads/:kind/:subject/messages": "writing in a thread one may read", "GET /api/v1/cooperatives/:slug/threads/:kind/:subject": "reading a thread as its page allows",
        "POST /api/v1/cooperatives/:slug/threads/:kind/:subject/messages": "writing in a thread one may read", "POST /c/:slug/thread-messages/:message/report": "reporting a message one may read",
        "POST /c/:slug/thread-messages/:message/block": "one's own blocks", "POST /c/:slug/thread-messages/:message/unblock": "one's own blocks",
        "GET /api/v1/cooperatives/:slug/lending/loans": "one's own loans (staff see all with `all`: checked below)",
        "POST /c/:slug/lending/loans/:id/review": parties, "POST /api/v1/cooperatives/:slug/lending/loans/:id/review": parties,
        "POST /c/:slug/lending/loans/:id/deposit-claim": "the item's owner; staff settle the claim",
        // Carpool: rides are published; asks are their two people's; the money rule and relay points are the staff's (tried below).
        "GET /c/:slug/carpool": published, "GET /c/:slug/carpool/ads/:id": published, "GET /api/v1/cooperatives/:slug/carpool/ads/:id": published,
        "GET /api/v1/cooperatives/:slug/carpool/search": published, "GET /api/v1/cooperatives/:slug/carpool/relay-points": published,
        "GET /api/v1/cooperatives/:slug/carpool/settings": published,
        // The standard covoiturage operator API answers partner operators' keys, not members' roles: a
        // member's login or token gets 401 (CarpoolStandardTests); its status is public.
        "GET /c/:slug/carpool/standard/driver_journeys": partnerKey,
        "GET /c/:slug/carpool/standard/passenger_journeys": partnerKey,
        "GET /c/:slug/carpool/standard/driver_regular_trips": partnerKey,
        "GET /c/:slug/carpool/standard/passenger_regular_trips": partnerKey,
        "GET /c/:slug/carpool/standard/bookings/:bookingId": partnerKey,
        "PATCH /c/:slug/carpool/standard/bookings/:bookingId": partnerKey,
        "POST /c/:slug/carpool/standard/bookings": partnerKey,
        "POST /c/:slug/carpool/standard/booking_events": partnerKey,
        "POST /c/:slug/carpool/standard/messages": partnerKey,
        "GET /api/v1/cooperatives/:slug/carpool/standard/driver_journeys": partnerKey,
        "GET /api/v1/cooperatives/:slug/carpool/standard/passenger_journeys": partnerKey,
        "GET /api/v1/cooperatives/:slug/carpool/standard/driver_regular_trips": partnerKey,
        "GET /api/v1/cooperatives/:slug/carpool/standard/passenger_regular_trips": partnerKey,
        "GET /api/v1/cooperatives/:slug/carpool/standard/bookings/:bookingId": partnerKey,
        "PATCH /api/v1/cooperatives/:slug/carpool/standard/bookings/:bookingId": partnerKey,
        "POST /api/v1/cooperatives/:slug/carpool/standard/bookings": partnerKey,
        "POST /api/v1/cooperatives/:slug/carpool/standard/booking_events": partnerKey,
        "POST /api/v1/cooperatives/:slug/carpool/standard/messages": partnerKey,
        "GET /c/:slug/carpool/standard/status": published, "GET /api/v1/cooperatives/:slug/carpool/standard/status": published,
        "GET /c/:slug/carpool/rdex/journeys": "published rides for other platforms (RDEX+), without names",
        "GET /api/v1/cooperatives/:slug/carpool/rdex/journeys": "published rides for other platforms (RDEX+), without names",
        "GET /c/:slug/carpool/new": own, "POST /c/:slug/carpool/ads": own, "POST /api/v1/cooperatives/:slug/carpool/ads": own,
        "GET /c/:slug/carpool/mine": own, "GET /api/v1/cooperatives/:slug/carpool/asks": own,
        "GET /c/:slug/carpool/ads/:id/withdraw": "the ad's author only; staff have no say",
        "POST /c/:slug/carpool/ads/:id/withdraw": "the ad's author only; staff have no say",
        "DELETE /api/v1/cooperatives/:slug/carpool/ads/:id": "the ad's author only; staff have no say",
        "POST /c/:slug/carpool/ads/:id/partner-bookings/:booking/confirm": "the ride's driver only; staff have no say",
        "POST /c/:slug/carpool/ads/:id/partner-bookings/:booking/decline": "the ride's driver only; staff have no say",
        "POST /c/:slug/carpool/ads/:id/partner-bookings/:booking/completed": "the ride's driver only; staff have no say",
        "GET /c/:slug/carpool/ads/:id/partner-bookings/:booking/cancel": "the ride's driver only; staff have no say",
        "POST /c/:slug/carpool/ads/:id/partner-bookings/:booking/cancel": "the ride's driver only; staff have no say",
        "POST /c/:slug/carpool/ads/:id/asks": "asking a seat on a ride", "POST /api/v1/cooperatives/:slug/carpool/ads/:id/asks": "asking a seat on a ride",
        "GET /c/:slug/carpool/asks/:id": parties, "POST /c/:slug/carpool/asks/:id/:action": parties,
        "GET /api/v1/cooperatives/:slug/carpool/asks/:id": parties, "POST /api/v1/cooperatives/:slug/carpool/asks/:id/:action": parties,
        "POST /c/:slug/carpool/asks/:id/pay": "the passenger of the ride", "POST /api/v1/cooperatives/:slug/carpool/asks/:id/pay": "the passenger of the ride",
        "POST /c/:slug/carpool/asks/:id/review": parties,
        "GET /c/:slug/carpool/communities": published, "GET /c/:slug/carpool/communities/:id": published,
        "GET /api/v1/cooperatives/:slug/carpool/communities": published,
        "POST /c/:slug/carpool/communities/:id/join": "joining a community by its rule",
        "POST /api/v1/cooperatives/:slug/carpool/communities/:id/members": "joining a community by its rule",
        "GET /c/:slug/carpool/communities/:id/leave": "one's own place in a community",
        "POST /c/:slug/carpool/communities/:id/leave": "one's own place in a community",
        "GET /c/:slug/carpool/alerts": own, "POST /c/:slug/carpool/alerts": own,
        "POST /c/:slug/carpool/alerts/:id/pause": own, "POST /c/:slug/carpool/alerts/:id/resume": own,
        "GET /c/:slug/carpool/alerts/:id/delete": own, "POST /c/:slug/carpool/alerts/:id/delete": own,
        "GET /api/v1/cooperatives/:slug/carpool/alerts": own, "POST /api/v1/cooperatives/:slug/carpool/alerts": own,
        "DELETE /api/v1/cooperatives/:slug/carpool/alerts/:id": own,
        "GET /c/:slug/carpool/proofs": own, "POST /c/:slug/carpool/proofs": own,
        "GET /c/:slug/carpool/proofs/opt-out": own, "POST /c/:slug/carpool/proofs/opt-out": own,
        // Solidarity transport: beneficiaries are the coordinators' (tried below); a volunteer's availability, trips and statement are their own.
        "GET /c/:slug/carpool/solidarity": "the coordinators' desk; a member is sent on to their volunteer page",
        "GET /c/:slug/carpool/solidarity/volunteer": own, "POST /c/:slug/carpool/solidarity/volunteer": own,
        "GET /c/:slug/carpool/solidarity/statement/:year": own,
        "GET /c/:slug/carpool/solidarity/apply": "anyone signed in applies for themselves and reads their own application only",
        "POST /c/:slug/carpool/solidarity/apply": "anyone signed in applies for themselves and reads their own application only",
        "GET /c/:slug/carpool/solidarity/offers/:id": "the volunteer asked for the trip (anyone else: not found)",
        "POST /c/:slug/carpool/solidarity/offers/:id/accept": "the volunteer asked for the trip (anyone else: not found)",
        "POST /c/:slug/carpool/solidarity/offers/:id/decline": "the volunteer asked for the trip (anyone else: not found)",
        "POST /c/:slug/carpool/solidarity/offers/:id/withdraw": "the volunteer the trip is assigned to (anyone else: not found)",
        // Delivery: public prices; a store's own people order and follow (anyone else: not found); staff move deliveries on.
        "GET /c/:slug/delivery": published, "GET /c/:slug/delivery/tarifs": published,
        "GET /c/:slug/delivery/stores/:store": "the store's own people (anyone else: not found); staff see every store",
        "GET /c/:slug/delivery/stores/:store/invoices/:month": "the store's people and staff (anyone else: not found)",
        "GET /c/:slug/delivery/stores/:store/proofs": "the store's people and staff (anyone else: not found); only staff's copy has network addresses",
        "POST /c/:slug/delivery/stores/:store/deliveries": "the store's own people order for it (anyone else: not found)",
        "GET /c/:slug/delivery/deliveries/:id": "the store's own people (anyone else: not found); staff see every delivery",
        "POST /c/:slug/delivery/deliveries/:id/status": "the store's people cancel their own deliveries; only staff move them on (DeliveryTests)",
        "GET /c/:slug/delivery/stores/:store/connect": "the store's own people (anyone else: not found); staff for every store", "POST /c/:slug/delivery/stores/:store/tokens": "the store's own people (anyone else: not found); staff for every store",
        "POST /c/:slug/delivery/stores/:store/tokens/:token/revoke": "the store's own people (anyone else: not found); staff for every store", "POST /c/:slug/delivery/stores/:store/webhook": "the store's own people (anyone else: not found); staff for every store",
        "POST /c/:slug/delivery/stores/:store/webhook/remove": "the store's own people (anyone else: not found); staff for every store", "POST /c/:slug/delivery/stores/:store/import": "the store's own people (anyone else: not found); staff for every store",
        "GET /c/:slug/delivery/stores/:store/import/template.csv": "the store's own people (anyone else: not found); staff for every store",
        "POST /api/v1/cooperatives/:slug/delivery/preview": "a store's token (X-Delivery-Token) reaches that store's deliveries only, never a member's role (DeliveryAPITests)",
        "POST /api/v1/cooperatives/:slug/delivery/deliveries": "a store's token (X-Delivery-Token) reaches that store's deliveries only, never a member's role (DeliveryAPITests)",
        "GET /api/v1/cooperatives/:slug/delivery/deliveries": "a store's token (X-Delivery-Token) reaches that store's deliveries only, never a member's role (DeliveryAPITests)",
        "GET /api/v1/cooperatives/:slug/delivery/deliveries/:id": "a store's token (X-Delivery-Token) reaches that store's deliveries only, never a member's role (DeliveryAPITests)",
        "POST /api/v1/cooperatives/:slug/delivery/deliveries/:id/cancel": "a store's token (X-Delivery-Token) reaches that store's deliveries only, never a member's role (DeliveryAPITests)",
        // Exchange: offers and wants, services between members.
        "GET /c/:slug/exchange": published, "GET /c/:slug/exchange/:id": published, "GET /c/:slug/impact": published,
        "GET /api/v1/cooperatives/:slug/exchange/offers-wants": published, "GET /api/v1/cooperatives/:slug/impact": published,
        "GET /c/:slug/exchange/new": own, "POST /c/:slug/exchange": own, "POST /api/v1/cooperatives/:slug/exchange/offers-wants": own,
        "GET /c/:slug/exchange/:id/edit": "the listing's author only; staff have no say",
        "POST /c/:slug/exchange/:id/edit": "the listing's author only; staff have no say",
        "POST /c/:slug/exchange/:id/withdraw": "the listing's author only; staff have no say",
        "POST /c/:slug/exchange/services": "a service between two members, recorded by one of them",
        "POST /api/v1/cooperatives/:slug/exchange/services": "a service between two members, recorded by one of them",
    ]

    /// Routes that belong to no cooperative: no cooperative role opens or closes them.
    static let outsideCooperatives: [String: String] = [
        "GET /": "the public directory", "GET /api/v1/directory": "the public directory", "GET /api/v1/cooperatives": "the public directory",
        "GET /healthz": "the operators' probe", "GET /metrics": "the operators' metrics (MetricsAccess)",
        "GET /assets/maillage.css": "static files", "GET /assets/favicon.svg": "static files",
        "GET /api/openapi.json": "the API's description", "GET /api/docs": "the API's description", "GET /lang/:code": "the language switch",
        "GET /signup": "creating one's account", "POST /signup": "creating one's account", "POST /api/v1/accounts": "creating one's account",
        "GET /invitations/:token": "a mailed invitation: its token is the permission", "POST /invitations/:token": "answering a mailed invitation",
        "GET /login": "signing in", "POST /login": "signing in", "POST /logout": "signing out",
        "GET /account": "one's own account", "POST /account/tokens": "one's own account", "POST /account/tokens/:id/revoke": "one's own tokens",
        "GET /account/tokens/:id/revoke": "one's own tokens",
        "GET /account/blocks": "the people one blocked", "POST /account/blocks/:person/unblock": "one's own block of a person",
        "GET /login/code": "signing in (second factor)", "POST /login/code": "signing in (second factor)",
        "GET /account/two-factor": "one's own second factor", "POST /account/two-factor/start": "one's own second factor",
        "GET /account/two-factor/setup": "one's own second factor", "POST /account/two-factor/confirm": "one's own second factor",
        "GET /account/two-factor/recovery-codes": "one's own second factor",
        "GET /account/two-factor/recovery-codes/renew": "one's own second factor", "POST /account/two-factor/recovery-codes/renew": "one's own second factor",
        "GET /account/two-factor/disable": "one's own second factor", "POST /account/two-factor/disable": "one's own second factor",
        "GET /account/two-factor/devices/:id/revoke": "one's own trusted devices", "POST /account/two-factor/devices/:id/revoke": "one's own trusted devices",
        "GET /operators/cooperatives/delete": "operators only (CooperativeTests); nothing of a cooperative's members",
        "POST /operators/cooperatives/:id/delete": "operators only (CooperativeTests); only an archived cooperative with nothing attached", "GET /account/deleted": "says an account was deleted",
        "GET /api/v1/me": "one's own account", "GET /api/v1/me/tokens": "one's own tokens", "DELETE /api/v1/me/tokens/:id": "one's own tokens",
        "POST /account/notifications/read": "one's own notifications", "GET /api/v1/me/notifications": "one's own notifications",
        "GET /notifications/:id/open": "one's own notification (another's is not found: SecondPersonSweepTests)",
        "POST /api/v1/me/notifications/read": "one's own notifications", "GET /api/v1/me/memberships": "one's own memberships",
        "GET /account/notifications": "one's own notification choices", "POST /account/notifications": "one's own notification choices",
        "GET /api/v1/me/notification-preferences": "one's own notification choices", "PUT /api/v1/me/notification-preferences": "one's own notification choices",
        "GET /unsubscribe/:token": "a mailed unsubscribe link: signed for its person, it is the permission",
        "POST /unsubscribe/:token": "a mail program's one-click unsubscribe: signed for its person, it is the permission",
        "GET /cooperatives/new": "anyone may found a cooperative", "POST /cooperatives": "anyone may found a cooperative",
        "POST /api/v1/cooperatives": "anyone may found a cooperative",
        "GET /about/privacy": "the published register", "GET /open-data": "open data", "GET /open-data/cooperatives.csv": "open data",
        "GET /open-data/cooperatives.json": "open data", "GET /transparency": "the territory's published figures",
        "GET /api/v1/impact/neighbourhood": "the territory's published figures",
        "GET /account/export": "one's own data", "GET /account/delete": "one's own account", "POST /account/delete": "one's own account",
        "POST /account/email": "one's own account", "POST /account/password": "one's own account",
        "GET /signup/sent": "creating one's account", "POST /account/confirm": "confirming one's address",
        "GET /account/confirm/:token": "confirming one's address", "POST /account/confirm/:token": "confirming one's address",
        "GET /account/email/confirm/:token": "confirming one's new address", "POST /account/email/confirm/:token": "confirming one's new address",
        "GET /password/forgot": "a forgotten password", "POST /password/forgot": "a forgotten password",
        "GET /password/reset/:token": "a forgotten password", "POST /password/reset/:token": "a forgotten password",
        "GET /delivery/track/:token": "a recipient's tracking link: its unguessable token is the permission",
    ]

    /// A board or staff action: the plain member who tries it, and the person entitled to it
    /// (the board, or the instance's operator for the operators' desk).
    struct Guarded {
        var attempt: SweepAttempt
        var member: SweepPerson
        var entitled: SweepPerson
    }

    @Test func aPlainMemberReachesNoBoardOrStaffAction() async throws {
        try await withMaillage(demo: true) { app in
            let db = app.db
            let (food, lending, barter) = (DemoSlugs.food, DemoSlugs.lending, DemoSlugs.barter)
            func id(_ handle: String) async throws -> UUID {
                try #require(try await User.query(on: db).filter(\.$email == "\(handle)@\(DemoTerritory.domain)").first()?.requireID())
            }
            func row(_ query: SQLSelectBuilder) async throws -> String {
                try #require(try await query.first(decoding: IDRow.self)?.id.uuidString)
            }
            let today = LocalZone.paris.localDate(at: Date())
            func day(_ offset: Int) -> String { (today.adding(days: offset) ?? today).iso }
            let soon = ISO8601DateFormatter().string(from: Date().addingTimeInterval(9 * 86_400))
            let soonLocal = DateText.localInput.string(from: Date().addingTimeInterval(9 * 86_400))

            // Plain members: Chloé in the food and lending cooperatives, Quentin in the barter
            // network. The boards: Alice, Gaëlle, Farid.
            let chloe = try await SweepPerson.signIn("chloe", app), quentin = try await SweepPerson.signIn("quentin", app)
            let alice = try await SweepPerson.signIn("alice", app), gaelle = try await SweepPerson.signIn("gaelle", app)
            let farid = try await SweepPerson.signIn("farid", app)
            let emma = try await SweepPerson.signIn("emma", app), leo = try await SweepPerson.signIn("leo", app)
            let manon = try await SweepPerson.signIn("manon", app)

            // Food cooperative: its people, votes, assembly, money, cycle, producers.
            let foodID = try await Cooperatives.find(slug: food, on: db).requireID()
            func membership(_ handle: String) async throws -> String {
                try #require(try await Membership.query(on: db).filter(\.$cooperative.$id == foodID).filter(\.$user.$id == (try await id(handle)))
                    .first()?.requireID().uuidString)
            }
            let katia = try await membership("katia"), leoRequest = try await membership("leo")
            let faridMembership = try await membership("farid"), ines = try await membership("ines")
            let proposed = try await emma.api.send(.POST, "/api/v1/cooperatives/\(food)/proposals",
                                                   json: #"{"title": "Des bocaux consignés", "method": "consent", "closesAt": "\#(soon)"}"#)
            let proposal = try #require(proposed.json["id"] as? String, "Emma's proposal: \(proposed.body.string)")
            let decided = try #require(try await Proposal.query(on: db).filter(\.$cooperative.$id == foodID).filter(\.$closedAt != nil).first()?.requireID().uuidString)
            let assembly = try #require(try await Assembly.query(on: db).filter(\.$cooperative.$id == foodID).first()?.requireID().uuidString)
            let colleges = try await College.query(on: db).filter(\.$cooperative.$id == foodID).all()
            let invitation = try await row(db.sql.select().column("id").from(Invitation.schema).where("cooperative_id", .equal, SQLBind(foodID)))

            #expect(try await alice.visitor.post("/c/\(food)/money/top-up", [("member", chloe.id.uuidString), ("amount", "20"), ("memo", "")]).status == .seeOther)
            let chloeWallet = try await AccountBook.open(.wallet, cooperative: foodID, user: chloe.id, on: db).id.uuidString
            let operating = try await AccountBook.open(.operating, cooperative: foodID, on: db).id.uuidString
            let clearing = try await AccountBook.open(.clearing, cooperative: foodID, on: db).id.uuidString
            let cost = try await row(db.sql.select().column("id").from("ledger_transfers").where("cooperative_id", .equal, SQLBind(foodID))
                .where("category", .equal, SQLBind("cost")))
            let held = try await alice.api.send(.POST, "/api/v1/cooperatives/\(food)/transfers",
                                                json: #"{"debit": "\#(operating)", "credit": "\#(clearing)", "amount": 500, "memo": "Acompte", "pending": true}"#)
            let pending = try #require(held.json["id"] as? String, "the board's held payment: \(held.body.string)")

            let cycle = try #require(try await FoodCycles.open(in: foodID, on: db).first).id.uuidString
            let variant = try #require(try await FoodCycles.offers(of: UUID(uuidString: cycle)!, on: db).first).variantID.uuidString
            let hugoID = try await id("hugo")
            let hugo = try #require(try await FoodCatalogStore.producers(of: foodID, on: db).first { $0.userID == hugoID }).id.uuidString
            let product = try await row(db.sql.select().column("id").from("food_products").where("producer_id", .equal, SQLBind(UUID(uuidString: hugo))))
            let order = try await row(db.sql.select().column("id").from("food_orders").where("cycle_id", .equal, SQLBind(UUID(uuidString: cycle)))
                .where("shopper_id", .equal, SQLBind(emma.id)).where("status", .equal, SQLBind("confirmed")))

            // Lending cooperative: loans at each step, and a deposit claim waiting for the staff.
            let lendingID = try await Cooperatives.find(slug: lending, on: db).requireID()
            func item(_ title: String) async throws -> String {
                try await row(db.sql.select().column("id").from("lending_items").where("cooperative_id", .equal, SQLBind(lendingID)).where("title", .equal, SQLBind(title)))
            }
            func loan(of title: String) async throws -> String {
                try await row(db.sql.select().column("id").from("loans").where("item_id", .equal, SQLBind(UUID(uuidString: try await item(title)))))
            }
            let requested = try await loan(of: "Scie sauteuse"), accepted = try await loan(of: "Vidéoprojecteur")
            let handedOver = try await loan(of: "Nettoyeur haute pression")
            let lendingAPI = "/api/v1/cooperatives/\(lending)/lending"
            #expect(try await gaelle.visitor.post("/c/\(lending)/money/top-up", [("member", manon.id.uuidString), ("amount", "100"), ("memo", "")]).status == .seeOther)
            let asked = try await manon.api.send(.POST, "\(lendingAPI)/items/\(try await item("Paddle gonflable"))/loans",
                                                 json: #"{"firstDay": "\#(day(0))", "lastDay": "\#(day(1))"}"#)
            let out = try #require(asked.json["id"] as? String, "Manon's request: \(asked.body.string)")
            #expect(try await leo.api.send(.POST, "\(lendingAPI)/loans/\(out)/accept").status == .ok)
            #expect(try await leo.api.send(.POST, "\(lendingAPI)/loans/\(out)/handover").status == .ok)
            #expect(try await manon.api.send(.POST, "\(lendingAPI)/loans/\(out)/handover").status == .ok)
            #expect(try await leo.visitor.post("/c/\(lending)/lending/loans/\(out)/deposit-claim", [("reason", "damaged"), ("note", "")]).status == .seeOther)
            let claim = try await row(db.sql.select().column("id").from("loan_deposit_claims").where("loan_id", .equal, SQLBind(UUID(uuidString: out))))
            // A message of the loan's thread, reported by the other side: the staff's moderation queue.
            #expect(try await manon.api.send(.POST, "\(lendingAPI)/loans/\(out)/messages", json: #"{"body": "Message à signaler"}"#).status == .created)
            let reported = try await row(db.sql.select().column("id").from(ThreadTables.messages).where("body", .equal, SQLBind("Message à signaler")))
            #expect(try await leo.visitor.post("/c/\(lending)/thread-messages/\(reported)/report", [("reason", "Hors sujet")]).status == .seeOther)
            let report = try await row(db.sql.select().column("id").from(ThreadTables.reports).where("message_id", .equal, SQLBind(UUID(uuidString: reported))))

            // Barter network: an invoice between two other businesses.
            let barterID = try await Cooperatives.find(slug: barter, on: db).requireID()
            let invoice = try await row(db.sql.select().column("id").from("barter_invoices").where("cooperative_id", .equal, SQLBind(barterID))
                .where("status", .equal, SQLBind("issued")))

            // The instance's outbox: the mail Emma asks for when she forgets her password.
            #expect(try await Visitor(app).post("/password/forgot", [("email", emma.user.email)]).status.code < 400)
            let mail = try await row(db.sql.select().column("id").from(OutboxTables.messages).where("destination", .equal, SQLBind(emma.user.email)))

            let f = ["slug": food], l = ["slug": lending]
            func with(_ base: [String: String], _ more: [String: String]) -> [String: String] { base.merging(more) { $1 } }
            func inFood(_ route: String, _ more: [String: String] = [:], query: String = "", form: [(String, String)] = [], json: String? = nil) -> Guarded {
                Guarded(attempt: SweepAttempt(route, with(f, more), query: query, form: form, json: json), member: chloe, entitled: alice)
            }
            func inLending(_ route: String, _ more: [String: String] = [:], form: [(String, String)] = [], json: String? = nil) -> Guarded {
                Guarded(attempt: SweepAttempt(route, with(l, more), form: form, json: json), member: chloe, entitled: gaelle)
            }
            // Carpool: Alice is a plain member of Roulons Ensemble Estuaire, Samir its board.
            let samir = try await SweepPerson.signIn("samir", app)
            let carpoolID = try await Cooperatives.find(slug: DemoSlugs.carpool, on: db).requireID()
            let relayPoint = try await row(db.sql.select().column("id").from("carpool_relay_points").where("cooperative_id", .equal, SQLBind(carpoolID)))
            func community(_ name: String) async throws -> String {
                try await row(db.sql.select().column("id").from("carpool_communities").where("name", .equal, SQLBind(name)))
            }
            let shipyard = try await community("Chantiers de l’estuaire"), school = try await community("Parents du lycée de Savenay")
            let yasmine = try await id("yasmine").uuidString
            let partner = try await StandardPartners.create(name: "Covoiturage voisin", in: carpoolID, by: samir.id, on: db).id.uuidString
            let queried = try await PartnerOperators.add(.init(name: "Covoiturage voisin", baseURL: "https://covoit.example.org/standard", key: "k"),
                                                         in: carpoolID, by: samir.id, on: db).uuidString
            func inCarpool(_ route: String, _ more: [String: String] = [:], form: [(String, String)] = [], json: String? = nil) -> Guarded {
                Guarded(attempt: SweepAttempt(route, with(["slug": DemoSlugs.carpool], more), form: form, json: json), member: alice, entitled: samir)
            }
            // Delivery: Chloé orders for a store of Coursiers Nantais but is no staff there; Bruno is its board.
            let bruno = try await SweepPerson.signIn("bruno", app)
            let deliveryStore = try await row(db.sql.select().column("id").from("delivery_stores").where("name", .equal, SQLBind("Épicerie Le Panier Nantais")))
            func inDelivery(_ route: String, _ more: [String: String] = [:], form: [(String, String)] = []) -> Guarded {
                Guarded(attempt: SweepAttempt(route, with(["slug": "coursiers-nantais"], more), form: form), member: chloe, entitled: bruno)
            }
            let beneficiary = try await row(db.sql.select().column("id").from(Solidarity.beneficiariesTable).where("cooperative_id", .equal, SQLBind(carpoolID)))
            let marketTrip = try await row(db.sql.select().column("id").from(Solidarity.requestsTable).where("status", .equal, SQLBind("handling")))
            let ursuleID = try await id("ursule").uuidString
            let weights = colleges.map { ("weight_\($0.id?.uuidString ?? "")", "\(100 / max(colleges.count, 1))") }
            let byHugo = "producer=\(hugo)"
            let fc = ["cycle": cycle]
            var guarded: [Guarded] = [
                // Members and roles.
                inFood("GET /c/:slug/edit"),
                inFood("POST /c/:slug/edit", form: [("name", "Les Paniers détournés"), ("commune", "Vertou"), ("postal_code", "44120"),
                                                   ("description", "Une description réécrite par quelqu’un qui n’est pas au conseil."),
                                                   ("website", ""), ("activities[]", "food")]),
                inFood("GET /c/:slug/manage"),
                inFood("GET /c/:slug/security"),
                inFood("POST /c/:slug/security", form: [("required", "yes")]),
                inFood("POST /c/:slug/members/:id/:decision", ["id": katia, "decision": "approve"]),
                inFood("POST /c/:slug/members/:id/:decision", ["id": leoRequest, "decision": "decline"]),
                inFood("POST /c/:slug/members/:id/role", ["id": faridMembership], form: [("role", "staff")]),
                inFood("GET /c/:slug/members/:id/leave", ["id": ines]),
                inFood("POST /c/:slug/members/:id/leave", ["id": ines], form: [("confirmed", "yes"), ("reason", "Lettre de démission")]),
                inFood("GET /api/v1/cooperatives/:slug/memberships"),
                inFood("POST /api/v1/cooperatives/:slug/memberships/:id/approve", ["id": katia]),
                inFood("POST /api/v1/cooperatives/:slug/memberships/:id/decline", ["id": leoRequest]),
                inFood("PUT /api/v1/cooperatives/:slug/memberships/:id/role", ["id": faridMembership], json: #"{"role": "member"}"#),
                inFood("POST /api/v1/cooperatives/:slug/memberships/:id/leave", ["id": ines]),
                // Invitations by email: the board's.
                inFood("GET /c/:slug/invitations"),
                inFood("POST /c/:slug/invitations", form: [("email", "detournee@example.org"), ("college", colleges.first?.id?.uuidString ?? ""),
                                                          ("shares", "1"), ("message", ""), ("language", "fr")]),
                inFood("GET /c/:slug/invitations/:id/withdraw", ["id": invitation]),
                inFood("POST /c/:slug/invitations/:id/withdraw", ["id": invitation], form: [("confirmed", "yes")]),
                inFood("GET /api/v1/cooperatives/:slug/invitations"),
                inFood("POST /api/v1/cooperatives/:slug/invitations",
                       json: #"{"email": "detournee-api@example.org", "college": "\#(colleges.first?.id?.uuidString ?? "")", "shares": 1}"#),
                inFood("DELETE /api/v1/cooperatives/:slug/invitations/:id", ["id": invitation]),
                // Votes, assemblies, colleges.
                inFood("POST /c/:slug/votes/:id/statement", ["id": decided], form: [("statement", "Décision réécrite.")]),
                inFood("GET /c/:slug/votes/:id/edit", ["id": proposal]),
                inFood("POST /c/:slug/votes/:id/edit", ["id": proposal], form: [("title", "Des bocaux consignés (conseil)")]),
                inFood("PATCH /api/v1/cooperatives/:slug/proposals/:id", ["id": proposal], json: #"{"title": "Des bocaux consignés (conseil)"}"#),
                inFood("POST /c/:slug/votes/:id/open", ["id": proposal], form: [("closes_at", "")]),
                inFood("GET /c/:slug/votes/:id/cancel", ["id": proposal]),
                inFood("POST /c/:slug/votes/:id/cancel", ["id": proposal], form: [("confirmed", "yes"), ("reason", "Reportée à l’AG.")]),
                inFood("POST /api/v1/cooperatives/:slug/proposals/:id/cancel", ["id": proposal], json: #"{"reason": "Reportée à l’AG."}"#),
                inFood("GET /c/:slug/assemblies/new"),
                inFood("POST /c/:slug/assemblies", form: [("title", "AG extraordinaire"), ("kind", "extraordinary"), ("starts_at", soonLocal),
                                                        ("place", "Salle des fêtes"), ("proxies_per_holder", "1")]),
                inFood("POST /api/v1/cooperatives/:slug/assemblies", json: #"{"title": "AG extraordinaire", "startsAt": "\#(soon)", "place": "Salle des fêtes"}"#),
                inFood("POST /c/:slug/assemblies/:id/attendance", ["id": assembly], form: [("member", emma.id.uuidString), ("status", "present"), ("holder", "")]),
                inFood("PUT /api/v1/cooperatives/:slug/assemblies/:id/attendance", ["id": assembly], json: #"{"member": "\#(emma.id)", "status": "present"}"#),
                inFood("GET /c/:slug/colleges"),
                inFood("POST /c/:slug/colleges", form: weights),
                // Money: crediting members, their limits, the cooperative's accounts, fees, the treasury.
                inFood("POST /c/:slug/money/top-up", form: [("member", chloe.id.uuidString), ("amount", "500"), ("memo", "")]),
                inFood("POST /c/:slug/money/limits", form: [("account", chloeWallet), ("floor", "-500")]),
                inFood("GET /c/:slug/money/:account", ["account": operating]),
                inFood("GET /c/:slug/money/:account/statement.csv", ["account": operating]),
                inFood("GET /c/:slug/money/:account/statement.json", ["account": operating]),
                inFood("GET /api/v1/cooperatives/:slug/accounts/:account/statement", ["account": operating]),
                inFood("POST /api/v1/cooperatives/:slug/transfers", json: #"{"debit": "\#(operating)", "credit": "\#(chloeWallet)", "amount": 10000}"#),
                inFood("GET /api/v1/cooperatives/:slug/transfers/:id", ["id": cost]),
                inFood("POST /api/v1/cooperatives/:slug/transfers/:id/post", ["id": pending]),
                inFood("POST /api/v1/cooperatives/:slug/transfers/:id/void", ["id": pending]),
                inFood("POST /api/v1/cooperatives/:slug/transfers/:id/reverse", ["id": cost], json: #"{"memo": "annulation"}"#),
                inFood("PUT /api/v1/cooperatives/:slug/fees/:activity", ["activity": "food"], json: #"{"basisPoints": 0}"#),
                inFood("GET /c/:slug/treasury"),
                inFood("POST /c/:slug/treasury/fees", form: [("activity", "food"), ("percent", "0"), ("fixed", "")]),
                inFood("POST /c/:slug/treasury/credit", form: [("default_line", "1000"), ("yearly_fee", "0"), ("time_floor", "")]),
                inFood("POST /c/:slug/treasury/costs", form: [("kind", "services"), ("label", "Logiciels"), ("amount", "12"), ("date", day(-1))]),
                inFood("POST /c/:slug/treasury/allocation", form: [("year", "\(today.year - 1)"), ("legal_reserve", "15"), ("statutory_reserve", "50"),
                                                                 ("patronage_refund", "35"), ("interest_rate", "0"), ("subsidies", ""), ("closes_in_days", "15")]),
                // Orders: anyone's, for the coordinators.
                inFood("GET /c/:slug/food/orders/:order", ["order": order]),
                inFood("GET /api/v1/cooperatives/:slug/food/orders/:order", ["order": order]),
                inFood("POST /c/:slug/food/orders/:order/collect", ["order": order]),
                inFood("GET /c/:slug/food/orders/:order/cancel", ["order": order]),
                inFood("POST /c/:slug/food/orders/:order/cancel", ["order": order], form: [("confirmed", "yes")]),
                inFood("POST /api/v1/cooperatives/:slug/food/orders/:order/cancel", ["order": order]),
                // Producers' catalogues: a producer's own, or any for the coordinators.
                inFood("GET /c/:slug/food/products", query: byHugo),
                inFood("GET /c/:slug/food/products/new", query: byHugo),
                inFood("POST /c/:slug/food/products", query: byHugo, form: [("name", "Confiture détournée"), ("category", "Fruits"), ("description", ""),
                                                                          ("vatRate", "5,5"), ("unit", "pièce"), ("variants[0].label", "le pot"),
                                                                          ("variants[0].quantity", "1"), ("variants[0].price", "4,00"), ("variants[0].stock", "")]),
                inFood("POST /c/:slug/food/products/import", query: byHugo),
                inFood("POST /c/:slug/food/products/catalog-source", query: byHugo, form: [("catalog_url", "https://catalogue.example/detourne")]),
                inFood("POST /c/:slug/food/products/catalog-source/sync", query: byHugo),
                inFood("GET /c/:slug/food/products/:product", ["product": product]),
                inFood("POST /c/:slug/food/products/:product", ["product": product], form: [("name", "Produit renommé"), ("category", "Fromages")]),
                inFood("POST /c/:slug/food/products/:product/photo", ["product": product]),
                inFood("POST /c/:slug/food/products/:product/archive", ["product": product]),
                inFood("POST /api/v1/cooperatives/:slug/food/producers/:producer/catalog", ["producer": hugo], json: "{}"),
                inFood("POST /api/v1/cooperatives/:slug/food/producers/:producer/products/import", ["producer": hugo], json: "{}"),
                // Orders by DFC: a producer's (their own offers, FoodDFCOrderTests) or a coordinator's.
                inFood("POST /api/v1/cooperatives/:slug/food/dfc/orders", json: "{}"),
                inFood("GET /api/v1/cooperatives/:slug/food/dfc/orders/:order", ["order": order]),
                inFood("PUT /api/v1/cooperatives/:slug/food/dfc/orders/:order", ["order": order], json: "{}"),
                inFood("PATCH /api/v1/cooperatives/:slug/food/dfc/orders/:order", ["order": order], json: "{}"),
                inFood("DELETE /api/v1/cooperatives/:slug/food/dfc/orders/:order", ["order": order]),
                // Order cycles, pickup points, producers, reports.
                inFood("GET /c/:slug/food/manage"),
                inFood("POST /c/:slug/food/manage/points", form: [("point_name", "Point détourné"), ("point_address", "1 place de la Mairie")]),
                inFood("POST /c/:slug/food/manage/producers", form: [("user", chloe.id.uuidString), ("name", "Chez Chloé"), ("commune", "Nantes"), ("description", "")]),
                inFood("POST /c/:slug/food/manage/cycles", form: [("name", "Cycle détourné"), ("opens_at", DateText.localInput.string(from: Date())),
                                                                 ("closes_at", soonLocal), ("fee_percent", "8"), ("delivery_fee", ""), ("publish", "on"),
                                                                 ("producers[]", hugo)]),
                inFood("GET /c/:slug/food/manage/cycles/:cycle", fc),
            ]
            for report in ["harvest", "harvest.csv", "pickup", "pickup.csv", "totals", "totals.csv"] {
                guarded.append(inFood("GET /c/:slug/food/manage/cycles/:cycle/\(report)", fc))
            }
            guarded += [
                inFood("POST /c/:slug/food/manage/cycles/:cycle/offers/:variant", with(fc, ["variant": variant]), form: [("price", "0,01"), ("stock", "0")]),
                inFood("POST /c/:slug/food/manage/cycles/:cycle/publish", fc),
                inFood("GET /c/:slug/food/manage/cycles/:cycle/cancel", fc),
                inFood("POST /c/:slug/food/manage/cycles/:cycle/cancel", fc, form: [("confirmed", "yes")]),
                // Lending: the staff overview, the showcase, loans in progress, deposit claims.
                inLending("GET /c/:slug/lending/staff"),
                inLending("GET /c/:slug/lending/showcase"),
                inLending("POST /c/:slug/lending/showcase", form: [("name", "Vitrine détournée"), ("address", "1 rue du Port"), ("commune", "Rezé"),
                                                                  ("latitude", ""), ("longitude", ""), ("hours_3", "14:00-18:00")]),
                inLending("GET /c/:slug/lending/loans/:id", ["id": accepted]),
                inLending("GET /api/v1/cooperatives/:slug/lending/loans/:id", ["id": accepted]),
                inLending("POST /c/:slug/lending/loans/:id/messages", ["id": accepted], form: [("body", "Message de l’équipe")]),
                inLending("GET /c/:slug/moderation"),
                inLending("POST /c/:slug/moderation/:report/dismiss", ["report": report]),
                inLending("POST /c/:slug/moderation/:report/hide", ["report": report]),
                inLending("POST /api/v1/cooperatives/:slug/lending/loans/:id/messages", ["id": accepted], json: #"{"body": "Message de l’équipe"}"#),
                inLending("POST /c/:slug/lending/loans/:id/:action", ["id": requested, "action": "accept"]),
                inLending("POST /api/v1/cooperatives/:slug/lending/loans/:id/accept", ["id": requested]),
                inLending("POST /api/v1/cooperatives/:slug/lending/loans/:id/decline", ["id": requested]),
                inLending("POST /api/v1/cooperatives/:slug/lending/loans/:id/cancel", ["id": accepted]),
                inLending("POST /api/v1/cooperatives/:slug/lending/loans/:id/handover", ["id": handedOver]),
                inLending("POST /api/v1/cooperatives/:slug/lending/loans/:id/return", ["id": handedOver]),
                inLending("POST /c/:slug/lending/deposit-claims/:claim/:decision", ["claim": claim, "decision": "uphold"]),
                inLending("POST /c/:slug/lending/deposit-claims/:claim/:decision", ["claim": claim, "decision": "reject"]),
                // Barter: anyone's invoice, for the staff.
                Guarded(attempt: SweepAttempt("GET /c/:slug/barter/invoices/:id", ["slug": barter, "id": invoice]), member: quentin, entitled: farid),
                // The instance's operators' desk (Alice operates the demo instance).
                Guarded(attempt: SweepAttempt("GET /operators", [:]), member: chloe, entitled: alice),
                Guarded(attempt: SweepAttempt("GET /operators/mailbox", [:]), member: chloe, entitled: alice),
                Guarded(attempt: SweepAttempt("GET /operators/outbox/:id", ["id": mail]), member: chloe, entitled: alice),
                Guarded(attempt: SweepAttempt("POST /operators/outbox/:id/retry", ["id": mail]), member: chloe, entitled: alice),
                // The operators' queue of new cooperatives (the demo's are approved: a decision is a 409).
                Guarded(attempt: SweepAttempt("GET /operators/cooperatives", [:]), member: chloe, entitled: alice),
                Guarded(attempt: SweepAttempt("POST /operators/cooperatives/:id/approve", ["id": foodID.uuidString]), member: chloe, entitled: alice),
                Guarded(attempt: SweepAttempt("POST /operators/cooperatives/:id/refuse", ["id": foodID.uuidString], form: [("reason", "Pas une coopérative")]),
                        member: chloe, entitled: alice),
                // Carpool: the money rule and the relay points, for staff and board.
                inCarpool("GET /c/:slug/carpool/settings"),
                inCarpool("POST /c/:slug/carpool/settings", form: [("contribution", "at-cost"), ("rate", "0,30"), ("payment", "direct")]),
                inCarpool("POST /c/:slug/carpool/relay-points", form: [("name", "Point détourné"), ("kind", "other"), ("commune", "Nantes")]),
                inCarpool("POST /c/:slug/carpool/relay-points/:id/withdraw", ["id": relayPoint]),
                // Partner operators' keys, for staff and board.
                inCarpool("GET /c/:slug/carpool/partners"),
                inCarpool("POST /c/:slug/carpool/partners", form: [("name", "Opérateur détourné")]),
                inCarpool("GET /c/:slug/carpool/partners/:id/revoke", ["id": partner]),
                inCarpool("POST /c/:slug/carpool/partners/:id/revoke", ["id": partner], form: [("confirmed", "yes")]),
                // The partner operators this cooperative queries, likewise.
                inCarpool("POST /c/:slug/carpool/partners/operators", form: [("operator_name", "Opérateur détourné"), ("operator_url", "https://detourne.example.org/standard")]),
                inCarpool("POST /c/:slug/carpool/partners/operators/:id/disable", ["id": queried]),
                inCarpool("POST /c/:slug/carpool/partners/operators/:id/enable", ["id": queried]),
                inCarpool("GET /c/:slug/carpool/partners/operators/:id/remove", ["id": queried]),
                inCarpool("POST /c/:slug/carpool/partners/operators/:id/remove", ["id": queried], form: [("confirmed", "yes")]),
                // Communities: staff create them; their managers (and staff) answer requests and close them.
                inCarpool("POST /c/:slug/carpool/communities", form: [("name", "Communauté détournée"), ("joining", "open")]),
                inCarpool("POST /api/v1/cooperatives/:slug/carpool/communities", json: #"{"name": "Par l’API", "joining": "open"}"#),
                inCarpool("POST /c/:slug/carpool/communities/:id/people/:person/:answer", ["id": shipyard, "person": yasmine, "answer": "approve"]),
                inCarpool("DELETE /api/v1/cooperatives/:slug/carpool/communities/:id", ["id": school]),
                inCarpool("GET /c/:slug/carpool/communities/:id/close", ["id": shipyard]),
                inCarpool("POST /c/:slug/carpool/communities/:id/close", ["id": shipyard], form: [("confirmed", "yes")]),
                // Solidarity transport: only the coordinators (staff and board) see beneficiaries and cases.
                inCarpool("GET /c/:slug/carpool/solidarity/settings"),
                inCarpool("POST /c/:slug/carpool/solidarity/settings", form: [("reasons", "Santé"), ("fields", ""), ("rate", "0,32"), ("retention_years", "2")]),
                inCarpool("GET /c/:slug/carpool/solidarity/fairness"),
                inCarpool("GET /c/:slug/carpool/solidarity/volunteers/:person/statement/:year", ["person": ursuleID, "year": "\(today.year)"]),
                inCarpool("GET /c/:slug/carpool/solidarity/beneficiaries/new"),
                inCarpool("POST /c/:slug/carpool/solidarity/beneficiaries", form: [("name", "Personne détournée"), ("phone", "02 40 00 00 00"), ("commune", "Nantes")]),
                inCarpool("GET /c/:slug/carpool/solidarity/beneficiaries/:id", ["id": beneficiary]),
                inCarpool("POST /c/:slug/carpool/solidarity/beneficiaries/:id/decision", ["id": beneficiary], form: [("decision", "refuse"), ("reason", "Détourné")]),
                inCarpool("POST /c/:slug/carpool/solidarity/beneficiaries/:id/requests", ["id": beneficiary], form: [("reason", "Santé")]),
                inCarpool("GET /c/:slug/carpool/solidarity/requests/:id", ["id": marketTrip]),
                inCarpool("POST /c/:slug/carpool/solidarity/requests/:id/diary", ["id": marketTrip], form: [("kind", "note"), ("note", "Détourné")]),
                inCarpool("POST /c/:slug/carpool/solidarity/requests/:id/ask", ["id": marketTrip], form: [("volunteer", ursuleID)]),
                inCarpool("POST /c/:slug/carpool/solidarity/requests/:id/answer", ["id": marketTrip], form: [("volunteer", ursuleID), ("answer", "no")]),
                inCarpool("POST /c/:slug/carpool/solidarity/requests/:id/done", ["id": marketTrip], form: [("day", today.iso), ("km", "10"), ("hours", "1")]),
                inCarpool("POST /c/:slug/carpool/solidarity/requests/:id/close", ["id": marketTrip], form: [("status", "unsolved"), ("note", "Détourné")]),
                // Delivery: the staff's desk, its settings, and who orders for a store.
                inDelivery("GET /c/:slug/delivery/manage"),
                inDelivery("POST /c/:slug/delivery/manage/stores", form: [("name", "Magasin détourné"), ("address", "1 rue du Port"), ("store_commune", "Nantes")]),
                inDelivery("POST /c/:slug/delivery/manage/package-types", form: [("name", "Colis détourné"), ("volume", "1"), ("weight", "1")]),
                inDelivery("POST /c/:slug/delivery/manage/failure-reasons", form: [("label", "Raison détournée")]),
                inDelivery("POST /c/:slug/delivery/manage/zones", form: [("name", "Zone détournée"),
                    ("geojson", #"{"type":"Polygon","coordinates":[[[-1.6,47.2],[-1.5,47.2],[-1.5,47.3],[-1.6,47.2]]]}"#)]),
                inDelivery("POST /c/:slug/delivery/manage/grid", form: [("mode", "first_match"), ("couriers", "90"), ("cooperative", "10"), ("reserves", "0")]),
                inDelivery("POST /c/:slug/delivery/manage/rules", form: [("label", "Tarif détourné"), ("target", "delivery"), ("base", "0,01")]),
                inDelivery("POST /c/:slug/delivery/manage/rules/:index/remove", ["index": "0"]),
                inDelivery("POST /c/:slug/delivery/stores/:store/members", ["store": deliveryStore], form: [("email", "paul@\(DemoTerritory.domain)")]),
                // Issuing a store's invoice into the books, the food partners' home deliveries and their settlement: staff only.
                inDelivery("POST /c/:slug/delivery/stores/:store/invoices/:month/issue", ["store": deliveryStore, "month": "2025-03"]),
                inDelivery("GET /c/:slug/delivery/partners"),
                inDelivery("POST /c/:slug/delivery/partners/:coop/settle", ["coop": UUID().uuidString]),
                // A food cooperative's choice of a delivery cooperative for home delivery: its staff.
                inFood("GET /c/:slug/food/home-delivery"),
                inFood("POST /c/:slug/food/home-delivery", form: [("delivery_cooperative", ""), ("hub_address", "Halle"), ("hub_commune", "Vertou")]),
                // Last: archiving the cooperative (its members still see it).
                inFood("GET /c/:slug/archive"),
                inFood("POST /c/:slug/archive", form: [("confirmed", "yes")]),
            ]

            // Every route is classified: tried here as a board or staff action, open to members, or
            // outside any cooperative.
            let routes = app.routeKeys
            let tried = Set(guarded.map(\.attempt.route))
            let unclassified = routes.subtracting(tried).subtracting(Self.forMembers.keys).subtracting(Self.outsideCooperatives.keys)
            #expect(unclassified.isEmpty, "routes the role sweep does not classify: \(unclassified.sorted()) — try it as a board or staff action, or list it with why")
            let named = tried.union(Self.forMembers.keys).union(Self.outsideCooperatives.keys)
            #expect(named.subtracting(routes).isEmpty, "the sweep names routes the app no longer has: \(named.subtracting(routes).sorted())")
            let listedTwice = tried.intersection(Self.forMembers.keys).union(tried.intersection(Self.outsideCooperatives.keys))
                .union(Set(Self.forMembers.keys).intersection(Self.outsideCooperatives.keys))
            #expect(listedTwice.isEmpty, "routes classified twice: \(listedTwice.sorted())")
            #expect(Self.forMembers.keys.allSatisfy { $0.contains("/:slug") } && Self.outsideCooperatives.keys.allSatisfy { !$0.contains("/:slug") },
                    "routes of a cooperative are listed for members, the others outside cooperatives")

            // The plain members try them all: refused, nothing changed.
            let before = try await DatabaseSnapshot.take(db)
            for one in guarded {
                let response = try await one.member.send(one.attempt)
                #expect(response.status == .forbidden || response.status == .notFound, "\(one.attempt.label) by a plain member: \(response.status) \(response.gist)")
                #expect(!response.refusedAsForgery, "\(one.attempt.label): refused by the form check, which tries nothing")
            }
            // Staff see every loan with `all`; a plain member asking so still sees only their own.
            let loans = try await chloe.api.send(.GET, "\(lendingAPI)/loans?all=true")
            let seen = (loans.json["data"] as? [[String: Any]] ?? []).filter { $0["owner"] as? String != chloe.id.uuidString && $0["borrower"] as? String != chloe.id.uuidString }
            #expect(loans.status == .ok && seen.isEmpty, "a plain member reads others' loans with all=true: \(seen.count)")
            let changes = try await DatabaseSnapshot.take(db).changes(since: before)
            #expect(changes.isEmpty, "a plain member's refused requests changed: \(changes.joined(separator: "\n"))")

            // The board gets through each: the sweep tried real addresses, and the right role opens them.
            for one in guarded {
                let response = try await one.entitled.send(one.attempt)
                if one.attempt.method == .GET {
                    #expect(response.status == .ok, "\(one.attempt.label) by the board: \(response.status) \(response.gist)")
                } else {
                    #expect(response.status.code < 500 && ![401, 403, 404].contains(response.status.code),
                            "\(one.attempt.label) by the board: \(response.status) \(response.gist)")
                }
            }
        }
    }
}
