/// The longest free texts people type, in characters: one set, so a reason, a note or a
/// description is bounded the same way on every page and in the API.
public enum TextLimits {
    /// A person's or a farm's name.
    public static let name = 80
    /// The title of a vote, an item, an offer.
    public static let title = 200
    /// A reason given with a block, a claim note, a message.
    public static let reason = 1_000
    /// The board's statement on a decision.
    public static let statement = 5_000
    /// The text of a proposal, a description.
    public static let body = 10_000
}
