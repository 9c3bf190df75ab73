"""evaluate_many on threads, hot reload through ProtocolStore, and memory
over 100,000 evaluations."""

import ctypes
import json
import os
import shutil
import threading

import pytest

import fascia
from fascia import _library
from conftest import PROTOCOL, generated_states
from test_evaluate import BAD_STATE


@pytest.fixture(scope="module")
def states():
    return generated_states(3000, seed=5)


def test_engine_calls_release_the_gil():
    # ctypes.CDLL (unlike PyDLL) releases the GIL around every foreign call.
    lib = _library.load()
    assert isinstance(lib, ctypes.CDLL) and not isinstance(lib, ctypes.PyDLL)


@pytest.mark.parametrize("threads", [1, 2, 4])
def test_evaluate_many_keeps_input_order(protocol, states, threads):
    expected = [protocol.evaluate_json(s) for s in states[:500]]
    got = list(protocol.evaluate_many(iter(states[:500]), threads=threads, raw=True,
                                      chunk_size=7))
    assert got == expected
    dicts = list(protocol.evaluate_many(states[:100], threads=threads))
    assert [d["client_id"] for d in dicts] == [s["client"]["id"] for s in states[:100]]


def test_evaluate_many_errors(protocol, states):
    mixed = states[:10] + [BAD_STATE] + states[10:20] + ["not json"]
    rows = list(protocol.evaluate_many(mixed, threads=2, errors="include", chunk_size=3))
    assert len(rows) == len(mixed)
    assert rows[10]["index"] == 10 and "pain.current" in rows[10]["error"]
    assert rows[10]["diagnostics"][0]["file"] == "<state>"
    assert rows[21]["index"] == 21
    assert [r["client_id"] for r in rows[:10]] == [s["client"]["id"] for s in states[:10]]
    assert rows[11]["client_id"] == states[10]["client"]["id"]
    seen = []
    with pytest.raises(fascia.InvalidInput):
        for row in protocol.evaluate_many(mixed, threads=2, chunk_size=4):
            seen.append(row)
    assert len(seen) == 10, "every result before the bad state is yielded first"


def test_one_protocol_from_many_python_threads(protocol, states):
    expected = {s["client"]["id"]: protocol.evaluate_json(s) for s in states[:400]}
    failures = []

    def worker(part):
        for s in part:
            if protocol.evaluate_json(s) != expected[s["client"]["id"]]:
                failures.append(s["client"]["id"])

    threads = [threading.Thread(target=worker, args=(states[i:400:4],)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []


def test_hot_reload(tmp_path, example_state):
    path = tmp_path / "protocol.yaml"
    shutil.copyfile(PROTOCOL, path)
    store = fascia.ProtocolStore(path)
    first = store.evaluate(example_state)["protocol"]
    assert first["version"] == "1.0.0"
    pinned = store.current()
    assert not store.reload(if_changed=True), "unchanged file: nothing swapped"

    text = path.read_text(encoding="utf-8")
    assert "version: 1.0.0" in text
    path.write_text(text.replace("version: 1.0.0", "version: 1.0.1", 1), encoding="utf-8")
    assert store.reload(if_changed=True)
    second = store.evaluate(example_state)["protocol"]
    assert second["version"] == "1.0.1" and second["sha256"] != first["sha256"]
    assert pinned.evaluate(example_state)["protocol"] == first, "an old handle keeps its version"

    path.write_text(text.replace("stages:", "stages: [", 1), encoding="utf-8")
    with pytest.raises(fascia.InvalidInput) as raised:
        store.reload()
    assert raised.value.diagnostics[0].file == str(path)
    assert store.evaluate(example_state)["protocol"] == second, "a broken file keeps serving"

    with pytest.raises(fascia.InvalidInput):  # a broken file cannot be opened at all
        fascia.Engine().open_store(path)
    store.close()
    with pytest.raises(fascia.UsageError):
        store.evaluate(example_state)


def _rss_kib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_memory_stable_over_100000_evaluations(protocol, states):
    texts = [json.dumps(s) for s in states[:1000]]
    bad = json.dumps(BAD_STATE)

    def run(count):
        for i in range(count):
            if i % 10 == 9:
                try:
                    protocol.evaluate_json(bad)
                except fascia.InvalidInput:
                    pass
            elif i % 10 == 8:
                protocol.evaluate(texts[i % 1000])
            else:
                protocol.evaluate_json(texts[i % 1000])

    run(10_000)  # warm up: allocator pools, caches
    before = _rss_kib()
    run(100_000)
    after = _rss_kib()
    # A leak of even 64 bytes per evaluation would add 6 MiB.
    assert after - before < 4096, "RSS grew from %d KiB to %d KiB" % (before, after)
