#!/usr/bin/python3
"""Checks fascia's JSON Schemas and the files they describe.

Run with Debian's python3 (python3-jsonschema 4.10 and python3-yaml):

    /usr/bin/python3 tests/schema/check_schemas.py [RECOMMENDATION...] [options]

What it checks, one line per file:
  - schemas/*.schema.json are valid JSON Schema 2020-12;
  - protocols/*.yaml (not *.test.yaml) and tests/schema/valid_protocols/*.yaml
    match schemas/protocol.schema.json;
  - protocols/examples/* match schemas/client-state.schema.json;
  - protocols/*.test.yaml and tests/cli/data/*.test.yaml match
    schemas/protocol-test.schema.json; protocols/scenarios/* and the CLI tests'
    scenarios match schemas/scenario.schema.json (the broken ones,
    invalid.test.yaml and bad-scenario.yaml, do not);
  - tests/schema/recommendations/*.json match schemas/recommendation.schema.json,
    and single-defect variants of them (built here) do not;
  - every tests/schema/broken_protocols/*.yaml is rejected by the protocol schema
    and every tests/schema/broken_states/*.yaml by the client-state schema, at
    the line:col its first line announces (`# expect: LINE:COL message`);
  - with --fascia BIN, the JSON that `fascia evaluate --json [--explain]` and
    `fascia batch` print for every example state and every protocol covering
    its condition;
  - the RECOMMENDATION arguments (files, folders of *.json/*.ndjson, or `-` for
    standard input) match the recommendation schema: a JSON document, a
    what-if document ({baseline, what_if, changes}) or NDJSON batch output
    (recommendations and {"line": N, "error": "..."} lines).

YAML is read the way fascia reads it (strict YAML, docs/protocol-authoring.md):
only `true`/`false` are booleans, numbers are plain decimal, dates stay
strings, and duplicate keys, anchors/aliases, merge keys, `yes`/`no`/`on`/`off`,
`010`, `0x10`, `.inf`, `.nan` and `1:30` are refused.

Ends with the line `N passed, N failed`; exit status 1 when anything failed,
2 on a usage error.
"""

import argparse
import copy
import json
import os
import re
import subprocess
import sys

try:
    import jsonschema
    import yaml
    from jsonschema import Draft202012Validator
except ImportError as e:  # pragma: no cover - environment problem
    sys.stderr.write(
        "check_schemas.py: %s (install python3-jsonschema and python3-yaml, "
        "and run with /usr/bin/python3)\n" % e)
    sys.exit(2)

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_ROOT = os.path.dirname(os.path.dirname(HERE))

SCHEMAS = {
    "protocol": "schemas/protocol.schema.json",
    "state": "schemas/client-state.schema.json",
    "recommendation": "schemas/recommendation.schema.json",
    "test file": "schemas/protocol-test.schema.json",
    "scenario": "schemas/scenario.schema.json",
}

EXPECT_RE = re.compile(r"^# expect: (\d+):(\d+) (\S.*)$")


# --------------------------------------------------------------------------
# Strict YAML, as fascia reads it.

class StrictYamlError(Exception):
    def __init__(self, message, mark):
        super().__init__(message)
        self.message = message
        self.line = mark.line + 1 if mark is not None else 0
        self.column = mark.column + 1 if mark is not None else 0


REFUSED_TAG = "tag:fascia.dev,2026:refused"


