import Fluent
import Foundation
import MaillageCore
import Vapor

/// `/api/v1/cooperatives/{slug}/lending/…`: the catalogue (public), lending an item, requesting,
/// and every step of a loan, for members holding a token.
enum LendingAPI {
    struct ItemDTO: Content {
        var id: UUID
        var title: String
        var category: String
        var description: String
        var condition: String
        var depositCents: Int64
        var maximumLoanDays: Int
        var pickup: String
        var commune: String
        var lat: Double?
        var lon: Double?
        /// The uploaded photo, when there is one (served by this instance).
        var photoPath: String?
        var distanceKm: Double?
        var booked: [PeriodDTO]?
        var createdAt: Date

        init(_ row: LendingItemRow, distance: Double? = nil, booked: [LoanPeriod]? = nil, photoPath: String? = nil) {
            id = row.id; title = row.title; category = row.category; description = row.description; condition = row.condition
            depositCents = row.depositCents; maximumLoanDays = row.maxLoanDays; pickup = row.pickup; commune = row.commune
            lat = row.lat; lon = row.lon; distanceKm = distance; self.photoPath = photoPath
            self.booked = booked?.map { PeriodDTO(firstDay: $0.first.iso, lastDay: $0.last.iso) }; createdAt = row.createdAt
        }
    }

    struct PeriodDTO: Content { var firstDay: String; var lastDay: String }

    struct LoanDTO: Content {
        struct Message: Content { var author: UUID; var body: String; var at: Date }
        struct Review: Content { var side: String; var rating: Int; var text: String; var at: Date }
        var id: UUID
        var item: UUID
        var owner: UUID
        var borrower: UUID
        var firstDay: String
        var lastDay: String
        var status: String
        var overdue: Bool
        var requestedAt: Date
        var decidedAt: Date?
        var handoverOwnerAt: Date?
        var handoverBorrowerAt: Date?
        var returnOwnerAt: Date?
        var returnBorrowerAt: Date?
        var messages: [Message]?
        var reviews: [Review]?
        /// Where the deposit stands (`DepositState`), on a single loan's detail.
        var deposit: String?

        init(_ row: LoanRow, messages: [LoanMessageRow]? = nil, reviews: [LoanReviewRow]? = nil, now: Date = Date()) {
            id = row.id; item = row.itemID; owner = row.ownerID; borrower = row.borrowerID; firstDay = row.firstDay; lastDay = row.lastDay
            status = row.status; overdue = (try? row.loan().isOverdue(at: now, zone: LocalZone.paris)) ?? false
            requestedAt = row.requestedAt; decidedAt = row.decidedAt; handoverOwnerAt = row.handoverOwnerAt
            handoverBorrowerAt = row.handoverBorrowerAt; returnOwnerAt = row.returnOwnerAt; returnBorrowerAt = row.returnBorrowerAt
            self.messages = messages?.map { Message(author: $0.authorID, body: $0.body, at: $0.at) }
            self.reviews = reviews?.map { Review(side: $0.authorSide, rating: $0.rating, text: $0.text, at: $0.at) }
        }
    }

    struct ItemInput: Content {
        var title: String
        var category: String
        var description: String?
        var condition: String
        var depositCents: Int64?
        var maximumLoanDays: Int
        var pickup: String?
        var commune: String
    }

    struct RequestInput: Content { var firstDay: String; var lastDay: String; var message: String? }
    struct MessageInput: Content { var body: String }
    struct ReviewInput: Content { var rating: Int; var text: String? }

    @Sendable static func search(_ req: Request) async throws -> APIPage<ItemDTO> {
        let access = try await LendingAccess(req)
        let limit = min(max(req.query[Int.self, at: "limit"] ?? 50, 1), 200)
        let hits = try await LendingStore.search(try NeighbourhoodSearch.query(req), coop: access.coopID, limit: limit, on: req.db)
        return .init(data: hits.map { ItemDTO($0.0, distance: $0.1) })
    }

