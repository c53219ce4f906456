#!/usr/bin/env bash
# The envelope through `svclab serve` and the real kubectl (issue 18): 5,000 nodes, 1,000
# Deployments x 150 replicas, 10,000 Services created with `kubectl create -f` (JSON/YAML
# over HTTP), then `kubectl get pods -A` — chunked by kubectl, 500 per request — timed.
# Usage: Benchmarks/Serve/envelope-through-serve.sh [SVCLAB_BINARY]   (release build advised)
set -euo pipefail
BIN=${1:-.build/release/svclab}
DIR=$(mktemp -d)
trap 'kill $(cat "$DIR/pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$DIR"' EXIT
python3 "$(dirname "$0")/../Envelope/make-manifest.py" > "$DIR/envelope.yaml"
"$BIN" serve --empty --nodes 5000 --port 0 --speed 10 --kubeconfig "$DIR/kubeconfig" > "$DIR/serve.log" 2>&1 &
echo $! > "$DIR/pid"
for _ in $(seq 1 100); do grep -q "export KUBECONFIG" "$DIR/serve.log" && break; sleep 0.2; done
export KUBECONFIG="$DIR/kubeconfig" HOME="$DIR"
URL=$(sed -n 's/.*at \(http[^ ]*\).*/\1/p' "$DIR/serve.log")
echo "serving at $URL"
/usr/bin/time -f "kubectl create -f envelope.yaml: %e s wall" kubectl create -f "$DIR/envelope.yaml" > /dev/null
# Until all 150,000 pods exist (remainingItemCount of a one-item page) and none is not Running.
while true; do
  total=$(curl -s "$URL/api/v1/pods?limit=1" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["items"]) + d["metadata"].get("remainingItemCount", 0))' 2>/dev/null || echo 0)
  pending=$(curl -s "$URL/api/v1/pods?limit=1&fieldSelector=status.phase%21%3DRunning" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))' 2>/dev/null || echo 1)
  [ "$total" -ge 150000 ] && [ "$pending" -eq 0 ] && break
  sleep 2
done
echo "150,000 pods running; serve's resident memory: $(grep VmRSS /proc/$(cat "$DIR/pid")/status)"
for i in 1 2 3; do
  /usr/bin/time -f "kubectl get pods -A (run $i): %e s wall, %M KB kubectl max RSS" kubectl get pods -A --no-headers > "$DIR/pods.txt"
  echo "  rows: $(wc -l < "$DIR/pods.txt")"
done
echo "serve's peak resident memory: $(grep VmHWM /proc/$(cat "$DIR/pid")/status)"
