import ClusterModel

/// What the kubelets on all nodes do with their pods, driven by timers on the virtual clock:
/// Pending → ContainerCreating → Running, readiness probes, graceful termination.
enum KubeletStep: Equatable {
    case createSandbox, startContainers, probe, stopContainers, removePod
    /// Container N's process ended by itself; back-off over, container N starts again.
    case processExited(Int), restartContainer(Int)
}

/// Per-pod runtime state that is not part of the API object.
struct PodRuntime {
    var uid: String
    /// The simulated app answers its readiness probe (a lab knob: "break readiness").
    var probeHealthy = true
    var consecutiveSuccesses = 0
    var consecutiveFailures = 0
    var probing = false
    var terminationScheduled = false
    /// Service links computed when the containers started (never updated afterwards).
    var serviceEnv: [(String, String)] = []
    /// Exit codes of running processes that end by themselves, by container index.
    var exitCodes: [Int: Int32] = [:]
}

/// The kubelets of every node as one controller: a pod bound to a node is admitted (`admit`,
/// called by whoever binds it: the scheduler, a pod created with `nodeName`, a static pod), then
/// each step of its life is a timer (`TimerAction.kubelet`) that `run` carries out, writing the
/// pod's status through the write path as a kubelet writes it through the API server.
final class Kubelet: Controller {
    /// Per-pod state that is not part of the API object (probe results, the processes' exit
    /// codes, the Service links its containers started with).
    var runtime: [ObjectKey: PodRuntime] = [:]

    override var footprint: [String: Int] { ["runtime": runtime.count] }

    /// Seeded, human-looking durations for the container lifecycle.
    private func jitter(_ range: ClosedRange<Int64>, _ key: ObjectKey) -> Millis { cluster.draw(for: key.namespace, key.name) { $0.int64(in: range) } }

    func admit(_ pod: Pod) {
        let key = ObjectKey(pod.metadata.namespace, pod.metadata.name)
        runtime[key] = PodRuntime(uid: pod.metadata.uid)
        schedule(after: jitter(100...400, key), .kubelet(key, uid: pod.metadata.uid, step: .createSandbox))
    }

    func schedule(after ms: Millis, _ action: TimerAction) { cluster.schedule(after: ms, action) }

    /// A step of a pod's life is due (its timer fired).
    func run(_ step: KubeletStep, _ key: ObjectKey, uid: String) {
            guard var pod = cluster.pods.get(key), pod.metadata.uid == uid else { return }
            switch step {
            case .createSandbox: createSandbox(&pod, key)
            case .startContainers: startContainers(&pod, key)
            case .probe: runReadinessProbe(&pod, key)
            case .stopContainers: stopContainers(&pod, key)
            case .removePod: removeTerminatedPod(pod, key)
            case let .processExited(i): processExited(&pod, key, container: i)
            case let .restartContainer(i): restartContainer(&pod, key, container: i)
            }
    }

    private func containerNames(_ pod: Pod) -> String { "[" + pod.spec.containers.map(\.name).joined(separator: " ") + "]" }

