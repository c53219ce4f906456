import ArgumentParser
import ClusterEngine
import ClusterModel

/// `kubectl exec [-it] [-c C] POD|TYPE/NAME -- CMD…` (kubectl-output §6.2).
struct ExecCommand: KubectlCommand {
    static let configuration = CommandConfiguration(commandName: "exec", abstract: "Execute a command in a container.")
    @OptionGroup var global: GlobalOptions
    @Option(name: [.customShort("c", allowingJoined: true), .customLong("container")]) var container: String?
    @Flag(name: [.customShort("i"), .customLong("stdin")]) var stdin = false
    @Flag(name: [.customShort("t"), .customLong("tty")]) var tty = false
    @Flag(name: [.customShort("q"), .customLong("quiet")]) var quiet = false
    @Argument(parsing: .allUnrecognized) var args: [String] = []
    var positionals: [String] { args }
    var rawArguments: [String] { get { args } set { args = newValue } }

    func execute(_ ctx: KubectlContext) -> CommandOutput {
        var out = CommandOutput()
        guard let target = args.first else {
            // kubectl.1.33 (exec.go Complete): no pod, TYPE/NAME or -f.
            out.fail("error: pod, type/name or --filename must be specified")
            return out
        }
        guard let command = ctx.command else {
            if args.count > 1 {
                out.fail("error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples")
            } else {
                out.fail("error: you must specify at least one command for the container")
            }
            return out
        }
        guard !command.isEmpty else { out.fail("error: you must specify at least one command for the container"); return out }
        let pod: Pod
        switch PodPicker.pick(target, ctx: ctx) {
        case let .failure(f): out.fail(f.message); return out
        case let .success(p): pod = p
        }
        if tty && ctx.session.live == nil {
            out.err("Unable to use a TTY - input is not a terminal or the right kind of file")
        }
        let result: ProcessResult
        switch PodPicker.container(pod, named: container, quiet: quiet) {
        case let .failure(f): out.fail(f.message); return out
        case let .success((c, notice)):
            if let notice { out.err(notice) }
            if let problem = PodPicker.execProblem(pod, container: c) { out.fail(problem); return out }
            result = ContainerShell(cluster: ctx.cluster, pod: pod, container: c, tty: tty && ctx.session.live != nil).run(command)
        }
        out.chunks += result.chunks
        if result.exitCode != 0 {
            out.err("command terminated with exit code \(result.exitCode)")
            out.exitCode = result.exitCode
        }
        return out
    }
}

/// Resolving `POD`, `pod/NAME`, `deploy/NAME`, `svc/NAME` to one pod, as kubectl's
/// AttachablePodForObject does, and the checks before a process can start in it.
enum PodPicker {
    static func pick(_ target: String, ctx: KubectlContext) -> Result<Pod, KubectlFailure> {
        let cluster = ctx.cluster
        let parts = target.split(separator: "/", maxSplits: 1).map(String.init)
        if parts.count == 2 {
            guard let type = ResourceType.resolve(parts[0]) else {
                return .failure(KubectlFailure("error: the server doesn't have a resource type \(goQuote(parts[0]))"))
            }
            var selector: [String: String]?
            switch type.kind {
            case "Pod": return pod(parts[1], ctx: ctx)
            case "Deployment":
                guard let d = cluster.deployments.get(ctx.namespace, parts[1]) else { return .failure(KubectlFailure(type.notFound(parts[1]))) }
                selector = d.spec.selector?.matchLabels
            case "ReplicaSet":
                guard let rs = cluster.replicaSets.get(ctx.namespace, parts[1]) else { return .failure(KubectlFailure(type.notFound(parts[1]))) }
                selector = rs.spec.selector?.matchLabels
            case "Service":
                guard let svc = cluster.services.get(ctx.namespace, parts[1]) else { return .failure(KubectlFailure(type.notFound(parts[1]))) }
                guard svc.spec.hasSelector else {
                    return .failure(KubectlFailure("error: cannot attach to *v1.Service: invalid service '\(svc.metadata.name)': Service is defined without a selector"))
                }
                selector = svc.spec.selector
            default:
                return .failure(KubectlFailure("error: cannot attach to *v1.\(type.kind): selector for *v1.\(type.kind) not implemented"))
            }
            // The first running pod, by kubectl's ActivePods order (ready and older first).
            let candidates = cluster.pods.list(namespace: ctx.namespace).filter { p in
                (selector ?? [:]).allSatisfy { p.metadata.labels[$0.key] == $0.value } && !p.isTerminating && !p.isTerminal
            }.sorted { a, b in
                if a.status.isReady != b.status.isReady { return a.status.isReady }
                return (a.metadata.creationTimestamp ?? 0, a.metadata.name) < (b.metadata.creationTimestamp ?? 0, b.metadata.name)
            }
            guard let first = candidates.first else { return .failure(KubectlFailure("error: timed out waiting for the condition")) }
            return .success(first)
        }
        return pod(target, ctx: ctx)
    }

