"""What every page shares: rendering a template for the signed-in user, form values, redirects."""

from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from sciatica_care.services.sign_in import SignedIn
from sciatica_care.web.deps import state


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
) -> Response:
    """A page, with the signed-in user (`me`) and their CSRF token (`csrf`) in its context."""
    signed_in: SignedIn | None = getattr(request.state, "signed_in", None)
    full = {
        "me": None if signed_in is None else signed_in.user,
        "csrf": None if signed_in is None else signed_in.csrf_token,
        **(context or {}),
    }
    return state(request).templates.TemplateResponse(request, template, full, status_code=status)


def see_other(url: str) -> RedirectResponse:
    """After a form: go to `url` with GET."""
    return RedirectResponse(url, status_code=303)


def text(form: FormData, name: str) -> str | None:
    """A form field as stripped text, None when empty or missing."""
    value = form.get(name)
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip()


def number(form: FormData, name: str) -> int | str | None:
    """A form field as an integer when it is one; other text is kept so the check can name it."""
    value = text(form, name)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return value


def many(form: FormData, name: str) -> list[str]:
    """Every non-empty value of a repeated field (checkboxes)."""
    return [v.strip() for v in form.getlist(name) if isinstance(v, str) and v.strip()]
