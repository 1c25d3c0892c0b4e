"""axe-core finds no serious or critical WCAG 2.1 A/AA violation on the app's main pages.

One test per page (the id names the page), each signed in as the person who uses it, over the
demo clinic; client pages at 360 px, where they must also fit without scrolling sideways. Each page
is kept as a screenshot (test-artifacts/screenshots/a11y-<page>.png). Nothing here saves a record:
the pages with problems come from forms the app refuses.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    DEMO_ADMIN,
    OpenAs,
    Server,
    axe_violations,
    describe,
    shot,
)

THERAPIST = "ana@demo.example"  # Tom Grey (precautions) and Rosa Red (emergency) are hers
CLIENT = "lena@demo.example"
EMERGENCY_CLIENT = "rosa@demo.example"


def _submit_screening_empty(page: Page) -> None:
    page.get_by_role("button", name="Save the screening").click()
    expect(page.locator(".error-summary")).to_be_visible()


def _submit_check_in_empty(page: Page) -> None:
    page.get_by_role("checkbox", name="None of these").uncheck()
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_role("alert").filter(has_text="not saved yet")).to_be_visible()


@dataclass(frozen=True)
class Visit:
    """A page to scan: who opens it, where (`{Name}` is that client's id), and how."""

    name: str
    email: str | None
    path: str
    phone: bool = False
    then: Callable[[Page], None] | None = None


VISITS = [
    Visit("login", None, "/login"),
    Visit("dashboard", THERAPIST, "/dashboard"),
    Visit("clients-list", THERAPIST, "/clients"),
    Visit("client-page", THERAPIST, "/clients/{Tom Grey}"),
    Visit("client-page-emergency", THERAPIST, "/clients/{Rosa Red}"),
    Visit("new-client-form", THERAPIST, "/clients/new"),
    Visit("screening-form", THERAPIST, "/clients/{Tom Grey}/screening"),
    Visit(
        "screening-form-with-problems",
        THERAPIST,
        "/clients/{Tom Grey}/screening",
        then=_submit_screening_empty,
    ),
    Visit("assessment-form", THERAPIST, "/clients/{Tom Grey}/assessment"),
    Visit("session-form", THERAPIST, "/clients/{Tom Grey}/session"),
    Visit("booking-form", THERAPIST, "/clients/{Tom Grey}/book"),
    Visit("clearance-form", THERAPIST, "/clients/{Tom Grey}/clearance"),
    Visit("care-messages", THERAPIST, "/clients/{Tom Grey}/messages"),
    Visit("me-phone", CLIENT, "/me", phone=True),
    Visit("me-phone-emergency", EMERGENCY_CLIENT, "/me", phone=True),
    Visit("me-check-in-with-problems", CLIENT, "/me", phone=True, then=_submit_check_in_empty),
    Visit("me-plan", CLIENT, "/me/plan", phone=True),
    Visit("me-progress", CLIENT, "/me/progress", phone=True),
    Visit("me-messages", CLIENT, "/me/messages", phone=True),
    Visit("me-calendar-links", CLIENT, "/calendar-links", phone=True),
    Visit("care-calendar-links", THERAPIST, "/calendar-links"),
    Visit("change-password", THERAPIST, "/account/password"),
    Visit("learn", CLIENT, "/learn"),
    Visit("learn-page", CLIENT, "/learn/what-is-sciatica"),
    Visit("admin", DEMO_ADMIN, "/admin"),
    Visit("admin-assignments", DEMO_ADMIN, "/admin/assignments"),
    Visit("admin-audit", DEMO_ADMIN, "/admin/audit"),
    Visit("admin-tokens", DEMO_ADMIN, "/admin/tokens"),
]


def _path(visit: Visit, clients: dict[str, int]) -> str:
    return re.sub(r"\{([^}]+)\}", lambda m: str(clients[m[1]]), visit.path)


@pytest.mark.parametrize("visit", VISITS, ids=[v.name for v in VISITS])
def test_page_has_no_serious_or_critical_accessibility_violation(
    visit: Visit,
    demo_server: Server,
    demo_clients: dict[str, int],
    open_as: OpenAs,
) -> None:
    page = open_as(visit.email, phone=visit.phone)
    path = _path(visit, demo_clients)
    response = page.goto(f"{demo_server.url}{path}")
    assert response is not None
    assert response.status == 200, f"{path}: {response.status}"
    assert page.url == f"{demo_server.url}{path}", "signed in, not sent back to /login"
    if visit.then is not None:
        visit.then(page)
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    shot(page, f"a11y-{visit.name}")

    violations = axe_violations(page)

    assert not violations, f"{visit.name} ({path}):\n{describe(violations)}"
    if visit.phone:
        wide: bool = page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth")
        assert not wide, f"{path} scrolls sideways at 360 px"