    private func createSandbox(_ pod: inout Pod, _ key: ObjectKey) {
        guard !pod.isTerminating else { return }
        let now = (cluster.clock.now / 1000) * 1000
        let node = cluster.nodes.get("", pod.spec.nodeName)
        pod.status.hostIP = node?.internalIP ?? ""
        pod.status.startTime = now
        // The scheduler's PodScheduled stays; a pod bound at creation was never scheduled, and
        // the kubelet reports PodScheduled itself. (One literal: appending to a full array of
        // four doubled its capacity, 240 bytes per pod for good.)
        let unready = "containers with unready status: \(containerNames(pod))"
        let scheduled = pod.status.condition("PodScheduled") ?? PodCondition(type: "PodScheduled", status: .true, lastTransitionTime: now)
        pod.status.conditions = [
            PodCondition(type: "PodReadyToStartContainers", status: .false, lastTransitionTime: now),
            PodCondition(type: "Initialized", status: .true, lastTransitionTime: now),
            PodCondition(type: "Ready", status: .false, lastTransitionTime: now, reason: "ContainersNotReady", message: unready),
            PodCondition(type: "ContainersReady", status: .false, lastTransitionTime: now, reason: "ContainersNotReady", message: unready),
            scheduled,
        ]
        pod.status.containerStatuses = pod.spec.containers.map {
            ContainerStatus(name: $0.name, image: $0.image, state: .waiting(reason: "ContainerCreating"))
        }
        cluster.putPod(pod)
        let ref = cluster.reference(Pod.kind, pod.metadata)
        for c in pod.spec.containers {
            let cref = ObjectReference(kind: ref.kind, namespace: ref.namespace, name: ref.name, uid: ref.uid, apiVersion: "v1", fieldPath: "spec.containers{\(c.name)}")
            cluster.recordEvent(cref, reason: "Pulling", message: "Pulling image \(goQuote(c.image))", component: "kubelet", host: pod.spec.nodeName)
        }
        schedule(after: jitter(800...2500, key), .kubelet(key, uid: pod.metadata.uid, step: .startContainers))
    }

    private func startContainers(_ pod: inout Pod, _ key: ObjectKey) {
        guard !pod.isTerminating else { return }
        let now = (cluster.clock.now / 1000) * 1000
        if pod.spec.hostNetwork {
            pod.status.podIP = pod.status.hostIP
        } else if pod.status.podIP.isEmpty, let ip = cluster.podNetworks[pod.spec.nodeName]?.allocate() {
            pod.status.podIP = ip
        }
        let pullMillis = Int64(pod.status.startTime.map { cluster.clock.now - $0 } ?? 1000)
        let ref = cluster.reference(Pod.kind, pod.metadata)
        var allReady = true
        pod.status.containerStatuses = pod.spec.containers.map { c in
            let ready = c.readinessProbe == nil
            if !ready { allReady = false }
            return ContainerStatus(name: c.name, image: c.image, ready: ready, started: true, state: .running(startedAt: now))
        }
        pod.status.phase = .running
        runtime[key]?.serviceEnv = cluster.serviceEnvironment(for: pod)
        setPodCondition(&pod, "PodReadyToStartContainers", .true)
        if allReady { markReady(&pod, true) }
        cluster.putPod(pod)
        for c in pod.spec.containers {
            let cref = ObjectReference(kind: ref.kind, namespace: ref.namespace, name: ref.name, uid: ref.uid, apiVersion: "v1", fieldPath: "spec.containers{\(c.name)}")
            let secs = String(format: "%.3fs", Double(pullMillis) / 1000)
            cluster.recordEvent(cref, reason: "Pulled", message: "Successfully pulled image \(goQuote(c.image)) in \(secs) (\(secs) including waiting). Image size: \(ImageSizes.bytes(for: c.image)) bytes.", component: "kubelet", host: pod.spec.nodeName)
            cluster.recordEvent(cref, reason: "Created", message: "Created container: \(c.name)", component: "kubelet", host: pod.spec.nodeName)
            cluster.recordEvent(cref, reason: "Started", message: "Started container \(c.name)", component: "kubelet", host: pod.spec.nodeName)
        }
        startProcesses(pod, key)
        if let probe = pod.spec.containers.compactMap(\.readinessProbe).first {
            runtime[key]?.probing = true
            schedule(after: Millis(probe.initialDelaySeconds) * 1000 + jitter(0...900, key), .kubelet(key, uid: pod.metadata.uid, step: .probe))
        }
    }

