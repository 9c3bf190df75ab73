"""fascia.Protocol.evaluate against the CLI: the same bytes, the same errors."""

import json
import os
import subprocess
import sys

import pytest

import fascia
from conftest import CLI, EXAMPLES, PROTOCOL, SOURCE_DIR, cli_evaluate_json, generated_states


def test_example_equals_cli_json_byte_for_byte(protocol):
    for name in ("fibromyalgia-client.json", "fibromyalgia-client.yaml"):
        with open(os.path.join(EXAMPLES, name), encoding="utf-8") as f:
            text = f.read()
        code, out, err = cli_evaluate_json(text)
        assert code == 0, err
        assert protocol.evaluate_json(text) + "\n" == out
        # The dict, written back compactly, is the same text again.
        plan = protocol.evaluate(text)
        assert json.dumps(plan, ensure_ascii=False, separators=(",", ":")) + "\n" == out


def test_generated_states_equal_cli(protocol):
    for state in generated_states(40, seed=3):
        text = json.dumps(state)
        code, out, err = cli_evaluate_json(text)
        assert code == 0, err
        assert protocol.evaluate_json(state) + "\n" == out  # a dict in
        assert protocol.evaluate(state) == json.loads(out)


def test_explain_equals_cli(protocol, example_state):
    code, out, err = cli_evaluate_json(json.dumps(example_state), "--explain")
    assert code == 0, err
    plan = protocol.evaluate(example_state, explain=True)
    assert plan == json.loads(out)
    assert plan["trace"], "explain adds the trace of every rule considered"


def test_recommendation_names_protocol(protocol, example_state):
    plan = protocol.evaluate(example_state)
    assert plan["protocol"] == {"id": protocol.id, "version": protocol.version,
                                "sha256": protocol.sha256}
    assert plan["engine"]["version"] == fascia.version() == fascia.__version__


BAD_STATE = {
    "client": {"id": "C-1", "condition": "fibromyalgia"}, "as_of": "2026-11-20",
    "pain": {"current": 11, "baseline": 8}, "sensitivity": "moderate",
    "pressure_tolerance": 5, "flare": {"active": False}, "bogus": 1,
}


def test_invalid_state_raises_located_diagnostics(protocol):
    text = json.dumps(BAD_STATE)
    with pytest.raises(fascia.InvalidInput) as raised:
        protocol.evaluate(text)
    error = raised.value
    assert isinstance(error, ValueError)
    assert len(error.diagnostics) == 2, error.diagnostics
    by_path = {d.path: d for d in error.diagnostics}
    pain = by_path["pain.current"]
    assert isinstance(pain, fascia.Diagnostic)
    assert (pain.severity, pain.file, pain.line) == ("error", "<state>", 1)
    assert text[pain.column - 1:].startswith("11"), pain.column
    assert "between 0 and 10" in pain.message
    assert text[by_path["bogus"].column - 1:].startswith('"bogus"')
    # The same problems, in the same words and places, as the CLI's.
    code, out, err = cli_evaluate_json(text)
    assert code == 3 and out == ""
    assert str(error).replace("<state>", "<stdin>") + "\n" == err
    assert [str(d).replace("<state>", "<stdin>") for d in error.diagnostics] == \
        err.splitlines()


def test_diagnostic_paths_of_json_states(protocol, example_state):
    state = json.loads(json.dumps(example_state))
    state["history"][-1]["pressure"] = 12
    state["flare"]["severity"] = "high"
    state["program"]["bogus"] = 1
    with pytest.raises(fascia.InvalidInput) as raised:
        protocol.evaluate(state)
    paths = sorted(d.path for d in raised.value.diagnostics)
    last = len(state["history"]) - 1
    assert paths == sorted(["history[%d].pressure" % last, "flare.severity",
                            "program.bogus"]), raised.value.diagnostics


def test_invalid_yaml_state_is_located_by_line(protocol):
    with pytest.raises(fascia.InvalidInput) as raised:
        protocol.evaluate("client:\n  id: C-1\n  condition: fibromyalgia\nas_of: 2026-11-20\n"
                          "pain:\n  current: 3\n  baseline: 4\nsensitivity: medium\n"
                          "pressure_tolerance: 5\nflare:\n  active: false\n")
    (d,) = raised.value.diagnostics
    assert (d.line, d.column, d.path) == (8, 14, "sensitivity"), d


