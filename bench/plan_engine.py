"""Throughput of the care engine against plain `json.loads`, on generated one-year histories.

Usage: python bench/plan_engine.py [--count N | --quick] [--repeats R] [--seed S]

1. Generates N histories (bench/generate.py) to JSON bytes; nothing of that is timed.
2. Untimed: one pass plans every history (each must plan; it warms the protocol cache and
   tallies which branches of the engine ran), then the 200 largest histories are planned again
   under tracemalloc for the peak memory of planning one history at a time (tracemalloc slows
   Python several times, so it stays out of the timed passes).
3. Times, alternating R times, `json.loads` of every history (the baseline: just reading the
   JSON) and planning every history (`plan_history` + `plan_json`, i.e. decode, check, plan and
   encode). The garbage collector stays on, as in the CLI and the API; `gc.collect()` runs before
   each timed pass. The figures reported are the best (minimum) of the R passes, the usual choice
   for a CPU-bound benchmark on a shared machine; the median is printed alongside.

Targets: planning takes at most as long as `json.loads` (ratio <= 1.0), and 10,000 histories plan
in under 10 s (at another --count the time is scaled to 10,000). The exit status is 0 whether or
not a target is met; it is 1 only when a generated history fails to plan.
"""

import argparse
import gc
import json
import resource
import statistics
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from datetime import date

from generate import generate_histories
from sciatica_care.domain.history_parser import HistoryProblems
from sciatica_care.domain.plan import CarePlan
from sciatica_care.engine import plan_history, plan_json

TARGET_RATIO = 1.0
TARGET_SECONDS_PER_10K = 10.0
QUICK_COUNT = 500
TRACED_COUNT = 200
# Only a fallback: every generated history carries its own `today`.
SYSTEM_TODAY = date(2026, 6, 1)


def _loads_all(documents: list[bytes]) -> None:
    for raw in documents:
        json.loads(raw)


def _plan_all(documents: list[bytes]) -> None:
    for raw in documents:
        plan_json(plan_history(raw, system_today=SYSTEM_TODAY))


def _timed(work: Callable[[list[bytes]], None], documents: list[bytes]) -> float:
    gc.collect()
    start = time.perf_counter()
    work(documents)
    return time.perf_counter() - start


def _tally(plan: CarePlan, seen: Counter[str]) -> None:
    """Count the closed-vocabulary outcomes a plan shows (which engine branches ran)."""
    seen[f"triage={plan.triage.level}"] += 1
    seen[f"massage={plan.massage.status}"] += 1
    seen[f"cadence={plan.cadence.rule}"] += 1
    seen[f"progress={plan.progress.status}"] += 1
    seen[f"nerve_root={plan.nerve_root.root}"] += 1
    seen[f"centralisation={plan.centralisation.status}"] += 1
    for review in plan.review:
        seen[f"review={review.code}"] += 1
    for finding in plan.triage.findings:
        if finding.cleared:
            seen["finding=cleared"] += 1
        if finding.source == "body_map":
            seen[f"finding=body_map:{finding.code}"] += 1
    for reason in plan.massage.reasons:
        if reason.rule.startswith("precaution."):
            seen[f"massage_rule={reason.rule}"] += 1


def _checked_pass(documents: list[bytes]) -> Counter[str]:
    """Plan every history once (untimed): each must plan; tally the branches that ran."""
    seen: Counter[str] = Counter()
    for index, raw in enumerate(documents):
        try:
            plan = plan_history(raw, system_today=SYSTEM_TODAY)
        except HistoryProblems as error:
            problems = "; ".join(error.problems[:5])
            message = f"error: generated history #{index} was refused: {problems}"
            raise SystemExit(message) from None
        plan_json(plan)
        _tally(plan, seen)
    return seen


def _traced_peak(documents: list[bytes]) -> int:
    """tracemalloc peak (bytes) of planning the largest histories one after another."""
    largest = sorted(documents, key=len)[-TRACED_COUNT:]
    gc.collect()
    tracemalloc.start()
    try:
        _plan_all(largest)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak


def _maxrss_mib() -> float:
    """Peak resident set size of this process so far (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _verdict(name: str, value: float, target: float, unit: str) -> str:
    if value <= target:
        return f"{name}: target met ({value:.3g}{unit} <= {target:g}{unit})"
    return (
        f"{name}: target MISSED by {value - target:.3g}{unit} "
        f"({value:.3g}{unit} > {target:g}{unit}; {value / target:.2f}x the target)"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=10_000, help="histories (default 10000)")
    parser.add_argument(
        "--quick", action="store_true", help=f"a smoke run: {QUICK_COUNT} histories, 2 repeats"
    )
    parser.add_argument("--repeats", type=int, default=5, help="timed passes of each (default 5)")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    parser.add_argument("--branches", action="store_true", help="print the branch tally")
    args = parser.parse_args(argv)
    count = QUICK_COUNT if args.quick else args.count
    repeats = 2 if args.quick else args.repeats
    if count < 1 or repeats < 1:
        parser.error("--count and --repeats must be at least 1")

    start = time.perf_counter()
    documents = generate_histories(count, args.seed)
    generated = time.perf_counter() - start
    size = sum(len(raw) for raw in documents)
    rss_corpus = _maxrss_mib()
    print(
        f"generated {count} histories in {generated:.1f} s "
        f"({size / 2**20:.1f} MiB of JSON, mean {size / count / 1024:.1f} KiB each)"
    )

    start = time.perf_counter()
    seen = _checked_pass(documents)
    traced_peak = _traced_peak(documents)
    checked = time.perf_counter() - start
    print(f"untimed passes (every history plans; tracemalloc on the largest) in {checked:.1f} s")

    loads_times: list[float] = []
    plan_times: list[float] = []
    for _ in range(repeats):
        loads_times.append(_timed(_loads_all, documents))
        plan_times.append(_timed(_plan_all, documents))
    loads_best, plan_best = min(loads_times), min(plan_times)
    ratio = plan_best / loads_best
    per_second = count / plan_best
    per_10k = plan_best * 10_000 / count

    print()
    print(f"histories:                {count}  (best of {repeats} alternating passes each)")
    print(
        f"json.loads (baseline):    {loads_best:.3f} s  "
        f"(median {statistics.median(loads_times):.3f} s)"
    )
    print(
        f"planning (plan+json):     {plan_best:.3f} s  "
        f"(median {statistics.median(plan_times):.3f} s)"
    )
    medians = statistics.median(plan_times) / statistics.median(loads_times)
    print(f"ratio planning/json.loads: {ratio:.2f}  (best/best; the medians give {medians:.2f})")
    print(f"plans per second:         {per_second:,.0f}  ({per_10k:.2f} s per 10,000)")
    print(
        f"peak RSS (ru_maxrss):     {_maxrss_mib():.0f} MiB for the whole process "
        f"({rss_corpus:.0f} MiB once the corpus was generated)"
    )
    print(
        f"tracemalloc peak of planning: {traced_peak / 2**20:.2f} MiB "
        f"(the {min(TRACED_COUNT, count)} largest histories, one at a time)"
    )
    print()
    print(_verdict("ratio planning/json.loads", ratio, TARGET_RATIO, ""))
    print(_verdict("seconds per 10,000 plans", per_10k, TARGET_SECONDS_PER_10K, " s"))
    if args.branches:
        print()
        for key in sorted(seen):
            print(f"  {key}: {seen[key]}")
    else:
        print(f"branches seen: {len(seen)} distinct outcomes (--branches lists them)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