    static func pod(_ name: String, ctx: KubectlContext) -> Result<Pod, KubectlFailure> {
        guard let p = ctx.cluster.pods.get(ctx.namespace, name) else {
            return .failure(KubectlFailure(ResourceType.pod.notFound(name)))
        }
        return .success(p)
    }

    static func container(_ pod: Pod, named: String?, quiet: Bool) -> Result<(Container, String?), KubectlFailure> {
        if let named {
            guard let c = pod.spec.containers.first(where: { $0.name == named }) else {
                return .failure(KubectlFailure("Error from server (BadRequest): container \(named) is not valid for pod \(pod.metadata.name)"))
            }
            return .success((c, nil))
        }
        guard let first = pod.spec.containers.first else { return .failure(KubectlFailure("error: pod \(pod.metadata.name) has no containers")) }
        let notice = pod.spec.containers.count > 1 && !quiet
            ? "Defaulted container \(goQuote(first.name)) out of: \(pod.spec.containers.map(\.name).joined(separator: ", "))" : nil
        return .success((first, notice))
    }

    static func execProblem(_ pod: Pod, container: Container) -> String? {
        if pod.isTerminal {
            return "error: cannot exec into a container in a completed pod; current phase is \(pod.status.phase)"
        }
        if pod.spec.nodeName.isEmpty {
            return "Error from server (BadRequest): pod \(pod.metadata.name) does not have a host assigned"
        }
        let running = pod.status.containerStatuses.first { $0.name == container.name }.map { s -> Bool in
            if case .running = s.state { return true }; return false
        } ?? false
        if !running { return "error: unable to upgrade connection: container not found (\(goQuote(container.name)))" }
        return nil
    }
}

