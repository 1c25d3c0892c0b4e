"""Pages for clients, phone first: check-in, my plan, my progress, messages; and the care team's
side of a client's messages."""

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from sciatica_care.db.models import Client, User
from sciatica_care.domain.plan import CarePlan
from sciatica_care.domain.protocol import Protocol
from sciatica_care.services import access, client_home
from sciatica_care.services.client_home import CheckIn, DayPain
from sciatica_care.services.entries import Alert
from sciatica_care.services.errors import InputProblems
from sciatica_care.services.records import MAX_TEXT, add_message
from sciatica_care.web import learn_topics
from sciatica_care.web.charts import Point, line_chart
from sciatica_care.web.deps import ReadDb, Reader, State, WriteDb, Writer, now, state, today
from sciatica_care.web.pages import render, see_other

router = APIRouter(include_in_schema=False)
FormText = Annotated[str, Form()]
FormList = Annotated[list[str] | None, Form()]
ALERT_LEVELS = ("emergency", "urgent")
MESSAGE_KINDS = ("message", "before_session")


def learn(code: str) -> learn_topics.Topic | None:
    """The Learn page that explains a plan code, if there is one."""
    slug = learn_topics.link_for(code)
    return None if slug is None else learn_topics.topic(slug)


def own_client(db: Session, user: User) -> Client:
    """The signed-in client's own record; Forbidden for the care team."""
    access.require_role(user, "client")
    if user.client_id is None:
        raise access.NotFound("this account has no client record")
    return access.readable_client(db, user, user.client_id)


def triage_alert(plan: CarePlan) -> dict[str, Any] | None:
    """The plan's emergency or urgent triage as the alert a client page opens with."""
    triage = plan.triage
    if triage.level not in ALERT_LEVELS:
        return None
    actions = [f.action for f in triage.findings if f.level == triage.level and not f.cleared]
    return {"level": triage.level, "actions": actions or [triage.action]}


def check_in_alert(alert: Alert, protocol: Protocol, reported: list[str]) -> dict[str, Any]:
    """A check-in's alert with what to do for each sign, the most severe first."""
    actions = [alert.action]
    for code in (*alert.signs, *reported):
        spec = protocol.findings.get(code)
        if spec is not None and spec.action not in actions:
            actions.append(spec.action)
    return {"level": alert.level, "actions": actions}


def pain_chart(course: list[DayPain], *, small: bool = False) -> str:
    """Leg and back pain over time as an SVG line chart, sessions marked."""
    leg = [Point(d.day, d.leg_pain) for d in course if d.leg_pain is not None]
    back = [Point(d.day, d.back_pain) for d in course if d.back_pain is not None]
    return line_chart(
        title="My leg and back pain over time",
        series=[("Leg pain", leg), ("Back pain", back)],
        y_max=10,
        y_label="Pain, 0 to 10",
        markers=[d.day for d in course if d.session],
        marker_label="session",
        width=360 if small else 420,
        height=220 if small else 260,
    )


