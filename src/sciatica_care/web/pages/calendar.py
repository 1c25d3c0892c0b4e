"""Calendar feeds over HTTP: the feed behind a secret link, and making and revoking the links.

`GET /calendar/{secret}.ics` needs no sign-in: calendar apps cannot sign in, so the secret link is
the credential; an unknown or revoked link answers 404. The links are made by the client's care
team or the client (`POST /clients/{id}/calendar-link`), or by a care team member for their own
feed of sessions (`POST /calendar-links`), and are shown once.
"""

from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from starlette.responses import Response

from sciatica_care.db.models import CalendarLink
from sciatica_care.services import access
from sciatica_care.services.accounts import DEFAULT_EXPIRY_DAYS, TokenExpired
from sciatica_care.services.errors import InputProblems
from sciatica_care.sharing.calendar import feed as calendar_feed
from sciatica_care.sharing.calendar import links as calendar_links
from sciatica_care.web.access_deps import ReadableClientWriting
from sciatica_care.web.deps import Now, ReadDb, Reader, Today, WriteDb, Writer, state
from sciatica_care.web.rendering import render, see_other

router = APIRouter(include_in_schema=False)
ICS_MEDIA = "text/calendar; charset=utf-8"
NO_STORE = {"cache-control": "no-store"}
MAX_DAYS = 3650
# The form's `expires`: a number of days, or "never" (works until revoked).
Expires = Annotated[str, Form(max_length=10)]


def _expires_at(value: str, now: datetime) -> datetime | None:
    """When a new link stops working: `value` days from now, or never."""
    if value.strip() == "never":
        return None
    try:
        days = int(value)
    except ValueError:
        days = 0
    if not 1 <= days <= MAX_DAYS:
        raise InputProblems([f"expires: must be a number of days 1..{MAX_DAYS} or never"])
    return now + timedelta(days=days)


@router.get("/calendar/{secret}.ics")
def feed(request: Request, secret: str, db: ReadDb, today: Today, now: Now) -> Response:
    """The calendar behind a live secret link: a client's care, or a care team member's sessions."""
    try:
        found = calendar_links.find_feed(db, secret, now=now)
    except TokenExpired as expired:
        raise HTTPException(404, str(expired), headers=NO_STORE) from None
    if found is None:
        raise access.NotFound("no such calendar")
    app = state(request)
    if found.client is not None:
        body = calendar_feed.client_calendar(
            db, client=found.client, today=today, protocol=app.protocol, plans=app.plans
        )
    else:
        assert found.user is not None  # a live link names a client or an account
        body = calendar_feed.therapist_calendar(
            db, user=found.user, today=today, protocol=app.protocol, plans=app.plans
        )
    headers = {**NO_STORE, "content-disposition": 'inline; filename="sciatica-care.ics"'}
    return Response(body, media_type=ICS_MEDIA, headers=headers)


@router.post("/clients/{client_id:id}/calendar-link")
def create_client_link(
    request: Request,
    user: Writer,
    client: ReadableClientWriting,
    db: WriteDb,
    now: Now,
    expires: Expires = str(DEFAULT_EXPIRY_DAYS),
) -> Response:
    """A new secret link to a client's calendar, shown once (the care team or the client)."""
    until = _expires_at(expires, now)
    link, secret = calendar_links.create_client_link(
        db, client=client, by=user, now=now, expires_at=until
    )
    back = f"/clients/{client.id}#calendar" if user.role in access.CARE_TEAM else "/calendar-links"
    return _shown_once(request, link, secret, what=f"{client.name}'s care", back=back)


@router.get("/calendar-links")
def links_page(request: Request, user: Reader, db: ReadDb) -> Response:
    """The signed-in person's own calendar links: their sessions, or (a client) their care."""
    if user.role in access.CARE_TEAM:
        links = calendar_links.user_links(db, user_id=user.id)
    elif user.client_id is not None:
        links = calendar_links.client_links(db, client_id=user.client_id)
    else:
        links = []
    context = {"title": "Calendar links", "nav": "calendar", "links": links}
    return render(request, "calendar/links.html", context)


@router.post("/calendar-links")
def create_user_link(
    request: Request,
    user: Writer,
    db: WriteDb,
    now: Now,
    expires: Expires = str(DEFAULT_EXPIRY_DAYS),
) -> Response:
    """A new secret link to a care team member's calendar of their clients' sessions."""
    until = _expires_at(expires, now)
    link, secret = calendar_links.create_user_link(db, user=user, now=now, expires_at=until)
    return _shown_once(request, link, secret, what="your clients' sessions", back="/calendar-links")


@router.post("/calendar-links/{link_id:id}/revoke")
def revoke(link_id: int, user: Writer, db: WriteDb, now: Now) -> Response:
    """Revokes a link; the feed behind it answers 404 from now on."""
    link = calendar_links.revoke_link(db, user=user, link_id=link_id, now=now)
    if link.client_id is not None and user.role in access.CARE_TEAM:
        return see_other(f"/clients/{link.client_id}#calendar")
    return see_other("/calendar-links")


def _shown_once(
    request: Request, link: CalendarLink, secret: str, *, what: str, back: str
) -> Response:
    url = f"{str(request.base_url).rstrip('/')}/calendar/{secret}.ics"
    context = {
        "title": "New calendar link",
        "link": link,
        "url": url,
        "webcal": "webcal://" + url.split("://", 1)[1],
        "what": what,
        "back": back,
    }
    response = render(request, "calendar/link.html", context)
    response.headers.update(NO_STORE)
    return response
