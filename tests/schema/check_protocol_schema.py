#!/usr/bin/env python3
"""`fascia schema --protocol P` (issue 14): the client-state schema
specialised to each bundled protocol is a valid JSON Schema, accepts the
example states of the protocol's conditions and a state `fascia record`
wrote, and rejects an unknown observation, stage or frequency.

  check_protocol_schema.py --root . --fascia build/bin/fascia
"""
import argparse
import copy
import glob
import json
import os
import subprocess
import sys
import tempfile

import jsonschema
import yaml


def load(path):
    with open(path, encoding="utf-8") as f:
        data = yaml.safe_load(f)
    return json.loads(json.dumps(data, default=str))  # dates as text, as in JSON


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--fascia", required=True)
    args = parser.parse_args()
    failures = []

    def check(condition, what):
        if not condition:
            failures.append(what)
            print("check failed: " + what, file=sys.stderr)

    examples = sorted(glob.glob(os.path.join(args.root, "protocols", "examples", "*.yaml")) +
                      glob.glob(os.path.join(args.root, "protocols", "examples", "*.json")))
    protocols = sorted(p for p in glob.glob(os.path.join(args.root, "protocols", "*.yaml"))
                       if not p.endswith(".test.yaml"))
    for protocol in protocols:
        name = os.path.basename(protocol)
        run = subprocess.run([args.fascia, "schema", "--protocol", protocol],
                             capture_output=True, text=True, cwd=args.root)
        check(run.returncode == 0, "%s: fascia schema exit %d: %s" % (name, run.returncode, run.stderr))
        if run.returncode != 0:
            continue
        schema = json.loads(run.stdout)
        jsonschema.Draft202012Validator.check_schema(schema)
        validator = jsonschema.Draft202012Validator(schema)
        # The example states the engine accepts for this protocol: the schema
        # must accept them too.
        mine = [e for e in examples
                if subprocess.run([args.fascia, "evaluate", "--protocol", protocol, "--state", e,
                                   "--json"], capture_output=True, cwd=args.root).returncode == 0]
        check(mine, "%s: no example state" % name)
        for example in mine:
            state = load(example)
            errors = [e.message for e in validator.iter_errors(state)]
            check(not errors, "%s: %s rejected: %s" % (name, os.path.basename(example), errors))
            bad = copy.deepcopy(state)
            bad.setdefault("observations", {})
            bad["observations"] = dict(bad["observations"] or {}, no_such_observation=1)
            check(not validator.is_valid(bad), "%s: an unknown observation is accepted" % name)
            bad = copy.deepcopy(state)
            bad.setdefault("program", {})
            bad["program"] = dict(bad["program"] or {}, stage="no_such_stage")
            check(not validator.is_valid(bad), "%s: an unknown stage is accepted" % name)
            bad["program"] = dict(state.get("program") or {}, frequency="hourly")
            check(not validator.is_valid(bad), "%s: an unknown frequency is accepted" % name)
            # A state written by fascia record (history grows, last_missed set).
            with tempfile.TemporaryDirectory() as tmp:
                for session in (["--missed"], ["--soreness", "2", "--override", "test"]):
                    run = subprocess.run([args.fascia, "record", "--protocol", protocol,
                                          "--state", example, "--json"] + session,
                                         capture_output=True, text=True, cwd=args.root)
                    if run.returncode != 0:  # e.g. a plan that postpones the session
                        continue
                    errors = [e.message for e in validator.iter_errors(json.loads(run.stdout))]
                    check(not errors, "%s: recorded %s rejected: %s" % (name, example, errors))
        print("%s: schema checked against %d example states" % (name, len(mine)))
    print("%d failed" % len(failures) if failures else "protocol schemas: all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
