"""C API 1.2 from Python: what-if, simulate, validate, metadata and the
state schema, each equal to what the CLI prints for the same input."""

import json
import os
import subprocess

import pytest

import fascia
from conftest import CLI, EXAMPLES, PROTOCOL, SOURCE_DIR

SCENARIO = os.path.join(SOURCE_DIR, "protocols", "scenarios", "fibromyalgia-setback.yaml")
STATE_YAML = os.path.join(EXAMPLES, "fibromyalgia-client.yaml")


def cli(*args):
    run = subprocess.run([CLI] + list(args), capture_output=True, timeout=120)
    return run.returncode, run.stdout.decode("utf-8"), run.stderr.decode("utf-8")


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def test_what_if_equals_cli(protocol):
    code, out, err = cli("what-if", "--protocol", PROTOCOL, "--state", STATE_YAML,
                         "--set", "flare.active=true", "--set", "flare.severity=6", "--json")
    assert code == 0, err
    doc = protocol.what_if(read(STATE_YAML), {"flare.active": True, "flare.severity": 6})
    assert doc == json.loads(out)
    assert any(c["path"] == "session.pressure_cap" and c["rules"] for c in doc["changes"])


def test_what_if_refused_change_names_its_path(protocol, example_state):
    with pytest.raises(fascia.InvalidInput) as raised:
        protocol.what_if(example_state, {"pain.current": 40})
    assert raised.value.diagnostics[0].path == "pain.current"
    with pytest.raises(fascia.UsageError):
        protocol.what_if(example_state, [("pain.current", 4)])


def test_simulate_equals_cli(protocol):
    code, out, err = cli("simulate", "--protocol", PROTOCOL, "--state", STATE_YAML, "--weeks",
                         "12", "--scenario", SCENARIO, "--json")
    assert code == 0, err
    assert protocol.simulate(read(STATE_YAML), 12, read(SCENARIO)) == json.loads(out)
    # A scenario as a dict; no scenario at all.
    assert protocol.simulate(read(STATE_YAML), 4, {"weeks": {"2": {"missed": True}}})["sessions"]
    assert protocol.simulate(read(STATE_YAML), 2)["weeks"] == 2
    with pytest.raises(fascia.UsageError, match="weeks must be 1-260"):
        protocol.simulate(read(STATE_YAML), 0)
    with pytest.raises(fascia.InvalidInput) as raised:
        protocol.simulate(read(STATE_YAML), 4, "weeks:\n  3: {flare: high}\n")
    assert raised.value.diagnostics[0].file == "<scenario>"
    assert raised.value.diagnostics[0].line == 2


def test_validate_protocol_file_and_text(engine):
    result = engine.validate(PROTOCOL)
    assert result["valid"] is True and result["errors"] == 0
    assert all(d["severity"] != "error" for d in result["diagnostics"])
    code, _, err = cli("validate", PROTOCOL)
    assert code == 0 and err.count(": warning: ") == result["warnings"]
    broken = read(PROTOCOL).replace("interval_days: 7", "interval_days: seven", 1)
    result = engine.validate_text(broken, "broken.yaml")
    assert result["valid"] is False
    first = result["diagnostics"][0]
    assert first["file"] == "broken.yaml" and first["line"] > 0
    assert first["path"].startswith("$.frequency")


def test_validate_state(protocol, example_state):
    assert protocol.validate(example_state)["valid"] is True
    bad = dict(example_state, pain={"current": 60, "baseline": 8})
    result = protocol.validate_state(bad)
    assert result["valid"] is False
    assert [d["path"] for d in result["diagnostics"]] == ["$.pain.current"]


def test_metadata(protocol):
    meta = protocol.metadata
    assert meta["id"] == "fibromyalgia"
    assert [s["id"] for s in meta["stages"]][0] == "foundation"
    assert all(s["title"] for s in meta["stages"])
    assert any(f["id"] == "weekly" and f["interval_days"] == 7 for f in meta["frequencies"])
    stiffness = [o for o in meta["observations"] if o["name"] == "morning_stiffness_minutes"]
    assert stiffness and stiffness[0]["type"] in ("integer", "number")
    assert all(t["title"] and t["plugin"] for t in meta["techniques"])


def test_state_schema_equals_cli(protocol):
    code, out, err = cli("schema", "--protocol", PROTOCOL)
    assert code == 0, err
    assert protocol.state_schema == json.loads(out)


def test_error_json_path_from_the_library(protocol, example_state):
    # The path comes from the C API (1.2) for YAML states too.
    text = read(STATE_YAML).replace("current: 6", "current: 60")
    with pytest.raises(fascia.InvalidInput) as raised:
        protocol.evaluate(text)
    assert raised.value.diagnostics[0].path == "pain.current"
