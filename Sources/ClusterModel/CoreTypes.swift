/// Core v1 kinds, with the fields the simulator models. Fields kubectl users write but the
/// simulation does not act on (resources, volumes, securityContext, …) are kept verbatim in
/// `extra` so they survive a round trip.

public struct Namespace: KubeResource {
    public static let kind = "Namespace"
    public static let apiVersion = "v1"
    public static let resource = "namespaces"
    public static let namespaced = false
    public var metadata = ObjectMeta()
    public var phase = "Active"
    public init() {}
    public init(name: String) { metadata.name = name }
}

public struct Taint: Equatable, Hashable, Sendable {
    public var key: String
    public var value: String?
    public var effect: String
    public init(key: String, value: String? = nil, effect: String) { self.key = key; self.value = value; self.effect = effect }
}

public struct Toleration: Equatable, Hashable, Sendable {
    public var key: String?
    public var op: String?
    public var value: String?
    public var effect: String?
    public var tolerationSeconds: Int64?
    public init(key: String? = nil, op: String? = nil, value: String? = nil, effect: String? = nil, tolerationSeconds: Int64? = nil) {
        self.key = key; self.op = op; self.value = value; self.effect = effect; self.tolerationSeconds = tolerationSeconds
    }
    /// v1helper.TolerationsTolerateTaint for one pair.
    public func tolerates(_ taint: Taint) -> Bool {
        if let effect, !effect.isEmpty, effect != taint.effect { return false }
        if let key, !key.isEmpty, key != taint.key { return false }
        switch op ?? "Equal" {
        case "Exists": return true
        default:
            if key == nil || key!.isEmpty { return false }
            return (value ?? "") == (taint.value ?? "")
        }
    }
}

public struct Node: KubeResource {
    public static let kind = "Node"
    public static let apiVersion = "v1"
    public static let resource = "nodes"
    public static let namespaced = false
    public var metadata = ObjectMeta()
    public var podCIDR: String = ""
    public var unschedulable = false
    public var taints: [Taint] = []
    public var ready = true
    public var internalIP: String = ""
    public var kubeletVersion = "v1.33.1"
    public var osImage = "Debian GNU/Linux 12 (bookworm)"
    public var kernelVersion = "6.8.0-60-generic"
    public var containerRuntime = "containerd://2.1.1"
    public var podCapacity = 110
    public init() {}
}

public struct ContainerPort: Equatable, Hashable, Sendable {
    public var name: String?
    public var containerPort: Int
    public var proto: PortProtocol = .tcp
    public var hostPort: Int?
    public init(name: String? = nil, containerPort: Int, proto: PortProtocol = .tcp, hostPort: Int? = nil) {
        self.name = name; self.containerPort = containerPort; self.proto = proto; self.hostPort = hostPort
    }
}

public struct EnvVar: Equatable, Sendable {
    public var name: String
    public var value: String?
    public var valueFrom: Value?
    public init(name: String, value: String? = nil, valueFrom: Value? = nil) { self.name = name; self.value = value; self.valueFrom = valueFrom }
}

public struct Probe: Equatable, Sendable {
    public enum Handler: Equatable, Sendable {
        case httpGet(path: String, port: IntOrString, scheme: String, host: String = "")
        case tcpSocket(port: IntOrString)
        case exec(command: [String])
        case grpc(port: Int)
        case none
    }
    public var handler: Handler = .none
    public var initialDelaySeconds = 0
    public var timeoutSeconds = 1
    public var periodSeconds = 10
    public var successThreshold = 1
    public var failureThreshold = 3
    public init() {}
}

public struct Container: Equatable, Sendable {
    public var name: String = ""
    public var image: String = ""
    public var command: [String]? = nil
    public var args: [String]? = nil
    public var ports: [ContainerPort] = []
    public var env: [EnvVar] = []
    public var readinessProbe: Probe? = nil
    public var livenessProbe: Probe? = nil
    public var startupProbe: Probe? = nil
    public var imagePullPolicy: String = ""
    /// Known fields the simulation does not interpret (resources, volumeMounts, …).
    public var extra: [String: Value] = [:]
    public init() {}
    public init(name: String, image: String, ports: [ContainerPort] = []) { self.name = name; self.image = image; self.ports = ports }
}

