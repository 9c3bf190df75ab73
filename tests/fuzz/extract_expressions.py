#!/usr/bin/env python3
"""Writes every expression of the given protocols into OUT_DIR, one file each:
rule conditions (`when`), computed actions (`cap`, `duration_minutes`,
`postpone_days`) and reason placeholders (`{...}`). Seeds the expression
fuzzer with the language as protocols really use it.

usage: extract_expressions.py OUT_DIR PROTOCOL.yaml...
"""
import hashlib
import os
import re
import sys

import yaml

PLACEHOLDER = re.compile(r"(?<!\{)\{([^{}]+)\}(?!\})")


def walk(node, out):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("when", "cap", "duration_minutes", "postpone_days") and isinstance(value, str):
                out.add(value.strip())
            elif key == "reason" and isinstance(value, str):
                out.update(m.strip() for m in PLACEHOLDER.findall(value))
            else:
                walk(value, out)
    elif isinstance(node, list):
        for item in node:
            walk(item, out)


def main():
    out_dir, files = sys.argv[1], sys.argv[2:]
    os.makedirs(out_dir, exist_ok=True)
    found = set()
    for path in files:
        try:
            with open(path, encoding="utf-8") as f:
                walk(yaml.safe_load(f), found)
        except (OSError, yaml.YAMLError) as e:  # a broken protocol is not our business here
            print(f"extract_expressions: skipping {path}: {e}", file=sys.stderr)
    for text in sorted(found):
        name = hashlib.sha1(text.encode()).hexdigest()[:16]
        with open(os.path.join(out_dir, "protocol-" + name), "w", encoding="utf-8") as f:
            f.write(text)
    print(f"extract_expressions: {len(found)} expressions")


if __name__ == "__main__":
    main()
