"""Red flags and precautions: from the latest screening, clearances and body map to triage."""

from dataclasses import dataclass
from datetime import date

from sciatica_care.domain.body_map import both_legs_marks, saddle_marks
from sciatica_care.domain.codes import TRIAGE_ORDER, can_be_cleared
from sciatica_care.domain.history import Assessment, History, finding_code, finding_regions
from sciatica_care.domain.plan import Clearance, Triage, TriageFinding
from sciatica_care.domain.protocol import Protocol

_LEVEL_OF_CLASS = {
    "emergency": "emergency",
    "urgent": "urgent",
    "see_doctor": "see_doctor",
    "clearance_needed": "precaution",
    "modify": "precaution",
}
_TRIAGE_OF_LEVEL = {
    "emergency": "emergency",
    "urgent": "urgent",
    "see_doctor": "see_doctor",
    "precaution": "precautions",
}
HOLDING_LEVELS = frozenset({"unscreened", "see_doctor", "urgent", "emergency"})


@dataclass(frozen=True, slots=True)
class Screened:
    """Triage plus what shapes massage: holds and the precaution rules still in force."""

    triage: Triage
    latest_screening: date | None
    hold: bool
    holding_rules: tuple[str, ...]
    shaping: tuple[tuple[str, TriageFinding], ...]
    codes: frozenset[str]
    # Body-map regions to keep off: every region of a finding that is about one place.
    avoid: tuple[str, ...] = ()


def current_findings(history: History) -> tuple[date | None, dict[str, tuple[str, ...]]]:
    """The latest screening date and its findings (code -> regions), same-date screenings merged."""
    if not history.screenings:
        return None, {}
    latest = max(screening.date for screening in history.screenings)
    found: dict[str, tuple[str, ...]] = {}
    for screening in history.screenings:
        if screening.date == latest:
            for finding in screening.findings:
                code = finding_code(finding)
                found[code] = tuple(dict.fromkeys(found.get(code, ()) + finding_regions(finding)))
    return latest, found


def _clearances(history: History) -> dict[str, Clearance]:
    cleared: dict[str, Clearance] = {}
    for clearance in sorted(history.clearances, key=lambda c: c.date):
        if clearance.finding is not None:
            cleared[clearance.finding] = Clearance(date=clearance.date, by=clearance.by)
    return cleared


def triage(
    history: History,
    body_map: Assessment | None,
    protocol: Protocol,
    *,
    today: date | None = None,
) -> Screened:
    """Triage the latest screening and body map; the most severe finding wins."""
    latest, found = current_findings(history)
    cleared = _clearances(history)
    findings: list[TriageFinding] = []
    shaping: list[tuple[str, TriageFinding]] = []
    holding: list[str] = []
    avoid: dict[str, None] = {}
    for code, regions in found.items():
        spec = protocol.findings[code]
        clearance = cleared.get(code)
        if spec.needs_region or spec.rule in _SITE_RULES:
            avoid.update(dict.fromkeys(regions))
            if spec.needs_region and not regions:
                holding.append("precaution.region_needed")
        if _spinal_surgery(history, code, regions, protocol, today) is False:
            holding.append("precaution.spinal_surgery")
        if clearance and can_be_cleared(spec.finding_class):
            item = TriageFinding(
                code=code,  # type: ignore[arg-type]
                level="precaution",
                action=spec.action,
                rule="triage.cleared",
                source="screening",
                regions=regions,  # type: ignore[arg-type]
                cleared=True,
                clearance=clearance,
            )
            if spec.cleared_rule:
                shaping.append((spec.cleared_rule, item))
        else:
            item = TriageFinding(
                code=code,  # type: ignore[arg-type]
                level=_LEVEL_OF_CLASS[spec.finding_class],  # type: ignore[arg-type]
                action=spec.action,
                rule=spec.rule,
                source="screening",
                regions=regions,  # type: ignore[arg-type]
            )
            if spec.finding_class == "modify":
                shaping.append((spec.rule, item))
            else:
                holding.append(spec.rule)
        findings.append(item)
    signs = _body_map_findings(body_map, protocol, found)
    findings.extend(signs)
    holding.extend(f.rule for f in signs)
    if latest is not None and body_map is not None and body_map.regions is not None:
        numb = _body_map_numbness(body_map.regions.numbness, protocol, found)
        if numb is not None:
            findings.append(numb)
            shaping.append((protocol.findings[numb.code].rule, numb))
    level, top = _level(findings, screened=latest is not None)
    if level == "unscreened":
        holding.append("triage.unscreened")
    action = top.action if top else protocol.rule(f"triage.{level}").text
    return Screened(
        triage=Triage(
            level=level,  # type: ignore[arg-type]
            findings=tuple(findings),
            action=action,
            rule=top.rule if top else f"triage.{level}",
        ),
        latest_screening=latest,
        hold=level in HOLDING_LEVELS or bool(holding),
        holding_rules=tuple(dict.fromkeys(holding)),
        shaping=tuple(shaping),
        codes=frozenset(found),
        avoid=tuple(avoid),
    )


