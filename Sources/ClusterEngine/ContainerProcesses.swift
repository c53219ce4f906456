import ClusterModel
import DequeModule

/// One run of a container's command that ends by itself (`curl …`, `echo hi`, `nslookup …`):
/// what it printed and how it exited. Servers, `sleep` and shells run until stopped and have none.
public struct ProcessRun: Sendable {
    public var output: [(stderr: Bool, text: String)]
    public var exitCode: Int32
    public init(output: [(stderr: Bool, text: String)], exitCode: Int32) {
        self.output = output; self.exitCode = exitCode
    }
}

/// One line of a container's log (what `kubectl logs` prints), without its newline.
public struct LogLine: Equatable, Sendable {
    public var time: Millis
    public var stderr: Bool
    public var text: String
}

/// A container's log as the kubelet keeps it: the current instance and, after a restart, the
/// previous one (`kubectl logs --previous`). Bounded, as the kubelet rotates its log files.
/// Only containers that wrote something have one: the image's start-up banner is computed from
/// the container's start time, not stored (150,000 nginx pods would hold 150,000 copies).
struct ContainerLog {
    static let maxLines = 1_000
    var current = Deque<LogLine>()
    var previous: [LogLine]?
    /// Lines appended to the current instance since it started (a follower's cursor).
    var appended = 0

    mutating func append(_ line: LogLine) {
        current.append(line)
        appended += 1
        if current.count > Self.maxLines { current.removeFirst() }
    }
}

/// The container runtime's side of a pod's life that the kubelet only observes: processes that
/// exit, restarts with back-off (`CrashLoopBackOff`), terminal phases, and container logs.
/// The engine cannot run the simulated tools itself (they live with kubectl's container
/// shell), so the session injects `processRunner`, as a kubelet is handed its CRI runtime.
extension Kubelet {
    /// How long a command that ends by itself runs (curl's round trip, echo's start-up): long
    /// enough for `kubectl run -i` to see the pod Running and attach, as on a real node.
    static let processMillis: Millis = 1_000

    /// Starts the processes of container `index` (or of all containers): those that end by
    /// themselves print now and exit after `processMillis`.
    func startProcesses(_ pod: Pod, _ key: ObjectKey, only index: Int? = nil) {
        for (i, c) in pod.spec.containers.enumerated() where index == nil || index == i {
            guard let run = cluster.processRunner?(cluster, pod, c) else { continue }
            for (stderr, text) in run.output {
                var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                if lines.last == "" { lines.removeLast() }
                for line in lines { cluster.appendLog(key, container: c.name, line, stderr: stderr) }
            }
            runtime[key]?.exitCodes[i] = run.exitCode
            schedule(after: Self.processMillis, .kubelet(key, uid: pod.metadata.uid, step: .processExited(i)))
        }
    }

