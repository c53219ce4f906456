/// apps/v1 and discovery.k8s.io/v1 kinds.

public struct DeploymentStrategy: Equatable, Sendable {
    public var type: String = "RollingUpdate"
    public var maxSurge: IntOrString? = .string("25%")
    public var maxUnavailable: IntOrString? = .string("25%")
    public init() {}
}

public struct DeploymentCondition: Equatable, Sendable {
    public var type: String
    public var status: ConditionStatus
    public var reason: String
    public var message: String
    public var lastUpdateTime: Millis
    public var lastTransitionTime: Millis
    public init(type: String, status: ConditionStatus, reason: String, message: String, at time: Millis) {
        self.type = type; self.status = status; self.reason = reason; self.message = message
        self.lastUpdateTime = time; self.lastTransitionTime = time
    }
}

public struct DeploymentSpec: Equatable, Sendable {
    /// nil when the manifest leaves it out (defaulted to 1 on create; kept on apply).
    public var replicas: Int? = nil
    public var selector: LabelSelector? = nil
    public var template = PodTemplateSpec()
    public var strategy = DeploymentStrategy()
    public var minReadySeconds = 0
    public var revisionHistoryLimit = 10
    public var progressDeadlineSeconds = 600
    public var paused = false
    public init() {}
}

public struct DeploymentStatus: Equatable, Sendable {
    public var observedGeneration: Int64 = 0
    public var replicas = 0
    public var updatedReplicas = 0
    public var readyReplicas = 0
    public var availableReplicas = 0
    public var unavailableReplicas = 0
    public var conditions: [DeploymentCondition] = []
    public var collisionCount: Int? = nil
    public init() {}
}

public struct Deployment: KubeResource {
    public static let kind = "Deployment"
    public static let apiVersion = "apps/v1"
    public static let resource = "deployments"
    public static let group = "apps"
    /// The fields, shared by copies until one changes (see `CopyOnWrite`).
    @usableFromInline struct Fields: Equatable, Sendable {
        @usableFromInline var metadata: ObjectMeta = ObjectMeta()
        @usableFromInline var spec: DeploymentSpec = DeploymentSpec()
        @usableFromInline var status: DeploymentStatus = DeploymentStatus()
    }
    @usableFromInline var storage = CopyOnWrite(Fields())
    @inlinable public var metadata: ObjectMeta {
        get { storage.box.fields.metadata }
        set { storage.fields.metadata = newValue }
        _modify { yield &storage.fields.metadata }
    }
    @inlinable public var spec: DeploymentSpec {
        get { storage.box.fields.spec }
        set { storage.fields.spec = newValue }
        _modify { yield &storage.fields.spec }
    }
    @inlinable public var status: DeploymentStatus {
        get { storage.box.fields.status }
        set { storage.fields.status = newValue }
        _modify { yield &storage.fields.status }
    }
    public init() {}
    public var desiredReplicas: Int { spec.replicas ?? 1 }
}

public struct ReplicaSetSpec: Equatable, Sendable {
    public var replicas: Int? = nil
    public var selector: LabelSelector? = nil
    public var template = PodTemplateSpec()
    public var minReadySeconds = 0
    public init() {}
}

public struct ReplicaSetStatus: Equatable, Sendable {
    public var replicas = 0
    public var fullyLabeledReplicas = 0
    public var readyReplicas = 0
    public var availableReplicas = 0
    public var observedGeneration: Int64 = 0
    public init() {}
}

public struct ReplicaSet: KubeResource {
    public static let kind = "ReplicaSet"
    public static let apiVersion = "apps/v1"
    public static let resource = "replicasets"
    public static let group = "apps"
    /// The fields, shared by copies until one changes (see `CopyOnWrite`).
    @usableFromInline struct Fields: Equatable, Sendable {
        @usableFromInline var metadata: ObjectMeta = ObjectMeta()
        @usableFromInline var spec: ReplicaSetSpec = ReplicaSetSpec()
        @usableFromInline var status: ReplicaSetStatus = ReplicaSetStatus()
    }
    @usableFromInline var storage = CopyOnWrite(Fields())
    @inlinable public var metadata: ObjectMeta {
        get { storage.box.fields.metadata }
        set { storage.fields.metadata = newValue }
        _modify { yield &storage.fields.metadata }
    }
    @inlinable public var spec: ReplicaSetSpec {
        get { storage.box.fields.spec }
        set { storage.fields.spec = newValue }
        _modify { yield &storage.fields.spec }
    }
    @inlinable public var status: ReplicaSetStatus {
        get { storage.box.fields.status }
        set { storage.fields.status = newValue }
        _modify { yield &storage.fields.status }
    }
    public init() {}
    public var desiredReplicas: Int { spec.replicas ?? 1 }
}

