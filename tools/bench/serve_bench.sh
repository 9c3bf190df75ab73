#!/usr/bin/env bash
# Benchmark of `fascia serve` with wrk (Debian package `wrk`; bench only,
# not part of the tests): requests/s and latency percentiles for
#   1. POST /v1/protocols/fibromyalgia/evaluate (the example client state)
#   2. POST /cds-services/fibromyalgia (a patient-view call with FHIR prefetch)
# 64 keep-alive connections, 30 s each (FASCIA_BENCH_SECONDS to change), and
# the server's RSS before and after. No decision log, access log to a file.
# Besides wrk's requests/s, p50/p99 and errors, it prints the server's CPU
# time (user + system, from /proc/PID/stat) per request: on a shared
# machine that figure, unlike the wall-clock ones, hardly depends on the load.
#   tools/bench/serve_bench.sh [build/bin/fascia]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
fascia="${1:-$root/build/bin/fascia}"
seconds="${FASCIA_BENCH_SECONDS:-30}"
connections="${FASCIA_BENCH_CONNECTIONS:-64}"
threads="${FASCIA_BENCH_WRK_THREADS:-2}"
command -v wrk >/dev/null || "$root/tools/scripts/install_packages.sh" wrk
work="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

# The CDS Hooks request: the flare fixture of the tests with today's dates.
python3 - "$root/tests/serve/data/flare-patient-view.json" > "$work/cds.json" <<'PY'
import sys
sys.path.insert(0, sys.argv[1].rsplit("/data/", 1)[0])
from serve_support import fill_dates
print(fill_dates(open(sys.argv[1]).read()))
PY
cp "$root/protocols/examples/fibromyalgia-client.json" "$work/state.json"
cat > "$work/post.lua" <<'LUA'
local f = io.open(os.getenv("FASCIA_BENCH_BODY"), "rb")
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
done = function(summary, latency, requests)
  io.write(string.format("requests: %d\n", summary.requests))
  io.write(string.format("errors: connect %d, read %d, write %d, status %d, timeout %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout))
  io.write(string.format("latency p50 %.3f ms, p99 %.3f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
LUA

FASCIA_PLUGIN_PATH= "$fascia" serve --protocols "$root/protocols" --listen 127.0.0.1:0 \
  2> "$work/server.log" &
pid=$!
for _ in $(seq 100); do
  port="$(grep -o 'listening on http://[^ ]*' "$work/server.log" | sed 's/.*://' || true)"
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { cat "$work/server.log"; exit 1; }
rss() { awk '/VmRSS/ {print $2 " kB"}' "/proc/$pid/status"; }
# CPU time of the server so far, in clock ticks (utime + stime).
cpu_ticks() { sed 's/.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}'; }
ticks_per_second="$(getconf CLK_TCK)"
echo "fascia serve pid $pid on port $port; RSS before: $(rss)"
echo "machine: $(nproc) cores, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for target in "evaluate /v1/protocols/fibromyalgia/evaluate state.json" \
              "cds-hooks /cds-services/fibromyalgia cds.json"; do
  set -- $target
  echo "== $1: POST $2, $connections connections, ${seconds} s"
  before="$(cpu_ticks)"
  FASCIA_BENCH_BODY="$work/$3" wrk -t"$threads" -c"$connections" -d"${seconds}s" \
    -s "$work/post.lua" "http://127.0.0.1:$port$2" | tee "$work/wrk.out"
  after="$(cpu_ticks)"
  requests="$(awk '/^requests:/ {print $2}' "$work/wrk.out")"
  awk -v t="$((after - before))" -v hz="$ticks_per_second" -v n="$requests" -v name="$1" \
    'BEGIN { if (n > 0) printf "server CPU per request (%s): %.1f us (%.2f s over %d requests)\n", name, t / hz / n * 1e6, t / hz, n }'
  echo "RSS after $1: $(rss)"
done
kill -TERM "$pid"
wait "$pid"
echo "server exit status: $?"
