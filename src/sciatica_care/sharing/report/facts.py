"""The report for the doctor: the facts a physician reads in a minute, gathered from the records.

Present are the findings the plan's triage lists: those of the latest screening and the signs
of the latest body map (each says where it came from). A full screening lists every finding
present on its date, so a finding it does not list was asked and answered no. But a sign reported
at a check-in is stored as a screening too, made of the findings already current plus the new
signs, and it asks nothing else; the records do not say which kind a screening was. A screening
that keeps every finding of the one before it (or is the first, with findings) may be such a
report, so the negatives are taken from the latest screening that cannot be one (nothing it
lacks was added since); when there is none, a finding not present is "not recorded".
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from sciatica_care.db import models
from sciatica_care.domain.plan import CarePlan, TriageFinding
from sciatica_care.domain.protocol import Protocol
from sciatica_care.services.client_views import odi_min_sections
from sciatica_care.services.histories import history_document
from sciatica_care.services.planning import PlanCache, current_plan
from sciatica_care.services.timeline import course

DOCTOR_LEVELS = ("see_doctor", "urgent", "emergency")
# Finding codes in a physician's plain words; a code the protocol adds later reads as itself.
FINDING_WORDS = {
    "saddle_numbness": "Saddle numbness or altered perineal sensation",
    "bladder_change": "New bladder disturbance (hesitancy, retention, incontinence)",
    "bowel_change": "New bowel incontinence or loss of rectal sensation",
    "bilateral_leg_symptoms": "Symptoms in both legs",
    "new_sexual_dysfunction": "New sexual dysfunction",
    "progressive_weakness": "Progressive leg or foot weakness",
    "suspected_dvt": "Calf swelling, warmth or redness (possible DVT)",
    "fever_or_infection_signs": "Fever or signs of infection",
    "significant_trauma": "Onset after significant trauma (fall from height, road accident)",
    "minor_trauma": "Onset after minor trauma or a lift",
    "severe_motor_deficit": "Severe motor deficit or acute foot drop (MRC 3/5 or less)",
    "widespread_neurology": "Gait disturbance or widespread neurology",
    "possible_aaa": "Possible abdominal aortic aneurysm",
    "thoracic_pain": "Thoracic pain",
    "constant_nonmechanical_pain": "Constant non-mechanical pain",
    "confirmed_dvt": "Confirmed or treated DVT",
    "past_dvt": "Past DVT",
    "varicose_veins": "Varicose veins",
    "bone_metastases": "Bone metastases",
    "recent_fracture": "Recent fracture",
    "low_platelets": "Low platelets",
    "lymphoedema": "Lymphoedema",
    "peripheral_arterial_disease": "Peripheral arterial disease",
    "inflammatory_arthritis": "Inflammatory arthritis",
    "suspected_mscc": "Suspected metastatic spinal cord compression (cancer with neurology,"
    " thoracic or night pain)",
    "possible_spinal_infection": "Possible spinal infection (fever with IV drug use or"
    " immunosuppression)",
    "possible_fracture": "Possible fracture (trauma with age 50+, osteoporosis or steroids)",
    "age_new_back_pain": "New back pain at 50 or over, or under 20",
    "older_age": "Age 75 or over",
    "cancer_history": "History of cancer",
    "unexplained_weight_loss": "Unexplained weight loss",
    "severe_night_pain": "Severe night pain or pain lying flat",
    "immunosuppression": "Immunosuppression",
    "iv_drug_use": "Intravenous drug use",
    "long_term_steroids": "Long-term oral steroids",
    "pregnancy": "Pregnancy",
    "heart_condition": "Heart condition",
    "anticoagulants": "Anticoagulants",
    "bleeding_disorder": "Bleeding disorder",
    "osteoporosis": "Osteoporosis",
    "recent_surgery": "Surgery in the last three months",
    "skin_lesion": "Wound, rash or skin infection at the massage site",
    "diabetes": "Diabetes",
    "numbness": "Numb areas on the back, buttocks or legs",
}
_CLASS_ORDER = ("emergency", "urgent", "see_doctor", "clearance_needed", "modify", "noted")


@dataclass(frozen=True, slots=True)
class Screened:
    """One finding of the protocol now: present (from the screening or the body map), asked and
    answered no at a full screening (`asked_on`), or not recorded (neither)."""

    code: str
    words: str
    finding_class: str
    present: bool
    cleared_by: str | None
    source: str | None = None
    asked_on: date | None = None


@dataclass(frozen=True, slots=True)
class Trend:
    """One measure over time, with its first and latest values."""

    name: str
    scale_max: float
    points: tuple[tuple[date, float], ...]

    @property
    def first(self) -> tuple[date, float] | None:
        """The first reading."""
        return self.points[0] if self.points else None

    @property
    def latest(self) -> tuple[date, float] | None:
        """The latest reading."""
        return self.points[-1] if self.points else None


@dataclass(frozen=True, slots=True)
class SessionsGiven:
    """The massage sessions on record."""

    count: int
    dates: tuple[date, ...]
    techniques: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PlanLine:
    """One part of the current plan and why (the rule that says so)."""

    topic: str
    text: str
    rule: str


@dataclass(frozen=True, slots=True)
class DoctorQuestion:
    """What the care team asks the doctor, when triage asks for a doctor."""

    level: str
    findings: tuple[Screened, ...]
    action: str


@dataclass(frozen=True, slots=True)
class DoctorReport:
    """Everything the report shows, as plain values."""

    name: str
    birth_year: int | None
    sex: str | None
    made_on: date
    protocol: str
    screened_on: date | None
    asked_on: date | None
    screening: tuple[Screened, ...]
    body_map_signs: tuple[Screened, ...]
    triage_level: str
    triage_action: str
    nerve_root: str | None
    nerve_root_confidence: str | None
    nerve_root_reason: str
    trends: tuple[Trend, ...]
    sessions: SessionsGiven
    plan: tuple[PlanLine, ...]
    question: DoctorQuestion | None


def doctor_report(
    db: Session,
    *,
    client: models.Client,
    today: date,
    protocol: Protocol,
    plans: PlanCache | None = None,
) -> DoctorReport:
    """The report for a stored client as of `today` (reads only; nothing is kept)."""
    document = history_document(db, client)
    plan = current_plan(db, client, today=today, protocol=protocol, plans=plans)
    return build_report(name=client.name, document=document, plan=plan, protocol=protocol)


def build_report(
    *, name: str, document: dict[str, Any], plan: CarePlan, protocol: Protocol
) -> DoctorReport:
    """The report of a history@1 document and the plan made from it."""
    person = document.get("client", {})
    dated = _screenings_by_date(document)
    screened_on = dated[-1][0] if dated else None
    asked_on = last_full_screening(dated)
    screening = _screening(plan, protocol, asked_on, shown=bool(dated))
    signs = tuple(s for s in screening if s.source == "body_map")
    hint = plan.nerve_root
    return DoctorReport(
        name=name,
        birth_year=person.get("birth_year"),
        sex=person.get("sex"),
        made_on=plan.as_of,
        protocol=f"{plan.protocol.id} {plan.protocol.version}",
        screened_on=screened_on,
        asked_on=asked_on,
        screening=screening,
        body_map_signs=signs,
        triage_level=plan.triage.level,
        triage_action=plan.triage.action,
        nerve_root=hint.root,
        nerve_root_confidence=hint.confidence,
        nerve_root_reason=hint.reason,
        trends=_trends(document, odi_min_sections(protocol)),
        sessions=_sessions(document),
        plan=_plan_lines(plan),
        question=_question(plan, screening),
    )


def _words(code: str) -> str:
    return FINDING_WORDS.get(code, code.replace("_", " ").capitalize())


def _screenings_by_date(document: dict[str, Any]) -> list[tuple[date, frozenset[str]]]:
    """Each screening date, oldest first, with the findings listed on it (same date merged)."""
    found: dict[date, set[str]] = {}
    for entry in document.get("screenings", []):
        codes = found.setdefault(date.fromisoformat(entry["date"]), set())
        codes.update(f if isinstance(f, str) else f["code"] for f in entry.get("findings", []))
    return [(day, frozenset(codes)) for day, codes in sorted(found.items())]


def last_full_screening(dated: list[tuple[date, frozenset[str]]]) -> date | None:
    """The date of the latest screening that must have been a full one, whose "no" answers still
    stand (every screening since keeps its findings and only adds), or None.

    A check-in's signs are stored as the current findings plus the signs, so a screening that
    has findings and keeps all of the previous one's may be such a report and asks nothing else.
    """
    for index in range(len(dated) - 1, -1, -1):
        day, codes = dated[index]
        before = dated[index - 1][1] if index else frozenset()
        if not codes or not before <= codes:
            return day
    return None


def _screening(
    plan: CarePlan, protocol: Protocol, asked_on: date | None, *, shown: bool
) -> tuple[Screened, ...]:
    """Every finding of the protocol, most severe class first: present as triage lists it (from
    the screening or the body map), else "no" as of `asked_on` (None: not recorded)."""
    listed: dict[str, TriageFinding] = {f.code: f for f in plan.triage.findings}
    if not shown and not listed:
        return ()
    rules = sorted(protocol.findings.values(), key=lambda r: _CLASS_ORDER.index(r.finding_class))
    rows = [
        Screened(f.code, _words(f.code), _class_of(f.level), True, None, f.source)
        for f in plan.triage.findings
        if f.code not in protocol.findings
    ]
    for rule in rules:
        finding = listed.get(rule.code)
        words, finding_class = _words(rule.code), rule.finding_class
        if finding is None:
            rows.append(Screened(rule.code, words, finding_class, False, None, None, asked_on))
            continue
        cleared_by = None
        if finding.cleared:
            cleared_by = (finding.clearance.by if finding.clearance else None) or "a clinician"
        rows.append(Screened(rule.code, words, finding_class, True, cleared_by, finding.source))
    return tuple(rows)


def _class_of(level: str) -> str:
    """The protocol class of a derived finding's level (combinations and age)."""
    return "modify" if level == "precaution" else level


