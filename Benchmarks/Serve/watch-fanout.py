#!/usr/bin/env python3
"""100 concurrent watches over a 1,000-replica scale-up through `svclab serve` (issue 18):
every watcher must end with the same state as a fresh list — no event lost.

Usage: watch-fanout.py URL [WATCHERS] [REPLICAS]   (URL of a running `svclab serve`, e.g.
http://127.0.0.1:18443; the demo cluster's Deployment my-app is scaled — give serve enough
nodes: 110 pods fit on a node, so `--nodes 12` for 1,000 replicas). Loopback only.
"""
import http.client, json, sys, threading, time, urllib.parse

url = urllib.parse.urlparse(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:18443")
assert url.hostname in ("127.0.0.1", "::1", "localhost"), "loopback only"
watchers = int(sys.argv[2]) if len(sys.argv) > 2 else 100
replicas = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
selector = "app.kubernetes.io/name=my-app"
path = "/api/v1/namespaces/default/pods"

def request(method, target, body=None, ctype="application/json"):
    c = http.client.HTTPConnection(url.hostname, url.port, timeout=600)
    c.request(method, target, body=body, headers={"Content-Type": ctype} if body else {})
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, json.loads(data)

def listing():
    status, lst = request("GET", f"{path}?labelSelector={urllib.parse.quote(selector)}")
    return lst["metadata"]["resourceVersion"], {p["metadata"]["name"]: p["metadata"]["resourceVersion"] for p in lst["items"]}

rv, start_state = listing()
states = [dict(start_state) for _ in range(watchers)]
counts = [0] * watchers
errors = []
stop = threading.Event()

def watch(i):
    try:
        c = http.client.HTTPConnection(url.hostname, url.port, timeout=600)
        c.request("GET", f"{path}?watch=true&resourceVersion={rv}&labelSelector={urllib.parse.quote(selector)}")
        r = c.getresponse()
        buf = b""
        while not stop.is_set():
            chunk = r.read1(65536) if hasattr(r, "read1") else r.read(1)
            if not chunk:
                break
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                if not line.strip():
                    continue
                ev = json.loads(line)
                meta = ev["object"]["metadata"]
                counts[i] += 1
                if ev["type"] == "DELETED":
                    states[i].pop(meta["name"], None)
                elif ev["type"] in ("ADDED", "MODIFIED"):
                    states[i][meta["name"]] = meta["resourceVersion"]
    except Exception as e:  # noqa: BLE001 — reported below
        if not stop.is_set():
            errors.append(f"watcher {i}: {e!r}")

threads = [threading.Thread(target=watch, args=(i,), daemon=True) for i in range(watchers)]
for t in threads:
    t.start()
time.sleep(1)
t0 = time.time()
status, _ = request("PATCH", "/apis/apps/v1/namespaces/default/deployments/my-app/scale",
                    json.dumps({"spec": {"replicas": replicas}}), "application/merge-patch+json")
assert status == 200, status
# Until every pod is Running and ready, then until every watcher matches the final list.
give_up = time.time() + 600
while time.time() < give_up:
    _, lst = request("GET", f"{path}?labelSelector={urllib.parse.quote(selector)}")
    ready = sum(1 for p in lst["items"] if any(c["type"] == "Ready" and c["status"] == "True" for c in p["status"].get("conditions", [])))
    if ready >= replicas:
        break
    time.sleep(0.5)
settled = time.time() - t0
_, final = listing()
deadline = time.time() + 60
while time.time() < deadline and any(s != final for s in states):
    time.sleep(0.2)
stop.set()
behind = [i for i, s in enumerate(states) if s != final]
print(f"{watchers} watches, scale 3 -> {replicas}: all ready after {settled:.1f} s wall; "
      f"events per watcher {min(counts)}..{max(counts)}; watchers matching the final list: {watchers - len(behind)}/{watchers}")
if errors:
    print("\n".join(errors[:5]))
sys.exit(1 if behind or errors else 0)
