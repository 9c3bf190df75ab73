"""Engine, Protocol and ProtocolStore: the fascia C API as Python objects."""

from __future__ import annotations

import ctypes
import dataclasses
import json
import os
import threading
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from typing import (Any, Deque, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence,
                    Union)

from . import _library
from ._errors import OK, FasciaError, InvalidInput, UsageError, error_for
from ._json_path import json_path_at

State = Union[Mapping[str, Any], str, bytes]
"""A client state: a dict, or its JSON (or YAML) text."""

EXPLAIN = 1  # FASCIA_EXPLAIN
STRICT = 2  # FASCIA_STRICT


def _raise_for(lib: ctypes.CDLL, status: int, error: ctypes.c_void_p) -> None:
    """Turns a failed call's fascia_error* into an exception (and frees it)."""
    if not error.value:
        raise error_for(status, "fascia: call failed with status %d" % status, "{}")
    try:
        message = lib.fascia_error_message(error).decode("utf-8", "replace")
        text = lib.fascia_error_json(error).decode("utf-8", "replace")
    finally:
        lib.fascia_error_free(error)
    raise error_for(status, message, text)


def _take_string(lib: ctypes.CDLL, pointer: ctypes.c_void_p) -> str:
    try:
        return ctypes.string_at(pointer.value).decode("utf-8")
    finally:
        lib.fascia_string_free(pointer)


def _state_text(state: State) -> bytes:
    """The UTF-8 text the C API reads: JSON for a mapping."""
    if isinstance(state, bytes):
        text = state
    elif isinstance(state, str):
        text = state.encode("utf-8")
    elif isinstance(state, Mapping):
        try:
            text = json.dumps(state, ensure_ascii=False, separators=(",", ":"),
                              default=_json_default).encode("utf-8")
        except (TypeError, ValueError) as e:
            raise UsageError("fascia: the client state cannot be written as JSON: %s" % e) from e
    else:
        raise UsageError("fascia: a client state is a dict or its JSON text, not %s" %
                         type(state).__name__)
    if b"\0" in text:
        raise InvalidInput("fascia: the client state contains a NUL character")
    return text


def _json_default(value: Any) -> Any:
    """Dates (and pandas/numpy scalars) as JSON."""
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text[:-9] if text.endswith("T00:00:00") else text
    if hasattr(value, "item"):
        return value.item()
    raise TypeError("%s is not JSON serializable" % type(value).__name__)


def _options_json(plugin_dirs: Optional[Sequence[Union[str, os.PathLike]]],
                  use_environment: bool, use_default_dirs: bool) -> bytes:
    if isinstance(plugin_dirs, (str, bytes, os.PathLike)):
        raise UsageError("fascia: plugin_dirs is a list of folders, e.g. plugin_dirs=['%s']" %
                         os.fsdecode(plugin_dirs))
    options = {
        "plugin_dirs": [os.fsdecode(d) for d in (plugin_dirs or [])],
        "use_environment": bool(use_environment),
        "use_default_dirs": bool(use_default_dirs),
    }
    return json.dumps(options).encode("utf-8")


