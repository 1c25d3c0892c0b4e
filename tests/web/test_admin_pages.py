"""The admin pages: accounts, roles, disabling, care teams, the audit log and API tokens."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sciatica_care.db.database import make_engine, session_factory, transaction
from sciatica_care.db.models import AuditEntry, User, WebSession
from sciatica_care.services import accounts
from sciatica_care.services.audit import audit
from tests.web.world import EMAILS, NOW, PASSWORD, Browser, World, csrf_of

ADMIN_PAGES = ("/admin", "/admin/assignments", "/admin/audit", "/admin/tokens")


@contextmanager
def database(world: World) -> Iterator[Session]:
    """One transaction on the world's database."""
    engine = make_engine(world.url)
    try:
        with transaction(session_factory(engine)) as db:
            yield db
    finally:
        engine.dispose()


def user_id(world: World, email: str) -> int:
    """The id of the account with this email."""
    with database(world) as db:
        found = db.scalar(select(User.id).where(User.email == email))
    assert found is not None
    return found


def add_account(world: World, email: str, role: str = "therapist", **fields: str) -> int:
    """Adds an account to North through the admin page; returns its id."""
    form = {"email": email, "role": role, "name": "", "password": PASSWORD, "client": ""}
    response = world.browser("admin").post("/admin/users", {**form, **fields})
    assert response.status_code == 200, response.text  # followed the 303 to /admin
    return user_id(world, email)


def sign_in_status(world: World, email: str) -> int:
    """What the sign-in form answers for this account and the test password."""
    http = world.client()
    form = http.get("/login")
    response = http.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrf_token": csrf_of(form.text)},
        follow_redirects=False,
    )
    return response.status_code


def test_the_admin_sees_the_accounts_of_their_own_clinic_only(world: World) -> None:
    north = world.browser("admin").http.get("/admin")
    assert north.status_code == 200
    assert north.template.name == "admin/users.html"  # type: ignore[attr-defined]
    assert EMAILS["therapist"] in north.text
    assert "Ada Lovelace" in north.text  # Ada's account is linked to her record
    assert EMAILS["other_clinic"] not in north.text
    south = world.browser("other_clinic").http.get("/admin")
    assert EMAILS["other_clinic"] in south.text
    assert EMAILS["therapist"] not in south.text
    assert "Ada Lovelace" not in south.text


@pytest.mark.parametrize("seat", ["therapist", "client"])
def test_therapists_and_clients_are_refused_every_admin_page(world: World, seat: str) -> None:
    browser = world.browser(seat)
    for page in ADMIN_PAGES:
        assert browser.http.get(page).status_code == 403, page


def test_an_added_therapist_can_sign_in_and_the_addition_is_audited(world: World) -> None:
    new = add_account(world, "nia@north.example", name="Nia")
    assert sign_in_status(world, "nia@north.example") == 303
    with database(world) as db:
        entry = db.scalar(
            select(AuditEntry).where(AuditEntry.entity == "users", AuditEntry.entity_id == new)
        )
    assert entry is not None
    assert entry.actor == EMAILS["admin"]
    assert entry.action == "create"


def test_a_client_account_is_linked_to_its_client_record(world: World) -> None:
    new = add_account(world, "ben.carer@example.org", role="client", client=str(world.ben))
    with database(world) as db:
        assert db.get_one(User, new).client_id == world.ben


def test_bad_account_input_is_shown_by_field_and_nothing_typed_is_lost(world: World) -> None:
    form = {"email": "not-an-email", "role": "client", "name": "Sam", "password": "short"}
    response = world.browser("admin").post("/admin/users", {**form, "client": ""})
    assert response.status_code == 422
    page = response.text
    assert 'value="not-an-email"' in page
    assert 'value="Sam"' in page
    assert re.search(r'<option value="client"\s+selected>', page)
    assert 'id="email-problem"' in page
    assert "not an email address" in page
    assert 'id="password-problem"' in page
    assert "at least 10 characters" in page
    assert 'id="client-problem"' in page
    assert "needs the client record" in page


def test_an_email_already_in_use_is_refused(world: World) -> None:
    form: dict[str, object] = {
        "email": EMAILS["therapist"],
        "role": "therapist",
        "password": PASSWORD,
    }
    response = world.browser("admin").post("/admin/users", form)
    assert response.status_code == 422
    assert "already exists" in response.text


