/// What the app's SQL must do so that the database — not Swift — guarantees that no two accepted
/// loans of one item share a day, under any concurrency, on SQLite and on PostgreSQL alike
/// (DESIGN: "never check-then-write in Swift"). Every numbered step runs inside the one
/// transaction of the request (SQLite: `BEGIN IMMEDIATE`; PostgreSQL: the default READ
/// COMMITTED is enough, the unique key does the work). A statement that changes fewer rows than
/// stated rolls the transaction back; a `SELECT` afterwards says why, so the same `DomainError`
/// is answered as the core would throw.
///
/// **Why a day-claim table.** An exclusion constraint (`EXCLUDE USING gist (item_id WITH =,
/// daterange(first_day, last_day, '[]') WITH &&)`) needs the `btree_gist` extension, which a
/// hosted PostgreSQL may refuse, and exists neither in SQLite nor in the distributed
/// PostgreSQL-compatible databases we mean to reach. A UNIQUE key exists everywhere. A loan is
/// whole days (`LoanPeriod`), at most `LendingItemDraft.loanDaysLimit` (60) of them, so claiming
/// each day as a row costs at most 60 small rows and turns "no overlap" into "no duplicate key".
///
/// Tables (suggested columns; `day`, `first_day`, `last_day` are `LocalDate.iso` TEXT —
/// 'YYYY-MM-DD' sorts as dates and reads the same on both engines):
/// - `lending_items(id PK, owner_id, cooperative_id, title, category, description, condition,
///   deposit_cents CHECK (deposit_cents >= 0), max_loan_days CHECK (max_loan_days BETWEEN 1 AND 60),
///   pickup CHECK (pickup IN ('domicile','vitrine')), showcase_id NULL, lat NULL, lon NULL,
///   search_text, created_at, withdrawn_at NULL)` — `search_text` = `LendingItem.searchText`;
///   index `(lat, lon)` and `(category)` for `SearchQuery`.
/// - `loans(id PK, item_id, owner_id, borrower_id, first_day, last_day, starts_at, ends_at,
///   status, requested_at, decided_at NULL, cancelled_at NULL, cancelled_by NULL,
///   handover_owner_at NULL, handover_borrower_at NULL, return_owner_at NULL, return_borrower_at NULL)`
///   with `CHECK (first_day <= last_day)` and `CHECK (status IN ('requested','accepted','declined',
///   'cancelled','handed_over','returned'))`; `starts_at`/`ends_at` = `LocalZone.interval(of:)`,
///   the UTC half-open span, for "overdue" queries (`status = 'handed_over' AND ends_at <= :now`).
/// - `loan_days(item_id, day, loan_id NULL, block_id NULL, PRIMARY KEY (item_id, day),
///   CHECK ((loan_id IS NULL) <> (block_id IS NULL)))` — the claims; owner blocks share the key
///   so a block and a loan cannot take the same day either.
/// - `item_blocks(id PK, item_id, first_day, last_day, created_at)`.
/// - `loan_events(id PK, loan_id, kind, actor, actor_member_id, at, status_after)` — append-only,
///   one row per `LoanEvent`.
/// - `loan_reviews(loan_id, author_side, rating CHECK (rating BETWEEN 1 AND 5),
///   text CHECK (length(text) <= 500), at, PRIMARY KEY (loan_id, author_side))`.
/// - `loan_reminders(loan_id, offset_days, sent_at, PRIMARY KEY (loan_id, offset_days))`.
///
/// 1. Request — `Loan.request` checks the dates and the days already claimed
///    (`SELECT first_day, last_day FROM loans WHERE item_id = ? AND status IN ('accepted','handed_over')`),
///    then `INSERT INTO loans (…, status) VALUES (…, 'requested')`. Overlapping *requests* are
///    allowed: the owner chooses.
/// 2. Accept — in one transaction:
///    `UPDATE loans SET status = 'accepted', decided_at = :now WHERE id = :id AND status = 'requested'`
///    (1 row, else `loan_wrong_status`), then claim every day of `LoanPeriod.days` in one statement:
///    `INSERT INTO loan_days (item_id, day, loan_id) VALUES (:item, :day1, :id), (:item, :day2, :id), …`
///    then `INSERT INTO loan_events …`, then COMMIT. If the INSERT breaks the primary key
///    (SQLite extended code 1555 `SQLITE_CONSTRAINT_PRIMARYKEY`, PostgreSQL SQLSTATE 23505),
///    ROLLBACK — the status update goes with it — and read the winner
///    (`SELECT l.first_day, l.last_day FROM loan_days d JOIN loans l ON l.id = d.loan_id
///    WHERE d.item_id = ? AND d.day BETWEEN ? AND ? LIMIT 1`, or the block) to answer `dates_taken`
///    / `dates_blocked` (409). Why it holds: on PostgreSQL a second transaction inserting the same
///    (item_id, day) waits for the first to commit, then fails; SQLite runs one writer at a time.
///    Invariant: a loan is `accepted` or `handed_over` exactly when its days are claimed.
/// 3. Decline — `UPDATE loans SET status = 'declined', decided_at = :now WHERE id = :id AND status = 'requested'`.
/// 4. Cancel — `UPDATE loans SET status = 'cancelled', cancelled_at = :now, cancelled_by = :actor
///    WHERE id = :id AND status IN ('requested','accepted')`, then
///    `DELETE FROM loan_days WHERE loan_id = :id` (frees the days in the same transaction).
/// 5. Confirm handover by one side — one statement, so two sides confirming at once cannot both
///    miss the other (PostgreSQL re-reads the locked row before evaluating SET):
///    `UPDATE loans SET handover_owner_at = :now, status = CASE WHEN handover_borrower_at IS NOT NULL
///    THEN 'handed_over' ELSE status END WHERE id = :id AND status = 'accepted' AND handover_owner_at IS NULL
///    AND :now >= starts_at AND :now < ends_at` (borrower: the mirror). 0 rows → re-read: already
///    confirmed (answer as success, nothing to store) or `Loan.confirmHandover`'s error.
/// 6. Confirm return — likewise on `return_*_at`, `status = 'handed_over'` → `'returned'`. When
///    the loan becomes returned, free the days still ahead:
///    `DELETE FROM loan_days WHERE loan_id = :id AND day > :today` (`:today` = `LocalZone.localDate(at:)`).
///    Past claims may stay as history or be purged by a job.
/// 7. Block days — `INSERT INTO item_blocks …` and `INSERT INTO loan_days (item_id, day, block_id)
///    VALUES …` in one transaction; a duplicate key means the days are lent. Unblock deletes both.
/// 8. Review — `INSERT INTO loan_reviews …` after `Loan.review` (status `returned` is final, so
///    reading it first is not a race); the primary key refuses a second review by one side.
/// 9. Overdue reminders (a leased job) — `SELECT … FROM loans WHERE status = 'handed_over' AND
///    ends_at <= :now` with the offsets sent (`loan_reminders`), ask `OverdueReminders.due`, then
///    `INSERT INTO loan_reminders (loan_id, offset_days, sent_at)` and the notification row in the
///    same transaction; a duplicate key means another replica already sent it.
/// 10. A loan that is overdue still has its item: days claimed after its last day by another loan
///    are valid claims; the app warns that loan's owner and borrower (`Loan.isOverdue`).
/// 11. Audit (a job and the concurrency test): `SELECT item_id, day FROM loan_days GROUP BY
///    item_id, day HAVING COUNT(*) > 1` is empty by construction; each accepted or handed-over
///    loan has exactly `LoanPeriod.dayCount` rows (`SELECT loan_id, COUNT(*) FROM loan_days …`).
public enum LendingStorageContract {}
