"""Review codes: what a clinician should look at now."""

from datetime import date

from sciatica_care.domain.plan import Review
from sciatica_care.domain.progress import IMPROVED_OR_BETTER
from sciatica_care.domain.protocol import Protocol
from sciatica_care.domain.screening import Screened


def safety_reviews(screened: Screened, protocol: Protocol) -> tuple[Review, ...]:
    """The safety-net of an emergency or urgent plan, else red-flag notes and weak clearances."""
    if screened.alert:
        rule = protocol.rule("review.safety_net")
        text = protocol.level_text(screened.triage.level, "safety_net")
        return (Review(code="safety_net", action=text, rule=rule.id),)
    raised = []
    if screened.notes:
        rule = protocol.rule("review.red_flag_words")
        quotes = " ".join(
            f"The {n.kind} note of {n.date.isoformat()} says: “{n.quote}”." for n in screened.notes
        )
        raised.append(Review(code="red_flag_words", action=f"{rule.text} {quotes}", rule=rule.id))
    rule = protocol.rule("review.clearance_incomplete")
    raised += [
        Review(code="clearance_incomplete", action=f"{warning} {rule.text}", rule=rule.id)
        for warning in screened.unnamed_clearances
    ]
    return tuple(raised)


def reviews(
    *,
    status: str,
    flare: bool,
    baseline: date | None,
    latest_screening: date | None,
    last_session: date | None,
    today: date,
    protocol: Protocol,
) -> tuple[Review, ...]:
    """Worsening, not improving at 6 and 12 weeks, and a re-screen that is due."""
    raised = []
    if flare or status == "worse":
        raised.append(("worsening", "review.worsening"))
    if baseline is not None and status not in IMPROVED_OR_BETTER:
        for code in ("not_improving_6_weeks", "not_improving_12_weeks"):
            if (today - baseline).days >= protocol.rule(f"review.{code}").number("after_days"):
                raised.append((code, f"review.{code}"))
    if latest_screening is not None:
        max_age = protocol.rule("review.rescreen_due").number("max_age_days")
        stale = (today - latest_screening).days > max_age
        if stale or (last_session is not None and latest_screening < last_session):
            raised.append(("rescreen_due", "review.rescreen_due"))
    return tuple(
        Review(code=code, action=protocol.rule(rule).text, rule=rule) for code, rule in raised
    )