def test_another_clinics_admin_cannot_link_an_account_to_our_client(world: World) -> None:
    form = {"email": "x@south.example", "role": "client", "password": PASSWORD}
    response = world.browser("other_clinic").post("/admin/users", {**form, "client": world.ada})
    assert response.status_code == 404
    with database(world) as db:
        assert db.scalar(select(User.id).where(User.email == "x@south.example")) is None


def test_disabling_signs_the_account_out_everywhere_until_it_signs_in_again(
    world: World,
) -> None:
    email = "omar@north.example"
    target = add_account(world, email)
    theirs = Browser.sign_in(world.client(), email)
    assert theirs.http.get("/dashboard").status_code == 200
    admin = world.browser("admin")
    assert admin.post(f"/admin/users/{target}/disable", follow_redirects=False).status_code == 303
    assert theirs.http.get("/dashboard", follow_redirects=False).status_code == 303
    assert sign_in_status(world, email) == 401
    assert "Disabled" in admin.http.get("/admin").text
    assert admin.post(f"/admin/users/{target}/enable", follow_redirects=False).status_code == 303
    # The old session was deleted, not merely paused: enabling does not bring it back.
    assert theirs.http.get("/dashboard", follow_redirects=False).status_code == 303
    assert sign_in_status(world, email) == 303
    with database(world) as db:
        actions = db.scalars(
            select(AuditEntry.action).where(
                AuditEntry.entity == "users", AuditEntry.entity_id == target
            )
        )
        assert {"disable", "enable"} <= set(actions)


def test_an_admin_cannot_disable_or_demote_themself(world: World) -> None:
    admin = world.browser("admin")
    own = world.users["admin"]
    refused = admin.post(f"/admin/users/{own}/disable")
    assert refused.status_code == 422
    assert "cannot disable your own account" in refused.text
    demoted = admin.post(f"/admin/users/{own}/role", {"role": "therapist"})
    assert demoted.status_code == 422
    assert "cannot take the admin role from yourself" in demoted.text
    assert admin.http.get("/admin").status_code == 200


def test_a_therapist_made_admin_reaches_the_admin_pages_and_the_change_is_audited(
    world: World,
) -> None:
    email = "pat@north.example"
    target = add_account(world, email)
    assert Browser.sign_in(world.client(), email).http.get("/admin").status_code == 403
    response = world.browser("admin").post(f"/admin/users/{target}/role", {"role": "admin"})
    assert response.status_code == 200
    assert Browser.sign_in(world.client(), email).http.get("/admin").status_code == 200
    with database(world) as db:
        entry = db.scalar(
            select(AuditEntry).where(
                AuditEntry.action == "set_role", AuditEntry.entity_id == target
            )
        )
    assert entry is not None
    assert entry.changes == {"from": "therapist", "to": "admin"}


def test_a_client_account_keeps_its_role(world: World) -> None:
    ada = world.users["client"]
    response = world.browser("admin").post(f"/admin/users/{ada}/role", {"role": "admin"})
    assert response.status_code == 422
    assert "role cannot change" in response.text


def test_another_clinics_admin_gets_404_for_our_accounts_clients_and_tokens(world: World) -> None:
    south = world.browser("other_clinic")
    kim = world.users["therapist"]
    writes: tuple[tuple[str, dict[str, object]], ...] = (
        (f"/admin/users/{kim}/role", {"role": "admin"}),
        (f"/admin/users/{kim}/disable", {}),
        (f"/admin/users/{kim}/enable", {}),
        ("/admin/assignments", {"client_id": world.ada, "therapist_id": kim}),
        ("/admin/tokens/1/revoke", {}),
    )
    for path, form in writes:
        assert south.post(path, form).status_code == 404, path
    assert world.api("therapist").get(f"/api/v1/clients/{world.ada}").status_code == 200
    assert world.api("admin").get(f"/api/v1/clients/{world.ada}").status_code == 200


