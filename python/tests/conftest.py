"""Shared fixtures: where the sources, the CLI and the bundled protocol are."""

import json
import os
import subprocess
import sys

import pytest

SOURCE_DIR = os.environ.get("FASCIA_SOURCE_DIR") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD_DIR = os.environ.get("FASCIA_BUILD_DIR") or os.path.join(SOURCE_DIR, "build")
CLI = os.environ.get("FASCIA_CLI") or os.path.join(BUILD_DIR, "bin", "fascia")
PROTOCOL = os.path.join(SOURCE_DIR, "protocols", "fibromyalgia.yaml")
EXAMPLES = os.path.join(SOURCE_DIR, "protocols", "examples")

sys.path.insert(0, os.path.join(SOURCE_DIR, "tools", "bench"))


def pytest_configure(config):
    config.addinivalue_line("markers", "dask: needs python3-dask and python3-distributed")


@pytest.fixture(scope="session")
def engine():
    import fascia
    return fascia.Engine()


@pytest.fixture(scope="session")
def protocol(engine):
    return engine.load_protocol(PROTOCOL)


@pytest.fixture(scope="session")
def example_state():
    with open(os.path.join(EXAMPLES, "fibromyalgia-client.json"), encoding="utf-8") as f:
        return json.load(f)


def cli_evaluate_json(state_text, *extra):
    """`fascia evaluate --json` on state_text: (exit status, stdout, stderr)."""
    run = subprocess.run([CLI, "evaluate", "--protocol", PROTOCOL, "--state", "-", "--json"] +
                         list(extra), input=state_text.encode("utf-8"), capture_output=True,
                         timeout=60)
    return run.returncode, run.stdout.decode("utf-8"), run.stderr.decode("utf-8")


def generated_states(count, seed=11):
    """`count` varied valid states from the benchmark's generator."""
    import random

    import make_states
    rng = random.Random(seed)
    return [make_states.state(rng, n) for n in range(1, count + 1)]
