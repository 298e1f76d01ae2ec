import Fluent
import Foundation
import MaillageCore
import SQLKit
import Vapor

/// The daily digest: at each cut (7:00 in Paris unless `DIGEST_TIME` says otherwise), one mail per
/// person listing their notices of the kinds they gather, not read yet and not in an earlier
/// digest. A person gets at most one digest per cut, whichever process or run gets there first:
/// the digest's row has a unique key on (person, cut), and the notices it lists are marked with
/// it in the same transaction as its mail is written to the outbox.
enum DailyDigest {
    static let table = "notification_digests"

    /// From `DIGEST_TIME` and `DIGEST_PERIOD_SECONDS`; a value not understood leaves the daily
    /// default and says so in the log.
    static let schedule: DigestSchedule = {
        let env = ProcessInfo.processInfo.environment
        switch DigestSchedule.parse(time: env["DIGEST_TIME"], periodSeconds: env["DIGEST_PERIOD_SECONDS"]) {
        case .success(let schedule): return schedule
        case .failure(let problem):
            Logger(label: "maillage.notifications").error("\(problem.message.en) The digest goes at 7:00.")
            return .daily
        }
    }()

    static var job: ScheduledJob {
        let schedule = schedule
        return ScheduledJob("notifications-digest", every: schedule.checkEverySeconds) { app in
            try await run(schedule, now: Date(), on: app.db)
        }
    }

    private struct Person: Decodable { var user_id: UUID }

    /// Sends the digests due at the latest cut; returns how many it wrote.
    @discardableResult
    static func run(_ schedule: DigestSchedule, now: Date, on db: any Database) async throws -> Int {
        let cut = schedule.cut(at: now)
        let since = cut.addingTimeInterval(-DigestSchedule.lookBack)
        // People with something to gather and no digest for this cut yet. A kind whose default
        // were the digest would need no row; none is today, so the choices' rows lead.
        let people = try await db.sql.raw("""
            SELECT DISTINCT n.user_id FROM \(ident: Notice.schema) n
            JOIN \(ident: NoticeChoices.table) p ON p.user_id = n.user_id AND p.kind = n.kind AND p.channel = \(bind: NoticeChannel.dailyDigest.rawValue)
            WHERE n.digest_id IS NULL AND n.read_at IS NULL AND n.created_at < \(bind: cut) AND n.created_at >= \(bind: since)
              AND NOT EXISTS (SELECT 1 FROM \(ident: table) d WHERE d.user_id = n.user_id AND d.cut_at = \(bind: cut))
            """).all(decoding: Person.self)
        var sent = 0
        for person in people {
            do {
                if try await send(to: person.user_id, cut: cut, since: since, now: now, on: db) { sent += 1 }
            } catch let error as any DatabaseError where error.isConstraintFailure {
                continue // another process wrote this person's digest for this cut
            } catch {
                // One person's trouble (an address mail cannot carry) does not hold back the others'.
                db.logger.warning("digest not written", metadata: ["user": .string(person.user_id.uuidString), "error": .string(String(describing: error))])
            }
        }
        return sent
    }

    private struct Nothing: Error {}

    /// One person's digest, all or nothing: its row, the mark on what it lists, its mail.
    static func send(to userID: UUID, cut: Date, since: Date, now: Date, on db: any Database) async throws -> Bool {
        let kinds = try await NoticeChoices.preferences(of: userID, on: db).digestKinds
        guard !kinds.isEmpty, let person = try await User.find(userID, on: db), person.emailConfirmed else { return false }
        let id = UUID()
        do {
            try await db.writeTransaction { tx in
                try await tx.sql.insert(into: table).columns("id", "user_id", "cut_at", "notices", "created_at")
                    .values(SQLBind(id), SQLBind(userID), SQLBind(cut), SQLLiteral.numeric("0"), SQLBind(now)).run()
                let listed = try await tx.sql.update(Notice.schema).set("digest_id", to: SQLBind(id))
                    .where("user_id", .equal, SQLBind(userID)).where("digest_id", .is, SQLLiteral.null).where("read_at", .is, SQLLiteral.null)
                    .where("kind", .in, SQLBind.group(kinds.map(\.rawValue).sorted()))
                    .where("created_at", .lessThan, SQLBind(cut)).where("created_at", .greaterThanOrEqual, SQLBind(since))
                    .returning("id").all()
                // Nothing new: no digest row, no mail.
                guard !listed.isEmpty else { throw Nothing() }
                try await tx.sql.update(table).set("notices", to: SQLBind(listed.count)).where("id", .equal, SQLBind(id)).run()
                let t = Translator(language: NoticeMails.language(of: person))
                try await Outbox.enqueue(try MailChannel.envelope(to: person.email, name: person.displayName,
                                                                  subject: t("Résumé quotidien", "Daily digest"),
                                                                  template: NoticeMails.digestTemplate, data: NoticeMails.DigestData(digest: id)),
                                         on: tx)
            }
        } catch is Nothing {
            return false
        }
        return true
    }

    private struct DigestRow: Decodable { var user_id: UUID }

    /// What a digest lists, as its mail is written out.
    static func contents(_ id: UUID, on db: any Database) async throws -> (User, NoticeDigest) {
        let missing = Problem.notFound(Localized(fr: "Résumé", en: "Digest"))
        guard let row = try await db.sql.select().column("user_id").from(table).where("id", .equal, SQLBind(id)).first(decoding: DigestRow.self),
              let person = try await User.find(row.user_id, on: db) else { throw missing }
        let notices = try await Notice.query(on: db).filter(\.$digestID == id).all()
        let entries = notices.compactMap { notice -> NoticeDigest.Entry? in
            guard let id = notice.id else { return nil }
            return NoticeDigest.Entry(id: id, kind: notice.kind.flatMap(NoticeKind.init(rawValue:)) ?? .messages,
                                createdAt: notice.createdAt ?? Date(), text: Localized(fr: notice.textFR, en: notice.textEN), link: notice.link)
        }
        guard let digest = NoticeDigest.compose(entries, zone: LocalZone(DateText.zone)) else { throw missing }
        return (person, digest)
    }
}