    /// A process ended: the container is terminated; the restart policy decides between a
    /// restart after back-off (Always, or OnFailure after a failure) and a terminal phase.
    func processExited(_ pod: inout Pod, _ key: ObjectKey, container i: Int) {
        guard !pod.isTerminating, i < pod.status.containerStatuses.count, let code = runtime[key]?.exitCodes[i],
              case let .running(started) = pod.status.containerStatuses[i].state else { return }
        runtime[key]?.exitCodes[i] = nil
        let now = (cluster.clock.now / 1000) * 1000
        let ended = ContainerStatus.State.terminated(reason: code == 0 ? "Completed" : "Error", exitCode: Int(code), startedAt: started, finishedAt: now)
        let restarts = pod.spec.restartPolicy == "Always" || (pod.spec.restartPolicy == "OnFailure" && code != 0)
        pod.status.containerStatuses[i].ready = false
        pod.status.containerStatuses[i].started = false
        let c = pod.spec.containers[i]
        if restarts {
            let count = pod.status.containerStatuses[i].restartCount
            if count == 0 {
                // The kubelet restarts at once the first time; back-off starts with the second exit.
                pod.status.containerStatuses[i].state = ended
                schedule(after: 1_000, .kubelet(key, uid: pod.metadata.uid, step: .restartContainer(i)))
            } else {
                pod.status.containerStatuses[i].lastState = ended
                pod.status.containerStatuses[i].state = .waiting(reason: "CrashLoopBackOff")
                let backoff = min(300_000, Millis(10_000) << Millis(min(count - 1, 5)))
                schedule(after: backoff, .kubelet(key, uid: pod.metadata.uid, step: .restartContainer(i)))
                cluster.recordEvent(cluster.containerReference(pod, c), type: "Warning", reason: "BackOff",
                            message: "Back-off restarting failed container \(c.name) in pod \(pod.metadata.name)_\(pod.metadata.namespace)(\(pod.metadata.uid))",
                            component: "kubelet", host: pod.spec.nodeName)
            }
            markReady(&pod, false)
        } else {
            pod.status.containerStatuses[i].state = ended
            let stillRunning = pod.status.containerStatuses.contains { if case .running = $0.state { return true }; return false }
            if !stillRunning {
                let failed = pod.status.containerStatuses.contains { if case let .terminated(_, code, _, _) = $0.state { return code != 0 }; return false }
                pod.status.phase = failed ? .failed : .succeeded
                let reason = failed ? "PodFailed" : "PodCompleted"
                setPodCondition(&pod, "PodReadyToStartContainers", .false)
                setPodCondition(&pod, "Ready", .false, reason: reason)
                setPodCondition(&pod, "ContainersReady", .false, reason: reason)
            } else {
                markReady(&pod, false)
            }
        }
        cluster.putPod(pod)
    }

    /// The back-off is over: the container starts again (its log starts afresh; the old one is
    /// `--previous`).
    func restartContainer(_ pod: inout Pod, _ key: ObjectKey, container i: Int) {
        guard !pod.isTerminating, i < pod.status.containerStatuses.count else { return }
        let now = (cluster.clock.now / 1000) * 1000
        let c = pod.spec.containers[i]
        var cs = pod.status.containerStatuses[i]
        if case .terminated = cs.state { cs.lastState = cs.state }
        cs.restartCount += 1
        cs.state = .running(startedAt: now)
        cs.started = true
        cs.ready = c.readinessProbe == nil
        pod.status.containerStatuses[i] = cs
        if cs.ready, pod.status.containerStatuses.allSatisfy({ $0.ready }) { markReady(&pod, true) }
        var log = cluster.containerLogs[key]?[c.name] ?? ContainerLog()
        log.previous = Array(log.current)
        log.current.removeAll()
        log.appended = 0
        cluster.containerLogs[key, default: [:]][c.name] = log
        cluster.putPod(pod)
        let ref = cluster.containerReference(pod, c)
        cluster.recordEvent(ref, reason: "Pulled", message: "Container image \(goQuote(c.image)) already present on machine", component: "kubelet", host: pod.spec.nodeName)
        cluster.recordEvent(ref, reason: "Created", message: "Created container: \(c.name)", component: "kubelet", host: pod.spec.nodeName)
        cluster.recordEvent(ref, reason: "Started", message: "Started container \(c.name)", component: "kubelet", host: pod.spec.nodeName)
        startProcesses(pod, key, only: i)
    }

}

extension Cluster {
    func containerReference(_ pod: Pod, _ c: Container) -> ObjectReference {
        let ref = reference(Pod.kind, pod.metadata)
        return ObjectReference(kind: ref.kind, namespace: ref.namespace, name: ref.name, uid: ref.uid, apiVersion: "v1", fieldPath: "spec.containers{\(c.name)}")
    }

    /// A line the app writes while it runs (nginx's access log for a request it served).
    func appendLog(_ key: ObjectKey, container: String, _ text: String, stderr: Bool = false) {
        guard pods.get(key) != nil else { return }
        containerLogs[key, default: [:]][container, default: ContainerLog()].append(LogLine(time: clock.now, stderr: stderr, text: text))
    }

