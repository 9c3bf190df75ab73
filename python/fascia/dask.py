"""fascia on Dask: evaluate bags and dataframes of client states on a
cluster (Debian 12: python3-dask, python3-distributed).

    import dask.bag as db
    from distributed import Client
    import fascia.dask

    client = Client("tcp://scheduler:8786")        # or LocalCluster(...)
    states = db.read_text("states-*.ndjson")        # one JSON state per line
    lines = fascia.dask.evaluate_bag(states, "/shared/protocols/fibromyalgia.yaml",
                                     output="json")
    lines.to_textfiles("out/part-*.ndjson")          # exactly `fascia batch` lines

Each worker process loads the protocol once (then reuses it for every
partition) and checks that the file it loaded has the sha256 the job was
planned with on the client: if one worker has another version of the file,
the job fails with :class:`fascia.ProtocolMismatch` naming the worker,
instead of mixing two protocol versions in one output. ``ship=True`` sends
the protocol text with the job, for workers without a shared filesystem.

Evaluation is per partition and stateless, so it scales with the workers.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from ._engine import Engine, Protocol
from ._errors import FasciaError, InvalidInput, ProtocolMismatch

MAX_LINE_BYTES = 4 * 1024 * 1024  # fascia::Limits{}.max_file_bytes, as `fascia batch`

# Per worker process: protocols by (path, sha256, plugin dirs, shipped).
_lock = threading.Lock()
_protocols: Dict[Tuple[Any, ...], Protocol] = {}
_loads: List[Dict[str, Any]] = []


class _Spec:
    """What a task needs to get the protocol: small, picklable."""

    def __init__(self, path: str, sha256: str, plugin_dirs: Sequence[str],
                 text: Optional[str]) -> None:
        self.path = path
        self.sha256 = sha256
        self.plugin_dirs = tuple(plugin_dirs)
        self.text = text

    def key(self) -> Tuple[Any, ...]:
        return (self.path, self.sha256, self.plugin_dirs, self.text is not None)


def _where() -> str:
    try:
        from distributed import get_worker

        return "worker %s (pid %d)" % (get_worker().address, os.getpid())
    except (ImportError, ValueError):
        return "process %d" % os.getpid()


def _protocol(spec: _Spec) -> Protocol:
    """The protocol of `spec`, loaded once per process and sha256-checked."""
    key = spec.key()
    with _lock:
        protocol = _protocols.get(key)
        if protocol is not None:
            return protocol
        engine = Engine(plugin_dirs=list(spec.plugin_dirs))
        if spec.text is not None:
            protocol = engine.parse_protocol(spec.text, spec.path)
        else:
            protocol = engine.load_protocol(spec.path)
        # The engine's sha256 is that of the bytes it compiled.
        if protocol.sha256 != spec.sha256:
            raise ProtocolMismatch(
                "fascia.dask: %s loaded %s with sha256 %s, but the job was planned with sha256 "
                "%s: every worker must run the same protocol version (copy the same file to "
                "every worker, or pass ship=True to send it with the job)" %
                (_where(), spec.path, protocol.sha256, spec.sha256))
        _protocols[key] = protocol
        _loads.append({"pid": os.getpid(), "path": spec.path, "sha256": protocol.sha256})
        return protocol


def loaded_protocols() -> List[Dict[str, Any]]:
    """The protocols this process has loaded (for checks: run it on every
    worker with ``client.run(fascia.dask.loaded_protocols)``)."""
    with _lock:
        return list(_loads)


def _spec(protocol_path: str, plugin_dirs: Optional[Sequence[str]], sha256: Optional[str],
          ship: bool) -> _Spec:
    path = os.path.abspath(os.fspath(protocol_path)) if not ship else os.fspath(protocol_path)
    with open(protocol_path, "rb") as f:
        data = f.read()
    digest = hashlib.sha256(data).hexdigest()
    if sha256 is not None and sha256 != digest:
        raise ProtocolMismatch("fascia.dask: %s has sha256 %s here, not the expected %s" %
                               (protocol_path, digest, sha256))
    text = data.decode("utf-8") if ship else None
    return _Spec(path, digest, [os.fspath(d) for d in (plugin_dirs or [])], text)


def describe(error: FasciaError) -> str:
    """A bad state's error as ``fascia batch`` words it: every error of the
    line, ``column C: message``, joined by ``; ``."""
    parts = []
    for d in error.diagnostics:
        if d.severity != "error":
            continue
        parts.append(("column %d: " % d.column if d.column > 0 else "") + d.message)
    return "; ".join(parts) if parts else "invalid client state"


def _one(protocol: Protocol, item: Any, explain: bool) -> Tuple[Optional[str], Optional[str]]:
    """(recommendation JSON text, None) or (None, batch-style error message)."""
    if isinstance(item, bytes):
        item = item.decode("utf-8", "replace")
    if isinstance(item, str):
        if item.endswith("\n"):
            item = item[:-1]
        if len(item.encode("utf-8")) > MAX_LINE_BYTES:
            return None, "line is too long (more than %d bytes)" % MAX_LINE_BYTES
        if not item.strip(" \t"):
            return None, "empty line: expected one client state (a JSON object)"
    try:
        return protocol.evaluate_json(item, explain=explain), None
    except InvalidInput as e:
        return None, describe(e)
    except FasciaError as e:
        return None, "internal error: %s" % e


def _error_row(line: Optional[int], partition: int, index: int, message: str) -> Dict[str, Any]:
    if line is not None:
        return {"line": line, "error": message}
    return {"partition": partition, "index": index, "error": message}


def _evaluate_partition(items: Iterable[Any], partition: int, first_line: Optional[int],
                        spec: _Spec, output: str, explain: bool) -> List[Any]:
    protocol = _protocol(spec)
    out: List[Any] = []
    for index, item in enumerate(items):
        text, error = _one(protocol, item, explain)
        if error is None:
            out.append(text if output == "json" else json.loads(text))  # type: ignore[arg-type]
            continue
        row = _error_row(None if first_line is None else first_line + index, partition, index,
                         error)
        out.append(json.dumps(row, ensure_ascii=False, separators=(",", ":"))
                   if output == "json" else row)
    return out


def _count(items: Iterable[Any]) -> int:
    return sum(1 for _ in items)


def _first_lines(counts: List[int]) -> List[int]:
    firsts, total = [], 1
    for c in counts:
        firsts.append(total)
        total += c
    return firsts


def evaluate_bag(bag: Any, protocol_path: str, *, plugin_dirs: Optional[Sequence[str]] = None,
                 output: str = "dict", numbered: bool = True, explain: bool = False,
                 sha256: Optional[str] = None, ship: bool = False) -> Any:
    """Evaluates every client state of a ``dask.bag.Bag``, in order.

    Elements are states: dicts, or JSON text (NDJSON lines as from
    ``dask.bag.read_text``, with or without their newline). The result is a
    bag with one element per input element, in the same order: the
    recommendation (a dict; ``output="json"``: its JSON text, the exact line
    ``fascia batch`` writes), or for a state that cannot be evaluated
    ``{"line": N, "error": "..."}`` worded as ``fascia batch`` words it,
    N counting elements from 1 across the whole bag.

    ``numbered=False`` makes error rows ``{"partition": P, "index": I,
    "error": ...}`` instead, which spares counting every partition before
    evaluating (with ``numbered=True`` the input partitions are held until
    the partitions before them are counted).

    The protocol is read here to take its sha256; each worker process loads
    it once from ``protocol_path`` (which must exist on the workers, e.g. a
    shared filesystem; or ``ship=True``: the text travels with the job) and
    fails with :class:`fascia.ProtocolMismatch` if its copy differs.
    """
    import dask
    import dask.bag as db

    if output not in ("dict", "json"):
        raise ValueError("output must be 'dict' or 'json', got %r" % (output,))
    spec = _spec(protocol_path, plugin_dirs, sha256, ship)
    partitions = bag.to_delayed(optimize_graph=False)
    firsts = None
    if numbered:
        counts = [dask.delayed(_count, pure=True)(p) for p in partitions]
        firsts = dask.delayed(_first_lines, pure=True)(counts)
    evaluate = dask.delayed(_evaluate_partition, pure=True)
    parts = [
        evaluate(p, i, firsts[i] if firsts is not None else None, spec, output, explain)
        for i, p in enumerate(partitions)
    ]
    return db.from_delayed(parts)


# Recommendation columns of evaluate_dataframe, with their pandas dtypes.
COLUMNS = {
    "stage": "object",
    "pressure_cap": "Int64",
    "techniques": "object",
    "frequency": "object",
    "next_session_in_days": "Int64",
    "postpone_days": "Int64",
    "referral": "object",
    "red_flags": "object",
    "reasons": "object",
    "protocol_sha256": "object",
    "error": "object",
}

# Adjustment kinds that are red flags themselves (CONTRACT.md "Safety
# floors"); a held escalation's rule is the red flag that held it.
_RED_FLAG_KINDS = {"referral", "postponed", "stage_regressed"}
_HELD_KINDS = {"stage_held", "technique_held", "frequency_held"}


def recommendation_columns(plan: Dict[str, Any]) -> Dict[str, Any]:
    """The columns of one recommendation: stage, cap, techniques
    (comma-separated ids), frequency, referral (who to, or None), red flags
    (JSON list of the red-flag rule ids that fired) and reasons (JSON list of
    ``{"kind", "rule", "reason"}``)."""
    session = plan["session"]
    referral = session.get("referral")
    red = []
    for a in plan.get("adjustments", []):
        if a.get("kind") in _RED_FLAG_KINDS or a.get("kind") in _HELD_KINDS:
            if a.get("rule") and a["rule"] not in red:
                red.append(a["rule"])
    if referral and referral.get("rule") and referral["rule"] not in red:
        red.append(referral["rule"])
    return {
        "stage": session["stage"],
        "pressure_cap": session["pressure_cap"],
        "techniques": ",".join(t["id"] for t in session["techniques"]),
        "frequency": session["frequency"],
        "next_session_in_days": session["next_session_in_days"],
        "postpone_days": session.get("postpone_days", 0),
        "referral": referral["to"] if referral else None,
        "red_flags": json.dumps(red),
        "reasons": json.dumps([{"kind": a["kind"], "rule": a["rule"], "reason": a["reason"]}
                               for a in plan.get("adjustments", [])], ensure_ascii=False),
        "protocol_sha256": plan["protocol"]["sha256"],
        "error": None,
    }


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, NaT, pd.NA raise or compare unequal
    except (TypeError, ValueError):
        return False


def state_from_row(row: Dict[str, Any]) -> Dict[str, Any]:
    """A client state from flat columns with dotted names (``client.id``,
    ``pain.current``, ``flare.active``...). Missing values (None, NaN) are
    left out, so optional keys may be absent row by row. Whole floats become
    integers (pandas stores an integer column with missing values as
    float64: 6.0 is read as 6). ``history`` and ``observations`` may hold
    JSON text."""
    state: Dict[str, Any] = {}
    for name, value in row.items():
        if _missing(value):
            continue
        if hasattr(value, "item") and not isinstance(value, (str, bytes)):
            value = value.item()  # numpy scalars
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if name in ("history", "observations") and isinstance(value, str):
            value = json.loads(value)
        node = state
        parts = str(name).split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return state


def _evaluate_frame(frame: Any, spec: _Spec, state_column: Optional[str]) -> Any:
    import pandas as pd

    protocol = _protocol(spec)
    rows = []
    if state_column is not None:
        states: Iterable[Any] = frame[state_column].tolist()
    else:
        columns = list(frame.columns)
        states = (dict(zip(columns, values)) for values in frame.itertuples(index=False))
    for item in states:
        if state_column is None:
            item = state_from_row(item)
        text, error = _one(protocol, item, False)
        if error is None:
            rows.append(recommendation_columns(json.loads(text)))  # type: ignore[arg-type]
        else:
            row = dict.fromkeys(COLUMNS)
            row["error"] = error
            rows.append(row)
    out = pd.DataFrame(rows, index=frame.index, columns=list(COLUMNS))
    return out.astype(COLUMNS)


def evaluate_dataframe(ddf: Any, protocol_path: str, *,
                       plugin_dirs: Optional[Sequence[str]] = None,
                       state_column: Optional[str] = None, sha256: Optional[str] = None,
                       ship: bool = False) -> Any:
    """Evaluates every row of a ``dask.dataframe.DataFrame``.

    Rows are client states: either one column (``state_column``, or a column
    named ``state`` when there is one) holding JSON text or dicts, or flat
    columns with dotted names (``client.id``, ``as_of``, ``pain.current``,
    ``flare.active``...; see :func:`state_from_row`). Returns a dataframe
    with the same index and partitions and the columns of
    :data:`COLUMNS`: stage, pressure_cap, techniques, frequency,
    next_session_in_days, postpone_days, referral, red_flags (JSON),
    reasons (JSON), protocol_sha256, and error (None, or the problem with
    that row, worded as ``fascia batch`` does). A bad row is reported in its
    row; no row is dropped. Protocol loading and checks as
    :func:`evaluate_bag`.
    """
    import pandas as pd

    if state_column is None and "state" in ddf.columns:
        state_column = "state"
    spec = _spec(protocol_path, plugin_dirs, sha256, ship)
    meta = pd.DataFrame({name: pd.Series([], dtype=dtype) for name, dtype in COLUMNS.items()})
    return ddf.map_partitions(_evaluate_frame, spec, state_column, meta=meta)


__all__ = ["evaluate_bag", "evaluate_dataframe", "loaded_protocols", "describe",
           "recommendation_columns", "state_from_row", "COLUMNS", "MAX_LINE_BYTES"]
