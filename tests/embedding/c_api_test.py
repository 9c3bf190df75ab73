#!/usr/bin/env python3
"""Drives libfascia's C API (fascia.h) from Python through ctypes: a host
that is not C++ at all. Loads the library, evaluates the bundled protocol
from several threads (ctypes releases the GIL during calls), and checks error
codes, messages and the JSON forms.

  c_api_test.py --library build/lib/libfascia.so --root .
"""

import argparse
import ctypes
import json
import os
import sys
import threading

OK, ARGUMENT, INVALID_INPUT, IO = 0, 1, 2, 3
EXPLAIN = 1


class Fascia:
    """A thin, typed wrapper over the C API, as a Python host would write."""

    def __init__(self, path):
        lib = ctypes.CDLL(path)
        handle = ctypes.c_void_p
        out_handle = ctypes.POINTER(ctypes.c_void_p)
        # Returned strings are char* we must free: keep them as void*.
        out_string = ctypes.POINTER(ctypes.c_void_p)
        self.sigs = {
            "fascia_version": ([], ctypes.c_char_p),
            "fascia_api_version": ([], ctypes.c_int),
            "fascia_error_code": ([handle], ctypes.c_int),
            "fascia_error_message": ([handle], ctypes.c_char_p),
            "fascia_error_json": ([handle], ctypes.c_char_p),
            "fascia_error_free": ([handle], None),
            "fascia_string_free": ([ctypes.c_void_p], None),
            "fascia_engine_new": ([ctypes.c_char_p, out_handle, out_handle], ctypes.c_int),
            "fascia_engine_free": ([handle], None),
            "fascia_engine_plugins_json": ([handle, out_string, out_handle], ctypes.c_int),
            "fascia_protocol_load": ([handle, ctypes.c_char_p, out_handle, out_handle],
                                     ctypes.c_int),
            "fascia_protocol_free": ([handle], None),
            "fascia_protocol_id": ([handle], ctypes.c_char_p),
            "fascia_protocol_version": ([handle], ctypes.c_char_p),
            "fascia_protocol_sha256": ([handle], ctypes.c_char_p),
            "fascia_evaluate": ([handle, ctypes.c_char_p, ctypes.c_uint, out_string, out_handle],
                                ctypes.c_int),
            "fascia_protocol_info_json": ([handle, out_string, out_handle], ctypes.c_int),
            "fascia_record": ([handle, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint,
                               out_string, out_handle], ctypes.c_int),
            # C API 1.2
            "fascia_what_if": ([handle, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint,
                                out_string, out_handle], ctypes.c_int),
            "fascia_validate_protocol": ([handle, ctypes.c_char_p, ctypes.c_char_p,
                                          ctypes.c_uint, out_string, out_handle], ctypes.c_int),
            "fascia_validate_protocol_file": ([handle, ctypes.c_char_p, ctypes.c_uint,
                                               out_string, out_handle], ctypes.c_int),
            "fascia_validate_state": ([handle, ctypes.c_char_p, ctypes.c_uint, out_string,
                                       out_handle], ctypes.c_int),
            "fascia_simulate": ([handle, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                                 ctypes.c_uint, out_string, out_handle], ctypes.c_int),
            "fascia_protocol_state_schema_json": ([handle, out_string, out_handle],
                                                  ctypes.c_int),
        }
        for name, (args, result) in self.sigs.items():
            fn = getattr(lib, name)
            fn.argtypes = args
            fn.restype = result
        self.lib = lib

    def take_string(self, pointer):
        try:
            return ctypes.string_at(pointer.value).decode("utf-8")
        finally:
            self.lib.fascia_string_free(pointer)

    def take_error(self, error):
        """(code, message, json) of a fascia_error*, which is then freed."""
        try:
            return (self.lib.fascia_error_code(error),
                    self.lib.fascia_error_message(error).decode("utf-8"),
                    json.loads(self.lib.fascia_error_json(error).decode("utf-8")))
        finally:
            self.lib.fascia_error_free(error)

    def call(self, name, *args):
        """Calls a function whose last parameter is fascia_error**; returns
        (status, error) with error = (code, message, json) or None."""
        error = ctypes.c_void_p()
        status = getattr(self.lib, name)(*args, ctypes.byref(error))
        return status, (self.take_error(error) if error.value else None)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--library", required=True)
    parser.add_argument("--root", required=True)
    args = parser.parse_args()
    failures = []

    def check(condition, what):
        if not condition:
            failures.append(what)
            print("check failed: " + what, file=sys.stderr)

    f = Fascia(args.library)
    lib = f.lib
    check(lib.fascia_version().decode() != "", "version")
    check(lib.fascia_api_version() >= 1002, "api version")

    engine = ctypes.c_void_p()
    status, error = f.call("fascia_engine_new", b'{"use_environment": false}', ctypes.byref(engine))
    check(status == OK and error is None and engine.value, "engine_new")
    plugins = ctypes.c_void_p()
    status, _ = f.call("fascia_engine_plugins_json", engine, ctypes.byref(plugins))
    names = [p["name"] for p in json.loads(f.take_string(plugins))["plugins"]]
    check("swedish" in names and "home_program" in names, "bundled plugins found: %s" % names)

    lib.fascia_engine_free(engine)
    other = ctypes.c_void_p()
    status, error = f.call("fascia_engine_new", b'{"plugin_dirs": "x"}', ctypes.byref(other))
    check(status == ARGUMENT and error[0] == ARGUMENT and "plugin_dirs" in error[1]
          and not other.value, "bad options")
    status, error = f.call("fascia_engine_new", None, ctypes.byref(engine))
    check(status == OK, "engine_new with defaults")

    protocol = ctypes.c_void_p()
    missing = os.path.join(args.root, "no-such-protocol.yaml").encode()
    status, error = f.call("fascia_protocol_load", engine, missing, ctypes.byref(protocol))
    check(status == IO and error and "no-such-protocol.yaml" in error[1]
          and error[2]["status"] == "io", "missing protocol: %s" % (error,))
    path = os.path.join(args.root, "protocols", "fibromyalgia.yaml").encode()
    status, error = f.call("fascia_protocol_load", engine, path, ctypes.byref(protocol))
    check(status == OK and protocol.value, "protocol_load: %s" % (error,))
    check(lib.fascia_protocol_id(protocol) == b"fibromyalgia", "protocol id")
    sha256 = lib.fascia_protocol_sha256(protocol).decode()
    check(len(sha256) == 64, "sha256")

    with open(os.path.join(args.root, "protocols", "examples", "fibromyalgia-client.json"),
              "rb") as fh:
        state = fh.read()

    def evaluate(text, flags=0):
        out = ctypes.c_void_p()
        status, error = f.call("fascia_evaluate", protocol, text, flags, ctypes.byref(out))
        return status, (f.take_string(out) if out.value else None), error

    status, reference, error = evaluate(state)
    check(status == OK and error is None, "evaluate: %s" % (error,))
    rec = json.loads(reference)
    check(rec["protocol"] == {"id": "fibromyalgia", "version": "1.0.0", "sha256": sha256},
          "provenance names the protocol")
    check(rec["client_id"] == "C-1042" and rec["session"]["pressure_cap"] >= 1, "recommendation")
    check(all(t["plugin_version"] for t in rec["session"]["techniques"]), "plugin versions")
    status, explained, _ = evaluate(state, EXPLAIN)
    check("trace" in json.loads(explained), "explain")

    # An invalid state: a code, every problem with its location, as text and JSON.
    bad = state.replace(b'"current": 6', b'"current": 60')
    status, out, error = evaluate(bad)
    check(status == INVALID_INPUT and out is None, "invalid state refused")
    diagnostics = error[2]["diagnostics"]
    check(error[2]["status"] == "invalid_input", "error json status")
    check(diagnostics and diagnostics[0]["message"]
          == "pain.current must be between 0 and 10, got 60"
          and diagnostics[0]["line"] > 1 and diagnostics[0]["column"] > 1,
          "located diagnostic: %s" % diagnostics)
    check(error[1].startswith("<state>:"), "message form FILE:LINE:COL: %s" % error[1])

    check(diagnostics and diagnostics[0]["path"] == "$.pain.current",
          "error json names the JSON path: %s" % diagnostics)

    # Unknown flag bits are refused, not ignored.
    status, out, error = evaluate(state, 1 << 7)
    check(status == ARGUMENT and out is None and "unknown flag bits 128" in error[1],
          "unknown flags refused: %s" % (error,))

    # The protocol's metadata: what an intake form needs.
    out = ctypes.c_void_p()
    status, error = f.call("fascia_protocol_info_json", protocol, ctypes.byref(out))
    info = json.loads(f.take_string(out)) if out.value else {}
    check(status == OK and info.get("id") == "fibromyalgia", "protocol info: %s" % (error,))
    check([s["id"] for s in info.get("stages", [])][:1] == ["foundation"]
          and all(s["title"] for s in info["stages"]), "stages with titles")
    check(any(fq["id"] == "weekly" and fq["interval_days"] == 7
              for fq in info.get("frequencies", [])), "frequencies")
    check(any(o["name"] == "morning_stiffness_minutes" for o in info.get("observations", [])),
          "observations")

    # Recording a session: the next state and the plan it followed.
    def record(session, flags=0, text=state):
        out = ctypes.c_void_p()
        status, error = f.call("fascia_record", protocol, text, session, flags,
                               ctypes.byref(out))
        return status, (json.loads(f.take_string(out)) if out.value else None), error

    status, result, error = record(b'{"soreness_24h": 3, "pain_after": 4}')
    check(status == OK and result, "record: %s" % (error,))
    if result:
        nxt = result["state"]
        check(nxt["as_of"] == "2026-11-27" and nxt["program"]["sessions_completed"] == 7
              and nxt["history"][-1]["soreness_24h"] == 3, "record: next state %s" % nxt)
        check(result["plan"]["as_of"] == "2026-11-20", "record: the plan of the session")
        status, again, error = evaluate(json.dumps(nxt).encode())
        check(status == OK and json.loads(again)["as_of"] == "2026-11-27",
              "the recorded state evaluates: %s" % (error,))
    status, result, error = record(b'{"status": "missed"}')
    check(status == OK and result["state"]["program"]["missed_sessions_30d"] == 1, "record missed")
    status, result, error = record(b'{"techniques": ["deep_tissue"]}')
    check(status == INVALID_INPUT and "session.techniques" in error[1], "off-plan refused")
    status, result, error = record(b'{"colour": 1}')
    check(status == ARGUMENT and "unknown session key 'colour'" in error[1], "bad session")
    status, result, error = record(b'{}', 1)
    check(status == ARGUMENT, "record flags must be 0")

    check_documents(f, engine, protocol, state, check, args.root)

    # Threads: the same result everywhere, errors never mixed up.
    results = []
    lock = threading.Lock()

    def worker(n):
        mine = []
        for i in range(30):
            status, out, _ = evaluate(state)
            mine.append(out == reference)
            status, out, error = evaluate(b'{"pressure_tolerance": %d}' % (100 + n))
            mine.append(status == INVALID_INPUT and ("got %d" % (100 + n)) in error[1])
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check(len(results) == 8 * 60 and all(results), "threads: %d bad" % results.count(False))

    lib.fascia_protocol_free(protocol)
    lib.fascia_engine_free(engine)
    print("%d failed" % len(failures) if failures else "C API from Python: all checks passed")
    return 1 if failures else 0