def test_assigning_a_therapist_opens_the_client_to_them_and_unassigning_closes_it(
    world: World,
) -> None:
    kim, admin = world.api("therapist"), world.browser("admin")
    kim_id = world.users["therapist"]
    assert kim.get(f"/api/v1/clients/{world.ben}").status_code == 404
    form = {"client_id": world.ben, "therapist_id": kim_id}
    assigned = admin.post("/admin/assignments", {**form, "action": "assign"})
    assert assigned.status_code == 200
    assert kim.get(f"/api/v1/clients/{world.ben}").status_code == 200
    admin.post("/admin/assignments", {**form, "action": "unassign"})
    assert kim.get(f"/api/v1/clients/{world.ben}").status_code == 404


def test_only_a_therapist_can_join_a_care_team(world: World) -> None:
    form = {"client_id": world.ben, "therapist_id": world.users["admin"]}
    response = world.browser("admin").post("/admin/assignments", {**form, "action": "assign"})
    assert response.status_code == 422
    assert 'id="therapist-problem"' in response.text
    assert "is not a therapist" in response.text


def test_the_care_teams_page_lists_each_client_with_their_therapists(world: World) -> None:
    page = world.browser("admin").http.get("/admin/assignments")
    assert page.status_code == 200
    row = re.search(r"Ada Lovelace</a></th>(.*?)</tr>", page.text, re.S)
    assert row is not None
    assert EMAILS["therapist"] in row.group(1)
    assert "Cleo Hart" not in page.text


def test_the_audit_log_shows_the_clinics_entries_newest_first_a_page_at_a_time(
    world: World,
) -> None:
    start = NOW + timedelta(days=1)
    with database(world) as db:
        marker = db.get_one(User, world.users["admin"])
        for minute in range(55):
            when = start + timedelta(minutes=minute)
            audit(
                db,
                actor=marker.email,
                action=f"probe_{minute}",
                record=marker,
                client_id=None,
                now=when,
            )
        audit(
            db,
            actor=EMAILS["other_clinic"],
            action="probe_south",
            record=marker,
            client_id=None,
            now=start,
        )
    admin = world.browser("admin")
    first = admin.http.get("/admin/audit")
    assert first.status_code == 200
    assert first.text.count("<tr>") == 1 + 50  # the header row and a full page
    assert first.text.index("probe 54") < first.text.index("probe 53")
    assert "probe south" not in first.text
    assert "Page 1 of" in first.text
    second = admin.http.get("/admin/audit?page=2")
    assert "probe 4<" in second.text
    assert "probe 54" not in second.text
    last = admin.http.get("/admin/audit?page=999")
    assert re.search(r"Page (\d+) of \1<", last.text)
    south = world.browser("other_clinic").http.get("/admin/audit")
    assert "probe south" in south.text
    assert "probe 54" not in south.text
    assert "Ada Lovelace" not in south.text


def test_the_admin_lists_and_revokes_the_clinics_api_tokens(world: World) -> None:
    with database(world) as db:
        kim = db.scalar(select(User).where(User.email == EMAILS["therapist"]))
        assert kim is not None
        row, secret = accounts.create_api_token(
            db, kim, label="report script", actor="test", now=NOW
        )
        token_id = row.id
    admin = world.browser("admin")
    listed = admin.http.get("/admin/tokens").text
    assert "report script" in listed
    assert EMAILS["other_clinic"] not in listed
    api = world.client()
    api.headers["authorization"] = f"Bearer {secret}"
    assert api.get("/api/v1/clients").status_code == 200
    revoked = admin.post(f"/admin/tokens/{token_id}/revoke", follow_redirects=False)
    assert revoked.status_code == 303
    assert api.get("/api/v1/clients").status_code == 401
    assert "Revoked" in admin.http.get("/admin/tokens").text
    with database(world) as db:
        assert (
            db.scalar(
                select(AuditEntry.actor).where(
                    AuditEntry.action == "revoke", AuditEntry.entity_id == token_id
                )
            )
            == EMAILS["admin"]
        )


def test_no_web_session_outlives_a_disabled_account(world: World) -> None:
    email = "quinn@north.example"
    target = add_account(world, email)
    for _ in range(2):
        Browser.sign_in(world.client(), email)
    world.browser("admin").post(f"/admin/users/{target}/disable")
    with database(world) as db:
        count = db.scalar(
            select(func.count()).select_from(WebSession).where(WebSession.user_id == target)
        )
    assert count == 0
