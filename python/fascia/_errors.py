"""Errors of the fascia package: every problem found, located."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import List, Optional, Sequence

# fascia_status of fascia.h
OK, ARGUMENT, INVALID_INPUT, IO, OUT_OF_MEMORY, INTERNAL = range(6)

# A client-state message starts with the dotted path of the offending key:
# "pain.current must be between 0 and 10, got 11", "unknown key 'bogus'".
_PATH = re.compile(
    r"^([a-z_][a-z0-9_]*(?:(?:\.[a-z_][a-z0-9_]*)|(?:\[\d+\]))*)"
    r"(?::| must | is | cannot | should )")
_QUOTED_KEY = re.compile(r"^unknown (?:key|field) '([^']+)'")


@dataclass(frozen=True)
class Diagnostic:
    """One problem, where it is and what to do about it.

    ``file``, ``line`` and ``column`` locate it in the protocol or client
    state (``line``/``column`` are 0 when unknown); ``path`` is the dotted
    path of the offending key of a client state or protocol
    (``pain.current``, ``history[0].pressure``) when the message names one,
    else ``None``.
    """

    severity: str
    file: str
    line: int
    column: int
    message: str
    path: Optional[str] = None

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += ":%d" % self.line
            if self.column:
                where += ":%d" % self.column
        return "%s: %s: %s" % (where, self.severity, self.message)


def _path_of(message: str) -> Optional[str]:
    quoted = _QUOTED_KEY.match(message)
    if quoted:
        return quoted.group(1)
    match = _PATH.match(message)
    if match:
        return match.group(1)
    return None


def _dotted(path: Optional[str]) -> Optional[str]:
    """The C API's JSON path (C API 1.2: ``$.history[0].pressure``) as
    Diagnostic.path (``history[0].pressure``); None for ``$`` (the whole
    input) or when the library gives none."""
    if not path or path == "$":
        return None
    return path[2:] if path.startswith("$.") else path[1:] if path.startswith("$") else path


def diagnostics_from_json(text: str) -> List[Diagnostic]:
    """The diagnostics of fascia_error_json()."""
    document = json.loads(text)
    return [
        Diagnostic(severity=d.get("severity", "error"), file=d.get("file", ""),
                   line=int(d.get("line", 0)), column=int(d.get("column", 0)),
                   message=d.get("message", ""),
                   path=_dotted(d.get("path")) or _path_of(d.get("message", "")))
        for d in document.get("diagnostics", [])
    ]


class FasciaError(Exception):
    """Base class of the errors of the fascia package.

    ``diagnostics`` holds every problem found in one pass; ``str(error)`` is
    one ``FILE:LINE:COL: error: MESSAGE`` line per problem, as the CLI
    prints them.
    """

    status: int = INTERNAL

    def __init__(self, message: str, diagnostics: Sequence[Diagnostic] = ()) -> None:
        super().__init__(message)
        self.diagnostics: List[Diagnostic] = list(diagnostics)

    @property
    def errors(self) -> List[Diagnostic]:
        """The diagnostics of severity ``error``."""
        return [d for d in self.diagnostics if d.severity == "error"]


class InvalidInput(FasciaError, ValueError):
    """The protocol, client state or plugin is invalid (CLI exit status 3)."""

    status = INVALID_INPUT


class UsageError(FasciaError, ValueError):
    """A bad argument: a wrong type, bad options (CLI exit status 2)."""

    status = ARGUMENT


class FasciaIOError(FasciaError, OSError):
    """A file could not be read."""

    status = IO


class InternalError(FasciaError, RuntimeError):
    """A bug in fascia or a plugin: please report it with the input."""

    status = INTERNAL


class ProtocolMismatch(FasciaError, RuntimeError):
    """A worker loaded a protocol file whose sha256 differs from the one the
    job was planned with: workers would not all run the same protocol."""


def error_for(status: int, message: str, error_json: str) -> Exception:
    """The exception for a failed C API call."""
    try:
        diagnostics = diagnostics_from_json(error_json)
    except (ValueError, TypeError):
        diagnostics = []
    if status == INVALID_INPUT:
        return InvalidInput(message, diagnostics)
    if status == ARGUMENT:
        return UsageError(message, diagnostics)
    if status == IO:
        return FasciaIOError(message, diagnostics)
    if status == OUT_OF_MEMORY:
        return MemoryError(message)
    return InternalError(message, diagnostics)
