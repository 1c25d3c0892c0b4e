"""Histories to export in the FHIR tests: the shipped example and the public scenarios."""

import json
from datetime import date, time
from typing import Any

from sciatica_care.domain.plan import CarePlan
from sciatica_care.engine import default_protocol
from sciatica_care.services.client_views import Booking
from sciatica_care.services.planning import plan_of
from sciatica_care.sharing.fhir.export import fhir_bundle
from tests.paths import EXAMPLE, shared_dir

BOOKING = Booking(date(2026, 3, 9), time(10, 30), "Kim", None)


def cases() -> list[tuple[str, dict[str, Any], date]]:
    """(name, history@1 document without `today`, the day to plan it on) for every case."""
    example = json.loads(EXAMPLE.read_text())
    found = [("example", example, date.fromisoformat(example.pop("today")))]
    for path in sorted((shared_dir() / "scenarios").glob("*.json")):
        scenario = json.loads(path.read_text())
        if "expect" in scenario:
            found.append((path.stem, scenario["history"], date.fromisoformat(scenario["today"])))
    return found


def plan_for(history: dict[str, Any], today: date) -> CarePlan:
    """The engine's plan of a history on a day, with the shipped protocol."""
    return plan_of(history, today=today, protocol=default_protocol())


def bundle_for(history: dict[str, Any], today: date, booking: Booking | None = BOOKING) -> Any:
    """The Bundle of a history as of `today`, with a booking."""
    return fhir_bundle(
        key="client-1",
        name="Ada Lovelace",
        history=history,
        plan=plan_for(history, today),
        booking=booking,
        protocol=default_protocol(),
    )
