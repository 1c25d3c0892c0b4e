"""The derived part of the FHIR Bundle: sciatica, plan, referral, next booking, Provenance.

Every CarePlan activity carries the ids of the rules behind it as `detail.reasonCode` codings
in the project's rule code system (with the rule's reason as text).
"""

from datetime import datetime, timedelta, tzinfo
from typing import Any

from sciatica_care.domain.holds import clinical_hold
from sciatica_care.domain.plan import CarePlan
from sciatica_care.services.client_views import Booking
from sciatica_care.sharing.fhir import codes as fc

DEFAULT_MINUTES = 60  # a booking's length when the plan holds massage (no session length)
REFERRAL_PRIORITY = {"see_doctor": "routine", "urgent": "urgent", "emergency": "stat"}
STANCE_STATUS = {
    "recommended": "not-started",
    "optional": "not-started",
    "not_recommended": "cancelled",
    "on_hold": "on-hold",
}


def add_plan(
    bundle: fc.BundleBuilder, plan: CarePlan, booking: Booking | None, zone: tzinfo | None = None
) -> None:
    """Adds the sciatica Condition, CarePlan, referral, next Appointment and Provenance."""
    sciatica = bundle.add(
        {
            "resourceType": "Condition",
            "clinicalStatus": fc.concept(fc.CONDITION_CLINICAL, "active"),
            "code": fc.concept(fc.SNOMED, *fc.SCIATICA),
            "subject": bundle.ref(),
        },
        "sciatica",
    )
    care_plan = bundle.add(_care_plan(bundle, plan, sciatica), "plan")
    targets = [care_plan]
    if plan.triage.level in REFERRAL_PRIORITY:
        targets.append(bundle.add(_referral(bundle, plan), "referral"))
    if booking is not None:
        bundle.add(_appointment(bundle, booking, plan, zone), "next")
    bundle.add(_provenance(plan, targets), "plan")


def _reason(rule: str, text: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"coding": [fc.coding(fc.RULE, rule)]}
    return out if text is None else {**out, "text": text}


def _activity(
    code: str, status: str, description: str, reasons: list[dict[str, Any]], **more: Any
) -> dict[str, Any]:
    detail = {
        "code": fc.concept(fc.PLAN_ACTIVITY, code),
        "reasonCode": reasons,
        "status": status,
        "description": description,
        **more,
    }
    return {"detail": detail}


def _activities(plan: CarePlan) -> list[dict[str, Any]]:
    triage, massage, cadence = plan.triage, plan.massage, plan.cadence
    rules = [_reason(triage.rule, triage.action)]
    rules += [_reason(f.rule, f.action) for f in triage.findings]
    held = massage.status == "on_hold"
    when = (
        {"scheduledPeriod": {"start": cadence.next_session.isoformat()}}
        if cadence.next_session is not None
        else {"scheduledString": cadence.interval}
    )
    out = [
        _activity("triage", "in-progress", f"Triage {triage.level}: {triage.action}", rules),
        _activity(
            "massage",
            "on-hold" if held else "scheduled",
            _massage_text(plan),
            [_reason(r.rule, r.text) for r in massage.reasons],
        ),
        _activity(
            "cadence",
            "on-hold" if held else "scheduled",
            f"Sessions {cadence.interval.replace('_', ' ')} ({cadence.phase})",
            [_reason(cadence.rule, cadence.reason)],
            **when,
        ),
    ]
    out += [
        _activity(
            c.therapy,
            STANCE_STATUS[c.stance],
            f"{c.therapy.replace('_', ' ')}: {c.stance.replace('_', ' ')}",
            [_reason(c.rule, c.reason)],
            doNotPerform=c.stance == "not_recommended",
        )
        for c in plan.complementary
    ]
    out += [
        _activity(s.item, "not-started", s.advice, [_reason(s.rule, s.advice)])
        for s in plan.self_care
    ]
    out += [
        _activity("review", "not-started", r.action, [_reason(r.rule, r.action)])
        for r in plan.review
    ]
    return out


