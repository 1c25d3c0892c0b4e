"""The care team's side of a client's messages: the thread, marked read as it is seen, and a reply.

Clients use /me/messages; only the client's care team reads or writes a thread here.
"""

from datetime import datetime

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from sciatica_care.db.models import Client, User
from sciatica_care.services import client_home
from sciatica_care.services.records import add_message
from sciatica_care.web.access_deps import CareTeamClientWriting
from sciatica_care.web.deps import Now, Reader, WriteDb, Writer
from sciatica_care.web.forms import Form, Values, message_problem
from sciatica_care.web.rendering import render, see_other

router = APIRouter(include_in_schema=False)


def _thread_page(
    request: Request,
    db: Session,
    user: User,
    client: Client,
    now: datetime,
    *,
    body: str = "",
    problem: str = "",
) -> Response:
    status = 422 if problem else 200
    if not problem:
        client_home.mark_read(db, client=client, reader=user, now=now)
    context = {
        "title": f"Messages with {client.name}",
        "nav": "clients",
        "client": client,
        "posts": client_home.thread(db, client),
        "body": body,
        "problem": problem,
        "sent": request.query_params.get("sent") == "1",
    }
    return render(request, "client/thread.html", context, status=status)


@router.get("/clients/{client_id:id}/messages")
def thread_page(
    request: Request, client: CareTeamClientWriting, user: Reader, db: WriteDb, now: Now
) -> Response:
    """The care team's view of a client's messages, with a reply form."""
    return _thread_page(request, db, user, client, now)


@router.post("/clients/{client_id:id}/messages")
def reply(
    request: Request, user: Writer, client: CareTeamClientWriting, db: WriteDb, form: Form, now: Now
) -> Response:
    """Sends the care team's reply to a client."""
    body = Values.of(form).get("body")
    problem = message_problem("message", body)
    if problem is not None:
        return _thread_page(request, db, user, client, now, body=body, problem=problem)
    add_message(db, client=client, sender=user, body=body, kind="message", now=now)
    return see_other(f"/clients/{client.id}/messages?sent=1")
