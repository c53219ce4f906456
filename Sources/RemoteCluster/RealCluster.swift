import ClusterEngine
import ClusterModel
import Foundation

/// A real cluster, read through its kubeconfig into a mirror `Cluster` (controllers off) that
/// every svclab reader works on. Reflectors run on their own tasks; the thread that owns the
/// mirror calls `refresh` (the shell before each command, the lab between frames) to apply
/// what they saw — the cluster is never touched from two threads.
public final class RealCluster: @unchecked Sendable {
    public let connection: Connection
    public let mirror: Cluster
    let client: APIClient
    let inbox = MirrorInbox()
    private var tasks: [Task<Void, Never>] = []

    /// Reads the kubeconfig and resolves the context (nil: its current context). `now` starts
    /// the mirror's clock (the caller reads the wall clock; the engine never does).
    public init(kubeconfig path: String, context: String?, now: Millis) throws(Kubeconfig.Problem) {
        let config = try Kubeconfig.load(path: path)
        connection = try config.connection(context: context)
        client = try APIClient(connection)
        let (mode, note) = Self.kubeProxyMode(client)
        proxyModeNote = note
        mirror = Cluster.mirror(clusterName: connection.clusterName, now: now, proxyMode: mode)
    }

    /// Why traces assume iptables although the cluster's kube-proxy says otherwise (ipvs), if so.
    public let proxyModeNote: String?

    /// kube-proxy's mode as kubeadm and kind configure it (kube-system/kube-proxy's
    /// config.conf `mode:`; empty means iptables on Linux). Traces and rules follow it.
    static func kubeProxyMode(_ client: APIClient) -> (ProxyMode, String?) {
        guard let (status, body) = try? client.sendBlocking("GET", "/api/v1/namespaces/kube-system/configmaps/kube-proxy"), status == 200,
              let config = (try? ValueLoader.documents(from: body).first)?["data"]?["config.conf"]?.stringValue,
              let mode = (try? ValueLoader.documents(from: config).first)?["mode"]?.stringValue, !mode.isEmpty else { return (.iptables, nil) }
        if let known = ProxyMode(rawValue: mode) { return (known, nil) }
        return (.iptables, "kube-proxy runs in \(mode) mode; svclab predicts routes with iptables' rules")
    }

    deinit { stop() }

    /// One line for a header: which server, which context.
    public var title: String { "\(connection.contextName) @ \(connection.server)" }

    public func start() {
        guard tasks.isEmpty else { return }
        for kind in MirroredKind.all {
            let reflector = Reflector(kind: kind, client: client, inbox: inbox)
            tasks.append(Task(executorPreference: Self.executor) { await reflector.run() })
        }
    }

    /// The reflectors run on a queue of their own: the shell and the lab block the thread they
    /// run on (reading a line, polling the keyboard), and on a one-core machine that thread is
    /// the whole cooperative pool — the first list would never run.
    static let executor = QueueTaskExecutor()

    public func stop() {
        for t in tasks { t.cancel() }
        tasks = []
        client.shutdown()
    }

    /// Waits until every kind has been listed once; the first failure's message if one comes
    /// first (kubectl's words: refused, Unauthorized, unknown authority…) or the deadline passes.
    public func waitForFirstSync(seconds: Double) -> String? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if inbox.syncedKinds.count == MirroredKind.all.count { return nil }
            if let problem = inbox.state.problem { return problem }
            usleep(10_000)
        }
        return "Unable to connect to the server: no answer from \(connection.server) within \(Int(seconds)) s"
    }

    /// Applies what the reflectors saw since the last call; true if anything changed. `now`
    /// moves the mirror's clock (AGE columns).
    @discardableResult
    public func refresh(now: Millis) -> Bool {
        mirror.mirrorClock(to: now)
        let changes = inbox.take()
        for change in changes {
            switch change {
            case let .replace(kind, objects): mirror.mirrorReplace(kind: kind, with: objects)
            case let .put(object): mirror.mirrorPut(object)
            case let .remove(kind, key): mirror.mirrorRemove(kind: kind, key)
            }
        }
        return !changes.isEmpty
    }

    /// "reconnecting: …" while a reflector cannot reach the server, else nil.
    public var connectionProblem: String? {
        let state = inbox.state
        return state.reconnecting ? state.problem : nil
    }
}

/// A task executor on a Dispatch queue outside Swift's cooperative pool.
final class QueueTaskExecutor: TaskExecutor, @unchecked Sendable {
    private let queue = DispatchQueue(label: "svclab.reflectors", attributes: .concurrent)
    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
