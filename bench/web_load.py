"""The web app under load: API reads and diary writes against a bare Starlette endpoint.

Usage: python bench/web_load.py [--seconds S] [--warmup W] [--clients N] [--days D]
                                [--generator auto|wrk|python] [--json]

1. Builds a fresh SQLite database in a temporary folder through the services: a clinic with a
   therapist and N clients (default 50) and a colleague with N/5 more. Each client holds the last
   D days (default 91) of a generated history (bench/generate.py) moved to end today: weekly
   assessments, sessions, a daily diary, and their screenings and clearances. The therapist and
   every client get an API token.
2. Starts two servers as subprocesses, each one uvicorn worker with the same settings: the real app
   (`sciatica serve`) and a bare Starlette app with one JSON endpoint (bench/baseline_app.py).
3. Checks that each request answers 2xx once, then loads one phase at a time with 32 connections
   on loopback from a separate process: W seconds of warm-up (default 2, not counted), then S
   seconds measured (default 10). The phases: the baseline; GET /healthz (the app's floor, no
   target); a client's plan, rotating over the therapist's clients; the client list
   (?limit=50); diary check-ins (POST, each client with their own token), last.

The load generator is wrk (one thread, a Lua script for the tokens and bodies; --timeout 30s so
slow answers are measured, not dropped) or, where wrk is missing, an asyncio loop with httpx2 in a
child process. Latency is per request, from send to the whole answer, closed loop. `server CPU` is
the server process's CPU time over the phase (% of one core, from /proc); `load CPU` the
generator's: near 100 % means the generator, not the server, set the pace. The report notes that,
and a machine already busy before the run (1-minute load average of 1 or more).

Targets: each read at least 0.5x the baseline's requests per second with p99 under 50 ms; writes
p99 under 100 ms. The exit status is 0 whether or not a target is met; it is 1 only on an error
(a server that does not start, a request that fails before the load).
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from sciatica_care.clock import Clock
from web_clinic import Clinic, build_clinic
from web_loadgen import (
    CONNECTIONS,
    Measured,
    Request,
    python_version,
    run_python,
    run_wrk,
    wrk_script,
    wrk_version,
)
from web_servers import answer, both_servers

TARGET_READ_RATIO = 0.5
TARGET_READ_P99_MS = 50.0
TARGET_WRITE_P99_MS = 100.0
SATURATED = 0.9  # a load generator busy this much of a core sets the pace itself
BUSY = 1.0  # a load average this high before the run: something else is using a core


@dataclass(frozen=True, slots=True)
class Phase:
    """One load: its name, what it asks, and of which server ("app" or "baseline")."""

    name: str
    label: str
    server: str
    requests: list[Request]


@dataclass(frozen=True, slots=True)
class Target:
    """One target of the issue, and the figure that meets or misses it."""

    name: str
    value: float
    limit: float
    unit: str
    at_least: bool
    failed: int

    @property
    def met(self) -> bool:
        """Met when the figure is on the right side and no request failed."""
        good = self.value >= self.limit if self.at_least else self.value < self.limit
        return good and self.failed == 0

    def line(self) -> str:
        """`name: target met (...)` or `name: target MISSED (...)`."""
        sign = ">=" if self.at_least else "<"
        value = (
            f"{self.value:.3f}{self.unit}" if self.unit == "x" else f"{self.value:.1f}{self.unit}"
        )
        if self.met:
            return f"{self.name}: target met ({value} {sign} {self.limit:g}{self.unit})"
        failed = f"; {self.failed} requests failed" if self.failed else ""
        return (
            f"{self.name}: target MISSED ({value}, needs {sign} {self.limit:g}{self.unit}{failed})"
        )


def check_in(index: int) -> str:
    """A client's check-in as JSON, varied a little by client."""
    body = {
        "leg_pain": 2 + index % 6,
        "back_pain": 1 + index % 5,
        "active_minutes": 10 + 5 * (index % 7),
        "self_care": ["walking", "heat", "posture"][: index % 3 + 1],
    }
    return json.dumps(body, separators=(",", ":"))