    func setPodCondition(_ pod: inout Pod, _ type: String, _ status: ConditionStatus, reason: String? = nil, message: String? = nil) {
        let now = (cluster.clock.now / 1000) * 1000
        if let i = pod.status.conditions.firstIndex(where: { $0.type == type }) {
            if pod.status.conditions[i].status != status { pod.status.conditions[i].lastTransitionTime = now }
            pod.status.conditions[i].status = status
            pod.status.conditions[i].set(reason: reason, message: message)
        } else {
            pod.status.conditions.appendKeepingSize(PodCondition(type: type, status: status, lastTransitionTime: now, reason: reason, message: message))
        }
    }

    func markReady(_ pod: inout Pod, _ ready: Bool) {
        for i in pod.status.containerStatuses.indices {
            if case .running = pod.status.containerStatuses[i].state { pod.status.containerStatuses[i].ready = ready }
        }
        if ready {
            setPodCondition(&pod, "ContainersReady", .true)
            setReadyFromGates(&pod)
        } else {
            let msg = "containers with unready status: \(containerNames(pod))"
            setPodCondition(&pod, "ContainersReady", .false, reason: "ContainersNotReady", message: msg)
            setPodCondition(&pod, "Ready", .false, reason: "ContainersNotReady", message: msg)
        }
    }

    /// GeneratePodReadyCondition (pkg/kubelet/status/generate.go): with its containers ready, a
    /// pod is Ready only when every readiness gate's condition is True.
    func setReadyFromGates(_ pod: inout Pod) {
        var unready: [String] = []
        for gate in pod.spec.readinessGateTypes {
            if let c = pod.status.condition(gate) {
                if c.status != .true { unready.append("the status of pod readiness gate \(goQuote(gate)) is not \"True\", but \(c.status)") }
            } else {
                unready.append("corresponding condition of pod readiness gate \(goQuote(gate)) does not exist.")
            }
        }
        if unready.isEmpty { setPodCondition(&pod, "Ready", .true) }
        else { setPodCondition(&pod, "Ready", .false, reason: "ReadinessGatesNotReady", message: unready.joined(separator: ", ")) }
    }

    /// One readiness probe round. Probing continues every period while the outcome can still change
    /// the pod's readiness, and stops once it is stable (restarted by `setReadinessProbeHealthy`).
    private func runReadinessProbe(_ pod: inout Pod, _ key: ObjectKey) {
        guard var rt = runtime[key], let probe = pod.spec.containers.compactMap(\.readinessProbe).first else { return }
        guard case .running = pod.status.containerStatuses.first?.state else { return }
        let container = pod.spec.containers.first { $0.readinessProbe != nil }!
        let failure = probeFailure(probe, pod: pod, container: container, healthy: rt.probeHealthy)
        let healthy = failure == nil
        if healthy {
            rt.consecutiveSuccesses += 1; rt.consecutiveFailures = 0
        } else {
            rt.consecutiveFailures += 1; rt.consecutiveSuccesses = 0
            let ref = ObjectReference(kind: Pod.kind, namespace: key.namespace, name: key.name, uid: pod.metadata.uid, apiVersion: "v1", fieldPath: "spec.containers{\(container.name)}")
            cluster.recordEvent(ref, type: "Warning", reason: "Unhealthy", message: "Readiness probe failed: \(failure!)", component: "kubelet", host: pod.spec.nodeName)
        }
        let ready = pod.status.isReady
        if healthy && !ready && rt.consecutiveSuccesses >= probe.successThreshold {
            markReady(&pod, true); cluster.putPod(pod)
        } else if !healthy && ready && rt.consecutiveFailures >= probe.failureThreshold {
            markReady(&pod, false); cluster.putPod(pod)
        }
        let settled = healthy && pod.status.isReady
        rt.probing = !settled
        runtime[key] = rt
        if rt.probing { schedule(after: Millis(probe.periodSeconds) * 1000, .kubelet(key, uid: pod.metadata.uid, step: .probe)) }
    }

