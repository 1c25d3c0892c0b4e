"""Request bodies are bounded before anything parses them; deep JSON is refused on every route."""

import json
import re

import pytest
from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send

from sciatica_care.web.body_limit import MAX_DEPTH, BodyLimit, Refusals, depth
from sciatica_care.web.route_table import api_routes
from tests.web.asgi_calls import call, endless, scope
from tests.web.world import World

LIMIT = 1_000_000  # the default SCIATICA_MAX_BODY_BYTES
DEEP = b"[" * 5000 + b"]" * 5000


def _filled(path: str, world: World) -> str:
    return re.sub(r"\{[^}]+\}", str(world.ada), path)


def test_an_api_body_over_the_limit_is_refused_with_413_in_the_api_shape(world: World) -> None:
    response = world.api("therapist").post(
        "/api/v1/clients",
        content=json.dumps({"name": "x" * (LIMIT + 1)}),
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json() == {"detail": f"the request body is larger than {LIMIT} bytes"}


def test_a_form_over_the_limit_gets_a_readable_page(world: World) -> None:
    browser = world.browser("client")
    response = browser.post("/me/messages", data={"body": "x" * (LIMIT + 1)})
    assert response.status_code == 413
    assert "text/html" in response.headers["content-type"]
    assert f"larger than {LIMIT} bytes" in response.text


def test_a_streamed_body_is_cut_off_at_the_limit(world: World) -> None:
    headers = {"authorization": f"Bearer {world.tokens['therapist']}"}
    for kind in ("application/json", "application/x-www-form-urlencoded"):
        request = scope(
            "POST", f"/api/v1/clients/{world.ada}/diary", {**headers, "content-type": kind}
        )
        answer = call(world.app, request, endless())
        assert answer.status == 413, kind
        assert answer.pulled == LIMIT // 65536 + 1, "not one chunk more than the limit needs"
        assert json.loads(answer.body)["detail"].endswith(f"{LIMIT} bytes")


def test_the_plan_route_takes_a_history_up_to_its_own_larger_limit(world: World) -> None:
    api = world.api("therapist")
    padding = {"client": {"id": "c1"}, "notes": "x" * 2_000_000}
    response = api.post("/api/v1/plan", content=json.dumps(padding))
    assert response.status_code == 200, "read and planned, not refused for its size"
    response = api.post("/api/v1/plan", content=json.dumps({"notes": "x" * 5_000_001}))
    assert response.status_code == 413


def test_deep_json_answers_422_on_every_api_write(world: World) -> None:
    api = world.api("therapist")
    writes = [r for r in api_routes(world.app.routes) if "POST" in r.methods and "/api/" in r.path]
    assert len(writes) >= 7
    for routed in writes:
        path = _filled(routed.path, world)
        response = api.post(path, content=DEEP, headers={"content-type": "application/json"})
        assert response.status_code == 422, f"{path}: {response.text}"
        assert response.json() == {
            "detail": "invalid input",
            "problems": [f"body: nested too deeply (at most {MAX_DEPTH} levels)"],
        }


def test_deep_json_sent_as_a_form_still_answers_422(world: World) -> None:
    response = world.api("therapist").post(
        f"/api/v1/clients/{world.ada}/diary",
        content=DEEP,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 422
    assert "nested too deeply" in response.text


@pytest.mark.parametrize(
    ("text", "levels"),
    [
        (b"{}", 1),
        (b'{"a": [1, {"b": []}]}', 4),
        (b'{"a": "[[[[{{{{"}', 1),
        (b'["\\"[[[", []]', 2),
        (b"42", 0),
    ],
)
def test_depth_counts_brackets_outside_strings(text: bytes, levels: int) -> None:
    assert depth(text) == levels


def test_a_body_within_the_limit_reaches_the_app_whole() -> None:
    seen: list[bytes] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        message = await receive()
        seen.append(message["body"])
        await JSONResponse({})(scope, receive, send)

    refusals = Refusals(
        too_large=lambda _s, _n: JSONResponse({}, 413),
        too_deep=lambda _s, _n: JSONResponse({}, 422),
    )
    limited = BodyLimit(app, limit=100, larger={}, refusals=refusals)
    parts = [b'{"a": ', b"[1, 2]", b"}"]

    def chunk(number: int) -> dict[str, object]:
        return {"type": "http.request", "body": parts[number - 1], "more_body": number < 3}

    answer = call(limited, scope("POST", "/x", {"content-type": "application/json"}), chunk)
    assert answer.status == 200
    assert seen == [b'{"a": [1, 2]}']
