#!/usr/bin/env python3
"""docs/embedding.md and README.md show the example consumers' sources in full: every
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
    pattern = re.compile(r"<!-- source: (\S+) -->\n```[a-z]*\n(.*?)\n```\n", re.S)
    failures = []
    checked = 0
    # The README shows the C++ and C examples; docs/embedding.md all of them.
    for doc_name, minimum in (("docs/embedding.md", 4), ("README.md", 2)):
        with open(os.path.join(args.root, doc_name), encoding="utf-8") as f:
            blocks = pattern.findall(f.read())
        checked += len(blocks)
        for path, text in blocks:
            try:
                with open(os.path.join(args.root, path), encoding="utf-8") as f:
                    source = f.read().rstrip("\n")
            except OSError as e:
                failures.append("%s: %s: %s" % (doc_name, path, e))
                continue
            if text != source:
                failures.append("%s: the block of %s differs from the file" % (doc_name, path))
        if len(blocks) < minimum:
            failures.append("%s: expected the sources of the examples (found %d blocks)" %
                            (doc_name, len(blocks)))
    for f in failures:
        print(f, file=sys.stderr)
    print("%d example sources checked, %d differ" % (checked, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