    // MARK: Reading

    public enum LogProblem: Error, Equatable {
        /// The API server's BadRequest text, e.g. `container "web" in pod "web" is waiting to start: ContainerCreating`.
        case badRequest(String)
        case notFound(String)
    }

    /// What `GET pods/NAME/log` returns: the container's lines (the image's start-up banner,
    /// then what it wrote), or the API server's reason there are none.
    public func containerLog(namespace: String, pod name: String, container: String?, previous: Bool = false, withBanner: Bool = true) -> Result<[LogLine], LogProblem> {
        guard let pod = pods.get(namespace, name) else { return .failure(.notFound("pods \(goQuote(name)) not found")) }
        let c: Container
        if let container {
            guard let found = pod.spec.containers.first(where: { $0.name == container }) else {
                return .failure(.badRequest("container \(container) is not valid for pod \(name)"))
            }
            c = found
        } else if pod.spec.containers.count == 1 {
            c = pod.spec.containers[0]
        } else {
            let names = pod.spec.containers.map(\.name).joined(separator: " ")
            return .failure(.badRequest("a container name must be specified for pod \(name), choose one of: [\(names)]"))
        }
        let status = pod.status.containerStatuses.first { $0.name == c.name }
        let log = containerLogs[ObjectKey(namespace, name)]?[c.name]
        if previous {
            guard let lines = log?.previous else {
                return .failure(.badRequest("previous terminated container \(goQuote(c.name)) in pod \(goQuote(name)) not found"))
            }
            return .success(lines)
        }
        if case let .waiting(reason)? = status?.state {
            // Waiting to restart (CrashLoopBackOff): the kubelet serves the last instance's log.
            guard status?.lastState != nil else {
                return .failure(.badRequest("container \(goQuote(c.name)) in pod \(goQuote(name)) is waiting to start: \(reason)"))
            }
            return .success(Array(log?.current ?? []))
        }
        let started: Millis?
        switch status?.state {
        case let .running(t)?: started = t
        case let .terminated(_, _, t, _)?: started = t
        default: started = nil
        }
        guard let started, status != nil else {
            return .failure(.badRequest("container \(goQuote(c.name)) in pod \(goQuote(name)) is waiting to start: ContainerCreating"))
        }
        // The banner belongs to the first instance; a restarted container's log starts afresh.
        let banner = withBanner && status?.restartCount == 0 ? AppLogs.startupBanner(image: c.image, command: (c.command ?? []) + (c.args ?? []), at: started) : []
        return .success(banner + Array(log?.current ?? []))
    }

    /// `kubectl logs -f` and attach: the lines after `cursor` (0: from the start, banner
    /// included), the next cursor, and whether the container still runs (followers stop when not).
    public func followLog(namespace: String, pod name: String, container: String?, after cursor: Int, withBanner: Bool = true) -> (lines: [LogLine], next: Int, running: Bool)? {
        guard case let .success(all) = containerLog(namespace: namespace, pod: name, container: container, withBanner: withBanner),
              let pod = pods.get(namespace, name) else { return nil }
        let c = container ?? pod.spec.containers.first?.name ?? ""
        let log = containerLogs[ObjectKey(namespace, name)]?[c]
        // Global index of all.first: the dropped front of a rotated log is skipped.
        let total = all.count + max(0, (log?.appended ?? 0) - (log?.current.count ?? 0))
        let first = total - all.count
        let from = max(cursor, first)
        let lines = from < total ? Array(all[(from - first)...]) : []
        return (lines, total, containerRunning(namespace: namespace, pod: name, container: c))
    }

    /// Whether container `name` of the pod is still running (a log follower stops when not).
    public func containerRunning(namespace: String, pod name: String, container: String?) -> Bool {
        guard let pod = pods.get(namespace, name) else { return false }
        let cs = container.flatMap { n in pod.status.containerStatuses.first { $0.name == n } } ?? pod.status.containerStatuses.first
        if case .running = cs?.state { return true }
        return false
    }
}