class Engine:
    """The technique plugins, and the protocols loaded with them.

    ``Engine(plugin_dirs=[...])`` searches ``plugin_dirs`` first, then
    ``FASCIA_PLUGIN_PATH`` (``use_environment``) and the plugins installed
    beside libfascia (``use_default_dirs``). Plugin problems do not fail the
    engine: :attr:`plugins` lists them under ``"problems"``, and a protocol
    that needs a missing plugin fails to load saying so.

    An engine may load protocols from many threads. Protocols stay valid
    after their engine is closed.
    """

    def __init__(self, plugin_dirs: Optional[Sequence[Union[str, os.PathLike]]] = None, *,
                 use_environment: bool = True, use_default_dirs: bool = True) -> None:
        self._lib = _library.load()
        self._options = _options_json(plugin_dirs, use_environment, use_default_dirs)
        handle = ctypes.c_void_p()
        error = ctypes.c_void_p()
        status = self._lib.fascia_engine_new(self._options, ctypes.byref(handle),
                                             ctypes.byref(error))
        if status != OK:
            _raise_for(self._lib, status, error)
        self._handle: Optional[ctypes.c_void_p] = handle

    def _live(self) -> ctypes.c_void_p:
        if self._handle is None:
            raise UsageError("fascia: this Engine is closed")
        return self._handle

    @property
    def plugins(self) -> Dict[str, Any]:
        """``{"search_path": [...], "plugins": [...], "problems": [...]}``,
        as ``fascia plugins --json`` prints it."""
        out = ctypes.c_void_p()
        error = ctypes.c_void_p()
        status = self._lib.fascia_engine_plugins_json(self._live(), ctypes.byref(out),
                                                      ctypes.byref(error))
        if status != OK:
            _raise_for(self._lib, status, error)
        return json.loads(_take_string(self._lib, out))

    def load_protocol(self, path: Union[str, os.PathLike]) -> "Protocol":
        """Loads, validates and compiles the protocol YAML file at ``path``.

        Raises :class:`fascia.InvalidInput` with every problem found, each
        located (``file``, ``line``, ``column``).
        """
        handle = ctypes.c_void_p()
        error = ctypes.c_void_p()
        status = self._lib.fascia_protocol_load(self._live(), os.fsencode(path),
                                                ctypes.byref(handle), ctypes.byref(error))
        if status != OK:
            _raise_for(self._lib, status, error)
        return Protocol(self._lib, handle, os.fspath(path))

    def parse_protocol(self, text: str, name: str = "<protocol>") -> "Protocol":
        """Like :meth:`load_protocol`, from YAML text; ``name`` is used in
        messages."""
        handle = ctypes.c_void_p()
        error = ctypes.c_void_p()
        status = self._lib.fascia_protocol_parse(self._live(), text.encode("utf-8"),
                                                 name.encode("utf-8"), ctypes.byref(handle),
                                                 ctypes.byref(error))
        if status != OK:
            _raise_for(self._lib, status, error)
        return Protocol(self._lib, handle, name)

    def validate(self, path: Union[str, os.PathLike], *, strict: bool = False) -> Dict[str, Any]:
        """Validates the protocol file at ``path`` as ``fascia validate``
        does (schema, semantics, then lint warnings): ``{"valid", "errors",
        "warnings", "diagnostics": [{"severity", "file", "line", "column",
        "path", "message"}]}``; an invalid protocol is a result, not an
        exception. ``strict``: safety-floor warnings are errors
        (``fascia_validate_protocol_file``, C API 1.2)."""
        return self._validate("fascia_validate_protocol_file", os.fsencode(path),
                              STRICT if strict else 0)

    def validate_text(self, text: str, name: str = "<protocol>", *,
                      strict: bool = False) -> Dict[str, Any]:
        """:meth:`validate` for protocol YAML text; ``name`` is used in
        messages (``fascia_validate_protocol``, C API 1.2)."""
        return self._validate("fascia_validate_protocol", text.encode("utf-8"),
                              name.encode("utf-8"), STRICT if strict else 0)

    def _validate(self, function: str, *args: Any) -> Dict[str, Any]:
        return _call_document(self._lib, function, self._live(), *args)

    def open_store(self, path: Union[str, os.PathLike]) -> "ProtocolStore":
        """A protocol file that can be reloaded while in use (hot reload),
        with this engine's plugin options."""
        return ProtocolStore(path, _options=self._options)

    def close(self) -> None:
        """Releases the engine now (protocols loaded with it stay valid)."""
        if self._handle is not None:
            self._lib.fascia_engine_free(self._handle)
            self._handle = None

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001 (interpreter shutdown)
            pass


