#!/usr/bin/env bash
# Cold start of the CLI: `fascia evaluate` of the bundled fibromyalgia
# protocol on the bundled example client, as a new process each time
# (start, load the plugins, read and compile the protocol, read the state,
# evaluate, print the JSON). Runs it RUNS times (default 50) and prints the
# median and the fastest wall time, the median CPU time (user + system) and
# the peak RSS (from GNU time, /usr/bin/time: the rusage of a child of this
# Python script would report Python's own RSS, about 14 MB, which the
# child held before exec). Run it on a quiet machine: wall times follow the
# load.
#   tools/bench/cold_start.sh [build/bin/fascia]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
fascia="${1:-$root/build/bin/fascia}"
runs="${RUNS:-50}"

python3 - "$fascia" "$root" "$runs" <<'PY'
import os, resource, statistics, subprocess, sys, time

fascia, root, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
cmd = [fascia, "evaluate", "--protocol", os.path.join(root, "protocols/fibromyalgia.yaml"),
       "--state", os.path.join(root, "protocols/examples/fibromyalgia-client.yaml"), "--json"]
subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)  # warm the page cache
walls, cpus = [], []
for _ in range(runs):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    walls.append(time.perf_counter() - start)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpus.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
rss = "unknown (no /usr/bin/time)"
if os.access("/usr/bin/time", os.X_OK):
    timed = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    rss = "%.1f MB" % (int(timed.stderr.strip().splitlines()[-1]) / 1024)
print("fascia evaluate, %d runs: wall median %.2f ms, fastest %.2f ms; CPU median %.2f ms; "
      "peak RSS %s" % (runs, 1000 * statistics.median(walls), 1000 * min(walls),
                       1000 * statistics.median(cpus), rss))
PY
