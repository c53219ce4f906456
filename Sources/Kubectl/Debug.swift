import ArgumentParser
import ClusterEngine
import ClusterModel

/// `kubectl debug node/NODE -it --image=IMAGE [-- COMMAND…]` (kubectl 1.33 debug.go,
/// generateNodeDebugPod with the legacy profile): a pod `node-debugger-NODE-xxxxx` pinned to the
/// node, in the host's network, PID and IPC namespaces, with the node's `/` mounted at `/host`,
/// tolerating every taint, restartPolicy Never. `chroot /host iptables-save` then reads the
/// node's rules. The pod stays after the command ends (Completed), as kubectl leaves it.
/// Debugging a pod (ephemeral containers, --copy-to) is not modelled.
struct DebugCommand: KubectlCommand {
    static let configuration = CommandConfiguration(commandName: "debug", abstract: "Create debugging sessions for troubleshooting workloads and nodes.")
    @OptionGroup var global: GlobalOptions
    @Option(name: .customLong("image")) var image: String = ""
    @Flag(name: [.customShort("i"), .customLong("stdin")]) var stdin = false
    @Flag(name: [.customShort("t"), .customLong("tty")]) var tty = false
    @Flag(name: [.customShort("q"), .customLong("quiet")]) var quiet = false
    @Option(name: [.customShort("c", allowingJoined: true), .customLong("container")]) var container: String?
    @Option(name: .customLong("profile")) var profile: String?
    @Option(name: .customLong("image-pull-policy")) var pullPolicy: String = ""
    @Argument(parsing: .allUnrecognized) var args: [String] = []
    var positionals: [String] { args }
    var rawArguments: [String] { get { args } set { args = newValue } }

    func execute(_ ctx: KubectlContext) -> CommandOutput {
        var out = CommandOutput()
        // Validate, in debug.go's order.
        if image.isEmpty { out.fail("error: you must specify --image when not using --copy-to."); return out }
        guard let target = args.first else { out.fail("error: NAME or filename is required for debug"); return out }
        guard ["", "Always", "IfNotPresent", "Never"].contains(pullPolicy) else { out.fail("error: invalid image pull policy: \(pullPolicy)"); return out }
        if tty && !stdin { out.fail("error: -i/--stdin is required for containers with -t/--tty=true"); return out }
        let profiles = ["legacy", "general", "baseline", "netadmin", "restricted", "sysadmin"]
        if let profile, !profiles.contains(profile) { out.fail("error: unknown profile: \(profile)"); return out }
        if profile == nil || profile == "legacy" {
            out.err("--profile=legacy is deprecated and will be removed in the future. It is recommended to explicitly specify a profile, for example \"--profile=general\".")
        }

        let parts = target.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, let type = ResourceType.resolve(parts[0]), type.kind == "Node" else {
            out.fail("error: svclab models `kubectl debug node/NODE` only (debugging a pod through an ephemeral container or --copy-to is not modelled)")
            return out
        }
        guard let node = ctx.cluster.nodes.get("", parts[1]) else { out.fail(type.notFound(parts[1])); return out }

        let containerName = container ?? "debugger"
        let podName = "node-debugger-\(node.metadata.name)-\(ctx.cluster.clientNameSuffix())"
        if !quiet { out.out("Creating debugging pod \(podName) with container \(containerName) on node \(node.metadata.name).") }
        var c = Container(name: containerName, image: image)
        c.imagePullPolicy = pullPolicy
        if let command = ctx.command, !command.isEmpty { c.command = command }
        if stdin { c.extra["stdin"] = .bool(true) }
        if tty { c.extra["tty"] = .bool(true) }
        c.extra["terminationMessagePolicy"] = .string("File")
        c.extra["volumeMounts"] = .array([.object([("mountPath", .string("/host")), ("name", .string("host-root"))])])
        var pod = Pod()
        pod.metadata.name = podName
        pod.metadata.namespace = ctx.namespace
        pod.spec.containers = [c]
        pod.spec.nodeName = node.metadata.name
        pod.spec.restartPolicy = "Never"
        pod.spec.hostNetwork = true
        pod.spec.extra["hostPID"] = .bool(true)
        pod.spec.extra["hostIPC"] = .bool(true)
        pod.spec.tolerations = [Toleration(op: "Exists")]
        pod.spec.extra["volumes"] = .array([.object([("hostPath", .object([("path", .string("/"))])), ("name", .string("host-root"))])])
        do { try ctx.cluster.create(.pod(pod)) } catch { out.fail(error.kubectlMessage()); return out }
        guard stdin else { return out }
        // attach's SetupTTY, once the pod exists (as kubectl 1.33 orders its messages).
        if tty && ctx.session.live == nil { out.err("Unable to use a TTY - input is not a terminal or the right kind of file") }

        // handleAttachPod: wait (no timeout) for the container to run or end; an ended one is
        // read from its log, a running one is attached to until its command ends.
        let key = ObjectKey(ctx.namespace, podName)
        func state() -> ContainerStatus.State? { ctx.cluster.pods.get(key)?.status.containerStatuses.first { $0.name == containerName }?.state }
        let driver = ClockDriver(ctx: ctx)
        let outcome = driver.run(limit: Millis(Durations.maxJumpSeconds * 1000)) {
            switch state() { case .running?, .terminated?: return true; default: return ctx.cluster.pods.get(key) == nil }
        }
        out.chunks += driver.output.chunks
        guard outcome == .done, ctx.cluster.pods.get(key) != nil else { return out }
        if case .running? = state() {
            if !quiet { out.err("If you don't see a command prompt, try pressing enter.") }
            let argv = c.command ?? []
            if !ContainerRuntime.endsByItself(argv, image: image) {
                if ctx.session.live == nil && argv.isEmpty {
                    out.err("svclab: an interactive shell is not modelled here; give the command after --, e.g. kubectl debug node/\(node.metadata.name) -it --image=\(image) -- chroot /host iptables-save")
                } else if let running = ctx.cluster.pods.get(key), !argv.isEmpty {
                    out.chunks += ContainerShell(cluster: ctx.cluster, pod: running, container: c, tty: tty && ctx.session.live != nil).run(argv).chunks
                }
                return out
            }
            _ = ClockDriver(ctx: ctx).run(limit: 60_000) { !ctx.cluster.containerRunning(namespace: ctx.namespace, pod: podName, container: containerName) }
        }
        if case let .success(lines) = ctx.cluster.containerLog(namespace: ctx.namespace, pod: podName, container: containerName) {
            for line in lines {
                if line.stderr && !tty { out.err(line.text) } else { out.out(line.text) }
            }
        }
        return out
    }
}
