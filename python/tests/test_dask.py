"""fascia.dask on a real distributed.LocalCluster with 2 worker processes:
200,000 generated states give exactly `fascia batch`'s output, bad rows
reported in their rows, no row lost, the protocol loaded once per worker
and its sha256 checked on every worker."""

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import CLI, PROTOCOL, SOURCE_DIR, generated_states

MAKE_STATES = os.path.join(SOURCE_DIR, "tools", "bench", "make_states.py")

pytestmark = pytest.mark.dask

distributed = pytest.importorskip("distributed")
db = pytest.importorskip("dask.bag")
dd = pytest.importorskip("dask.dataframe")
pd = pytest.importorskip("pandas")

import fascia  # noqa: E402
import fascia.dask  # noqa: E402

COUNT = 200_000
# Bad lines, by 1-based line number: wrong values, not JSON, empty, not an object.
BAD = {
    7: '{"client": {"id": "C-bad", "condition": "fibromyalgia"}, "as_of": "2026-11-20", '
       '"pain": {"current": 11, "baseline": 8}, "sensitivity": "moderate", '
       '"pressure_tolerance": 5, "flare": {"active": false}, "bogus": 1}',
    54_321: "{not json",
    120_000: "",
    199_999: "[1, 2, 3]",
}


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, silence_logs=40) as cluster, \
            distributed.Client(cluster) as client:
        yield client


@pytest.fixture(scope="module")
def states_file(tmp_path_factory):
    """200,000 NDJSON states (tools/bench/make_states.py) with bad lines."""
    path = tmp_path_factory.mktemp("dask") / "states.ndjson"
    run = subprocess.run([sys.executable, MAKE_STATES, str(COUNT), "--seed", "17"],
                         capture_output=True, timeout=600)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.decode("utf-8").split("\n")
    assert lines[-1] == "" and len(lines) - 1 == COUNT
    for number, text in BAD.items():
        lines[number - 1] = text
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def batch_output(states_file, tmp_path_factory):
    out = tmp_path_factory.mktemp("batch") / "batch.ndjson"
    with open(states_file, "rb") as stdin, open(out, "wb") as stdout:
        run = subprocess.run([CLI, "batch", "--protocol", PROTOCOL, "--threads", "2"],
                             stdin=stdin, stdout=stdout, stderr=subprocess.PIPE, timeout=600)
    assert run.returncode == 3, run.stderr  # some lines are bad
    assert b"4 of 200000 line(s)" in run.stderr
    # For Spark's RDD.pipe and Hadoop streaming: the same lines, exit status 0.
    with open(states_file, "rb") as f:
        head = b"".join(f.readline() for _ in range(10))
    lenient = subprocess.run([CLI, "batch", "--protocol", PROTOCOL, "--threads", "2",
                              "--exit-zero-on-bad-lines"], input=head, capture_output=True,
                             timeout=60)
    assert lenient.returncode == 0, lenient.stderr
    with open(out, "rb") as f:
        assert lenient.stdout == b"".join(f.readline() for _ in range(10))
    assert b"1 of 10 line(s) could not be evaluated" in lenient.stderr
    return out


def test_bag_matches_fascia_batch_on_200000_states(cluster, states_file, batch_output,
                                                   tmp_path):
    bag = db.read_text(str(states_file), blocksize=8_000_000)
    assert bag.npartitions >= 4
    lines = fascia.dask.evaluate_bag(bag, PROTOCOL, output="json")
    lines.to_textfiles(str(tmp_path / "out" / "*.ndjson"))
    parts = sorted(os.listdir(tmp_path / "out"), key=lambda name: int(name.split(".")[0]))
    count = 0
    with open(batch_output, encoding="utf-8") as expected:
        for part in parts:
            with open(tmp_path / "out" / part, encoding="utf-8") as got:
                for line in got:  # the last line of a part has no newline
                    count += 1
                    assert line.rstrip("\n") + "\n" == expected.readline(), \
                        "line %d differs" % count
        assert expected.readline() == "", "dask lost rows"
    assert count == COUNT
    # The bad rows, in their rows, worded as fascia batch words them.
    with open(batch_output, encoding="utf-8") as expected:
        rows = {n: json.loads(line) for n, line in enumerate(expected, 1) if n in BAD}
    assert rows[7]["line"] == 7 and "pain.current must be between 0 and 10" in rows[7]["error"]
    assert rows[120_000] == {"line": 120_000,
                             "error": "empty line: expected one client state (a JSON object)"}
    # Each worker process loaded the protocol once, and the same version.
    loads = cluster.run(fascia.dask.loaded_protocols)
    assert len(loads) == 2
    for worker, loaded in loads.items():
        mine = [entry for entry in loaded if entry["path"] == os.path.abspath(PROTOCOL)]
        assert len(mine) == 1, (worker, loaded)
        assert mine[0]["sha256"] == fascia.Engine().load_protocol(PROTOCOL).sha256


