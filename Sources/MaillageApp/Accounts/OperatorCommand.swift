import Vapor

/// `maillage operators add EMAIL`, `remove EMAIL`, `list`: the only way to grant the role, so
/// only someone with a shell on the server can.
struct OperatorCommands: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] {
        ["add": ChangeOperatorCommand(granting: true), "remove": ChangeOperatorCommand(granting: false), "list": ListOperatorsCommand()]
    }
    var help: String { "Instance operators: add EMAIL, remove EMAIL, list." }
}

struct ChangeOperatorCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "email", help: "The address of an existing account") var email: String
    }
    let granting: Bool
    var help: String { granting ? "Make the account with this address an operator of the instance." : "Take the operator role back." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let db = context.application.db
        try await DatabaseSetup.migrate(context.application)
        let email = signature.email
        let change = granting ? try await Operators.grant(email: email, on: db) : try await Operators.revoke(email: email, on: db)
        switch (granting, change) {
        case (_, .noSuchAccount): throw CommandLineProblem("No account has the address \(email): the person signs up first.")
        case (true, .done): context.console.print("\(email) is now an operator of this instance.")
        case (true, .already): context.console.print("\(email) was already an operator.")
        case (false, .done): context.console.print("\(email) is no longer an operator.")
        case (false, .already): context.console.print("\(email) was not an operator.")
        }
    }
}

struct ListOperatorsCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "List the instance's operators." }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await DatabaseSetup.migrate(context.application)
        let operators = try await Operators.list(on: context.application.db)
        if operators.isEmpty { context.console.print("No operator yet: `maillage operators add EMAIL` makes one.") }
        for person in operators {
            context.console.print("\(person.email)  \(person.display_name)  since \(DateText.short(person.granted_at, .en))")
        }
    }
}
