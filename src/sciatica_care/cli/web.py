"""The web app's commands: serve it, add accounts, make API tokens, fill a demo clinic."""

import sys
from typing import Annotated

import typer

from sciatica_care.cli.records import DbOption
from sciatica_care.cli.support import actor, clock, fail, store

user_app = typer.Typer(help="Add accounts that sign in to the web app.", no_args_is_help=True)
token_app = typer.Typer(help="Create and revoke API bearer tokens.", no_args_is_help=True)


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option(help="Worker processes (use PostgreSQL for more than one).")
    ] = 1,
    db: DbOption = None,
) -> None:
    """Serve the web app and the JSON API (OpenAPI at /docs).

    With no account yet, prints a one-time link that lets the first admin choose a password.

    Example: sciatica serve --port 8000
    """
    import os

    import uvicorn

    from sciatica_care.services.accounts import create_setup_link, user_count

    if db:
        os.environ["SCIATICA_DATABASE_URL"] = db
    if workers < 1:
        fail([f"--workers: must be at least 1, got {workers}"])
    with store(db) as session:
        link = None if user_count(session) else create_setup_link(session, now=clock().now())
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    address = f"http://{shown}:{port}"
    typer.echo(f"sciatica-care is serving at {address}/  (API: {address}/docs)")
    if clock().fixed is not None:
        sys.stderr.write("warning: SCIATICA_FIXED_NOW pins the clock: the date will not change\n")
    if link:
        typer.echo(
            f"No account yet. Open this link on this machine to set up the first admin "
            f"(it works once, for 24 hours):\n  {address}/setup/{link}"
        )
    sys.stdout.flush()
    uvicorn.run(
        "sciatica_care.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        proxy_headers=False,
    )


@user_app.command("add")
def user_add(
    email: Annotated[str, typer.Argument(help="The email they sign in with.")],
    role: Annotated[str, typer.Option(help="admin, therapist or client.")],
    clinic: Annotated[
        str | None, typer.Option(help="Clinic name (made if new; default: the first).")
    ] = None,
    client: Annotated[
        str | None, typer.Option("--client", help="For a client account: their client record.")
    ] = None,
    name: Annotated[str | None, typer.Option(help="Name shown to others.")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Add an account. Without --password-stdin, asks for the password twice.

    Example: sciatica user add ana@clinic.example --role therapist --password-stdin < pw.txt
    """
    from sciatica_care.db.models import Clinic
    from sciatica_care.services.accounts import add_user, find_or_make_clinic
    from sciatica_care.services.clients import find_client

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    options = {"email": "EMAIL", "role": "--role", "clinic": "--clinic", "name": "--name"}
    with store(db, {**options, "client": "--client", "password": "the password"}) as session:
        record = find_client(session, client) if client else None
        if record is not None and clinic is None:
            where = session.get_one(Clinic, record.clinic_id)
        else:
            where = find_or_make_clinic(session, clinic, now=clock().now())
        user = add_user(
            session,
            email=email,
            role=role,
            password=password,
            clinic=where,
            actor=actor(),
            now=clock().now(),
            name=name,
            client=record,
        )
        typer.echo(f"added {user.role} {user.email} (id {user.id})")


@user_app.command("list")
def user_list(db: DbOption = None) -> None:
    """List accounts with their role and clinic.

    Example: sciatica user list
    """
    from sqlalchemy import select

    from sciatica_care.db.models import Clinic, User

    with store(db) as session:
        rows = session.execute(
            select(User, Clinic.name).join(Clinic, Clinic.id == User.clinic_id).order_by(User.id)
        )
        for user, clinic in rows:
            state = " (disabled)" if user.disabled_at else ""
            typer.echo(f"{user.id}\t{user.email}\t{user.role}\t{clinic}{state}")


@token_app.command("create")
def token_create(
    email: Annotated[str, typer.Argument(help="The account the token acts as.")],
    label: Annotated[str | None, typer.Option(help="What the token is for.")] = None,
    days: Annotated[
        int, typer.Option(min=1, help="Days until it stops working (default: a year).")
    ] = 365,
    never_expires: Annotated[
        bool, typer.Option("--never-expires", help="It works until revoked.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Create an API bearer token and print it (shown once; stored hashed).

    It stops working after --days (365 unless given), or only when revoked with --never-expires.

    Example: sciatica token create ana@clinic.example --label "reporting script" --days 90
    """
    from datetime import timedelta

    from sciatica_care.services.accounts import create_api_token, find_user

    now = clock().now()
    expires_at = None if never_expires else now + timedelta(days=days)
    with store(db, {"email": "EMAIL", "label": "--label"}) as session:
        row, secret = create_api_token(
            session,
            find_user(session, email),
            label=label,
            actor=actor(),
            now=now,
            expires_at=expires_at,
        )
        until = "until revoked" if expires_at is None else f"until {expires_at:%Y-%m-%d %H:%M} UTC"
        sys.stderr.write(
            f"token {row.id} for {email}, working {until}; use it as: Authorization: Bearer"
            " <token>\n"
        )
        typer.echo(secret)


@token_app.command("revoke")
def token_revoke(
    token_id: Annotated[int, typer.Argument(help="The token's id (printed when created).")],
    db: DbOption = None,
) -> None:
    """Revoke an API token; it stops working at once.

    Example: sciatica token revoke 3
    """
    from sciatica_care.services.accounts import revoke_api_token

    with store(db) as session:
        revoke_api_token(session, token_id, actor=actor(), now=clock().now())
        typer.echo(f"token {token_id} revoked")


def register(app: typer.Typer) -> None:
    """Adds the web app's commands to the main command line."""
    app.command()(serve)
    app.add_typer(user_app, name="user")
    app.add_typer(token_app, name="token")
