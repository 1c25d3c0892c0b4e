"""What a protocol file must hold: every rule id and the parameters each rule takes."""

from collections.abc import Callable
from itertools import pairwise

from sciatica_care.domain.codes import (
    AREAS,
    EVIDENCE_GRADES,
    FINDING_CODES,
    PRESSURES,
    REGIONS,
    STANCES,
    TECHNIQUES,
)

# A parameter check returns None when the value is good, else what is wrong with it.
ParamCheck = Callable[[object], str | None]


def body_part(region: str) -> str:
    """A region without its side: `lateral_calf_left` -> `lateral_calf`."""
    return region.removesuffix("_left").removesuffix("_right")


BODY_PARTS: tuple[str, ...] = tuple(dict.fromkeys(body_part(r) for r in REGIONS))


def whole(low: int, high: int) -> ParamCheck:
    """An integer from low to high."""

    def check(value: object) -> str | None:
        ok = isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
        return None if ok else f"must be an integer {low}..{high}, got {value!r}"

    return check


def one_of(values: tuple[str, ...]) -> ParamCheck:
    """One of a closed set of words."""

    def check(value: object) -> str | None:
        return None if value in values else f"must be one of {', '.join(values)}, got {value!r}"

    return check


def list_of(values: tuple[str, ...], *, nonempty: bool = True) -> ParamCheck:
    """A list of distinct words from a closed set."""

    def check(value: object) -> str | None:
        if not isinstance(value, list) or (nonempty and not value):
            return "must be a non-empty list" if nonempty else "must be a list"
        wrong = [item for item in value if item not in values]
        if wrong:
            return f"holds unknown values {wrong!r}; allowed: {', '.join(values)}"
        if len(set(value)) != len(value):
            return "holds a value twice"
        return None

    return check


def text(value: object) -> str | None:
    """Plain non-empty text."""
    return None if isinstance(value, str) and value.strip() else "must be non-empty text"


def phrases(value: object) -> str | None:
    """A non-empty list of distinct words or phrases, each of letters, spaces or hyphens."""
    if not isinstance(value, list) or not value:
        return "must be a non-empty list of words or phrases"
    wrong = [v for v in value if not isinstance(v, str) or not v.strip() or not _plain(v)]
    if wrong:
        return f"holds entries that are not plain words {wrong!r}"
    if len({v.lower() for v in value}) != len(value):
        return "holds a phrase twice"
    return None


def _plain(phrase: str) -> bool:
    return all(ch.isalpha() or ch in " -'" for ch in phrase)


def words_list(value: object) -> str | None:
    """A non-empty list of distinct plain words (snake_case)."""
    if not isinstance(value, list) or not value:
        return "must be a non-empty list of distinct words"
    plain = all(isinstance(v, str) and v.replace("_", "").isalpha() for v in value)
    return None if plain and len(set(value)) == len(value) else "must be distinct plain words"


def groups_of(values: tuple[str, ...]) -> ParamCheck:
    """A list of groups, each a list of at least two distinct words from a closed set."""
    item = list_of(values)

    def check(value: object) -> str | None:
        if not isinstance(value, list):
            return "must be a list of lists"
        for index, group in enumerate(value):
            problem = item(group)
            if problem is None and len(group) < 2:
                problem = "must list at least two values"
            if problem is not None:
                return f"group {index}: {problem}"
        return None

    return check


def rising(low: int, high: int) -> ParamCheck:
    """A non-empty list of strictly rising integers from low to high, ending at high."""

    def check(value: object) -> str | None:
        why = f"must be rising integers {low}..{high} ending at {high}"
        if not isinstance(value, list) or not value:
            return why
        numbers = [v for v in value if isinstance(v, int) and not isinstance(v, bool)]
        ok = len(numbers) == len(value) and all(low <= v <= high for v in numbers)
        ok = ok and numbers[-1] == high and all(a < b for a, b in pairwise(numbers))
        return None if ok else why

    return check


PERCENT = whole(1, 100)
POINTS = whole(1, 10)
PAIN = whole(0, 10)
DAYS = whole(1, 365)
MASSAGE_BAND = {
    "min_leg_pain": PAIN,
    "techniques": list_of(TECHNIQUES),
    "max_pressure": one_of(PRESSURES),
}
# Every therapy weighs every finding: a contraindication makes it not_recommended, a caution
# is named in its reason for the practitioner.
THERAPY = {
    "stance": one_of(STANCES[:3]),
    "grade": one_of(EVIDENCE_GRADES),
    "contraindications": list_of(FINDING_CODES, nonempty=False),
    "cautions": list_of(FINDING_CODES, nonempty=False),
}
GRADE = {"grade": one_of(EVIDENCE_GRADES)}
TEMPERATURE: dict[str, ParamCheck] = {
    **GRADE,
    "numbness_warning": text,
    "sensation_warning": text,
}

