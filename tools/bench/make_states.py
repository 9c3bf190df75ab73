#!/usr/bin/env python3
"""Writes N varied, valid fibromyalgia client states as NDJSON (one JSON
object per line) for `fascia batch` benchmarks and tests.

  tools/bench/make_states.py 200000 > /tmp/states.ndjson
  hyperfine 'build/bin/fascia batch --protocol protocols/fibromyalgia.yaml < /tmp/states.ndjson > /dev/null'

The states are deterministic for a given N and --seed, cover every stage,
frequency, sensitivity and flare combination, and are about 700 bytes each.
"""

import argparse
import datetime
import json
import random
import sys

STAGES = ["foundation", "myofascial_introduction", "targeted", "maintenance"]
FREQUENCIES = ["weekly", "every_other_week", "monthly"]
TECHNIQUES = ["swedish", "myofascial_release", "trigger_point", "deep_tissue"]


def state(rng, n):
    as_of = datetime.date(2026, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365))
    completed = rng.randrange(0, 40)
    history = []
    for k in range(rng.randrange(0, 4)):
        history.append({
            "date": str(as_of - datetime.timedelta(days=7 * (3 - k) + 1)),
            "techniques": rng.sample(TECHNIQUES, rng.randrange(1, 3)),
            "pressure": rng.randrange(1, 11),
            "soreness_24h": rng.randrange(0, 11),
            "pain_before": rng.randrange(0, 11),
            "pain_after": rng.randrange(0, 11),
        })
    active = rng.random() < 0.15
    doc = {
        "format": 1,
        "client": {"id": "C-%06d" % n, "condition": "fibromyalgia"},
        "as_of": str(as_of),
        "program": {
            "stage": rng.choice(STAGES),
            "sessions_completed": completed,
            "sessions_in_stage": rng.randrange(0, completed + 1),
            "weeks_in_program": rng.randrange(0, 60),
            "frequency": rng.choice(FREQUENCIES),
            "missed_sessions_30d": rng.randrange(0, 3),
        },
        "pain": {"current": rng.randrange(0, 11), "baseline": rng.randrange(0, 11)},
        "sensitivity": rng.choice(["low", "moderate", "high"]),
        "pressure_tolerance": rng.randrange(1, 11),
        "sleep_quality": rng.randrange(0, 11),
        "flare": {
            "active": active,
            "severity": rng.randrange(1, 11) if active else 0,
            "days_since_last": rng.randrange(0, 90),
            "count_30d": rng.randrange(0, 3),
        },
        "medications_changed": rng.random() < 0.1,
        "history": history,
        "observations": {"morning_stiffness_minutes": rng.randrange(0, 120)},
    }
    return doc


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    out = sys.stdout
    for n in range(1, args.count + 1):
        out.write(json.dumps(state(rng, n), separators=(",", ":")))
        out.write("\n")


if __name__ == "__main__":
    main()
