import Testing
@testable import Kubectl

struct CompletionTests {
    @Test func wordsCommandsTypesNamesAndFlags() {
        let s = Session.demo()
        #expect(s.completions(forLine: "ku", word: "ku") == ["kubectl"])
        #expect(s.completions(forLine: "kubectl ro", word: "ro") == ["rollout"])
        #expect(s.completions(forLine: "kubectl rollout st", word: "st") == ["status"])
        #expect(s.completions(forLine: "kubectl get deploy", word: "deploy") == ["deploy", "deployments"])
        #expect(s.completions(forLine: "kubectl get svc ", word: "") == ["kubernetes", "my-app"])
        #expect(s.completions(forLine: "kubectl describe deployment/m", word: "deployment/m") == ["deployment/my-app"])
        #expect(s.completions(forLine: "kubectl get pods --sh", word: "--sh") == ["--show-labels", "--show-managed-fields"])
        #expect(s.completions(forLine: "kubectl scale deploy my-app --re", word: "--re") == ["--replicas", "--request-timeout"])
        #expect(s.completions(forLine: "kubectl get pods -n ", word: "") == ["cache", "database", "default", "kube-node-lease", "kube-public", "kube-system", "local-path-storage"])
        #expect(s.completions(forLine: "kubectl get nope ", word: "").isEmpty)
        #expect(s.completions(forLine: "helm ", word: "").isEmpty)
    }
}

/// kubectl's help wording lives in the command table; which flags exist comes from the
/// ArgumentParser declarations. Every option the help prints must be one the parser declares,
/// with the same short and long names, so help never offers a flag the command refuses.
struct CommandTableTests {
    @Test func everyOptionInTheHelpIsDeclaredByTheParser() {
        for entry in CommandTable.entries {
            let declared = CommandDeclarations.byCommand[entry.name] ?? []
            #expect(!declared.isEmpty, "\(entry.name): the parser's declarations were read")
            for option in entry.options {
                let names = option.flags.components(separatedBy: ", ")
                #expect(declared.contains { Set($0.names) == Set(names) || Set(names).isSubset(of: $0.names) },
                        "kubectl \(entry.name) --help prints \(option.flags), which the parser does not declare")
                // A flag's default prints false; an option's prints its value.
                if let d = declared.first(where: { Set(names).isSubset(of: $0.names) }), d.isFlag {
                    #expect(option.value == "false" || option.value == "true", "\(entry.name) \(option.flags) is a flag: its default is a boolean")
                }
            }
            // The global namespace option is every command's.
            #expect(declared.contains { $0.names == ["-n", "--namespace"] }, "\(entry.name)")
        }
    }
}