def phases(clinic: Clinic) -> list[Phase]:
    """The loads in the order they run: writes last, so the reads see the clinic as built."""
    token = clinic.therapist_token
    plans: list[Request] = [
        ("GET", f"/api/v1/clients/{client}/plan", token, None) for client in clinic.client_ids
    ]
    owners = zip(clinic.client_ids, clinic.client_tokens, strict=True)
    writes: list[Request] = [
        ("POST", f"/api/v1/clients/{client}/diary", secret, check_in(index))
        for index, (client, secret) in enumerate(owners)
    ]
    listing: Request = ("GET", "/api/v1/clients?limit=50", token, None)
    return [
        Phase(
            "baseline", "GET /status (bare Starlette)", "baseline", [("GET", "/status", None, None)]
        ),
        Phase("floor", "GET /healthz (no target)", "app", [("GET", "/healthz", None, None)]),
        Phase("plan", "GET /api/v1/clients/{id}/plan", "app", plans),
        Phase("list", "GET /api/v1/clients?limit=50", "app", [listing]),
        Phase("plan-new", "GET plan, response cache off", "uncached", plans),
        Phase("list-new", "GET list, response cache off", "uncached", [listing]),
        Phase("write", "POST /api/v1/clients/{id}/diary", "app", writes),
    ]


def targets(results: dict[str, Measured]) -> list[Target]:
    """The issue's targets against this run's figures."""
    baseline = results["baseline"]
    found = []
    for name in ("plan", "list"):
        read = results[name]
        ratio = read.rps / baseline.rps if baseline.rps else 0.0
        failed = read.failed + baseline.failed
        found.append(
            Target(f"{name} reads req/s vs baseline", ratio, TARGET_READ_RATIO, "x", True, failed)
        )
        found.append(
            Target(f"{name} reads p99", read.p99_ms, TARGET_READ_P99_MS, " ms", False, read.failed)
        )
    write = results["write"]
    found.append(
        Target("diary writes p99", write.p99_ms, TARGET_WRITE_P99_MS, " ms", False, write.failed)
    )
    return found


def check(base: str, phase: Phase) -> None:
    """Each read of the phase (or its first write) answers 2xx once, before any load."""
    reads = all(method == "GET" for method, *_ in phase.requests)
    for request in phase.requests if reads else phase.requests[:1]:
        status, body = answer(base, request)
        if not 200 <= status < 300:
            raise SystemExit(f"error: {request[0]} {request[1]} answered {status}: {body[:300]!r}")


# --- the run --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Settings:
    """How long to load, with what, and on which database."""

    seconds: int
    warmup: int
    generator: str
    folder: Path
    url: str


def measure(phase: Phase, base: str, pid: int, settings: Settings) -> Measured:
    """The warm-up, then the measured load of one phase."""
    if settings.generator == "python":
        return run_python(base, phase.requests, settings.seconds, settings.warmup, pid)
    script = settings.folder / f"{phase.name}.lua"
    script.write_text(wrk_script(phase.requests))
    if settings.warmup:
        run_wrk(base, script, settings.warmup, pid)
    return run_wrk(base, script, settings.seconds, pid)


def run(loads: list[Phase], settings: Settings) -> dict[str, Measured]:
    """Starts both servers, checks every phase's requests, and measures the phases in turn."""
    results = {}
    with both_servers(settings.folder, settings.url) as servers:
        for phase in loads:
            check(servers[phase.server].base, phase)
        for phase in loads:
            sys.stderr.write(f"web load: {phase.name} ({phase.label})\n")
            server = servers[phase.server]
            results[phase.name] = measure(phase, server.base, server.process.pid, settings)
    return results


# --- the report -----------------------------------------------------------------------------


def _percent(share: float | None) -> str:
    return "-" if share is None else f"{share * 100:.0f} %"


def notes(results: dict[str, Measured], machine: dict[str, Any]) -> list[str]:
    """Warnings about the figures themselves: a busy machine, a saturated load generator."""
    busy = []
    if machine["load_before"] >= BUSY:
        busy.append(
            f"the machine was already busy (1-minute load average {machine['load_before']:.2f} "
            f"on {machine['cores']} cores): other work took CPU from the servers"
        )
    return busy + [
        f"the load generator used {_percent(m.load_cpu)} of a core in the {name} phase: it set "
        f"the pace there, so that req/s is a floor"
        + (" and the req/s ratios are too high" if name == "baseline" else "")
        for name, m in results.items()
        if m.load_cpu is not None and m.load_cpu >= SATURATED
    ]


def report(
    loads: list[Phase],
    settings: Settings,
    results: dict[str, Measured],
    clinic: dict[str, Any],
    machine: dict[str, Any],
) -> dict[str, Any]:
    """Everything the run found, as JSON values."""
    baseline = results["baseline"].rps
    generator = python_version() if settings.generator == "python" else wrk_version()
    phases_found = {}
    for phase in loads:
        m = results[phase.name]
        figures = {**asdict(m), "rps": m.rps, "failed": m.failed}
        rounded = {k: round(v, 3) if isinstance(v, float) else v for k, v in figures.items()}
        phases_found[phase.name] = {"request": phase.label, **rounded}
    return {
        "generator": generator,
        "connections": CONNECTIONS,
        "seconds": settings.seconds,
        "warmup": settings.warmup,
        "server": {
            "workers": 1,
            "loop": "uvloop" if find_spec("uvloop") else "asyncio",
            "http": "httptools" if find_spec("httptools") else "h11",
            "database": "sqlite",
        },
        "clinic": clinic,
        "machine": machine,
        "phases": phases_found,
        "ratios": {
            name: round(results[name].rps / baseline, 4) if baseline else 0.0
            for name in ("plan", "list", "plan-new", "list-new")
        },
        "targets": [{**asdict(t), "met": t.met} for t in targets(results)],
        "notes": notes(results, machine),
    }


