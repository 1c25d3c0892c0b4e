"""Which clients need the care team's attention, and in what order: red flags first.

A client is ranked by their most severe concern; each concern names the plan rule behind it.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sciatica_care.domain.codes import is_alert
from sciatica_care.domain.plan import CarePlan

# Lower is more severe; a client is ranked by their most severe concern.
SEVERITY = {
    "emergency": 0,
    "urgent": 1,
    "see_doctor": 2,
    "worse": 3,
    "review": 4,
    "overdue": 5,
    "unscreened": 6,
}
RED_FLAGS = ("emergency", "urgent", "see_doctor")


@dataclass(frozen=True, slots=True)
class Concern:
    """One reason a client needs attention: what it is, why, and the rule that says so."""

    kind: str
    label: str
    detail: str
    rule: str

    @property
    def severity(self) -> int:
        """Its rank: 0 is the most severe."""
        return SEVERITY[self.kind]


@dataclass(frozen=True, slots=True)
class Attention:
    """A client who needs attention, with every concern, most severe first."""

    client_id: int
    name: str
    concerns: tuple[Concern, ...]

    @property
    def severity(self) -> int:
        """The rank of the most severe concern."""
        return self.concerns[0].severity

    @property
    def red_flag(self) -> bool:
        """Whether an emergency or urgent sign is among the concerns."""
        return is_alert(self.concerns[0].kind)


def concerns(
    plan: CarePlan, *, last_session: date | None, booked: bool, today: date
) -> tuple[Concern, ...]:
    """What in a plan needs the care team's attention, most severe first.

    A session is overdue when the plan's interval has passed since the last one and nothing is
    booked (the plan itself never dates the next session before today).
    """
    found: list[Concern] = []
    triage = plan.triage
    if triage.level in RED_FLAGS or triage.level == "unscreened":
        label = {
            "emergency": "Emergency",
            "urgent": "Urgent",
            "see_doctor": "See a doctor",
            "unscreened": "Not screened yet",
        }[triage.level]
        found.append(Concern(triage.level, label, triage.action, triage.rule))
    progress = plan.progress
    if progress.status == "worse":
        found.append(Concern("worse", "Worsening", progress.reason, progress.rule))
    for item in plan.review:
        label = "Review: " + item.code.replace("_", " ")
        found.append(Concern("review", label, item.action, item.rule))
    cadence = plan.cadence
    if cadence.interval_days is not None and last_session is not None and not booked:
        due = last_session + timedelta(days=cadence.interval_days)
        if due < today:
            detail = f"A session was due on {due.isoformat()} and none is booked."
            found.append(Concern("overdue", "Session overdue", detail, cadence.rule))
    return tuple(sorted(found, key=lambda concern: concern.severity))


def ranked(clients: list[Attention]) -> list[Attention]:
    """Most severe first, then by name (case aside), then by id, so the order never wavers."""
    return sorted(clients, key=lambda item: (item.severity, item.name.lower(), item.client_id))
