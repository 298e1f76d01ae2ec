import Foundation

/// When digests are cut: once a day at a local hour (7:00 in Paris by default), or — for a walk
/// that cannot wait a day — every `period` seconds. A digest lists what came before its cut and
/// was not in an earlier one; each person gets at most one digest per cut.
public struct DigestSchedule: Sendable, Hashable {
    public var zone: LocalZone
    public var hour: Int
    public var minute: Int
    /// Seconds between cuts instead of one a day; nil for the daily cut.
    public var period: Int64?

    public init(zone: LocalZone = .paris, hour: Int = 7, minute: Int = 0, period: Int64? = nil) {
        self.zone = zone
        self.hour = hour
        self.minute = minute
        self.period = period
    }

    public static let daily = DigestSchedule()

    /// The latest cut at or before `now`.
    public func cut(at now: Date) -> Date {
        if let period, period > 0 {
            let seconds = Int64(now.timeIntervalSince1970.rounded(.down))
            return Date(timeIntervalSince1970: TimeInterval(seconds - ((seconds % period) + period) % period))
        }
        let today = zone.localDate(at: now)
        let todays = zone.instant(on: today, hour: hour, minute: minute)
        if todays <= now { return todays }
        guard let yesterday = today.adding(days: -1) else { return todays }
        return zone.instant(on: yesterday, hour: hour, minute: minute)
    }

    /// How often the job looks for a new cut: a minute for the daily one (the mail leaves within
    /// a minute of 7:00), as often as the period when it is shorter.
    public var checkEverySeconds: Int64 {
        guard let period, period > 0 else { return 60 }
        return max(1, min(60, period))
    }

    /// Notices older than this before a cut are not gathered any more: a person who switches to
    /// the digest gets the news of the last days, not of the whole year.
    public static let lookBack: TimeInterval = 7 * 86_400

    /// Reads `DIGEST_TIME` ("7:00", in the instance's zone) and `DIGEST_PERIOD_SECONDS`; nil with
    /// a reason when either is not understood.
    public static func parse(time: String?, periodSeconds: String?) -> Result<DigestSchedule, DomainError> {
        var schedule = DigestSchedule.daily
        if let time, !time.isEmpty {
            let parts = time.split(separator: ":", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), let hour = Int(parts[0]), (0...23).contains(hour),
                  let minute = parts.count == 2 ? Int(parts[1]) : 0, (0...59).contains(minute) else {
                return .failure(DomainError(.invalid, code: "digest_time", field: "DIGEST_TIME",
                                            fr: "DIGEST_TIME est une heure (« 7:00 »).", en: "DIGEST_TIME is a time of day (“7:00”)."))
            }
            (schedule.hour, schedule.minute) = (hour, minute)
        }
        if let periodSeconds, !periodSeconds.isEmpty {
            guard let period = Int64(periodSeconds), period > 0 else {
                return .failure(DomainError(.invalid, code: "digest_period", field: "DIGEST_PERIOD_SECONDS",
                                            fr: "DIGEST_PERIOD_SECONDS est un nombre de secondes, plus que 0.",
                                            en: "DIGEST_PERIOD_SECONDS is a number of seconds, more than 0."))
            }
            schedule.period = period
        }
        return .success(schedule)
    }
}
