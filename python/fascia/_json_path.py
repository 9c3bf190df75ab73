"""The JSON path (``history[0].pressure``) of a line and column in JSON text.

The engine locates a problem of a client state by line and column; for a
state given as JSON (a dict, or JSON text) this turns that place into the
path of the key or value there, so that :class:`fascia.Diagnostic` can say
``path="history[0].pressure"`` whatever the message's wording.
"""

from __future__ import annotations

from typing import List, Optional, Union


def _offset(data: bytes, line: int, column: int) -> Optional[int]:
    pos = 0
    for _ in range(line - 1):
        pos = data.find(b"\n", pos)
        if pos < 0:
            return None
        pos += 1
    offset = pos + column - 1
    return offset if 0 <= offset < len(data) else None


def _string_end(data: bytes, i: int) -> int:
    """The index just after the string starting at data[i] == '"'."""
    i += 1
    while i < len(data):
        c = data[i]
        if c == 0x5C:  # backslash
            i += 2
            continue
        if c == 0x22:
            return i + 1
        i += 1
    return len(data)


def _render(parts: List[Union[str, int, None]]) -> Optional[str]:
    out = ""
    for part in parts:
        if part is None:
            break
        if isinstance(part, int):
            out += "[%d]" % part
        else:
            out += ("." if out else "") + part
    return out or None


def json_path_at(text: str, line: int, column: int) -> Optional[str]:
    """The path at ``line``:``column`` (1-based; column in bytes, as the
    engine counts) of the JSON ``text``, or None when it is not inside a
    key or value (or the text is not JSON)."""
    if line < 1 or column < 1 or not text.lstrip().startswith("{"):
        return None
    import json

    data = text.encode("utf-8")
    target = _offset(data, line, column)
    if target is None:
        return None
    stack: List[List[Union[str, int, None]]] = []  # [kind, key or index]
    expect_key = False
    i = 0
    while i < len(data):
        c = data[i:i + 1]
        if c in (b" ", b"\t", b"\r", b"\n"):
            i += 1
            continue
        if i >= target:
            if expect_key and c == b'"' and stack and stack[-1][0] == "o":
                end = _string_end(data, i)
                try:
                    key = json.loads(data[i:end].decode("utf-8"))
                except ValueError:
                    return None
                return _render([entry[1] for entry in stack[:-1]] + [key])
            return _render([entry[1] for entry in stack])
        if c == b"{":
            stack.append(["o", None])
            expect_key = True
            i += 1
        elif c == b"[":
            stack.append(["a", 0])
            expect_key = False
            i += 1
        elif c in (b"}", b"]"):
            if stack:
                stack.pop()
            expect_key = False
            i += 1
        elif c == b",":
            if stack and stack[-1][0] == "a":
                stack[-1][1] = int(stack[-1][1] or 0) + 1
            else:
                expect_key = True
            i += 1
        elif c == b":":
            expect_key = False
            i += 1
        elif c == b'"':
            end = _string_end(data, i)
            if expect_key and stack and stack[-1][0] == "o":
                try:
                    stack[-1][1] = json.loads(data[i:end].decode("utf-8"))
                except ValueError:
                    return None
            i = end
        else:
            while i < len(data) and data[i:i + 1] not in (b",", b"}", b"]", b":", b" ", b"\t",
                                                           b"\r", b"\n"):
                i += 1
    return None