RULE_PARAMS: dict[str, dict[str, ParamCheck]] = {
    "triage.unscreened": {},
    "triage.clear": {},
    "triage.cauda_equina": {},
    # The body-map signs are fixed cauda equina codes: a protocol cannot point them elsewhere.
    "triage.body_map_saddle": {"finding": one_of(("saddle_numbness",))},
    "triage.body_map_both_legs": {"finding": one_of(("bilateral_leg_symptoms",))},
    "triage.urgent_referral": {},
    "triage.serious_pathology": {},
    "triage.clearance_needed": {},
    "triage.cleared": {"valid_days": whole(1, 3660), "related": groups_of(FINDING_CODES)},
    "precaution.cleared_residual": {
        "findings": list_of(FINDING_CODES),
        "techniques": list_of(TECHNIQUES),
        "max_pressure": one_of(PRESSURES),
    },
    "precaution.clearance_conditions": {},
    "review.clearance_lapsed": {},
    "triage.vascular_emergency": {},
    "triage.noted": {},
    "triage.suspected_mscc": {},
    "triage.possible_spinal_infection": {},
    "triage.possible_fracture": {},
    "triage.note_red_flag_words": {"words": phrases},
    "precaution.age_new_back_pain": {
        "min_age": whole(1, 120),
        "under_age": whole(1, 120),
        "new_within_days": DAYS,
        "techniques": list_of(TECHNIQUES),
        "max_pressure": one_of(PRESSURES),
    },
    "precaution.older_age": {
        "min_age": whole(1, 120),
        "techniques": list_of(TECHNIQUES),
        "max_pressure": one_of(PRESSURES),
    },
    "precaution.vascular": {"techniques": list_of(TECHNIQUES), "max_pressure": one_of(PRESSURES)},
    "precaution.inflamed_joints": {
        "techniques": list_of(TECHNIQUES),
        "max_pressure": one_of(PRESSURES),
    },
    "precaution.light_pressure_only": {
        "techniques": list_of(TECHNIQUES),
        "max_pressure": one_of(PRESSURES),
    },
    "triage.exam_severe_weakness": {
        "max_grade": whole(0, 4),
        "finding": one_of(("severe_motor_deficit",)),
    },
    "triage.exam_new_deficit": {"finding": one_of(("progressive_weakness",))},
    "triage.neurology_spreading": {},
    "triage.awaiting_outcome": {},
    "triage.outcome_recorded": {},
    "triage.screen_after_outcome": {},
    "triage.screening_stale": {"max_days": DAYS},
    "triage.must_ask": {"findings": list_of(FINDING_CODES)},
    "triage.screen_incomplete": {},
    "precaution.avoid_site": {},
    "precaution.surgical_site": {"techniques": list_of(TECHNIQUES)},
    "precaution.spinal_surgery": {
        "finding": one_of(("recent_surgery",)),
        "regions": list_of(REGIONS),
        "within_days": DAYS,
    },
    "precaution.region_needed": {},
    # Body-map numbness is the `numbness` finding: a protocol cannot point it elsewhere.
    "precaution.body_map_numbness": {"finding": one_of(("numbness",))},
    "precaution.reduced_sensation": {"max_pressure": one_of(PRESSURES)},
    "precaution.pregnancy": {
        "techniques": list_of(TECHNIQUES),
        "max_pressure": one_of(PRESSURES),
        "position": one_of(("side_lying",)),
    },
    "massage.severe_leg_pain": MASSAGE_BAND,
    "massage.moderate_leg_pain": MASSAGE_BAND,
    "massage.mild_leg_pain": MASSAGE_BAND,
    "massage.no_pain_reading": {
        "techniques": list_of(TECHNIQUES),
        "max_pressure": one_of(PRESSURES),
    },
    "massage.on_hold": {},
    "massage.focus_last_session": {},
    "massage.focus_default": {"areas": list_of(AREAS), "minutes": whole(10, 240)},
    # Which massage areas lie over each body part: a focus area over a region to avoid is dropped.
    "massage.avoid_focus_area": {part: list_of(AREAS, nonempty=False) for part in BODY_PARTS},
    "progress.insufficient_data": {"min_dates": whole(2, 10)},
    "progress.recovered": {"max_leg_pain": PAIN, "max_back_pain": PAIN},
    "progress.much_improved": {"min_drop_percent": PERCENT, "min_drop_points": POINTS},
    "progress.improved": {"min_drop_percent": PERCENT, "min_drop_points": POINTS},
    "progress.worse": {"min_rise_points": POINTS},
    "progress.unchanged": {},
    "progress.odi_important_change": {"min_points": whole(1, 100), "min_sections": whole(1, 10)},
    "progress.odi_bands": {"names": words_list, "upper": rising(0, 100)},
    "progress.episode": {"gap_days": DAYS, "recovered_days": DAYS},
    "progress.episode_first_reading": {},
    "progress.episode_after_gap": {},
    "progress.episode_after_recovery": {},
    "progress.relapse": {"rise_points": POINTS, "min_dates": whole(1, 10)},
    "instruments.startback_risk": {"low_max_total": whole(0, 9), "high_min_distress": whole(1, 5)},
    "cadence.initial": {"interval_days": DAYS},
    "cadence.step_down": {"interval_days": DAYS, "held_days": DAYS},
    "cadence.maintenance": {"interval_days": DAYS, "held_days": DAYS},
    "cadence.flare": {"rise_points": POINTS, "window_days": DAYS, "interval_days": DAYS},
    "cadence.relapse": {"interval_days": DAYS},
    "cadence.discharge": {"interval_days": DAYS},
    "cadence.on_hold": {},
    "review.worsening": {"min_dates": whole(1, 10)},
    "review.relapse": {},
    "review.function_worse": {"min_points": whole(1, 100)},
    "review.discharge": {"held_days": DAYS},
    "review.pain_relief": {"min_leg_pain": PAIN, "odi_above": whole(0, 99)},
    "review.spinal_opinion": {"after_days": DAYS, "min_leg_pain": PAIN, "odi_above": whole(0, 99)},
    "review.not_improving_6_weeks": {"after_days": DAYS},
    "review.not_improving_12_weeks": {"after_days": DAYS},
    "review.rescreen_due": {"max_age_days": DAYS},
    "review.safety_net": {},
    "review.red_flag_words": {},
    "review.clearance_incomplete": {},
    "nerve_root.majority_of_marks": {
        "L4": list_of(BODY_PARTS),
        "L5": list_of(BODY_PARTS),
        "S1": list_of(BODY_PARTS),
    },
    "complementary.exercise_therapy": THERAPY,
    "complementary.spinal_manipulation": THERAPY,
    "complementary.acupuncture": THERAPY,
    "complementary.psychological_support_high_risk": THERAPY,
    "complementary.psychological_support": THERAPY,
    "complementary.on_hold": {},
    "complementary.contraindicated": {},
    "self_care.stay_active": GRADE,
    "self_care.walking": GRADE,
    "self_care.swimming": GRADE,
    "self_care.posture": GRADE,
    "self_care.heat": {**TEMPERATURE, "clot_warning": text},
    "self_care.cold": TEMPERATURE,
    "centralisation.distal_extent": {},
    "session_response.diary_after_session": {"from_day": whole(0, 14), "to_day": whole(0, 14)},
}

