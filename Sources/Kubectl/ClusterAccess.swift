import ArgumentParser
import ClusterModel

/// The kubeconfig a session answers `kubectl config` with: the one `svclab serve` writes with
/// its defaults (context, cluster and user `kind-svclab`, as kind names them; the server on
/// 127.0.0.1:6443 without TLS), with the session's namespace in the context once it is set.
/// Texts: kubectl 1.33 (`kubectl.1.33 config …` against that file).
enum SessionKubeconfig {
    static let name = "kind-svclab"
    static let server = "http://127.0.0.1:6443"

    static func yaml(namespace: String?) -> String {
        """
        apiVersion: v1
        clusters:
        - cluster:
            server: \(server)
          name: \(name)
        contexts:
        - context:
            cluster: \(name)
        \(namespace.map { "    namespace: \($0)\n" } ?? "")    user: \(name)
          name: \(name)
        current-context: \(name)
        kind: Config
        preferences: {}
        users:
        - name: \(name)
          user: {}

        """
    }
}

/// `kubectl config`: current-context, get-contexts, get-clusters, get-users, use-context,
/// `set-context --current --namespace=NS` (the session's namespace, as kubectl's context
/// namespace is) and view. Editing clusters and users is refused plainly: a session has one.
struct ConfigCommand: KubectlCommand {
    static let configuration = CommandConfiguration(commandName: "config", abstract: "Modify kubeconfig files")
    @OptionGroup var global: GlobalOptions
    @Option(name: [.customShort("o", allowingJoined: true), .customLong("output")]) var output: String?
    @Flag(name: .customLong("current")) var current = false
    @Flag(name: .customLong("minify")) var minify = false
    @Flag(name: .customLong("no-headers")) var noHeaders = false
    @Argument(parsing: .allUnrecognized) var args: [String] = []
    var positionals: [String] { args }
    var rawArguments: [String] { get { args } set { args = newValue } }

    static let help = """
    Modify kubeconfig files using subcommands like "kubectl config set current-context my-context".

     The loading order follows these rules:

      1.  If the --kubeconfig flag is set, then only that file is loaded. The flag may only be set once and no merging takes place.
      2.  If $KUBECONFIG environment variable is set, then it is used as a list of paths (normal path delimiting rules for your system). These paths are merged. When a value is modified, it is modified in the file that defines the stanza. When a value is created, it is created in the first file that exists. If no files in the chain exist, then it creates the last file in the list.
      3.  Otherwise, ${HOME}/.kube/config is used and no merging takes place.

    Available Commands:
      current-context   Display the current-context
      delete-cluster    Delete the specified cluster from the kubeconfig
      delete-context    Delete the specified context from the kubeconfig
      delete-user       Delete the specified user from the kubeconfig
      get-clusters      Display clusters defined in the kubeconfig
      get-contexts      Describe one or many contexts
      get-users         Display users defined in the kubeconfig
      rename-context    Rename a context from the kubeconfig file
      set               Set an individual value in a kubeconfig file
      set-cluster       Set a cluster entry in kubeconfig
      set-context       Set a context entry in kubeconfig
      set-credentials   Set a user entry in kubeconfig
      unset             Unset an individual value in a kubeconfig file
      use-context       Set the current-context in a kubeconfig file
      view              Display merged kubeconfig settings or a specified kubeconfig file

    Usage:
      kubectl config SUBCOMMAND [options]

    Use "kubectl config <command> --help" for more information about a given command.
    Use "kubectl options" for a list of global command-line options (applies to all commands).
    """

    static let subcommands: Set<String> = ["current-context", "delete-cluster", "delete-context", "delete-user", "get-clusters", "get-contexts",
                                           "get-users", "rename-context", "set", "set-cluster", "set-context", "set-credentials", "unset", "use-context", "view"]