/// A pod's spec. What a pod shares with its template and every replica (containers, policies,
/// volumes…) sits in one box the copies share; what the scheduler and admission set on each
/// pod (its node, its token volume's name) sits beside it, so binding a pod copies nothing.
/// (Inline, the spec was 216 bytes of every pod's storage.)
public struct PodSpec: Equatable, Sendable {
    @usableFromInline struct Shared: Equatable, Sendable {
        @usableFromInline var containers: [Container] = []
        @usableFromInline var initContainers: [Container] = []
        @usableFromInline var nodeSelector: [String: String] = [:]
        @usableFromInline var tolerations: [Toleration] = []
        @usableFromInline var hostname: String = ""
        @usableFromInline var subdomain: String = ""
        @usableFromInline var restartPolicy: String = "Always"
        @usableFromInline var terminationGracePeriodSeconds: Int64 = 30
        @usableFromInline var activeDeadlineSeconds: Int64? = nil
        @usableFromInline var dnsPolicy: String = "ClusterFirst"
        @usableFromInline var enableServiceLinks: Bool = true
        @usableFromInline var hostNetwork: Bool = false
        @usableFromInline var serviceAccountName: String = "default"
        @usableFromInline var schedulerName: String = "default-scheduler"
        @usableFromInline var extra: [String: Value] = [:]
    }
    @usableFromInline var shared = CopyOnWrite(Shared())
    public var nodeName: String = ""
    /// The five-character suffix of the `kube-api-access-…` volume the ServiceAccount admission
    /// plugin added, kept instead of the volume and its mounts (a copy of the containers and two
    /// small trees per pod: ~880 bytes); readers of volumes and mounts take `admitted`.
    public var tokenVolumeSuffix: String = ""

    @inlinable public var containers: [Container] {
        get { shared.box.fields.containers }
        set { shared.fields.containers = newValue }
        _modify { yield &shared.fields.containers }
    }
    @inlinable public var initContainers: [Container] {
        get { shared.box.fields.initContainers }
        set { shared.fields.initContainers = newValue }
        _modify { yield &shared.fields.initContainers }
    }
    @inlinable public var nodeSelector: [String: String] {
        get { shared.box.fields.nodeSelector }
        set { shared.fields.nodeSelector = newValue }
        _modify { yield &shared.fields.nodeSelector }
    }
    @inlinable public var tolerations: [Toleration] {
        get { shared.box.fields.tolerations }
        set { shared.fields.tolerations = newValue }
        _modify { yield &shared.fields.tolerations }
    }
    @inlinable public var hostname: String {
        get { shared.box.fields.hostname }
        set { shared.fields.hostname = newValue }
        _modify { yield &shared.fields.hostname }
    }
    @inlinable public var subdomain: String {
        get { shared.box.fields.subdomain }
        set { shared.fields.subdomain = newValue }
        _modify { yield &shared.fields.subdomain }
    }
    @inlinable public var restartPolicy: String {
        get { shared.box.fields.restartPolicy }
        set { shared.fields.restartPolicy = newValue }
        _modify { yield &shared.fields.restartPolicy }
    }
    @inlinable public var terminationGracePeriodSeconds: Int64 {
        get { shared.box.fields.terminationGracePeriodSeconds }
        set { shared.fields.terminationGracePeriodSeconds = newValue }
        _modify { yield &shared.fields.terminationGracePeriodSeconds }
    }
    @inlinable public var activeDeadlineSeconds: Int64? {
        get { shared.box.fields.activeDeadlineSeconds }
        set { shared.fields.activeDeadlineSeconds = newValue }
        _modify { yield &shared.fields.activeDeadlineSeconds }
    }
    @inlinable public var dnsPolicy: String {
        get { shared.box.fields.dnsPolicy }
        set { shared.fields.dnsPolicy = newValue }
        _modify { yield &shared.fields.dnsPolicy }
    }
    @inlinable public var enableServiceLinks: Bool {
        get { shared.box.fields.enableServiceLinks }
        set { shared.fields.enableServiceLinks = newValue }
        _modify { yield &shared.fields.enableServiceLinks }
    }
    @inlinable public var hostNetwork: Bool {
        get { shared.box.fields.hostNetwork }
        set { shared.fields.hostNetwork = newValue }
        _modify { yield &shared.fields.hostNetwork }
    }
    @inlinable public var serviceAccountName: String {
        get { shared.box.fields.serviceAccountName }
        set { shared.fields.serviceAccountName = newValue }
        _modify { yield &shared.fields.serviceAccountName }
    }
    @inlinable public var schedulerName: String {
        get { shared.box.fields.schedulerName }
        set { shared.fields.schedulerName = newValue }
        _modify { yield &shared.fields.schedulerName }
    }
    @inlinable public var extra: [String: Value] {
        get { shared.box.fields.extra }
        set { shared.fields.extra = newValue }
        _modify { yield &shared.fields.extra }
    }
    public init() {}
}

