"""The demo clinic's people and three months of their records, made up from a seed.

Pure: `demo_stories(today, seed)` returns the same records for the same date and seed (one
`random.Random` per client, no clock). Every text is our own plain words. `services.demo` stores
the stories through the ordinary services, so they are checked and audited like any entry.
"""

import math
import random
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Any

HISTORY_DAYS = 91
DOMAIN = "demo.example"
ROOT_PATHS = {
    "L4": ("buttock", "anterolateral_thigh", "knee", "medial_calf", "medial_foot"),
    "L5": ("buttock", "posterior_thigh", "lateral_calf", "dorsum_of_foot", "great_toe"),
    "S1": ("buttock", "posterior_thigh", "posterior_calf", "heel", "sole"),
}
SELF_CARE = ("stay_active", "walking", "swimming", "posture", "heat", "cold")
DIARY_NOTES = (
    "Long day at the desk; stood up every hour.",
    "Walked to the shops and back.",
    "Slept badly, stiff in the morning.",
    "Heat pack in the evening helped.",
    "Good day, hardly noticed the leg.",
    "Sore after carrying the shopping.",
)
SUBJECTIVE = (
    "Leg pain eases when walking, worse after sitting long.",
    "Slept better this week; morning stiffness shorter.",
    "Tingling in the foot comes and goes.",
    "Busy week at work, more sitting than usual.",
)
OBJECTIVE = (
    "Tight gluteals and piriformis on the painful side.",
    "Tender lower back muscles, less guarding than last time.",
    "Hamstrings tight; moves more freely at the end of the session.",
)
ASSESSMENT = (
    "Responding well to the work on the hip.",
    "Pain eased during the session.",
    "Little change today; kept the pressure comfortable.",
)
PLAN_TEXT = (
    "Keep up the daily walks; heat before bed.",
    "Same focus next time; check the diary together.",
    "Short walks through the day rather than one long one.",
)


@dataclass(frozen=True, slots=True)
class Person:
    """A staff account of the demo clinic."""

    email: str
    role: str
    name: str


@dataclass(frozen=True, slots=True)
class Profile:
    """One demo client: who they are and how their leg pain goes over three months."""

    name: str
    therapist: str
    course: str  # improving, much_improved, unchanged, worse, flare, red_flag
    start_leg: float
    end_leg: float
    root: str
    side: str
    birth_year: int
    sex: str
    findings: tuple[str, ...] = ()
    pressure: str = "moderate"
    techniques: tuple[str, ...] = ("swedish", "trigger_point")

    @property
    def email(self) -> str:
        """The client's email (and sign-in): their first name at the demo domain."""
        return f"{self.name.split()[0].lower()}@{DOMAIN}"


@dataclass(frozen=True, slots=True)
class Message:
    """A message in a client's thread: from the client or their therapist."""

    day: date
    from_client: bool
    kind: str
    body: str


@dataclass(frozen=True, slots=True)
class Story:
    """A client's records, each a body for `records.add_entry`, and what comes next."""

    profile: Profile
    screenings: list[dict[str, Any]] = field(default_factory=list)
    assessments: list[dict[str, Any]] = field(default_factory=list)
    sessions: list[dict[str, Any]] = field(default_factory=list)
    diary: list[dict[str, Any]] = field(default_factory=list)
    appointments: list[tuple[date, time]] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)


ADMIN = Person(email=f"admin@{DOMAIN}", role="admin", name="Demo Admin")
THERAPISTS = (
    Person(email=f"ana@{DOMAIN}", role="therapist", name="Ana Silva"),
    Person(email=f"sam@{DOMAIN}", role="therapist", name="Sam Okafor"),
)
PROFILES = (
    Profile("Maya Green", "ana", "improving", 7, 4, "L5", "left", 1978, "female"),
    Profile(
        "Tom Grey",
        "ana",
        "much_improved",
        8,
        2,
        "S1",
        "right",
        1961,
        "male",
        findings=("anticoagulants",),
        pressure="light",
        techniques=("swedish",),
    ),
    Profile("Lena Brown", "sam", "unchanged", 6, 6, "L5", "right", 1985, "female"),
    Profile("Omar White", "sam", "worse", 4, 7, "L4", "left", 1969, "male", findings=("diabetes",)),
    Profile("Rosa Red", "ana", "red_flag", 6, 5, "S1", "left", 1974, "female"),
    Profile("Jo Black", "sam", "flare", 7, 3, "L5", "left", 1990, "nonbinary"),
)


_TAIL = math.exp(-3)


def leg_pain_on(profile: Profile, day: int) -> float:
    """The underlying leg pain `day` days into the story (readings add noise)."""
    progress = day / HISTORY_DAYS
    start, end = profile.start_leg, profile.end_leg
    if profile.course == "unchanged":
        return start + 0.8 * math.sin(day / 9)
    if profile.course == "worse":
        return start + (end - start) * min(1.0, progress * 1.3)
    # Falls fast at first, then levels off, reaching `end` on the last day.
    curve = end + (start - end) * (math.exp(-3 * progress) - _TAIL) / (1 - _TAIL)
    if profile.course == "flare" and day > HISTORY_DAYS - 10:
        curve += 3
    return curve


def _pain(value: float) -> int:
    return max(0, min(10, round(value)))


def _iso(today: date, day: int) -> str:
    return (today - timedelta(days=HISTORY_DAYS - day)).isoformat()