/// `kubectl run NAME --image=IMG [--rm] [-i] [-t] [--restart=…] [--port] [--expose] [-l] [--env] [--command] -- ARGS…`
/// (kubectl-output §6.1). Attached runs wait for the pod (virtual clock), run its command
/// through the container tools, print the output, and with `--rm` delete the pod.
struct RunCommand: KubectlCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run a particular image on the cluster.")
    static let requiredFlags = ["image"]
    @OptionGroup var global: GlobalOptions
    @Option(name: .customLong("image")) var image: String = ""
    @Flag(name: .customLong("rm")) var remove = false
    @Flag(name: [.customShort("i"), .customLong("stdin")]) var stdin = false
    @Flag(name: [.customShort("t"), .customLong("tty")]) var tty = false
    @Flag(name: [.customShort("q"), .customLong("quiet")]) var quiet = false
    @Flag(name: .customLong("attach")) var attach = false
    @Option(name: .customLong("restart")) var restart: String = "Always"
    @Option(name: .customLong("port")) var port: String?
    @Flag(name: .customLong("expose")) var expose = false
    @Option(name: [.customShort("l", allowingJoined: true), .customLong("labels")]) var labels: String?
    @Option(name: .customLong("env")) var env: [String] = []
    @Flag(name: .customLong("command")) var useCommand = false
    @Option(name: .customLong("pod-running-timeout")) var podRunningTimeout: String?
    @Option(name: .customLong("dry-run")) var dryRunText: String?
    @Option(name: [.customShort("o", allowingJoined: true), .customLong("output")]) var output: String?
    @Argument(parsing: .allUnrecognized) var args: [String] = []
    var positionals: [String] { args }
    var rawArguments: [String] { get { args } set { args = newValue } }

    func execute(_ ctx: KubectlContext) -> CommandOutput {
        var out = CommandOutput()
        let see = "\nSee 'kubectl run -h' for help and examples"
        guard let name = args.first else { out.fail("error: NAME is required for run" + see); return out }
        let attached = stdin || tty || attach
        if tty && stdin && ctx.session.live == nil {
            out.err("Unable to use a TTY - input is not a terminal or the right kind of file")
        }
        if tty && !stdin { out.fail("error: -i/--stdin is required for containers with -t/--tty=true" + see); return out }
        if remove && !attached { out.fail("error: --rm should only be used for attached containers" + see); return out }
        guard ["Always", "OnFailure", "Never"].contains(restart) else {
            out.fail("error: invalid restart policy: \(restart)" + see); return out
        }
        if expose && port == nil { out.fail("error: --port must be set when exposing a service"); return out }

        var pod = Pod()
        pod.metadata.name = name
        pod.metadata.namespace = ctx.namespace
        pod.metadata.labels = ["run": name]
        if let labels {
            pod.metadata.labels = [:]
            for pair in labels.split(separator: ",") {
                let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
                if kv.count == 2 { pod.metadata.labels[kv[0]] = kv[1] }
            }
        }
        var c = Container(name: name, image: image)
        let rest = ctx.command ?? Array(args.dropFirst())
        if !rest.isEmpty { if useCommand { c.command = rest } else { c.args = rest } }
        if let port, let p = Int(port) { c.ports = [ContainerPort(containerPort: p)] }
        c.env = env.compactMap { e in
            let kv = e.split(separator: "=", maxSplits: 1).map(String.init)
            return kv.count == 2 ? EnvVar(name: kv[0], value: kv[1]) : nil
        }
        c.imagePullPolicy = image.hasSuffix(":latest") || !image.contains(":") ? "Always" : "IfNotPresent"
        // The run generator's stdin/stdinOnce/tty (BasicPod.Generate).
        if stdin { c.extra["stdin"] = .bool(true); c.extra["stdinOnce"] = .bool(true) }
        if tty { c.extra["tty"] = .bool(true) }
        pod.spec.containers = [c]
        pod.spec.restartPolicy = restart
        switch DryRun.parse(dryRunText) {
        case let .failure(f): out.fail(f.message); return out
        case .success(.client) where !attached && !expose:
            // What kubectl run builds, as `--dry-run=client -o yaml` prints it.
            GeneratedObject.print(GeneratedObject.pod(name, namespace: ctx.explicitNamespace, labels: pod.metadata.labels, container: c, restart: restart),
                                  prefix: "pod", name: name, output: output, dryRun: .client, into: &out)
            return out
        case .success(.none): break
        case .success where attached:
            out.fail("error: --dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)" + see); return out
        case .success(.server) where !expose && (output ?? "").isEmpty:
            // Everything the server does on create but the write.
            do throws(APIError) {
                _ = try ctx.cluster.checkedCreateForDryRun(.pod(pod))
                out.out("pod/\(name) created (server dry run)")
            } catch { out.fail(error.kubectlMessage()) }
            return out
        case .success:
            out.fail("error: svclab does not model \"kubectl run --dry-run\" with --dry-run=server or --expose yet"); return out
        }

        if expose, let port, let p = Int(port) {
            var svc = Service()
            svc.metadata.name = name
            svc.metadata.namespace = ctx.namespace
            svc.spec.selector = pod.metadata.labels
            svc.spec.ports = [ServicePort(port: p, targetPort: .int(p))]
            do { try ctx.cluster.create(.service(svc)); out.out("service/\(name) created") } catch {
                out.fail(error.kubectlMessage()); return out
            }
        }
        do { try ctx.cluster.create(.pod(pod)) } catch {
            out.fail(error.kubectlMessage()); return out
        }
        guard attached else {
            out.out("pod/\(name) created")
            return out
        }

        // Wait (on the virtual clock) for the pod to run, as kubectl waits for Running and Ready.
        let key = ObjectKey(ctx.namespace, name)
        let limit: Millis
        switch TimeoutFlag.millis(podRunningTimeout, default: 60_000) {
        case let .failure(f): out.fail(f.message); return out
        case let .success(ms): limit = ms
        }
        // handleAttachPod: wait until the pod runs and is ready, or has already completed.
        let driver = ClockDriver(ctx: ctx)
        let outcome = driver.run(limit: limit) {
            guard let p = ctx.cluster.pods.get(key) else { return true }
            return (p.status.phase == .running && p.status.isReady) || p.isTerminal
        }
        out.chunks += driver.output.chunks
        func cleanup() {
            if remove {
                try? ctx.cluster.delete(kind: Pod.kind, namespace: ctx.namespace, name: name, gracePeriodSeconds: 0)
                if !quiet { out.out("pod \(goQuote(name)) deleted") }
            }
        }
        guard outcome == .done, let running = ctx.cluster.pods.get(key) else {
            cleanup()
            out.fail("error: timed out waiting for the condition")
            return out
        }
        let argv = (c.command ?? []) + (c.args ?? [])
        if ContainerRuntime.endsByItself(argv, image: image) {
            // The container's process ran when it started (the kubelet's runtime): attach shows
            // what it writes until it exits; a pod that already finished is read from its log.
            if !running.isTerminal && !quiet { out.err("If you don't see a command prompt, try pressing enter.") }
            if !running.isTerminal {
                _ = ClockDriver(ctx: ctx).run(limit: limit) { !ctx.cluster.containerRunning(namespace: ctx.namespace, pod: name, container: name) }
            }
            if case let .success(lines) = ctx.cluster.containerLog(namespace: ctx.namespace, pod: name, container: name) {
                for line in lines {
                    if line.stderr && !tty { out.err(line.text) } else { out.out(line.text) }
                }
            }
        } else {
            if !quiet { out.err("If you don't see a command prompt, try pressing enter.") }
            if argv.isEmpty {
                if ctx.session.live == nil {
                    out.err("svclab: an interactive shell is not modelled here; give the command after --, e.g. kubectl run tmp --rm -i --image=\(image) -- curl http://my-app")
                }
            } else {
                let interactiveTTY = tty && ctx.session.live != nil
                let result = ContainerShell(cluster: ctx.cluster, pod: running, container: c, tty: interactiveTTY).run(argv)
                out.chunks += result.chunks
            }
            if tty && stdin && restart == "Always" && ctx.session.live != nil && !quiet {
                out.out("Session ended, resume using 'kubectl attach \(name) -c \(name) -i -t' command when the pod is running")
            }
        }
        // With Never/OnFailure kubectl waits for the pod to finish and returns its exit code.
        guard restart != "Always" else { cleanup(); return out }
        let finished = ClockDriver(ctx: ctx).run(limit: limit) {
            guard let p = ctx.cluster.pods.get(key) else { return true }
            return restart == "Never" ? p.isTerminal : p.status.phase == .succeeded
        }
        let final = ctx.cluster.pods.get(key)
        cleanup()
        guard finished == .done, let final else {
            out.fail("error: timed out waiting for the condition")
            return out
        }
        if final.status.phase == .failed {
            if case let .terminated(reason, code, _, _)? = final.status.containerStatuses.first?.state, code != 0 {
                out.err("pod \(ctx.namespace)/\(name) terminated (\(reason))")
                out.exitCode = Int32(truncatingIfNeeded: code)
            } else {
                out.fail("error: pod \(ctx.namespace)/\(name) failed with unknown exit code")
            }
        }
        return out
    }
}

