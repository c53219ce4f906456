import ClusterModel
import DequeModule
import HeapModule

/// The simulated cluster: an in-process API server (store, admission, allocation) with the
/// controllers that react to it. Every mutation goes through `put`/`remove`, which maintain the
/// indexes, notify the controllers (they enqueue keys, like informers feeding work queues) and
/// the watchers. `settle()` drains the queues; `advance(to:)` fires timers in time order.
public final class Cluster {
    public struct Config: Sendable {
        public var seed: UInt64 = 1
        public var workerNodes = 3
        public var clusterName = "svclab"
        public var start: Millis = VirtualClock.defaultStart
        /// Addresses for `type: LoadBalancer` Services; nil leaves them `<pending>` (a bare cluster).
        public var loadBalancerPool: ClosedRange<UInt32>? = LoadBalancerPool.defaultRange
        /// Off: every Endpoints/EndpointSlice sync recomputes its Service in full (tests compare the two).
        public var incrementalEndpoints = true
        /// The most pods the simulation holds (the design envelope is 150,000). A real cluster
        /// would keep creating until etcd or a quota stopped it; here the ReplicaSet controller's
        /// creations fail with a FailedCreate event, so a scale to 100,000,000 followed by a
        /// week-long wait cannot exhaust the machine's memory.
        public var maxPods = 200_000
        /// kube-proxy's --proxy-mode on every node (kind's default: iptables).
        public var proxyMode: ProxyMode = .iptables
        /// A mirror of a real cluster (`svclab --kubeconfig`): objects arrive as the real API
        /// server has them (`Mirror.swift`) and none of svclab's controllers act on them.
        public var mirrorsRealCluster = false
        public init(seed: UInt64 = 1, workerNodes: Int = 3) { self.seed = seed; self.workerNodes = workerNodes }
    }

    public let config: Config
    /// While a command runs on a mirror to learn what it would change (`journalMirror`): each
    /// write's object before and after.
    var mirrorJournal: [MirrorJournalEntry]?
    /// Asked before each timer during `advance` (keep it cheap); true stops the jump where it is
    /// (Ctrl-C in the lab).
    /// Only the live TUI sets it; scripts and tests never do, so they stay deterministic.
    public var interrupt: (() -> Bool)?
    /// Set when `interrupt` stopped an advance; whoever drives the clock clears it.
    public var interrupted = false
    public internal(set) var clock: VirtualClock
    /// Each node's connection-tracking entries (Network/Conntrack.swift), from the requests
    /// svclab sends; pruned as they expire.
    var conntrackTables: [String: [ConntrackEntry]] = [:]
    var rng: SeededRandom
    /// A second stream for traffic (kube-proxy's random choice, timings of requests), so sending
    /// a request never changes the names or IPs that later objects get.
    var networkRNG: SeededRandom
    /// UIDs of the objects the control plane makes for itself (kube-root-ca.crt): a stream of
    /// their own, so adding one never changes what the seed gives the user's objects.
    var systemRNG: SeededRandom
    /// The kind-like components' own stream (see `isSystemComponent`).
    var componentRNG: SeededRandom
    public internal(set) var resourceVersion: Int64 = 0

    public internal(set) var namespaces = TypedStore<Namespace>()
    public internal(set) var nodes = TypedStore<Node>()
    public internal(set) var pods = TypedStore<Pod>()
    public internal(set) var services = TypedStore<Service>()
    public internal(set) var deployments = TypedStore<Deployment>()
    public internal(set) var replicaSets = TypedStore<ReplicaSet>()
    public internal(set) var endpoints = TypedStore<Endpoints>()
    public internal(set) var endpointSlices = TypedStore<EndpointSlice>()
    public internal(set) var events = TypedStore<Event>()
    /// The kinds the cluster only stores (ConfigMap), one store per kind.
    public internal(set) var stored: [String: TypedStore<StoredObject>] = [:]

