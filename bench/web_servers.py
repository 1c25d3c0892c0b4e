"""The two servers bench/web_load.py loads: the app and the bare baseline, as subprocesses.

Both run under uvicorn with the same settings, one worker each: the app as a person starts it
(`sciatica serve`, the virtualenv's command beside this Python) on the benchmark's database, the
baseline as `python bench/baseline_app.py`. Their output goes to a log in the run's folder, shown
if one does not start.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from web_loadgen import Request

BENCH = Path(__file__).resolve().parent
HOST = "127.0.0.1"
STARTUP_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class Server:
    """A running server: the address it answers at, and its process."""

    base: str
    process: "subprocess.Popen[bytes]"


def free_ports(count: int) -> list[int]:
    """`count` distinct ports nobody listens on now."""
    probes = [socket.socket() for _ in range(count)]
    try:
        for probe in probes:
            probe.bind((HOST, 0))
        return [int(probe.getsockname()[1]) for probe in probes]
    finally:
        for probe in probes:
            probe.close()


def answer(base: str, request: Request, timeout: float = 30.0) -> tuple[int, bytes]:
    """Sends one request on its own; the status and body."""
    method, path, token, body = request
    headers = {"content-type": "application/json"} if body is not None else {}
    if token is not None:
        headers["authorization"] = f"Bearer {token}"
    data = None if body is None else body.encode()
    asked = urllib.request.Request(base + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(asked, timeout=timeout) as response:
            return int(response.status), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@contextmanager
def serving(command: list[str], env: dict[str, str], log: Path) -> Iterator[Server]:
    """Runs a server (output to `log`) until the block ends; `command` ends with its port."""
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield Server(f"http://{HOST}:{command[-1]}", process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_ready(server: Server, path: str, log: Path) -> None:
    """Returns once GET `path` answers 200; exits with the server's output if it never does."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline and server.process.poll() is None:
        try:
            if answer(server.base, ("GET", path, None, None), timeout=2.0)[0] == 200:
                return
        except OSError:
            time.sleep(0.05)
    shown = log.read_text(errors="replace")[-2000:]
    raise SystemExit(f"error: {server.process.args!r} did not serve {path}:\n{shown}")


@contextmanager
def both_servers(folder: Path, database_url: str) -> Iterator[dict[str, Server]]:
    """The app (on `database_url`, home `folder`), the same app without its response cache
    ("uncached": every read made afresh), and the baseline, all answering."""
    app_port, uncached_port, baseline_port = map(str, free_ports(3))
    env = {
        **os.environ,
        "SCIATICA_HOME": str(folder),
        "SCIATICA_DATABASE_URL": database_url,
        "SCIATICA_SECRET_KEY": "web-load-bench",
    }
    sciatica = str(Path(sys.executable).parent / "sciatica")
    baseline = [sys.executable, str(BENCH / "baseline_app.py")]
    started = {  # name: (command, the path that answers 200 once it serves)
        "app": ([sciatica, "serve", "--host", HOST, "--port", app_port], "/healthz"),
        "uncached": ([sciatica, "serve", "--host", HOST, "--port", uncached_port], "/healthz"),
        "baseline": ([*baseline, "--host", HOST, "--port", baseline_port], "/status"),
    }
    with ExitStack() as stack:
        servers = {
            name: stack.enter_context(
                serving(
                    command,
                    {**env, "SCIATICA_RESPONSE_CACHE": str(name != "uncached").lower()},
                    folder / f"{name}.log",
                )
            )
            for name, (command, _) in started.items()
        }
        for name, (_, path) in started.items():
            wait_ready(servers[name], path, folder / f"{name}.log")
        yield servers