def _today_page(
    request: Request,
    db: Session,
    user: User,
    protocol: Protocol,
    *,
    values: dict[str, Any] | None = None,
    problems: dict[str, str] | None = None,
    alert: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    client = own_client(db, user)
    day = today()
    plan = client_home.current_plan(db, client, protocol, day, state(request).plans)
    context = {
        "title": "Today",
        "nav": "me",
        "client": client,
        "plan": plan,
        "alert": alert or triage_alert(plan),
        "signs": client_home.warning_signs(protocol),
        "values": values or {"flare": "no", "signs": [client_home.NONE_OF_THESE]},
        "problems": problems or {},
        "saved": request.query_params.get("saved") == "1" and alert is None,
        "next_session": client_home.next_session(db, client, plan, day),
        "chart": pain_chart(client_home.pain_course(db, client), small=True),
        "unread": client_home.unread_count(db, client, user),
        "learn": learn,
    }
    return render(request, "client/today.html", context, status=status)


@router.get("/me")
def today_page(request: Request, user: Reader, db: ReadDb, state: State) -> Response:
    """The client's start page: check in, today's self-care, next session, a small chart."""
    return _today_page(request, db, user, state.protocol)


def _number(value: str) -> int | str | None:
    """A form number as an integer when it is one; other text is kept so the check can name it."""
    value = value.strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        return value


@router.post("/me/check-in")
def check_in(
    request: Request,
    user: Writer,
    db: WriteDb,
    state: State,
    leg_pain: FormText = "",
    back_pain: FormText = "",
    flare: FormText = "",
    note: FormText = "",
    self_care: FormList = None,
    signs: FormList = None,
) -> Response:
    """Stores a check-in; a reported warning sign answers at once with what to do."""
    client = own_client(db, user)
    answers = CheckIn(
        leg_pain=_number(leg_pain),
        back_pain=_number(back_pain),
        flare={"yes": True, "no": False}.get(flare),
        self_care=tuple(self_care or ()),
        note=note.strip() or None,
        signs=tuple(signs or ()),
    )
    problems = client_home.check_in_problems(answers, state.protocol)
    if not problems:
        try:
            recorded = client_home.check_in(
                db,
                client=client,
                answers=answers,
                protocol=state.protocol,
                actor=user.email,
                now=now(),
                today=today(),
            )
        except InputProblems as error:
            problems = {"form": "; ".join(error.problems)}
        else:
            if recorded.alert is None:
                return see_other("/me?saved=1")
            reported = client_home.reported(answers)
            alert = check_in_alert(recorded.alert, state.protocol, reported)
            return _today_page(request, db, user, state.protocol, alert=alert)
    values = {
        "leg_pain": leg_pain,
        "back_pain": back_pain,
        "flare": flare,
        "note": note,
        "self_care": list(self_care or ()),
        "signs": list(signs or ()),
    }
    return _today_page(
        request, db, user, state.protocol, values=values, problems=problems, status=422
    )


@router.get("/me/plan")
def plan_page(request: Request, user: Reader, db: ReadDb, state: State) -> Response:
    """My plan in plain words, safety first, each part linked to the Learn page about it."""
    client = own_client(db, user)
    plan = client_home.current_plan(db, client, state.protocol, today(), state.plans)
    context = {
        "title": "My plan",
        "nav": "plan",
        "plan": plan,
        "alert": triage_alert(plan),
        "next_session": client_home.next_session(db, client, plan, today()),
        "learn": learn,
    }
    return render(request, "client/plan.html", context)


@router.get("/me/progress")
def progress_page(request: Request, user: Reader, db: ReadDb, state: State) -> Response:
    """My pain over time as a chart, with the same readings as a table."""
    client = own_client(db, user)
    plan = client_home.current_plan(db, client, state.protocol, today(), state.plans)
    course = client_home.pain_course(db, client)
    context = {
        "title": "My progress",
        "nav": "progress",
        "plan": plan,
        "alert": triage_alert(plan),
        "chart": pain_chart(course),
        "rows": list(reversed(course)),
    }
    return render(request, "client/progress.html", context)


def _messages_page(
    request: Request,
    db: Session,
    user: User,
    *,
    values: dict[str, str] | None = None,
    problems: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    client = own_client(db, user)
    if status == 200:
        client_home.mark_read(db, client=client, reader=user, now=now())
    context = {
        "title": "Messages",
        "nav": "messages",
        "posts": client_home.thread(db, client),
        "values": values or {},
        "problems": problems or {},
        "sent": request.query_params.get("sent"),
    }
    return render(request, "client/messages.html", context, status=status)


@router.get("/me/messages")
def messages_page(request: Request, user: Reader, db: WriteDb) -> Response:
    """Messages with my therapist (marked read as I see them) and my note before a session."""
    return _messages_page(request, db, user)


def _message_problem(kind: str, body: str) -> str | None:
    """What is wrong with a message, in plain words, or None."""
    if kind not in MESSAGE_KINDS:
        return "Choose a message or a note before your session."
    if not body.strip():
        return "Write something first."
    if len(body) > MAX_TEXT:
        return f"Keep it under {MAX_TEXT} characters."
    return None


@router.post("/me/messages")
def send_message(
    request: Request, user: Writer, db: WriteDb, body: FormText = "", kind: FormText = "message"
) -> Response:
    """Sends a message to my care team, or a "what hurts today" note for my next session."""
    client = own_client(db, user)
    problem = _message_problem(kind, body)
    if problem is not None:
        field = kind if kind in MESSAGE_KINDS else "message"
        return _messages_page(
            request, db, user, values={field: body}, problems={field: problem}, status=422
        )
    add_message(db, client=client, sender=user, body=body, kind=kind, now=now())
    return see_other(f"/me/messages?sent={kind}")


def _thread_page(
    request: Request, db: Session, user: User, client: Client, *, body: str = "", problem: str = ""
) -> Response:
    status = 422 if problem else 200
    if not problem:
        client_home.mark_read(db, client=client, reader=user, now=now())
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


@router.get("/clients/{client_id}/messages")
def thread_page(request: Request, client_id: int, user: Reader, db: WriteDb) -> Response:
    """The care team's view of a client's messages, with a reply form."""
    access.require_role(user, "admin", "therapist")
    client = access.readable_client(db, user, client_id)
    return _thread_page(request, db, user, client)


@router.post("/clients/{client_id}/messages")
def reply(
    request: Request, client_id: int, user: Writer, db: WriteDb, body: FormText = ""
) -> Response:
    """Sends the care team's reply to a client."""
    access.require_role(user, "admin", "therapist")
    client = access.writable_client(db, user, client_id, "messages")
    problem = _message_problem("message", body)
    if problem is not None:
        return _thread_page(request, db, user, client, body=body, problem=problem)
    add_message(db, client=client, sender=user, body=body, kind="message", now=now())
    return see_other(f"/clients/{client.id}/messages?sent=1")
