"""Pages for clients, phone first: check-in, my plan, my progress, messages."""

from fastapi import APIRouter, Request
from starlette.responses import Response

from sciatica_care.services import access
from sciatica_care.web.deps import Reader
from sciatica_care.web.pages import render

router = APIRouter(include_in_schema=False)


@router.get("/me")
def today_page(request: Request, user: Reader) -> Response:
    """The client's start page: check in, today's self-care, next session."""
    access.require_role(user, "client")
    return render(request, "client/today.html", {"title": "Today", "nav": "me"})
