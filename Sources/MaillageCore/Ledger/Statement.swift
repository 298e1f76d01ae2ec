import Foundation

/// An account's movements over a period, each with the balance after it, as a bank statement
/// shows them. Only posted movements appear: a reservation changes no posted balance until it
/// is posted. Lines are in time order, ties kept in journal order.
public struct Statement: Sendable, Hashable, Codable {
    public struct Line: Sendable, Hashable, Codable {
        public let transfer: TransferID
        public let time: Date
        public let memo: String
        /// The other side of the movement.
        public let counterparty: AccountID
        /// Positive when the account receives, negative when it pays.
        public let change: Amount
        /// The posted balance just after this line.
        public let balance: Amount
        /// Set when the line corrects an earlier transfer.
        public let reverses: TransferID?
    }

    public let account: AccountID
    public let unit: UnitOfAccount
    /// From its start (included) to its end (excluded).
    public let period: Range<Date>
    /// The balance before the period's first moment.
    public let opening: Amount
    public let lines: [Line]
    public let closing: Amount

    /// Builds the statement from any list of transfers holding the account's (the journal, or
    /// the rows the app loaded — those before the period are needed for the opening balance).
    public init(account: AccountID, unit: UnitOfAccount, period: Range<Date>,
                transfers: some Sequence<Transfer>) throws(DomainError) {
        let moves = transfers.filter { $0.movesPostedBalance && ($0.debit == account || $0.credit == account) }
        var opening = WideSum()
        var inPeriod: [(offset: Int, transfer: Transfer)] = []
        for (offset, transfer) in moves.enumerated() {
            if transfer.time < period.lowerBound {
                if transfer.credit == account { opening.add(transfer.amount.minorUnits) }
                else { opening.subtract(transfer.amount.minorUnits) }
            } else if transfer.time < period.upperBound {
                inPeriod.append((offset, transfer))
            }
        }
        guard var running = opening.value else { throw .amountOverflow }
        inPeriod.sort { $0.transfer.time != $1.transfer.time ? $0.transfer.time < $1.transfer.time : $0.offset < $1.offset }
        var lines: [Line] = []
        for (_, transfer) in inPeriod {
            guard transfer.amount.unit == unit else { throw .unitMismatch(unit, transfer.amount.unit) }
            let receives = transfer.credit == account
            let change = receives ? transfer.amount.minorUnits : -transfer.amount.minorUnits
            running = try Amount.checked(running.addingReportingOverflow(change))
            lines.append(Line(transfer: transfer.id, time: transfer.time, memo: transfer.memo,
                              counterparty: receives ? transfer.debit : transfer.credit,
                              change: Amount(change, unit), balance: Amount(running, unit),
                              reverses: transfer.reverses))
        }
        self.account = account
        self.unit = unit
        self.period = period
        self.opening = Amount(opening.value ?? 0, unit)
        self.lines = lines
        self.closing = Amount(running, unit)
    }

    /// The statement as CSV (RFC 4180), headers in the reader's language, figures in the
    /// unit's plain form ("-12.50", "2:05"), times in UTC (ISO 8601), or, given a `zone`, in
    /// that zone's civil time ("2026-12-16 18:30:00"), the zone named in the header: "Date
    /// (Europe/Paris)", for people reading it in a spreadsheet. `name` gives the counterparty's
    /// name as the reader may see it (by default, its short id).
    public func csv(_ language: Language, zone: LocalZone? = nil, name: (AccountID) -> String = { String($0.description.prefix(8)) }) -> String {
        let t = { (fr: String, en: String) in Localized(fr: fr, en: en)(language) }
        let iso = CSVTime(zone: zone)
        var rows: [[CSV.Field]] = [[
            .text(t("Date", "Date") + (zone.map { " (\($0.identifier))" } ?? "")), .text(t("Référence", "Reference")), .text(t("Libellé", "Memo")),
            .text(t("Contrepartie", "Counterparty")), .text(t("Débit", "Debit")),
            .text(t("Crédit", "Credit")), .text(t("Solde", "Balance") + " (\(unit.code))"),
        ]]
        rows.append([.text(iso.format(period.lowerBound)), .text(""), .text(t("Solde d’ouverture", "Opening balance")),
                     .text(""), .text(""), .text(""), .figure(opening.plain)])
        for line in lines {
            let paid = line.change.isNegative ? Amount(-line.change.minorUnits, unit).plain : ""
            let received = line.change.isPositive ? line.change.plain : ""
            rows.append([.text(iso.format(line.time)), .text(line.transfer.description), .text(line.memo),
                         .text(name(line.counterparty)), .figure(paid), .figure(received), .figure(line.balance.plain)])
        }
        rows.append([.text(iso.format(period.upperBound)), .text(""), .text(t("Solde de clôture", "Closing balance")),
                     .text(""), .text(""), .text(""), .figure(closing.plain)])
        return CSV.render(rows)
    }
}

extension Ledger {
    public func statement(for id: AccountID, period: Range<Date>) throws(DomainError) -> Statement {
        try Statement(account: id, unit: try account(id).unit, period: period, transfers: journal)
    }
}

/// How an export writes its times: ISO 8601 in UTC, or a zone's civil time.
struct CSVTime {
    let zone: LocalZone?
    private let local: DateFormatter?

    init(zone: LocalZone?) {
        self.zone = zone
        local = zone.map { zone in
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = zone.timeZone
            formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
            return formatter
        }
    }

    func format(_ date: Date) -> String { local?.string(from: date) ?? date.formatted(Date.ISO8601FormatStyle()) }
}
