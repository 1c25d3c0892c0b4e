"""Session cadence: weekly at first, every two weeks, then monthly; weekly again on a flare or a
relapse; discharge to self-management once recovery has held."""

from datetime import date, timedelta

from sciatica_care.domain.history import History
from sciatica_care.domain.plan import Cadence
from sciatica_care.domain.progress import (
    IMPROVED_OR_BETTER,
    MUCH_IMPROVED_OR_BETTER,
    Thresholds,
    held_days,
)
from sciatica_care.domain.protocol import Protocol
from sciatica_care.domain.readings import Reading

_STEPS = (
    ("cadence.maintenance", "monthly", "maintenance", MUCH_IMPROVED_OR_BETTER),
    ("cadence.step_down", "every_2_weeks", "step_down", IMPROVED_OR_BETTER),
)


def last_session_date(history: History) -> date | None:
    """The date of the most recent session."""
    return max((s.date for s in history.sessions), default=None)


def cadence(
    history: History,
    found: list[Reading],
    status: str,
    t: Thresholds,
    *,
    flare: bool,
    hold: bool,
    today: date,
    protocol: Protocol,
    relapse: bool = False,
    discharge: bool = False,
) -> Cadence:
    """How often to meet and when next, from measured progress."""
    if hold:
        rule = protocol.rule("cadence.on_hold")
        return Cadence(
            interval="on_hold",
            interval_days=None,
            phase="on_hold",
            next_session=None,
            rule=rule.id,
            reason=rule.text,
        )
    rule_id, interval, phase = "cadence.initial", "weekly", "initial"
    if relapse:
        rule_id = "cadence.relapse"
    elif flare:
        rule_id = "cadence.flare"
    elif discharge:
        rule_id, interval, phase = "cadence.discharge", "monthly", "maintenance"
    elif status in IMPROVED_OR_BETTER:
        for step_id, step_interval, step_phase, statuses in _STEPS:
            held = protocol.rule(step_id).number("held_days")
            if status in statuses and held_days(found, statuses, t) >= held:
                rule_id, interval, phase = step_id, step_interval, step_phase
                break
    rule = protocol.rule(rule_id)
    days = rule.number("interval_days")
    last = last_session_date(history)
    upcoming = today if last is None else max(today, last + timedelta(days=days))
    return Cadence(
        interval=interval,  # type: ignore[arg-type]
        interval_days=days,
        phase=phase,  # type: ignore[arg-type]
        next_session=upcoming,
        rule=rule.id,
        reason=rule.text,
    )