extension PodSpec {
    public static let tokenVolumePrefix = "kube-api-access-"
    public static let tokenMountPath = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// The projected volume's sources, the same for every pod: one shared value.
    public static let projectedTokenVolume: Value = .object([
        ("defaultMode", .int(420)),
        ("sources", .array([
            .object([("serviceAccountToken", .object([("expirationSeconds", .int(3607)), ("path", .string("token"))]))]),
            .object([("configMap", .object([("items", .array([.object([("key", .string("ca.crt")), ("path", .string("ca.crt"))])])),
                                            ("name", .string("kube-root-ca.crt"))]))]),
            .object([("downwardAPI", .object([("items", .array([.object([
                ("fieldRef", .object([("apiVersion", .string("v1")), ("fieldPath", .string("metadata.namespace"))])),
                ("path", .string("namespace"))])]))]))]),
        ])),
    ])

    /// The inverse of `admitted`: a spec whose last volume and every container's last mount are
    /// exactly what the admission plugin writes is kept as the suffix again (a pod read back
    /// from its own JSON, as an update or a patch sends it).
    public func compactingTokenVolume() -> PodSpec {
        guard tokenVolumeSuffix.isEmpty, case let .array(volumes)? = extra["volumes"], let last = volumes.last,
              let name = last["name"]?.stringValue, name.hasPrefix(Self.tokenVolumePrefix), !containers.isEmpty else { return self }
        let suffix = String(name.dropFirst(Self.tokenVolumePrefix.count))
        var spec = self
        spec.extra["volumes"] = volumes.count == 1 ? nil : .array(Array(volumes.dropLast()))
        func dropMount(_ c: inout Container) -> Bool {
            guard case let .array(mounts)? = c.extra["volumeMounts"], let mount = mounts.last, mount["name"]?.stringValue == name else { return false }
            c.extra["volumeMounts"] = mounts.count == 1 ? nil : .array(Array(mounts.dropLast()))
            return true
        }
        for i in spec.containers.indices { guard dropMount(&spec.containers[i]) else { return self } }
        for i in spec.initContainers.indices { guard dropMount(&spec.initContainers[i]) else { return self } }
        spec.tokenVolumeSuffix = suffix
        // Only when writing it out again gives back exactly this spec.
        return spec.admitted == self ? spec : self
    }

    /// The spec as the API server stores it: the token volume appended to `volumes` and its
    /// read-only mount to every container's `volumeMounts`, as the admission plugin writes them.
    public var admitted: PodSpec {
        guard !tokenVolumeSuffix.isEmpty else { return self }
        var spec = self
        spec.tokenVolumeSuffix = ""
        let name = Self.tokenVolumePrefix + tokenVolumeSuffix
        let volume: Value = .object([("name", .string(name)), ("projected", Self.projectedTokenVolume)])
        spec.extra["volumes"] = .array((extra["volumes"]?.arrayValue ?? []) + [volume])
        let mount: Value = .object([("mountPath", .string(Self.tokenMountPath)), ("name", .string(name)), ("readOnly", .bool(true))])
        for i in spec.containers.indices {
            spec.containers[i].extra["volumeMounts"] = .array((spec.containers[i].extra["volumeMounts"]?.arrayValue ?? []) + [mount])
        }
        for i in spec.initContainers.indices {
            spec.initContainers[i].extra["volumeMounts"] = .array((spec.initContainers[i].extra["volumeMounts"]?.arrayValue ?? []) + [mount])
        }
        return spec
    }
}

extension PodSpec {
    /// `spec.readinessGates[*].conditionType`: conditions someone else (a load balancer
    /// controller) must set True before the kubelet calls the pod Ready.
    public var readinessGateTypes: [String] {
        guard case let .array(gates)? = extra["readinessGates"] else { return [] }
        return gates.compactMap { $0["conditionType"]?.stringValue }
    }
}

public struct PodTemplateSpec: Equatable, Sendable {
    public var metadata = ObjectMeta()
    public var spec = PodSpec()
    public init() {}
}

