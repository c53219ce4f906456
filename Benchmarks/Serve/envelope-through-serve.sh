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
# kubectl's default: pages of 500 (300 requests; client-go's own rate limit, 5 a second after a
# burst of 10, sets the pace); then one request, and pages of 5,000.
for chunk in 500 0 5000; do
  /usr/bin/time -f "kubectl get pods -A --chunk-size=$chunk: %e s wall, %M KB kubectl max RSS" kubectl get pods -A --no-headers --chunk-size=$chunk > "$DIR/pods.txt"
  echo "  rows: $(wc -l < "$DIR/pods.txt")"
done
# The server's own time per page, without kubectl's rate limit (Tables of 500, as kubectl asks).
python3 - "$URL" <<'PY'
import http.client, json, sys, time, urllib.parse
u = urllib.parse.urlparse(sys.argv[1]); c = http.client.HTTPConnection(u.hostname, u.port)
t0 = time.time(); cont = ""; pages = []; n = 0
while True:
    t = time.time()
    c.request("GET", "/api/v1/pods?limit=500" + ("&continue=" + urllib.parse.quote(cont) if cont else ""),
              headers={"Accept": "application/json;as=Table;v=v1;g=meta.k8s.io"})
    d = json.loads(c.getresponse().read()); pages.append(time.time() - t); n += len(d["rows"])
    cont = d["metadata"].get("continue", "")
    if not cont: break
pages.sort()
print(f"{n} rows in {len(pages)} Table pages: {time.time() - t0:.1f} s; per page median {pages[len(pages)//2]*1000:.0f} ms, max {pages[-1]*1000:.0f} ms")
PY
echo "serve's peak resident memory: $(grep VmHWM /proc/$(cat "$DIR/pid")/status)"
