import ClusterModel

/// The ServiceAccount admission plugin: every new pod gets the projected `kube-api-access-…`
/// volume (a token, the cluster CA from kube-root-ca.crt, its namespace) mounted read-only at
/// /var/run/secrets/kubernetes.io/serviceaccount in each container — unless it opts out with
/// `automountServiceAccountToken: false` or already mounts that path. `-o yaml` and
/// `describe` (svclab's and the real kubectl's, through serve) read it from the pod.
extension Cluster {
    static let serviceAccountMountPath = PodSpec.tokenMountPath

    /// The ServiceAccount admission plugin's lookup: a pod runs as an account that exists in its
    /// namespace, or it is refused (plugin/pkg/admission/serviceaccount: "error looking up
    /// service account NS/NAME: serviceaccount "NAME" not found").
    func serviceAccountProblem(_ spec: PodSpec, namespace: String) -> String? {
        let name = spec.serviceAccountName.isEmpty ? "default" : spec.serviceAccountName
        if stored[ServiceAccountKind.kind]?.get(namespace, name) != nil { return nil }
        return "error looking up service account \(namespace)/\(name): serviceaccount \(goQuote(name)) not found"
    }

    func admitServiceAccount(_ pod: inout Pod) {
        if pod.spec.extra["automountServiceAccountToken"] == .bool(false) || !pod.spec.tokenVolumeSuffix.isEmpty { return }
        let mounted = (pod.spec.containers + pod.spec.initContainers).contains { c in
            c.extra["volumeMounts"]?.arrayValue?.contains { $0["mountPath"] == .string(Self.serviceAccountMountPath) } == true
        }
        if mounted { return }
        // The name's five characters come from the control plane's own stream (as the root
        // CA's UIDs do), so admitting a pod never changes the names the seed gives pods.
        let suffix = controlPlaneDraw(for: pod.metadata.namespace, pod.metadata.name.isEmpty ? pod.metadata.generateName : pod.metadata.name) { $0.nameSuffix() }
        // Kept as its suffix: `PodSpec.admitted` writes the volume and mounts out for readers.
        pod.spec.tokenVolumeSuffix = suffix
    }
}
