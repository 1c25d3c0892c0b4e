"""The web load benchmark keeps working: a tiny run with each load generator (about 8 s each)."""

import json
import re
import shutil
import subprocess
import sys
from typing import Any

from tests.paths import ROOT

PHASES = ["baseline", "floor", "plan", "list", "plan-new", "list-new", "write"]
TARGETS = [
    "plan reads req/s vs baseline",
    "plan reads p99",
    "list reads req/s vs baseline",
    "list reads p99",
    "diary writes p99",
]
TINY = ("--clients", "3", "--days", "30", "--seconds", "1", "--warmup", "0")


def run_web_load(*args: str) -> str:
    """A tiny run of bench/web_load.py from the repository root; what it printed."""
    result = subprocess.run(
        [sys.executable, "bench/web_load.py", *TINY, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_report_has_a_row_per_phase_and_a_verdict_per_target() -> None:
    out = run_web_load()
    generator = "wrk" if shutil.which("wrk") else "Python asyncio + httpx2"
    assert f"load generator: {generator}" in out
    for phase in PHASES:
        row = re.search(rf"^{phase} +(?:GET|POST) .*$", out, flags=re.MULTILINE)
        assert row, f"a row for {phase}"
        figures = row.group().split()[-10:]  # req/s, 4 latencies, failed, 2 CPU shares "N %"
        assert re.fullmatch(r"[\d,]+", figures[0]), row.group()
        assert all(re.fullmatch(r"\d+\.\d", f) for f in figures[1:5]), row.group()
        assert figures[5] == "0", f"no request failed: {row.group()}"
    verdicts = re.findall(r"^(.+): target (?:met|MISSED) \(", out, flags=re.MULTILINE)
    assert verdicts == TARGETS
    assert "req/s / baseline: plan " in out


def test_the_python_load_generator_answers_every_phase_in_json() -> None:
    found: dict[str, Any] = json.loads(run_web_load("--generator", "python", "--json"))
    assert found["generator"].startswith("Python asyncio + httpx2")
    assert found["connections"] == 32
    assert found["clinic"]["clients"] == 3
    assert list(found["phases"]) == PHASES
    for name, phase in found["phases"].items():
        assert phase["requests"] > 0, name
        assert phase["failed"] == 0, name
        assert phase["p50_ms"] <= phase["p99_ms"] <= phase["max_ms"], name
    assert [target["name"] for target in found["targets"]] == TARGETS
    assert all(isinstance(target["met"], bool) for target in found["targets"])
    assert set(found["ratios"]) == {"plan", "list", "plan-new", "list-new"}
