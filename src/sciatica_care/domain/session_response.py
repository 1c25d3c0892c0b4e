"""How leg pain answers each technique: from before the session to the diary 1-3 days later."""

from collections import defaultdict
from datetime import date, timedelta
from fractions import Fraction

from sciatica_care.domain.codes import TECHNIQUES
from sciatica_care.domain.history import History
from sciatica_care.domain.instruments import round_half_up
from sciatica_care.domain.plan import TechniqueResponse
from sciatica_care.domain.protocol import Protocol


def session_response(history: History, protocol: Protocol) -> tuple[TechniqueResponse, ...]:
    """Per technique, the mean change in leg pain after its sessions and how many it rests on."""
    rule = protocol.rule("session_response.diary_after_session")
    days = range(rule.number("from_day"), rule.number("to_day") + 1)
    diary: dict[date, list[int]] = defaultdict(list)
    for entry in history.diary:
        if entry.leg_pain is not None:
            diary[entry.date].append(entry.leg_pain)
    totals: dict[str, Fraction] = {}
    counts: dict[str, int] = {}
    for session in history.sessions:
        if session.pain_before is None or not session.techniques:
            continue
        after = [p for d in days for p in diary.get(session.date + timedelta(days=d), ())]
        if not after:
            continue
        change = Fraction(sum(after), len(after)) - session.pain_before
        for technique in dict.fromkeys(session.techniques):
            totals[technique] = totals.get(technique, Fraction(0)) + change
            counts[technique] = counts.get(technique, 0) + 1
    return tuple(
        TechniqueResponse(
            technique=technique,  # type: ignore[arg-type]
            mean_leg_pain_change=round_half_up(totals[technique] / counts[technique]),
            sessions=counts[technique],
            rule=rule.id,
        )
        for technique in TECHNIQUES
        if technique in counts
    )
