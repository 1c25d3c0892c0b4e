"""Schemathesis against the JSON API, in-process: no 5xx, and every answer is as OpenAPI says.

The generated requests run as an admin, as a client (Ada's own account) and with no token, on
Ada's record (a random `client_id` would only ever meet 404). The seed is fixed and the examples
are few, so the run is the same each time and takes about a minute on two cores. A longer hunt:
SCIATICA_TEST_API_EXAMPLES=200 adds the coverage phase (every edge case of every schema, several
minutes) and takes that many examples an operation.
"""

import os

import pytest
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.web.world import World

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
SEATS = ("admin", "client", "anonymous")
LONG_RUN = os.environ.get("SCIATICA_TEST_API_EXAMPLES")


@pytest.fixture(scope="module", params=SEATS)
def api_schema(world: World, request: pytest.FixtureRequest) -> schemathesis.BaseSchema:
    """The app's OpenAPI, with the seat's bearer token on every generated request."""
    seat = request.param
    headers = {} if seat == "anonymous" else {"authorization": f"Bearer {world.tokens[seat]}"}
    config = schemathesis.Config.from_dict(
        {
            "seed": 17,
            "headers": headers,
            "parameters": {"client_id": world.ada},
            "generation": {"max-examples": int(LONG_RUN or 30)},
            "phases": {"coverage": {"enabled": bool(LONG_RUN)}, "stateful": {"enabled": False}},
        }
    )
    return schemathesis.openapi.from_asgi("/openapi.json", world.app, config=config)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request: pytest.FixtureRequest) -> None:
    # Schemathesis 4.32 names each operation's subtest through `_nodeid`, which pytest 9 dropped.
    request.node._nodeid = request.node.nodeid


@schema.parametrize()
def test_the_api_answers_as_its_openapi_says(case: schemathesis.Case) -> None:  # type: ignore[type-arg]
    """Each operation, positive and negative data: status, content type, headers and body."""
    # The assertion is Schemathesis's: call_and_validate raises (and so fails this test) on any
    # server error or any answer that breaks a check in CHECKS against the OpenAPI description.
    case.call_and_validate(checks=CHECKS)
