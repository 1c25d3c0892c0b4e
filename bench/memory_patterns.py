"""What three hostile request patterns do to the server's memory (issue 17 §3).

Starts `sciatica serve` (the virtualenv's command beside this Python, one worker, SQLite) on a
fresh clinic with one client whose diary is long (`--copies` times a year of check-ins), then sends,
in order, reading the server's resident memory (VmRSS of the process and its children, from /proc)
before, at its peak (sampled every 5 ms) and a second after each:

1. cache-busting: `--requests` GETs of the client's history, each with an unknown query parameter
   (`?bust=N`), with the client's own token;
2. unauthenticated: one POST /api/v1/clients with a `--body-mb` MB JSON body, streamed (2b: the
   same body with the therapist's token);
3. deep JSON: POST of `[` * 100,000 to each API write route (the client's diary, /clients, /plan)
   with the therapist's token.

It prints each pattern's statuses and RSS growth. Run it with another checkout's virtualenv to
measure that code with the same script:

    .venv/bin/python bench/memory_patterns.py
    /work/main/.venv/bin/python bench/memory_patterns.py     # the code of another checkout

Targets (this branch): the unauthenticated body grows RSS < 20 MB and is refused (401 or 413);
the cache-busting reads grow RSS < 50 MB; deep JSON answers 422 everywhere.
"""

import argparse
import json
import os
import socket
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

from generate import history_document
from sciatica_care.clock import Clock
from sciatica_care.db.database import make_engine, session_factory, transaction
from sciatica_care.db.migrate import upgrade
from sciatica_care.domain.history_parser import parse_history
from sciatica_care.services.accounts import add_user, create_api_token, find_or_make_clinic
from sciatica_care.services.clients import add_client, assign_therapist
from sciatica_care.services.histories import store_history
from web_clinic import recent_history
from web_servers import HOST, answer, free_ports, serving, wait_ready

MB = 1024 * 1024


def rss(pid: int) -> int:
    """Resident bytes of a process and its children."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for each in pids:
        for line in Path(f"/proc/{each}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
    return total


def build(url: str, copies: int, today: date) -> dict[str, Any]:
    """One clinic: a therapist and one client with a long diary, each with a token."""
    now = Clock().now()
    document = recent_history(history_document(7), today, 365)
    document["diary"] = document["diary"] * copies
    history = parse_history(json.dumps(document).encode(), today=today, system_today=today)
    engine = make_engine(url)
    upgrade(engine)
    with transaction(session_factory(engine)) as db:
        clinic = find_or_make_clinic(db, "Memory clinic", now=now)
        therapist = add_user(
            db, email="t@bench.example", role="therapist", password=None, clinic=clinic,
            actor="bench", now=now,
        )  # fmt: skip
        client = add_client(db, name="Ada Okri", clinic_id=clinic.id, actor="bench", now=now)
        assign_therapist(db, client=client, therapist_id=therapist.id, actor="bench", now=now)
        store_history(db, client=client, history=history, actor="bench", now=now)
        account = add_user(
            db, email="c@bench.example", role="client", password=None, clinic=clinic,
            actor="bench", now=now, client=client,
        )  # fmt: skip
        _, client_token = create_api_token(db, account, label="b", actor="bench", now=now)
        _, therapist_token = create_api_token(db, therapist, label="b", actor="bench", now=now)
        client_id = client.id
    engine.dispose()
    return {"client": client_id, "client_token": client_token, "therapist": therapist_token}


def big_post(port: int, path: str, size: int, token: str | None = None) -> str:
    """Streams a `size`-byte JSON body; the status line (or how the connection ended)."""
    chunk = b"x" * MB
    signed = f"Authorization: Bearer {token}\r\n" if token else ""
    with socket.create_connection((HOST, port), timeout=60) as sock:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\n"
            f"{signed}Content-Length: {size}\r\n\r\n"
        )
        sock.sendall(head.encode() + b'{"name": "')
        sent = 0
        try:
            while sent < size - 12:
                part = chunk[: min(MB, size - 12 - sent)]
                sock.sendall(part)
                sent += len(part)
            sock.sendall(b'"}')
        except OSError:
            pass  # the server answered and closed before the body was all sent
        try:
            return sock.recv(200).split(b"\r\n", 1)[0].decode()
        except OSError as error:
            return f"connection closed ({error.__class__.__name__})"


def settled(pid: int) -> int:
    """RSS once the server has finished with what it was sent."""
    time.sleep(1.0)
    return rss(pid)


class Peak:
    """The highest RSS seen while a block runs (sampled every 5 ms in a thread of its own)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.highest = rss(pid)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.005):
            self.highest = max(self.highest, rss(self.pid))

    def __enter__(self) -> "Peak":
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def growth(before: int, peak: int, after: int) -> str:
    """RSS before, its peak and what stayed, in MB."""
    return (
        f"RSS {before / MB:.0f} MB, peak +{(peak - before) / MB:.0f} MB, "
        f"kept +{(after - before) / MB:.0f} MB"
    )


