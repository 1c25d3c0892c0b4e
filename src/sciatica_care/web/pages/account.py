"""Signing in and out, the first admin's one-time set-up link, and the start page."""

import secrets
from datetime import datetime
from ipaddress import ip_address
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from sciatica_care.db.models import User
from sciatica_care.services import accounts
from sciatica_care.services.audit import audit
from sciatica_care.services.errors import InputProblems, ServiceError
from sciatica_care.services.sign_in import (
    SESSION_TTL,
    clear_failures,
    end_session,
    record_failure,
    sign_in_problems,
    start_session,
    too_many_failures,
)
from sciatica_care.web.deps import Now, ReadDb, Reader, WriteDb, Writer, signed_in_or_none, state
from sciatica_care.web.rendering import render, see_other
from sciatica_care.web.security import FORM_COOKIE, SESSION_COOKIE, same_token

router = APIRouter(include_in_schema=False)
HOME = {"admin": "/dashboard", "therapist": "/dashboard", "client": "/me"}


def _form_csrf(request: Request) -> str:
    """The CSRF token of a form shown before sign-in: kept in a cookie of its own."""
    return request.cookies.get(FORM_COOKIE) or secrets.token_urlsafe(32)


def _with_form_cookie(request: Request, response: Response, token: str) -> Response:
    response.set_cookie(
        FORM_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=state(request).settings.secure_cookies,
        max_age=3600,
    )
    return response


def _check_form_csrf(request: Request, given: str) -> None:
    if not same_token(given, request.cookies.get(FORM_COOKIE)):
        raise HTTPException(403, "the form expired: reload the page and try again")


def _address(request: Request) -> str:
    """The client's address (behind a trusted proxy, the one it names)."""
    return request.client.host if request.client else "unknown"


