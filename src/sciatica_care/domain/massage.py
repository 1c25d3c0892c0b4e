"""Massage: techniques and pressure by leg pain, shaped by precautions; areas and length."""

from sciatica_care.domain.codes import PRESSURES
from sciatica_care.domain.history import History
from sciatica_care.domain.plan import Massage, Reason
from sciatica_care.domain.protocol import Protocol, Rule
from sciatica_care.domain.readings import Reading
from sciatica_care.domain.screening import Screened

_BANDS = ("massage.severe_leg_pain", "massage.moderate_leg_pain", "massage.mild_leg_pain")


def pain_band(found: list[Reading], protocol: Protocol) -> Rule:
    """The technique band for the worse of the latest leg and back pain (or the no-reading rule).

    A client whose back hurts more than the leg is treated by the back pain (E8).
    """
    if not found:
        return protocol.rule("massage.no_pain_reading")
    latest = found[-1]
    worst = max(latest.leg_pain, latest.back_pain or 0)
    for band in _BANDS:
        rule = protocol.rule(band)
        if worst >= rule.number("min_leg_pain"):
            return rule
    return protocol.rule(_BANDS[-1])


def _clear_of(
    areas: tuple[str, ...], avoid: tuple[str, ...], protocol: Protocol
) -> tuple[tuple[str, ...], Reason | None]:
    """The focus areas that lie over no region to avoid, and why the others were dropped."""
    if not avoid:
        return areas, None
    over: dict[str, list[str]] = {}
    for region in avoid:
        for area in protocol.areas_over[region]:
            over.setdefault(area, []).append(region)
    dropped = [area for area in areas if area in over]
    if not dropped:
        return areas, None
    rule = protocol.rule("massage.avoid_focus_area")
    said = "; ".join(f"{area} (over {', '.join(over[area])})" for area in dropped)
    kept = tuple(area for area in areas if area not in over)
    left = "" if kept else " No focus area is left: work only where the therapist can keep clear."
    return kept, Reason(rule=rule.id, text=f"{rule.text} Dropped: {said}.{left}")


def _focus(history: History, protocol: Protocol) -> tuple[tuple[str, ...], int, Reason]:
    default = protocol.rule("massage.focus_default")
    if not history.sessions:
        reason = Reason(rule=default.id, text=default.text)
        return default.words("areas"), default.number("minutes"), reason
    last = max(history.sessions, key=lambda s: s.date)
    latest = [s for s in history.sessions if s.date == last.date][-1]
    if not latest.areas and not latest.minutes:
        return (
            default.words("areas"),
            default.number("minutes"),
            Reason(rule=default.id, text=default.text),
        )
    rule = protocol.rule("massage.focus_last_session")
    areas = latest.areas or default.words("areas")
    minutes = latest.minutes or default.number("minutes")
    return areas, minutes, Reason(rule=rule.id, text=rule.text)


def quoted_notes(screened: Screened) -> str:
    """The notes that use red-flag words, each quoted with its date."""
    return " ".join(
        f"The {n.kind} note of {n.date.isoformat()} says: “{n.quote}”." for n in screened.notes
    )


def _conditions_said(screened: Screened) -> str:
    """Each clearance's conditions in words."""
    said = []
    for code, given in screened.conditions:
        parts = []
        if given.max_pressure is not None:
            parts.append(f"pressure at most {given.max_pressure}")
        if given.avoid_techniques:
            parts.append(f"no {', '.join(given.avoid_techniques)}")
        if given.avoid_regions:
            parts.append(f"keep off {', '.join(given.avoid_regions)}")
        said.append(f"{code}: {'; '.join(parts)}.")
    return " ".join(said)


def _hold_text(rule_id: str, screened: Screened, protocol: Protocol) -> str:
    text = protocol.rule(rule_id).text
    if rule_id == "triage.note_red_flag_words":
        return f"{text} {quoted_notes(screened)}"
    if rule_id == "triage.awaiting_outcome":
        waiting = " ".join(
            f"Waiting for the outcome of {f.code}, reported on {f.reported.isoformat()}."
            for f in screened.awaiting
            if f.reported is not None
        )
        return " ".join((text, waiting, *screened.unnamed_outcomes))
    if rule_id == "triage.screen_incomplete":
        return f"{text} Not asked: {', '.join(screened.unknown)}."
    if rule_id == "triage.screening_stale" and screened.latest_screening is not None:
        return f"{text} The latest screening is dated {screened.latest_screening.isoformat()}."
    return text


def massage(
    history: History, found: list[Reading], screened: Screened, protocol: Protocol
) -> Massage:
    """What massage the client may have now, with the reason and rule behind each limit."""
    areas, minutes, focus_reason = _focus(history, protocol)
    avoid = screened.avoid
    areas, dropped = _clear_of(areas, avoid, protocol)
    if screened.hold:
        hold = protocol.rule("massage.on_hold")
        reasons = [Reason(rule=hold.id, text=f"{hold.text} {screened.triage.action}")]
        reasons += [
            Reason(rule=rule_id, text=_hold_text(rule_id, screened, protocol))
            for rule_id in screened.holding_rules
        ]
        if dropped is not None:
            reasons.append(dropped)
        return Massage(
            status="on_hold",
            techniques=(),
            max_pressure=None,
            avoid_regions=avoid,  # type: ignore[arg-type]
            focus_areas=areas,  # type: ignore[arg-type]
            session_minutes=minutes,
            position=None,
            reasons=tuple(reasons),
        )
    band = pain_band(found, protocol)
    techniques = band.words("techniques")
    pressure = PRESSURES.index(band.word("max_pressure"))
    position = None
    reasons = [Reason(rule=band.id, text=band.text)]
    for rule_id in dict.fromkeys(rule_id for rule_id, _ in screened.shaping):
        rule = protocol.rule(rule_id)
        if "techniques" in rule.params:
            allowed = rule.words("techniques")
            techniques = tuple(t for t in techniques if t in allowed)
        if "max_pressure" in rule.params:
            pressure = min(pressure, PRESSURES.index(rule.word("max_pressure")))
        if "position" in rule.params:
            position = rule.word("position")
        text = rule.text
        if rule_id == "precaution.clearance_conditions":
            text = f"{text} {_conditions_said(screened)}"
        reasons.append(Reason(rule=rule.id, text=text))
    for _, given in screened.conditions:  # C3: what the clinician's clearance still asks
        techniques = tuple(t for t in techniques if t not in given.avoid_techniques)
        if given.max_pressure is not None:
            pressure = min(pressure, PRESSURES.index(given.max_pressure))
    reasons.append(focus_reason)
    if dropped is not None:
        reasons.append(dropped)
    return Massage(
        status="modified" if screened.shaping else "go",
        techniques=techniques,  # type: ignore[arg-type]
        max_pressure=PRESSURES[pressure],  # type: ignore[arg-type]
        avoid_regions=avoid,  # type: ignore[arg-type]
        focus_areas=areas,  # type: ignore[arg-type]
        session_minutes=minutes,
        position=position,  # type: ignore[arg-type]
        reasons=tuple(reasons),
    )