public struct EndpointConditions: Equatable, Hashable, Sendable {
    public var ready: Bool?
    public var serving: Bool?
    public var terminating: Bool?
    public init(ready: Bool?, serving: Bool?, terminating: Bool?) { self.ready = ready; self.serving = serving; self.terminating = terminating }
}

public struct SliceEndpoint: Equatable, Hashable, Sendable {
    /// The fields, in one box that a pod's endpoint in all its Services' slices shares (8 bytes
    /// an entry instead of 80; see `CopyOnWrite`).
    @usableFromInline struct Fields: Hashable, Sendable {
        @usableFromInline var addresses: [String]
        @usableFromInline var conditions: EndpointConditions
        @usableFromInline var hostname: String?
        @usableFromInline var targetRef: ObjectReference?
        @usableFromInline var nodeName: String?
        @usableFromInline var zone: String?
        @usableFromInline var hintZones: [String]?
    }
    @usableFromInline var storage: CopyOnWrite<Fields>
    @inlinable public var addresses: [String] {
        get { storage.box.fields.addresses }
        set { storage.fields.addresses = newValue }
    }
    @inlinable public var conditions: EndpointConditions {
        get { storage.box.fields.conditions }
        set { storage.fields.conditions = newValue }
    }
    @inlinable public var hostname: String? {
        get { storage.box.fields.hostname }
        set { storage.fields.hostname = newValue }
    }
    @inlinable public var targetRef: ObjectReference? {
        get { storage.box.fields.targetRef }
        set { storage.fields.targetRef = newValue }
    }
    @inlinable public var nodeName: String? {
        get { storage.box.fields.nodeName }
        set { storage.fields.nodeName = newValue }
    }
    @inlinable public var zone: String? {
        get { storage.box.fields.zone }
        set { storage.fields.zone = newValue }
    }
    /// `hints.forZones` (topology-aware routing): the zones this endpoint should serve.
    @inlinable public var hintZones: [String]? {
        get { storage.box.fields.hintZones }
        set { storage.fields.hintZones = newValue }
    }
    public init(addresses: [String], conditions: EndpointConditions, hostname: String? = nil, targetRef: ObjectReference? = nil, nodeName: String? = nil, zone: String? = nil, hintZones: [String]? = nil) {
        storage = CopyOnWrite(Fields(addresses: addresses, conditions: conditions, hostname: hostname, targetRef: targetRef,
                                     nodeName: nodeName, zone: zone, hintZones: hintZones))
    }
    public func hash(into hasher: inout Hasher) { hasher.combine(storage.box.fields) }
    /// The same box (what sharing one value between Services means).
    public func isSameStorage(_ other: SliceEndpoint) -> Bool { storage.box === other.storage.box }
}

public struct SlicePort: Equatable, Hashable, Sendable {
    public var name: String?
    public var port: Int?
    public var proto: PortProtocol?
    public var appProtocol: String?
    public init(name: String?, port: Int?, proto: PortProtocol?, appProtocol: String? = nil) {
        self.name = name; self.port = port; self.proto = proto; self.appProtocol = appProtocol
    }
}

public struct EndpointSlice: KubeResource {
    public static let kind = "EndpointSlice"
    public static let apiVersion = "discovery.k8s.io/v1"
    public static let resource = "endpointslices"
    public static let group = "discovery.k8s.io"
    /// The label that ties a slice to its Service (kube-proxy and the controllers read it).
    public static let serviceNameLabel = "kubernetes.io/service-name"
    /// The Service this slice belongs to ("" when the label is missing).
    public var serviceName: String { metadata.labels[Self.serviceNameLabel] ?? "" }
    public var metadata = ObjectMeta()
    public var addressType = "IPv4"
    public var endpoints: [SliceEndpoint] = []
    public var ports: [SlicePort] = []
    public init() {}
}
