import ClusterModel

/// What a finding is about: the objects a reader may want to open (the Service, the pods that
/// miss it, the Deployment whose template should change).
public struct Subject: Sendable, Equatable, Hashable {
    public var kind: String
    public var namespace: String
    public var name: String
    public init(_ kind: String, _ namespace: String, _ name: String) { self.kind = kind; self.namespace = namespace; self.name = name }
}

/// What to change — or look at — to mend a finding, as data. `why` prints it as a kubectl
/// command (Kubectl's `FixCommand`), a lesson or the lab can show or apply the same value;
/// nothing here is text for people.
public enum Fix: Sendable, Equatable {
    /// Give a selectorless Service a selector (`value` nil: a placeholder the user fills in).
    case addSelector(service: String, key: String, value: String?)
    /// Swap one selector term for what the pods carry (same key: a new value; else a new key).
    case replaceSelectorTerm(service: String, key: String, newKey: String, value: String)
    /// Recreate the Service in the namespace its pods run in.
    case moveService(service: String, from: String, to: String)
    /// Look at the namespace's pods and their labels, then change the selector or the labels.
    case inspectPodLabels(namespace: String)
    /// Add a label to a Deployment's pod template (the durable fix: its pods are replaced).
    case addTemplateLabel(deployment: String, key: String, value: String)
    /// Label one pod (when no Deployment owns it).
    case labelPod(pod: String, label: String)
    /// Point port `index` of the Service somewhere else (a number, or a container port's name).
    case setTargetPort(service: String, index: Int, to: IntOrString)
    /// Flip port `index` of the Service to the other protocol.
    case setPortProtocol(service: String, index: Int, to: PortProtocol)
    /// Run an image that serves on `port` in the pod's container.
    case replaceImage(pod: String, container: String, servingOn: Int)
    /// Set a pod's readiness-gate condition True, as the gate's controller would.
    case satisfyReadinessGate(pod: String, gate: String)
    /// Look at why a pod is not ready (its Readiness line and Unhealthy events).
    case describePod(pod: String)
    /// Run more replicas of a Deployment.
    case scale(deployment: String, replicas: Int)

    /// Whether applying it changes the cluster (the others only show where to look).
    public var changesCluster: Bool {
        switch self {
        case .inspectPodLabels, .describePod, .addSelector(_, _, nil), .replaceImage: return false
        default: return true
        }
    }
}
