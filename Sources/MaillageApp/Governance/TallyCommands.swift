import Foundation
import MaillageCore
import Vapor

/// `maillage tally --method schulze votes.json`: anyone can recount a closed vote offline
/// with the very code the platform ran at close.
struct TallyCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "method", short: "m", help: "majority-judgment, schulze, approval, single-choice, consent or meeting-time")
        var method: String?
        @Argument(name: "file", help: "The ballot file (JSON, as the platform exports it); - reads standard input")
        var file: String
    }

    var help: String { "Recounts a ballot file and prints the result as JSON." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let method = signature.method else {
            throw CommandLineProblem("--method is required: \(TallyMethod.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let data: Data
        if signature.file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let read = FileManager.default.contents(atPath: signature.file) else {
                throw CommandLineProblem("cannot read \(signature.file)")
            }
            data = read
        }
        do {
            let result = try Tally.run(method: method, json: data)
            FileHandle.standardOutput.write(result + Data("\n".utf8))
        } catch {
            throw CommandLineProblem("\(error.field.map { "\($0): " } ?? "")\(error.message.en)")
        }
    }
}

/// `maillage tally-benchmark`: times majority judgment and Schulze on random ballots.
struct TallyBenchmarkCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "ballots", help: "Number of ballots (default 100000)") var ballots: Int?
        @Option(name: "options", help: "Number of options (default 10)") var options: Int?
    }

    var help: String { "Times the tally of majority judgment and Schulze over many random ballots." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let ballots = signature.ballots ?? 100_000, options = signature.options ?? 10
        context.console.print("Counting \(ballots) random ballots × \(options) options…")
        let figures = TallyBenchmark.run(ballots: ballots, options: options, seed: 2026)
        context.console.print(figures.description)
    }
}