def _pause_if_too_many(db: Session, email: str, address: str, now: datetime, what: str) -> None:
    """429 while password guesses for this account or from this address are paused."""
    if too_many_failures(db, email=email, address=address, now=now):
        raise HTTPException(
            429, f"{what}: wait 15 minutes and try again", headers={"retry-after": "900"}
        )


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site (no //host or scheme): never an open redirect."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


@router.get("/")
def start(request: Request, db: ReadDb, now: Now) -> Response:
    """Signed in: your home page; otherwise the sign-in page."""
    found = signed_in_or_none(request, db, now)
    return see_other(HOME[found.user.role] if found else "/login")


@router.get("/login")
def login_page(request: Request, next: str | None = None) -> Response:
    """The sign-in form."""
    token = _form_csrf(request)
    page = render(
        request,
        "login.html",
        {"title": "Sign in", "form_csrf": token, "next": _safe_next(next) or "", "email": ""},
    )
    return _with_form_cookie(request, page, token)


@router.post("/login")
def login(
    request: Request,
    db: WriteDb,
    now: Now,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    """Signs in; failures are counted per account and per address and then paused."""
    _check_form_csrf(request, csrf_token)
    address = _address(request)
    email = accounts.normal_email(email)
    if problems := sign_in_problems(email=email, password=password):
        context = {
            "title": "Sign in",
            "form_csrf": _form_csrf(request),
            "next": _safe_next(next) or "",
            "email": email,
            "error": "; ".join(problems).capitalize(),
        }
        return render(request, "login.html", context, status=422)
    _pause_if_too_many(db, email, address, now, "too many failed sign-ins")
    user = accounts.authenticate(db, email, password)
    if user is None:
        record_failure(db, email=email, address=address, now=now)
        token = _form_csrf(request)
        context = {
            "title": "Sign in",
            "form_csrf": token,
            "next": _safe_next(next) or "",
            "email": email,
            "error": "That email and password do not match an account.",
        }
        return render(request, "login.html", context, status=401)
    clear_failures(db, email=email, address=address)
    session_token = start_session(db, user, now=now)
    audit(db, actor=user.email, action="sign_in", record=user, client_id=None, now=now)
    response = see_other(_safe_next(next) or HOME[user.role])
    _set_session_cookie(request, response, session_token)
    response.delete_cookie(FORM_COOKIE)
    return response


@router.post("/logout")
def logout(
    request: Request, db: WriteDb, now: Now, csrf_token: Annotated[str, Form()] = ""
) -> Response:
    """Signs this browser out."""
    found = signed_in_or_none(request, db, now)
    if found is not None and not same_token(csrf_token, found.csrf_token):
        raise HTTPException(403, "the form expired: reload the page and try again")
    cookie = state(request).signer.unsign(request.cookies.get(SESSION_COOKIE), SESSION_TTL)
    if cookie is not None:
        end_session(db, cookie)
    if found is not None:
        user = found.user
        audit(db, actor=user.email, action="sign_out", record=user, client_id=None, now=now)
    response = see_other("/login")
    response.delete_cookie(SESSION_COOKIE)
    return response


# Headers that say the request came through a proxy: from a browser on another machine.
FORWARDED = ("x-forwarded-for", "forwarded", "x-real-ip")


def _local_only(request: Request) -> None:
    """Refuse (404) a request that is not from a browser on this machine.

    Behind a trusted proxy the client is the one X-Forwarded-For names; a forwarded request is
    never local, so a proxy on this machine that is not named in SCIATICA_TRUSTED_PROXIES does
    not open the set-up link to everyone it forwards.
    """
    host = request.client.host if request.client else ""
    if any(name in request.headers for name in FORWARDED):
        host = ""
    try:
        local = ip_address(host).is_loopback
    except ValueError:
        local = host in ("localhost", "testclient")
    if not local:
        raise HTTPException(404, "Not Found")


@router.get("/setup/{secret}")
def setup_page(request: Request, secret: str, db: ReadDb, now: Now) -> Response:
    """The first admin's one-time set-up form (only from this machine)."""
    _local_only(request)
    try:
        accounts.check_setup_link(db, secret, now=now)
    except ServiceError as error:
        raise HTTPException(404, str(error)) from None
    token = _form_csrf(request)
    context = {"title": "Set up", "form_csrf": token, "clinic": "", "email": ""}
    return _with_form_cookie(request, render(request, "setup.html", context), token)


@router.post("/setup/{secret}")
def setup(
    request: Request,
    secret: str,
    db: WriteDb,
    now: Now,
    clinic: Annotated[str, Form(max_length=200)] = "",
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Creates the first admin and signs them in; the link is spent."""
    _local_only(request)
    try:
        accounts.check_setup_link(db, secret, now=now)
    except ServiceError as error:
        raise HTTPException(404, str(error)) from None
    _check_form_csrf(request, csrf_token)
    try:
        user = accounts.set_up_first_admin(
            db, secret, clinic_name=clinic, email=email, password=password, now=now
        )
    except InputProblems as error:
        token = _form_csrf(request)
        context = {
            "title": "Set up",
            "form_csrf": token,
            "clinic": clinic,
            "email": email,
            "problems": error.problems,
        }
        return render(request, "setup.html", context, status=422)
    except ServiceError as error:
        raise HTTPException(404, str(error)) from None
    session_token = start_session(db, user, now=now)
    response = see_other("/dashboard")
    _set_session_cookie(request, response, session_token)
    return response


@router.get("/account/password")
def password_page(request: Request, user: Reader, saved: str | None = None) -> Response:
    """The form to change one's own password."""
    context = {"title": "Change your password", "saved": saved is not None}
    return render(request, "password.html", context)


@router.post("/account/password")
def change_password(
    request: Request,
    db: WriteDb,
    user: Writer,
    now: Now,
    current: Annotated[str, Form(max_length=1024)] = "",
    new: Annotated[str, Form(max_length=1024)] = "",
    again: Annotated[str, Form(max_length=1024)] = "",
) -> Response:
    """Changes one's own password; every browser signed in as this user is signed out, then
    this one is signed in again. Wrong current passwords count as failed sign-ins do."""
    address = _address(request)
    _pause_if_too_many(db, user.email, address, now, "too many wrong current passwords")
    problems = []
    if accounts.authenticate(db, user.email, current) is None:
        record_failure(db, email=user.email, address=address, now=now)
        problems.append("current: that is not your current password")
    problems += [p.replace("password:", "new:", 1) for p in accounts.password_problems(new)]
    if new != again:
        problems.append("again: the two new passwords differ")
    if problems:
        context = {"title": "Change your password", "problems": problems}
        return render(request, "password.html", context, status=422)
    account = db.get_one(User, user.id)
    accounts.set_password(db, account, new, actor=user.email, now=now)
    clear_failures(db, email=user.email, address=address)
    response = see_other("/account/password?saved=1")
    _set_session_cookie(request, response, start_session(db, account, now=now))
    return response


def _set_session_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        state(request).signer.sign(token),
        max_age=int(SESSION_TTL.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=state(request).settings.secure_cookies,
    )
