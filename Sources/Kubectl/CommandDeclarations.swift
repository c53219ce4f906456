import ArgumentParser
import Foundation

/// What swift-argument-parser declares for each kubectl command: its options and flags, read
/// from the parser's own description of the command (the ToolInfo JSON that
/// `--experimental-dump-help` prints), not written a second time. Completion offers exactly
/// these; the help table's kubectl wording is checked against them (CommandTableTests).
enum CommandDeclarations {
    struct Declared: Equatable {
        /// As typed: `-n`, `--namespace`.
        var names: [String]
        /// A flag takes no value; an option does.
        var isFlag: Bool
        /// Hidden declarations (`.hidden` help) are accepted but not offered.
        var shown: Bool
    }

    /// Each command's declarations, by command name (built once, on first use).
    static let byCommand: [String: [Declared]] = Dictionary(uniqueKeysWithValues: CommandTable.entries.map { ($0.name, parse($0.type)) })

    /// The long names a command accepts and shows (what Tab completes after `--`).
    static func longNames(_ command: String) -> [String] {
        (byCommand[command] ?? []).filter(\.shown).flatMap(\.names).filter { $0.hasPrefix("--") }
    }

    private struct ToolInfo: Decodable {
        struct Command: Decodable { var arguments: [Argument]? }
        struct Argument: Decodable {
            struct Name: Decodable { var kind: String; var name: String }
            var kind: String
            var names: [Name]?
            var shouldDisplay: Bool
        }
        var command: Command
    }

    private static func parse(_ type: any KubectlCommand.Type) -> [Declared] {
        let json: String
        do {
            _ = try type.parseAsRoot(["--experimental-dump-help"])
            return []
        } catch {
            json = type.fullMessage(for: error)
        }
        guard let info = try? JSONDecoder().decode(ToolInfo.self, from: Data(json.utf8)) else { return [] }
        return (info.command.arguments ?? []).filter { $0.kind != "positional" }.map { argument in
            Declared(names: (argument.names ?? []).map { ($0.kind == "long" ? "--" : "-") + $0.name },
                     isFlag: argument.kind == "flag", shown: argument.shouldDisplay)
        }
    }
}
