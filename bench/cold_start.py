"""Cold start of the CLI: `sciatica plan` on the example against a bare `python -c pass`.

Usage: python bench/cold_start.py [--pairs N] [--warmup W] [--cached-bytecode]

Each of A (`.venv/bin/sciatica plan --input src/sciatica_care/examples/history.json --format
json`) and B (`.venv/bin/python -c pass`) runs as a fresh process, timed with
`time.perf_counter` around `subprocess.run`. After W warm-up runs of each (which fill the OS file
cache and the bytecode caches, and check that A prints a plan), the two alternate A B A B for N
pairs so that drift on the machine hits both alike. It prints the median of each and the median of
the pairwise ratios A/B; the target is at most 10x. The exit status is 0 whether or not the target
is met; it is 1 only when the CLI fails.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = Path("src/sciatica_care/examples/history.json")
TARGET_RATIO = 10.0


def _bin_dir() -> Path:
    """The project's virtualenv, or the one running this script."""
    venv = ROOT / ".venv" / "bin"
    return venv if (venv / "sciatica").exists() else Path(sys.executable).parent


def _run(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    """Time the pairs and print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--pairs", type=int, default=20, help="timed A B pairs (default 20)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs of each (default 3)")
    parser.add_argument(
        "--cached-bytecode",
        action="store_true",
        help="let both cache bytecode (in a temporary PYTHONPYCACHEPREFIX), as on a user's machine",
    )
    args = parser.parse_args(argv)
    if args.pairs < 1 or args.warmup < 0:
        parser.error("--pairs must be at least 1 and --warmup at least 0")
    if not args.cached_bytecode:
        return _measure(args.pairs, args.warmup, dict(os.environ), "as in this environment")
    with tempfile.TemporaryDirectory(prefix="cold-start-pyc-") as cache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = cache
        return _measure(args.pairs, args.warmup, env, "cached (temporary PYTHONPYCACHEPREFIX)")


def _measure(pairs: int, warmup: int, env: dict[str, str], bytecode: str) -> int:
    bin_dir = _bin_dir()
    plan = [str(bin_dir / "sciatica"), "plan", "--input", str(EXAMPLE), "--format", "json"]
    bare = [str(bin_dir / "python"), "-c", "pass"]

    done = subprocess.run(plan, cwd=ROOT, env=env, capture_output=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr.decode(errors="replace"))
        sys.stderr.write(f"error: {' '.join(plan)} exited with {done.returncode}\n")
        return 1
    schema = json.loads(done.stdout).get("schema")
    for _ in range(warmup):
        _run(plan, env)
        _run(bare, env)

    plan_times: list[float] = []
    bare_times: list[float] = []
    for _ in range(pairs):
        plan_times.append(_run(plan, env))
        bare_times.append(_run(bare, env))
    ratios = [a / b for a, b in zip(plan_times, bare_times, strict=True)]
    ratio = statistics.median(ratios)

    print(f"A: {' '.join(plan)}  (prints {schema})")
    print(f"B: {' '.join(bare)}")
    print(f"pairs: {pairs} alternating A B after {warmup} warm-up runs of each")
    dont_write = "set" if env.get("PYTHONDONTWRITEBYTECODE") else "unset"
    print(f"bytecode: {bytecode}; PYTHONDONTWRITEBYTECODE {dont_write}")
    print(
        f"A median: {statistics.median(plan_times) * 1000:.1f} ms  "
        f"(min {min(plan_times) * 1000:.1f}, max {max(plan_times) * 1000:.1f})"
    )
    print(
        f"B median: {statistics.median(bare_times) * 1000:.1f} ms  "
        f"(min {min(bare_times) * 1000:.1f}, max {max(bare_times) * 1000:.1f})"
    )
    print(f"median of pairwise ratios A/B: {ratio:.2f}x")
    if ratio <= TARGET_RATIO:
        print(f"cold start: target met ({ratio:.2f}x <= {TARGET_RATIO:g}x)")
    else:
        print(
            f"cold start: target MISSED by {ratio - TARGET_RATIO:.2f}x "
            f"({ratio:.2f}x > {TARGET_RATIO:g}x)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
