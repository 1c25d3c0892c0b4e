"""Who may use a route, and the client it works on: typed route dependencies.

Every route with a `{client_id}` takes its client from one of these, and the routes for one role
take their user from one; what each lets through is decided in `services.access` (these only call
it). A client the user may not read answers 404, as if it did not exist; a role or kind the user
may not use answers 403.

Each comes in the route's session: the plain name loads the client in the read session
(`ReadDb`), the `...Writing` name in the write session (`WriteDb`), so the route writes through
the session that holds the client.
"""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends

from sciatica_care.db.models import Client, User
from sciatica_care.services import access
from sciatica_care.web.deps import ReadDb, Reader, WriteDb, Writer


async def _admin_reader(user: Reader) -> User:
    access.require_role(user, "admin")
    return user


async def _admin_writer(user: Writer) -> User:
    access.require_role(user, "admin")
    return user


async def _care_team_reader(user: Reader) -> User:
    access.require_role(user, *access.CARE_TEAM)
    return user


async def _care_team_writer(user: Writer) -> User:
    access.require_role(user, *access.CARE_TEAM)
    return user


# The signed-in user of a route for one role (a write's with its CSRF token checked first).
AdminReader = Annotated[User, Depends(_admin_reader)]
AdminWriter = Annotated[User, Depends(_admin_writer)]
CareTeamReader = Annotated[User, Depends(_care_team_reader)]
CareTeamWriter = Annotated[User, Depends(_care_team_writer)]


async def _care_team_client(client_id: int, user: Reader, db: ReadDb) -> Client:
    return access.care_team_client(db, user, client_id)


def _care_team_client_writing(client_id: int, user: Reader, db: WriteDb) -> Client:
    return access.care_team_client(db, user, client_id)


async def _readable_client(client_id: int, user: Reader, db: ReadDb) -> Client:
    return access.readable_client(db, user, client_id)


def _readable_client_writing(client_id: int, user: Reader, db: WriteDb) -> Client:
    return access.readable_client(db, user, client_id)


async def _own_client(user: Reader, db: ReadDb) -> Client:
    return access.own_client(db, user)


def _own_client_writing(user: Reader, db: WriteDb) -> Client:
    return access.own_client(db, user)


@dataclass(frozen=True, slots=True)
class ClientWriter:
    """The `{client_id}` client, if the user may add `kind` entries to it.

    Called, it loads the client in the read session (a form's GET); `writing` loads it in the
    write session (the POST that saves the entry).
    """

    kind: str

    async def __call__(self, client_id: int, user: Reader, db: ReadDb) -> Client:
        """The client, in the read session."""
        return access.writable_client(db, user, client_id, self.kind)

    def writing(self, client_id: int, user: Reader, db: WriteDb) -> Client:
        """The client, in the write session."""
        return access.writable_client(db, user, client_id, self.kind)


def client_writer(kind: str) -> ClientWriter:
    """The dependency giving a client the user may add `kind` entries to."""
    return ClientWriter(kind)


# The care team's client: Forbidden for client accounts, NotFound outside the user's clients.
CareTeamClient = Annotated[Client, Depends(_care_team_client)]
CareTeamClientWriting = Annotated[Client, Depends(_care_team_client_writing)]
# A client the user may read: their care team, or the client's own account.
ReadableClient = Annotated[Client, Depends(_readable_client)]
ReadableClientWriting = Annotated[Client, Depends(_readable_client_writing)]
# The signed-in client's own record (no `{client_id}`): Forbidden for the care team.
OwnClient = Annotated[Client, Depends(_own_client)]
OwnClientWriting = Annotated[Client, Depends(_own_client_writing)]

# Every dependency above, for the test that each `{client_id}` route uses one.
LOADERS = frozenset(
    {
        _care_team_client,
        _care_team_client_writing,
        _readable_client,
        _readable_client_writing,
        _own_client,
        _own_client_writing,
    }
)