/// `kubectl port-forward TYPE/NAME [LOCAL:]REMOTE…` (kubectl-output §6.3): it picks one pod and
/// forwards to it — no load balancing, which is the point a lab can show.
struct PortForwardCommand: KubectlCommand {
    static let configuration = CommandConfiguration(commandName: "port-forward", abstract: "Forward one or more local ports to a pod.")
    @OptionGroup var global: GlobalOptions
    @Option(name: .customLong("address")) var address: [String] = []
    @Argument(parsing: .allUnrecognized) var args: [String] = []
    var positionals: [String] { args }
    var rawArguments: [String] { get { args } set { args = newValue } }

    func execute(_ ctx: KubectlContext) -> CommandOutput {
        var out = CommandOutput()
        guard let target = args.first, args.count >= 2 else {
            out.fail("error: TYPE/NAME and list of ports are required for port-forward\nSee 'kubectl port-forward -h' for help and examples")
            return out
        }
        let pod: Pod
        switch PodPicker.pick(target, ctx: ctx) {
        case let .failure(f): out.fail(f.message); return out
        case let .success(p): pod = p
        }
        let svc = target.split(separator: "/").first.flatMap { ResourceType.resolve(String($0)) }?.kind == "Service"
            ? ctx.cluster.services.get(ctx.namespace, String(target.split(separator: "/")[1])) : nil
        var lines: [String] = []
        for spec in args.dropFirst() {
            let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            let local = parts[0], remote = parts.count > 1 ? parts[1] : parts[0]
            // kubectl's parsePorts: each side is a uint16 (strconv.ParseUint(s, 10, 16)).
            for (side, text) in [("local", local), ("remote", remote)] where !(side == "local" && text.isEmpty) && UInt16(text) == nil && (side == "local" || Int(text) != nil || text.allSatisfy(\.isASCIIDigit)) {
                let why = !text.isEmpty && text.allSatisfy(\.isASCIIDigit) ? "value out of range" : "invalid syntax"
                out.fail("error: error parsing \(side) port '\(text)': strconv.ParseUint: parsing \(goQuote(text)): \(why)")
                return out
            }
            var containerPort = remote
            if let svc {
                // A Service port is mapped through targetPort to the pod's container port.
                guard let number = Int(remote), let sp = svc.spec.ports.first(where: { $0.port == number }) ?? svc.spec.ports.first(where: { $0.name == remote }) else {
                    out.fail(Int(remote) != nil ? "error: Service \(svc.metadata.name) does not have a service port \(remote)" : "error: Service '\(svc.metadata.name)' does not have a named port '\(remote)'")
                    return out
                }
                switch sp.targetPort {
                case let .int(i): containerPort = "\(i)"
                case let .string(n):
                    containerPort = pod.spec.containers.flatMap(\.ports).first { $0.name == n }.map { "\($0.containerPort)" } ?? n
                }
            }
            guard pod.status.phase == .running else {
                out.fail("error: unable to forward port because pod is not running. Current status=\(pod.status.phase)")
                return out
            }
            let l = local.isEmpty ? containerPort : local
            lines.append("Forwarding from 127.0.0.1:\(l) -> \(containerPort)")
            lines.append("Forwarding from [::1]:\(l) -> \(containerPort)")
        }
        let text = lines.map { $0 + "\n" }.joined()
        if let live = ctx.session.live {
            // At a terminal it runs until Ctrl-C, like the real one.
            live.emit(.stdout, text)
            let driver = ClockDriver(ctx: ctx)
            _ = driver.run(limit: Millis.max) { false }
            return out
        }
        out.outRaw(text)
        return out
    }
}