    @Sendable static func item(_ req: Request) async throws -> ItemDTO {
        let access = try await LendingAccess(req)
        let row = try await LendingStore.item(req.parameters.get("id", as: UUID.self), in: access.coopID, on: req.db)
        let photo = try await LendingItemPhotos.has(item: row.id, on: req.db) ? LendingItemPhotos.path(coop: access.coop.slug, item: row.id) : nil
        return ItemDTO(row, booked: try await LendingStore.taken(item: row.id, on: req.db).sorted { $0.first < $1.first }, photoPath: photo)
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let access = try await LendingAccess(req, member: true)
        let input = try req.content.decode(ItemInput.self)
        let deposit = input.depositCents.map { $0 < 0 ? "-1" : "\($0 / 100).\($0 % 100 < 10 ? "0" : "")\($0 % 100)" } ?? ""
        let draft = LendingItemDraft(title: input.title, category: input.category, description: input.description ?? "", condition: input.condition,
                                     deposit: deposit, maximumLoanDays: String(input.maximumLoanDays), pickupAtShowcase: input.pickup == "vitrine")
        let row = try await LendingStore.createItem(.init(draft: draft, commune: input.commune),
                                                    owner: try access.memberID(), coop: access.coopID, on: req.db)
        return try await ItemDTO(row).encodeResponse(status: .created, for: req)
    }

    @Sendable static func request(_ req: Request) async throws -> Response {
        let access = try await LendingAccess(req, member: true)
        let row = try await LendingStore.item(req.parameters.get("id", as: UUID.self), in: access.coopID, on: req.db)
        let input = try req.content.decode(RequestInput.self)
        let period = try LoanPeriod(firstISO: input.firstDay, lastISO: input.lastDay)
        let loan = try await LendingStore.request(item: row, borrower: try access.memberID(), period: period, message: input.message,
                                                  coopSlug: access.coop.slug, on: req.db)
        return try await LoanDTO(loan).encodeResponse(status: .created, for: req)
    }

    @Sendable static func loans(_ req: Request) async throws -> APIPage<LoanDTO> {
        let access = try await LendingAccess(req, member: true)
        let all = access.isStaff && req.query[Bool.self, at: "all"] == true
        let rows = try await LendingStore.loans(of: access.coopID, member: all ? nil : try access.memberID(), on: req.db)
        return .init(data: rows.map { LoanDTO($0) })
    }

    /// The loan, for its owner, its borrower or staff; a stranger to it gets 404.
    static func visibleLoan(_ req: Request, _ access: LendingAccess) async throws -> LoanRow {
        let row = try await LendingStore.loan(req.parameters.get("id", as: UUID.self), in: access.coopID, on: req.db)
        guard try row.loan().actor(member: try access.memberID(), isStaff: access.isStaff) != nil else { throw Problem.notFound(LendingWords.loan) }
        return row
    }

    static func detail(_ row: LoanRow, _ req: Request) async throws -> LoanDTO {
        var dto = LoanDTO(row, messages: try await LendingStore.messages(of: row, on: req.db), reviews: try await LendingStore.reviews(of: row.id, on: req.db))
        let item = try await LendingStore.item(row.itemID, in: row.cooperativeID, on: req.db)
        dto.deposit = try await LoanDeposits.state(of: row, depositCents: item.depositCents, on: req.db).rawValue
        return dto
    }

    @Sendable static func loan(_ req: Request) async throws -> LoanDTO {
        let access = try await LendingAccess(req, member: true)
        return try await detail(try await visibleLoan(req, access), req)
    }

    static func step(_ action: LendingStore.Action) -> @Sendable (Request) async throws -> LoanDTO {
        { req in
            let access = try await LendingAccess(req, member: true)
            let row = try await visibleLoan(req, access)
            let item = try await LendingStore.item(row.itemID, in: access.coopID, on: req.db)
            let after = try await LendingStore.act(action, on: row, by: try access.memberID(), isStaff: access.isStaff, itemTitle: item.title,
                                                   coopSlug: access.coop.slug, db: req.db)
            return try await detail(after, req)
        }
    }

    @Sendable static func message(_ req: Request) async throws -> Response {
        let access = try await LendingAccess(req, member: true)
        let row = try await visibleLoan(req, access)
        let input = try req.content.decode(MessageInput.self)
        try await LendingStore.post(message: input.body, on: row, by: try access.memberID(), isStaff: access.isStaff,
                                    coopSlug: access.coop.slug, db: req.db)
        return try await detail(row, req).encodeResponse(status: .created, for: req)
    }

    @Sendable static func review(_ req: Request) async throws -> Response {
        let access = try await LendingAccess(req, member: true)
        let row = try await visibleLoan(req, access)
        let input = try req.content.decode(ReviewInput.self)
        try await LendingStore.review(row, by: try access.memberID(), rating: input.rating, text: input.text ?? "", coopSlug: access.coop.slug, on: req.db)
        return try await detail(row, req).encodeResponse(status: .created, for: req)
    }
}
