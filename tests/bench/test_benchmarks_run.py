"""The benchmarks keep working: a tiny run of each (their figures are read in `make bench`)."""

import subprocess
import sys

from tests.paths import ROOT


def run_bench(*args: str) -> str:
    """Run a benchmark script from the repository root and return what it printed."""
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_engine_benchmark_plans_every_generated_history() -> None:
    out = run_bench("bench/plan_engine.py", "--count", "40", "--repeats", "1")
    assert "ratio planning/json.loads:" in out
    assert "seconds per 10,000 plans:" in out


def test_the_cold_start_benchmark_runs_the_real_command() -> None:
    out = run_bench("bench/cold_start.py", "--pairs", "2", "--warmup", "1")
    assert "median of pairwise ratios" in out


def test_the_import_benchmark_times_the_real_import_against_the_raw_driver() -> None:
    out = run_bench("bench/import_diary.py", "--rows", "2000", "--repeats", "1")
    assert "sqlite     sciatica import" in out
    assert "sqlite     raw executemany" in out
    assert "sqlite ratio project/raw:" in out
    assert "import peak RSS:" in out


def test_the_backup_benchmark_times_writes_while_the_real_backup_runs() -> None:
    out = run_bench("bench/backup_stall.py", "--rows", "2000", "--baseline", "0.2")
    assert "during the backup:" in out
    assert "ratio longest during/alone:" in out
