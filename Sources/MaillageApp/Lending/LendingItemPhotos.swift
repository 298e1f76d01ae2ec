import Fluent
import Foundation
import MaillageCore
import Plot
import SQLKit
import Vapor

/// An item's photo uploaded by its owner: checked by its bytes, shrunk and stripped of metadata
/// by `UploadedPhoto` (the food module's, the same rules), stored by the platform and served
/// from it — no third-party image host. Kept beside the item, not in `lending_items`, so the
/// catalogue's reads never carry image bytes.
enum LendingItemPhotos {
    static let badPhoto = DomainError(.invalid, code: "photo_unreadable", field: "photo",
        fr: "Photo refusée : envoyez un fichier JPEG, PNG ou WebP de 5 Mo au plus.", en: "Photo refused: send a JPEG, PNG or WebP file of 5 MB at most.")

    struct PhotoForm: Content { var photo: File }

    static func path(coop slug: String, item: UUID) -> String { "/c/\(slug)/lending/photos/\(item)" }

    static func has(item: UUID, on db: any Database) async throws -> Bool {
        try await db.sql.select().column("item_id").from("lending_item_photos").where("item_id", .equal, SQLBind(item)).first() != nil
    }

    /// Replaces the item's photo (the owner's only; not on a withdrawn item).
    static func store(_ photo: UploadedPhoto, item row: LendingItemRow, by member: UUID, on db: any Database, now: Date = Date()) async throws {
        guard row.ownerID == member else { throw Problem.notFound(LendingWords.item) }
        guard row.withdrawnAt == nil else { throw LendingStore.itemGone }
        try await db.writeTransaction { db in
            try await db.sql.delete(from: "lending_item_photos").where("item_id", .equal, SQLBind(row.id)).run()
            try await db.sql.insert(into: "lending_item_photos").columns("item_id", "photo", "photo_type", "updated_at")
                .values(SQLBind(row.id), SQLBind(photo.data), SQLBind(photo.type), SQLBind(now)).run()
        }
    }

    /// The upload form, on the owner's part of the item page.
    static func form(_ req: Request, base: String) -> Node<HTML.BodyContext> {
        let t = req.t
        return .form(.action("\(base)/photo"), .method(.post), .enctype(.multipartData),
                     .input(.type(.hidden), .name(CSRFMiddleware.field), .value(req.csrfToken)),
                     .div(.class("field"), .label(.for("photo"), .text(t("Photo (JPEG, PNG ou WebP, 5 Mo au plus)", "Photo (JPEG, PNG or WebP, 5 MB at most)"))),
                          .input(.type(.file), .id("photo"), .name("photo"), .attribute(named: "accept", value: "image/jpeg,image/png,image/webp"), .required(true))),
                     .button(.type(.submit), .text(t("Envoyer la photo", "Upload the photo"))))
    }

    @Sendable static func upload(_ req: Request) async throws -> Response {
        let access = try await LendingAccess(req, member: true)
        let row = try await LendingStore.item(req.parameters.get("id", as: UUID.self), in: access.coopID, on: req.db)
        let me = try access.memberID()
        guard row.ownerID == me else { throw Problem.notFound(LendingWords.item) }
        guard let form = try? req.content.decode(PhotoForm.self), form.photo.data.readableBytes <= 5 * 1024 * 1024,
              let photo = UploadedPhoto(Data(buffer: form.photo.data)) else {
            var errors = ValidationErrors()
            errors.add(badPhoto)
            return try await LendingPages.itemView(req, access: access, row: row, state: FormState(errors: errors), status: .unprocessableEntity)
        }
        let stored: UploadedPhoto
        do {
            stored = try await photo.resized(converter: req.application.maillage.imageConverter)
        } catch let error as DomainError {
            var errors = ValidationErrors()
            errors.add(error)
            return try await LendingPages.itemView(req, access: access, row: row, state: FormState(errors: errors), status: .unprocessableEntity)
        }
        try await store(stored, item: row, by: me, on: req.db)
        return req.done(Localized(fr: "Photo enregistrée.", en: "Photo saved."), goTo: "/c/\(access.coop.slug)/lending/items/\(row.id)")
    }

    @Sendable static func serve(_ req: Request) async throws -> Response {
        let access = try await LendingAccess(req)
        struct Row: Decodable { var photo: Data; var photo_type: String }
        guard let id = req.parameters.get("id", as: UUID.self),
              let row = try await req.db.sql.raw("""
                  SELECT p.photo, p.photo_type FROM lending_item_photos p JOIN lending_items i ON i.id = p.item_id
                  WHERE p.item_id = \(bind: id) AND i.cooperative_id = \(bind: access.coopID)
                  """).first(decoding: Row.self)
        else { throw Problem.notFound(Localized(fr: "Photo", en: "Photo")) }
        let response = Response(status: .ok, body: .init(data: row.photo))
        response.headers.replaceOrAdd(name: .contentType, value: row.photo_type)
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
        return response
    }
}

struct CreateLendingItemPhotos: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("lending_item_photos")
            .field("item_id", .uuid, .required, .references("lending_items", "id", onDelete: .cascade))
            .field("photo", .data, .required)
            .field("photo_type", .string, .required)
            .field("updated_at", .datetime, .required)
            .constraint(.custom(SQLRaw("CONSTRAINT lending_item_photos_one PRIMARY KEY (item_id)")))
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("lending_item_photos").delete()
    }
}