/// A process in a pod's container, for callers outside the shell (the HTTP API's exec): the
/// same checks and the same simulated tools as `kubectl exec`.
public enum ContainerProcess {
    public enum Outcome: Sendable {
        /// The process ran: its output in order, and its exit code.
        case ran(chunks: [(CommandOutput.Stream, String)], exitCode: Int32)
        /// It could not start (no such pod or container, a pod that is not running): the
        /// API server's message.
        case refused(status: Int, reason: String, message: String)
    }

    public static func run(session: Session, namespace: String, pod name: String, container: String?, command: [String], tty: Bool, lastStatus: Int32 = 0) -> Outcome {
        guard let pod = session.cluster.pods.get(namespace, name) else {
            return .refused(status: 404, reason: "NotFound", message: "pods \(goQuote(name)) not found")
        }
        let c: Container
        if let container {
            guard let found = pod.spec.containers.first(where: { $0.name == container }) else {
                return .refused(status: 400, reason: "BadRequest", message: "container \(container) is not valid for pod \(name)")
            }
            c = found
        } else {
            guard let first = pod.spec.containers.first else { return .refused(status: 400, reason: "BadRequest", message: "pod \(name) has no containers") }
            c = first
        }
        if let problem = PodPicker.execProblem(pod, container: c) {
            let message = problem.hasPrefix("error: ") ? String(problem.dropFirst(7)) : problem
            return .refused(status: 400, reason: "BadRequest", message: message)
        }
        let result = ContainerShell(cluster: session.cluster, pod: pod, container: c, tty: tty, lastStatus: lastStatus).run(command)
        return .ran(chunks: result.chunks, exitCode: result.exitCode)
    }
}