def check_documents(f, engine, protocol, state, check, root):
    """C API 1.2: what-if, validate (protocol and state), simulate, schema."""

    def document(name, *args):
        out = ctypes.c_void_p()
        status, error = f.call(name, *args, ctypes.byref(out))
        return status, (json.loads(f.take_string(out)) if out.value else None), error

    status, doc, error = document("fascia_what_if", protocol, state,
                                  b'{"flare.active": true, "flare.severity": 6}', 0)
    check(status == OK and doc and set(doc) == {"baseline", "what_if", "changes"},
          "what_if: %s" % (error,))
    if doc:
        check(any(c["path"] == "session.pressure_cap" and c["rules"] for c in doc["changes"]),
              "what_if: the cap change with its rules: %s" % doc["changes"])
    status, doc, error = document("fascia_what_if", protocol, state, b'{"pain.current": 40}', 0)
    check(status == INVALID_INPUT and doc is None
          and error[2]["diagnostics"][0]["path"] == "$.pain.current",
          "what_if: a refused change names its path: %s" % (error,))
    status, doc, error = document("fascia_what_if", protocol, state, b'[]', 0)
    check(status == ARGUMENT and "changes must be a JSON object" in error[1], "what_if: bad changes")
    status, doc, error = document("fascia_what_if", protocol, state, b'{"flare.active": true}', 4)
    check(status == ARGUMENT and "unknown flag bits 4" in error[1], "what_if: unknown flags")

    path = os.path.join(root, "protocols", "fibromyalgia.yaml")
    status, doc, error = document("fascia_validate_protocol_file", engine, path.encode(), 0)
    check(status == OK and doc and doc["valid"] is True and doc["errors"] == 0,
          "validate file: %s %s" % (error, doc))
    with open(path, "rb") as fh:
        text = fh.read()
    broken = text.replace(b"interval_days: 7", b"interval_days: seven", 1)
    status, doc, error = document("fascia_validate_protocol", engine, broken, b"broken.yaml", 0)
    check(status == OK and doc and doc["valid"] is False and doc["errors"] >= 1
          and doc["diagnostics"][0]["file"] == "broken.yaml"
          and doc["diagnostics"][0]["path"].startswith("$.frequency"),
          "validate text: an invalid protocol is a located result: %s" % (doc,))
    status, doc, error = document("fascia_validate_protocol", engine, text, None, 8)
    check(status == ARGUMENT, "validate: unknown flags refused")

    status, doc, error = document("fascia_validate_state", protocol, state, 0)
    check(status == OK and doc["valid"] is True, "validate state: %s" % (doc,))
    bad = state.replace(b'"current": 6', b'"current": 60')
    status, doc, error = document("fascia_validate_state", protocol, bad, 0)
    check(status == OK and doc["valid"] is False
          and doc["diagnostics"][0]["path"] == "$.pain.current", "validate bad state: %s" % (doc,))

    scenario = b'{"name": "setback", "weeks": {"3": {"flare": 6}, "5": {"missed": true}}}'
    status, doc, error = document("fascia_simulate", protocol, state, 8, scenario, 0)
    check(status == OK and doc and len(doc.get("sessions", [])) >= 6,
          "simulate: %s" % (error,))
    status, doc, error = document("fascia_simulate", protocol, state, 0, None, 0)
    check(status == ARGUMENT and "weeks must be 1-260" in error[1], "simulate: weeks checked")
    status, doc, error = document("fascia_simulate", protocol, state, 4, b"weeks: [1", 0)
    check(status == INVALID_INPUT and error[2]["diagnostics"][0]["file"] == "<scenario>",
          "simulate: a bad scenario is located: %s" % (error,))

    status, schema, error = document("fascia_protocol_state_schema_json", protocol)
    check(status == OK and schema and "morning_stiffness_minutes"
          in schema["properties"]["observations"]["properties"]
          and schema["properties"]["observations"]["additionalProperties"] is False,
          "state schema: %s" % (error,))


if __name__ == "__main__":
    sys.exit(main())
