import ClusterEngine
@testable import Kubectl

/// A session whose `apply -f NAME` reads from an in-memory file table.
func session(empty: Bool = false, files: [String: String] = [:], seed: UInt64 = 1) -> Session {
    let s = empty ? Session.empty(seed: seed) : Session.demo(seed: seed)
    s.workingDirectory = "/lab"
    s.readFile = { path in
        guard let text = files[String(path.dropFirst("/lab/".count))] else { throw CocoaLikeError.missing }
        return text
    }
    s.fileExists = { files[String($0.dropFirst("/lab/".count))] != nil }
    s.listDirectory = { _ in nil }
    return s
}

enum CocoaLikeError: Error { case missing }

extension Session {
    /// Runs a script and returns stdout and stderr as they would appear on a terminal.
    func transcript(_ script: String) -> String { runScript(script).combined }
}

let seedServiceYAML = """
apiVersion: v1
kind: Service
metadata:
  name: my-app
  labels:
    app.kubernetes.io/name: my-app
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: my-app
  ports:
    - name: http
      port: 80
      targetPort: 8080
      protocol: TCP
"""

let myAppDeploymentYAML = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: my-app
spec:
  replicas: 3
  selector:
    matchLabels:
      app.kubernetes.io/name: my-app
  template:
    metadata:
      labels:
        app.kubernetes.io/name: my-app
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports:
        - containerPort: 8080
"""
