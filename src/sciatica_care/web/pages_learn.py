"""Learn: short pages in plain words, open to everyone signed in."""

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
