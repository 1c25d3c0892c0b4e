"""The load generators of bench/web_load.py: wrk, or an asyncio + httpx2 loop where wrk is missing.

Both keep 32 connections busy on loopback (closed loop: each connection sends its next request when
the answer to the last has fully arrived), send the phase's requests in turn, and time each request
from send to the whole answer.

- wrk: one thread (the other core is the server's), `--timeout 30s` so slow answers are measured
  rather than dropped, and a Lua script that adds the bearer tokens and bodies and prints the
  figures (percentiles from wrk's own latency histogram) in one line.
- Python: this file run as a script, in its own process, reading the spec as JSON on stdin:
  32 tasks on one event loop (uvloop when installed) sharing one httpx2 client. Python is much
  slower than wrk at this, so its `load CPU` often reaches 100 %: the figures are then a floor.

`load CPU` and `server CPU` are the CPU time of each process over the measured seconds, as a share
of one core: the generator's from its own clock (Python) or the reaped child's rusage (wrk), the
server's from /proc/PID/stat.
"""

import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2

CONNECTIONS = 32
# method, path, bearer token or None, JSON body or None
Request = tuple[str, str, str | None, str | None]


@dataclass(frozen=True, slots=True)
class Measured:
    """What one phase gave: answers, seconds, latency percentiles (ms) and CPU shares."""

    requests: int
    seconds: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    socket_errors: int
    bad_status: int
    server_cpu: float | None
    load_cpu: float | None

    @property
    def rps(self) -> float:
        """Answers per second."""
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def failed(self) -> int:
        """Requests without a good answer: socket errors, timeouts, status 400 and above."""
        return self.socket_errors + self.bad_status


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) of a process so far, from /proc; None where there is none."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _share(used: float | None, before: float | None, seconds: float) -> float | None:
    if used is None or before is None or seconds <= 0:
        return None
    return (used - before) / seconds


# --- wrk ------------------------------------------------------------------------------------

LUA_RUN = """
local prepared = {}
local index = 0

function init(args)
  for i, spec in ipairs(specs) do
    local headers = {}
    if spec[3] ~= "" then headers["Authorization"] = "Bearer " .. spec[3] end
    local body = nil
    if spec[4] ~= "" then
      body = spec[4]
      headers["Content-Type"] = "application/json"
    end
    prepared[i] = wrk.format(spec[1], spec[2], headers, body)
  end
end

function request()
  index = index % #prepared + 1
  return prepared[index]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK_RESULT %.0f %.0f %.0f %.0f %.0f %.0f %.0f %.0f\\n",
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
"""


def _lua_string(value: str) -> str:
    if not value.isascii() or "\n" in value:
        raise ValueError(f"not a one-line ASCII string: {value!r}")
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def wrk_script(requests: list[Request]) -> str:
    """A wrk Lua script that sends `requests` in turn and prints its figures in one line."""
    rows = ["{" + ", ".join(_lua_string(part or "") for part in r) + "}" for r in requests]
    return "specs = {\n  " + ",\n  ".join(rows) + "\n}\n" + LUA_RUN