    func execute(_ ctx: KubectlContext) -> CommandOutput {
        var out = CommandOutput()
        let session = ctx.session
        let name = SessionKubeconfig.name
        guard let sub = args.first else {
            out.outRaw(Self.help + "\n")
            out.exitCode = 1
            return out
        }
        let rest = Array(args.dropFirst())
        guard Self.subcommands.contains(sub) else {
            out.fail("error: unknown command \(goQuote(args.joined(separator: " ")))\nSee 'kubectl config -h' for help and examples")
            return out
        }
        switch sub {
        case "current-context":
            out.out(name)
        case "get-contexts":
            if output == "name" { out.out(name); return out }
            if let output { out.fail("error: output must be one of '' or 'name': \(output)"); return out }
            let wanted = rest.isEmpty || rest.contains(name)
            if !noHeaders { out.out(wanted ? "CURRENT   NAME          CLUSTER       AUTHINFO      NAMESPACE" : "CURRENT   NAME   CLUSTER   AUTHINFO   NAMESPACE") }
            if wanted { out.out("*         \(name)   \(name)   \(name)   \(session.contextNamespace ?? "")") }
            for missing in rest where missing != name { out.fail("error: context \(missing) not found") }
        case "get-clusters", "get-users":
            out.out("NAME")
            out.out(name)
        case "use-context":
            guard let wanted = rest.first else {
                out.fail("error: Unexpected args: []\nSee 'kubectl config use-context -h' for help and examples")
                return out
            }
            guard wanted == name else { out.fail("error: no context exists with the name: \(goQuote(wanted))"); return out }
            out.out("Switched to context \(goQuote(name)).")
        case "set-context":
            guard current || rest.first == name else {
                out.fail("error: svclab does not model kubeconfig contexts other than \(goQuote(name)) yet (kubectl config set-context --current --namespace=NS works)")
                return out
            }
            if let namespace = global.namespace {
                session.contextNamespace = namespace
                session.namespace = namespace.isEmpty ? "default" : namespace
            }
            out.out("Context \(goQuote(name)) modified.")
        case "view":
            let yaml = SessionKubeconfig.yaml(namespace: session.contextNamespace.flatMap { $0.isEmpty ? nil : $0 })
            if let output, output.hasPrefix("jsonpath=") {
                // `-o jsonpath='{.contexts[0].context.namespace}'`: the template over the same document.
                let template = String(output.dropFirst("jsonpath=".count))
                guard let document = try? ValueLoader.documents(from: yaml).first else { return out }
                let path: JSONPath
                do { path = try JSONPath(template) } catch {
                    out.fail("error: error parsing jsonpath \(template), \(error.message)")
                    return out
                }
                do { out.outRaw(try path.execute(document)) } catch {
                    out.fail("error: error executing jsonpath \(goQuote(template)): \(error.message)")
                }
                return out
            }
            if let output, !output.isEmpty, output != "yaml" {
                out.fail("error: svclab does not model \"kubectl config view -o \(output)\" yet (yaml and jsonpath are)")
                return out
            }
            out.outRaw(yaml)
        default:
            out.fail("error: svclab does not model \"kubectl config \(sub)\" yet: a session has one cluster, user and context (\(name))")
        }
        return out
    }
}

/// `kubectl cluster-info`: the control plane's address (the session's kubeconfig server) and
/// each kube-system Service labelled `kubernetes.io/cluster-service=true`, named by its
/// `kubernetes.io/name` label, through the API server's proxy (kubectl's clusterinfo.go).
struct ClusterInfoCommand: KubectlCommand {
    static let configuration = CommandConfiguration(commandName: "cluster-info", abstract: "Display cluster information")
    @OptionGroup var global: GlobalOptions
    @Argument(parsing: .allUnrecognized) var args: [String] = []
    var positionals: [String] { args }
    var rawArguments: [String] { get { args } set { args = newValue } }

    func execute(_ ctx: KubectlContext) -> CommandOutput {
        var out = CommandOutput()
        if args.first == "dump" {
            out.fail("error: svclab does not model \"kubectl cluster-info dump\" yet")
            return out
        }
        let server = SessionKubeconfig.server
        out.out("Kubernetes control plane is running at \(server)")
        for svc in ctx.cluster.services.list(namespace: "kube-system") where svc.metadata.labels["kubernetes.io/cluster-service"] == "true" {
            let shown = svc.metadata.labels["kubernetes.io/name"] ?? svc.metadata.name
            if let ip = svc.loadBalancerIngress.first?.ip {
                for p in svc.spec.ports { out.out("\(shown) is running at http://\(ip):\(p.port)") }
                continue
            }
            var target = svc.metadata.name
            if let port = svc.spec.ports.first { target += ":" + (port.name.isEmpty ? String(port.port) : port.name) }
            out.out("\(shown) is running at \(server)/api/v1/namespaces/kube-system/services/\(target)/proxy")
        }
        out.out("")
        out.out("To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.")
        return out
    }
}

/// `kubectl top`: the cluster has no metrics-server (as a fresh kind cluster), so kubectl finds
/// no metrics.k8s.io API and says so (top_pod.go / top_node.go).
struct TopCommand: KubectlCommand {
    static let configuration = CommandConfiguration(commandName: "top", abstract: "Display resource (CPU/memory) usage")
    @OptionGroup var global: GlobalOptions
    @Argument(parsing: .allUnrecognized) var args: [String] = []
    var positionals: [String] { args }
    var rawArguments: [String] { get { args } set { args = newValue } }

    static let help = """
    Display resource (CPU/memory) usage.

     The top command allows you to see the resource consumption for nodes or pods.

     This command requires Metrics Server to be correctly configured and working on the server.

    Available Commands:
      node          Display resource (CPU/memory) usage of nodes
      pod           Display resource (CPU/memory) usage of pods

    Usage:
      kubectl top [flags] [options]

    Use "kubectl top <command> --help" for more information about a given command.
    Use "kubectl options" for a list of global command-line options (applies to all commands).
    """

    func execute(_ ctx: KubectlContext) -> CommandOutput {
        var out = CommandOutput()
        guard let sub = args.first else {
            out.outRaw(Self.help + "\n")
            out.exitCode = 1
            return out
        }
        guard ["pod", "pods", "po", "node", "nodes", "no"].contains(sub) else {
            out.fail("error: unknown command \(goQuote(args.joined(separator: " ")))\nSee 'kubectl top -h' for help and examples")
            return out
        }
        out.fail("error: Metrics API not available")
        return out
    }
}