def _trends(document: dict[str, Any], min_sections: int) -> tuple[Trend, ...]:
    points = course(document, min_sections)
    return (
        Trend(
            "Leg pain (0-10)",
            10,
            tuple((p.date, p.leg_pain) for p in points if p.leg_pain is not None),
        ),
        Trend(
            "Back pain (0-10)",
            10,
            tuple((p.date, p.back_pain) for p in points if p.back_pain is not None),
        ),
        Trend(
            "Oswestry (%)",
            100,
            tuple((p.date, p.odi_percent) for p in points if p.odi_percent is not None),
        ),
    )


def _sessions(document: dict[str, Any]) -> SessionsGiven:
    entries = document.get("sessions", [])
    techniques = dict.fromkeys(t for entry in entries for t in entry.get("techniques", []))
    return SessionsGiven(
        count=len(entries),
        dates=tuple(sorted(date.fromisoformat(entry["date"]) for entry in entries)),
        techniques=tuple(t.replace("_", " ") for t in techniques),
    )


def _plan_lines(plan: CarePlan) -> tuple[PlanLine, ...]:
    """The plan's decisions, each with the rule behind it."""
    massage = plan.massage
    allowed = ", ".join(t.replace("_", " ") for t in massage.techniques) or "none"
    pressure = f"; pressure at most {massage.max_pressure}" if massage.max_pressure else ""
    lines = [PlanLine("Massage", f"{massage.status.replace('_', ' ')}: {allowed}{pressure}", "")]
    lines += [PlanLine("Why", reason.text, reason.rule) for reason in massage.reasons]
    cadence = plan.cadence
    lines.append(PlanLine("Sessions", cadence.reason, cadence.rule))
    lines.append(PlanLine("Progress", plan.progress.reason, plan.progress.rule))
    lines += [
        PlanLine(
            c.therapy.replace("_", " ").capitalize(),
            f"{c.stance.replace('_', ' ')}: {c.reason}",
            c.rule,
        )
        for c in plan.complementary
    ]
    lines += [PlanLine("Review", r.action, r.rule) for r in plan.review]
    return tuple(lines)


def _question(plan: CarePlan, screened: tuple[Screened, ...]) -> DoctorQuestion | None:
    """The findings that ask for a doctor and the protocol's action, when triage asks for one."""
    if plan.triage.level not in DOCTOR_LEVELS:
        return None
    asking = {f.code for f in plan.triage.findings if f.level in DOCTOR_LEVELS and not f.cleared}
    found = tuple(s for s in screened if s.present and s.code in asking)
    return DoctorQuestion(plan.triage.level, found, plan.triage.action)
