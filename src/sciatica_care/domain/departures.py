"""How a recorded session went beyond the plan: it is stored as done, and said plainly."""

from collections.abc import Sequence
from dataclasses import dataclass

from sciatica_care.domain.codes import PRESSURES
from sciatica_care.domain.plan import CarePlan


@dataclass(frozen=True, slots=True)
class Departure:
    """One way a session went beyond the plan, and the plan's rules it went past."""

    text: str
    rules: tuple[str, ...]


def departures(
    plan: CarePlan, *, techniques: Sequence[str], pressure: str | None
) -> list[Departure]:
    """Each way a session with these techniques and pressure goes beyond the plan."""
    massage = plan.massage
    rules = tuple(dict.fromkeys(reason.rule for reason in massage.reasons))
    if massage.status == "on_hold":
        if techniques or pressure:
            return [Departure(f"The plan has massage on hold: {plan.triage.action}", rules)]
        return []
    found = [
        Departure(f"{technique.replace('_', ' ')} is not in the plan's techniques", rules)
        for technique in techniques
        if technique not in massage.techniques
    ]
    top = massage.max_pressure
    above = pressure in PRESSURES and top is not None
    if above and PRESSURES.index(str(pressure)) > PRESSURES.index(str(top)):
        found.append(Departure(f"{pressure} pressure is above the plan's most ({top})", rules))
    return found