class _Evaluator:
    """What Protocol and ProtocolStore share: evaluate one or many states."""

    _lib: ctypes.CDLL

    def _evaluate_text(self, text: bytes, flags: int) -> str:
        raise NotImplementedError

    def _evaluate_located(self, text: bytes, flags: int) -> str:
        """_evaluate_text, with the JSON path of each problem of a JSON state
        (``history[0].pressure``) put in its Diagnostic.path."""
        try:
            return self._evaluate_text(text, flags)
        except InvalidInput as error:
            decoded = text.decode("utf-8", "replace")
            error.diagnostics = [
                dataclasses.replace(d, path=json_path_at(decoded, d.line, d.column) or d.path)
                if d.file == "<state>" else d for d in error.diagnostics
            ]
            raise

    def evaluate_json(self, state: State, *, explain: bool = False) -> str:
        """The recommendation as the JSON text of the C API (one line, the
        bytes ``fascia evaluate --json`` prints without its newline)."""
        return self._evaluate_located(_state_text(state), EXPLAIN if explain else 0)

    def evaluate(self, state: State, *, explain: bool = False) -> Dict[str, Any]:
        """Today's recommendation for one client state.

        ``state`` is a dict (as in CONTRACT.md, "Client state") or its JSON
        or YAML text. Returns the recommendation document (format 1) as a
        dict. Raises :class:`fascia.InvalidInput` with every problem of the
        state, located. ``explain=True`` adds the ``trace`` of every rule
        considered.
        """
        return json.loads(self.evaluate_json(state, explain=explain))

    def evaluate_many(self, states: Iterable[State], threads: int = 2, *,
                      errors: str = "raise", explain: bool = False,
                      raw: bool = False, chunk_size: int = 64) -> Iterator[Any]:
        """Evaluates many states on ``threads`` threads, yielding results in
        input order.

        The engine runs with the GIL released, so threads evaluate in
        parallel; ``states`` is read lazily (at most a few chunks per thread
        ahead), so it may be a generator over millions of states.

        ``errors="raise"`` (default) raises :class:`fascia.InvalidInput` at
        the first bad state, after yielding every result before it;
        ``errors="include"`` yields ``{"index": N, "error": "...",
        "diagnostics": [...]}`` in its place (N counts from 0) and goes on.
        ``raw=True`` yields the JSON text instead of dicts.
        """
        if threads < 1:
            raise UsageError("fascia: threads must be at least 1, got %r" % (threads,))
        if errors not in ("raise", "include"):
            raise UsageError("fascia: errors must be 'raise' or 'include', got %r" % (errors,))
        flags = EXPLAIN if explain else 0
        include = errors == "include"

        def work(first: int, chunk: List[State]) -> List[Any]:
            out: List[Any] = []
            for offset, state in enumerate(chunk):
                try:
                    text = self._evaluate_located(_state_text(state), flags)
                    out.append(text if raw else json.loads(text))
                except FasciaError as e:
                    if not include:
                        out.append(e)
                        break
                    out.append(_error_row(first + offset, e))
            return out

        iterator = iter(states)
        pending: Deque[Future] = deque()
        index = 0
        with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="fascia") as pool:

            def submit() -> bool:
                nonlocal index
                chunk = []
                for state in iterator:
                    chunk.append(state)
                    if len(chunk) == chunk_size:
                        break
                if not chunk:
                    return False
                pending.append(pool.submit(work, index, chunk))
                index += len(chunk)
                return True

            more = True
            while more and len(pending) < 4 * threads:
                more = submit()
            try:
                while pending:
                    results = pending.popleft().result()
                    if more:
                        more = submit()
                    for result in results:
                        if isinstance(result, Exception):
                            raise result
                        yield result
            finally:
                for future in pending:
                    future.cancel()


def _error_row(index: int, error: FasciaError) -> Dict[str, Any]:
    return {
        "index": index,
        "error": str(error),
        "diagnostics": [d.__dict__.copy() for d in error.diagnostics],
    }


def _require(name: str, since: str) -> None:
    if not _library.has(name):
        raise UsageError("fascia: this libfascia (C API %d) has no %s; it needs C API %s "
                         "or later" % (api_version(), name, since))


def _call_document(lib: Any, function: str, handle: Any, *args: Any) -> Dict[str, Any]:
    """Calls a C API 1.2 function whose last two parameters are ``char** out``
    and ``fascia_error** error`` on ``handle``; returns its JSON document or
    raises the library's error."""
    _require(function, "1.2")
    out = ctypes.c_void_p()
    error = ctypes.c_void_p()
    status = getattr(lib, function)(handle, *args, ctypes.byref(out), ctypes.byref(error))
    if status != OK:
        _raise_for(lib, status, error)
    return json.loads(_take_string(lib, out))