class StrictLoader(yaml.SafeLoader):
    """SafeLoader with YAML-1.2-core-like, stricter scalar resolution."""

    yaml_implicit_resolvers = {}

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise StrictYamlError("aliases are refused", event.start_mark)
        if getattr(event, "anchor", None) is not None:
            raise StrictYamlError("anchors are refused", event.start_mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        if not isinstance(node, yaml.MappingNode):
            return super().construct_mapping(node, deep=deep)
        seen = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise StrictYamlError("mapping keys must be scalars", key_node.start_mark)
            key = key_node.value
            if key == "<<" and key_node.style is None:
                raise StrictYamlError("merge keys are refused", key_node.start_mark)
            if key in seen:
                raise StrictYamlError(
                    "duplicate key '%s' (first at line %d)" % (key, seen[key]),
                    key_node.start_mark)
            seen[key] = key_node.start_mark.line + 1
        mapping = {}
        for key_node, value_node in node.value:
            # Keys are always text, as in fascia (a key `1` is the string "1").
            mapping[key_node.value] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_refused(self, node):
        raise StrictYamlError(
            "plain scalar '%s' is refused by strict YAML (quote it if it is text)"
            % node.value, node.start_mark)


def _resolver(tag, regexp, first):
    StrictLoader.add_implicit_resolver(tag, re.compile(regexp), first)


_ALL = list("-+.0123456789~abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_resolver("tag:yaml.org,2002:null", r"^(?:~|null|)$", ["~", "n", ""])
_resolver("tag:yaml.org,2002:bool", r"^(?:true|false)$", ["t", "f"])
_resolver("tag:yaml.org,2002:int", r"^-?(?:0|[1-9][0-9]*)$", list("-0123456789"))
_resolver("tag:yaml.org,2002:float",
          r"^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+(?:[eE][-+]?[0-9]+)?|[eE][-+]?[0-9]+)$",
          list("-0123456789"))
_resolver(REFUSED_TAG,
          r"^(?:[Yy]es|YES|[Nn]o|NO|[Oo]n|ON|[Oo]ff|OFF|True|TRUE|False|FALSE"
          r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
          r"|[-+]?0[0-9_]+(?:\.[0-9_]*)?|[-+]?0[xXoObB][0-9a-fA-F_]+"
          r"|\+[0-9][0-9_.eE+-]*|-?[0-9][0-9_]*_[0-9_.]*"
          r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?)$",
          _ALL)
StrictLoader.add_constructor(REFUSED_TAG, StrictLoader.construct_refused)


def load_yaml(text):
    """Returns (data, root node). Raises StrictYamlError or yaml.YAMLError."""
    loader = StrictLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return data, node


def load_json(text):
    def pairs(items):
        out = {}
        for k, v in items:
            if k in out:
                raise ValueError("duplicate key '%s'" % k)
            out[k] = v
        return out

    def constant(name):
        raise ValueError("%s is not valid JSON" % name)

    return json.loads(text, object_pairs_hook=pairs, parse_constant=constant)


# --------------------------------------------------------------------------
# Locating schema errors in YAML node trees.

def _member(node, key):
    """(key node, value node) of `key` in a mapping node, or (None, None)."""
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if k.value == key:
                return k, v
    return None, None


def _walk(root, path):
    """(key node or None, node) at a jsonschema instance path."""
    node, key_node = root, None
    for part in path:
        if isinstance(node, yaml.MappingNode):
            key_node, node = _member(node, str(part))
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) \
                and part < len(node.value):
            key_node, node = None, node.value[part]
        else:
            return None, None
        if node is None:
            return None, None
    return key_node, node


def _pos(node):
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def locate(error, root):
    """Every plausible (line, col) for a schema error, best first: the unknown
    key; the mapping itself for a missing key; otherwise the offending value
    (then its key, where an engine might point instead)."""
    if root is None:
        return []
    key_node, node = _walk(root, list(error.absolute_path))
    if node is None:
        return []
    schema_path = list(error.absolute_schema_path)
    if error.validator in ("additionalProperties", "unevaluatedProperties") \
            and error.validator_value is False and isinstance(node, yaml.MappingNode):
        known = set(error.schema.get("properties", {}))
        patterns = [re.compile(p) for p in error.schema.get("patternProperties", {})]
        return [_pos(k) for k, _ in node.value
                if k.value not in known and not any(p.search(k.value) for p in patterns)]
    if "propertyNames" in schema_path and isinstance(node, yaml.MappingNode):
        k, _ = _member(node, str(error.instance))
        if k is not None:
            return [_pos(k)]
    if error.validator == "required":
        return [_pos(node)]
    found = [_pos(node)]
    if key_node is not None:
        found.append(_pos(key_node))
    return found


def locations(error, root):
    return set(locate(error, root))


def describe(error, root):
    where = locate(error, root)
    loc = "%d:%d" % where[0] if where else "/" + "/".join(str(p) for p in error.absolute_path)
    message = error.message
    if len(message) > 160:
        message = message[:157] + "..."
    return "%s: %s" % (loc, message)


# --------------------------------------------------------------------------

