"""The client's Learn pages: topics, their HTML fragments, and links from plan codes."""

from dataclasses import dataclass
from importlib.resources import files


@dataclass(frozen=True, slots=True)
class Topic:
    """One Learn page: its URL slug, title and a one-sentence summary."""

    slug: str
    title: str
    summary: str


TOPICS: tuple[Topic, ...] = (
    Topic(
        "what-is-sciatica",
        "What sciatica is",
        "Where the sciatic nerve runs, how sciatica feels and how it usually goes.",
    ),
    Topic(
        "urgent-help",
        "When to seek urgent help",
        "The warning signs that mean you need a doctor today or emergency care now.",
    ),
    Topic(
        "massage-and-evidence",
        "How massage may help, and what the evidence honestly says",
        "What massage might do for you, and how weak the research behind it still is.",
    ),
    Topic(
        "your-session",
        "What to expect in a session",
        "Safety questions, the massage itself, and how sessions space out as pain eases.",
    ),
    Topic(
        "swedish-massage",
        "What Swedish massage feels like",
        "The gentlest kind of massage: long, smooth strokes at light to medium pressure.",
    ),
    Topic(
        "deep-tissue-massage",
        "What deep tissue massage feels like",
        "Slow, firm pressure on deeper muscles, used only once pain has settled.",
    ),
    Topic(
        "trigger-point-therapy",
        "What trigger point therapy feels like",
        "Steady pressure on small tender spots in a muscle, and when we use it.",
    ),
    Topic(
        "staying-active",
        "Staying active and walking",
        "Why keeping moving beats bed rest, and how to build up your walking.",
    ),
    Topic(
        "swimming",
        "Swimming and water exercise",
        "How to use the pool to stay active, and how to stay safe there.",
    ),
    Topic(
        "heat-and-cold",
        "Using heat and cold safely",
        "How to use heat and cold packs for comfort without burns or frost damage.",
    ),
    Topic(
        "posture",
        "Posture in daily life",
        "Simple ways to sit, sleep, stand and lift with less strain.",
    ),
    Topic(
        "other-therapies",
        "Other therapies and what the evidence says",
        "Exercise, spinal manipulation, acupuncture and psychological support, honestly graded.",
    ),
)

_BY_SLUG: dict[str, Topic] = {item.slug: item for item in TOPICS}

LINKS: dict[str, str] = {
    "massage": "massage-and-evidence",
    "cadence": "your-session",
    "swedish": "swedish-massage",
    "deep_tissue": "deep-tissue-massage",
    "trigger_point": "trigger-point-therapy",
    "stay_active": "staying-active",
    "walking": "staying-active",
    "swimming": "swimming",
    "posture": "posture",
    "heat": "heat-and-cold",
    "cold": "heat-and-cold",
    "exercise_therapy": "other-therapies",
    "spinal_manipulation": "other-therapies",
    "acupuncture": "other-therapies",
    "psychological_support": "other-therapies",
    "see_doctor": "urgent-help",
    "urgent": "urgent-help",
    "emergency": "urgent-help",
}


def topic(slug: str) -> Topic | None:
    """The topic with this slug, or None."""
    return _BY_SLUG.get(slug)


def page_html(slug: str) -> str | None:
    """The HTML fragment of a known topic, or None: only slugs in TOPICS are ever read."""
    if slug not in _BY_SLUG:
        return None
    return (files("sciatica_care.web") / "learn" / f"{slug}.html").read_text("utf-8")


def link_for(code: str) -> str | None:
    """The slug of the Learn page that explains a plan code, or None."""
    return LINKS.get(code)
