#!/usr/bin/env python3
"""`fascia batch`: exactly one output line per input line, in input order,
whatever the lines hold and however many threads run; bad lines become
{"line": N, "error": "..."} and never stop the run or lose another line.

  batch_test.py --fascia build/bin/fascia --root .
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "tools", "bench"))
import make_states  # noqa: E402  (the benchmark's state generator)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--fascia", required=True)
    parser.add_argument("--root", required=True)
    args = parser.parse_args()
    protocol = os.path.join(args.root, "protocols", "fibromyalgia.yaml")
    failures = []

    def check(condition, what):
        if not condition:
            failures.append(what)
            print("check failed: " + what, file=sys.stderr)

    def batch(data, *extra):
        run = subprocess.run([args.fascia, "batch", "--protocol", protocol] + list(extra),
                             input=data, capture_output=True, timeout=240)
        return run.returncode, run.stdout.decode("utf-8"), run.stderr.decode("utf-8")

    import random
    rng = random.Random(7)
    states = [json.dumps(make_states.state(rng, n), separators=(",", ":")) for n in range(1, 301)]

    # The reference: each state on its own through `fascia evaluate --json`.
    reference = {}
    for i in (0, 1, 2, 150, 299):
        run = subprocess.run([args.fascia, "evaluate", "--protocol", protocol, "--state", "-",
                              "--json"], input=states[i].encode(), capture_output=True,
                             timeout=60)
        check(run.returncode == 0, "evaluate state %d: %s" % (i, run.stderr[:200]))
        reference[i] = run.stdout.decode().rstrip("\n")

    # Good lines only, with several thread counts: same bytes every time.
    good = ("\n".join(states) + "\n").encode()
    outputs = []
    for threads in ("1", "2", "3", "8"):
        code, out, err = batch(good, "--threads", threads)
        check(code == 0, "exit %d with %s threads: %s" % (code, threads, err[:200]))
        lines = out.split("\n")
        check(lines[-1] == "" and len(lines) - 1 == len(states),
              "%d output lines for %d states" % (len(lines) - 1, len(states)))
        outputs.append(out)
        for i, expected in reference.items():
            check(lines[i] == expected, "line %d with %s threads differs from evaluate" %
                  (i + 1, threads))
        for i, line in enumerate(lines[:-1]):
            if json.loads(line).get("client_id") != "C-%06d" % (i + 1):
                check(False, "line %d is not client %d" % (i + 1, i + 1))
                break
    check(all(o == outputs[0] for o in outputs), "outputs differ between thread counts")

    # Bad lines among good ones.
    huge = '{"format": 1, "client": {"id": "' + "x" * (5 << 20) + '"}}'
    bad_lines = {
        2: "",                                  # empty
        3: "   \t ",                            # blank
        5: "{not json",                          # bad JSON
        6: '{"format": 1}',                      # invalid state
        8: states[8].replace('"pressure_tolerance":', '"pressure_tolerance":99,"x":'),
        9: huge,                                 # over the 4 MB line limit
        11: "[1, 2, 3]",                         # not a mapping
        12: '{"client": {"id": "\xff"}}',        # not UTF-8 (written raw below)
        13: "null",
    }
    lines = []
    for n in range(1, 16):
        lines.append(bad_lines.get(n, states[n - 1]))
    data = "\n".join(lines).replace("\xff", "\udcff")
    data = data.encode("utf-8", "surrogateescape")
    data = data.replace(states[13].encode(), states[13].encode() + b"\r")  # a CRLF line
    # No newline after the last line: it still counts.
    code, out, err = batch(data, "--threads", "2")
    check(code == 3, "exit status 3 when lines failed, got %d" % code)
    check("of 15 line(s)" in err, "summary on stderr: %r" % err[:200])
    out_lines = out.split("\n")
    check(out_lines[-1] == "" and len(out_lines) - 1 == 15,
          "%d output lines for 15 input lines" % (len(out_lines) - 1))
    for n, line in enumerate(out_lines[:-1], 1):
        doc = json.loads(line)
        if n in bad_lines:
            check(list(doc) == ["line", "error"] and doc["line"] == n and doc["error"],
                  "line %d should be an error line: %s" % (n, line[:200]))
        else:
            check(doc.get("client_id") == "C-%06d" % n, "line %d should be client %d: %s"
                  % (n, n, line[:120]))
    errors = {n: json.loads(out_lines[n - 1])["error"] for n in bad_lines}
    check("empty line" in errors[2] and "empty line" in errors[3], "empty lines: %s" % errors[2])
    check("too long" in errors[9], "huge line: %s" % errors[9])
    check("pressure_tolerance must be between 1 and 10, got 99" in errors[8], errors[8])
    check("unknown key 'x'" in errors[8], errors[8])
    check("missing required key 'client'" in errors[6], errors[6])
    check("UTF-8" in errors[12], errors[12])

    # Empty input: empty output, success.
    code, out, _ = batch(b"")
    check(code == 0 and out == "", "empty input")

    # Blocks: more lines than one block holds, order kept.
    many = ("\n".join(states * 30) + "\n").encode()
    code, out, _ = batch(many, "--threads", "2")
    out_lines = out.split("\n")[:-1]
    check(code == 0 and len(out_lines) == len(states) * 30, "9000 lines")
    for i in range(0, len(out_lines), 97):
        if json.loads(out_lines[i])["client_id"] != "C-%06d" % (i % len(states) + 1):
            check(False, "line %d out of order" % (i + 1))
            break

    # A usage error and a broken protocol stop before any output.
    run = subprocess.run([args.fascia, "batch"], capture_output=True, timeout=60)
    check(run.returncode == 2, "missing --protocol is a usage error")
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as fh:
        fh.write("format: 1\nprotocol: {id: x\n")
    run = subprocess.run([args.fascia, "batch", "--protocol", fh.name], input=good,
                         capture_output=True, timeout=60)
    os.unlink(fh.name)
    check(run.returncode == 3 and run.stdout == b"", "broken protocol: exit 3, no output")

    print("%d failed" % len(failures) if failures else "fascia batch: all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
