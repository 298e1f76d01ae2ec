import Fluent

/// Writes that wait to be written together: the queue behind group commit (`WriteGroups` for
/// checkouts and other short writes, `PostingGroups` for the ledger). Nothing waits on a timer: a
/// lone item is written at once; while a group is being written (the `await`) the actor is free,
/// so what arrives meanwhile forms the next group. Each item gets its own outcome.
actor GroupQueue<Item: Sendable> {
    typealias Write = @Sendable ([Item], any Database) async -> [Result<Void, any Error>]

    private struct Waiting {
        var item: Item
        var done: CheckedContinuation<Result<Void, any Error>, Never>
    }

    /// Most items in one group: enough to amortise the commit, few enough that a group's locks
    /// and latency stay short.
    let limit: Int
    /// Groups written at once: one on SQLite (one writer anyway).
    let writers: Int
    private let write: Write
    /// Where groups are written when the database is a SQLite file (`WriterLane`); else on the
    /// connection of whoever started the writer.
    let lane: WriterLane?
    private var waiting: [Waiting] = []
    private var writing = 0
    /// Groups written so far and the items they held, to see how much grouping happened.
    private(set) var written = (groups: 0, members: 0)

    init(limit: Int, writers: Int = 1, lane: WriterLane? = nil, write: @escaping Write) {
        self.limit = max(1, limit)
        self.writers = max(1, writers)
        self.lane = lane
        self.write = write
    }

    func submit(_ item: Item, on db: any Database) async -> Result<Void, any Error> {
        await withCheckedContinuation { done in
            waiting.append(Waiting(item: item, done: done))
            guard writing < writers else { return }
            writing += 1
            let target = lane?.database(logger: db.logger) ?? db
            let executor = lane?.executor
            Task(executorPreference: executor) { await LoopExecutor.$current.withValue(executor) { await self.drain(on: target) } }
        }
    }

    private func drain(on db: any Database) async {
        while !waiting.isEmpty {
            let group = Array(waiting.prefix(limit))
            waiting.removeFirst(group.count)
            written.groups += 1
            written.members += group.count
            let results = await write(group.map(\.item), db)
            for (member, result) in zip(group, results) { member.done.resume(returning: result) }
        }
        writing -= 1
    }
}
