"""``python3 -m fascia``: the CLI's ``evaluate`` (and ``plugins``) from Python.

    python3 -m fascia evaluate --protocol P --state S [--json] [--explain]
                               [--plugin-dir DIR ...]
    python3 -m fascia plugins [--json]

``--json`` prints exactly the bytes of ``fascia evaluate --json``. Without
it, a plain-text summary of the plan and of what changed and why (the C++
CLI's layout with wrapping and colours is not reproduced). Errors go to
stderr as ``FILE:LINE:COL: error: MESSAGE``; exit status as the CLI: 0 ok,
2 usage error, 3 invalid input, 4 internal error.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Dict, List, Optional

from . import Engine, FasciaError, InternalError, InvalidInput, UsageError

EXIT_OK, EXIT_USAGE, EXIT_INVALID_INPUT, EXIT_INTERNAL = 0, 2, 3, 4


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # usage errors exit 2, as the CLI
        self.print_usage(sys.stderr)
        sys.stderr.write("fascia: error: %s\n" % message)
        raise SystemExit(EXIT_USAGE)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python3 -m fascia",
                     description="fascia from Python: evaluate a client state with a protocol")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    evaluate = commands.add_parser(
        "evaluate", help="Recommend a session for one client state",
        epilog="Example:\n  python3 -m fascia evaluate --protocol protocols/fibromyalgia.yaml \\\n"
        "      --state protocols/examples/fibromyalgia-client.yaml --json",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    evaluate.add_argument("--protocol", required=True, help="Protocol YAML file")
    evaluate.add_argument("--state", required=True, help="Client state (YAML or JSON; - for stdin)")
    evaluate.add_argument("--json", action="store_true",
                          help="Print the recommendation as one JSON document")
    evaluate.add_argument("--explain", action="store_true",
                          help="Add every rule considered (the JSON 'trace')")
    plugins = commands.add_parser("plugins", help="The plugins found")
    plugins.add_argument("--json", action="store_true", help="Print them as JSON")
    for command in (evaluate, plugins):
        command.add_argument("--plugin-dir", action="append", default=[], metavar="DIR",
                             help="Plugin folder, searched first (repeatable)")
    return parser


def _print_error(error: FasciaError, state_name: Optional[str] = None) -> None:
    if not error.diagnostics:
        text = str(error)
        sys.stderr.write((text if ": error: " in text else "fascia: error: " + text) + "\n")
        return
    for d in error.diagnostics:
        if state_name is not None and d.file == "<state>":
            d = type(d)(d.severity, state_name, d.line, d.column, d.message, d.path)
        sys.stderr.write("%s\n" % d)


def _read_state(path: str) -> str:
    if path == "-":
        return sys.stdin.buffer.read().decode("utf-8", "replace")
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace")
    except OSError as e:
        raise InvalidInput("%s: error: cannot read the client state: %s" % (path, e.strerror))


def _human(plan: Dict[str, Any]) -> str:
    session = plan["session"]
    lines: List[str] = [
        "%s %s - client %s, session of %s" % (plan["protocol"]["id"],
                                              plan["protocol"]["version"], plan["client_id"],
                                              plan["as_of"]),
        "",
        "Session plan",
        "  Stage           %s" % session["stage"],
        "  Techniques      %s" % ", ".join(t["id"] for t in session["techniques"]),
        "  Pressure cap    %s of 10 (client-rated)" % session["pressure_cap"],
        "  Duration        %s minutes" % session["duration_minutes"],
        "  Frequency       %s; next session in %s days" % (session["frequency"],
                                                          session["next_session_in_days"]),
    ]
    if session.get("postpone_days"):
        lines.append("  Postpone        %s days" % session["postpone_days"])
    lines.append("  Referral        %s" % (session["referral"]["to"]
                                         if session.get("referral") else "none"))
    held = plan.get("held_techniques") or []
    if held:
        lines.append("  Held today      %s" % ", ".join(h["id"] for h in held))
    lines += ["", "What changed and why"]
    for a in plan.get("adjustments", []):
        lines.append("  * %s: %s" % (a["kind"], a["reason"]))
        lines.append("      (rule %s, %s)" % (a["rule"], a.get("source", "")))
    for w in plan.get("warnings", []):
        lines.append("warning: %s" % (w if isinstance(w, str) else json.dumps(w)))
    return "\n".join(lines) + "\n"


def main(argv: Optional[List[str]] = None) -> int:
    """Runs the command line ``argv``; returns the exit status."""
    args = _parser().parse_args(argv)
    state_name = None
    try:
        engine = Engine(plugin_dirs=args.plugin_dir)
        if args.command == "plugins":
            found = engine.plugins
            if args.json:
                sys.stdout.write(json.dumps(found, ensure_ascii=False) + "\n")
            else:
                for p in found["plugins"]:
                    sys.stdout.write("%s %s  %s  (%s)\n" % (p["name"], p["version"],
                                                           ", ".join(p.get("techniques", [])),
                                                           p["file"]))
                for problem in found.get("problems", []):
                    sys.stderr.write("fascia: warning: %s\n" % problem)
            return EXIT_OK
        protocol = engine.load_protocol(args.protocol)
        state_name = "<stdin>" if args.state == "-" else args.state
        text = protocol.evaluate_json(_read_state(args.state), explain=args.explain)
        if args.json:
            sys.stdout.write(text + "\n")
        else:
            sys.stdout.write(_human(json.loads(text)))
        return EXIT_OK
    except UsageError as e:
        _print_error(e, state_name)
        return EXIT_USAGE
    except InvalidInput as e:
        _print_error(e, state_name)
        return EXIT_INVALID_INPUT
    except InternalError as e:
        _print_error(e, state_name)
        return EXIT_INTERNAL
    except FasciaError as e:  # a file that cannot be read
        _print_error(e, state_name)
        return EXIT_INVALID_INPUT
    except OSError as e:  # libfascia not found
        sys.stderr.write("fascia: error: %s\n" % e)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
