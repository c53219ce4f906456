import ClusterModel

/// The demo that `svclab` and `svclab shell` start on: everything the seed tutorial's commands
/// need, as manifests a learner could have applied.
public enum DemoCluster {
    public static let manifests = """
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: my-app
      labels:
        app.kubernetes.io/name: my-app
    spec:
      replicas: 3
      selector:
        matchLabels:
          app.kubernetes.io/name: my-app
      template:
        metadata:
          labels:
            app.kubernetes.io/name: my-app
            app.kubernetes.io/component: api
        spec:
          containers:
            - name: web
              image: ghcr.io/svclab/my-app:1.0
              ports:
                - name: http
                  containerPort: 8080
                - name: metrics
                  containerPort: 9090
              readinessProbe:
                httpGet:
                  path: /healthz
                  port: http
                initialDelaySeconds: 2
                periodSeconds: 5
    ---
    apiVersion: v1
    kind: Service
    metadata:
      name: my-app
      labels:
        app.kubernetes.io/name: my-app
    spec:
      type: ClusterIP
      clusterIP: 10.96.0.100
      selector:
        app.kubernetes.io/name: my-app
      ports:
        - name: http
          port: 80
          targetPort: 8080
          protocol: TCP
    ---
    apiVersion: v1
    kind: Pod
    metadata:
      name: my-pod
      labels:
        run: my-pod
    spec:
      containers:
        - name: dnsutils
          image: registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3
          command: ["sleep", "infinity"]
    ---
    apiVersion: v1
    kind: Namespace
    metadata:
      name: cache
    ---
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: redis
      namespace: cache
      labels:
        app: redis
    spec:
      replicas: 1
      selector:
        matchLabels:
          app: redis
      template:
        metadata:
          labels:
            app: redis
        spec:
          containers:
            - name: redis
              image: redis:7.2
              ports:
                - name: redis
                  containerPort: 6379
    ---
    apiVersion: v1
    kind: Service
    metadata:
      name: redis
      namespace: cache
    spec:
      selector:
        app: redis
      ports:
        - name: redis
          port: 6379
          targetPort: redis
    ---
    apiVersion: v1
    kind: Namespace
    metadata:
      name: database
    ---
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: postgres
      namespace: database
      labels:
        app: postgres
    spec:
      replicas: 1
      selector:
        matchLabels:
          app: postgres
      template:
        metadata:
          labels:
            app: postgres
        spec:
          containers:
            - name: postgres
              image: postgres:16
              env:
                - name: POSTGRES_PASSWORD
                  value: example
              ports:
                - name: postgres
                  containerPort: 5432
    ---
    apiVersion: v1
    kind: Service
    metadata:
      name: postgres
      namespace: database
    spec:
      selector:
        app: postgres
      ports:
        - name: postgres
          port: 5432
          targetPort: postgres
    """
}

/// A generated cluster for scale measurements (benchmarks, the memory budget test): `deployments`
/// Deployments `app-N` of `replicas` pods labelled app + tier=web, each behind `servicesPer`
/// Services `svc-N-M` selecting both labels, on `nodes` workers, run until every pod is ready.
/// Its shape is issue 9's envelope at 5,000 / 1,000 / 150 / 10.
public enum GeneratedCluster {
    public static func make(nodes: Int, deployments: Int, replicas: Int, servicesPer: Int, probePeriodSeconds: Int = 1, seed: UInt64 = 1) -> Cluster {
        let cluster = Cluster.bootstrapped(config: Cluster.Config(seed: seed, workerNodes: nodes), settleSeconds: 1)
        for d in 0..<deployments {
            var dep = Deployment()
            dep.metadata = ObjectMeta(name: "app-\(d)", namespace: "default")
            dep.spec.replicas = replicas
            dep.spec.selector = LabelSelector(matchLabels: ["app": "app-\(d)"])
            dep.spec.template.metadata.labels = ["app": "app-\(d)", "tier": "web"]
            // An image that listens where it says (nginx would listen on 80 and fail the probe).
            var container = Container(name: "web", image: "ghcr.io/svclab/app:1.0", ports: [ContainerPort(name: "http", containerPort: 8080)])
            var probe = Probe()
            probe.handler = .httpGet(path: "/healthz", port: .string("http"), scheme: "HTTP")
            probe.periodSeconds = probePeriodSeconds
            probe.failureThreshold = 1
            container.readinessProbe = probe
            dep.spec.template.spec.containers = [container]
            _ = try? cluster.create(.deployment(dep))
            for s in 0..<servicesPer {
                var svc = Service()
                svc.metadata = ObjectMeta(name: "svc-\(d)-\(s)", namespace: "default")
                svc.spec.selector = ["app": "app-\(d)", "tier": "web"]
                svc.spec.ports = [ServicePort(name: "http", port: 80, targetPort: .string("http"))]
                _ = try? cluster.create(.service(svc))
            }
        }
        cluster.advance(bySeconds: 30)
        return cluster
    }
}
