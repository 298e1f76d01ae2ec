/// A command-line mistake, said to the person who typed the command (no stack trace).
struct CommandLineProblem: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
