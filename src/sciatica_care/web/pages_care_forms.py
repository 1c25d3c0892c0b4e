"""Care-team forms: new client, intake and screening, clearance, assessment, session note, booking."""

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