public struct ContainerStatus: Equatable, Sendable {
    public enum State: Equatable, Sendable {
        case waiting(reason: String)
        case running(startedAt: Millis)
        case terminated(reason: String, exitCode: Int, startedAt: Millis?, finishedAt: Millis)
    }
    public var name: String
    public var image: String
    public var ready: Bool
    public var started: Bool
    public var restartCount: Int
    public var state: State
    /// The previous instance's end, after a restart (`lastState.terminated`).
    public var lastState: State?
    public init(name: String, image: String, ready: Bool = false, started: Bool = false, restartCount: Int = 0, state: State, lastState: State? = nil) {
        self.name = name; self.image = image; self.ready = ready; self.started = started; self.restartCount = restartCount; self.state = state
        self.lastState = lastState
    }
}

/// A pod condition. Every pod keeps five for good, so it is stored in 48 bytes instead of 80:
/// the time without an Optional's padding, and reason and message (set only while something is
/// wrong, the same text on many pods) in one box that a ready pod does not have.
public struct PodCondition: Equatable, Sendable {
    public var type: String
    public var status: ConditionStatus
    private var transition: Millis
    private var detail: Detail?

    private static let noTime = Millis.min
    private final class Detail: Sendable {
        let reason: String?, message: String?
        init(_ reason: String?, _ message: String?) { self.reason = reason; self.message = message }
        static func make(_ reason: String?, _ message: String?) -> Detail? {
            reason == nil && message == nil ? nil : Detail(reason, message)
        }
    }

    public var lastTransitionTime: Millis? {
        get { transition == Self.noTime ? nil : transition }
        set { transition = newValue ?? Self.noTime }
    }
    public var reason: String? {
        get { detail?.reason }
        set { detail = .make(newValue, message) }
    }
    public var message: String? {
        get { detail?.message }
        set { detail = .make(reason, newValue) }
    }

    /// Both at once (one box, not two).
    public mutating func set(reason: String?, message: String?) { detail = .make(reason, message) }

    public init(type: String, status: ConditionStatus, lastTransitionTime: Millis? = nil, reason: String? = nil, message: String? = nil) {
        self.type = type; self.status = status; transition = lastTransitionTime ?? Self.noTime; detail = .make(reason, message)
    }

    public static func == (a: PodCondition, b: PodCondition) -> Bool {
        a.type == b.type && a.status == b.status && a.transition == b.transition && a.reason == b.reason && a.message == b.message
    }
}

/// A pod's phase (core/v1 PodPhase): the five values the API defines.
public enum PodPhase: String, Sendable, CaseIterable, CustomStringConvertible {
    case pending = "Pending", running = "Running", succeeded = "Succeeded", failed = "Failed", unknown = "Unknown"
    /// As the API writes it ("Running"), also in string interpolation.
    public var description: String { rawValue }
}

public struct PodStatus: Equatable, Sendable {
    public var phase: PodPhase = .pending
    public var conditions: [PodCondition] = []
    public var podIP: String = ""
    public var hostIP: String = ""
    public var startTime: Millis? = nil
    public var containerStatuses: [ContainerStatus] = []
    public var reason: String = ""
    public var message: String = ""
    public var nominatedNodeName: String = ""
    public var qosClass: String = "BestEffort"
    public init() {}

    public func condition(_ type: String) -> PodCondition? { conditions.first { $0.type == type } }
    public var isReady: Bool { condition("Ready")?.status == .true }
}

public struct Pod: KubeResource {
    public static let kind = "Pod"
    public static let apiVersion = "v1"
    public static let resource = "pods"

    /// The fields, shared by copies until one changes (see `CopyOnWrite`).
    @usableFromInline struct Fields: Equatable, Sendable {
        @usableFromInline var metadata: ObjectMeta = ObjectMeta()
        @usableFromInline var spec: PodSpec = PodSpec()
        @usableFromInline var status: PodStatus = PodStatus()
    }
    @usableFromInline var storage = CopyOnWrite(Fields())
    @inlinable public var metadata: ObjectMeta {
        get { storage.box.fields.metadata }
        set { storage.fields.metadata = newValue }
        _modify { yield &storage.fields.metadata }
    }
    @inlinable public var spec: PodSpec {
        get { storage.box.fields.spec }
        set { storage.fields.spec = newValue }
        _modify { yield &storage.fields.spec }
    }
    @inlinable public var status: PodStatus {
        get { storage.box.fields.status }
        set { storage.fields.status = newValue }
        _modify { yield &storage.fields.status }
    }
    public init() {}

