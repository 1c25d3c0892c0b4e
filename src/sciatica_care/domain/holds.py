"""What a plan that holds massage means for bookings and session notes, and why a note departs.

While a finding holds massage (a red flag, or a finding that needs a doctor or a clearance first),
no massage session can be booked and sessions booked earlier read "on hold" everywhere. A hold that
only waits for a screening (none yet, or one too old) is lifted by the screening that starts the
next session, so that session can be booked. While the plan holds massage for any reason, a
session note is saved only with a clinical reason from `HOLD_REASONS` and words of the
therapist's own. An emergency or urgent finding allows no massage at all: the only reason
for a note then is that none was given. Lifting a modifying precaution (an override) likewise
needs a reason from `OVERRIDE_REASONS` plus words; "the client asked" is never a clinical reason.
"""

import re
from datetime import date

from sciatica_care.domain.codes import ALERT_LEVELS
from sciatica_care.domain.plan import CarePlan

# Why a session note is written while massage is on hold: code -> what the therapist confirms.
HOLD_REASONS: dict[str, str] = {
    "no_massage": "No massage was given: assessment, advice or referral only",
    "screened_at_session": (
        "Screened at the start of the session with no red flag (the screening is recorded)"
    ),
    "written_clearance_seen": (
        "A clinician's written clearance was seen at the session (it is recorded as a clearance)"
    ),
    "clinician_agreed_by_phone": (
        "The client's clinician agreed to this session by phone today (named in the words below)"
    ),
}
# Why a modifying precaution is lifted for one session: code -> what the therapist confirms.
OVERRIDE_REASONS: dict[str, str] = {
    "prescriber_confirmed": "The prescriber or doctor confirmed the pressure used is safe",
    "results_in_range": "Recent test results are in the safe range (for example INR, platelets)",
    "condition_resolved": "A clinician confirmed the condition has resolved or is controlled",
    "not_in_treated_area": (
        "Assessed at the session: the precaution does not concern the area treated"
    ),
}
# Words that give the client's wish as the whole reason: a wish is not a clinical reason.
_CLIENT_ASKED = re.compile(
    r"^(at |on )?(the )?(client|patient)(s|'s)? ?(asked|request(ed)?|wanted( it)?|wish(ed)?"
    r"|insisted|preference|choice|demanded)( (for )?it)?( so)?$"
    r"|^(asked|requested|wanted) (for )?(by )?(the )?(client|patient)$"
)


# Holds that a screening at the start of the next session lifts: no screening yet, one too old or
# incomplete, one due after an outcome, red-flag words in a note since the latest screening.
SCREEN_FIRST = frozenset(
    {
        "triage.unscreened",
        "triage.screening_stale",
        "triage.screen_incomplete",
        "triage.screen_after_outcome",
        "triage.note_red_flag_words",
    }
)
# Triage levels that hold massage whatever a screening at the session finds.
_FINDING_LEVELS = frozenset({"see_doctor", "urgent", "emergency"})


def held(plan: CarePlan) -> str | None:
    """The plan's triage action while it holds massage, for any reason; else None."""
    return plan.triage.action if plan.massage.status == "on_hold" else None


def clinical_hold(plan: CarePlan) -> str | None:
    """The plan's triage action while a finding holds massage; None if none does.

    A hold that only waits for a screening (`SCREEN_FIRST`) is not one: the next session starts
    with that screening, so it can be booked, and reads as an ordinary booking.
    """
    if held(plan) is None:
        return None
    if plan.triage.level in _FINDING_LEVELS:
        return plan.triage.action
    holding = {r.rule for r in plan.massage.reasons if not r.rule.startswith("massage.")}
    return plan.triage.action if holding - SCREEN_FIRST else None


def booking_problems(plan: CarePlan) -> list[str]:
    """Why no massage session can be booked now (by field), or nothing."""
    action = clinical_hold(plan)
    if action is None:
        return []
    return [
        "date: massage is on hold, so no massage session can be booked until the plan allows it "
        f"again. {action}"
    ]


def only_client_asked(words: str) -> bool:
    """Whether the words give nothing but the client's wish as the reason."""
    plain = re.sub(r"[^a-z' ]+", " ", words.lower()).split()
    return bool(_CLIENT_ASKED.match(" ".join(plain)))


def reason_problems(
    fields: tuple[str, str], code: object, words: object, reasons: dict[str, str], *, needed: bool
) -> list[str]:
    """Why a coded clinical reason with the therapist's words is missing or not a reason.

    `fields` names the code's field and the words' field, as the problems name them.
    """
    code_field, words_field = fields
    no_code = code in (None, "")
    if no_code and words in (None, "") and not needed:
        return []
    problems = []
    if no_code:
        problems.append(f"{code_field}: needs a clinical reason, one of {', '.join(reasons)}")
    elif code not in reasons:
        problems.append(f"{code_field}: must be one of {', '.join(reasons)}, got {code!r}")
    if not isinstance(words, str) or not words.strip():
        problems.append(f"{words_field}: say in words what the reason is")
    elif only_client_asked(words):
        problems.append(f"{words_field}: the client's wish is not a clinical reason")
    return problems


def held_on(plan: CarePlan, day: date) -> bool:
    """Whether a session on `day` falls within the plan's hold.

    The plan is today's: a note of today falls within any hold it has. An earlier note falls
    within it only while an emergency or urgent finding was already open on its day (reported on
    or before it); of other holds the plan cannot say when they began, and a note written late
    for a session before a finding is not a session during it.
    """
    if held(plan) is None:
        return False
    if day >= plan.as_of:
        return True
    opened = [f.reported for f in plan.triage.findings if f.level in ALERT_LEVELS and f.reported]
    return plan.triage.level in ALERT_LEVELS and any(start <= day for start in opened)


def held_session_problems(
    plan: CarePlan, *, day: date, techniques: object, code: object, words: object
) -> list[str]:
    """Why a session note of `day` cannot be saved while the plan holds massage, or nothing.

    Outside a hold a reason is refused as out of place; within one (`held_on`) it is required,
    and under an emergency or urgent finding the note may only record that no massage was given.
    """
    if not held_on(plan, day):
        if code in (None, "") and words in (None, ""):
            return []
        return ["on_hold_reason: massage was not on hold that day; leave the reason out"]
    fields = ("on_hold_reason", "on_hold_note")
    problems = reason_problems(fields, code, words, HOLD_REASONS, needed=True)
    massage_given = bool(techniques)
    if plan.triage.level in ALERT_LEVELS and massage_given:
        problems.append(
            f"techniques: no massage while an {plan.triage.level} finding is open; "
            "record the note without techniques"
        )
    elif code == "no_massage" and massage_given:
        problems.append("techniques: the reason says no massage was given; leave techniques out")
    return problems