class Checker:
    def __init__(self, root):
        self.root = root
        self.passed = 0
        self.failed = 0
        self.validators = {}

    def rel(self, path):
        if path == "-":
            return "<stdin>"
        rel = os.path.relpath(path, self.root)
        return path if rel.startswith("..") else rel

    def report(self, ok, what, path, detail="", more=()):
        line = "%s %-16s %s" % ("PASS" if ok else "FAIL", what, self.rel(path))
        if detail:
            line += "  (%s)" % detail
        print(line, flush=True)
        for m in more:
            print("       %s" % m, flush=True)
        if ok:
            self.passed += 1
        else:
            self.failed += 1

    # ---- schemas

    def load_schemas(self):
        for kind, rel in SCHEMAS.items():
            path = os.path.join(self.root, rel)
            try:
                with open(path, encoding="utf-8") as f:
                    schema = load_json(f.read())
                Draft202012Validator.check_schema(schema)
                self.validators[kind] = Draft202012Validator(
                    schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
                self.report(True, "schema", path)
            except (OSError, ValueError, jsonschema.exceptions.SchemaError) as e:
                msg = getattr(e, "message", str(e))
                self.report(False, "schema", path, msg[:200])

    # ---- loading documents

    def read(self, path):
        if path == "-":
            return sys.stdin.read()
        with open(path, encoding="utf-8") as f:
            return f.read()

    def load(self, path, text=None):
        """(data, root node or None). Raises StrictYamlError/ValueError/YAMLError."""
        if text is None:
            text = self.read(path)
        if path.endswith(".json"):
            return load_json(text), None
        return load_yaml(text)

    def errors(self, kind, data):
        v = self.validators[kind]
        return sorted(v.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))

    # ---- files that must match

    def expect_valid(self, kind, path, what=None):
        what = what or kind
        if kind not in self.validators:
            self.report(False, what, path, "schema not loaded")
            return
        try:
            data, root = self.load(path)
        except StrictYamlError as e:
            self.report(False, what, path, "%d:%d: %s" % (e.line, e.column, e.message))
            return
        except (OSError, ValueError, yaml.YAMLError) as e:
            self.report(False, what, path, str(e).replace("\n", " ")[:200])
            return
        errs = self.errors(kind, data)
        if not errs:
            self.report(True, what, path)
            return
        lines = [describe(e, root) for e in errs]
        self.report(False, what, path, lines[0] + (" (+%d more)" % (len(lines) - 1)
                                                   if len(lines) > 1 else ""), lines[1:])

    def expect_shape_rejected(self, kind, path):
        """A file fascia refuses for its shape: the schema must refuse it too."""
        try:
            data, _ = self.load(path)
        except (StrictYamlError, OSError, ValueError, yaml.YAMLError):
            self.report(True, "rejects " + kind, path, "(not loadable)")
            return
        errs = self.errors(kind, data)
        self.report(bool(errs), "rejects " + kind, path,
                    "" if errs else "the schema accepts a file fascia refuses")

    # ---- files that must be rejected, at the announced location

    def expect_rejected(self, kind, path):
        what = "rejects " + kind
        if kind not in self.validators:
            self.report(False, what, path, "schema not loaded")
            return
        try:
            text = self.read(path)
        except OSError as e:
            self.report(False, what, path, str(e))
            return
        first = text.split("\n", 1)[0]
        m = EXPECT_RE.match(first)
        if not m:
            self.report(False, what, path, "first line is not '# expect: LINE:COL message'")
            return
        expected = (int(m.group(1)), int(m.group(2)))
        try:
            data, root = load_yaml(text)
        except StrictYamlError as e:
            got = (e.line, e.column)
            ok = got == expected
            self.report(ok, what, path, "strict YAML %d:%d: %s" % (e.line, e.column, e.message)
                        + ("" if ok else "; expected at %d:%d" % expected))
            return
        except yaml.YAMLError as e:
            self.report(False, what, path, str(e).replace("\n", " ")[:200])
            return
        errs = self.errors(kind, data)
        if not errs:
            self.report(False, what, path, "accepted, but should be rejected: " + m.group(3))
            return
        # One defect per file: every error must point at the announced spot.
        stray = [e for e in errs if expected not in locations(e, root)]
        if stray:
            self.report(False, what, path,
                        "expected every error at %d:%d" % expected,
                        [describe(e, root) for e in stray])
            return
        self.report(True, what, path, describe(errs[0], root))

    # ---- recommendations

    def check_recommendation_path(self, path):
        if path != "-" and os.path.isdir(path):
            names = sorted(n for n in os.listdir(path)
                           if n.endswith((".json", ".ndjson", ".jsonl")))
            if not names:
                print("note: no *.json or *.ndjson in %s" % self.rel(path))
            for n in names:
                self.check_recommendation_file(os.path.join(path, n))
        else:
            self.check_recommendation_file(path)

    def check_recommendation_file(self, path):
        what = "recommendation"
        try:
            text = self.read(path)
        except OSError as e:
            self.report(False, what, path, str(e))
            return
        docs = []
        try:
            if path.endswith((".ndjson", ".jsonl")):
                raise ValueError("ndjson")
            docs = [("", load_json(text))]
        except ValueError as whole_error:
            lines = [(i + 1, l) for i, l in enumerate(text.split("\n")) if l.strip()]
            if path.endswith((".ndjson", ".jsonl")) or (path == "-" and len(lines) > 1):
                try:
                    docs = [("line %d: " % n, load_json(l)) for n, l in lines]
                except ValueError as e:
                    self.report(False, what, path, str(e))
                    return
            else:
                self.report(False, what, path, str(whole_error))
                return
        problems = []
        count = 0
        for prefix, doc in docs:
            if isinstance(doc, dict) and set(doc) == {"line", "error"}:
                # A batch error line.
                if not (isinstance(doc["line"], int) and doc["line"] >= 1
                        and isinstance(doc["error"], str) and doc["error"]):
                    problems.append(prefix + "malformed batch error line")
                continue
            if isinstance(doc, dict) and "baseline" in doc and "what_if" in doc:
                parts = [("baseline", doc["baseline"]), ("what_if", doc["what_if"])]
                extra = set(doc) - {"baseline", "what_if", "changes"}
                if extra or not isinstance(doc.get("changes"), list):
                    problems.append(prefix + "what-if document needs exactly "
                                    "baseline, what_if and changes (a list)")
            else:
                parts = [("", doc)]
            for name, part in parts:
                count += 1
                for e in self.errors("recommendation", part):
                    problems.append("%s%s/%s: %s" % (
                        prefix, name, "/".join(str(p) for p in e.absolute_path),
                        e.message[:160]))
        if problems:
            self.report(False, what, path, problems[0], problems[1:])
        else:
            self.report(True, what, path, "%d document%s" % (count, "" if count == 1 else "s"))

    def check_recommendation_mutants(self, path):
        """Single-defect variants of a valid recommendation must be rejected."""
        try:
            base = load_json(self.read(path))
        except (OSError, ValueError):
            return  # already reported by check_recommendation_file
        if self.errors("recommendation", base):
            return

        def setter(*keys_and_value):
            *keys, value = keys_and_value

            def apply(doc):
                target = doc
                for k in keys[:-1]:
                    target = target[k]
                if value is DELETE:
                    del target[keys[-1]]
                else:
                    target[keys[-1]] = value
            return apply

        mutants = [
            ("unknown top-level key", setter("extra", 1)),
            ("format 2", setter("format", 2)),
            ("pressure_cap 11", setter("session", "pressure_cap", 11)),
            ("pressure_cap 0", setter("session", "pressure_cap", 0)),
            ("pressure_cap 4.5", setter("session", "pressure_cap", 4.5)),
            ("missing warnings", setter("warnings", DELETE)),
            ("missing session.referral", setter("session", "referral", DELETE)),
            ("referral without reason", setter("session", "referral", {"to": "physician", "rule": "r"})),
            ("adjustment kind unknown", setter("adjustments", 0, "kind", "pressure")),
            ("pressure_cap adjustment value 11",
             setter("adjustments", 0, {"kind": "pressure_cap", "value": 11, "rule": "r",
                                       "reason": "r", "source": "s"})),
            ("duration_changed adjustment value 5",
             setter("adjustments", 0, {"kind": "duration_changed", "value": 5, "rule": "r",
                                       "reason": "r", "source": "s"})),
            ("adjustment without source", setter("adjustments", 0, "source", DELETE)),
            ("technique pressure_max 11",
             setter("session", "techniques", 0, "parameters", "pressure_max", 11)),
            ("technique pressure_max '4'",
             setter("session", "techniques", 0, "parameters", "pressure_max", "4")),
            ("short sha256", setter("protocol", "sha256", "abc123")),
            ("as_of not a date", setter("as_of", "2026-13-01")),
            ("home program item without id", setter("session", "home_program", [{"minutes_per_day": 5}])),
            ("trace outcome unknown", setter("trace", [{"rule": "r", "outcome": "maybe"}])),
            ("trace value not text", setter("trace", [{"rule": "r", "outcome": "fired",
                                                       "values": {"pain.current": 6}}])),
            ("plugin without version", setter("plugins", [{"name": "swedish"}])),
        ]
        rejected, accepted = 0, []
        for name, mutate in mutants:
            doc = copy.deepcopy(base)
            try:
                mutate(doc)
            except (KeyError, IndexError, TypeError):
                continue  # the base lacks that part
            if self.errors("recommendation", doc):
                rejected += 1
            else:
                accepted.append(name)
        self.report(not accepted, "rejects mutants", path,
                    "%d single-defect variants rejected" % rejected if not accepted
                    else "accepted: " + ", ".join(accepted))


    # ---- the CLI's JSON output

    def check_cli(self, fascia, protocols, states):
        """Runs `fascia evaluate --json` (with and without --explain) and
        `fascia batch` for every example state against every protocol that
        covers its condition and has the stage and frequency the state names,
        and validates what they print."""
        env = dict(os.environ)
        env.setdefault("FASCIA_PLUGIN_PATH", "")
        loaded_states = []
        for st in states:
            try:
                data, _ = self.load(st)
                loaded_states.append((st, data, data["client"]["condition"]))
            except Exception:  # reported by the state checks
                continue
        for proto in protocols:
            try:
                pdata, _ = self.load(proto)
                conditions = set(pdata["protocol"]["conditions"])
                stages = {s["id"] for s in pdata["stages"]}
                frequencies = {f["id"] for f in pdata["frequency"]["ladder"]}
            except Exception:
                continue

            def fits(data):
                program = data.get("program") or {}
                return (program.get("stage") in (None, *stages) and
                        program.get("frequency") in (None, *frequencies))

            covered = [(st, data) for st, data, cond in loaded_states
                       if cond in conditions and fits(data)]
            for st, _ in covered:
                for extra in ([], ["--explain"]):
                    cmd = [fascia, "evaluate", "--protocol", proto, "--state", st, "--json"] + extra
                    label = "%s + %s%s" % (self.rel(proto), self.rel(st), " --explain" if extra else "")
                    self.check_command(cmd, None, label, "fascia evaluate", env, batch=False)
            if covered:
                lines = "".join(json.dumps(data) + "\n" for _, data in covered)
                label = "%s < %d example states" % (self.rel(proto), len(covered))
                self.check_command([fascia, "batch", "--protocol", proto], lines, label,
                                   "fascia batch", env, batch=True, expected_lines=len(covered))

    def check_command(self, cmd, stdin, label, what, env, batch, expected_lines=1):
        try:
            run = subprocess.run(cmd, input=stdin, capture_output=True, text=True,
                                 timeout=120, env=env, cwd=self.root)
        except (OSError, subprocess.TimeoutExpired) as e:
            self.report(False, what, label, str(e))
            return
        if run.returncode != 0:
            first = (run.stderr.strip().splitlines() or ["no message"])[0]
            self.report(False, what, label, "exit %d: %s" % (run.returncode, first[:200]))
            return
        try:
            if batch:
                docs = [load_json(l) for l in run.stdout.split("\n") if l.strip()]
            else:
                docs = [load_json(run.stdout)]
        except ValueError as e:
            self.report(False, what, label, "stdout is not %s: %s" % (
                "NDJSON" if batch else "one JSON document", e))
            return
        if len(docs) != expected_lines:
            self.report(False, what, label, "%d output lines for %d inputs" % (
                len(docs), expected_lines))
            return
        problems = []
        for n, doc in enumerate(docs, 1):
            for e in self.errors("recommendation", doc):
                problems.append("%s/%s: %s" % ("line %d: " % n if batch else "",
                                               "/".join(str(p) for p in e.absolute_path),
                                               e.message[:160]))
        self.report(not problems, what, label, problems[0] if problems else "", problems[1:])


