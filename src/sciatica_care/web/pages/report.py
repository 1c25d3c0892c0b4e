"""The report for the doctor as a PDF download, for the client's care team."""

from urllib.parse import quote

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from sciatica_care.sharing.report.facts import doctor_report
from sciatica_care.sharing.report.pdf import render
from sciatica_care.web.access_deps import CareTeamClient
from sciatica_care.web.deps import ReadDb, Today, state

router = APIRouter(include_in_schema=False)


@router.get("/clients/{client_id:id}/report.pdf")
async def report_pdf(
    request: Request, client: CareTeamClient, db: ReadDb, today: Today
) -> Response:
    """The client's report for the doctor (admins and the client's therapists)."""
    app = state(request)
    facts = doctor_report(db, client=client, today=today, protocol=app.protocol, plans=app.plans)
    pdf = await run_in_threadpool(render, facts)  # typesetting takes a while: off the event loop
    name = f"{client.name}-report.pdf"
    fallback = "".join(c if c.isascii() and (c.isalnum() or c in " .-_") else "_" for c in name)
    disposition = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"
    headers = {"content-disposition": disposition, "cache-control": "no-store"}
    return Response(pdf, media_type="application/pdf", headers=headers)
