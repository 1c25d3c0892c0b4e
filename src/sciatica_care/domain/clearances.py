"""Which clearances are in force today, for which finding, and why the others no longer are.

Protocol 2026.2, C1 to C4: a clearance names its clinician; it covers its finding only as screened
on or before its date (a run of screenings that list it, unbroken since); a new related finding
voids it; it expires (on its own date, or the protocol's default after it); and it may set
conditions that the plan obeys.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sciatica_care.domain.answers import full_answers
from sciatica_care.domain.answers import run_start as runs_since
from sciatica_care.domain.history import Clearance, History, finding_code
from sciatica_care.domain.protocol import Protocol
from sciatica_care.domain.text import named


@dataclass(frozen=True, slots=True)
class InForce:
    """A clearance that covers its finding today, with the day it lapses."""

    clearance: Clearance
    expires: date


def expiry(clearance: Clearance, protocol: Protocol) -> date:
    """The last day a clearance covers: its own expiry, else the protocol's default after it."""
    if clearance.expires is not None:
        return clearance.expires
    return clearance.date + timedelta(days=protocol.rule("triage.cleared").number("valid_days"))


def run_start(history: History, code: str) -> date | None:
    """The first date of the finding's current run (`answers.run_start`), or when only check-ins
    after the latest full screening list it, the first of them."""
    answered = full_answers(history)
    start = runs_since(answered, code)
    if start is None:
        latest = answered[0].date if answered else None
        check_ins = [
            s.date
            for s in history.screenings
            if s.source == "check_in"
            and (latest is None or s.date >= latest)
            and any(finding_code(f) == code for f in s.findings)
        ]
        start = min(check_ins, default=None)
    return start


def clearances_in_force(
    history: History,
    found: dict[str, tuple[str, ...]],
    protocol: Protocol,
    today: date | None,
) -> tuple[dict[str, InForce], tuple[str, ...]]:
    """The clearance in force for each current finding, and why a clinician's latest clearance of
    a current finding no longer covers it (expired, not this run of it, a new related finding)."""
    if not history.clearances:
        return {}, ()
    latest: dict[str, Clearance] = {}
    for clearance in sorted(history.clearances, key=lambda c: c.date):
        if clearance.finding in found and named(clearance.by):
            latest[clearance.finding] = clearance
    covering: dict[str, InForce] = {}
    lapsed: list[str] = []
    groups = protocol.rule("triage.cleared").groups("related")
    for code, clearance in latest.items():
        why = _lapsed(history, code, clearance, found, groups, protocol, today)
        if why is None:
            covering[code] = InForce(clearance=clearance, expires=expiry(clearance, protocol))
        else:
            lapsed.append(why)
    return covering, tuple(lapsed)


def _lapsed(
    history: History,
    code: str,
    clearance: Clearance,
    found: dict[str, tuple[str, ...]],
    groups: tuple[tuple[str, ...], ...],
    protocol: Protocol,
    today: date | None,
) -> str | None:
    """Why this clearance no longer covers `code`, or None when it does."""
    what = f"The clearance of {code} on {clearance.date.isoformat()} by {clearance.by}"
    ends = expiry(clearance, protocol)
    if today is not None and today > ends:
        return f"{what} expired on {ends.isoformat()}: it clears nothing now."
    start = run_start(history, code)
    if start is not None and start > clearance.date:
        return (
            f"{what} does not cover {code} as screened since {start.isoformat()} (a screening "
            "in between did not list it): a recurrence needs a new clearance."
        )
    for group in groups:
        if code not in group:
            continue
        for other in group:
            if other == code or other not in found:
                continue
            began = run_start(history, other)
            if began is not None and began > clearance.date:
                return (
                    f"{what} does not cover {other}, first listed on {began.isoformat()}, after "
                    "it: a new related finding needs a new clearance."
                )
    return None
