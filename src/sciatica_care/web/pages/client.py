"""Pages for clients, phone first: check-in, my plan, my progress, messages.

A check-in that reports a warning sign is saved and answered with a redirect to `/me?alert=<level>`:
the page shows the emergency message first (from the stored records, never from the link) and marks
it just recorded, so a reload saves nothing twice. The care team's side of the messages is in
`pages_threads`.
"""

from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from sciatica_care.db.models import Client, User
from sciatica_care.domain.codes import ALERT_LEVELS
from sciatica_care.domain.course import DayCourse
from sciatica_care.domain.plan import CarePlan
from sciatica_care.domain.protocol import Protocol
from sciatica_care.services import client_home
from sciatica_care.services.client_home import CheckIn
from sciatica_care.services.errors import InputProblems
from sciatica_care.services.records import add_message
from sciatica_care.web import learn_topics
from sciatica_care.web.access_deps import OwnClient, OwnClientWriting
from sciatica_care.web.charts import Point, line_chart
from sciatica_care.web.deps import Now, ReadDb, Reader, State, Today, WriteDb, Writer, state
from sciatica_care.web.forms import MESSAGE_KINDS, Form, Values, message_problem
from sciatica_care.web.rendering import many, number, render, see_other, text

router = APIRouter(include_in_schema=False)


def learn(code: str) -> learn_topics.Topic | None:
    """The Learn page that explains a plan code, if there is one."""
    slug = learn_topics.link_for(code)
    return None if slug is None else learn_topics.topic(slug)


def triage_alert(plan: CarePlan, *, every_sign: bool = False) -> dict[str, Any] | None:
    """The plan's emergency or urgent triage as the alert a client page opens with.

    With `every_sign` (just after a check-in raised it) the alert lists what to do for every
    current emergency and urgent sign, the most severe first; else for the signs at its level.
    """
    triage = plan.triage
    if triage.level not in ALERT_LEVELS:
        return None
    if not every_sign:
        found = [f.action for f in triage.findings if f.level == triage.level and not f.cleared]
        return {"level": triage.level, "actions": found or [triage.action]}
    actions = [triage.action]
    for level in ALERT_LEVELS:
        for finding in triage.findings:
            if finding.level == level and not finding.cleared and finding.action not in actions:
                actions.append(finding.action)
    return {"level": triage.level, "actions": actions}


def pain_chart(course: list[DayCourse], *, small: bool = False) -> str:
    """Leg and back pain over time as an SVG line chart, sessions marked."""
    leg = [Point(d.date, d.leg_pain) for d in course if d.leg_pain is not None]
    back = [Point(d.date, d.back_pain) for d in course if d.back_pain is not None]
    return line_chart(
        title="My leg and back pain over time",
        series=[("Leg pain", leg), ("Back pain", back)],
        y_max=10,
        y_label="Pain, 0 to 10",
        markers=[d.date for d in course if d.session],
        marker_label="session",
        width=360 if small else 420,
        height=220 if small else 260,
    )


