"""Pages for the care team (therapists and admins): dashboard, client list, client page."""

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from markupsafe import Markup
from starlette.responses import Response

from sciatica_care.domain.course import DayCourse
from sciatica_care.domain.protocol import Protocol
from sciatica_care.services import client_views, dashboard
from sciatica_care.services.ids import parse_id
from sciatica_care.sharing.calendar import links as calendar_links
from sciatica_care.web import charts, learn_topics
from sciatica_care.web.access_deps import CareTeamClient, CareTeamReader
from sciatica_care.web.deps import ReadDb, Today, state
from sciatica_care.web.rendering import render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
EVENTS_SHOWN = 50
MAX_QUERY = 200
# The forms of a client's record, built by the forms pages: (path under the client, label).
FORMS = (
    ("screening", "Screen for red flags"),
    ("assessment", "New assessment"),
    ("session", "Write a session note"),
    ("book", "Book a session"),
    ("clearance", "Record a clearance"),
)


@router.get("/dashboard")
def dashboard_page(request: Request, user: CareTeamReader, db: ReadDb, today: Today) -> Response:
    """Clients needing attention first; then today's and upcoming sessions."""
    protocol = state(request).protocol
    needing = dashboard.attention(
        db, user=user, today=today, protocol=protocol, plans=state(request).plans
    )
    booked = dashboard.sessions(
        db, user=user, today=today, protocol=protocol, plans=state(request).plans
    )
    context = {
        "title": "Dashboard",
        "nav": "dashboard",
        "today": today,
        "red_flags": [item for item in needing if item.red_flag],
        "attention": [item for item in needing if not item.red_flag],
        "today_sessions": [s for s in booked if s.date == today],
        "upcoming": [s for s in booked if s.date > today],
        "upcoming_days": dashboard.UPCOMING_DAYS,
    }
    return render(request, "care/dashboard.html", context)


@router.get("/clients")
def clients_page(
    request: Request, user: CareTeamReader, db: ReadDb, today: Today, q: str = "", page: str = "1"
) -> Response:
    """The clients the user may see, searched by name, with triage level and next session."""
    query = q.strip()[:MAX_QUERY]
    number = min(parse_id(page) or 1, 1_000_000)
    rows, total = client_views.client_rows(
        db,
        user=user,
        query=query or None,
        today=today,
        protocol=state(request).protocol,
        limit=PAGE_SIZE,
        offset=(number - 1) * PAGE_SIZE,
        plans=state(request).plans,
    )
    context = {
        "title": "Clients",
        "nav": "clients",
        "q": query,
        "rows": rows,
        "total": total,
        "page": number,
        "pages": max(1, -(-total // PAGE_SIZE)),
    }
    return render(request, "care/clients.html", context)


@router.get("/clients/{client_id:id}")
def client_page(
    request: Request, client: CareTeamClient, db: ReadDb, today: Today, events: str = ""
) -> Response:
    """A client's current plan with every reason, rule and source; charts; the timeline."""
    protocol = state(request).protocol
    plans = state(request).plans
    view = client_views.client_view(db, client=client, today=today, protocol=protocol, plans=plans)
    shown = view.events if events == "all" else view.events[:EVENTS_SHOWN]
    context = {
        "title": client.name,
        "nav": "clients",
        "view": view,
        "plan": view.plan,
        "events": shown,
        "all_events": len(view.events),
        "charts": course_charts(view.course),
        "forms": [(f"/clients/{client.id}/{path}", label) for path, label in FORMS],
        "cite": citer(protocol),
        "source": lambda key: protocol.sources.get(key, key),
        "rule_text": lambda rule_id: protocol.rule(rule_id).text,
        "learn": learn_href,
        "calendar_links": calendar_links.client_links(db, client_id=client.id),
    }
    return render(request, "care/client.html", context)


def citer(protocol: Protocol) -> Callable[[str], list[str]]:
    """A function giving the sources a rule cites, in full words."""

    def cite(rule_id: str) -> list[str]:
        rule = protocol.rules.get(rule_id)
        return [] if rule is None else [protocol.sources.get(s, s) for s in rule.sources]

    return cite


def learn_href(code: str) -> str | None:
    """The Learn page that explains a plan code, if there is one."""
    slug = learn_topics.link_for(code)
    return None if slug is None else f"/learn/{slug}"


def course_charts(points: Sequence[DayCourse]) -> list[dict[str, Any]]:
    """Leg and back pain, and Oswestry, over time with the session days marked."""
    sessions = [p.date for p in points if p.session]
    pain = [
        ("Leg pain", _series(points, "leg_pain")),
        ("Back pain", _series(points, "back_pain")),
    ]
    odi = [("Oswestry %", _series(points, "odi_percent"))]
    return [
        _chart("Leg and back pain over time", pain, 10, "pain score", sessions),
        _chart("Oswestry disability over time", odi, 100, "disability, %", sessions),
    ]


def _series(points: Sequence[DayCourse], field: str) -> list[charts.Point]:
    values = ((p.date, getattr(p, field)) for p in points)
    return [charts.Point(day, float(value)) for day, value in values if value is not None]


def _chart(
    title: str,
    series: list[tuple[str, list[charts.Point]]],
    y_max: float,
    y_label: str,
    sessions: list[date],
) -> dict[str, Any]:
    svg = charts.line_chart(
        title=title, series=series, y_max=y_max, y_label=y_label, markers=sessions
    )
    by_day = dict(charts.chart_table(series=series))
    for day in sessions:
        by_day.setdefault(day, [None] * len(series))
    marked = set(sessions)
    rows = [(day, by_day[day], day in marked) for day in sorted(by_day)]
    return {
        "title": title,
        "svg": Markup(svg),
        "columns": [name for name, _ in series],
        "rows": rows,
        "empty": not any(points for _, points in series),
    }
