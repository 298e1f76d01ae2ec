import MaillageCore
import Plot
import Vapor

/// What an action says it did, shown once on the page it leads to (POST → 303 → GET): kept in
/// the session between the two requests.
extension Request {
    private static let flashKey = "flash"

    func flash(_ message: Localized) {
        session.data[Self.flashKey] = message.fr + "\u{1F}" + message.en
    }

    /// The waiting notice in the reader's language, removed as it is read.
    func takeFlash() -> String? {
        guard hasSession, let stored = session.data[Self.flashKey] else { return nil }
        session.data[Self.flashKey] = nil
        let parts = stored.split(separator: "\u{1F}", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        return language == .en && parts.count == 2 ? parts[1] : parts[0]
    }

    /// After a form that changed something: 303 to `path`, where `done` is shown.
    func done(_ done: Localized, goTo path: String) -> Response {
        flash(done)
        return redirect(to: path, redirectType: .normal)
    }
}