    public var isTerminal: Bool { status.phase == .succeeded || status.phase == .failed }
    public var isTerminating: Bool { metadata.deletionTimestamp != nil }
}

public struct ServicePort: Equatable, Hashable, Sendable {
    public var name: String = ""
    public var proto: PortProtocol = .tcp
    public var appProtocol: String? = nil
    public var port: Int = 0
    public var targetPort: IntOrString = .int(0)
    public var nodePort: Int = 0
    public init() {}
    public init(name: String = "", proto: PortProtocol = .tcp, port: Int, targetPort: IntOrString? = nil, nodePort: Int = 0) {
        self.name = name; self.proto = proto; self.port = port; self.targetPort = targetPort ?? .int(port); self.nodePort = nodePort
    }
}

public struct LoadBalancerIngress: Equatable, Hashable, Sendable {
    public var ip: String?
    public var hostname: String?
    /// `VIP` (the default the API server fills in for an IP since LoadBalancerIPMode) or `Proxy`.
    public var ipMode: String?
    public init(ip: String? = nil, hostname: String? = nil, ipMode: String? = nil) { self.ip = ip; self.hostname = hostname; self.ipMode = ipMode }
}

public struct ServiceSpec: Equatable, Sendable {
    public var type: ServiceType = .clusterIP
    /// nil and empty both mean "no selector": the controllers leave such Services alone.
    public var selector: [String: String]? = nil
    public var ports: [ServicePort] = []
    public var clusterIP: String = ""
    public var clusterIPs: [String] = []
    public var externalIPs: [String] = []
    public var externalName: String = ""
    public var sessionAffinity: SessionAffinity = .none
    /// `sessionAffinityConfig.clientIP.timeoutSeconds`; nil when no config is set.
    public var sessionAffinityTimeout: Int? = nil
    public var sessionAffinityConfigSet: Bool = false
    public var ipFamilies: [String] = []
    public var ipFamilyPolicy: String? = nil
    public var internalTrafficPolicy: String? = nil
    public var externalTrafficPolicy: String? = nil
    public var loadBalancerIP: String = ""
    public var loadBalancerSourceRanges: [String] = []
    public var loadBalancerClass: String? = nil
    public var allocateLoadBalancerNodePorts: Bool? = nil
    public var healthCheckNodePort: Int = 0
    public var publishNotReadyAddresses: Bool = false
    public var trafficDistribution: String? = nil
    public init() {}

    public var isHeadless: Bool { clusterIP == "None" }
    public var hasSelector: Bool { !(selector?.isEmpty ?? true) }
}

public struct Service: KubeResource {
    public static let kind = "Service"
    public static let apiVersion = "v1"
    public static let resource = "services"
    /// The fields, shared by copies until one changes (see `CopyOnWrite`).
    @usableFromInline struct Fields: Equatable, Sendable {
        @usableFromInline var metadata: ObjectMeta = ObjectMeta()
        @usableFromInline var spec: ServiceSpec = ServiceSpec()
        @usableFromInline var loadBalancerIngress: [LoadBalancerIngress] = []
    }
    @usableFromInline var storage = CopyOnWrite(Fields())
    @inlinable public var metadata: ObjectMeta {
        get { storage.box.fields.metadata }
        set { storage.fields.metadata = newValue }
        _modify { yield &storage.fields.metadata }
    }
    @inlinable public var spec: ServiceSpec {
        get { storage.box.fields.spec }
        set { storage.fields.spec = newValue }
        _modify { yield &storage.fields.spec }
    }
    @inlinable public var loadBalancerIngress: [LoadBalancerIngress] {
        get { storage.box.fields.loadBalancerIngress }
        set { storage.fields.loadBalancerIngress = newValue }
        _modify { yield &storage.fields.loadBalancerIngress }
    }
    public init() {}
}