_SITE_RULES = frozenset({"precaution.avoid_site", "precaution.surgical_site"})


def _spinal_surgery(
    history: History,
    code: str,
    regions: tuple[str, ...],
    protocol: Protocol,
    today: date | None,
) -> bool | None:
    """For recent surgery on the spine within the protocol's days: whether a named clinician
    cleared it since it was first screened in its current run. None when the rule does not apply.
    """
    rule = protocol.rule("precaution.spinal_surgery")
    if code != rule.word("finding") or not set(regions) & set(rule.words("regions")):
        return None
    dates = sorted({s.date for s in history.screenings}, reverse=True)
    listing = {s.date for s in history.screenings for f in s.findings if finding_code(f) == code}
    start = dates[0]
    for when in dates:
        if when not in listing:
            break
        start = when
    if today is not None and (today - start).days > rule.number("within_days"):
        return None
    return any(
        c.finding == code and bool(c.by and c.by.strip()) and c.date >= start
        for c in history.clearances
    )


def _body_map_numbness(
    numb: tuple[str, ...], protocol: Protocol, found: dict[str, tuple[str, ...]]
) -> TriageFinding | None:
    """Numbness marked on the body map acts as the `numbness` finding (when none was screened)."""
    rule = protocol.rule("precaution.body_map_numbness")
    code = rule.word("finding")
    numb = tuple(dict.fromkeys(r for r in numb if r != "saddle"))  # saddle: its own emergency sign
    if not numb or code in found:
        return None
    spec = protocol.findings[code]
    return TriageFinding(
        code=code,  # type: ignore[arg-type]
        level=_LEVEL_OF_CLASS[spec.finding_class],  # type: ignore[arg-type]
        action=spec.action,
        rule=rule.id,
        source="body_map",
        regions=numb,  # type: ignore[arg-type]
    )


def _body_map_findings(
    assessment: Assessment | None, protocol: Protocol, found: dict[str, tuple[str, ...]]
) -> list[TriageFinding]:
    if assessment is None or assessment.regions is None:
        return []
    signs = []
    for rule_id, regions in (
        ("triage.body_map_saddle", saddle_marks(assessment.regions)),
        ("triage.body_map_both_legs", both_legs_marks(assessment.regions)),
    ):
        rule = protocol.rule(rule_id)
        code = rule.word("finding")
        if regions and code not in found:
            signs.append(
                TriageFinding(
                    code=code,  # type: ignore[arg-type]
                    level=_LEVEL_OF_CLASS[protocol.findings[code].finding_class],  # type: ignore[arg-type]
                    action=protocol.findings[code].action,
                    rule=rule_id,
                    source="body_map",
                    regions=regions,  # type: ignore[arg-type]
                )
            )
    return signs


def _level(findings: list[TriageFinding], *, screened: bool) -> tuple[str, TriageFinding | None]:
    """The triage level and the finding that sets it (the first of the most severe)."""
    level = "clear" if screened else "unscreened"
    top: TriageFinding | None = None
    for finding in findings:
        candidate = _TRIAGE_OF_LEVEL[finding.level]
        if TRIAGE_ORDER.index(candidate) > TRIAGE_ORDER.index(level):
            level, top = candidate, finding
    return level, top


def numbness_recorded(history: History) -> bool:
    """Whether any screening recorded a `numbness` finding."""
    return any(
        finding_code(finding) == "numbness"
        for screening in history.screenings
        for finding in screening.findings
    )