DELETE = object()


def listdir(folder, predicate):
    if not os.path.isdir(folder):
        return []
    return sorted(os.path.join(folder, n) for n in os.listdir(folder)
                  if predicate(n) and os.path.isfile(os.path.join(folder, n)))


def is_yaml(name):
    return name.endswith((".yaml", ".yml"))


def main(argv):
    parser = argparse.ArgumentParser(
        description="Check fascia's JSON Schemas, protocols, example states and "
                    "recommendations.",
        epilog="Example: fascia evaluate --protocol protocols/fibromyalgia.yaml "
               "--state protocols/examples/fibromyalgia-client.yaml --json | "
               "/usr/bin/python3 tests/schema/check_schemas.py --only -")
    parser.add_argument("recommendations", nargs="*", metavar="RECOMMENDATION",
                        help="recommendation JSON/NDJSON files, folders of them, or - for stdin")
    parser.add_argument("--root", default=DEFAULT_ROOT,
                        help="the fascia source tree (default: %(default)s)")
    parser.add_argument("--protocol", action="append", default=[], metavar="FILE",
                        help="also validate this protocol file (repeatable)")
    parser.add_argument("--state", action="append", default=[], metavar="FILE",
                        help="also validate this client-state file (repeatable)")
    parser.add_argument("--fascia", metavar="BIN",
                        help="also run this fascia CLI (evaluate --json, --explain, batch) on "
                             "every example state against every protocols/*.yaml covering its "
                             "condition, and validate its output")
    parser.add_argument("--only", action="store_true",
                        help="check the schemas and the given files only, not the "
                             "bundled protocols, examples and fixtures")
    args = parser.parse_args(argv)

    root = os.path.abspath(args.root)
    checker = Checker(root)
    checker.load_schemas()

    def under(*parts):
        return os.path.join(root, *parts)

    protocols = listdir(under("protocols"),
                        lambda n: n.endswith(".yaml") and not n.endswith(".test.yaml"))
    examples = listdir(under("protocols", "examples"),
                       lambda n: is_yaml(n) or n.endswith(".json"))
    if not args.only:
        if not protocols:
            print("note: no protocols/*.yaml yet")
        for p in protocols:
            checker.expect_valid("protocol", p)
        for p in listdir(under("tests", "schema", "valid_protocols"), is_yaml):
            checker.expect_valid("protocol", p)
        for p in examples:
            checker.expect_valid("state", p)
        for p in listdir(under("tests", "schema", "recommendations"),
                         lambda n: n.endswith(".json")):
            checker.check_recommendation_file(p)
            checker.check_recommendation_mutants(p)
        for p in listdir(under("tests", "schema", "broken_protocols"), is_yaml):
            checker.expect_rejected("protocol", p)
        for p in listdir(under("tests", "schema", "broken_states"), is_yaml):
            checker.expect_rejected("state", p)
        # Test files and scenarios: every bundled one matches its schema; the
        # CLI tests' deliberately broken scenario does not.
        for folder in (under("protocols"), under("tests", "cli", "data")):
            for p in listdir(folder, lambda n: n.endswith(".test.yaml")):
                if os.path.basename(p) == "invalid.test.yaml":
                    checker.expect_shape_rejected("test file", p)
                else:
                    checker.expect_valid("test file", p)
        for p in listdir(under("protocols", "scenarios"), is_yaml):
            checker.expect_valid("scenario", p)
        checker.expect_valid("scenario", under("tests", "cli", "data", "round-trip-scenario.yaml"))
        checker.expect_shape_rejected("scenario", under("tests", "cli", "data", "bad-scenario.yaml"))

    for p in args.protocol:
        checker.expect_valid("protocol", p)
    for p in args.state:
        checker.expect_valid("state", p)
    for p in args.recommendations:
        checker.check_recommendation_path(p)
    if args.fascia and "recommendation" in checker.validators:
        if not protocols:
            print("note: no protocols/*.yaml to run %s on" % args.fascia)
        checker.check_cli(os.path.abspath(args.fascia), protocols, examples)

    print("%d passed, %d failed" % (checker.passed, checker.failed))
    return 1 if checker.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
