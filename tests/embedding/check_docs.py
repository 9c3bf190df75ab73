#!/usr/bin/env python3
"""docs/embedding.md shows the example consumers' sources in full: every
fenced block after a `<!-- source: PATH -->` line must be exactly the file
PATH (relative to the source tree), so the documented code is the code CI
builds and runs (embedding.install).

  check_docs.py --root .
"""

import argparse
import os
import re
import sys


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    args = parser.parse_args()
    doc_path = os.path.join(args.root, "docs", "embedding.md")
    with open(doc_path, encoding="utf-8") as f:
        doc = f.read()
    pattern = re.compile(r"<!-- source: (\S+) -->\n```[a-z]*\n(.*?)\n```\n", re.S)
    blocks = pattern.findall(doc)
    failures = []
    for path, text in blocks:
        try:
            with open(os.path.join(args.root, path), encoding="utf-8") as f:
                source = f.read().rstrip("\n")
        except OSError as e:
            failures.append("%s: %s" % (path, e))
            continue
        if text != source:
            failures.append("%s: the block in docs/embedding.md differs from the file" % path)
    if len(blocks) < 4:
        failures.append("expected the sources of the examples (found %d blocks)" % len(blocks))
    for f in failures:
        print("docs/embedding.md: " + f, file=sys.stderr)
    print("%d example sources checked, %d differ" % (len(blocks), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
