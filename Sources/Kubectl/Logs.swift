import ArgumentParser
import ClusterEngine
import ClusterModel

/// `kubectl logs [-f] [-p] (POD | TYPE/NAME | -l SELECTOR) [-c CONTAINER]`: what the
/// container wrote (the engine's container logs: the image's start-up lines, nginx's access
/// log — which pod answered —, the output of a command that ran). kubectl's texts
/// (pkg/cmd/logs/logs.go, polymorphichelpers.logsForObject).
struct LogsCommand: KubectlCommand {
    static let configuration = CommandConfiguration(commandName: "logs", abstract: "Print the logs for a container in a pod.")
    @OptionGroup var global: GlobalOptions
    @Option(name: [.customShort("c", allowingJoined: true), .customLong("container")]) var container: String?
    @Option(name: [.customShort("l", allowingJoined: true), .customLong("selector")]) var selector: String?
    @Flag(name: [.customShort("f"), .customLong("follow")]) var follow = false
    @Flag(name: [.customShort("p"), .customLong("previous")]) var previous = false
    @Flag(name: .customLong("timestamps")) var timestamps = false
    @Flag(name: .customLong("prefix")) var prefix = false
    @Flag(name: .customLong("all-containers")) var allContainers = false
    @Option(name: .customLong("tail")) var tail: Int = -1
    @Option(name: .customLong("max-log-requests")) var maxLogRequests: Int = 5
    @Argument(parsing: .allUnrecognized) var args: [String] = []
    var positionals: [String] { args }
    var rawArguments: [String] { get { args } set { args = newValue } }

    func execute(_ ctx: KubectlContext) -> CommandOutput {
        var out = CommandOutput()
        let see = "\nSee 'kubectl logs -h' for help and examples"
        if selector != nil && !args.isEmpty {
            out.fail("error: only one of selector or resource name can be specified" + see); return out
        }
        guard selector != nil || !args.isEmpty else {
            out.fail("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command" + see)
            return out
        }
        if args.count > 2 { out.fail("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command" + see); return out }
        var container = self.container
        if args.count == 2 {
            if container != nil { out.fail("error: only one of -c or an inline [CONTAINER] arg is allowed" + see); return out }
            container = args[1]
        }

        // Which pods: one (POD, TYPE/NAME) or every match of -l (then --tail defaults to 10).
        var pods: [Pod] = []
        var tailLines = tail
        if let selector {
            switch TargetSet.resolve(["pods"], selector: selector, all: false, ctx: ctx) {
            case let .failure(f): out.fail(f.message); return out
            case let .success(set):
                pods = set.items.compactMap { ctx.cluster.pods.get($0.namespace, $0.name) }
            }
            if tail == -1 { tailLines = 10 }
            if pods.isEmpty { out.err("No resources found in \(ctx.namespace) namespace."); return out }
            if pods.count > maxLogRequests && follow {
                out.fail("error: you are attempting to follow \(pods.count) log streams, but maximum allowed concurrency is \(maxLogRequests), use --max-log-requests to increase the limit")
                return out
            }
        } else {
            let target = args[0]
            if !target.contains("/"), ctx.cluster.pods.get(ctx.namespace, target) == nil {
                out.fail("error: error from server (NotFound): pods \(goQuote(target)) not found in namespace \(goQuote(ctx.namespace))")
                return out
            }
            switch PodPicker.pick(target, ctx: ctx) {
            case let .failure(f): out.fail(f.message); return out
            case let .success(p):
                if target.contains("/"), !target.lowercased().hasPrefix("pod/") && !target.lowercased().hasPrefix("pods/") && !target.lowercased().hasPrefix("po/") {
                    let type = ResourceType.resolve(String(target.split(separator: "/")[0]))
                    let selector: [String: String]? = switch type?.kind {
                    case "Deployment": ctx.cluster.deployments.get(ctx.namespace, String(target.split(separator: "/")[1]))?.spec.selector?.matchLabels
                    case "ReplicaSet": ctx.cluster.replicaSets.get(ctx.namespace, String(target.split(separator: "/")[1]))?.spec.selector?.matchLabels
                    case "Service": ctx.cluster.services.get(ctx.namespace, String(target.split(separator: "/")[1]))?.spec.selector
                    default: nil
                    }
                    let count = selector.map { sel in ctx.cluster.pods.list(namespace: ctx.namespace).filter { pod in sel.allSatisfy { pod.metadata.labels[$0.key] == $0.value } }.count } ?? 1
                    if count > 1 { out.err("Found \(count) pods, using pod/\(p.metadata.name)") }
                }
                pods = [p]
            }
        }

        let multi = pods.count > 1 || allContainers
        for pod in pods {
            let containers: [Container]
            if allContainers {
                containers = pod.spec.containers
            } else {
                if let container, !pod.spec.containers.contains(where: { $0.name == container }) {
                    out.fail("error: container \(container) is not valid for pod \(pod.metadata.name)"); return out
                }
                switch PodPicker.container(pod, named: container, quiet: selector != nil) {
                case let .failure(f): out.fail(f.message); return out
                case let .success((c, notice)):
                    if let notice { out.err(notice) }
                    containers = [c]
                }
            }
            for c in containers {
                switch ctx.cluster.containerLog(namespace: pod.metadata.namespace, pod: pod.metadata.name, container: c.name, previous: previous) {
                case let .failure(.badRequest(message)):
                    out.fail("Error from server (BadRequest): \(message)")
                    if !multi { return out }
                case let .failure(.notFound(message)):
                    out.fail("error: error from server (NotFound): \(message) in namespace \(goQuote(pod.metadata.namespace))"); return out
                case var .success(lines):
                    if tailLines >= 0 { lines = Array(lines.suffix(tailLines)) }
                    let tag = prefix ? "[pod/\(pod.metadata.name)/\(c.name)] " : ""
                    for line in lines { out.out(tag + (timestamps ? Timestamps.rfc3339Nano(line.time) + " " : "") + line.text) }
                }
            }
        }
        // -f: a container whose command ends is followed to its end on the virtual clock; a
        // server runs until stopped, and the shell cannot wait for that, so it stops here.
        if follow, pods.count == 1, let pod = pods.first, let name = container ?? pod.spec.containers.first?.name,
           ctx.cluster.followLog(namespace: pod.metadata.namespace, pod: pod.metadata.name, container: name, after: .max)?.running == true {
            var cursor = ctx.cluster.followLog(namespace: pod.metadata.namespace, pod: pod.metadata.name, container: name, after: .max)?.next ?? 0
            _ = ClockDriver(ctx: ctx).run(limit: 60_000) {
                guard let step = ctx.cluster.followLog(namespace: pod.metadata.namespace, pod: pod.metadata.name, container: name, after: cursor) else { return true }
                cursor = step.next
                for line in step.lines { out.out(line.text) }
                return !step.running || ctx.session.live == nil && !ctx.cluster.hasPendingExit(namespace: pod.metadata.namespace, pod: pod.metadata.name)
            }
        }
        return out
    }
}
