"""Deterministic generator of realistic history@1 documents for the benchmarks.

`generate_history(seed)` returns the JSON bytes of one client's history: about a year of weekly
assessments (body map, all 10 Oswestry answers, STarT Back), a daily pain diary, weekly to monthly
massage sessions, one or two screenings and now and then a clearance. The same seed always gives
the same bytes (a seeded `random.Random`, no clock, no global state).

Profiles are mixed so that every branch of the engine runs: leg pain that improves, recovers,
stalls, worsens, flares at the end or relapses mid-year; triage from unscreened and clear through
precautions, clearance-needed (cleared or not) and see-doctor to urgent and emergency, including
body-map emergencies; diaries that stop before `today`; and a few new clients with only weeks of
history (too early to judge, or between the 6- and 12-week reviews).

Run it to print one history: `python bench/generate.py [SEED]`.
"""

import json
import math
import random
import sys
from datetime import date, timedelta
from typing import Any

from sciatica_care.domain.codes import AREAS, SELF_CARE_ITEMS

SCHEMA = "sciatica-care/history@1"
SIDES = ("left", "right")
SELF_CARE = SELF_CARE_ITEMS
MINUTES = (30, 45, 60, 60, 60, 75, 90)

# Body parts along each root's path down the leg, nearest the back first (sided on use).
ROOT_PATHS = {
    "L4": ("buttock", "anterolateral_thigh", "knee", "medial_calf", "medial_foot"),
    "L5": ("buttock", "posterior_thigh", "lateral_calf", "dorsum_of_foot", "great_toe"),
    "S1": ("buttock", "posterior_thigh", "posterior_calf", "heel", "sole", "lateral_foot"),
}
MODIFY = (
    "anticoagulants",
    "bleeding_disorder",
    "osteoporosis",
    "recent_surgery",
    "skin_lesion",
    "diabetes",
    "numbness",
)
SITED = frozenset({"recent_surgery", "skin_lesion"})
CLEARANCE_NEEDED = ("pregnancy", "heart_condition")
SEE_DOCTOR = (
    "cancer_history",
    "unexplained_weight_loss",
    "severe_night_pain",
    "immunosuppression",
    "iv_drug_use",
    "long_term_steroids",
)
URGENT = ("progressive_weakness", "suspected_dvt", "fever_or_infection_signs", "significant_trauma")
EMERGENCY = (
    "saddle_numbness",
    "bladder_change",
    "bowel_change",
    "bilateral_leg_symptoms",
    "new_sexual_dysfunction",
)
SKIN_SITES = (
    "lower_back",
    "buttock_left",
    "buttock_right",
    "posterior_thigh_left",
    "posterior_thigh_right",
    "lateral_calf_left",
    "posterior_calf_right",
)
CLINICIANS = ("Dr A. Example", "Dr B. Sample", "Midwife C. Demo", "Dr D. Placeholder")
SESSION_NOTES = (
    "Tight piriformis on the symptomatic side.",
    "Client dozed off; tolerated pressure well.",
    "Tender QL, eased with slow strokes.",
    "Reported a good week; more walking.",
    "Numb patch on the foot unchanged.",
)

# (name, weight): how leg pain moves over the history.
TRAJECTORIES = (
    ("improve", 30),
    ("recover", 14),
    ("stall", 18),
    ("worsen", 8),
    ("flare", 14),
    ("relapse", 10),
    ("new_client", 6),
)
# (name, weight): what the latest screening finds.
TRIAGE_PROFILES = (
    ("clear", 45),
    ("modify", 28),
    ("clearance_needed", 8),
    ("see_doctor", 7),
    ("urgent", 3),
    ("emergency", 2),
    ("unscreened", 4),
    ("body_map_emergency", 4),
)
FIRST_TODAY = date(2025, 6, 1)


