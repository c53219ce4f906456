import ClusterModel

/// kube-controller-manager's root-ca-cert-publisher: every active namespace holds the ConfigMap
/// `kube-root-ca.crt` with the cluster's CA certificate (pods' service-account volumes mount
/// it), created with the namespace and put back if someone deletes or changes it.
extension Cluster {
    static let rootCAConfigMap = "kube-root-ca.crt"

    /// The cluster CA as kind writes one (a fixed, syntactically valid PEM: nothing verifies it).
    static let rootCACertificate = """
        -----BEGIN CERTIFICATE-----
        MIIDBTCCAe2gAwIBAgIIQ2lsYWJyb290MA0GCSqGSIb3DQEBCwUAMBUxEzARBgNV
        BAMTCmt1YmVybmV0ZXMwHhcNMjYwMTAxMDAwMDAwWhcNMzYwMTAxMDAwMDAwWjAV
        MRMwEQYDVQQDEwprdWJlcm5ldGVzMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIB
        CgKCAQEAc3ZjbGFiIGlzIGEgc2ltdWxhdGVkIGNsdXN0ZXI7IHRoaXMgaXMgbm90
        IGEgcmVhbCBrZXkuIHN2Y2xhYiBzaW11bGF0ZXMgYSBjbHVzdGVyLCBhbmQgdGhp
        cyBjZXJ0aWZpY2F0ZSBvbmx5IGhhcyB0aGUgc2hhcGUgb2Ygb25lLgIDAQABo1kw
        VzAOBgNVHQ8BAf8EBAMCAqQwDwYDVR0TAQH/BAUwAwEB/zAdBgNVHQ4EFgQUc3Zj
        bGFiLXJvb3QtY2EtY2VydDAVBgNVHREEDjAMggprdWJlcm5ldGVzMA0GCSqGSIb3
        DQEBCwUAA4IBAQBzdmNsYWIgcm9vdCBDQQ==
        -----END CERTIFICATE-----

        """

    /// Publishes the ConfigMap into a namespace that lacks it (or holds a changed copy).
    func publishRootCA(namespace: String) {
        guard let ns = namespaces.get("", namespace), ns.phase == "Active" else { return }
        let data: Value = .object([("ca.crt", .string(Self.rootCACertificate))])
        if let existing = stored[ConfigMapKind.kind]?.get(namespace, Self.rootCAConfigMap), existing["data"] == data { return }
        var meta = stored[ConfigMapKind.kind]?.get(namespace, Self.rootCAConfigMap)?.metadata ?? ObjectMeta(name: Self.rootCAConfigMap, namespace: namespace)
        if meta.uid.isEmpty {
            // The control plane's own objects draw UIDs from their own stream, so publishing
            // never shifts the names the user's pods get from the seed.
            meta.uid = controlPlaneDraw(for: namespace, Self.rootCAConfigMap) { $0.uuid() }
            meta.creationTimestamp = (clock.now / 1000) * 1000
        }
        meta.annotations["kubernetes.io/description"] = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters."
        putStored(StoredObject(kind: ConfigMapKind.kind, metadata: meta, fields: .object([("data", data)])))
    }
}
