"""Review codes: what a clinician should look at now."""

from datetime import date

from sciatica_care.domain.plan import Review
from sciatica_care.domain.progress import IMPROVED_OR_BETTER, MUCH_IMPROVED_OR_BETTER, Signals
from sciatica_care.domain.protocol import Protocol
from sciatica_care.domain.readings import Reading
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
    rule = protocol.rule("review.clearance_lapsed")
    raised += [
        Review(code="clearance_lapsed", action=f"{warning} {rule.text}", rule=rule.id)
        for warning in screened.lapsed_clearances
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
    found: list[Reading] | None = None,
    signals: Signals | None = None,
    discharge: bool = False,
) -> tuple[Review, ...]:
    """Worsening, relapse, function, the 6- and 12-week clocks, discharge and a due re-screen.

    One noisy reading may change the cadence (a flare) but never alone tells the doctor: that
    needs the protocol's number of reading dates (E5).
    """
    del flare  # a flare changes the cadence only
    seen = signals or Signals()
    readings = found or []
    raised = []
    if seen.worse_sustained:
        raised.append(("worsening", "review.worsening"))
    if seen.relapse:
        raised.append(("relapse", "review.relapse"))
    if seen.odi_worse:
        raised.append(("function_worse", "review.function_worse"))
    improving = status in IMPROVED_OR_BETTER
    if readings and not improving and _severe_start(readings, seen, protocol):
        raised.append(("pain_relief", "review.pain_relief"))
    if baseline is not None and not improving:
        for code in ("not_improving_6_weeks", "not_improving_12_weeks"):
            if (today - baseline).days >= protocol.rule(f"review.{code}").number("after_days"):
                raised.append((code, f"review.{code}"))
    if (
        baseline is not None
        and readings
        and status not in MUCH_IMPROVED_OR_BETTER
        and _still_disabling(readings, seen, (today - baseline).days, protocol)
    ):
        raised.append(("spinal_opinion", "review.spinal_opinion"))
    if discharge:
        raised.append(("discharge", "review.discharge"))
    if latest_screening is not None:
        max_age = protocol.rule("review.rescreen_due").number("max_age_days")
        stale = (today - latest_screening).days > max_age
        if stale or (last_session is not None and latest_screening < last_session):
            raised.append(("rescreen_due", "review.rescreen_due"))
    return tuple(
        Review(code=code, action=protocol.rule(rule).text, rule=rule) for code, rule in raised
    )


def _severe_start(readings: list[Reading], seen: Signals, protocol: Protocol) -> bool:
    """The first reading's leg pain, or the first Oswestry, is severe (E7)."""
    rule = protocol.rule("review.pain_relief")
    odi = seen.odi_first
    return readings[0].leg_pain >= rule.number("min_leg_pain") or (
        odi is not None and odi > rule.number("odi_above")
    )


def _still_disabling(readings: list[Reading], seen: Signals, days: int, protocol: Protocol) -> bool:
    """After the protocol's days, leg pain or the Oswestry still disabling (E6)."""
    rule = protocol.rule("review.spinal_opinion")
    odi = seen.odi_latest
    disabling = readings[-1].leg_pain >= rule.number("min_leg_pain") or (
        odi is not None and odi > rule.number("odi_above")
    )
    return disabling and days >= rule.number("after_days")
