/// When a periodic job is due. Time is cut into slots of `interval` seconds since the epoch;
/// a job runs at most once per slot, which the database enforces with a unique (job, slot) key.
public struct JobSchedule: Sendable, Hashable {
    public let interval: Int64

    public init(everySeconds interval: Int64) {
        precondition(interval > 0, "a job interval is positive")
        self.interval = interval
    }

    /// The slot a moment falls in.
    public func slot(atUnix seconds: Int64) -> Int64 {
        // Floor division, correct for times before 1970 too.
        seconds >= 0 ? seconds / interval : (seconds - interval + 1) / interval
    }

    /// When the slot after the one holding `seconds` starts.
    public func nextSlotStart(afterUnix seconds: Int64) -> Int64 {
        (slot(atUnix: seconds) + 1) * interval
    }
}