    /// What the kubelet's prober sees: the simulated app must listen on the probed port and
    /// answer the path (a probe aimed at the wrong port fails like the real one); the lab's
    /// "break readiness" knob makes a healthy app answer 503. nil means success.
    private func probeFailure(_ probe: Probe, pod: Pod, container: Container, healthy: Bool) -> String? {
        let app = AppProfile(container: container)
        func resolve(_ port: IntOrString) -> Int? {
            switch port {
            case let .int(i): return i
            case let .string(name): return container.ports.first { $0.name == name }?.containerPort
            }
        }
        let ip = pod.status.podIP
        switch probe.handler {
        case let .httpGet(path, port, scheme, _):
            guard let number = resolve(port), app.listens(on: number) else {
                let shown = resolve(port).map(String.init) ?? port.description
                return "Get \"\(scheme.lowercased())://\(ip):\(shown)\(path)\": dial tcp \(ip):\(shown): connect: connection refused"
            }
            guard healthy else { return "HTTP probe failed with statuscode: 503" }
            switch app.answer(path: path, host: "\(ip):\(number)", pod: pod, clientIP: pod.status.hostIP, clientPort: 40000, date: Cluster.httpDate(cluster.clock.now), healthy: healthy) {
            case let .http(reply) where reply.status >= 200 && reply.status < 400: return nil
            case let .http(reply): return "HTTP probe failed with statuscode: \(reply.status)"
            case .closes: return "Get \"\(scheme.lowercased())://\(ip):\(number)\(path)\": EOF"
            }
        case let .tcpSocket(port):
            guard let number = resolve(port), app.listens(on: number) else {
                return "dial tcp \(ip):\(resolve(port).map(String.init) ?? port.description): connect: connection refused"
            }
            return healthy ? nil : "dial tcp \(ip):\(number): i/o timeout"
        case let .exec(command):
            guard healthy else { return "command terminated with exit code 1" }
            // The kubelet runs the command in the container; a non-zero exit fails the probe, and
            // the event carries what the command printed (prober.go: "probe failed: " + output).
            guard let run = cluster.execRunner?(cluster, pod, container, command), run.exitCode != 0 else { return nil }
            return run.output.map(\.text).joined()
        case .grpc: return healthy ? nil : "timeout: failed to connect service within 1s"
        case .none: return nil
        }
    }

    /// Lab control: make a pod's readiness probe pass or fail from now on.
    func setReadinessProbeHealthy(_ key: ObjectKey, healthy: Bool) {
        guard let pod = cluster.pods.get(key), var rt = runtime[key] else { return }
        rt.probeHealthy = healthy
        let wasProbing = rt.probing
        rt.probing = true
        runtime[key] = rt
        if !wasProbing, let probe = pod.spec.containers.compactMap(\.readinessProbe).first {
            schedule(after: Millis(probe.periodSeconds) * 1000, .kubelet(key, uid: pod.metadata.uid, step: .probe))
        }
    }

    // MARK: Termination

    /// Graceful delete: set deletionTimestamp; the kubelet stops the containers within the grace
    /// period and then the pod object goes away. Unscheduled pods and grace 0 vanish at once.
    func deletePod(_ pod: Pod, gracePeriodSeconds: Int64?) {
        let key = ObjectKey(pod.metadata.namespace, pod.metadata.name)
        let grace = gracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds
        if pod.spec.nodeName.isEmpty || grace == 0 || pod.isTerminal {
            removeTerminatedPod(pod, key)
            return
        }
        if pod.isTerminating { return }
        var p = pod
        p.metadata.deletionTimestamp = ((cluster.clock.now / 1000) * 1000).addingClamped(grace.secondsAsMillisClamped)
        p.metadata.deletionGracePeriodSeconds = grace
        cluster.putPod(p)
        let ref = cluster.reference(Pod.kind, p.metadata)
        for c in p.spec.containers where { if case .running = p.status.containerStatuses.first(where: { $0.name == c.name })?.state { return true }; return false }() {
            let cref = ObjectReference(kind: ref.kind, namespace: ref.namespace, name: ref.name, uid: ref.uid, apiVersion: "v1", fieldPath: "spec.containers{\(c.name)}")
            cluster.recordEvent(cref, reason: "Killing", message: "Stopping container \(c.name)", component: "kubelet", host: p.spec.nodeName)
        }
        let shutdown = min(grace.secondsAsMillisClamped, ImageSizes.shutdownMillis(for: p.spec.containers.first?.image ?? "", command: p.spec.containers.first?.command) + jitter(0...700, key))
        schedule(after: shutdown, .kubelet(key, uid: p.metadata.uid, step: .stopContainers))
    }

