import Plot

extension Node {
    /// `node` only when `condition` holds, built only then. Plot's `.if` takes its node already
    /// built: a form built that way asks for a CSRF token even when it is not shown, which opens
    /// a session — a cookie, and a database write — for an anonymous visitor who only looks.
    static func when(_ condition: Bool, _ node: @autoclosure () -> Node) -> Node {
        condition ? node() : .empty
    }
}