    // Secondary indexes: every lookup a controller makes per event goes through one of these.
    var podsByLabel = SetIndex<LabelTerm>()   // key=value in a namespace → pods
    var podsByNode = SetIndex<String>()         // node name → pods
    var podsByOwner = SetIndex<String>()        // controller uid → pods
    var podCountsByOwner: [String: OwnerPodCounts] = [:] // ReplicaSet uid → its status counts
    var replicaSetsByOwner = SetIndex<String>() // deployment uid → replica sets
    var servicesBySelector = SetIndex<LabelTerm>() // → services whose selector's first term it is
    var replicaSetsBySelector = SetIndex<LabelTerm>() // → replica sets whose matchLabels' first term it is
    var slicesByService = SetIndex<String>()    // "ns/name" → endpoint slices
    var nodeOrder: [String] = []        // node names in creation order (scheduler rotation)

    // Work queues (FIFO without duplicates, deterministic; see `WorkQueue`).

    var timers = Heap<Timer>()
    var timerSequence: UInt64 = 0

    var clusterIPAllocator = ClusterIPAllocator()
    var nodePortAllocator = NodePortAllocator()
    var podNetworks: [String: NodePodNetwork] = [:]
    var addressBook = AddressBook()
    /// Service environment variables per namespace (see `serviceEnvironment(for:)`).
    var serviceEnvCache: [String: [(String, String)]] = [:]
    /// Container logs by pod and container (see ContainerProcesses.swift).
    var containerLogs: [ObjectKey: [String: ContainerLog]] = [:]
    /// Runs a container's command when it ends by itself (nil: it runs until stopped). The
    /// session injects the container tools; without one every process runs until stopped.
    public var processRunner: ((Cluster, Pod, Container) -> ProcessRun?)?
    /// Runs a command inside a running container, as the CRI's ExecSync does for the kubelet's
    /// exec probes (the same simulated tools as `kubectl exec`). Without one an exec probe
    /// succeeds, as the command's outcome is unknown.
    public var execRunner: ((Cluster, Pod, Container, [String]) -> ProcessRun)?
    /// Event message texts shared between events (see `internedMessage`).
    var internedMessages = Set<String>()
    var internedOrigins = Set<EventOrigin>()
    var internedEventObjects = Set<EventSubject>()
    /// The earliest batch-ending timer already set, if any (see `mayRunBatch`).
    var flushTimerAt: Millis?
    /// Events by involved object ("Kind\0ns\0name"), so `describe` and diagnosis do not scan.
    var eventsByObject = EventsByObject()
    /// The last event writes per namespace, oldest first (see `recentEvents`).
    var recentEventWrites: [String: RecentEventWrites] = [:]
    /// When events may expire (the API server's --event-ttl, 1 h), earliest first.
    var eventExpiry = EventExpiryQueue()

    private var watchers: [Int: (ClusterChange) -> Void] = [:]
    private var nextWatcher = 0

    // The controllers (Controller.swift), each with its queue and state.
    lazy var kubelet = Kubelet(self)
    lazy var replicaSetController = ReplicaSetController(self)
    lazy var deploymentController = DeploymentController(self)
    lazy var daemonSetController = DaemonSetController(self)
    lazy var scheduler = Scheduler(self)
    lazy var endpointController = EndpointController(self)
    lazy var loadBalancerController = LoadBalancerController(self)
    lazy var kubeProxy = KubeProxy(self)
    /// Every controller, in the order the write path tells them of a change and `settle` runs them.
    lazy var controllers: [Controller] = [replicaSetController, deploymentController, daemonSetController, scheduler, endpointController, loadBalancerController, kubelet, kubeProxy]

    public init(config: Config = Config()) {
        self.config = config
        clock = VirtualClock(start: config.start)
        rng = SeededRandom(seed: config.seed)
        networkRNG = SeededRandom(seed: config.seed ^ 0x6E65_7477_6F72_6B00)
        systemRNG = SeededRandom(seed: config.seed ^ 0x7379_7374_656D_0000)
        componentRNG = SeededRandom(seed: config.seed ^ 0x636F_6D70_6F6E_656E)
    }

    public var now: Millis { clock.now }

    // MARK: Watch

    @discardableResult
    public func watch(_ handler: @escaping (ClusterChange) -> Void) -> Int {
        nextWatcher += 1
        watchers[nextWatcher] = handler
        return nextWatcher
    }
    public func unwatch(_ id: Int) { watchers[id] = nil }

    func notify(_ type: ClusterChange.ChangeType, _ kind: String, _ key: ObjectKey) {
        guard !watchers.isEmpty else { return }
        let change = ClusterChange(type: type, kind: kind, key: key, resourceVersion: resourceVersion)
        for id in watchers.keys.sorted() { watchers[id]?(change) }
    }