def print_report(found: dict[str, Any], verdicts: list[Target]) -> None:
    """The report for people: the set-up, one row per phase, the ratios and the targets."""
    clinic, server, machine = found["clinic"], found["server"], found["machine"]
    print(
        f"web load: {found['connections']} connections on loopback, {found['seconds']} s per "
        f"phase after a {found['warmup']} s warm-up\n"
        f"load generator: {found['generator']}\n"
        f"servers: one uvicorn worker each (loop {server['loop']}, HTTP {server['http']}, "
        "no access log); the app on SQLite, once as served and once with its response cache "
        "off (every read made afresh; no target)\n"
        f"clinic: a therapist with {clinic['clients']} clients, a colleague with "
        f"{clinic['colleague_clients']}; {clinic['records']:,} records of {clinic['days']} days "
        f"(built in {clinic['built_seconds']:.1f} s)\n"
        f"machine: {machine['cores']} cores; 1-minute load average {machine['load_before']:.2f} "
        f"before the run, {machine['load_after']:.2f} after\n"
    )
    print(
        f"{'phase':<9}{'request':<34}{'req/s':>8}{'p50 ms':>8}{'p90 ms':>8}{'p99 ms':>8}"
        f"{'max ms':>8}{'failed':>8}{'server CPU':>12}{'load CPU':>10}"
    )
    for name, m in found["phases"].items():
        print(
            f"{name:<9}{m['request']:<34}{m['rps']:>8,.0f}{m['p50_ms']:>8.1f}{m['p90_ms']:>8.1f}"
            f"{m['p99_ms']:>8.1f}{m['max_ms']:>8.1f}{m['failed']:>8}"
            f"{_percent(m['server_cpu']):>12}{_percent(m['load_cpu']):>10}"
        )
    ratios = found["ratios"]
    print(
        f"\nreq/s / baseline: plan {ratios['plan']:.3f}x, list {ratios['list']:.3f}x; "
        f"with the response cache off: plan {ratios['plan-new']:.3f}x, "
        f"list {ratios['list-new']:.3f}x"
    )
    for note in found["notes"]:
        print(f"note: {note}")
    for verdict in verdicts:
        print(verdict.line())


def main(argv: list[str] | None = None) -> int:
    """Build the clinic, load both servers, print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=int, default=10, help="measured per phase (default 10)")
    parser.add_argument("--warmup", type=int, default=2, help="warm-up per phase (default 2)")
    parser.add_argument("--clients", type=int, default=50, help="the therapist's (default 50)")
    parser.add_argument("--days", type=int, default=91, help="of records each (default 91)")
    parser.add_argument(
        "--generator",
        choices=("auto", "wrk", "python"),
        default="auto",
        help="load generator (default: wrk when installed, else python)",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON only")
    args = parser.parse_args(argv)
    if args.seconds < 1 or args.warmup < 0 or args.clients < 1 or args.days < 1:
        parser.error("--seconds, --clients and --days must be at least 1, --warmup at least 0")
    generator = args.generator
    if generator == "auto":
        generator = "wrk" if shutil.which("wrk") else "python"
    elif generator == "wrk" and not shutil.which("wrk"):
        parser.error("--generator wrk: wrk is not installed (Debian: apt-get install wrk)")
    machine = {"cores": os.cpu_count(), "load_before": round(os.getloadavg()[0], 2)}
    with tempfile.TemporaryDirectory(prefix="web-load-") as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        settings = Settings(args.seconds, args.warmup, generator, Path(folder), url)
        start = time.perf_counter()
        clinic = build_clinic(url, clients=args.clients, days=args.days, today=Clock().today())
        built = {
            "clients": len(clinic.client_ids),
            "colleague_clients": clinic.colleague_clients,
            "days": args.days,
            "records": clinic.records,
            "built_seconds": round(time.perf_counter() - start, 2),
        }
        loads = phases(clinic)
        results = run(loads, settings)
    machine["load_after"] = round(os.getloadavg()[0], 2)
    found = report(loads, settings, results, built, machine)
    if args.json:
        print(json.dumps(found, indent=2))
    else:
        print_report(found, targets(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
