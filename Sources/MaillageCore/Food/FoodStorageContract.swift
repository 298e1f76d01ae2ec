/// What the app's SQL must enforce so that persisted stock and orders obey the same rules as
/// `StockLedger` and `FoodOrder`, under any number of concurrent checkouts (DESIGN: "never
/// check-then-write in Swift"). Each numbered step runs in the one transaction of the request;
/// a statement that changes fewer rows than stated makes the whole transaction roll back, then
/// a `SELECT` says why (sold out, expired, closed) so the same `DomainError` is thrown as the
/// core would (`outOfStock(available:)`, `reservationExpired`, `cycleClosed`…).
///
/// Suggested columns — `food_variants(id, product_id, price_cents, stock NULL, reserved, sold)`,
/// `food_cycle_offers(cycle_id, variant_id, price_cents NULL, has_stock, stock NULL, reserved, sold,
/// PRIMARY KEY (cycle_id, variant_id))` where `has_stock` marks a cycle-specific stock
/// (`StockKey.cycleOffer`; `stock` NULL then means on demand in this cycle),
/// `food_orders(id, cycle_id, number, status, expires_at, …, UNIQUE (cycle_id, number))`,
/// `food_order_lines(order_id, variant_id, stock_cycle_id NULL, quantity, …)` — one line per
/// `PricedCart.reservations` entry, `stock_cycle_id` set when the key is a cycle offer —, and
/// the append-only `food_order_events(order_id, from_status, to_status, at, by)` (`OrderEvent`).
/// Backstops on both stock tables: `CHECK (reserved >= 0 AND sold >= 0)`,
/// `CHECK (stock IS NULL OR reserved + sold <= stock)`, `CHECK (quantity > 0)` on lines.
///
/// 1. Checkout (`FoodOrder.place`): insert the order with `status = 'pending'`, then for each
///    reservation, in ascending key order so two checkouts cannot deadlock (1 row each, else refuse):
///    `UPDATE food_variants SET reserved = reserved + :q WHERE id = :v
///     AND (stock IS NULL OR stock - reserved - sold >= :q)`
///    or, for a cycle-specific stock,
///    `UPDATE food_cycle_offers SET reserved = reserved + :q WHERE cycle_id = :c AND variant_id = :v
///     AND has_stock AND (stock IS NULL OR stock - reserved - sold >= :q)`.
///    The cycle must be open in the same transaction: `SELECT … FROM food_cycles WHERE id = :c
///    AND published AND cancelled_at IS NULL AND opens_at <= :now AND closes_at > :now`
///    (PostgreSQL: `FOR SHARE`, so a cancellation waits for the checkout to commit).
/// 2. Confirmation (`FoodOrder.confirm`) — claim the order (1 row, else expired or not pending):
///    `UPDATE food_orders SET status = 'confirmed' WHERE id = :o AND status = 'pending'
///     AND expires_at > :now`, then per line (1 row each):
///    `UPDATE food_variants SET reserved = reserved - :q, sold = sold + :q WHERE id = :v AND reserved >= :q`
///    (for a line on a cycle-specific stock, the same `SET` on `food_cycle_offers WHERE cycle_id = :c
///    AND variant_id = :v`, here and in 3 and 4).
/// 3. Cancelling a pending order, or expiry (a leased job, `FoodOrder.expire`) — claim first:
///    `UPDATE food_orders SET status = 'cancelled' WHERE id = :o AND status = 'pending'`
///    (expiry: `SET status = 'expired' … AND status = 'pending' AND expires_at <= :now`), then per line
///    `UPDATE food_variants SET reserved = reserved - :q WHERE id = :v AND reserved >= :q`.
/// 4. Cancelling a confirmed order (`StockEffect.unsell`) — claim with
///    `UPDATE food_orders SET status = 'cancelled' WHERE id = :o AND status = 'confirmed'`
///    (for a shopper, add `AND EXISTS (SELECT 1 FROM food_cycles WHERE id = cycle_id AND closes_at > :now)`),
///    then per line `UPDATE food_variants SET sold = sold - :q WHERE id = :v AND sold >= :q`.
/// 5. Collection — `UPDATE food_orders SET status = 'collected' WHERE id = :o AND status = 'confirmed'`.
/// 6. A producer edits the stock (`StockLedger.setStock`) — never below what is promised:
///    `UPDATE food_variants SET stock = :n WHERE id = :v AND (:n IS NULL OR :n >= reserved + sold)`;
///    adding to it: `UPDATE food_variants SET stock = stock + :d WHERE id = :v AND stock IS NOT NULL
///     AND stock + :d >= reserved + sold`.
/// 7. Every claim on `food_orders` inserts its `food_order_events` row in the same transaction,
///    with the `OrderEvent` the core returned.
/// 8. Audit (a job, and after the concurrency test): per stock row, `reserved` equals the sum of
///    the quantities of its lines in pending orders, `sold` the sum in confirmed and collected
///    orders; `StockLedger` replayed from the events gives the same levels.
public enum FoodStorageContract {}
