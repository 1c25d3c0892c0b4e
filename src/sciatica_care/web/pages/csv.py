"""Sharing as CSV: a client's diary, assessments and sessions as a zip of three tables.

The care team downloads a client's from the client page; a client downloads their own (a subject
access copy in a form spreadsheets open). Client accounts get 403 on the care team's route.
"""

from fastapi import APIRouter
from starlette.responses import Response

from sciatica_care.db.models import Client
from sciatica_care.sharing.csv.export import client_zip
from sciatica_care.web.access_deps import CareTeamClient, OwnClient
from sciatica_care.web.deps import ReadDb

router = APIRouter(include_in_schema=False)
ZIP_MEDIA = "application/zip"


def _download(db: ReadDb, client: Client) -> Response:
    """The zip as an attachment, named by the client's id (names may hold any character)."""
    headers = {
        "content-disposition": f'attachment; filename="client-{client.id}-records.zip"',
        "cache-control": "no-store",
    }
    return Response(client_zip(db, client), media_type=ZIP_MEDIA, headers=headers)


@router.get("/clients/{client_id:id}/export.zip")
def client_export_zip(client: CareTeamClient, db: ReadDb) -> Response:
    """A client's diary, assessments and sessions as CSV files in a zip (care team)."""
    return _download(db, client)


@router.get("/me/export.zip")
def my_export_zip(client: OwnClient, db: ReadDb) -> Response:
    """The signed-in client's own diary, assessments and sessions as CSV files in a zip."""
    return _download(db, client)