    func nextResourceVersion() -> String {
        resourceVersion += 1
        return String(resourceVersion)
    }

    /// The random stream an object's draws come from (its UID, generated name, its pod's
    /// kubelet timings, its events). The components svclab adds to look like a kind cluster
    /// (static control-plane pods, kube-proxy and kindnet, local-path-provisioner and what
    /// belongs to them) draw from a stream of their own and are placed by a rotation of their
    /// own, so adding them never moves a name, UID, IP or node the seed gives anything else —
    /// the user's objects, CoreDNS, or what the control plane makes for them.
    func isSystemComponent(namespace: String, name: String) -> Bool {
        switch namespace {
        case "local-path-storage": return true
        case "kube-system": return Self.componentPrefixes.contains { name.hasPrefix($0) }
        default: return false
        }
    }
    static let componentPrefixes = ["etcd-", "kube-apiserver-", "kube-controller-manager-", "kube-scheduler-", "kube-proxy", "kindnet"]

    /// Runs `body` with the stream `isSystemComponent` picks for the object (else the user's).
    func draw<T>(for namespace: String, _ name: String, _ body: (inout SeededRandom) -> T) -> T {
        isSystemComponent(namespace: namespace, name: name) ? body(&componentRNG) : body(&rng)
    }

    /// A client's random name suffix (kubectl's utilrand.String(5), e.g. the
    /// `node-debugger-NODE-xxxxx` of `kubectl debug node/…`), drawn from the user's stream:
    /// the same session typed again names it the same.
    public func clientNameSuffix() -> String { rng.nameSuffix() }

    /// The same choice for what the control plane makes itself (root CA ConfigMaps, service
    /// accounts, token volume names): the components' stream, else the control plane's.
    func controlPlaneDraw<T>(for namespace: String, _ name: String, _ body: (inout SeededRandom) -> T) -> T {
        isSystemComponent(namespace: namespace, name: name) ? body(&componentRNG) : body(&systemRNG)
    }

    func newUID(for meta: ObjectMeta) -> String {
        draw(for: meta.namespace, meta.name.isEmpty ? meta.generateName : meta.name) { $0.uuid() }
    }

    // MARK: Time

    /// Runs every timer due up to `time` (in order), letting controllers settle after each.
    public func advance(to time: Millis) {
        settle()
        if config.mirrorsRealCluster { clock.set(max(clock.now, time)); return }
        while let next = timers.min, next.due <= time {
            // A long jump (a big scale, `sleep 24h`) can be stopped from outside: the lab polls
            // its keyboard for Ctrl-C here. The clock stays at the last timer that ran.
            if let interrupt, interrupt() { interrupted = true; settle(); return }
            _ = timers.removeMin()
            clock.set(max(clock.now, next.due))
            fire(next.action)
            settle(batchingEndpoints: true)
        }
        clock.set(max(clock.now, time))
        settle()
        expireEvents()
    }

    public func advance(byMillis ms: Millis) { advance(to: clock.now + ms) }
    public func advance(bySeconds s: Double) {
        // Callers refuse absurd durations with a message; this only guarantees no trap.
        guard s.isFinite, s > 0 else { settle(); return }
        advance(to: clock.now.addingClamped(Millis(min(s * 1000, 9.0e15).rounded())))
    }

    /// What a due timer does: each belongs to one controller.
    func fire(_ action: TimerAction) {
        switch action {
        case .installLocalPathStorage: installLocalPathStorage()
        case .flushEndpoints:
            if let at = flushTimerAt, at <= clock.now { flushTimerAt = nil }
        case let .replicaSetBurst(key): replicaSetController.burstEnded(key)
        case let .kubelet(key, uid, step): kubelet.run(step, key, uid: uid)
        }
    }

    /// When the next timer is due, if any (lets `kubectl wait` and watches jump ahead).
    public var nextTimerDue: Millis? { timers.min?.due }

    func schedule(after ms: Millis, _ action: TimerAction) {
        // A mirror's kubelets and controllers are the real cluster's: no timer of ours runs.
        if config.mirrorsRealCluster { return }
        timerSequence += 1
        timers.insert(Timer(due: clock.now.addingClamped(max(0, ms)), sequence: timerSequence, action: action))
    }