def _body_map(profile: Profile, leg: int, rng: random.Random) -> dict[str, list[str]]:
    """Marks down one leg only (both legs would be a red flag); worse pain reaches further."""
    path = ROOT_PATHS[profile.root]
    reach = max(1, min(len(path), 1 + leg * len(path) // 8))
    marks = {"pain": [f"{part}_{profile.side}" for part in path[:reach]]}
    if rng.random() < 0.5:
        marks["pain"].insert(0, "lower_back")
    if leg >= 5:
        marks["tingling"] = [f"{path[reach - 1]}_{profile.side}"]
    return marks


def _assessment(profile: Profile, today: date, day: int, rng: random.Random) -> dict[str, Any]:
    leg = _pain(leg_pain_on(profile, day))
    entry: dict[str, Any] = {
        "date": _iso(today, day),
        "leg_pain": leg,
        "back_pain": _pain(leg * 0.6 + rng.uniform(-1, 1)),
        "odi": [_pain(min(5, leg / 2.2 + rng.uniform(-1, 1))) for _ in range(10)],
        "regions": _body_map(profile, leg, rng),
    }
    if day == 0 or day >= HISTORY_DAYS - 21:
        chance = 0.15 + leg * 0.06
        entry["startback"] = [1 if rng.random() < chance else 0 for _ in range(9)]
    return entry


def _session(
    profile: Profile, today: date, day: int, number: int, rng: random.Random
) -> dict[str, Any]:
    before = _pain(leg_pain_on(profile, day) + rng.uniform(-0.5, 0.5))
    areas = ["gluteals", "piriformis", "lumbar_paraspinals", "hamstrings"]
    return {
        "date": _iso(today, day),
        "techniques": list(profile.techniques),
        "areas": areas[: 2 + number % 3],
        "pressure": profile.pressure,
        "minutes": rng.choice((45, 60, 60)),
        "pain_before": before,
        "pain_after": max(0, before - rng.choice((1, 1, 2))),
        "subjective": rng.choice(SUBJECTIVE),
        "objective": rng.choice(OBJECTIVE),
        "assessment": rng.choice(ASSESSMENT),
        "plan": rng.choice(PLAN_TEXT),
    }


def _diary(profile: Profile, today: date, rng: random.Random) -> list[dict[str, Any]]:
    """A check-in most days; the last one today, exactly on the course, so progress is as told."""
    entries = []
    for day in range(1, HISTORY_DAYS + 1):
        if day < HISTORY_DAYS and rng.random() < 0.2:
            continue
        noise = 0.0 if day == HISTORY_DAYS else rng.uniform(-0.8, 0.8)
        leg = _pain(leg_pain_on(profile, day) + noise)
        entry: dict[str, Any] = {
            "date": _iso(today, day),
            "leg_pain": leg,
            "back_pain": _pain(leg * 0.6 + rng.uniform(-1, 1)),
            "active_minutes": rng.randrange(10, 70, 5),
            "self_care": sorted(rng.sample(SELF_CARE, rng.randint(1, 3))),
        }
        if profile.course == "flare" and day == HISTORY_DAYS - 9:
            entry["flare"] = True
        if rng.random() < 0.12:
            entry["note"] = rng.choice(DIARY_NOTES)
        entries.append(entry)
    return entries


def _session_days(profile: Profile, rng: random.Random) -> list[int]:
    """Weekly for six weeks, then every two weeks (weekly throughout while getting worse)."""
    days, day = [], 0
    while day <= HISTORY_DAYS - 2:
        days.append(day)
        weekly = day < 42 or profile.course == "worse"
        day += (7 if weekly else 14) + rng.choice((-1, 0, 0, 1))
    return days


def _assessment_days(rng: random.Random) -> list[int]:
    """Every two or three weeks, the last one within the past few days."""
    days = [0]
    while days[-1] + 14 <= HISTORY_DAYS:
        days.append(days[-1] + rng.choice((14, 21)))
    if days[-1] > HISTORY_DAYS:
        days.pop()
    if HISTORY_DAYS - days[-1] >= 10:
        days.append(HISTORY_DAYS - rng.randint(0, 3))
    return days


def story(profile: Profile, today: date, seed: int) -> Story:
    """One client's three months, from their own random stream."""
    rng = random.Random(f"{seed}:{profile.name}")
    told = Story(profile=profile)
    assessed = _assessment_days(rng)
    for day in assessed:
        told.assessments.append(_assessment(profile, today, day, rng))
        if day == 0 or day >= 42:  # intake, then red flags asked again from week six
            told.screenings.append({"date": _iso(today, day), "findings": list(profile.findings)})
    for number, day in enumerate(_session_days(profile, rng)):
        told.sessions.append(_session(profile, today, day, number, rng))
    told.diary.extend(_diary(profile, today, rng))
    if profile.course == "red_flag":
        told.diary[-1] = {**told.diary[-1], "signs": ["bladder_change"]}
        told.diary[-1]["note"] = "Trouble starting to pass urine since this morning."
    else:
        step = 7 if profile.course in ("worse", "flare") else 14
        first = today + timedelta(days=rng.randint(1, 6))
        told.appointments.extend(
            (first + timedelta(days=step * n), time(rng.choice((9, 10, 11, 14, 15, 16))))
            for n in range(3)
        )
    told.messages.extend(_messages(profile, today))
    return told


def _messages(profile: Profile, today: date) -> list[Message]:
    first = profile.name.split()[0]
    said = [
        Message(today - timedelta(days=20), False, "message", f"Hi {first}, how was the walk?"),
        Message(today - timedelta(days=19), True, "message", "Managed 20 minutes, felt fine."),
    ]
    if profile.course == "red_flag":
        said.append(
            Message(
                today,
                False,
                "message",
                "I saw your check-in: please go to emergency care now, not to your session.",
            )
        )
    else:
        said.append(
            Message(
                today - timedelta(days=1), True, "before_session", "Tight again after a long drive."
            )
        )
    return said


def demo_stories(today: date, seed: int) -> list[Story]:
    """Every demo client's story, in a fixed order."""
    return [story(profile, today, seed) for profile in PROFILES]