def test_invalid_protocol_lists_every_problem_like_cli(engine):
    path = os.path.join(SOURCE_DIR, "tests", "cli", "data", "five-problems.yaml")
    with pytest.raises(fascia.InvalidInput) as raised:
        engine.load_protocol(path)
    errors = raised.value.errors
    assert [d.line for d in errors] == [25, 30, 37, 44, 50]
    assert all(d.file == path and d.column > 0 for d in errors)
    run = subprocess.run([CLI, "validate", path], capture_output=True, text=True, timeout=60)
    assert run.returncode == 3
    for d in errors:
        assert str(d) in run.stdout + run.stderr


def test_missing_protocol_file(engine, tmp_path):
    with pytest.raises(fascia.FasciaError) as raised:
        engine.load_protocol(tmp_path / "none.yaml")
    assert "none.yaml" in str(raised.value)


def test_wrong_arguments_are_usage_errors(engine, protocol):
    with pytest.raises(fascia.UsageError):
        protocol.evaluate(42)  # type: ignore[arg-type]
    with pytest.raises(fascia.UsageError):
        fascia.Engine(plugin_dirs="/opt/plugins")  # a string, not a list
    with pytest.raises(fascia.UsageError):
        list(protocol.evaluate_many([], threads=0))
    with pytest.raises(fascia.InvalidInput):
        protocol.evaluate("{\"client\": \0}")


def test_plugin_dirs_and_missing_plugins(tmp_path):
    empty = fascia.Engine(plugin_dirs=[tmp_path], use_default_dirs=False, use_environment=False)
    assert empty.plugins["plugins"] == []
    with pytest.raises(fascia.InvalidInput) as raised:
        empty.load_protocol(PROTOCOL)
    assert any("swedish" in d.message for d in raised.value.diagnostics)
    bundled = os.path.join(os.path.dirname(fascia.library_path()), "fascia", "plugins")
    explicit = fascia.Engine(plugin_dirs=[bundled], use_default_dirs=False)
    assert explicit.load_protocol(PROTOCOL).id == "fibromyalgia"


def test_python_m_fascia_mirrors_cli():
    state = os.path.join(EXAMPLES, "fibromyalgia-client.yaml")
    env = dict(os.environ)
    ours = subprocess.run([sys.executable, "-m", "fascia", "evaluate", "--protocol", PROTOCOL,
                           "--state", state, "--json"], capture_output=True, env=env, timeout=60)
    cli = subprocess.run([CLI, "evaluate", "--protocol", PROTOCOL, "--state", state, "--json"],
                         capture_output=True, timeout=60)
    assert ours.returncode == cli.returncode == 0, ours.stderr
    assert ours.stdout == cli.stdout
    human = subprocess.run([sys.executable, "-m", "fascia", "evaluate", "--protocol", PROTOCOL,
                            "--state", state], capture_output=True, text=True, timeout=60)
    assert human.returncode == 0 and "Stage           myofascial_introduction" in human.stdout
    bad = json.dumps(BAD_STATE).encode()
    ours = subprocess.run([sys.executable, "-m", "fascia", "evaluate", "--protocol", PROTOCOL,
                           "--state", "-", "--json"], input=bad, capture_output=True, timeout=60)
    cli = subprocess.run([CLI, "evaluate", "--protocol", PROTOCOL, "--state", "-", "--json"],
                         input=bad, capture_output=True, timeout=60)
    assert ours.returncode == cli.returncode == 3
    assert ours.stdout == cli.stdout == b""
    assert ours.stderr == cli.stderr
    usage = subprocess.run([sys.executable, "-m", "fascia", "evaluate", "--protocol", PROTOCOL],
                           capture_output=True, timeout=60)
    assert usage.returncode == 2


def test_protocol_info_when_the_c_api_has_it(protocol):
    if not fascia._library.has("fascia_protocol_info_json"):
        with pytest.raises(fascia.UsageError, match="C API 1.1"):
            protocol.info
        return
    info = protocol.info
    assert (info["id"], info["version"], info["sha256"]) == \
        (protocol.id, protocol.version, protocol.sha256)
    assert "fibromyalgia" in info["conditions"]
    assert [s["id"] for s in info["stages"]][0] == "foundation"


def test_record_when_the_c_api_has_it(protocol, example_state):
    if not fascia._library.has("fascia_record"):
        with pytest.raises(fascia.UsageError, match="C API 1.1"):
            protocol.record(example_state)
        return
    result = protocol.record(example_state, {})
    assert result["plan"]["client_id"] == example_state["client"]["id"]
    assert result["state"]["program"]["sessions_completed"] == \
        example_state["program"]["sessions_completed"] + 1
    with pytest.raises((fascia.InvalidInput, fascia.UsageError), match="pressure"):
        protocol.record(example_state, {"pressure": 11})