    private func stopContainers(_ pod: inout Pod, _ key: ObjectKey) {
        let now = (cluster.clock.now / 1000) * 1000
        pod.status.containerStatuses = pod.status.containerStatuses.map {
            var s = $0
            s.ready = false; s.started = false
            if case let .running(started) = s.state { s.state = .terminated(reason: "Completed", exitCode: 0, startedAt: started, finishedAt: now) }
            return s
        }
        markReady(&pod, false)
        setPodCondition(&pod, "PodReadyToStartContainers", .false)
        // Since 1.27 the kubelet moves a deleted pod to a terminal phase before it goes away
        // (exit 0 → Succeeded), which `kubectl get pods -w` shows as `Completed`.
        pod.status.phase = .succeeded
        cluster.putPod(pod)
        schedule(after: jitter(150...400, key), .kubelet(key, uid: pod.metadata.uid, step: .removePod))
    }

    func removeTerminatedPod(_ pod: Pod, _ key: ObjectKey) {
        if !pod.status.podIP.isEmpty, !pod.spec.hostNetwork { cluster.podNetworks[pod.spec.nodeName]?.release(pod.status.podIP) }
        runtime[key] = nil
        cluster.removePod(key)
        cluster.finishNamespaceDeletionIfEmpty(key.namespace)
    }
}

extension Cluster {
    /// Whether the pod's simulated app answers its readiness probe (nil: no such pod).
    public func readinessProbeHealthy(namespace: String, name: String) -> Bool? {
        kubelet.runtime[ObjectKey(namespace, name)]?.probeHealthy
    }

    /// Lab control: make a pod's readiness probe pass or fail from now on.
    public func setReadinessProbeHealthy(namespace: String, name: String, healthy: Bool) {
        kubelet.setReadinessProbeHealthy(ObjectKey(namespace, name), healthy: healthy)
    }

    /// Graceful delete (see `Kubelet.deletePod`).
    func deletePod(_ pod: Pod, gracePeriodSeconds: Int64?) { kubelet.deletePod(pod, gracePeriodSeconds: gracePeriodSeconds) }
}

/// Plausible image sizes and shutdown times, so events and Terminating rows look like a real
/// cluster's. Deterministic per image.
enum ImageSizes {
    static func bytes(for image: String) -> Int {
        let known: [String: Int] = ["nginx": 72_223_946, "httpd": 58_341_022, "redis": 45_118_334, "postgres": 158_337_612,
                                    "busybox": 2_155_538, "curl": 12_404_531, "coredns": 20_934_553, "jessie-dnsutils": 133_437_416]
        let base = image.split(separator: "/").last.map { String($0.split(separator: ":").first ?? "") } ?? image
        if let k = known[base] { return k }
        var h: UInt32 = 2_166_136_261
        for b in image.utf8 { h ^= UInt32(b); h = h &* 16_777_619 }
        return 20_000_000 + Int(h % 60_000_000)
    }

    /// How long the app takes to exit after SIGTERM. `sleep` as PID 1 ignores SIGTERM and runs
    /// into the grace period, which is what learners see with busybox/dnsutils pods.
    static func shutdownMillis(for image: String, command: [String]?) -> Millis {
        if let command, command.contains(where: { $0.contains("sleep") }) { return 30_000 }
        return 300
    }
}
