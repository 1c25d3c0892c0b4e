"""A `sciatica serve` killed with SIGKILL while clients post check-ins loses no answered write.

Several threads post diary entries through the API, each with a note of its own; the server is
killed mid-stream, then started again. Every entry the server answered 2xx for must be there,
each with its audit row, and the database must check clean (SQLite's integrity check;
on PostgreSQL the same counts and consistency queries).
"""

import http.client
import json
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text

from sciatica_care.clock import Clock
from sciatica_care.db.database import make_engine, session_factory, transaction
from sciatica_care.services.accounts import add_user, create_api_token, find_or_make_clinic
from sciatica_care.services.clients import add_client
from tests.paths import SCIATICA

CLIENTS = 4
ACKED_BEFORE_KILL = 60  # answered writes before the kill (well under a second of posting)
HEALTH_TIMEOUT = 30.0


@dataclass(frozen=True)
class Poster:
    client_id: int
    token: str


def _clinic(engine: Engine) -> list[Poster]:
    now = Clock().now()
    posters = []
    with transaction(session_factory(engine)) as db:
        clinic = find_or_make_clinic(db, "Crash clinic", now=now)
        for i in range(CLIENTS):
            client = add_client(db, name=f"Client {i}", clinic_id=clinic.id, actor="t", now=now)
            account = add_user(
                db, email=f"c{i}@crash.example", role="client", password=None, clinic=clinic,
                actor="t", now=now, client=client,
            )  # fmt: skip
            _, token = create_api_token(db, account, label="crash", actor="t", now=now)
            posters.append(Poster(client.id, token))
    return posters


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def _serving(database_url: str, home: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`sciatica serve` on a free port, in a process group of its own; killed at the end."""
    port = _free_port()
    env = os.environ | {"SCIATICA_DATABASE_URL": database_url, "SCIATICA_HOME": str(home)}
    command = [str(SCIATICA), "serve", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(
        command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    url = f"127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + HEALTH_TIMEOUT
        while True:
            try:
                if _request(url, "GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert process.poll() is None, process.communicate()[1].decode()
            assert time.monotonic() < deadline, "the server never answered /healthz"
            time.sleep(0.05)
        yield url, process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate(timeout=30)


def _request(
    address: str, method: str, path: str, token: str | None = None, body: object = None
) -> tuple[int, bytes]:
    """One request on a connection of its own: the status and the body."""
    connection = http.client.HTTPConnection(address, timeout=10)
    try:
        headers = {"content-type": "application/json"}
        if token is not None:
            headers["authorization"] = f"Bearer {token}"
        payload = None if body is None else json.dumps(body)
        connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _post_until_killed(
    url: str, poster: Poster, acked: list[str], failures: list[str], stop: threading.Event
) -> None:
    """Posts check-ins, each with its own note, keeping the notes the server answered 2xx for."""
    path = f"/api/v1/clients/{poster.client_id}/diary"
    for n in range(100_000):
        if stop.is_set():
            return
        note = f"crash-{poster.client_id}-{n}"
        body = {"leg_pain": n % 11, "back_pain": 2, "note": note}
        try:
            status, answer = _request(url, "POST", path, poster.token, body)
        except (OSError, http.client.HTTPException):
            return  # the server is gone
        if 200 <= status < 300:
            acked.append(note)
        else:
            failures.append(f"{status}: {answer[:300]!r}")
            return


def _stored_and_checked(database_url: str) -> set[str]:
    """The notes stored, after checking the database is whole and every entry is audited."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            if database_url.startswith("sqlite"):
                assert connection.scalar(text("PRAGMA integrity_check")) == "ok"
                assert connection.execute(text("PRAGMA foreign_key_check")).all() == []
            entries = connection.scalar(text("SELECT count(*) FROM diary_entries"))
            audited = connection.scalar(
                text(
                    "SELECT count(*) FROM audit_log"
                    " WHERE entity = 'diary_entries' AND action = 'create'"
                    " AND entity_id IN (SELECT id FROM diary_entries)"
                )
            )
            assert entries == audited, "an entry without its audit row"
            orphans = connection.scalar(
                text(
                    "SELECT count(*) FROM diary_entries d"
                    " LEFT JOIN clients c ON c.id = d.client_id WHERE c.id IS NULL"
                )
            )
            assert orphans == 0
            return set(connection.scalars(text("SELECT note FROM diary_entries")))
    finally:
        engine.dispose()


def test_a_server_killed_during_writes_keeps_every_answered_write(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    posters = _clinic(engine)
    engine.dispose()
    acked: list[str] = []
    failures: list[str] = []
    stop = threading.Event()
    with _serving(database_url, tmp_path / "home") as (url, server):
        threads = [
            threading.Thread(target=_post_until_killed, args=(url, poster, acked, failures, stop))
            for poster in posters
        ]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 60
        while len(acked) < ACKED_BEFORE_KILL and time.monotonic() < deadline:
            time.sleep(0.005)
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    assert failures == []
    assert server.returncode == -signal.SIGKILL
    assert len(acked) >= ACKED_BEFORE_KILL, "the server never took the writes"

    with _serving(database_url, tmp_path / "home") as (url, _):
        poster = posters[0]
        path = f"/api/v1/clients/{poster.client_id}/diary"
        status, listed = _request(url, "GET", path, poster.token)
        assert status == 200
        answered = [note for note in acked if note.startswith(f"crash-{poster.client_id}-")]
        assert json.loads(listed)["total"] >= len(answered)
    stored = _stored_and_checked(database_url)
    lost = set(acked) - stored
    assert not lost, f"{len(lost)} of {len(acked)} answered writes lost: {sorted(lost)[:5]}"