/// What the catalogue's images print when they start and for each request they serve, as the
/// real images do (nginx's entrypoint and access log, httpd's common log format).
enum AppLogs {
    static func startupBanner(image: String, command: [String], at t: Millis) -> [LogLine] {
        let (repo, _) = AppProfile.split(image)
        guard repo.split(separator: "/").last == "nginx", command.isEmpty else { return [] }
        let stamp = nginxErrorLogTime(t)
        guard case let .nginx(version) = AppProfile(container: Container(name: "", image: image)).kind else { return [] }
        let lines = [
            "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
            "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
            "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
            "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf",
            "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf",
            "/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh",
            "/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh",
            "/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh",
            "/docker-entrypoint.sh: Configuration complete; ready for start up",
        ].map { LogLine(time: t, stderr: false, text: $0) }
        let notices = [
            "using the \"epoll\" event method", "nginx/\(version)", "built by gcc 12.2.0 (Debian 12.2.0-14)",
            "OS: Linux 6.8.0-1021-aws", "getrlimit(RLIMIT_NOFILE): 1048576:1048576",
            "start worker processes", "start worker process 29", "start worker process 30",
        ].map { LogLine(time: t, stderr: true, text: "\(stamp) [notice] 1#1: \($0)") }
        return lines + notices
    }

    /// nginx's "combined" access-log line for a request it served.
    static func accessLine(kind: AppProfile.Kind, clientIP: String, path: String, status: Int, bytes: Int, at t: Millis) -> String? {
        switch kind {
        case .nginx:
            return "\(clientIP) - - [\(commonLogTime(t))] \"GET \(path) HTTP/1.1\" \(status) \(bytes) \"-\" \"curl/8.13.0\" \"-\""
        case .httpd, .generic:
            // httpd's common log format; svclab's own demo image logs the same way.
            return "\(clientIP) - - [\(commonLogTime(t))] \"GET \(path) HTTP/1.1\" \(status) \(bytes)"
        default:
            return nil
        }
    }

    /// `30/Nov/2026:15:20:01 +0000`
    static func commonLogTime(_ t: Millis) -> String {
        let p = parts(t)
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(p.day)/\(months[(Int(p.month) ?? 1) - 1])/\(p.year):\(p.time) +0000"
    }

    /// `2026/11/30 15:20:01`
    static func nginxErrorLogTime(_ t: Millis) -> String {
        let p = parts(t)
        return "\(p.year)/\(p.month)/\(p.day) \(p.time)"
    }

    /// The fields of the RFC 3339 form (`2026-11-30T15:20:01Z`), zero-padded.
    private static func parts(_ t: Millis) -> (year: Substring, month: Substring, day: Substring, time: Substring) {
        let s = Timestamps.rfc3339(t)
        let fields = s.split(separator: "T")
        let date = fields[0].split(separator: "-")
        return (date[0], date[1], date[2], fields[1].dropLast())
    }
}

extension Cluster {
    /// Whether one of the pod's processes will end by itself (a follower can wait for that).
    public func hasPendingExit(namespace: String, pod: String) -> Bool {
        !(kubelet.runtime[ObjectKey(namespace, pod)]?.exitCodes.isEmpty ?? true)
    }
}

extension Cluster {
    /// A container's long-running process ended from outside the engine (the shell a client
    /// attached to exited): the container terminates as if the process had ended by itself.
    public func endProcess(namespace: String, pod name: String, container: String?, exitCode: Int32) {
        let key = ObjectKey(namespace, name)
        guard let pod = pods.get(key) else { return }
        let i = container.flatMap { c in pod.spec.containers.firstIndex { $0.name == c } } ?? 0
        guard i < pod.spec.containers.count else { return }
        kubelet.runtime[key]?.exitCodes[i] = exitCode
        schedule(after: 0, .kubelet(key, uid: pod.metadata.uid, step: .processExited(i)))
        settle()
    }
}