public struct ObjectReference: Equatable, Hashable, Sendable {
    /// The fields, shared by copies (see `CopyOnWrite`): a pod's address sits in ten Services'
    /// Endpoints and ten slices, and one shared reference (8 bytes each) replaces twenty copies
    /// of six strings (96 bytes each).
    @usableFromInline struct Fields: Hashable, Sendable {
        @usableFromInline var kind: String
        @usableFromInline var namespace: String
        @usableFromInline var name: String
        @usableFromInline var uid: String
        @usableFromInline var apiVersion: String
        @usableFromInline var fieldPath: String
    }
    @usableFromInline var storage: CopyOnWrite<Fields>
    @inlinable public var kind: String {
        get { storage.box.fields.kind }
        set { storage.fields.kind = newValue }
        _modify { yield &storage.fields.kind }
    }
    @inlinable public var namespace: String {
        get { storage.box.fields.namespace }
        set { storage.fields.namespace = newValue }
        _modify { yield &storage.fields.namespace }
    }
    @inlinable public var name: String {
        get { storage.box.fields.name }
        set { storage.fields.name = newValue }
        _modify { yield &storage.fields.name }
    }
    @inlinable public var uid: String {
        get { storage.box.fields.uid }
        set { storage.fields.uid = newValue }
        _modify { yield &storage.fields.uid }
    }
    @inlinable public var apiVersion: String {
        get { storage.box.fields.apiVersion }
        set { storage.fields.apiVersion = newValue }
        _modify { yield &storage.fields.apiVersion }
    }
    @inlinable public var fieldPath: String {
        get { storage.box.fields.fieldPath }
        set { storage.fields.fieldPath = newValue }
        _modify { yield &storage.fields.fieldPath }
    }
    public init(kind: String, namespace: String, name: String, uid: String, apiVersion: String = "", fieldPath: String = "") {
        storage = CopyOnWrite(Fields(kind: kind, namespace: namespace, name: name, uid: uid, apiVersion: apiVersion, fieldPath: fieldPath))
    }
    public func hash(into hasher: inout Hasher) { storage.fields.hash(into: &hasher) }
}

public struct EndpointAddress: Equatable, Hashable, Sendable {
    /// The fields, in one box that a pod's address in all its Services' Endpoints shares (8
    /// bytes an entry instead of 56; see `CopyOnWrite`).
    @usableFromInline struct Fields: Hashable, Sendable {
        @usableFromInline var ip: String
        @usableFromInline var hostname: String
        @usableFromInline var nodeName: String?
        @usableFromInline var targetRef: ObjectReference?
    }
    @usableFromInline var storage: CopyOnWrite<Fields>
    @inlinable public var ip: String {
        get { storage.box.fields.ip }
        set { storage.fields.ip = newValue }
    }
    @inlinable public var hostname: String {
        get { storage.box.fields.hostname }
        set { storage.fields.hostname = newValue }
    }
    @inlinable public var nodeName: String? {
        get { storage.box.fields.nodeName }
        set { storage.fields.nodeName = newValue }
    }
    @inlinable public var targetRef: ObjectReference? {
        get { storage.box.fields.targetRef }
        set { storage.fields.targetRef = newValue }
    }
    public init(ip: String, hostname: String = "", nodeName: String? = nil, targetRef: ObjectReference? = nil) {
        storage = CopyOnWrite(Fields(ip: ip, hostname: hostname, nodeName: nodeName, targetRef: targetRef))
    }
    public func hash(into hasher: inout Hasher) { hasher.combine(storage.box.fields) }
    /// The same box (what sharing one value between Services means).
    public func isSameStorage(_ other: EndpointAddress) -> Bool { storage.box === other.storage.box }
}

public struct EndpointPort: Equatable, Hashable, Sendable {
    public var name: String
    public var port: Int
    public var proto: PortProtocol
    public var appProtocol: String?
    public init(name: String, port: Int, proto: PortProtocol, appProtocol: String? = nil) {
        self.name = name; self.port = port; self.proto = proto; self.appProtocol = appProtocol
    }
}

public struct EndpointSubset: Equatable, Sendable {
    public var addresses: [EndpointAddress] = []
    public var notReadyAddresses: [EndpointAddress] = []
    public var ports: [EndpointPort] = []
    public init(addresses: [EndpointAddress] = [], notReadyAddresses: [EndpointAddress] = [], ports: [EndpointPort] = []) {
        self.addresses = addresses; self.notReadyAddresses = notReadyAddresses; self.ports = ports
    }
}

public struct Endpoints: KubeResource {
    public static let kind = "Endpoints"
    public static let apiVersion = "v1"
    public static let resource = "endpoints"
    public var metadata = ObjectMeta()
    public var subsets: [EndpointSubset] = []
    public init() {}
}

