#!/usr/bin/env python3
"""Throughput past one machine, measured on this one: the Dask path
(fascia.dask.evaluate_bag on a distributed.LocalCluster) with 1 and 2 worker
processes against `fascia batch --threads 2`, on the same generated states,
in the same run.

  PYTHONPATH=build/python /usr/bin/python3 tools/bench/bench_dask.py \
      --fascia build/bin/fascia --states 1000000

Each path evaluates every state and produces the same NDJSON lines
(checked: the total output bytes must be equal); batch's are counted as
they come through a pipe, the Dask workers count them where they are (nothing is gathered
on the client). Reported: wall seconds, states/s, and the Dask paths'
overhead against batch. Needs python3-dask, python3-distributed.
"""

import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def output_bytes(lines):
    """Bytes of the NDJSON the lines make (each line plus its newline)."""
    return [sum(len(line.encode("utf-8")) + 1 for line in lines)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fascia", default=os.path.join(ROOT, "build", "bin", "fascia"))
    parser.add_argument("--protocol", default=os.path.join(ROOT, "protocols", "fibromyalgia.yaml"))
    parser.add_argument("--states", type=int, default=1_000_000)
    parser.add_argument("--blocksize", type=int, default=32_000_000,
                        help="bytes of NDJSON per Dask partition")
    parser.add_argument("--workers", default="1,2", help="worker process counts to run")
    args = parser.parse_args()

    import dask.bag as db
    import distributed

    import fascia
    import fascia.dask

    work = tempfile.mkdtemp(prefix="fascia-bench-")
    states = os.path.join(work, "states.ndjson")
    start = time.perf_counter()
    with open(states, "wb") as out:
        subprocess.run([sys.executable, os.path.join(HERE, "make_states.py"), str(args.states),
                        "--seed", "42"], stdout=out, check=True)
    size = os.path.getsize(states)
    print("machine: %s, %d cores, load average %.1f (shared with other jobs)" %
          (platform.processor() or platform.machine(), os.cpu_count(), os.getloadavg()[0]))
    print("fascia %s (libfascia %s), dask %s, distributed %s" %
          (fascia.__version__, fascia.library_path(), __import__("dask").__version__,
           distributed.__version__))
    print("%d states, %.0f MB of NDJSON (generated in %.1f s)\n" %
          (args.states, size / 1e6, time.perf_counter() - start))

    results = []
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    batch_bytes = 0
    with open(states, "rb") as stdin:
        batch = subprocess.Popen([args.fascia, "batch", "--protocol", args.protocol,
                                  "--threads", "2"], stdin=stdin, stdout=subprocess.PIPE)
        while True:
            chunk = batch.stdout.read(1 << 20)
            if not chunk:
                break
            batch_bytes += len(chunk)
        if batch.wait() != 0:
            raise SystemExit("fascia batch failed")
    batch_seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    batch_cpu = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    results.append(("fascia batch --threads 2", batch_seconds, batch_cpu, batch_bytes))

    for workers in [int(w) for w in args.workers.split(",")]:
        with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                      dashboard_address=None, silence_logs=40) as cluster, \
                distributed.Client(cluster) as client:
            client.run(lambda: __import__("fascia.dask"))  # import outside the timing
            cpu_before = sum(client.run(time.process_time).values())
            start = time.perf_counter()
            bag = db.read_text(states, blocksize=args.blocksize)
            lines = fascia.dask.evaluate_bag(bag, args.protocol, output="json", numbered=False)
            total = lines.map_partitions(output_bytes).sum().compute()
            seconds = time.perf_counter() - start
            cpu = sum(client.run(time.process_time).values()) - cpu_before
        results.append(("dask, %d worker process%s" % (workers, "" if workers == 1 else "es"),
                        seconds, cpu, total))

    # CPU seconds (batch: the process; Dask: the worker processes, not the
    # scheduler) say what a state costs whatever else the machine runs.
    print("%-26s %8s %10s %8s %8s %12s  %s" % ("path", "wall s", "states/s", "vs batch",
                                               "CPU s", "states/CPU-s", "output"))
    for name, seconds, cpu, total in results:
        same = "same bytes" if total == batch_bytes else "DIFFERENT: %d bytes" % total
        print("%-26s %8.1f %10s %7.1fx %8.1f %12s  %s" % (
            name, seconds, "{:,.0f}".format(args.states / seconds), seconds / batch_seconds, cpu,
            "{:,.0f}".format(args.states / cpu), same))
    print("load average after: %.1f" % os.getloadavg()[0])
    os.remove(states)
    os.rmdir(work)
    return 0 if all(r[3] == batch_bytes for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