def _pick(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    names = [name for name, _ in table]
    weights = [weight for _, weight in table]
    return rng.choices(names, weights)[0]


def _clamp(value: float, low: int = 0, high: int = 10) -> int:
    return max(low, min(high, round(value)))


def _latent_pain(kind: str, rng: random.Random, days: int) -> list[float]:
    """The underlying leg pain on each day 0..days (readings add noise to it)."""
    base = rng.uniform(5.5, 9.0)
    tau = rng.uniform(20.0, 80.0)
    if kind == "recover":
        floor = rng.uniform(0.0, 0.8)
    elif kind in ("improve", "flare", "relapse", "new_client"):
        floor = base * rng.uniform(0.25, 0.6)
    else:
        floor = base
    curve = [floor + (base - floor) * math.exp(-day / tau) for day in range(days + 1)]
    if kind == "stall":
        wobble = rng.uniform(0.3, 1.0)
        period = rng.uniform(20.0, 60.0)
        curve = [p + wobble * math.sin(day / period) for day, p in enumerate(curve)]
    elif kind == "worsen":
        base = rng.uniform(3.0, 6.0)
        rise = rng.uniform(2.5, 4.0)
        curve = [base + rise * min(1.0, day / (days * 0.7)) for day in range(days + 1)]
    elif kind == "flare":
        length = rng.randint(2, 20)
        jump = rng.uniform(2.5, 5.0)
        curve = [p + (jump if day > days - length else 0.0) for day, p in enumerate(curve)]
    elif kind == "relapse":
        start = rng.randint(days // 3, days // 2)
        length = rng.randint(20, 60)
        jump = rng.uniform(2.0, 4.0)
        curve = [
            p + (jump if start <= day < start + length else 0.0) for day, p in enumerate(curve)
        ]
    return curve


def _body_map(
    rng: random.Random, root: str, side: str, pain: int, *, numb: bool
) -> dict[str, list[str]]:
    """Marks down one leg; the worse the pain, the further down they reach."""
    path = ROOT_PATHS[root]
    reach = max(1, min(len(path), 1 + (pain * len(path)) // 8 + rng.randint(-1, 1)))
    marks: dict[str, list[str]] = {"pain": [f"{part}_{side}" for part in path[:reach]]}
    if rng.random() < 0.3:
        marks["pain"].insert(0, "lower_back")
    lower = path[max(1, reach - 2) : reach]
    if numb and lower:
        marks["numbness"] = [f"{part}_{side}" for part in lower]
    if pain >= 4 and rng.random() < 0.4 and lower:
        marks["tingling"] = [f"{lower[-1]}_{side}"]
    return marks


def _odi(rng: random.Random, pain: int) -> list[int | None]:
    level = pain / 2.2
    answers: list[int | None] = [_clamp(level + rng.uniform(-1.2, 1.2), 0, 5) for _ in range(10)]
    if rng.random() < 0.25:
        answers[rng.choice((7, 7, 7, 2, 9))] = None  # the sex-life section is skipped most often
    return answers


def _startback(rng: random.Random, pain: int, worrier: bool) -> list[int]:
    chance = 0.15 + pain * 0.06 + (0.35 if worrier else 0.0)
    return [1 if rng.random() < chance else 0 for _ in range(9)]


def _finding(rng: random.Random, code: str) -> str | dict[str, Any]:
    if code in SITED:
        sites = rng.sample(SKIN_SITES, rng.randint(1, 2))
        entry: dict[str, Any] = {"code": code, "regions": sites}
        if rng.random() < 0.3:
            entry["note"] = "Healing well; keep clear for now."
        return entry
    if rng.random() < 0.1:
        return {"code": code}
    return code


def _screenings(
    rng: random.Random, profile: str, start: date, today: date, last_session: date | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Screenings (the latest sets the triage) and clearances.

    A re-screen comes at the last session (no re-screen due), or some other day of the history.
    """
    if profile == "unscreened":
        return [], []
    findings: list[str] = []
    if profile == "modify":
        findings = rng.sample(MODIFY, rng.choice((1, 1, 1, 2, 2, 3)))
    elif profile == "clearance_needed":
        findings = [rng.choice(CLEARANCE_NEEDED), *rng.sample(MODIFY, rng.randint(0, 1))]
    elif profile == "see_doctor":
        findings = [rng.choice(SEE_DOCTOR)]
    elif profile == "urgent":
        findings = [rng.choice(URGENT)]
    elif profile == "emergency":
        findings = [rng.choice(EMERGENCY)]
    first = {"date": start.isoformat(), "findings": [_finding(rng, c) for c in findings]}
    screenings = [first]
    latest = start
    span = (today - start).days
    if span > 45 and rng.random() < 0.6:
        back = rng.choice((rng.randint(0, 29), rng.randint(30, span - 1)))
        latest = today - timedelta(days=back)
        if last_session is not None and last_session > start and rng.random() < 0.4:
            latest = last_session
        again = list(first["findings"])  # the same findings, the same sites
        if profile == "clear" and rng.random() < 0.2:
            again = [_finding(rng, rng.choice(MODIFY))]
        screenings.append({"date": latest.isoformat(), "findings": again})
    clearances = []
    clearable = [c for c in findings if c in CLEARANCE_NEEDED or c in SEE_DOCTOR]
    if clearable and rng.random() < 0.65:
        when = min(today, latest + timedelta(days=rng.randint(2, 21)))
        clearance: dict[str, Any] = {
            "date": when.isoformat(),
            "finding": clearable[0],
            "by": rng.choice(CLINICIANS),
        }
        if rng.random() < 0.3:
            clearance["note"] = "Cleared for gentle massage."
        clearances.append(clearance)
    if profile in ("urgent", "emergency") and rng.random() < 0.3:
        clearances.append(  # never lifts an urgent or emergency finding
            {"date": today.isoformat(), "finding": findings[0], "by": rng.choice(CLINICIANS)}
        )
    return screenings, clearances


class _Client:
    """One simulated client: the latent pain curve and the habits their records are drawn from."""

    def __init__(self, rng: random.Random, kind: str, days: int, start: date) -> None:
        self.rng = rng
        self.days = days
        self.start = start
        self.curve = _latent_pain(kind, rng, days)
        self.noise = rng.uniform(0.3, 0.9)
        self.back_offset = rng.uniform(-1.5, 2.0)
        self.root = rng.choice(("L4", "L5", "L5", "S1", "S1"))
        self.side = rng.choice(SIDES)
        self.numb = rng.random() < 0.35
        self.worrier = rng.random() < 0.3
        self.active_base = rng.randint(5, 40)

    def day(self, day: int) -> str:
        return (self.start + timedelta(days=day)).isoformat()

    def leg(self, day: int) -> int:
        return _clamp(self.curve[day] + self.rng.gauss(0.0, self.noise))

    def back(self, leg_pain: int) -> int:
        return _clamp(leg_pain * 0.6 + self.back_offset + self.rng.gauss(0.0, 0.8))

    def assessments(self, *, body_map_emergency: bool) -> list[dict[str, Any]]:
        """Weekly, with a few missed; a body-map emergency marks the latest one."""
        rng = self.rng
        found: list[dict[str, Any]] = []
        for day in range(0, self.days + 1, 7):
            if day and rng.random() < 0.12:
                continue
            pain = self.leg(day)
            assessment: dict[str, Any] = {
                "date": self.day(day),
                "leg_pain": pain,
                "back_pain": self.back(pain),
                "odi": _odi(rng, pain),
                "startback": _startback(rng, pain, self.worrier),
                "regions": _body_map(rng, self.root, self.side, pain, numb=self.numb),
            }
            if rng.random() < 0.05:
                assessment["note"] = "Sleeping better since the last visit."
            found.append(assessment)
        if body_map_emergency:
            regions = found[-1]["regions"]
            if rng.random() < 0.5:
                regions["numbness"] = ["saddle"]
            else:
                other = SIDES[1 - SIDES.index(self.side)]
                regions["tingling"] = [f"posterior_calf_{other}", f"sole_{other}"]
        return found

    def diary(self, quiet: int) -> list[dict[str, Any]]:
        """Most days, sometimes twice; nothing in the last `quiet` days."""
        rng = self.rng
        entries: list[dict[str, Any]] = []
        previous = self.curve[0]
        for day in range(1, self.days + 1 - quiet):
            if rng.random() < 0.15:
                continue
            for _ in range(2 if rng.random() < 0.05 else 1):
                pain = self.leg(day)
                entry: dict[str, Any] = {"date": self.day(day)}
                if rng.random() < 0.97:
                    entry["leg_pain"] = pain
                if rng.random() < 0.9:
                    entry["back_pain"] = self.back(pain)
                active = self.active_base + (10 - pain) * 4 + rng.gauss(0, 8)
                entry["active_minutes"] = max(0, round(active))
                entry["self_care"] = rng.sample(SELF_CARE, rng.choice((0, 1, 1, 2, 2, 3)))
                if pain - previous >= 2.5:
                    entry["flare"] = True
                if rng.random() < 0.02:
                    entry["note"] = "Long drive today; leg ached after."
                previous = pain
                entries.append(entry)
        return entries

    def sessions(self) -> list[dict[str, Any]]:
        """Weekly while leg pain is high, then every two or four weeks; gentler when worse."""
        rng = self.rng
        found: list[dict[str, Any]] = []
        day = rng.randint(0, 3)
        while day <= self.days:
            pain = round(self.curve[day])
            before = self.leg(day)
            techniques = ["swedish"]
            if pain <= 6 and rng.random() < 0.7:
                techniques.append("trigger_point")
            if pain <= 3 and rng.random() < 0.5:
                techniques.append("deep_tissue")
            session: dict[str, Any] = {
                "date": self.day(day),
                "techniques": techniques,
                "areas": rng.sample(AREAS, rng.randint(2, 4)),
                "pressure": "light" if pain >= 7 else rng.choice(("light", "moderate", "firm")),
                "minutes": rng.choice(MINUTES),
                "pain_before": before,
                "pain_after": max(0, before - rng.choice((0, 1, 1, 2, 2, 3))),
            }
            if rng.random() < 0.1:
                session["note"] = rng.choice(SESSION_NOTES)
            found.append(session)
            gap = 7 if pain >= 5 else 14 if pain >= 3 else 28
            day += gap + rng.choice((0, 0, 0, 1, -1, 7))
        return found


def history_document(seed: int) -> dict[str, Any]:
    """One history@1 document as plain JSON values."""
    rng = random.Random(seed)
    kind = _pick(rng, TRAJECTORIES)
    profile = _pick(rng, TRIAGE_PROFILES)
    today = FIRST_TODAY + timedelta(days=rng.randint(0, 364))
    if kind == "new_client":
        days = rng.choice((0, rng.randint(1, 20), rng.randint(21, 83)))
    else:
        days = rng.randint(350, 380)
    quiet = rng.choice((0, 0, 0, 0, rng.randint(1, 10), rng.randint(20, 90)))
    quiet = min(quiet, days // 2)  # days at the end with no diary (the app went unused)
    start = today - timedelta(days=days)
    client = _Client(rng, kind, days, start)
    assessments = client.assessments(body_map_emergency=profile == "body_map_emergency")
    diary = client.diary(quiet)
    sessions = client.sessions()
    last_session = date.fromisoformat(sessions[-1]["date"]) if sessions else None
    if profile == "body_map_emergency":
        profile = "clear"
    screenings, clearances = _screenings(rng, profile, start, today, last_session)
    document: dict[str, Any] = {"schema": SCHEMA, "today": today.isoformat()}
    if rng.random() < 0.95:
        document["client"] = {
            "birth_year": rng.randint(1940, 2002),
            "sex": rng.choice(("female", "male")),
        }
    document.update(
        screenings=screenings,
        clearances=clearances,
        assessments=assessments,
        sessions=sessions,
        diary=diary,
    )
    return document


def generate_history(seed: int) -> bytes:
    """One history@1 document as compact JSON bytes (deterministic in `seed`)."""
    return json.dumps(history_document(seed), separators=(",", ":")).encode()


def generate_histories(count: int, seed: int = 0) -> list[bytes]:
    """`count` histories, the i-th from seed `seed * 1_000_003 + i`."""
    return [generate_history(seed * 1_000_003 + index) for index in range(count)]


if __name__ == "__main__":
    chosen = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    sys.stdout.write(json.dumps(history_document(chosen), indent=1) + "\n")