def main(argv: list[str] | None = None) -> int:
    """Runs the three patterns and prints the RSS growth of each."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--body-mb", type=int, default=200)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--copies", type=int, default=100, help="the diary, this many times over")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="memory-patterns-"))
    url = f"sqlite:///{folder / 'bench.db'}"
    ids = build(url, args.copies, Clock().now().date())
    (port,) = free_ports(1)
    env = {**os.environ, "SCIATICA_HOME": str(folder), "SCIATICA_DATABASE_URL": url}
    env["SCIATICA_SECRET_KEY"] = "memory-bench"
    sciatica = str(Path(sys.executable).parent / "sciatica")
    command = [sciatica, "serve", "--host", HOST, "--port", str(port)]
    lines = [f"code: {Path(sys.executable).parent.parent.parent}"]
    with serving(command, env, folder / "server.log") as server:
        wait_ready(server, "/healthz", folder / "server.log")
        pid = server.process.pid
        history = f"/api/v1/clients/{ids['client']}/history"
        size = len(answer(server.base, ("GET", history, ids["client_token"], None))[1])
        before = settled(pid)
        with Peak(pid) as peak:
            statuses = {
                answer(server.base, ("GET", f"{history}?bust={n}", ids["client_token"], None))[0]
                for n in range(args.requests)
            }
        after = settled(pid)
        lines.append(
            f"1. {args.requests} reads of a {size / MB:.1f} MB history with ?bust=N as the client: "
            f"statuses {sorted(statuses)}; " + growth(before, peak.highest, after)
        )
        verdicts = [("cache-busting reads keep < 50 MB", after - before < 50 * MB)]
        before = settled(pid)
        with Peak(pid) as peak:
            status = big_post(port, "/api/v1/clients", args.body_mb * MB)
        after = settled(pid)
        lines.append(
            f"2. unauthenticated {args.body_mb} MB body to POST /api/v1/clients: {status!r}; "
            + growth(before, peak.highest, after)
        )
        verdicts.append(("unauthenticated body peak < 20 MB", peak.highest - before < 20 * MB))
        before = settled(pid)
        with Peak(pid) as peak:
            status = big_post(port, "/api/v1/clients", args.body_mb * MB, ids["therapist"])
        after = settled(pid)
        lines.append(
            f"2b. the same body signed in (therapist): {status!r}; "
            + growth(before, peak.highest, after)
        )
        verdicts.append(("signed-in oversize body peak < 20 MB", peak.highest - before < 20 * MB))
        deep = "[" * 100_000 + "]" * 100_000
        paths = [f"/api/v1/clients/{ids['client']}/diary", "/api/v1/clients", "/api/v1/plan"]
        before = settled(pid)
        with Peak(pid) as peak:
            found = [answer(server.base, ("POST", p, ids["therapist"], deep))[0] for p in paths]
        after = settled(pid)
        shown = ", ".join(f"{p} {s}" for p, s in zip(paths, found, strict=True))
        lines.append(
            f"3. deep JSON (100,000 levels): {shown}; " + growth(before, peak.highest, after)
        )
        verdicts.append(("deep JSON answers 422 on every API write", set(found) == {422}))
    lines += [f"target {'met' if ok else 'MISSED'}: {name}" for name, ok in verdicts]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
