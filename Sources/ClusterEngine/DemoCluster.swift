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
