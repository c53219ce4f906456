import ClusterModel

/// What a kind cluster runs besides CoreDNS (kind v0.29, Kubernetes v1.33): the control plane's
/// static pods on the control-plane node (kubeadm's manifests, cmd/kubeadm/app/phases/
/// controlplane/manifests.go and etcd/local.go), kube-proxy and kindnet as DaemonSets on every
/// node, and local-path-provisioner in its own namespace. They draw from their own random
/// stream (`isSystemComponent`), so the names and IPs the seed gives the user's objects are the
/// same with or without them.
extension Cluster {
    static let kubernetesVersion = "v1.33.1"

    func installKindComponents() {
        for component in ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"] {
            createMirrorPod(staticPod(component))
        }
        for account in ["kube-proxy", "kindnet"] { publishDefaultServiceAccount(namespace: "kube-system", name: account) }
        _ = try? create(.stored(kubeProxyDaemonSet()))
        _ = try? create(.stored(kindnetDaemonSet()))
        // `kind create cluster` installs the StorageClass after kubeadm and the CNI, seconds
        // later: CoreDNS's pods come first, as their IPs on the control plane show.
        schedule(after: 10_000, .installLocalPathStorage)
    }

    func installLocalPathStorage() {
        var ns = Namespace(name: "local-path-storage")
        ns.metadata.uid = componentRNG.uuid()
        ns.metadata.creationTimestamp = (clock.now / 1000) * 1000
        ns.metadata.labels = ["kubernetes.io/metadata.name": "local-path-storage"]
        ns.phase = "Active"
        putNamespace(ns)
        publishDefaultServiceAccount(namespace: "local-path-storage", name: "local-path-provisioner-service-account")
        _ = try? create(.deployment(localPathProvisioner()))
    }

    // MARK: Static pods

    /// The kubelet's mirror pod of a static pod: owned by the node, annotated with the manifest's
    /// hash, bound from the start (static pods never see the scheduler).
    func createMirrorPod(_ pod: Pod) {
        var pod = pod
        pod.metadata.uid = componentRNG.uuid()
        pod.metadata.creationTimestamp = (clock.now / 1000) * 1000
        if let node = nodes.get("", pod.spec.nodeName) {
            pod.metadata.ownerReferences = [OwnerReference(apiVersion: "v1", kind: Node.kind, name: node.metadata.name, uid: node.metadata.uid, controller: true, blockOwnerDeletion: nil)]
        }
        pod.status.qosClass = qosClass(pod.spec)
        putPod(pod)
        kubelet.admit(pod)
    }

    /// Deleting a mirror pod through the API does not stop the static pod: the kubelet writes
    /// the mirror again at once (a new UID and age), its containers still running.
    func recreateMirrorPod(_ old: Pod) {
        let key = ObjectKey(old.metadata.namespace, old.metadata.name)
        removePod(key)
        var pod = old
        pod.metadata.uid = componentRNG.uuid()
        pod.metadata.creationTimestamp = (clock.now / 1000) * 1000
        pod.metadata.resourceVersion = ""
        kubelet.runtime[key]?.uid = pod.metadata.uid
        putPod(pod)
    }

    public static func isMirrorPod(_ pod: Pod) -> Bool { pod.metadata.annotations["kubernetes.io/config.mirror"] != nil }

    func staticPod(_ component: String) -> Pod {
        let node = controlPlaneName
        let ip = controlPlaneIP
        let pki = "/etc/kubernetes/pki"
        var c = Container(name: component, image: "registry.k8s.io/\(component):\(component == "etcd" ? "3.5.21-0" : Self.kubernetesVersion)")
        c.imagePullPolicy = "IfNotPresent"
        var annotations: [String: String] = [:]
        var cpu = "100m"
        var memory: String?
        var mounts: [(name: String, path: String, readOnly: Bool)] = []
        var volumes: [(name: String, path: String, type: String)] = []
        func probe(_ host: String, _ path: String, _ port: Int, _ scheme: String, initialDelay: Int = 10, period: Int = 10, failure: Int) -> Probe {
            var p = Probe()
            p.handler = .httpGet(path: path, port: .int(port), scheme: scheme, host: host)
            p.initialDelaySeconds = initialDelay; p.periodSeconds = period; p.timeoutSeconds = 15; p.failureThreshold = failure
            return p
        }
        let certs = [("ca-certs", "/etc/ssl/certs", "DirectoryOrCreate"), ("etc-ca-certificates", "/etc/ca-certificates", "DirectoryOrCreate"),
                     ("k8s-certs", pki, "DirectoryOrCreate"), ("usr-local-share-ca-certificates", "/usr/local/share/ca-certificates", "DirectoryOrCreate"),
                     ("usr-share-ca-certificates", "/usr/share/ca-certificates", "DirectoryOrCreate")]
        switch component {
        case "etcd":
            annotations["kubeadm.kubernetes.io/etcd.advertise-client-urls"] = "https://\(ip):2379"
            c.command = ["etcd", "--advertise-client-urls=https://\(ip):2379", "--cert-file=\(pki)/etcd/server.crt", "--client-cert-auth=true",
                         "--data-dir=/var/lib/etcd", "--experimental-initial-corrupt-check=true", "--experimental-watch-progress-notify-interval=5s",
                         "--initial-advertise-peer-urls=https://\(ip):2380", "--initial-cluster=\(node)=https://\(ip):2380",
                         "--key-file=\(pki)/etcd/server.key", "--listen-client-urls=https://127.0.0.1:2379,https://\(ip):2379",
                         "--listen-metrics-urls=http://127.0.0.1:2381", "--listen-peer-urls=https://\(ip):2380", "--name=\(node)",
                         "--peer-cert-file=\(pki)/etcd/peer.crt", "--peer-client-cert-auth=true", "--peer-key-file=\(pki)/etcd/peer.key",
                         "--peer-trusted-ca-file=\(pki)/etcd/ca.crt", "--snapshot-count=10000", "--trusted-ca-file=\(pki)/etcd/ca.crt"]
            c.livenessProbe = probe("127.0.0.1", "/livez", 2381, "HTTP", failure: 8)
            c.readinessProbe = probe("127.0.0.1", "/readyz", 2381, "HTTP", initialDelay: 0, period: 1, failure: 3)
            c.startupProbe = probe("127.0.0.1", "/readyz", 2381, "HTTP", failure: 24)
            memory = "100Mi"
            mounts = [("etcd-data", "/var/lib/etcd", false), ("etcd-certs", "\(pki)/etcd", false)]
            volumes = [("etcd-certs", "\(pki)/etcd", "DirectoryOrCreate"), ("etcd-data", "/var/lib/etcd", "DirectoryOrCreate")]
        case "kube-apiserver":
            annotations["kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint"] = "\(ip):6443"
            c.command = ["kube-apiserver", "--advertise-address=\(ip)", "--allow-privileged=true", "--authorization-mode=Node,RBAC",
                         "--client-ca-file=\(pki)/ca.crt", "--enable-admission-plugins=NodeRestriction", "--enable-bootstrap-token-auth=true",
                         "--etcd-cafile=\(pki)/etcd/ca.crt", "--etcd-certfile=\(pki)/apiserver-etcd-client.crt",
                         "--etcd-keyfile=\(pki)/apiserver-etcd-client.key", "--etcd-servers=https://127.0.0.1:2379",
                         "--kubelet-client-certificate=\(pki)/apiserver-kubelet-client.crt", "--kubelet-client-key=\(pki)/apiserver-kubelet-client.key",
                         "--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname", "--proxy-client-cert-file=\(pki)/front-proxy-client.crt",
                         "--proxy-client-key-file=\(pki)/front-proxy-client.key", "--requestheader-allowed-names=front-proxy-client",
                         "--requestheader-client-ca-file=\(pki)/front-proxy-ca.crt", "--requestheader-extra-headers-prefix=X-Remote-Extra-",
                         "--requestheader-group-headers=X-Remote-Group", "--requestheader-username-headers=X-Remote-User",
                         "--runtime-config=", "--secure-port=6443", "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                         "--service-account-key-file=\(pki)/sa.pub", "--service-account-signing-key-file=\(pki)/sa.key",
                         "--service-cluster-ip-range=10.96.0.0/16", "--tls-cert-file=\(pki)/apiserver.crt", "--tls-private-key-file=\(pki)/apiserver.key"]
            c.livenessProbe = probe(ip, "/livez", 6443, "HTTPS", failure: 8)
            c.readinessProbe = probe(ip, "/readyz", 6443, "HTTPS", initialDelay: 0, period: 1, failure: 3)
            c.startupProbe = probe(ip, "/livez", 6443, "HTTPS", failure: 24)
            cpu = "250m"
            mounts = certs.map { ($0.0, $0.1, true) }
            volumes = certs
        case "kube-controller-manager":
            let kubeconfig = "/etc/kubernetes/controller-manager.conf"
            c.command = ["kube-controller-manager", "--allocate-node-cidrs=true", "--authentication-kubeconfig=\(kubeconfig)",
                         "--authorization-kubeconfig=\(kubeconfig)", "--bind-address=127.0.0.1", "--client-ca-file=\(pki)/ca.crt",
                         "--cluster-cidr=10.244.0.0/16", "--cluster-name=\(config.clusterName)", "--cluster-signing-cert-file=\(pki)/ca.crt",
                         "--cluster-signing-key-file=\(pki)/ca.key", "--controllers=*,bootstrapsigner,tokencleaner",
                         "--enable-hostpath-provisioner=true", "--kubeconfig=\(kubeconfig)", "--leader-elect=true",
                         "--requestheader-client-ca-file=\(pki)/front-proxy-ca.crt", "--root-ca-file=\(pki)/ca.crt",
                         "--service-account-private-key-file=\(pki)/sa.key", "--service-cluster-ip-range=10.96.0.0/16",
                         "--use-service-account-credentials=true"]
            c.livenessProbe = probe("127.0.0.1", "/healthz", 10257, "HTTPS", failure: 8)
            c.startupProbe = probe("127.0.0.1", "/healthz", 10257, "HTTPS", failure: 24)
            cpu = "200m"
            mounts = certs.map { ($0.0, $0.1, true) } + [("flexvolume-dir", "/usr/libexec/kubernetes/kubelet-plugins/volume/exec", false), ("kubeconfig", kubeconfig, true)]
            volumes = certs + [("flexvolume-dir", "/usr/libexec/kubernetes/kubelet-plugins/volume/exec", "DirectoryOrCreate"), ("kubeconfig", kubeconfig, "FileOrCreate")]
        default: // kube-scheduler
            let kubeconfig = "/etc/kubernetes/scheduler.conf"
            c.command = ["kube-scheduler", "--authentication-kubeconfig=\(kubeconfig)", "--authorization-kubeconfig=\(kubeconfig)",
                         "--bind-address=127.0.0.1", "--kubeconfig=\(kubeconfig)", "--leader-elect=true"]
            c.livenessProbe = probe("127.0.0.1", "/livez", 10259, "HTTPS", failure: 8)
            c.readinessProbe = probe("127.0.0.1", "/readyz", 10259, "HTTPS", initialDelay: 0, period: 1, failure: 3)
            c.startupProbe = probe("127.0.0.1", "/livez", 10259, "HTTPS", failure: 24)
            mounts = [("kubeconfig", kubeconfig, true)]
            volumes = [("kubeconfig", kubeconfig, "FileOrCreate")]
        }
        var requests: [(String, Value)] = [("cpu", .string(cpu))]
        if let memory { requests.append(("memory", .string(memory))) }
        c.extra["resources"] = .object([("requests", .object(requests))])
        c.extra["volumeMounts"] = .array(mounts.sorted { $0.path < $1.path }.map { m in
            .object([("mountPath", .string(m.path)), ("name", .string(m.name))] + (m.readOnly ? [("readOnly", .bool(true))] : []))
        })
        var pod = Pod()
        pod.metadata.name = "\(component)-\(node)"
        pod.metadata.namespace = "kube-system"
        pod.metadata.labels = ["component": component, "tier": "control-plane"]
        // The manifest's hash names the static pod (config.hash = config.mirror).
        let hash = Self.manifestHash(component + node)
        annotations["kubernetes.io/config.hash"] = hash
        annotations["kubernetes.io/config.mirror"] = hash
        annotations["kubernetes.io/config.seen"] = Timestamps.rfc3339Nano(clock.now)
        annotations["kubernetes.io/config.source"] = "file"
        pod.metadata.annotations = annotations
        pod.spec.containers = [c]
        pod.spec.nodeName = node
        pod.spec.hostNetwork = true
        pod.spec.tolerations = [Toleration(op: "Exists", effect: "NoExecute")]
        pod.spec.extra["priorityClassName"] = .string("system-node-critical")
        pod.spec.extra["securityContext"] = .object([("seccompProfile", .object([("type", .string("RuntimeDefault"))]))])
        pod.spec.extra["volumes"] = .array(volumes.map { v in
            .object([("hostPath", .object([("path", .string(v.path)), ("type", .string(v.type))])), ("name", .string(v.name))])
        })
        Defaults.apply(&pod.spec)
        return pod
    }

    /// 32 hex digits, as the kubelet's md5 of a manifest looks.
    static func manifestHash(_ text: String) -> String {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325, b: UInt64 = 0x8422_2325_cbf2_9ce4
        for byte in text.utf8 { a = (a ^ UInt64(byte)) &* 0x100_0000_01b3; b = (b ^ UInt64(byte)) &* 0x100_0000_01b3 &+ a }
        return String(a, radix: 16).leftPad(16) + String(b, radix: 16).leftPad(16)
    }

    // MARK: DaemonSets and local-path-provisioner

    /// kubeadm's kube-proxy DaemonSet (cmd/kubeadm/app/phases/addons/proxy/manifests.go).
    func kubeProxyDaemonSet() -> StoredObject {
        var c = Container(name: "kube-proxy", image: "registry.k8s.io/kube-proxy:\(Self.kubernetesVersion)")
        c.command = ["/usr/local/bin/kube-proxy", "--config=/var/lib/kube-proxy/config.conf", "--hostname-override=$(NODE_NAME)"]
        c.env = [EnvVar(name: "NODE_NAME", value: nil, valueFrom: .object([("fieldRef", .object([("apiVersion", .string("v1")), ("fieldPath", .string("spec.nodeName"))]))]))]
        c.imagePullPolicy = "IfNotPresent"
        c.extra["securityContext"] = .object([("privileged", .bool(true))])
        c.extra["volumeMounts"] = .array([.object([("mountPath", .string("/var/lib/kube-proxy")), ("name", .string("kube-proxy"))])] + Self.iptablesMounts)
        var spec = Self.nodeAgentSpec(c, serviceAccount: "kube-proxy",
                                      volumes: [.object([("configMap", .object([("defaultMode", .int(420)), ("name", .string("kube-proxy"))])), ("name", .string("kube-proxy"))])])
        spec.extra["priorityClassName"] = .string("system-node-critical")
        return daemonSetObject(name: "kube-proxy", labels: ["k8s-app": "kube-proxy"], selector: ["k8s-app": "kube-proxy"], spec: spec)
    }

    /// kind's kindnet DaemonSet (kind pkg/build/nodeimage/const_cni.go).
    func kindnetDaemonSet() -> StoredObject {
        var c = Container(name: "kindnet-cni", image: "docker.io/kindest/kindnetd:v20250512-df8de77b")
        func field(_ path: String) -> Value { .object([("fieldRef", .object([("apiVersion", .string("v1")), ("fieldPath", .string(path))]))]) }
        c.env = [EnvVar(name: "HOST_IP", value: nil, valueFrom: field("status.hostIP")), EnvVar(name: "POD_IP", value: nil, valueFrom: field("status.podIP")),
                 EnvVar(name: "POD_SUBNET", value: "10.244.0.0/16", valueFrom: nil),
                 EnvVar(name: "CONTROL_PLANE_ENDPOINT", value: "\(controlPlaneName):6443", valueFrom: nil)]
        c.imagePullPolicy = "IfNotPresent"
        c.extra["resources"] = .object([("limits", .object([("cpu", .string("100m")), ("memory", .string("50Mi"))])),
                                        ("requests", .object([("cpu", .string("100m")), ("memory", .string("50Mi"))]))])
        c.extra["securityContext"] = .object([("capabilities", .object([("add", .array([.string("NET_RAW"), .string("NET_ADMIN")]))])), ("privileged", .bool(false))])
        c.extra["volumeMounts"] = .array([.object([("mountPath", .string("/etc/cni/net.d")), ("name", .string("cni-cfg"))])] + Self.iptablesMounts)
        let spec = Self.nodeAgentSpec(c, serviceAccount: "kindnet",
                                      volumes: [.object([("hostPath", .object([("path", .string("/etc/cni/net.d")), ("type", .string(""))])), ("name", .string("cni-cfg"))])])
        return daemonSetObject(name: "kindnet", labels: ["app": "kindnet", "k8s-app": "kindnet", "tier": "node"], selector: ["app": "kindnet"],
                               templateLabels: ["app": "kindnet", "k8s-app": "kindnet", "tier": "node"], spec: spec)
    }

    /// What both node agents mount from the host to program iptables: its lock file and the
    /// kernel modules.
    static let iptablesMounts: [Value] = [
        .object([("mountPath", .string("/run/xtables.lock")), ("name", .string("xtables-lock"))]),
        .object([("mountPath", .string("/lib/modules")), ("name", .string("lib-modules")), ("readOnly", .bool(true))]),
    ]

    /// A node agent's pod: host network, every node (it tolerates everything), Linux only, its
    /// own volumes and the iptables ones.
    static func nodeAgentSpec(_ c: Container, serviceAccount: String, volumes: [Value]) -> PodSpec {
        var spec = PodSpec()
        spec.containers = [c]
        spec.hostNetwork = true
        spec.nodeSelector = ["kubernetes.io/os": "linux"]
        spec.serviceAccountName = serviceAccount
        spec.tolerations = [Toleration(op: "Exists")]
        spec.extra["volumes"] = .array(volumes + [
            .object([("hostPath", .object([("path", .string("/run/xtables.lock")), ("type", .string("FileOrCreate"))])), ("name", .string("xtables-lock"))]),
            .object([("hostPath", .object([("path", .string("/lib/modules")), ("type", .string(""))])), ("name", .string("lib-modules"))]),
        ])
        return spec
    }

    private func daemonSetObject(name: String, labels: [String: String], selector: [String: String], templateLabels: [String: String]? = nil, spec: PodSpec) -> StoredObject {
        var template = PodTemplateSpec()
        template.metadata.labels = templateLabels ?? selector
        template.spec = spec
        Defaults.apply(&template.spec)
        let fields: Value = .object([("spec", .object([
            ("revisionHistoryLimit", .int(10)),
            ("selector", .object([("matchLabels", .object(selector.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))])),
            ("template", ObjectEncoder.template(template)),
            ("updateStrategy", .object([("rollingUpdate", .object([("maxSurge", .int(0)), ("maxUnavailable", .int(1))])), ("type", .string("RollingUpdate"))])),
        ]))])
        var meta = ObjectMeta(name: name, namespace: "kube-system", labels: labels)
        meta.generation = 1
        return StoredObject(kind: DaemonSetKind.kind, metadata: meta, fields: fields)
    }

    /// kind's local-path-provisioner (rancher/local-path-provisioner, patched by kind to run on
    /// the control plane).
    func localPathProvisioner() -> Deployment {
        var d = Deployment()
        d.metadata = ObjectMeta(name: "local-path-provisioner", namespace: "local-path-storage")
        d.spec.replicas = 1
        d.spec.selector = LabelSelector(matchLabels: ["app": "local-path-provisioner"])
        d.spec.template.metadata.labels = ["app": "local-path-provisioner"]
        var c = Container(name: "local-path-provisioner", image: "docker.io/kindest/local-path-provisioner:v20250214-acbabc1a")
        c.command = ["local-path-provisioner", "--debug", "start", "--helper-image", "docker.io/kindest/local-path-helper:v20241212-8ac705d0",
                     "--config", "/etc/config/config.json"]
        c.env = [EnvVar(name: "POD_NAMESPACE", value: nil, valueFrom: .object([("fieldRef", .object([("apiVersion", .string("v1")), ("fieldPath", .string("metadata.namespace"))]))])),
                 EnvVar(name: "CONFIG_MOUNT_PATH", value: "/etc/config/", valueFrom: nil)]
        c.imagePullPolicy = "IfNotPresent"
        c.extra["volumeMounts"] = .array([.object([("mountPath", .string("/etc/config/")), ("name", .string("config-volume"))])])
        d.spec.template.spec.containers = [c]
        d.spec.template.spec.nodeSelector = ["kubernetes.io/os": "linux"]
        d.spec.template.spec.serviceAccountName = "local-path-provisioner-service-account"
        d.spec.template.spec.tolerations = [Toleration(key: "node-role.kubernetes.io/control-plane", op: "Equal", effect: "NoSchedule"),
                                            Toleration(key: "node-role.kubernetes.io/master", op: "Equal", effect: "NoSchedule")]
        d.spec.template.spec.extra["volumes"] = .array([.object([("configMap", .object([("defaultMode", .int(420)), ("name", .string("local-path-config"))])), ("name", .string("config-volume"))])])
        return d
    }
}
