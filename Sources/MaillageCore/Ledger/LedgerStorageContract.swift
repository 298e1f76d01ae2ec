/// What the app's SQL must enforce so that the persisted ledger obeys the same rules as
/// `Ledger`, under any concurrency (DESIGN: "never check-then-write in Swift"). Each statement
/// runs inside the one database transaction of the request; any statement that changes fewer
/// rows than stated makes the whole transaction roll back, and a `SELECT` then says why (unknown
/// or closed account, unit, limit) so the same `DomainError` is thrown as the core would.
///
/// Suggested columns — `ledger_accounts(id, unit, floor NULL, ceiling NULL, posted, debits_pending,
/// credits_pending, closed_at NULL)`; `ledger_transfers(id PK, debit, credit, unit, amount,
/// memo, idempotency_key UNIQUE NULL, time, phase, pending_id NULL, expires_at NULL,
/// reverses UNIQUE NULL, status NULL, settled_by NULL)`, where `status` is set on pending rows
/// only (`open`, `posted`, `voided`, `expired`).
///
/// Bind `:min` = Int64.min and `:max` = Int64.max as parameters, never as literals: SQLite reads
/// the literal -9223372036854775808 as a REAL, and turns an overflowing integer sum into a REAL
/// instead of failing, so every condition below is written not to overflow:
/// `floor + amount` cannot (floor ≤ 0 < amount), nor `ceiling − amount` (ceiling ≥ 0).
///
/// 1. Insert the transfer row first, so the unique constraints settle races:
///    `INSERT INTO ledger_transfers (…)` — `id` and `idempotency_key` unique: a retry racing the
///    first request fails here, rolls back, then reads the winner
///    (`SELECT … WHERE idempotency_key = ?`) and returns it if it asks the same
///    (`debit, credit, amount, unit, phase, pending_id, reverses` equal), else `idempotency_key_reused`.
///    `reverses` unique: a transfer is reversed at most once. `CHECK (amount > 0)`, `CHECK (debit <> credit)`.
/// 2. Immediate transfer, or a reversal — the payer (1 row, else refuse):
///    `UPDATE ledger_accounts SET posted = posted - :amount WHERE id = :debit AND unit = :unit
///     AND closed_at IS NULL AND posted - debits_pending >= COALESCE(floor, :min) + :amount`
///    — the available balance, pending debits counted as spent, stays at or above the floor.
///    The payee (1 row, else refuse):
///    `UPDATE ledger_accounts SET posted = posted + :amount WHERE id = :credit AND unit = :unit
///     AND closed_at IS NULL AND posted + credits_pending <= COALESCE(ceiling, :max) - :amount`
///    — the balance, pending credits counted as received, stays at or below the ceiling.
///    Update the two accounts in ascending id order, so two opposite transfers cannot deadlock.
/// 3. Pending transfer (a reservation) — same conditions, on the pending columns:
///    `UPDATE ledger_accounts SET debits_pending = debits_pending + :amount WHERE id = :debit
///     AND unit = :unit AND closed_at IS NULL AND debits_pending <= :max - :amount
///     AND posted - debits_pending >= COALESCE(floor, :min) + :amount`, and
///    `UPDATE ledger_accounts SET credits_pending = credits_pending + :amount WHERE id = :credit
///     AND unit = :unit AND closed_at IS NULL AND credits_pending <= :max - :amount
///     AND posted + credits_pending <= COALESCE(ceiling, :max) - :amount`;
///    the row is inserted with `status = 'open'` and `CHECK (expires_at IS NULL OR expires_at > time)`.
/// 4. Posting a pending transfer — claim it first (1 row, else it is settled, expired or wrong):
///    `UPDATE ledger_transfers SET status = 'posted', settled_by = :id WHERE id = :pending
///     AND status = 'open' AND debit = :debit AND credit = :credit AND amount >= :amount
///     AND (expires_at IS NULL OR expires_at > :time)`, then
///    `UPDATE ledger_accounts SET debits_pending = debits_pending - :reserved, posted = posted - :amount WHERE id = :debit`
///    `UPDATE ledger_accounts SET credits_pending = credits_pending - :reserved, posted = posted + :amount WHERE id = :credit`
///    — no limit condition: settling only lowers what was reserved, so it cannot cross one.
/// 5. Voiding — the same claim with `status = 'voided'`, `amount = :reserved` and no expiry
///    condition, then both accounts release `:reserved` with `posted` unchanged.
/// 6. Expiry (a leased job) — per row, `UPDATE ledger_transfers SET status = 'expired'
///    WHERE id = :pending AND status = 'open' AND expires_at <= :now`, then release as in 5.
/// 7. Closing — `UPDATE ledger_accounts SET closed_at = :time WHERE id = :id AND closed_at IS NULL
///    AND posted = 0 AND debits_pending = 0 AND credits_pending = 0`.
/// 8. New limits — `UPDATE ledger_accounts SET floor = :floor, ceiling = :ceiling WHERE id = :id
///    AND (:floor IS NULL OR posted - debits_pending >= :floor)
///    AND (:ceiling IS NULL OR posted + credits_pending <= :ceiling)`.
/// 9. As a backstop against a forgotten condition, the table carries
///    `CHECK (floor IS NULL OR posted - debits_pending >= floor)`,
///    `CHECK (ceiling IS NULL OR posted + credits_pending <= ceiling)`,
///    `CHECK (debits_pending >= 0 AND credits_pending >= 0)`.
/// 10. Audit (a job, and after the concurrency test): per unit, the posted balances sum to zero
///    and pending debits equal pending credits — read the rows and use `Ledger.sumsToZero`
///    (SQLite's `SUM` fails on overflow, PostgreSQL's is exact); each account's `posted` equals
///    credits minus debits of its posting rows (`phase IN ('immediate', 'posting')`).
public enum LedgerStorageContract {}
