"""Pages for the care team (therapists and admins): dashboard, clients, intake, notes."""

from fastapi import APIRouter, Request
from starlette.responses import Response

from sciatica_care.services import access
from sciatica_care.web.deps import Reader
from sciatica_care.web.pages import render

router = APIRouter(include_in_schema=False)


@router.get("/dashboard")
def dashboard(request: Request, user: Reader) -> Response:
    """Today's and upcoming sessions; clients needing attention first."""
    access.require_role(user, "admin", "therapist")
    return render(request, "care/dashboard.html", {"title": "Dashboard", "nav": "dashboard"})