def _massage_text(plan: CarePlan) -> str:
    massage = plan.massage
    if massage.status == "on_hold":
        return "Massage on hold"
    parts = [
        f"Massage ({massage.status}): {', '.join(massage.techniques) or 'no technique'}",
        f"{massage.session_minutes} minutes",
    ]
    if massage.max_pressure is not None:
        parts.append(f"pressure up to {massage.max_pressure}")
    if massage.focus_areas:
        parts.append(f"focus {', '.join(massage.focus_areas)}")
    if massage.avoid_regions:
        parts.append(f"avoid {', '.join(massage.avoid_regions)}")
    return "; ".join(parts)


def _care_plan(bundle: fc.BundleBuilder, plan: CarePlan, sciatica: str) -> dict[str, Any]:
    progress, root = plan.progress, plan.nerve_root
    return {
        "resourceType": "CarePlan",
        "status": "active",
        "intent": "plan",
        "title": "Sciatica massage care plan",
        "description": f"Progress {progress.status}: {progress.reason} Nerve root: {root.reason}",
        "subject": bundle.ref(),
        "period": {"start": plan.as_of.isoformat()},
        "created": plan.as_of.isoformat(),
        "addresses": [{"reference": sciatica}],
        "activity": _activities(plan),
    }


def _referral(bundle: fc.BundleBuilder, plan: CarePlan) -> dict[str, Any]:
    triage = plan.triage
    open_findings = [f for f in triage.findings if f.level != "precaution" and not f.cleared]
    reasons = [fc.concept(fc.FINDING, f.code) for f in open_findings]
    return {
        "resourceType": "ServiceRequest",
        "status": "active",
        "intent": "proposal",
        "priority": REFERRAL_PRIORITY[triage.level],
        "code": fc.concept(fc.PLAN_ACTIVITY, "medical-review", "Review by a doctor"),
        "subject": bundle.ref(),
        "authoredOn": plan.as_of.isoformat(),
        "reasonCode": [*reasons, _reason(triage.rule, triage.action)],
        "note": [{"text": triage.action}],
    }


def _appointment(
    bundle: fc.BundleBuilder, booking: Booking, plan: CarePlan, zone: tzinfo | None
) -> dict[str, Any]:
    day = booking.date.isoformat()
    # Booked times are the clinic's wall-clock time. With the clinic's zone they become FHIR
    # instants and the appointment is "booked" ("pending" while a finding holds massage); a day
    # without a time (or without a zone) is a requested period of that day, "proposed" (FHIR
    # lets only proposed or cancelled appointments go without a start and end).
    at = "" if booking.start_time is None else f" at {booking.start_time.strftime('%H:%M')}"
    minutes = plan.massage.session_minutes or DEFAULT_MINUTES
    participants: list[dict[str, Any]] = [{"actor": bundle.ref(), "status": "accepted"}]
    if booking.therapist is not None:
        participants.append({"actor": {"display": booking.therapist}, "status": "accepted"})
    out: dict[str, Any] = {
        "resourceType": "Appointment",
        "status": "proposed",
        "description": f"Massage session{at} (clinic local time)",
        "requestedPeriod": [{"start": day, "end": day}],
        "participant": participants,
        "minutesDuration": minutes,
    }
    if clinical_hold(plan) is not None:
        # The booking stays as it is, but nobody should read it as an ordinary session.
        out["comment"] = f"Massage is on hold in the current plan. {plan.triage.action}"
    if booking.start_time is not None and zone is not None:
        start = datetime.combine(booking.date, booking.start_time, tzinfo=zone)
        end = start + timedelta(minutes=minutes)
        # On hold, a timed booking is "pending": it stands, but is not a confirmed session.
        status = "booked" if clinical_hold(plan) is None else "pending"
        out.update(status=status, start=start.isoformat(), end=end.isoformat())
        del out["requestedPeriod"]
    return out


def _provenance(plan: CarePlan, targets: list[str]) -> dict[str, Any]:
    protocol = plan.protocol
    return {
        "resourceType": "Provenance",
        "target": [{"reference": t} for t in targets],
        "recorded": f"{plan.as_of.isoformat()}T00:00:00Z",
        "policy": [f"{fc.PROTOCOL_POLICY}/{protocol.id}/{protocol.version}"],
        "agent": [
            {"who": {"display": f"sciatica-care protocol {protocol.id} version {protocol.version}"}}
        ],
    }