class Protocol(_Evaluator):
    """A loaded, compiled protocol: immutable, safe to evaluate from any
    number of threads at once."""

    def __init__(self, lib: ctypes.CDLL, handle: ctypes.c_void_p, path: str) -> None:
        self._lib = lib
        self._handle: Optional[ctypes.c_void_p] = handle
        self.path = path
        self.id: str = lib.fascia_protocol_id(handle).decode("utf-8")
        self.version: str = lib.fascia_protocol_version(handle).decode("utf-8")
        self.sha256: str = lib.fascia_protocol_sha256(handle).decode("utf-8")

    def __repr__(self) -> str:
        return "<fascia.Protocol %s %s sha256 %s>" % (self.id, self.version, self.sha256[:12])

    def _live(self) -> ctypes.c_void_p:
        if self._handle is None:
            raise UsageError("fascia: this Protocol is closed")
        return self._handle

    def _evaluate_text(self, text: bytes, flags: int) -> str:
        out = ctypes.c_void_p()
        error = ctypes.c_void_p()
        status = self._lib.fascia_evaluate(self._live(), text, flags, ctypes.byref(out),
                                           ctypes.byref(error))
        if status != OK:
            _raise_for(self._lib, status, error)
        return _take_string(self._lib, out)

    def _require(self, name: str, since: str = "1.1") -> None:
        _require(name, since)

    def _document(self, function: str, *args: Any) -> Dict[str, Any]:
        """Calls a C API function whose last two parameters are ``char**
        out`` and ``fascia_error** error``; returns its JSON document."""
        return _call_document(self._lib, function, self._live(), *args)

    def what_if(self, state: State, changes: Mapping[str, Any], *,
                explain: bool = False) -> Dict[str, Any]:
        """``state`` evaluated as given and with ``changes`` (``{"PATH":
        VALUE}``, PATH as ``fascia what-if --set``: ``"flare.active"``,
        ``"observations.NAME"``): ``{"baseline": R, "what_if": R, "changes":
        [{"path", "from", "to", "rules"}]}`` (``fascia_what_if``, C API 1.2).
        A change the protocol refuses raises InvalidInput whose diagnostic
        has ``path`` = the change's PATH."""
        if not isinstance(changes, Mapping):
            raise UsageError("fascia: changes is a dict {\"PATH\": VALUE}")
        return self._document("fascia_what_if", _state_text(state),
                              _state_text(dict(changes)), EXPLAIN if explain else 0)

    def simulate(self, state: State, weeks: int,
                 scenario: Optional[Union[Mapping[str, Any], str]] = None) -> Dict[str, Any]:
        """The plan projected ``weeks`` (1-260) weeks forward, as ``fascia
        simulate --json``: ``scenario`` is a scenario (dict, or its YAML or
        JSON text; docs/cli.md "Scenario files") or None
        (``fascia_simulate``, C API 1.2)."""
        if isinstance(weeks, bool) or not isinstance(weeks, int):
            raise UsageError("fascia: weeks is an integer 1-260")
        text = None if scenario is None else _state_text(scenario)
        return self._document("fascia_simulate", _state_text(state), ctypes.c_int(weeks), text, 0)

    def validate(self, state: State) -> Dict[str, Any]:
        """Checks a client state against this protocol without evaluating
        it (``fascia validate --state S --protocol P``); see
        :meth:`validate_state`."""
        return self.validate_state(state)

    def validate_state(self, state: State) -> Dict[str, Any]:
        """Checks a client state against this protocol without evaluating
        it: ``{"valid", "errors", "warnings", "diagnostics": [{"severity",
        "file", "line", "column", "path", "message"}]}``
        (``fascia_validate_state``, C API 1.2)."""
        return self._document("fascia_validate_state", _state_text(state), 0)

    @property
    def state_schema(self) -> Dict[str, Any]:
        """The client-state JSON Schema specialised to this protocol, as
        ``fascia schema --protocol``: its conditions, stages, frequencies
        (with titles) and observations (types, ranges, descriptions), for an
        intake form (``fascia_protocol_state_schema_json``, C API 1.2)."""
        return self._document("fascia_protocol_state_schema_json")

    @property
    def metadata(self) -> Dict[str, Any]:
        """The same as :attr:`info`: stages, frequencies, observations,
        techniques, with titles."""
        return self.info

    @property
    def info(self) -> Dict[str, Any]:
        """What an integrator needs to build an intake form: id, version,
        title, conditions, stages, frequencies, observations, techniques
        (``fascia_protocol_info_json``, C API 1.1)."""
        self._require("fascia_protocol_info_json")
        out = ctypes.c_void_p()
        error = ctypes.c_void_p()
        status = self._lib.fascia_protocol_info_json(self._live(), ctypes.byref(out),
                                                     ctypes.byref(error))
        if status != OK:
            _raise_for(self._lib, status, error)
        return json.loads(_take_string(self._lib, out))

    def record(self, state: State, session: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
        """Records a session given (or missed, postponed) for ``state``, as
        ``fascia record`` does: returns ``{"state": NEXT_CLIENT_STATE,
        "plan": RECOMMENDATION}``. ``session`` is ``{"status", "date",
        "techniques", "pressure", "soreness_24h", "pain_before",
        "pain_after", "override", "history_kept"}``, every key optional
        (``{}``: given as planned). C API 1.1."""
        self._require("fascia_record")
        out = ctypes.c_void_p()
        error = ctypes.c_void_p()
        status = self._lib.fascia_record(self._live(), _state_text(state),
                                         _state_text(dict(session or {})), 0, ctypes.byref(out),
                                         ctypes.byref(error))
        if status != OK:
            _raise_for(self._lib, status, error)
        return json.loads(_take_string(self._lib, out))

    def close(self) -> None:
        """Releases the protocol now (it is released when collected anyway);
        do not close it while another thread evaluates with it."""
        if self._handle is not None:
            self._lib.fascia_protocol_free(self._handle)
            self._handle = None

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001
            pass


class ProtocolStore(_Evaluator):
    """A protocol file that can be replaced while it is being used.

    :meth:`reload` swaps in the new version whole; a broken file keeps the
    version being served and raises saying why. Every recommendation names
    the protocol id, version and sha256 it came from.
    """

    def __init__(self, path: Union[str, os.PathLike],
                 plugin_dirs: Optional[Sequence[Union[str, os.PathLike]]] = None, *,
                 use_environment: bool = True, use_default_dirs: bool = True,
                 _options: Optional[bytes] = None) -> None:
        self._lib = _library.load()
        options = _options or _options_json(plugin_dirs, use_environment, use_default_dirs)
        handle = ctypes.c_void_p()
        error = ctypes.c_void_p()
        status = self._lib.fascia_store_open(os.fsencode(path), options, ctypes.byref(handle),
                                             ctypes.byref(error))
        if status != OK:
            _raise_for(self._lib, status, error)
        self._handle: Optional[ctypes.c_void_p] = handle
        self.path = os.fspath(path)
        self._lock = threading.Lock()

    def _live(self) -> ctypes.c_void_p:
        if self._handle is None:
            raise UsageError("fascia: this ProtocolStore is closed")
        return self._handle

    def reload(self, *, reload_plugins: bool = False, if_changed: bool = False) -> bool:
        """Re-reads the file; True when a different version was swapped in.
        ``if_changed=True`` only re-reads when the file changed on disk."""
        changed = ctypes.c_int(0)
        error = ctypes.c_void_p()
        if if_changed:
            status = self._lib.fascia_store_reload_if_changed(self._live(), ctypes.byref(changed),
                                                              ctypes.byref(error))
        else:
            status = self._lib.fascia_store_reload(self._live(), 1 if reload_plugins else 0,
                                                   ctypes.byref(changed), ctypes.byref(error))
        if status != OK:
            _raise_for(self._lib, status, error)
        return bool(changed.value)

    def current(self) -> Protocol:
        """The version being served now; it stays valid across reloads."""
        handle = ctypes.c_void_p()
        error = ctypes.c_void_p()
        status = self._lib.fascia_store_current(self._live(), ctypes.byref(handle),
                                                ctypes.byref(error))
        if status != OK:
            _raise_for(self._lib, status, error)
        return Protocol(self._lib, handle, self.path)

    def _evaluate_text(self, text: bytes, flags: int) -> str:
        out = ctypes.c_void_p()
        error = ctypes.c_void_p()
        status = self._lib.fascia_store_evaluate(self._live(), text, flags, ctypes.byref(out),
                                                 ctypes.byref(error))
        if status != OK:
            _raise_for(self._lib, status, error)
        return _take_string(self._lib, out)

    def close(self) -> None:
        """Releases the store now; do not close it while it is in use."""
        if self._handle is not None:
            self._lib.fascia_store_free(self._handle)
            self._handle = None

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001
            pass


def version() -> str:
    """The engine version of the loaded libfascia ("0.1.0")."""
    return _library.load().fascia_version().decode("utf-8")


def api_version() -> int:
    """The C API version of the loaded libfascia (major * 1000 + minor)."""
    return int(_library.load().fascia_api_version())


__all__ = ["Engine", "Protocol", "ProtocolStore", "State", "version", "api_version"]