def test_bag_of_dicts_and_partition_errors(cluster):
    states = generated_states(2000, seed=23)
    states[500] = {"client": {"id": "C-x"}}
    protocol = fascia.Engine().load_protocol(PROTOCOL)
    got = fascia.dask.evaluate_bag(db.from_sequence(states, npartitions=6), PROTOCOL,
                                   numbered=False).compute()
    assert len(got) == 2000
    assert got[:500] == [protocol.evaluate(s) for s in states[:500]]
    assert got[500]["partition"] == 500 // 334 and "error" in got[500]
    assert got[501] == protocol.evaluate(states[501])


def test_dataframe_columns_in_recommendation_columns_out(cluster, states_file, batch_output):
    rows, expected = [], []
    with open(states_file, encoding="utf-8") as states, \
            open(batch_output, encoding="utf-8") as batch:
        for number, (state, result) in enumerate(zip(states, batch), 1):
            if number > 6000:
                break
            rows.append(json.loads(state))
            expected.append(json.loads(result))
    flat = pd.json_normalize(rows, max_level=1)
    flat["history"] = [json.dumps(r.get("history", [])) for r in rows]
    assert "pain.current" in flat.columns and "client.id" in flat.columns
    ddf = dd.from_pandas(flat, npartitions=4)
    out = fascia.dask.evaluate_dataframe(ddf, PROTOCOL).compute()
    assert list(out.columns) == list(fascia.dask.COLUMNS)
    assert len(out) == len(rows) and list(out.index) == list(flat.index)
    for i, plan in enumerate(expected):
        row = out.iloc[i]
        if "error" in plan:
            # The same problems; columns differ (the state is rebuilt from columns).
            assert i + 1 == 7
            assert re.sub(r"column \d+: ", "", row["error"]) == \
                re.sub(r"column \d+: ", "", plan["error"])
            assert pd.isna(row["pressure_cap"]) and row["stage"] is None
            continue
        assert row["error"] is None
        assert row["stage"] == plan["session"]["stage"]
        assert row["pressure_cap"] == plan["session"]["pressure_cap"]
        assert row["techniques"] == ",".join(t["id"] for t in plan["session"]["techniques"])
        assert row["frequency"] == plan["session"]["frequency"]
        referral = plan["session"]["referral"]
        assert row["referral"] == (referral["to"] if referral else None)
        assert json.loads(row["reasons"]) == [
            {"kind": a["kind"], "rule": a["rule"], "reason": a["reason"]}
            for a in plan["adjustments"]]
        assert isinstance(json.loads(row["red_flags"]), list)
    assert out["referral"].notna().any() and (out["red_flags"] != "[]").any()
    # A JSON-text column works the same way.
    texts = pd.DataFrame({"state": [json.dumps(r) for r in rows[:300]]})
    by_text = fascia.dask.evaluate_dataframe(dd.from_pandas(texts, npartitions=2),
                                             PROTOCOL).compute()
    first = out.iloc[:300].reset_index(drop=True)
    pd.testing.assert_frame_equal(by_text.drop(columns="error"), first.drop(columns="error"))
    assert list(by_text["error"].notna()) == list(first["error"].notna())
    assert by_text["error"][6] == expected[6]["error"], "the original text's columns"


def test_sha256_mismatch_on_a_worker_fails_loudly(cluster, tmp_path):
    path = tmp_path / "protocol.yaml"
    shutil.copyfile(PROTOCOL, path)
    bag = db.from_sequence(generated_states(20), npartitions=2)
    planned = fascia.dask.evaluate_bag(bag, str(path))  # sha256 taken now
    path.write_text(path.read_text().replace("version: 1.0.0", "version: 9.9.9", 1))
    with pytest.raises(fascia.ProtocolMismatch) as raised:
        planned.compute()
    assert "every worker must run the same protocol version" in str(raised.value)
    assert "worker tcp://" in str(raised.value)
    with pytest.raises(fascia.ProtocolMismatch):  # checked on the client too
        fascia.dask.evaluate_bag(bag, str(path), sha256="0" * 64)
    # ship=True sends the text: workers need no copy of the file.
    shipped = fascia.dask.evaluate_bag(bag, str(path), ship=True).compute()
    assert {r["protocol"]["version"] for r in shipped} == {"9.9.9"}
