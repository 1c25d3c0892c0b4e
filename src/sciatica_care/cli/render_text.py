"""Plain-text views of a plan and a protocol, for a person at a terminal or on paper."""

from textwrap import wrap

from sciatica_care.domain.codes import is_alert
from sciatica_care.domain.plan import CarePlan
from sciatica_care.domain.protocol import Protocol
from sciatica_care.domain.vocabulary import words

WIDTH = 78


def _say(code: str | None) -> str:
    """A code in plain words."""
    if code is None:
        return "-"
    return words(code)


def _line(label: str, body: str, rule: str) -> list[str]:
    """One item with its reason and the rule that produced it, on one line."""
    return [f"{label}: {body} [{rule}]"]


def _banner(plan: CarePlan) -> list[str]:
    level = plan.triage.level
    if not is_alert(level):
        return []
    bar = "!" * WIDTH
    body = [f"!!  {text}" for text in wrap(f"{level.upper()}: {plan.triage.action}", WIDTH - 4)]
    signs = ", ".join(_say(f.code) for f in plan.triage.findings if is_alert(f.level))
    return [
        bar,
        *body,
        f"!!  Signs: {signs}",
        "!!  No massage until a doctor has seen the client.",
        bar,
        "",
    ]


def render_plan(plan: CarePlan) -> str:
    """The plan for a person: an emergency first and unmissable, then each part with its reason."""
    out = _banner(plan)
    out.append(
        f"CARE PLAN as of {plan.as_of}  (protocol {plan.protocol.id} {plan.protocol.version})"
    )
    out.append("")
    triage = plan.triage
    out.append(f"SCREENING: {_say(triage.level)}")
    for finding in triage.findings:
        cleared = f" (cleared {finding.clearance.date})" if finding.clearance else ""
        out += _line(
            f"  - {_say(finding.code)} [{finding.level}{cleared}]", finding.action, finding.rule
        )
    if not triage.findings:
        out += _line("  -", triage.action, triage.rule)
    massage = plan.massage
    out += ["", f"MASSAGE: {_say(massage.status)}"]
    if massage.techniques:
        out.append(
            f"  Techniques: {', '.join(map(_say, massage.techniques))}; "
            f"pressure at most {massage.max_pressure}"
        )
        out.append(
            f"  Focus: {', '.join(map(_say, massage.focus_areas))}; "
            f"about {massage.session_minutes} minutes"
        )
    if massage.position:
        out.append(f"  Position: {_say(massage.position)}")
    if massage.avoid_regions:
        out.append(f"  Avoid: {', '.join(map(_say, massage.avoid_regions))}")
    for reason in massage.reasons:
        out += _line("  - why", reason.text, reason.rule)
    cadence = plan.cadence
    when = f", next session {cadence.next_session}" if cadence.next_session else ""
    phase = "" if cadence.phase == cadence.interval else f" ({_say(cadence.phase)})"
    out += ["", f"SESSIONS: {_say(cadence.interval)}{phase}{when}"]
    out += _line("  - why", cadence.reason, cadence.rule)
    out += _progress(plan)
    out += ["", "WITH MASSAGE:"]
    for item in plan.complementary:
        label = (
            f"  - {_say(item.therapy)}: {_say(item.stance)} (evidence {_say(item.evidence.grade)})"
        )
        out += _line(label, item.reason, item.rule)
    out += ["", "SELF-CARE:"]
    for care in plan.self_care:
        graded = f" (evidence {_say(care.evidence.grade)})" if care.evidence else ""
        out += _line(f"  - {_say(care.item)}{graded}", care.advice, care.rule)
        out += [f"    WARNING: {w}" for w in care.warnings]
    out += ["", "FOR THE CLINICIAN:"]
    for review in plan.review:
        out += _line(f"  - {_say(review.code)}", review.action, review.rule)
    if not plan.review:
        out.append("  - nothing to review now")
    return "\n".join(out) + "\n"


def _progress(plan: CarePlan) -> list[str]:
    progress = plan.progress
    out = ["", f"PROGRESS: {_say(progress.status)}"]
    if progress.baseline and progress.latest:
        b, latest = progress.baseline, progress.latest
        change = (
            ""
            if progress.leg_pain_change_percent is None
            else (f" ({progress.leg_pain_change_percent:+} %)")
        )
        out.append(
            f"  Leg pain {b.leg_pain} on {b.date} -> {latest.leg_pain} on {latest.date}{change}"
        )
    if progress.odi_change is not None:
        important = " (important)" if progress.odi_change_important else ""
        out.append(f"  Oswestry change {progress.odi_change:+} points{important}")
    out += _line("  - why", progress.reason, progress.rule)
    root = plan.nerve_root
    if root.root:
        out += _line(
            f"  Nerve root hint: {root.root} ({root.confidence} confidence)", root.reason, root.rule
        )
    trend = plan.centralisation
    if trend.status and trend.baseline and trend.latest:
        out.append(
            f"  Symptoms reach: {trend.baseline.reach} -> {trend.latest.reach} ({trend.status})"
        )
    for response in plan.session_response:
        out.append(
            f"  After {_say(response.technique)}: leg pain {response.mean_leg_pain_change:+} "
            f"on average over {response.sessions} sessions"
        )
    return out


def render_protocol(protocol: Protocol) -> str:
    """Every rule of a protocol with its text, thresholds and sources."""
    out = [f"Protocol {protocol.id} {protocol.version}: {protocol.title}", ""]
    for rule in protocol.rules.values():
        out.append(rule.id)
        out += wrap(rule.text, WIDTH, initial_indent="  ", subsequent_indent="  ")
        for name, value in rule.params.items():
            shown = ", ".join(map(str, value)) if isinstance(value, tuple) else value
            out.append(f"  {name} = {shown}")
        for source in rule.sources:
            out.append(f"  source: {protocol.sources.get(source, source)}")
        out.append("")
    out.append("Screening findings")
    for finding in protocol.findings.values():
        out.append(f"  {finding.code}: {finding.finding_class} -> {finding.rule}")
    out += ["", "Combinations (one fact of every group)"]
    for combination in protocol.combinations.values():
        groups = " AND ".join("(" + " or ".join(group) + ")" for group in combination.requires)
        age = f", age {combination.min_age}+" if combination.min_age is not None else ""
        out.append(f"  {combination.code}: {combination.finding_class} -> {combination.rule}{age}")
        out += wrap(groups, WIDTH, initial_indent="    ", subsequent_indent="    ")
    out += ["", f"Level wordings (emergency number {protocol.emergency_number})"]
    for level, texts in protocol.levels.items():
        for key in texts:
            said = protocol.level_text(level, key)
            out += wrap(
                f"{level}.{key}: {said}", WIDTH, initial_indent="  ", subsequent_indent="    "
            )
    return "\n".join(out) + "\n"
