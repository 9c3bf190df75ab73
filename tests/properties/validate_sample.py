#!/usr/bin/env python3
"""Runs the property sampler and validates every recommendation it prints
against schemas/recommendation.schema.json (JSON Schema 2020-12).

usage: validate_sample.py SAMPLER SCHEMA [COUNT]
"""
import json
import subprocess
import sys

from jsonschema import Draft202012Validator


def main():
    sampler, schema_file = sys.argv[1], sys.argv[2]
    count = sys.argv[3] if len(sys.argv) > 3 else "40"
    with open(schema_file, encoding="utf-8") as f:
        validator = Draft202012Validator(json.load(f))
    out = subprocess.run([sampler, count], check=True, capture_output=True, text=True)
    lines = out.stdout.splitlines()
    bad = 0
    for number, line in enumerate(lines, 1):
        for error in validator.iter_errors(json.loads(line)):
            bad += 1
            path = "/".join(str(p) for p in error.absolute_path)
            print(f"recommendation {number}: /{path}: {error.message}", file=sys.stderr)
    print(f"{len(lines)} recommendations checked, {bad} schema errors")
    return 1 if bad or not lines else 0


if __name__ == "__main__":
    sys.exit(main())