    /// Drains the controllers' work queues until nothing is left to do.
    /// How long the Endpoints and EndpointSlice controllers let changes to one Service gather
    /// while the clock runs (the workqueue's coalescing and the EndpointSlice controller's batch
    /// period): a Service with thousands of pods is synced once per batch, not once per pod step.
    static let endpointBatchMillis: Millis = 1000

    public func settle() { settle(batchingEndpoints: false) }

    /// Whether a batched queue may run now; if not, a timer ends its batch on time.
    func mayRunBatch(until due: Millis, batching: Bool) -> Bool {
        guard batching, clock.now < due else { return true }
        if flushTimerAt.map({ $0 > due }) ?? true {
            flushTimerAt = due
            schedule(after: due - clock.now, .flushEndpoints)
        }
        return false
    }

    func settle(batchingEndpoints: Bool) {
        // A mirror's controllers are the real cluster's: what the write path queued is dropped.
        if config.mirrorsRealCluster { dropControllerWork(); return }
        // In `controllers`' order; after any work, from the first again (a ReplicaSet acts on its
        // new size before its Deployment looks again).
        while controllers.contains(where: { $0.runQueued(batching: batchingEndpoints) }) {}
    }
}

/// When events fall due for expiry, oldest first. Events are written in clock order and live a
/// fixed TTL after their last write, so due times only grow: a FIFO of each second's writes
/// (per namespace) replaces a heap of (due, key) — a name of 16 bytes per write instead of 40,
/// and no heap doubling (42 MB at the envelope's 800,000 events).
struct EventExpiryQueue {
    private struct Second { var due: Millis; var namespace: String; var names: [String] }
    private var seconds = Deque<Second>()
    private(set) var count = 0

    mutating func insert(_ key: ObjectKey, due: Millis) {
        count += 1
        if let last = seconds.last, last.due == due, last.namespace == key.namespace {
            seconds[seconds.count - 1].names.append(key.name)
        } else {
            seconds.append(Second(due: due, namespace: key.namespace, names: [key.name]))
        }
    }

    /// The writes due at or before `now`, taken off the queue, in (due, key) order.
    mutating func takeDue(at now: Millis) -> [(due: Millis, key: ObjectKey)] {
        var due: [(due: Millis, key: ObjectKey)] = []
        while let first = seconds.first, first.due <= now {
            seconds.removeFirst()
            count -= first.names.count
            due += first.names.map { (first.due, ObjectKey(first.namespace, $0)) }
        }
        return due.sorted { ($0.due, $0.key) < ($1.due, $1.key) }
    }
}

struct Timer: Comparable {
    var due: Millis
    var sequence: UInt64
    var action: TimerAction
    static func < (a: Timer, b: Timer) -> Bool { (a.due, a.sequence) < (b.due, b.sequence) }
    static func == (a: Timer, b: Timer) -> Bool { a.due == b.due && a.sequence == b.sequence }
}

enum TimerAction {
    case kubelet(ObjectKey, uid: String, step: KubeletStep)
    /// The end of an Endpoints batch (the settle that follows does the work).
    case flushEndpoints
    /// A ReplicaSet that created a full burst of pods may sync again.
    case replicaSetBurst(ObjectKey)
    /// kind's local-path-provisioner, installed after the control plane and CNI.
    case installLocalPathStorage
}

extension Cluster {
    /// How many entries each store, index, queue and cache holds: the soak checks that none of
    /// them keeps growing (resident memory alone cannot tell a leak from the allocator's slack).
    public func footprint() -> [String: Int] {
        controllers.reduce(into: [
            "pods": pods.count, "services": services.count, "replicaSets": replicaSets.count, "endpointSlices": endpointSlices.count,
            "events": events.count,
            "eventExpiry": eventExpiry.count, "recentEventWrites": recentEventWrites.values.reduce(0) { $0 + $1.writes.count },
            "containerLogs": containerLogs.count, "timers": timers.count,
            "podCountsByOwner": podCountsByOwner.count,
            "serviceEnvCache": serviceEnvCache.count,
        ]) { all, controller in all.merge(controller.footprint) { a, _ in a } }
    }
}
