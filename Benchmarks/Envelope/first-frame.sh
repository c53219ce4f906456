#!/usr/bin/env bash
# Start-up and footprint of the real binary in tmux (issue 9): milliseconds from launching
# `svclab` to the first full frame on the screen, and resident memory of the lab on a teaching
# cluster (20 nodes, 200 pods, 50 Services) after it has settled.
# Usage: Benchmarks/Envelope/first-frame.sh [path/to/svclab]   (default: the release build)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$root/.build/release/svclab}
[ -x "$bin" ] || (cd "$root" && swift build -c release --product svclab >/dev/null)
sock=svclab-bench-$$
trap 'tmux -L $sock kill-server 2>/dev/null || true' EXIT
now_ms() { date +%s%3N; }

# 1. First full frame: the Events pane is the last one drawn.
runs=""
for i in 1 2 3 4 5; do
  start=$(now_ms)
  tmux -L "$sock" new-session -d -s lab -x 80 -y 24 "LANG=C.UTF-8 TERM=xterm-256color $bin"
  until tmux -L "$sock" capture-pane -p -t lab 2>/dev/null | grep -q "Events"; do sleep 0.005; done
  runs="$runs $(( $(now_ms) - start ))"
  tmux -L "$sock" kill-session -t lab
done
echo "first full frame (ms, 5 runs, includes tmux start-up):$runs"

# 2. Teaching cluster: 50 Deployments x 4 replicas, one Service each, on 20 nodes.
manifest=$(mktemp --suffix .yaml)
python3 "$root/Benchmarks/Envelope/make-manifest.py" 50 4 1 > "$manifest"
tmux -L "$sock" new-session -d -s lab -x 120 -y 40 "LANG=C.UTF-8 TERM=xterm-256color $bin --empty --nodes 20"
sleep 1
tmux -L "$sock" send-keys -t lab ":" "kubectl apply -f $manifest" Enter
sleep 8
pid=$(pgrep -n -x svclab)
shown=$(tmux -L "$sock" capture-pane -p -t lab | grep -c "app-")
echo "teaching cluster ($shown app rows on screen): $(grep VmRSS /proc/$pid/status) (VmHWM: $(grep VmHWM /proc/$pid/status | tr -s ' ' | cut -d' ' -f2-))"
rm -f "$manifest"
