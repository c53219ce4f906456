import ClusterModel

/// The ServiceAccount admission plugin: every new pod gets the projected `kube-api-access-…`
/// volume (a token, the cluster CA from kube-root-ca.crt, its namespace) mounted read-only at
/// /var/run/secrets/kubernetes.io/serviceaccount in each container — unless it opts out with
/// `automountServiceAccountToken: false` or already mounts that path. `-o yaml` and
/// `describe` (svclab's and the real kubectl's, through serve) read it from the pod.
extension Cluster {
    static let serviceAccountMountPath = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// The projected volume's sources, the same for every pod: one shared value (Value's arrays
    /// are copy-on-write), so a pod stores only its volume's name — the tree built per pod was
    /// ~1.5 KB, a third of a pod's memory at 150,000 pods.
    static let projectedServiceAccountVolume: Value = .object([
        ("defaultMode", .int(420)),
        ("sources", .array([
            .object([("serviceAccountToken", .object([("expirationSeconds", .int(3607)), ("path", .string("token"))]))]),
            .object([("configMap", .object([("items", .array([.object([("key", .string("ca.crt")), ("path", .string("ca.crt"))])])),
                                            ("name", .string(rootCAConfigMap))]))]),
            .object([("downwardAPI", .object([("items", .array([.object([
                ("fieldRef", .object([("apiVersion", .string("v1")), ("fieldPath", .string("metadata.namespace"))])),
                ("path", .string("namespace"))])]))]))]),
        ])),
    ])

    /// The ServiceAccount admission plugin's lookup: a pod runs as an account that exists in its
    /// namespace, or it is refused (plugin/pkg/admission/serviceaccount: "error looking up
    /// service account NS/NAME: serviceaccount "NAME" not found").
    func serviceAccountProblem(_ spec: PodSpec, namespace: String) -> String? {
        let name = spec.serviceAccountName.isEmpty ? "default" : spec.serviceAccountName
        if stored[ServiceAccountKind.kind]?.get(namespace, name) != nil { return nil }
        return "error looking up service account \(namespace)/\(name): serviceaccount \(goQuote(name)) not found"
    }

    func admitServiceAccount(_ pod: inout Pod) {
        if pod.spec.extra["automountServiceAccountToken"] == .bool(false) { return }
        let mounted = (pod.spec.containers + pod.spec.initContainers).contains { c in
            c.extra["volumeMounts"]?.arrayValue?.contains { $0["mountPath"] == .string(Self.serviceAccountMountPath) } == true
        }
        if mounted { return }
        // The name's five characters come from the control plane's own stream (as the root
        // CA's UIDs do), so admitting a pod never changes the names the seed gives pods.
        let name = "kube-api-access-" + controlPlaneDraw(for: pod.metadata.namespace, pod.metadata.name.isEmpty ? pod.metadata.generateName : pod.metadata.name) { $0.nameSuffix() }
        let volume: Value = .object([("name", .string(name)), ("projected", Self.projectedServiceAccountVolume)])
        pod.spec.extra["volumes"] = .array((pod.spec.extra["volumes"]?.arrayValue ?? []) + [volume])
        let mount: Value = .object([("mountPath", .string(Self.serviceAccountMountPath)), ("name", .string(name)), ("readOnly", .bool(true))])
        for i in pod.spec.containers.indices {
            pod.spec.containers[i].extra["volumeMounts"] = .array((pod.spec.containers[i].extra["volumeMounts"]?.arrayValue ?? []) + [mount])
        }
        for i in pod.spec.initContainers.indices {
            pod.spec.initContainers[i].extra["volumeMounts"] = .array((pod.spec.initContainers[i].extra["volumeMounts"]?.arrayValue ?? []) + [mount])
        }
    }
}