# Red flags keep at least this class whatever a protocol file says: they cannot be made milder.
RED_FLAG_FLOOR: dict[str, str] = {
    "saddle_numbness": "emergency",
    "bladder_change": "emergency",
    "bowel_change": "emergency",
    "bilateral_leg_symptoms": "emergency",
    "new_sexual_dysfunction": "emergency",
    "progressive_weakness": "urgent",
    "suspected_dvt": "urgent",
    "fever_or_infection_signs": "urgent",
    "significant_trauma": "urgent",
    "severe_motor_deficit": "urgent",
    "widespread_neurology": "urgent",
    "possible_aaa": "emergency",
    "thoracic_pain": "see_doctor",
    "constant_nonmechanical_pain": "see_doctor",
    "confirmed_dvt": "clearance_needed",
    "bone_metastases": "clearance_needed",
    "cancer_history": "see_doctor",
    "unexplained_weight_loss": "see_doctor",
    "severe_night_pain": "see_doctor",
    "immunosuppression": "see_doctor",
    "iv_drug_use": "see_doctor",
    "long_term_steroids": "see_doctor",
}

# Which triage rules a finding of each class may name.
RULES_BY_CLASS: dict[str, tuple[str, ...]] = {
    "emergency": ("triage.cauda_equina", "triage.vascular_emergency"),
    "urgent": ("triage.urgent_referral",),
    "see_doctor": ("triage.serious_pathology",),
    "clearance_needed": ("triage.clearance_needed",),
    "modify": (
        "precaution.light_pressure_only",
        "precaution.avoid_site",
        "precaution.surgical_site",
        "precaution.reduced_sensation",
        "precaution.vascular",
        "precaution.inflamed_joints",
    ),
    "noted": ("triage.noted",),
}
CLEARED_RULES: tuple[str, ...] = (
    "precaution.pregnancy",
    "precaution.light_pressure_only",
    "precaution.avoid_site",
)
