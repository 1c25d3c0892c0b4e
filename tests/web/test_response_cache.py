"""Kept API answers: reused only while the database is unchanged, never across a change."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from starlette.types import Message, Receive, Scope, Send

from sciatica_care.db.database import make_engine, session_factory, transaction
from sciatica_care.services import accounts
from sciatica_care.web.response_cache import ResponseCache, route_reads
from tests.web.world import EMAILS, NOW, TODAY, World

READS = frozenset({"limit", "offset"})


def _reads(path: str) -> frozenset[str] | None:
    return READS if path.startswith("/api/v1/") else None


def _scope(path: str, authorization: bytes | None = b"Bearer t1", query: bytes = b"") -> Scope:
    headers = [] if authorization is None else [(b"authorization", authorization)]
    return {
        "type": "http",
        "method": "GET",
        "path": path,
        "query_string": query,
        "headers": headers,
    }


def _get(cache: ResponseCache, scope: Scope) -> bytes:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request"}

    async def send(message: Message) -> None:
        sent.append(message)

    # A thread of its own: the browser tests' Playwright keeps an event loop in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, cache(scope, receive, send)).result()
    return b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def test_an_answer_is_kept_until_the_counter_changes_and_only_for_its_token() -> None:
    calls: list[str] = []
    counter = [1]

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        calls.append(scope["path"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": f"v{counter[0]}".encode()})

    cache = ResponseCache(app, version=lambda: counter[0], today=lambda: TODAY, reads=_reads)
    assert _get(cache, _scope("/api/v1/clients")) == b"v1"
    assert _get(cache, _scope("/api/v1/clients")) == b"v1"
    assert len(calls) == 1
    assert _get(cache, _scope("/api/v1/clients", b"Bearer t2")) == b"v1"
    assert len(calls) == 2, "another token is answered afresh"
    counter[0] = 2
    assert _get(cache, _scope("/api/v1/clients")) == b"v2"
    assert len(calls) == 3
    for scope in (_scope("/api/v1/clients", None), _scope("/dashboard")):
        _get(cache, scope)
        _get(cache, scope)
    assert len(calls) == 7, "pages and cookie sessions are never kept"


def test_an_error_is_never_kept() -> None:
    calls = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        calls.append(1)
        await send({"type": "http.response.start", "status": 404, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    cache = ResponseCache(app, version=lambda: 1, today=lambda: TODAY, reads=_reads)
    _get(cache, _scope("/api/v1/clients/1"))
    _get(cache, _scope("/api/v1/clients/1"))
    assert len(calls) == 2


def _sized_app(calls: list[str], size: int = 1000):  # type: ignore[no-untyped-def]
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        calls.append(scope["path"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"x" * size})

    return app


def test_kept_answers_stay_within_the_byte_budget_oldest_going_first() -> None:
    calls: list[str] = []
    cache = ResponseCache(
        _sized_app(calls), version=lambda: 1, today=lambda: TODAY, reads=_reads, budget=3500
    )
    for number in range(10):
        _get(cache, _scope(f"/api/v1/clients/{number}"))
    assert cache.held <= 3500
    assert cache.held == sum(kept.size for kept in cache.kept.values())
    assert len(cache.kept) == 3
    _get(cache, _scope("/api/v1/clients/9"))
    assert len(calls) == 10, "the newest answer is still kept"
    _get(cache, _scope("/api/v1/clients/0"))
    assert len(calls) == 11, "the oldest one went to make room"


def test_an_answer_bigger_than_the_whole_budget_is_never_kept() -> None:
    calls: list[str] = []
    cache = ResponseCache(
        _sized_app(calls, 5000), version=lambda: 1, today=lambda: TODAY, reads=_reads, budget=4000
    )
    _get(cache, _scope("/api/v1/clients"))
    assert (len(cache.kept), cache.held) == (0, 0)


def test_a_change_of_the_counter_frees_every_kept_answer_at_once() -> None:
    calls: list[str] = []
    counter = [1]
    cache = ResponseCache(
        _sized_app(calls), version=lambda: counter[0], today=lambda: TODAY, reads=_reads
    )
    for number in range(5):
        _get(cache, _scope(f"/api/v1/clients/{number}"))
    assert len(cache.kept) == 5
    counter[0] = 2
    _get(cache, _scope("/api/v1/clients/0"))
    assert list(cache.kept) == [next(iter(cache.kept))]
    assert cache.held == next(iter(cache.kept.values())).size


def test_unknown_query_parameters_are_answered_afresh_and_never_kept() -> None:
    calls: list[str] = []
    cache = ResponseCache(_sized_app(calls), version=lambda: 1, today=lambda: TODAY, reads=_reads)
    for number in range(20):
        _get(cache, _scope("/api/v1/clients", query=f"limit=5&bust={number}".encode()))
    assert (len(calls), len(cache.kept)) == (20, 0)
    _get(cache, _scope("/api/v1/clients", query=b"limit=5&offset=0"))
    _get(cache, _scope("/api/v1/clients", query=b"offset=0&limit=5"))
    assert (len(calls), len(cache.kept)) == (21, 1), "the parameters' order does not matter"


def test_the_app_tells_the_cache_which_parameters_each_read_takes(world: World) -> None:
    reads = route_reads(world.app.routes)
    assert reads("/api/v1/clients") == frozenset({"limit", "offset", "q"})
    assert reads(f"/api/v1/clients/{world.ada}/diary") == frozenset({"limit", "offset"})
    assert reads(f"/api/v1/clients/{world.ada}/plan") == frozenset()
    assert reads("/api/v1/no-such-thing") is None


def test_a_write_by_someone_else_shows_in_the_next_read(world: World) -> None:
    team = world.api("therapist")
    path = f"/api/v1/clients/{world.ada}/diary?limit=1"
    before = team.get(path).json()
    assert team.get(path).json() == before
    world.api("client").post(f"/api/v1/clients/{world.ada}/diary", json={"leg_pain": 1})
    after = team.get(path).json()
    assert after["total"] == before["total"] + 1


def test_a_revoked_token_is_refused_even_after_a_kept_answer(world: World) -> None:
    engine = make_engine(world.url)
    with transaction(session_factory(engine)) as db:
        user = accounts.find_user(db, EMAILS["therapist"])
        row, secret = accounts.create_api_token(db, user, label="kept", actor="test", now=NOW)
    api = world.client()
    api.headers["authorization"] = f"Bearer {secret}"
    assert api.get(f"/api/v1/clients/{world.ada}").status_code == 200
    assert api.get(f"/api/v1/clients/{world.ada}").status_code == 200
    with transaction(session_factory(engine)) as db:
        accounts.revoke_api_token(db, row.id, actor="test", now=NOW)
    engine.dispose()
    assert api.get(f"/api/v1/clients/{world.ada}").status_code == 401


def test_taking_a_therapist_off_a_client_hides_it_at_once(world: World) -> None:
    lee = world.api("other_therapist")
    assert lee.get(f"/api/v1/clients/{world.ben}").status_code == 200
    admin = world.browser("admin")
    response = admin.post(
        "/admin/assignments",
        data={
            "client_id": str(world.ben),
            "therapist_id": str(world.users["other_therapist"]),
            "action": "unassign",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    assert lee.get(f"/api/v1/clients/{world.ben}").status_code == 404
    admin.post(
        "/admin/assignments",
        data={
            "client_id": str(world.ben),
            "therapist_id": str(world.users["other_therapist"]),
            "action": "assign",
        },
    )
    assert lee.get(f"/api/v1/clients/{world.ben}").status_code == 200
