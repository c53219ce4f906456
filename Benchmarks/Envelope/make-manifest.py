#!/usr/bin/env python3
"""Writes the issue-9 envelope as one manifest: DEPLOYMENTS Deployments of REPLICAS pods, each
behind SERVICES_PER Services (default 1,000 x 150 = 150,000 pods and 10,000 Services, 3 MB).

    python3 Benchmarks/Envelope/make-manifest.py [DEPLOYMENTS REPLICAS SERVICES_PER] > envelope.yaml
    printf 'kubectl apply -f envelope.yaml\nsleep 30\nkubectl get deployments -A --no-headers | wc -l\n' \
      | /usr/bin/time -v .build/release/svclab shell --empty --nodes 5000
"""
import sys

deployments, replicas, services_per = (int(a) for a in (sys.argv[1:4] or (1000, 150, 10)))
out = sys.stdout
for d in range(deployments):
    out.write(f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-{d}
  labels: {{app: app-{d}, app.kubernetes.io/part-of: envelope}}
spec:
  replicas: {replicas}
  selector:
    matchLabels: {{app: app-{d}}}
  template:
    metadata:
      labels: {{app: app-{d}, tier: web}}
    spec:
      containers:
      - name: web
        image: ghcr.io/svclab/app:1.0
        ports:
        - {{name: http, containerPort: 8080}}
        resources:
          requests: {{cpu: 10m, memory: 32Mi}}
          limits: {{memory: 64Mi}}
        readinessProbe:
          httpGet: {{path: /healthz, port: http}}
          periodSeconds: 10
---
""")
    for s in range(services_per):
        out.write(f"""apiVersion: v1
kind: Service
metadata:
  name: svc-{d}-{s}
  labels: {{app: app-{d}, app.kubernetes.io/part-of: envelope}}
spec:
  selector: {{app: app-{d}, tier: web}}
  ports:
  - {{name: http, port: 80, targetPort: http}}
---
""")