def wrk_version() -> str:
    """wrk as `wrk --version` names itself (`wrk debian/4.1.0-3+b2 [epoll]`), and how it runs."""
    said = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    return (said.stdout.split(" Copyright")[0].strip() or "wrk") + " (1 thread, Lua script)"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_wrk(base: str, script: Path, seconds: int, server_pid: int) -> Measured:
    """One run of wrk for `seconds` with the script's requests."""
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "30s"]
    server_before, load_before = cpu_seconds(server_pid), _children_cpu()
    done = subprocess.run(
        [*command, "-s", str(script), base], capture_output=True, text=True, check=False
    )
    server_after, load_after = cpu_seconds(server_pid), _children_cpu()
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRK_RESULT ")), None)
    if done.returncode != 0 or line is None:
        raise SystemExit(f"error: wrk failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    count, micros, errors, status, p50, p90, p99, worst = map(float, line.split()[1:])
    return Measured(
        requests=int(count),
        seconds=micros / 1e6,
        p50_ms=p50 / 1000,
        p90_ms=p90 / 1000,
        p99_ms=p99 / 1000,
        max_ms=worst / 1000,
        socket_errors=int(errors),
        bad_status=int(status),
        server_cpu=_share(server_after, server_before, micros / 1e6),
        load_cpu=_share(load_after, load_before, micros / 1e6),
    )


# --- Python ---------------------------------------------------------------------------------


def run_python(
    base: str, requests: list[Request], seconds: int, warmup: int, server_pid: int
) -> Measured:
    """The asyncio + httpx2 generator in a child process (its warm-up first, in that process)."""
    spec = {"url": base, "requests": requests, "seconds": seconds, "warmup": warmup}
    done = subprocess.run(
        [sys.executable, __file__, str(server_pid)],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"error: the Python load generator failed:\n{done.stderr}")
    return Measured(**json.loads(done.stdout))


def python_version() -> str:
    """The fallback generator, named with its HTTP client's version."""
    return f"Python asyncio + httpx2 {httpx2.__version__} (one process)"


@dataclass
class Tally:
    """Latencies (s) of the answered requests, and the failures."""

    latencies: list[float] = field(default_factory=list)
    socket_errors: int = 0
    bad_status: int = 0


Prepared = tuple[str, str, dict[str, str], bytes | None]


def _prepared(requests: list[list[Any]]) -> list[Prepared]:
    prepared = []
    for method, path, token, body in requests:
        headers = {} if token is None else {"authorization": f"Bearer {token}"}
        if body is not None:
            headers["content-type"] = "application/json"
        prepared.append((method, path, headers, None if body is None else body.encode()))
    return prepared


async def drive(http: httpx2.AsyncClient, prepared: list[Prepared], seconds: float) -> Tally:
    """Keeps CONNECTIONS requests in flight for `seconds`; the tally of what came back."""
    tally = Tally()
    deadline = time.perf_counter() + seconds

    async def connection(first: int) -> None:
        index = first
        while time.perf_counter() < deadline:
            method, path, headers, body = prepared[index % len(prepared)]
            index += CONNECTIONS
            began = time.perf_counter()
            try:
                response = await http.request(method, path, headers=headers, content=body)
            except httpx2.HTTPError:
                tally.socket_errors += 1
                continue
            tally.latencies.append(time.perf_counter() - began)
            if response.status_code >= 400:
                tally.bad_status += 1

    await asyncio.gather(*(connection(first) for first in range(CONNECTIONS)))
    return tally


def _figures(tally: Tally, seconds: float) -> dict[str, Any]:
    ordered = sorted(tally.latencies) or [0.0]
    # "inclusive": cut points between the smallest and the largest latency. The default
    # ("exclusive") extrapolates past them when there are fewer than 100 answers, as on a loaded
    # machine, and gave a p99 above the maximum.
    cuts = (
        statistics.quantiles(ordered, n=100, method="inclusive")
        if len(ordered) > 1
        else ordered * 99
    )
    return {
        "requests": len(tally.latencies),
        "seconds": seconds,
        "p50_ms": cuts[49] * 1000,
        "p90_ms": cuts[89] * 1000,
        "p99_ms": cuts[98] * 1000,
        "max_ms": ordered[-1] * 1000,
        "socket_errors": tally.socket_errors,
        "bad_status": tally.bad_status,
    }


async def _load(spec: dict[str, Any], server_pid: int) -> dict[str, Any]:
    prepared = _prepared(spec["requests"])
    limits = httpx2.Limits(max_connections=CONNECTIONS, max_keepalive_connections=CONNECTIONS)
    async with httpx2.AsyncClient(base_url=spec["url"], limits=limits, timeout=30.0) as http:
        if spec["warmup"] > 0:
            await drive(http, prepared, spec["warmup"])
        server_before, load_before = cpu_seconds(server_pid), time.process_time()
        began = time.perf_counter()
        tally = await drive(http, prepared, spec["seconds"])
        seconds = time.perf_counter() - began
        server_after, load_after = cpu_seconds(server_pid), time.process_time()
    return {
        **_figures(tally, seconds),
        "server_cpu": _share(server_after, server_before, seconds),
        "load_cpu": _share(load_after, load_before, seconds),
    }


def main() -> int:
    """Read the spec on stdin, load the server whose pid is the argument, print the figures."""
    spec, server_pid = json.load(sys.stdin), int(sys.argv[1])
    try:
        import uvloop
    except ImportError:
        figures = asyncio.run(_load(spec, server_pid))
    else:
        figures = uvloop.run(_load(spec, server_pid))
    json.dump(figures, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