def _today_page(
    request: Request,
    db: Session,
    user: User,
    client: Client,
    protocol: Protocol,
    day: date,
    *,
    values: Values | None = None,
    problems: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    plan = client_home.current_plan(db, client, protocol, day, state(request).plans)
    # The link only marks the alert as just recorded; the alert itself comes from the plan.
    just_recorded = request.query_params.get("alert") in ALERT_LEVELS
    alert = triage_alert(plan, every_sign=just_recorded)
    # Nothing is answered for the client: "None of these" and "no flare" are theirs to tick.
    default = Values.defaults()
    context = {
        "title": "Today",
        "nav": "me",
        "client": client,
        "plan": plan,
        "alert": alert,
        "just_recorded": just_recorded and alert is not None,
        "signs": client_home.warning_signs(protocol),
        "values": values or default,
        "problems": problems or {},
        "saved": request.query_params.get("saved") == "1",
        "next_session": client_home.next_session(db, client, plan, day),
        "chart": pain_chart(client_home.pain_course(db, client), small=True),
        "unread": client_home.unread_count(db, client, user),
        "learn": learn,
    }
    return render(request, "client/today.html", context, status=status)


@router.get("/me")
def today_page(
    request: Request, user: Reader, client: OwnClient, db: ReadDb, state: State, today: Today
) -> Response:
    """The client's start page: check in, today's self-care, next session, a small chart."""
    return _today_page(request, db, user, client, state.protocol, today)


@router.post("/me/check-in")
def check_in(
    request: Request,
    user: Writer,
    client: OwnClientWriting,
    db: WriteDb,
    state: State,
    form: Form,
    now: Now,
    today: Today,
) -> Response:
    """Stores a check-in; a reported warning sign answers first with what to do."""
    answers = CheckIn(
        leg_pain=number(form, "leg_pain"),
        back_pain=number(form, "back_pain"),
        flare={"yes": True, "no": False}.get(text(form, "flare") or ""),
        self_care=tuple(many(form, "self_care")),
        note=text(form, "note"),
        signs=tuple(many(form, "signs")),
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
                now=now,
                today=today,
            )
        except InputProblems as error:
            problems = {"form": "; ".join(error.problems)}
        else:
            if recorded.alert is None:
                return see_other("/me?saved=1")
            return see_other(f"/me?alert={recorded.alert.level}")
    return _today_page(
        request,
        db,
        user,
        client,
        state.protocol,
        today,
        values=Values.of(form),
        problems=problems,
        status=422,
    )


@router.get("/me/plan")
def plan_page(
    request: Request, client: OwnClient, db: ReadDb, state: State, today: Today
) -> Response:
    """My plan in plain words, safety first, each part linked to the Learn page about it."""
    plan = client_home.current_plan(db, client, state.protocol, today, state.plans)
    context = {
        "title": "My plan",
        "nav": "plan",
        "plan": plan,
        "alert": triage_alert(plan),
        "next_session": client_home.next_session(db, client, plan, today),
        "learn": learn,
    }
    return render(request, "client/plan.html", context)


@router.get("/me/progress")
def progress_page(
    request: Request, client: OwnClient, db: ReadDb, state: State, today: Today
) -> Response:
    """My pain over time as a chart, with the same readings as a table."""
    plan = client_home.current_plan(db, client, state.protocol, today, state.plans)
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
    client: Client,
    now: datetime,
    *,
    values: Values | None = None,
    problems: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    if status == 200:
        client_home.mark_read(db, client=client, reader=user, now=now)
    context = {
        "title": "Messages",
        "nav": "messages",
        "posts": client_home.thread(db, client),
        "values": values or Values({}),
        "problems": problems or {},
        "sent": request.query_params.get("sent"),
    }
    return render(request, "client/messages.html", context, status=status)


@router.get("/me/messages")
def messages_page(
    request: Request, user: Reader, client: OwnClientWriting, db: WriteDb, now: Now
) -> Response:
    """Messages with my therapist (marked read as I see them) and my note before a session."""
    return _messages_page(request, db, user, client, now)


@router.post("/me/messages")
def send_message(
    request: Request, user: Writer, client: OwnClientWriting, db: WriteDb, form: Form, now: Now
) -> Response:
    """Sends a message to my care team, or a "what hurts today" note for my next session."""
    sent = Values.of(form)
    kind, body = sent.get("kind") or "message", sent.get("body")
    problem = message_problem(kind, body)
    if problem is not None:
        field = kind if kind in MESSAGE_KINDS else "message"
        return _messages_page(
            request,
            db,
            user,
            client,
            now,
            values=Values.defaults(**{field: body}),
            problems={field: problem},
            status=422,
        )
    add_message(db, client=client, sender=user, body=body, kind=kind, now=now)
    return see_other(f"/me/messages?sent={kind}")
